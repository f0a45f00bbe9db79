"""Equity gaps: known answers on a hand-built district, and the demo recomputed independently."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from answers.gaps import CLOSING, NARROWED_BY_DECLINE, gap_change, gap_sentences
from queries.runner import NotInRelease, QueryError, run_query, run_raw
from tests.conftest import load
from warehouse.config import district_config

ROSTER_HEADER = (
    "school_year,student_id,school_id,grade_level,gender,race_ethnicity,is_ell,is_iep,is_504,is_econ_disadv\n"
)
GRADEBOOK_HEADER = "student_id,school_year,term,assessed_on,school_id,standard_code,mark\n"


@pytest.fixture
def hand_district(con, fixtures_dir, tmp_path):
    """40 English learners (12 proficient) and 60 others (42 proficient), one score each."""
    roster, gradebook = [ROSTER_HEADER], [GRADEBOOK_HEADER]
    for i in range(100):
        is_ell = i < 40
        proficient = (i < 12) if is_ell else (i < 82)
        student = f"{i:04d}"
        roster.append(f"2025-26,{student},S1,3,Female,White,{str(is_ell).lower()},false,false,false\n")
        gradebook.append(f"{student},2025-26,T1,2025-10-01,S1,M.3.NF.1,{3 if proficient else 2}\n")
    (tmp_path / "roster.csv").write_text("".join(roster))
    (tmp_path / "gradebook.csv").write_text("".join(gradebook))
    load(con, "continuum", fixtures_dir / "continuum_small.csv")
    load(con, "roster", tmp_path / "roster.csv")
    load(con, "gradebook", tmp_path / "gradebook.csv")
    return con


def test_known_answer_gap_with_intervals(hand_district):
    rows = run_raw(hand_district, "equity_gaps", {"group_by": "is_ell", "content_area": "math"}).set_index(
        "group_value"
    )
    ell = rows.loc["true"]
    assert (ell["n_students"], ell["n_proficient"], ell["reference_n"]) == (40, 12, 60)
    assert ell["pct_proficient"] == 30.0 and ell["reference_pct"] == 70.0 and ell["gap_pp"] == -40.0
    # Wilson 12/40 and Newcombe (hybrid score) for 12/40 - 42/60, computed by hand
    low, high = _wilson(12, 40)
    assert (ell["pct_low"], ell["pct_high"]) == (
        pytest.approx(100 * low, abs=0.01),
        pytest.approx(100 * high, abs=0.01),
    )
    l2, h2 = _wilson(42, 60)
    gap_low = (0.3 - 0.7) - math.sqrt((0.3 - low) ** 2 + (h2 - 0.7) ** 2)
    gap_high = (0.3 - 0.7) + math.sqrt((high - 0.3) ** 2 + (0.7 - l2) ** 2)
    assert ell["gap_low"] == pytest.approx(100 * gap_low, abs=0.01)
    assert ell["gap_high"] == pytest.approx(100 * gap_high, abs=0.01)
    assert bool(ell["is_significant"])
    assert ell["risk_ratio"] == pytest.approx(0.3 / 0.7, abs=0.005)
    h = 2 * math.asin(math.sqrt(0.3)) - 2 * math.asin(math.sqrt(0.7))
    assert ell["cohens_h"] == pytest.approx(h, abs=0.005)
    assert ell["mean_score_gap"] == pytest.approx(2.3 - 2.7, abs=0.005)
    s1, s2 = _sd(12, 40), _sd(42, 60)
    pooled = math.sqrt((39 * s1**2 + 59 * s2**2) / 98)
    assert ell["hedges_g"] == pytest.approx((2.3 - 2.7) / pooled * (1 - 3 / (4 * 100 - 9)), abs=0.005)


def _wilson(x: int, n: int, z: float = 1.959964) -> tuple[float, float]:
    p = x / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def _sd(threes: int, n: int) -> float:
    values = [3.0] * threes + [2.0] * (n - threes)
    return pd.Series(values).std(ddof=1)


def test_reference_all_and_named(hand_district):
    all_ref = run_raw(hand_district, "equity_gaps", {"group_by": "is_ell", "reference": "all"}).set_index("group_value")
    assert all_ref.loc["true", "reference_pct"] == 54.0 and all_ref.loc["true", "reference_n"] == 100
    named = run_raw(hand_district, "equity_gaps", {"group_by": "is_ell", "reference": "false"}).set_index("group_value")
    assert named.loc["true", "gap_pp"] == -40.0 and named.loc["false", "gap_pp"] == 0.0


def test_boolean_groups_print_true_false(hand_district):
    assert set(run_raw(hand_district, "equity_gaps", {"group_by": "is_ell"})["group_value"]) == {"true", "false"}


def test_group_by_outside_allow_list_is_refused(hand_district):
    with pytest.raises(QueryError, match="group_by must be one of"):
        run_raw(hand_district, "equity_gaps", {"group_by": "last_name"})


def test_board_audience_gets_release_rows_not_live_ones(hand_district):
    gated = run_query(hand_district, "board_gaps", {"group_by": "race_ethnicity"}, audience="board")
    assert "suppressed" in gated and set(gated.columns) >= {"gap_pp", "gap_low", "gap_high"}
    assert "hedges_g" not in gated  # mean scores are not part of the public release (docs/privacy.md)
    with pytest.raises(NotInRelease):
        run_query(hand_district, "equity_gaps", {"group_by": "race_ethnicity"}, audience="board")


# ---------------------------------------------------------------- the demo, recomputed independently


def decaying_scores(scores: pd.DataFrame, weight: float) -> pd.DataFrame:
    """Per student x standard: same-day scores averaged, then the decaying average by its recursive
    definition (each new piece gets weight w, the running score 1 - w), oldest first."""
    pieces = (
        scores.groupby(["student_id", "standard_code", "assessed_on"], as_index=False)["score"]
        .mean()
        .sort_values(["student_id", "standard_code", "assessed_on"])
    )
    results, key, running = {}, None, 0.0
    for student, standard, value in pieces[["student_id", "standard_code", "score"]].itertuples(index=False):
        if (student, standard) != key:
            key, running = (student, standard), value
        else:
            running = weight * value + (1 - weight) * running
        results[key] = running
    return pd.DataFrame([(s, c, v) for (s, c), v in results.items()], columns=["student_id", "standard_code", "score"])


def test_demo_gaps_match_independent_pandas(demo_con):
    config = district_config()
    year = demo_con.execute("select max(school_year) from scores").fetchone()[0]
    scores = demo_con.execute(
        "select student_id, standard_code, assessed_on, score from scores where school_year = $y and score is not null",
        {"y": year},
    ).df()
    standards = demo_con.execute("select standard_code, content_area from standards").df()
    enrollments = demo_con.execute("select * from enrollments where school_year = $y", {"y": year}).df()
    math_scores = scores.merge(standards, on="standard_code").query("content_area == 'math'")
    per_standard = decaying_scores(math_scores, config.decaying_weight)
    per_student = per_standard.groupby("student_id", as_index=False)["score"].mean()
    per_student = per_student.merge(enrollments, on="student_id")
    per_student["is_proficient"] = per_student["score"] >= config.proficiency_cut
    for group_by in ["is_ell", "is_iep", "is_econ_disadv", "race_ethnicity"]:
        values = per_student[group_by].map(lambda v: str(v).lower() if isinstance(v, bool) else v)
        query = run_raw(
            demo_con,
            "equity_gaps",
            {"school_year": year, "content_area": "math", "group_by": group_by, "method": "decaying_average"},
        ).set_index("group_value")
        for value, rows in per_student.groupby(values):
            others = per_student[values != value]
            pct = 100 * rows["is_proficient"].mean()
            gap = pct - 100 * others["is_proficient"].mean()
            assert query.loc[value, "n_students"] == len(rows), (group_by, value)
            assert query.loc[value, "pct_proficient"] == pytest.approx(pct, abs=0.01), (group_by, value)
            assert query.loc[value, "gap_pp"] == pytest.approx(gap, abs=0.01), (group_by, value)


def test_a_gap_that_narrowed_while_the_group_fell_is_not_closing_in_the_query(demo_con):
    """Asian students, grade 7 math, 2025-26: 80% -> 39% while others held; the gap "shrank", nobody caught up."""
    params = {"content_area": "math", "group_by": "race_ethnicity", "grade_level": "7"}
    rows = run_raw(demo_con, "gap_trend", params)
    asian = rows[(rows["group_value"] == "Asian") & (rows["school_year"] == "2025-26")].iloc[0]
    assert asian["pct_proficient"] < 40 and abs(asian["gap_pp"]) < abs(asian["prior_gap_pp"])
    assert asian["gap_verdict"] == NARROWED_BY_DECLINE and not asian["is_closing"]


def _independent_verdict(row, prior) -> str:
    """The rule of docs/numbers.md ("Closing"), written again from the rows' own figures."""
    if not row["is_change_significant"]:
        return "narrowed within chance" if abs(row["gap_pp"]) < abs(prior["gap_pp"]) else "widened within chance"
    if abs(row["gap_pp"]) >= abs(prior["gap_pp"]):
        return "widening"
    group_moved = row["pct_proficient"] - prior["pct_proficient"]
    others_moved = row["reference_pct"] - prior["reference_pct"]
    behind_moved, ahead_moved = (group_moved, others_moved) if prior["gap_pp"] < 0 else (others_moved, group_moved)
    return "closing" if behind_moved > 0 and ahead_moved >= 0 else "narrowed by decline"


