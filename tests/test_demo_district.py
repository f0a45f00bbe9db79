"""The demo district generator: deterministic files in the canonical formats, with the planted patterns.

Every pattern is measured here from the raw CSV files with pandas, independently of the generator's
internals (only the named schools and standards are taken from the module's constants).
"""

from __future__ import annotations

import hashlib
import re

import numpy as np
import pandas as pd
import pytest

from etl import demo_district as demo

KINDS = ["continuum", "roster", "gradebook", "survey", "rubric", "learning", "meetings"]
HEADERS = {
    "continuum": "standard_code,framework,content_area,strand,continuum_level,description",
    "roster": "school_year,student_id,last_name,first_name,school_id,school_name,school_level,grade_level,"
    "gender,race_ethnicity,is_ell,is_iep,is_504,is_econ_disadv",
    "gradebook": "student_id,school_year,term,assessed_on,school_id,course_id,section_id,teacher_id,"
    "standard_code,score,mark,assessment_type,assessment_name",
    "survey_responses": "survey_id,wave,response_id,school_id,role,item_id,item_text,construct,"
    "is_reverse_coded,scale_points,value,comment",
    "survey_invited": "survey_id,wave,school_id,role,n_invited",
    "rubric": "school_id,school_year,domain,stage",
    "learning": "date,school_id,mode,title,hours,teachers,coaches,administrators",
}
YEARS = list(demo.SCHOOL_YEARS)
FIRST, LATEST = YEARS[0], YEARS[-1]
CLOSING = demo.GAP_CLOSING_SCHOOL
RISING, FALLING = demo.TRUST_RISING_SCHOOL, demo.TRUST_FALLING_SCHOOL
DECAY = 0.65  # the district default: decaying average, weight 0.65 on the newest evidence
CUT = 3.0
TEXT = {"student_id": str, "school_id": str}


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    return demo.write_demo_files(tmp_path_factory.mktemp("seed42"), seed=42)


@pytest.fixture(scope="module")
def roster(files):
    return pd.concat([pd.read_csv(p, dtype=TEXT) for p in files["roster"]], ignore_index=True)


@pytest.fixture(scope="module")
def gradebook(files):
    return pd.concat([pd.read_csv(p, dtype=TEXT | {"mark": str}) for p in files["gradebook"]], ignore_index=True)


@pytest.fixture(scope="module")
def continuum(files):
    return pd.read_csv(files["continuum"][0])


@pytest.fixture(scope="module")
def survey(files):
    answers = pd.read_csv(files["survey"][0], dtype=TEXT)
    invited = pd.read_csv(files["survey"][1], dtype=TEXT)
    return answers, invited


@pytest.fixture(scope="module")
def standard_scores(gradebook, continuum, roster):
    """Calculated score per student x standard x year: decaying average of the day-mean evidence."""
    evidence = (
        gradebook.dropna(subset=["score"])
        .groupby(["school_year", "student_id", "standard_code", "assessed_on"], as_index=False)["score"]
        .mean()
        .sort_values(["school_year", "student_id", "standard_code", "assessed_on"])
    )
    groups = evidence.groupby(["school_year", "student_id", "standard_code"])
    newest_rank = groups.cumcount(ascending=False).to_numpy() + 1
    n = groups["score"].transform("size").to_numpy()
    weight = np.where(newest_rank == n, (1 - DECAY) ** (n - 1), DECAY * (1 - DECAY) ** (newest_rank - 1))
    evidence["weighted"] = evidence["score"] * weight
    scores = (
        evidence.groupby(["school_year", "student_id", "standard_code"], as_index=False)["weighted"]
        .sum()
        .rename(columns={"weighted": "calculated"})
    )
    scores = scores.merge(continuum[["standard_code", "content_area", "continuum_level"]], on="standard_code")
    return scores.merge(roster, on=["school_year", "student_id"])


@pytest.fixture(scope="module")
def content_status(standard_scores):
    """A student is proficient in a content area when the mean of their standard scores >= 3.0."""
    keys = ["school_year", "student_id", "content_area"]
    status = standard_scores.groupby(keys, as_index=False)["calculated"].mean()
    status["proficient"] = status["calculated"] >= CUT
    people = standard_scores.drop_duplicates(["school_year", "student_id"]).drop(
        columns=["standard_code", "calculated", "content_area", "continuum_level"]
    )
    return status.merge(people, on=["school_year", "student_id"])


