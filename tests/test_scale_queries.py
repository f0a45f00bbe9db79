"""Queries reshaped for ten million scores answer exactly as the ones they replace (issue "scale").

The board asks once per grouping for every content area (board_gaps, board_gap_change with no content area)
instead of once per grouping and area; PLC teams and course teams are read from marts built with the load
(etl/marts/mart_plc_teams.sql, mart_plc_course_students.sql) instead of from the scores. Each is checked here
against the definition it replaces, on the demo district, after the privacy gate.
"""

from __future__ import annotations

import pandas as pd
import pytest

from queries.privacy import apply_gate
from queries.runner import FULL_SCOPE, Scope, load_query, run_query

GROUPINGS = ("is_ell", "is_iep", "is_econ_disadv")


def board(con, name: str, params: dict, scope: Scope = FULL_SCOPE) -> pd.DataFrame:
    """The live board queries at the strictest live gate (the board audience itself reads the public release,
    tests/test_release_leaks.py)."""
    return run_query(con, name, params, scope, audience="leader")


def rows_of(frame: pd.DataFrame, area: str) -> pd.DataFrame:
    return frame[frame["content_area"] == area].reset_index(drop=True)


@pytest.mark.parametrize("group_by", GROUPINGS)
def test_board_gaps_are_equity_gaps_for_every_content_area(demo_con, group_by):
    areas = demo_con.execute("select distinct content_area from mart_content_status").df()["content_area"]
    for method in ("decaying_average", "mode"):
        every_area = board(demo_con, "board_gaps", {"school_year": "2025-26", "group_by": group_by, "method": method})
        assert set(every_area["content_area"]) == set(areas)
        for area in areas:
            one = board(
                demo_con,
                "equity_gaps",
                {"school_year": "2025-26", "content_area": area, "group_by": group_by, "method": method},
            )
            pd.testing.assert_frame_equal(rows_of(every_area, area), one.reset_index(drop=True), check_dtype=False)


def test_board_gaps_keep_the_viewer_scope(demo_con):
    school = demo_con.execute("select min(school_id) from enrollments").fetchone()[0]
    scope = Scope("principal", (school,))
    every_area = board(demo_con, "board_gaps", {"group_by": "is_ell"}, scope)
    one = board(demo_con, "equity_gaps", {"content_area": "math", "group_by": "is_ell"}, scope)
    pd.testing.assert_frame_equal(rows_of(every_area, "math"), one.reset_index(drop=True), check_dtype=False)


@pytest.mark.parametrize("group_by", GROUPINGS)
def test_a_gap_change_for_every_area_is_each_area_s_gap_change(demo_con, group_by):
    params = {"group_by": group_by, "from_year": "2023-24", "to_year": "2025-26", "method": "decaying_average"}
    every_area = board(demo_con, "board_gap_change", params)
    assert every_area["content_area"].nunique() > 1
    for area in every_area["content_area"].unique():
        one = board(demo_con, "board_gap_change", {**params, "content_area": area})
        pd.testing.assert_frame_equal(rows_of(every_area, area), one.reset_index(drop=True), check_dtype=False)


# The definition plc_teams had before mart_plc_teams: the school's grades and courses read from the scores.
TEAMS_FROM_SCORES = """
with grade_teams as (
    select distinct 'grade' as team_type, e.grade_level, null::varchar as course_id, c.content_area,
        c.continuum_level
    from enrollments as e
    join mart_continuum_grades as c on c.grade_level = e.grade_level
    where e.school_year = $school_year and e.school_id = $school_id
),
course_scores as (
    select s.course_id, st.content_area, st.continuum_level, s.assessed_on
    from scores as s join standards as st on st.standard_code = s.standard_code
    where s.school_year = $school_year and s.school_id = $school_id and s.course_id is not null
      and st.content_area is not null and st.continuum_level is not null
),
course_teams as (
    select 'course' as team_type, null::integer as grade_level, course_id, content_area, continuum_level
    from (select course_id, content_area, continuum_level, count(*) as n from course_scores group by all)
    qualify row_number() over (partition by course_id order by n desc, content_area, continuum_level) = 1
),
grade_dates as (
    select e.grade_level, st.content_area, min(s.assessed_on) as first_assessed_on,
        max(s.assessed_on) as last_assessed_on
    from scores as s
    join enrollments as e on e.school_year = s.school_year and e.student_id = s.student_id
    join standards as st on st.standard_code = s.standard_code
    where s.school_year = $school_year and e.school_id = $school_id and s.assessed_on is not null
    group by all
),
course_dates as (
    select course_id, min(assessed_on) as first_assessed_on, max(assessed_on) as last_assessed_on
    from course_scores group by all
)
select t.team_type, t.grade_level, t.course_id, t.content_area, t.continuum_level,
    coalesce(g.first_assessed_on, c.first_assessed_on) as first_assessed_on,
    coalesce(g.last_assessed_on, c.last_assessed_on) as last_assessed_on
from (select * from grade_teams union all select * from course_teams) as t
left join grade_dates as g on t.team_type = 'grade' and g.grade_level = t.grade_level
    and g.content_area = t.content_area
left join course_dates as c on t.team_type = 'course' and c.course_id = t.course_id
"""

