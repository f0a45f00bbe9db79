"""Continuum coverage, never-assessed standards, opportunity to learn, continuum position and growth.

Known answers on a small hand-built continuum and evidence set loaded by the real loader; the demo district
recomputed independently with pandas from the raw tables; the privacy gate and the viewer's scope on every
query; and the Continuum page driven by AppTest.
"""

from __future__ import annotations

import math
import statistics
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from etl import demo_district
from queries.runner import NotInRelease, Scope, load_query, run_query, run_raw
from tests.conftest import load
from warehouse.config import district_config

REPO = Path(__file__).resolve().parents[1]
YEAR = "2025-26"
Z = 1.959964

CONTINUUM = """standard_code,framework,content_area,strand,continuum_level,description
M.2.A.1,TEST,math,A,2,Level two A one
M.2.A.2,TEST,math,A,2,Level two A two
M.3.A.1,TEST,math,A,3,Level three A one
M.3.A.2,TEST,math,A,3,Level three A two
M.3.B.1,TEST,math,B,3,Level three B one
M.3.B.2,TEST,math,B,3,Level three B two
M.4.A.1,TEST,math,A,4,Level four A one
M.4.A.2,TEST,math,A,4,Level four A two
E.3.R.1,TEST,ela,R,3,Reading three one
E.3.R.2,TEST,ela,R,3,Reading three two
E.9.R.1,TEST,ela,R,9,Reading band 9-10 one
E.9.R.2,TEST,ela,R,9,Reading band 9-10 two
"""
# 01-04 in grade 3 at S1, 05 in grade 4 at S1, 06 in grade 3 at S2, 07 in grade 10 at S3 (ELA taught from the
# 9-10 band stored at level 9); 08 was in grade 3 at S1 the year before.
ROSTER = """school_year,student_id,school_id,grade_level,gender,race_ethnicity,is_ell,is_iep,is_504,is_econ_disadv
2025-26,01,S1,3,Female,Hispanic or Latino,true,false,false,true
2025-26,02,S1,3,Male,White,false,true,false,false
2025-26,03,S1,3,Female,White,false,false,false,false
2025-26,04,S1,3,Male,Asian,true,false,false,true
2025-26,05,S1,4,Female,White,false,false,false,false
2025-26,06,S2,3,Male,White,false,false,false,false
2025-26,07,S3,10,Female,White,false,false,false,false
2024-25,08,S1,3,Male,White,false,false,false,false
"""
GRADEBOOK = """student_id,school_year,term,assessed_on,school_id,course_id,section_id,teacher_id,standard_code,score,mark,assessment_type
01,2025-26,T1,2025-09-10,S1,MATH3,3A,T1,M.3.A.1,3,3,formative
01,2025-26,T1,2025-10-10,S1,MATH3,3A,T1,M.3.A.1,3,3,formative
01,2025-26,T2,2025-12-10,S1,MATH3,3A,T1,M.3.A.1,4,4,summative
01,2025-26,T2,2025-12-10,S1,MATH3,3A,T1,M.3.A.1,2,2,summative
01,2025-26,T1,2025-09-12,S1,MATH3,3A,T1,M.3.A.2,2,2,formative
01,2025-26,T1,2025-10-12,S1,MATH3,3A,T1,M.3.A.2,3,3,formative
01,2025-26,T2,2025-12-12,S1,MATH3,3A,T1,M.3.A.2,4,4,summative
02,2025-26,T1,2025-09-10,S1,MATH3,3A,T1,M.3.A.1,1,1,formative
02,2025-26,T2,2025-12-10,S1,MATH3,3A,T1,M.3.A.1,2,2,summative
02,2025-26,T1,2025-09-15,S1,MATH3,3A,T1,M.3.B.1,,IE,formative
02,2025-26,T1,2025-10-01,S1,INT3,3I,T7,M.2.A.1,4,4,formative
02,2025-26,T1,2025-10-02,S1,INT3,3I,T7,M.2.A.2,4,4,formative
03,2025-26,T1,2025-09-10,S1,MATH3,3A,T1,M.3.A.1,4,4,formative
03,2025-26,T1,2025-09-15,S1,MATH3,3B,T2,M.3.B.1,3,3,formative
03,2025-26,T2,2025-11-01,S1,EXT3,3E,T8,M.4.A.1,4,4,formative
03,2025-26,T2,2025-11-02,S1,EXT3,3E,T8,M.4.A.2,3,3,formative
05,2025-26,T1,2025-09-10,S1,MATH4,4A,T3,M.4.A.1,3,3,formative
06,2025-26,T1,2025-09-10,S2,MATH3,3X,T5,M.3.B.2,2,2,formative
06,2025-26,T1,2025-09-11,S2,MATH3,3X,T5,M.3.A.1,3,3,formative
07,2025-26,T1,2025-09-10,S3,ELA10,10A,T6,E.9.R.1,3,3,formative
08,2024-25,T1,2024-09-10,S1,MATH3,3A,T1,M.3.B.2,3,3,formative
"""
NEW_QUERIES = [
    "continuum_coverage",
    "never_assessed",
    "opportunity_to_learn",
    "continuum_position_distribution",
    "continuum_position_heatmap",
    "standard_growth",
]