def pct_gap(frame: pd.DataFrame, flag: str) -> float:
    rates = frame.groupby(flag)["proficient"].mean() * 100
    return rates[True] - rates[False]


def favorable(answers: pd.DataFrame) -> pd.DataFrame:
    rated = answers[answers["scale_points"].notna() & answers["value"].notna()].copy()
    value = np.where(rated["is_reverse_coded"], rated["scale_points"] + 1 - rated["value"], rated["value"])
    rated["favorable"] = value >= rated["scale_points"] - 1
    return rated


# ---------------------------------------------------------------- determinism and shape


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_same_seed_writes_byte_identical_files(files, tmp_path):
    again = demo.write_demo_files(tmp_path / "again", seed=42)
    for kind in KINDS:
        assert [p.name for p in again[kind]] == [p.name for p in files[kind]]
        assert [sha256(p) for p in again[kind]] == [sha256(p) for p in files[kind]], kind


def test_a_different_seed_writes_different_data(files, tmp_path):
    other = demo.write_demo_files(tmp_path / "other", seed=7)
    for kind in ("roster", "gradebook", "survey"):
        assert [sha256(p) for p in other[kind]] != [sha256(p) for p in files[kind]], kind
    assert sha256(other["continuum"][0]) == sha256(files["continuum"][0])  # the standards are not random


def test_files_come_by_kind_in_load_order_with_canonical_headers(files):
    assert list(files) == KINDS
    assert [len(files[k]) for k in KINDS] == [1, 3, 3, 3, 1, 1, 1]
    heads = {k: [p.open(encoding="utf-8").readline().rstrip("\n") for p in files[k]] for k in KINDS}
    assert heads["continuum"] == [HEADERS["continuum"]]
    assert heads["roster"] == [HEADERS["roster"]] * 3
    assert heads["gradebook"] == [HEADERS["gradebook"]] * 3
    assert heads["survey"] == [
        HEADERS["survey_responses"],
        HEADERS["survey_invited"],
        HEADERS["survey_responses"].replace(",comment", "") + ",learning_mode",
    ]
    assert heads["rubric"] == [HEADERS["rubric"]]
    assert heads["learning"] == [HEADERS["learning"]]
    assert heads["meetings"][0].startswith('{"as_of": "2025-09-08"')  # JSON lines, saved by warehouse/meeting_notes.py
    assert [p.name for p in files["roster"]] == [f"roster_{y}.csv" for y in YEARS]


def test_booleans_and_dates_are_written_plainly(files):
    roster_lines = files["roster"][0].read_text(encoding="utf-8").splitlines()[1:50]
    assert all(re.search(r",(true|false),(true|false),(true|false),(true|false)$", line) for line in roster_lines)
    gradebook_line = files["gradebook"][0].open(encoding="utf-8").readlines()[1]
    assert re.match(r"^\d{6},2023-24,T[123],2023-\d\d-\d\d,", gradebook_line)


# ---------------------------------------------------------------- roster


def test_schools_grades_and_years(roster):
    assert sorted(roster["school_year"].unique()) == YEARS
    schools = roster.drop_duplicates("school_id").set_index("school_id")
    assert 5 <= len(schools) <= 7
    spans = roster.groupby("school_id")["grade_level"].agg(["min", "max"])
    expected = {"elementary": (0, 5), "middle": (6, 8), "high": (9, 12)}
    for school_id, level in schools["school_level"].items():
        assert tuple(spans.loc[school_id]) == expected[level], school_id
    assert set(schools["school_level"]) == {"elementary", "middle", "high"}
    assert roster.groupby("school_year").size().between(2700, 3300).all()
    assert not roster.duplicated(["school_year", "student_id"]).any()
    assert roster["student_id"].str.fullmatch(r"\d{6}").all()
    assert roster["student_id"].str.startswith("0").any()  # ids keep their leading zeros