TEAM_COLUMNS = [
    "team_type",
    "grade_level",
    "course_id",
    "content_area",
    "continuum_level",
    "first_assessed_on",
    "last_assessed_on",
]


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[TEAM_COLUMNS].sort_values(TEAM_COLUMNS[:4]).reset_index(drop=True)


def test_plc_teams_read_from_the_mart_are_the_teams_of_the_scores(demo_con):
    """Where a course's scores are split evenly between two content areas or levels (a tie) either may be
    called the course's; the demo has no such course, so the comparison is exact."""
    pairs = demo_con.execute("select distinct school_year, school_id from enrollments").fetchall()
    assert pairs
    for year, school in pairs:
        params = {"school_year": year, "school_id": school}
        mart = run_query(demo_con, "plc_teams", params)
        scores = demo_con.execute(TEAMS_FROM_SCORES, params).df()
        pd.testing.assert_frame_equal(_sorted(mart), _sorted(scores), check_dtype=False)


def test_plc_teams_keep_the_viewer_scope(demo_con):
    school, other = demo_con.execute("select min(school_id), max(school_id) from enrollments").fetchone()
    assert not run_query(demo_con, "plc_teams", {"school_id": school}).empty
    assert run_query(demo_con, "plc_teams", {"school_id": school}, Scope("plc_facilitator", (other,))).empty


def test_a_course_team_is_every_student_marked_in_the_course_by_the_date(demo_con):
    course = demo_con.execute("""
        select school_year, school_id, course_id, median(assessed_on) as as_of
        from scores where course_id is not null and assessed_on is not null
        group by all order by count(*) desc limit 1""").fetchone()
    year, school, course_id, as_of = course
    team = demo_con.execute(
        "select student_id from plc_team(null, $y, $s, null, $c, $d) order by student_id",
        {"y": year, "s": school, "c": course_id, "d": as_of},
    ).df()
    marked = demo_con.execute(
        """
        select distinct e.student_id from enrollments as e join scores as s using (school_year, student_id)
        where e.school_year = $y and e.school_id = $s and s.school_id = $s and s.course_id = $c
          and s.assessed_on <= $d
        order by e.student_id""",
        {"y": year, "s": school, "c": course_id, "d": as_of},
    ).df()
    assert len(team) > 0
    pd.testing.assert_frame_equal(team, marked)


def test_the_combined_board_queries_pass_the_gate_per_area(demo_con):
    """One frame of every area is gated as the frames of each area were: siblings are one grouping in one
    content area, so hiding a cell in one area never hides or reveals a cell of another."""
    spec = load_query("board_gaps").privacy
    assert {"content_area", "group_by"} <= set(spec.siblings)
    assert {"content_area", "group_by"} <= set(load_query("board_gap_change").privacy.siblings)
    raw = demo_con.execute(
        "select 'math' as content_area, 'x' as group_by, * from (values (5, 'true'), "
        "(50, 'false')) as t(n_students, group_value)"
    ).df()
    both = pd.concat([raw, raw.assign(content_area="ela", n_students=[50, 60])], ignore_index=True)
    gated = apply_gate(both, spec, "board")
    assert gated["suppressed"].tolist() == [True, True, False, False]