@pytest.fixture
def hand(con, tmp_path):
    for name, text in (("continuum", CONTINUUM), ("roster", ROSTER), ("gradebook", GRADEBOOK)):
        (tmp_path / f"{name}.csv").write_text(text)
        load(con, name, tmp_path / f"{name}.csv")
    return con


def rows(frame: pd.DataFrame, *keys: str) -> dict:
    return {tuple(r[k] for k in keys): r for _, r in frame.iterrows()}


# ---------------------------------------------------------------- coverage: known answers


def test_coverage_known_answers_per_school_grade_and_content_area(hand):
    frame = run_raw(hand, "continuum_coverage", {"min_evidence": 3})
    by_key = rows(frame, "school_id", "grade_level", "content_area")
    # grade 10 has no math level within reach (levels 2-4 only), so no row; S3 grade 10 ELA uses the 9-10 band
    assert set(by_key) == {
        ("S1", 3, "math"),
        ("S1", 3, "ela"),
        ("S1", 4, "math"),
        ("S1", 4, "ela"),
        ("S2", 3, "math"),
        ("S2", 3, "ela"),
        ("S3", 10, "ela"),
    }
    s1 = by_key[("S1", 3, "math")]
    # M.3.A.1: 01 (3 pieces: the two marks of 2025-12-10 are one), 02 (2), 03 (1) -> 6 / 3 students = 2 < 3
    # M.3.A.2: 01 (3 pieces) -> sufficient; M.3.B.1: 03 (02's IE is no evidence); M.3.B.2: nobody at S1
    assert (s1["n_students"], s1["n_standards"], s1["n_assessed"], s1["n_sufficient"]) == (4, 4, 3, 1)
    assert s1["pct_standards_assessed"] == 75.0 and s1["pct_standards_sufficient"] == 25.0
    assert s1["n_evidence"] == 10
    assert s1["evidence_per_student_standard"] == pytest.approx(10 / 16, abs=5e-4)
    assert s1["evidence_per_assessed"] == pytest.approx(10 / 5, abs=5e-3)
    # 03's level-4 evidence does not count for grade 4: only 05's does
    assert (by_key[("S1", 4, "math")]["n_assessed"], by_key[("S1", 4, "math")]["n_standards"]) == (1, 2)
    assert by_key[("S1", 3, "ela")]["n_assessed"] == 0 and by_key[("S1", 3, "ela")]["pct_standards_assessed"] == 0
    assert by_key[("S2", 3, "math")]["pct_standards_assessed"] == 50.0
    band = by_key[("S3", 10, "ela")]
    assert (band["continuum_level"], band["n_standards"], band["n_assessed"]) == (9, 2, 1)
    assert (by_key[("S1", 4, "ela")]["continuum_level"], by_key[("S1", 3, "math")]["continuum_level"]) == (3, 3)


def test_min_evidence_term_and_strand(hand):
    lower = rows(run_raw(hand, "continuum_coverage", {"min_evidence": 2}), "school_id", "grade_level", "content_area")
    assert lower[("S1", 3, "math")]["n_sufficient"] == 2  # M.3.A.1 now reaches 6 / 3 = 2
    term = rows(run_raw(hand, "continuum_coverage", {"term": "T1"}), "school_id", "grade_level", "content_area")
    t1 = term[("S1", 3, "math")]
    # T1 pieces: 01 on A.1 (2) and A.2 (2), 02 on A.1 (1), 03 on A.1 and B.1 (1 each)
    assert (t1["n_assessed"], t1["n_sufficient"], t1["n_evidence"]) == (3, 0, 7)
    strands = run_raw(
        hand, "continuum_coverage", {"detail": "strand", "school_id": "S1", "grade_level": 3, "content_area": "math"}
    )
    got = {r["strand"]: (r["n_standards"], r["n_assessed"]) for _, r in strands.iterrows()}
    assert got == {"A": (2, 2), "B": (2, 1)}