def test_students_move_up_a_grade_and_change_school_at_transitions(roster):
    a = roster[roster["school_year"] == YEARS[0]].set_index("student_id")
    b = roster[roster["school_year"] == YEARS[1]].set_index("student_id")
    both = a.join(b.add_suffix("_b"), how="inner").rename(columns=lambda c: c if c.endswith("_b") else c + "_a")
    assert len(both) > 2500
    assert (both["grade_level_b"] == both["grade_level_a"] + 1).all()
    moved_up = both["grade_level_a"].isin([5, 8])
    assert (both.loc[moved_up, "school_id_a"] != both.loc[moved_up, "school_id_b"]).all()
    assert (both.loc[~moved_up, "school_id_a"] == both.loc[~moved_up, "school_id_b"]).all()
    seniors = a.index[a["grade_level"] == 12]
    assert len(seniors) > 150 and not seniors.isin(b.index).any()  # seniors leave
    new_kindergarten = b[(b["grade_level"] == 0) & ~b.index.isin(a.index)]
    assert len(new_kindergarten) > 150


def test_demographics_are_realistic(roster):
    assert set(roster["race_ethnicity"]) == {
        "Hispanic or Latino",
        "American Indian or Alaska Native",
        "Asian",
        "Black or African American",
        "Native Hawaiian or Other Pacific Islander",
        "White",
        "Two or more races",
    }
    assert set(roster["gender"]) == {"Female", "Male", "Nonbinary"}
    assert roster["gender"].eq("Nonbinary").mean() < 0.03
    shares = roster[["is_ell", "is_iep", "is_504", "is_econ_disadv"]].mean()
    assert 0.10 <= shares["is_ell"] <= 0.15
    assert 0.12 <= shares["is_iep"] <= 0.16
    assert 0.03 <= shares["is_504"] <= 0.05
    assert 0.40 <= shares["is_econ_disadv"] <= 0.50
    assert roster["last_name"].notna().all() and roster["first_name"].notna().all()


# ---------------------------------------------------------------- gradebook and continuum


def test_gradebook_size_and_values(gradebook, roster):
    assert 500_000 <= len(gradebook) <= 1_500_000
    non_evidence = gradebook["mark"].isin(["IE", "NY", "EX"])
    assert gradebook.loc[non_evidence, "score"].isna().all()
    assert gradebook.loc[~non_evidence, "score"].notna().all()
    assert gradebook["score"].between(0, 4).sum() == (~non_evidence).sum()
    assert 0.02 <= non_evidence.mean() <= 0.08
    assert set(gradebook["mark"]) == {"1", "2", "2+", "3-", "3", "4", "IE", "NY", "EX"}
    by_mark = gradebook[~non_evidence].groupby("mark")["score"].agg(["min", "max"])
    assert by_mark.loc["2+"].tolist() == [2.33, 2.33] and by_mark.loc["3-"].tolist() == [2.67, 2.67]
    assert set(gradebook["assessment_type"]) == {"formative", "summative"}
    assert set(gradebook["term"]) == {"T1", "T2", "T3"}
    assert gradebook["assessment_name"].notna().all()
    enrolled = gradebook.merge(
        roster[["school_year", "student_id", "school_id"]],
        how="left",
        on=["school_year", "student_id"],
        suffixes=("", "_roster"),
    )
    assert (enrolled["school_id"] == enrolled["school_id_roster"]).all()


def test_dates_fall_inside_the_school_year_in_term_order(gradebook):
    dates = pd.to_datetime(gradebook["assessed_on"])
    start = pd.to_datetime(gradebook["school_year"].str[:4] + "-08-01")
    end = pd.to_datetime((gradebook["school_year"].str[:4].astype(int) + 1).astype(str) + "-06-30")
    assert ((dates >= start) & (dates <= end)).all()
    spans = gradebook.assign(d=dates).groupby(["school_year", "term"])["d"].agg(["min", "max"])
    for year in YEARS:
        assert spans.loc[(year, "T1"), "max"] < spans.loc[(year, "T2"), "min"]
        assert spans.loc[(year, "T2"), "max"] < spans.loc[(year, "T3"), "min"]