@pytest.mark.parametrize("content_area", ["math", "ela"])
@pytest.mark.parametrize("group_by", ["race_ethnicity", "is_ell", "is_iep", "is_econ_disadv", "gender"])
def test_is_closing_agrees_with_the_page_sentence_on_every_row(demo_con, content_area, group_by):
    """Every group of the district and of each grade: the query's column, the rule and the sentence agree."""
    grades = run_raw(demo_con, "grade_levels")["grade_level"].tolist()
    for grade_level in [None, *grades]:
        _check_verdicts(demo_con, {"content_area": content_area, "group_by": group_by, "grade_level": grade_level})


def _check_verdicts(demo_con, params: dict) -> None:
    raw = run_raw(demo_con, "gap_trend", params).sort_values(["group_value", "school_year"])
    checked = 0
    for _, rows in raw.groupby("group_value"):
        for prior, row in zip(rows.to_dict("records"), rows.iloc[1:].to_dict("records"), strict=False):
            if abs(abs(row["gap_pp"]) - abs(prior["gap_pp"])) < 0.2:
                continue  # a tie after rounding to 0.1 points: the unrounded figures decide
            assert row["gap_verdict"] == _independent_verdict(row, prior), (row["group_value"], row["school_year"])
            assert row["is_closing"] == (row["gap_verdict"] == CLOSING)
            checked += 1
    assert checked > 0, params
    gated = run_query(demo_con, "gap_trend", params)
    for group, rows in gated.groupby("group_value"):
        change = gap_change(rows, str(group))
        said = " ".join(gap_sentences(rows, str(group)))
        latest_is_closing = bool(rows.sort_values("school_year").iloc[-1]["is_closing"] is True)
        assert (change is not None and change.verdict == CLOSING) == latest_is_closing, group
        assert ("The gap is closing" in said) == latest_is_closing, group