def test_district_course_and_teacher_scopes(hand):
    district = rows(run_raw(hand, "continuum_coverage", {"by": "district"}), "grade_level", "content_area")
    assert district[(3, "math")]["school_id"] is None
    assert (district[(3, "math")]["n_students"], district[(3, "math")]["n_assessed"]) == (5, 4)  # B.2 at S2
    courses = run_raw(hand, "continuum_coverage", {"by": "course", "school_id": "S1"})
    # INT3 and EXT3 marked grade-3 students on other levels' standards only: no grade-level row
    assert set(zip(courses["course_id"], courses["grade_level"])) == {("MATH3", 3), ("MATH4", 4)}
    math3 = courses[courses["course_id"] == "MATH3"].iloc[0]
    assert (math3["n_students"], math3["n_assessed"], math3["n_evidence"]) == (3, 3, 10)  # 04 has no mark there
    teachers = rows(
        run_raw(
            hand, "continuum_coverage", {"by": "teacher", "school_id": "S1", "grade_level": 3, "content_area": "math"}
        ),
        "teacher_id",
    )
    assert (teachers[("T1",)]["n_students"], teachers[("T1",)]["n_assessed"]) == (3, 2)  # B.1 only as IE
    assert (teachers[("T2",)]["n_students"], teachers[("T2",)]["n_assessed"]) == (1, 1)
    chosen = run_raw(hand, "continuum_coverage", {"course_id": "MATH3", "content_area": "math"})
    assert set(zip(chosen["school_id"], chosen["n_students"])) == {("S1", 3), ("S2", 1)}
    assert set(chosen["course_id"]) == {"MATH3"}


# ---------------------------------------------------------------- never assessed


def test_never_assessed_known_answers(hand):
    district = run_raw(hand, "never_assessed", {})
    assert set(district["standard_code"]) == {"E.3.R.1", "E.3.R.2", "M.4.A.2", "E.9.R.2"}
    listed = rows(district, "standard_code")
    assert listed[("E.3.R.1",)]["grade_levels"] == "3, 4"  # ELA level 3 serves grades 3 and 4 here
    assert (listed[("E.9.R.2",)]["grade_levels"], listed[("E.9.R.2",)]["continuum_level"]) == ("10", 9)
    assert (listed[("M.4.A.2",)]["strand"], listed[("M.4.A.2",)]["description"]) == ("A", "Level four A two")
    by_school = run_raw(hand, "never_assessed", {"by": "school"})
    s1 = by_school[by_school["school_id"] == "S1"]
    assert set(s1["standard_code"]) == {"M.3.B.2", "M.4.A.2", "E.3.R.1", "E.3.R.2"}
    # 08 in grade 3 at S1 had evidence on M.3.B.2 the year before
    assert s1.set_index("standard_code").loc["M.3.B.2", "last_assessed_year"] == "2024-25"
    s2 = by_school[by_school["school_id"] == "S2"]
    assert set(s2["standard_code"]) == {"M.3.A.2", "M.3.B.1", "E.3.R.1", "E.3.R.2"}
    teacher = run_raw(
        hand, "never_assessed", {"by": "teacher", "school_id": "S1", "grade_level": 3, "content_area": "math"}
    )
    assert set(teacher.loc[teacher["teacher_id"] == "T2", "standard_code"]) == {"M.3.A.1", "M.3.A.2", "M.3.B.2"}


# ---------------------------------------------------------------- opportunity to learn