def test_continuum_is_real_ccss_plus_science(continuum, gradebook):
    assert continuum["standard_code"].is_unique
    assert set(continuum["content_area"]) == {"math", "ela", "science"}
    assert set(continuum["continuum_level"]) == set(range(13))
    codes = continuum.set_index("standard_code")
    assert codes.loc["CCSS.Math.Content.4.NF.A.1", "description"].startswith("Explain why a fraction a/b is equivalent")
    assert codes.loc["CCSS.Math.Content.4.NF.A.1", "strand"] == "NF"
    assert codes.loc["CCSS.ELA-Literacy.RI.3.8", "strand"] == "RI"
    assert codes.loc["CCSS.Math.Content.HSA.REI.B.3", "continuum_level"] == 9
    math = continuum[continuum["content_area"] == "math"]["standard_code"]
    ela = continuum[continuum["content_area"] == "ela"]["standard_code"]
    assert math.str.fullmatch(r"CCSS\.Math\.Content\.(K|\d|HS[NAGFS])\.[A-Z]+\.[A-H]\.\d+[a-z]?").all()
    assert ela.str.fullmatch(r"CCSS\.ELA-Literacy\.(RL|RI|RF|W|SL|L)\.(K|\d|9-10|11-12)\.\d+[a-z]?").all()
    assert continuum[continuum["content_area"] == "science"]["standard_code"].str.startswith("NGSS.").all()
    assert set(gradebook["standard_code"]) <= set(continuum["standard_code"])


# ---------------------------------------------------------------- planted patterns


def test_pattern1_gaps_for_ell_iep_and_econ_close_fastest_in_the_named_school(content_status):
    first = content_status[content_status["school_year"] == FIRST]
    overall = content_status.groupby(["school_year"])["proficient"].mean() * 100
    assert 35 <= overall[FIRST] <= 60
    for flag in ("is_ell", "is_iep", "is_econ_disadv"):
        assert -30 <= pct_gap(first, flag) <= -12, flag
    closing = content_status["school_id"] == CLOSING
    for flag in ("is_ell", "is_iep", "is_econ_disadv"):

        def change(rows):
            return pct_gap(rows[rows["school_year"] == LATEST], flag) - pct_gap(
                rows[rows["school_year"] == FIRST], flag
            )

        named, others = change(content_status[closing]), change(content_status[~closing])
        assert named >= 10, (flag, named)  # the named school's gap narrows a lot ...
        assert named - others >= 8, (flag, named, others)  # ... and faster than everywhere else
        assert abs(others) <= 8, (flag, others)
    assert pct_gap(content_status[closing & (content_status["school_year"] == FIRST)], "is_ell") <= -12


def test_pattern2_named_standards_get_no_evidence_in_the_latest_year(gradebook, continuum, roster):
    named = {code for codes in demo.NEVER_ASSESSED_LATEST_YEAR.values() for code in codes}
    assert named <= set(continuum["standard_code"])
    assessed = gradebook.groupby("school_year")["standard_code"].agg(set)
    assert not named & assessed[LATEST]
    for year in YEARS[:-1]:
        assert named <= assessed[year]
    # Every other standard of every (grade, content area) taught in the latest year has evidence.
    for (grade, content), codes in demo.NEVER_ASSESSED_LATEST_YEAR.items():
        level = continuum[(continuum["content_area"] == content) & (continuum["continuum_level"] == grade)]
        assert set(codes) <= set(level["standard_code"])
    latest = gradebook[gradebook["school_year"] == LATEST].merge(
        roster[["school_year", "student_id", "grade_level"]], on=["school_year", "student_id"]
    )
    latest = latest.merge(continuum[["standard_code", "content_area", "continuum_level"]], on="standard_code")
    taught = latest[latest["continuum_level"] == latest["grade_level"]][["content_area", "continuum_level"]]
    taught = set(map(tuple, taught.drop_duplicates().to_numpy()))
    grade_level_codes = continuum[
        [(c, lvl) in taught for c, lvl in zip(continuum["content_area"], continuum["continuum_level"])]
    ]
    missing = set(grade_level_codes["standard_code"]) - assessed[LATEST]
    assert missing == named