@pytest.mark.parametrize("group_by", ["race_ethnicity", "is_ell"])
def test_every_method_in_one_statement_equals_each_method_asked_alone(demo_con, group_by):
    """The method comparison reads all seven methods in one query (equity_gaps_by_method), through the gate,
    with the same rows and the same suppression as seven equity_gaps queries."""
    from warehouse.config import METHODS

    params = {"group_by": group_by, "content_area": "ela"}
    every = run_query(demo_con, "equity_gaps_by_method", params)
    assert set(every["method"]) == set(METHODS)
    for method in METHODS:
        alone = run_query(demo_con, "equity_gaps", {**params, "method": method}).reset_index(drop=True)
        together = every[every["method"] == method].reset_index(drop=True)[alone.columns]
        pd.testing.assert_frame_equal(together.astype(str), alone.astype(str), check_dtype=False)


def test_the_method_tab_compares_every_method_side_by_side(demo_db, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from warehouse import REPO_ROOT
    from warehouse.config import METHODS

    monkeypatch.setenv("DASHBOARD_DB", str(demo_db))
    at = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=120).run()
    at.switch_page("app_pages/equity_gaps.py").run()
    at.session_state["gaps_tab"] = "Calculation methods"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    comparison = next(d.value for d in at.dataframe if "methods disagree?" in d.value.columns)
    assert set(METHODS.values()) <= set(comparison.columns)