def test_opportunity_to_learn_known_answers(hand):
    frame = rows(run_raw(hand, "opportunity_to_learn", {"group_by": "is_ell", "content_area": "math"}), "group_value")
    # per student (pieces, standards of their grade's level, assessed, with >= 3 pieces):
    # ELL 01 (6, 4, 2, 2) and 04 (0, 4, 0, 0); others 02 (2, 4, 1, 0), 03 (2, 4, 2, 0), 05 (1, 2, 1, 0),
    # 06 (2, 4, 2, 0). 07 (grade 10) has no math level within reach.
    ell_rate, other_rate = [6 / 4, 0.0], [2 / 4, 2 / 4, 1 / 2, 2 / 4]
    ell_sufficient, other_sufficient = [2 / 4, 0.0], [0.0, 0.0, 0.0, 0.0]
    ell, other = frame[("true",)], frame[("false",)]
    assert (ell["n_students"], ell["reference_n"], other["n_students"]) == (2, 4, 4)
    assert ell["evidence_per_student"] == 3.0 and other["evidence_per_student"] == pytest.approx(7 / 4, abs=5e-3)
    assert ell["evidence_per_student_standard"] == pytest.approx(statistics.mean(ell_rate), abs=5e-4)
    assert other["evidence_per_student_standard"] == pytest.approx(statistics.mean(other_rate), abs=5e-4)
    assert ell["pct_standards_assessed"] == pytest.approx(100 * statistics.mean([2 / 4, 0]), abs=5e-3)
    assert other["pct_standards_assessed"] == pytest.approx(
        100 * statistics.mean([1 / 4, 2 / 4, 1 / 2, 2 / 4]), abs=5e-3
    )
    assert (ell["pct_standards_sufficient"], other["pct_standards_sufficient"]) == (25.0, 0.0)
    gap = statistics.mean(ell_rate) - statistics.mean(other_rate)
    half = Z * math.sqrt(statistics.variance(ell_rate) / 2 + statistics.variance(other_rate) / 4)
    assert ell["evidence_gap"] == pytest.approx(gap, abs=5e-4)
    assert (ell["evidence_gap_low"], ell["evidence_gap_high"]) == (
        pytest.approx(gap - half, abs=5e-4),
        pytest.approx(gap + half, abs=5e-4),
    )
    assert bool(ell["evidence_gap_significant"]) == (abs(gap) > half)
    sufficient_gap = statistics.mean(ell_sufficient) - statistics.mean(other_sufficient)
    assert ell["sufficient_gap_pp"] == pytest.approx(100 * sufficient_gap, abs=5e-3)
    half = Z * math.sqrt(statistics.variance(ell_sufficient) / 2 + statistics.variance(other_sufficient) / 4)
    assert ell["sufficient_gap_high"] == pytest.approx(100 * (sufficient_gap + half), abs=5e-3)


def test_opportunity_to_learn_passes_the_gate(hand):
    gated = run_query(hand, "opportunity_to_learn", {"group_by": "is_ell", "content_area": "math"}, audience="leader")
    assert gated["suppressed"].all()  # 2 and 4 students: under the minimum of 10
    assert set(gated["n_students"]) == {"n<10"}
    figures = [
        "evidence_per_student",
        "evidence_per_student_standard",
        "pct_standards_sufficient",
        "evidence_gap",
        "sufficient_gap_pp",
        "reference_n",
    ]
    assert gated[figures].isna().all().all()


def test_course_choice_restricts_the_students_and_evidence(hand):
    frame = run_raw(hand, "opportunity_to_learn", {"group_by": "all", "content_area": "math", "course_id": "MATH3"})
    row = frame.iloc[0]
    # MATH3's students with a mark on their grade's standards: 01, 02, 03 at S1 and 06 at S2
    assert row["n_students"] == 4 and row["evidence_per_student"] == pytest.approx((6 + 2 + 2 + 2) / 4, abs=5e-3)


def test_term_counts_that_term_only_for_every_enrolled_student(hand):
    frame = rows(
        run_raw(hand, "opportunity_to_learn", {"group_by": "is_ell", "content_area": "math", "term": "T1"}),
        "group_value",
    )
    # T1 pieces: 01 A.1 2 + A.2 2, 04 none | 02 A.1 1 (B.1 only IE), 03 A.1 1 + B.1 1, 05 1, 06 2
    assert (frame[("true",)]["n_students"], frame[("false",)]["n_students"]) == (2, 4)
    assert frame[("true",)]["evidence_per_student"] == pytest.approx((4 + 0) / 2, abs=5e-3)
    assert frame[("false",)]["evidence_per_student"] == pytest.approx((1 + 2 + 1 + 2) / 4, abs=5e-3)
    assert frame[("true",)]["pct_standards_sufficient"] == 0.0  # two T1 pieces each: under 3


# ---------------------------------------------------------------- continuum position


def test_continuum_position_known_answers(hand):
    positions = hand.execute(
        "select student_id, content_area, position_level, grade_continuum_level, position "
        "from continuum_position('most_recent', 3.0) where school_year = '2025-26'"
    ).df()
    got = {
        (r.student_id, r.content_area): (r.position, None if pd.isna(r.position_level) else int(r.position_level))
        for r in positions.itertuples()
    }
    assert got == {
        ("01", "math"): ("at", 3),  # level 3: 3.0 (latest day's mean) and 4.0, both proficient
        ("02", "math"): ("below", 2),  # level 3: 2.0 not proficient; level 2: 4 and 4
        ("03", "math"): ("above", 4),  # level 3: 4, 3; level 4: 4, 3
        ("05", "math"): ("at", 4),
        ("06", "math"): ("none", None),  # level 3: one of two proficient is not most
        ("07", "ela"): ("at", 9),  # grade 10 is taught from the 9-10 band at level 9
    }
    lower_cut = hand.execute(
        "select student_id, position from continuum_position('most_recent', 2.0) "
        "where school_year = '2025-26' and content_area = 'math'"
    ).df()
    assert dict(zip(lower_cut["student_id"], lower_cut["position"]))["02"] == "at"