def test_pattern3_students_work_below_and_above_grade_level(standard_scores):
    scores = standard_scores[
        standard_scores["content_area"].isin(["math", "ela"]) & (standard_scores["grade_level"] <= 8)
    ]
    keys = ["school_year", "student_id", "content_area", "grade_level", "continuum_level"]
    # A level counts when the student is proficient on most of its assessed standards.
    share = scores.assign(proficient=scores["calculated"] >= CUT).groupby(keys)["proficient"].mean()
    levels = (share > 0.5).reset_index()
    position = levels[levels["proficient"]].groupby(keys[:-1])["continuum_level"].max()
    offset = position - position.index.get_level_values("grade_level")
    for year in YEARS:
        in_year = offset.xs(year, level="school_year")
        assert (in_year < 0).sum() >= 30, year
        assert (in_year > 0).sum() >= 30, year
    # A student placed below grade level has evidence on lower levels and is not proficient on grade level.
    below = offset[offset < 0].index
    on_grade = levels.set_index(keys[:-1])
    on_grade = on_grade[on_grade["continuum_level"] == on_grade.index.get_level_values("grade_level")]
    assert not on_grade.reindex(below)["proficient"].fillna(False).astype(bool).any()


def test_pattern4_leaders_rate_trust_far_above_teachers(survey):
    answers, _ = survey
    rated = favorable(answers)
    trust = rated[rated["construct"] == "trust"].groupby(["wave", "role"])["favorable"].mean().unstack() * 100
    assert ((trust["leader"] - trust["teacher"]) >= 15).all(), trust
    gaps = rated.groupby(["construct", "role"])["favorable"].mean().unstack()
    role_gap = (gaps["leader"] - gaps["teacher"]) * 100
    assert role_gap.idxmax() == "trust"


def test_pattern5_culture_moves_with_results_and_stages_advance(survey, content_status, files):
    answers, _ = survey
    rated = favorable(answers)
    trust = rated[rated["construct"] == "trust"].groupby(["school_id", "wave"])["favorable"].mean().unstack() * 100
    proficiency = content_status.groupby(["school_id", "school_year"])["proficient"].mean().unstack() * 100
    assert trust.loc[RISING, LATEST] - trust.loc[RISING, FIRST] >= 15
    assert proficiency.loc[RISING, LATEST] - proficiency.loc[RISING, FIRST] >= 10
    assert trust.loc[FALLING, LATEST] - trust.loc[FALLING, FIRST] <= -10
    assert proficiency.loc[FALLING, LATEST] < proficiency.loc[FALLING, FIRST]
    stages = pd.read_csv(files["rubric"][0], dtype=TEXT)
    order = {"Exploring": 0, "Emerging": 1, "Proficient": 2, "Breakthrough": 3}
    stages["rank"] = stages["stage"].map(order)
    assert stages["rank"].notna().all()
    by_year = stages.pivot_table(index=["school_id", "domain"], columns="school_year", values="rank")
    assert (by_year.diff(axis=1).iloc[:, 1:] >= 0).all().all()  # stages never go back
    climb = by_year[LATEST] - by_year[FIRST]
    assert climb.xs(RISING).sum() > climb.drop(RISING, level="school_id").groupby("school_id").sum().max()
    assert (by_year.xs(RISING)[LATEST] == 3).any()


def test_survey_shape_and_response_rates(survey):
    answers, invited = survey
    items = answers[answers["scale_points"].notna()]
    per_construct = items.drop_duplicates("item_id").groupby("construct")
    assert set(per_construct.groups) == set(demo.CONSTRUCTS)
    assert set(demo.CONSTRUCTS) == {"trust", "shared_vision", "educator_voice", "collaborative_learning", "beliefs"}
    assert (per_construct.size() == 3).all()
    assert (per_construct["is_reverse_coded"].sum() == 1).all()
    assert items["value"].dropna().between(1, 5).all()
    assert 0 < items["value"].isna().mean() < 0.05
    assert answers["comment"].notna().sum() > 50
    assert answers.loc[answers["comment"].notna(), "value"].isna().all()
    assert sorted(answers["wave"].unique()) == YEARS
    respondents = answers.groupby(["survey_id", "wave", "school_id", "role"])["response_id"].nunique()
    rates = respondents / invited.set_index(["survey_id", "wave", "school_id", "role"])["n_invited"]
    assert rates.between(0.5, 1.0).all(), rates.describe()
    assert rates.mean() == pytest.approx(0.75, abs=0.1)