def test_majority_score_is_the_middle_of_the_sorted_scores(hand):
    mart = hand.execute("select * from mart_continuum_position where method = 'most_recent'").df()
    scores = hand.execute(
        "select school_year, student_id, content_area, continuum_level, score_most_recent "
        "from mart_standard_scores where term is null"
    ).df()
    for _, row in mart.iterrows():
        mine = scores[
            (scores["school_year"] == row["school_year"])
            & (scores["student_id"] == row["student_id"])
            & (scores["content_area"] == row["content_area"])
            & (scores["continuum_level"] == row["continuum_level"])
        ]["score_most_recent"]
        ordered = sorted(mine, reverse=True)
        assert row["n_assessed"] == len(ordered)
        assert row["majority_score"] == ordered[len(ordered) // 2]
        # proficient on most standards at any cut exactly when the majority score reaches it
        for cut in (2.0, 3.0, 4.0):
            assert (row["majority_score"] >= cut) == (sum(s >= cut for s in ordered) > len(ordered) / 2)


def test_position_distribution_and_heatmap(hand):
    params = {"content_area": "math", "method": "most_recent", "cut": 3.0}
    dist = run_raw(hand, "continuum_position_distribution", params)
    grade3 = dist[dist["grade_level"] == 3].iloc[0]
    assert (grade3["n_students"], grade3["n_below"], grade3["n_at"], grade3["n_above"], grade3["n_none"]) == (
        4,
        1,
        1,
        1,
        1,
    )
    assert grade3["pct_below"] == 25.0 and dist["grade_level"].notna().all()
    overall = run_raw(hand, "continuum_position_distribution", {**params, "grades": "pooled"})
    assert len(overall) == 1 and overall["grade_level"].isna().all()
    assert (overall.iloc[0]["n_students"], overall.iloc[0]["n_at"]) == (5, 2)
    by_group = run_raw(hand, "continuum_position_distribution", {**params, "group_by": "is_iep", "grades": "pooled"})
    assert by_group.set_index("group_value")["n_below"].to_dict() == {"false": 0, "true": 1}
    heat = run_raw(hand, "continuum_position_heatmap", params)
    cells = {
        (r.grade_level, None if pd.isna(r.position_level) else int(r.position_level)): r.n_students
        for r in heat.itertuples()
    }
    assert cells == {(3, None): 1, (3, 2): 1, (3, 3): 1, (3, 4): 1, (4, 4): 1}
    assert set(heat.loc[heat["grade_level"] == 3, "n_grade"]) == {4}
    gated = run_query(hand, "continuum_position_heatmap", params, audience="leader")
    assert gated["suppressed"].all() and pd.to_numeric(gated["n_students"], errors="coerce").isna().all()
    with pytest.raises(NotInRelease):  # the board reads the public release, which has no heatmap
        run_query(hand, "continuum_position_heatmap", params, audience="board")


# ---------------------------------------------------------------- growth


def test_standard_growth_known_answers(hand):
    frame = run_raw(hand, "standard_growth", {"group_by": "all", "content_area": "math"})
    row = frame.iloc[0]
    # two or more pieces: 01 M.3.A.1 3 -> 3 (the last day's 4 and 2), 01 M.3.A.2 2 -> 4, 02 M.3.A.1 1 -> 2
    first = [statistics.mean([3, 2]), 1.0]
    latest = [statistics.mean([3, 4]), 2.0]
    assert (row["n_students"], row["n_student_standards"]) == (2, 3)
    assert row["mean_first"] == pytest.approx(statistics.mean(first), abs=5e-3)
    assert row["mean_latest"] == pytest.approx(statistics.mean(latest), abs=5e-3)
    assert row["mean_growth"] == pytest.approx(statistics.mean([1.0, 1.0]), abs=5e-4)
    assert row["pct_improved"] == 100.0
    by_iep = rows(run_raw(hand, "standard_growth", {"group_by": "is_iep", "content_area": "math"}), "group_value")
    assert by_iep[("true",)]["growth_gap"] == 0.0 and by_iep[("true",)]["reference_n"] == 1


# ---------------------------------------------------------------- every new query: header, scope, gate


@pytest.mark.parametrize("name", NEW_QUERIES)
def test_queries_declare_privacy_and_follow_the_viewer_scope(hand, name):
    query = load_query(name)
    assert "school_ids" in query.sql and query.privacy.kind in ("students", "none")
    everything = run_raw(hand, name, {})
    narrowed = run_raw(hand, name, {}, Scope("principal", ("S2",)))
    if "school_id" in narrowed and narrowed["school_id"].notna().any():
        assert set(narrowed["school_id"].dropna()) == {"S2"}
    if "n_students" in narrowed and not narrowed.empty:
        assert pd.to_numeric(narrowed["n_students"]).sum() < pd.to_numeric(everything["n_students"]).sum()
    if name == "never_assessed":  # in S2's own view, S2's gaps are the district's
        assert set(narrowed["standard_code"]) == {"M.3.A.2", "M.3.B.1", "E.3.R.1", "E.3.R.2"}
    nobody = run_raw(hand, name, {}, Scope("principal", ("no such school",)))
    assert nobody.empty


def test_never_assessed_is_a_list_of_standards_only():
    spec = load_query("never_assessed").privacy
    assert spec.kind == "none"
    columns = load_query("never_assessed").sql.split("final as (")[1]
    assert "student_id" not in columns and "n_students" not in columns


# ---------------------------------------------------------------- the demo, recomputed independently


@pytest.fixture(scope="module")
def demo_tables(demo_db):
    import warehouse

    con = warehouse.connect(demo_db, read_only=True)
    try:
        year = con.execute("select max(school_year) from enrollments").fetchone()[0]
        scores = con.execute(
            "select student_id, standard_code, assessed_on from scores where school_year = $y and score is not null",
            {"y": year},
        ).df()
        enrollments = con.execute(
            "select student_id, school_id, grade_level from enrollments where school_year = $y", {"y": year}
        ).df()
        standards = con.execute("select standard_code, content_area, continuum_level from standards").df()
    finally:
        con.close()
    return year, scores, enrollments, standards


def test_demo_coverage_matches_an_independent_recount(demo_con, demo_tables):
    year, scores, enrollments, standards = demo_tables
    min_evidence = district_config().min_evidence
    pieces = scores.drop_duplicates().merge(enrollments, on="student_id").merge(standards, on="standard_code")
    per_standard = (
        pieces.groupby(["school_id", "grade_level", "content_area", "continuum_level", "standard_code"])
        .agg(students=("student_id", "nunique"), pieces=("student_id", "size"))
        .reset_index()
    )
    query = run_raw(demo_con, "continuum_coverage", {"school_year": year})
    query = query.set_index(["school_id", "grade_level", "content_area"])
    checked = 0
    for (school, grade), _ in enrollments.groupby(["school_id", "grade_level"]):
        for area, levels in standards.groupby("content_area"):
            # the definition; a grade with no standards at its own level (demo: ELA 10 and 12) is taught
            # from its band, which the demo stores at the band's first grade (9-10 -> 9, 11-12 -> 11)
            level = (
                grade
                if (levels["continuum_level"] == grade).any()
                else {10: 9, 12: 11}.get(grade)
                if area == "ela"
                else None
            )
            if level is None:
                assert (school, grade, area) not in query.index
                continue
            own = levels[levels["continuum_level"] == level]
            hits = per_standard[
                (per_standard["school_id"] == school)
                & (per_standard["grade_level"] == grade)
                & (per_standard["content_area"] == area)
                & (per_standard["continuum_level"] == level)
            ]
            n_assessed = len(hits)
            n_sufficient = int((hits["pieces"] >= min_evidence * hits["students"]).sum())
            row = query.loc[(school, grade, area)]
            assert (row["n_standards"], row["n_assessed"], row["n_sufficient"]) == (
                len(own),
                n_assessed,
                n_sufficient,
            ), (school, grade, area)
            assert row["pct_standards_assessed"] == 100 * n_assessed / len(own), (school, grade, area)
            assert row["n_evidence"] == hits["pieces"].sum()
            checked += 1
    assert checked == len(query) and checked > 90


def test_demo_planted_never_assessed_standards_are_found(demo_con, demo_tables):
    year = demo_tables[0]
    planted = {
        (code, grade, area)
        for (grade, area), codes in demo_district.NEVER_ASSESSED_LATEST_YEAR.items()
        for code in codes
    }
    found = run_raw(demo_con, "never_assessed", {"school_year": year})
    assert set(zip(found["standard_code"], found["continuum_level"], found["content_area"])) == planted
    assert set(found["last_assessed_year"]) == {demo_district.SCHOOL_YEARS[-2]}
    earlier = run_raw(demo_con, "never_assessed", {"school_year": demo_district.SCHOOL_YEARS[-2]})
    assert not {code for code, _, _ in planted} & set(earlier["standard_code"])
    # drilled to the course that teaches them (grade 10 geometry), they are still there
    geometry = run_raw(demo_con, "never_assessed", {"school_year": year, "course_id": "GEOM"})
    assert set(geometry["standard_code"]) == {code for code, grade, _ in planted if grade == 10}


def test_demo_positions_match_an_independent_recount(demo_con, demo_tables):
    year, _, enrollments, standards = demo_tables
    config = district_config()
    column = f"score_{config.calculation_method}"
    scores = demo_con.execute(
        f"select student_id, content_area, continuum_level, {column} as score "
        "from mart_standard_scores where term is null and school_year = $y and "
        "content_area is not null",
        {"y": year},
    ).df()
    scores["proficient"] = scores["score"] >= config.proficiency_cut
    share = scores.groupby(["student_id", "content_area", "continuum_level"])["proficient"].mean()
    levels = share[share > 0.5].reset_index()
    highest = levels.groupby(["student_id", "content_area"])["continuum_level"].max()
    students = scores[["student_id", "content_area"]].drop_duplicates().merge(enrollments, on="student_id")
    students["position_level"] = [highest.get((s, a)) for s, a in zip(students["student_id"], students["content_area"])]
    own_levels = standards.groupby("content_area")["continuum_level"].agg(set)

    def grade_level_of(area, grade):
        return max((lv for lv in own_levels[area] if grade - 3 <= lv <= grade), default=grade)

    students["grade_continuum_level"] = [
        grade_level_of(a, g) for a, g in zip(students["content_area"], students["grade_level"])
    ]
    students["position"] = [
        "none" if pd.isna(p) else "below" if p < g else "at" if p == g else "above"
        for p, g in zip(students["position_level"], students["grade_continuum_level"])
    ]
    for area in ("math", "ela"):
        query = run_raw(demo_con, "continuum_position_distribution", {"school_year": year, "content_area": area})
        expected = students[students["content_area"] == area]
        pooled = run_raw(
            demo_con, "continuum_position_distribution", {"school_year": year, "content_area": area, "grades": "pooled"}
        )
        for _, row in pd.concat([query, pooled]).iterrows():
            mine = expected if pd.isna(row["grade_level"]) else expected[expected["grade_level"] == row["grade_level"]]
            counts = mine["position"].value_counts()
            assert row["n_students"] == len(mine)
            assert [row[f"n_{p}"] for p in ("below", "at", "above", "none")] == [
                counts.get(p, 0) for p in ("below", "at", "above", "none")
            ], (area, row["grade_level"])
    # the planted pattern: students working below and above grade level are found
    assert (students["position"] == "below").sum() >= 30 and (students["position"] == "above").sum() >= 30


def test_demo_opportunity_to_learn_counts_every_enrolled_student(demo_con, demo_tables):
    year, _, enrollments, _ = demo_tables
    frame = run_raw(
        demo_con, "opportunity_to_learn", {"school_year": year, "group_by": "race_ethnicity", "content_area": "math"}
    )
    assert frame["n_students"].sum() == len(enrollments)  # math has a level for every grade K-12
    gated = run_query(
        demo_con,
        "opportunity_to_learn",
        {"school_year": year, "group_by": "race_ethnicity", "content_area": "math", "school_id": "101"},
    )
    small = gated[gated["suppressed"]]
    assert not small.empty and small["evidence_per_student_standard"].isna().all()
    assert set(small["n_students"]) == {"n<10"}


# ---------------------------------------------------------------- the page


def registered_entry():
    """The Continuum page's entry in ui/navigation.py, once the lead has added it."""
    from ui import navigation

    return next((p for p in navigation.PAGES if Path(p.path).name == "continuum.py"), None)


@pytest.fixture
def continuum_app(demo_db, tmp_path, monkeypatch):
    """dashboard.py with the Continuum page in its navigation: the app itself once the page is registered
    in ui/navigation.py; until then a wrapper beside a link to pages/ that appends the entry for its run."""
    monkeypatch.setenv("DASHBOARD_DB", str(demo_db))
    st.cache_data.clear()
    entry = registered_entry()
    if entry is None:
        (tmp_path / "pages").symlink_to(REPO / "pages", target_is_directory=True)
        script = tmp_path / "app.py"
        script.write_text(
            "import runpy\n"
            "from ui import navigation\n"
            "entry = navigation.PageEntry('app_pages/continuum.py', 'Continuum', ':material/linear_scale:',\n"
            "                             ('district_leader', 'principal', 'plc_facilitator', 'board'))\n"
            "original = navigation.PAGES\n"
            "navigation.PAGES = [*original, entry]\n"
            "try:\n"
            f"    runpy.run_path({str(REPO / 'dashboard.py')!r}, run_name='__main__')\n"
            "finally:\n"
            "    navigation.PAGES = original\n"
        )
    else:
        script = REPO / "dashboard.py"
    path = entry.path if entry is not None else "app_pages/continuum.py"

    def start(user: dict | None = None) -> AppTest | None:
        """The page as this viewer opens it; None when their role may not open it."""
        at = AppTest.from_file(str(script), default_timeout=120)
        if user is not None:
            at.user = user
        at.run()
        try:
            at.switch_page(path)
        except ValueError:  # not in this viewer's navigation
            return None
        return at.run()

    return start


def never_assessed_table(at) -> pd.DataFrame:
    """The page's never-assessed list (the charts' "Show data" tables come before it)."""
    return next(d.value for d in at.dataframe if "last_assessed_year" in d.value.columns)


def test_page_drills_from_district_to_school_to_course(continuum_app):
    at = continuum_app()
    assert at is not None and not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Continuum"
    headings = [s.value for s in at.subheader]
    assert headings[0].startswith("Coverage of the") and headings[1:] == [
        "Never assessed this year",
        "Opportunity to learn: are some students assessed less?",
        "Where students work on the continuum",
        "Growth within a standard",
    ]
    assert len(at.get("plotly_chart")) >= 6
    assert at.radio(key="continuum_view").options == ["Grade"]  # no courses or teachers before a school
    at.selectbox(key="continuum_area").set_value("math").run()
    never = never_assessed_table(at)
    planted_math = {
        code
        for (_, area), codes in demo_district.NEVER_ASSESSED_LATEST_YEAR.items()
        if area == "math"
        for code in codes
    }
    assert set(never["standard_code"]) == planted_math
    at.selectbox(key="continuum_school").set_value("301").run()
    assert at.radio(key="continuum_view").options == ["Grade", "Course", "Teacher"]
    assert "GEOM" in at.selectbox(key="continuum_course").options
    at.selectbox(key="continuum_course").set_value("GEOM").run()
    at.radio(key="continuum_view").set_value("course").run()
    assert not at.exception, [e.value for e in at.exception]
    never = never_assessed_table(at)
    assert set(never["standard_code"]) == {"CCSS.Math.Content.HSG.GPE.B.7", "CCSS.Math.Content.HSG.MG.A.3"}
    assert set(never["course_id"]) == {"GEOM"}
    continuum = demo_district.load_continuum()
    geometry = continuum[(continuum["content_area"] == "math") & (continuum["continuum_level"] == 10)]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Grade-level standards"] == str(len(geometry))  # GEOM is grade 10's course


def signed_in(monkeypatch, tmp_path, email: str, grant) -> dict:
    """An identity signed in through the real sign-in path (ui/auth.py), as tests/test_auth.py does."""
    auth = pytest.importorskip("ui.auth")
    import time

    import yaml

    access = tmp_path / "access.yaml"
    access.write_text(yaml.safe_dump({email: grant}))
    monkeypatch.setenv("DASHBOARD_AUTH", "required")
    monkeypatch.setenv("DASHBOARD_ACCESS", str(access))
    assert auth.VIEWER_KEY
    return {
        "is_logged_in": True,
        "email": email,
        "email_verified": True,
        "exp": int(time.time()) + 3600,
        "iss": "https://accounts.google.com",
        "provider": "google",
    }


def test_teacher_views_only_for_the_roles_that_may_see_them(continuum_app, monkeypatch, tmp_path):
    board = continuum_app(signed_in(monkeypatch, tmp_path, "board@district.org", {"role": "board"}))
    entry = registered_entry()
    if board is None:  # the navigation keeps the board off the page altogether
        assert entry is not None and "board" not in entry.roles
    else:
        assert not board.exception, [e.value for e in board.exception]
        board.selectbox(key="continuum_school").set_value("101").run()
        assert board.radio(key="continuum_view").options == ["Grade", "Course"]
        assert not [s for s in board.selectbox if s.key == "continuum_teacher"]

    principal = continuum_app(
        signed_in(monkeypatch, tmp_path, "principal@district.org", {"role": "principal", "schools": ["101"]})
    )
    assert principal is not None and not principal.exception, [e.value for e in principal.exception]
    assert principal.selectbox(key="continuum_school").options == ["All schools", "Maple Grove Elementary"]
    principal.selectbox(key="continuum_school").set_value("101").run()
    assert principal.radio(key="continuum_view").options == ["Grade", "Course", "Teacher"]
    teachers = principal.selectbox(key="continuum_teacher").options
    assert len(teachers) > 1 and all(t.startswith("T101-") for t in teachers[1:])
