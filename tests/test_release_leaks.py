"""Each leak the public release closes, named for the case (docs/privacy.md). The attack that checks every
hidden cell at once is tests/test_release_attack.py; these check the mechanisms one by one on the demo."""

from __future__ import annotations

import pandas as pd
import pytest

import warehouse
from queries.runner import NotInRelease, Scope, run_query

BOARD = Scope(role="board")


@pytest.fixture(scope="module")
def con(demo_db):
    connection = warehouse.connect(demo_db, read_only=True)
    yield connection
    connection.close()


def board(con, name, params=None):
    return run_query(con, name, params or {}, BOARD, audience="board")


@pytest.mark.parametrize(
    "name, params",
    [
        pytest.param("equity_gaps", {"group_by": "is_ell", "grade_level": 6}, id="across-queries-grade-within-school"),
        pytest.param("proficiency_trend", {"grade_level": 1, "group_by": "race_ethnicity"}, id="prior-year-by-grade"),
        pytest.param("proficiency_trend", {"group_by": "race_ethnicity", "group_by_2": "is_ell"}, id="crossed-groups"),
        pytest.param("proficiency_trend", {"method": "mean"}, id="another-method"),
        pytest.param("proficiency_trend", {"period": "term"}, id="terms"),
        pytest.param("continuum_position_heatmap", {}, id="heatmap-by-subtraction"),
        pytest.param("survey_role_gap", {"by": "school"}, id="survey-school-by-role"),
        pytest.param("survey_comments", {}, id="survey-comments"),
        pytest.param("plc_student_standards", {}, id="student-list"),
        pytest.param("plc_system_teams", {"school_year": "2025-26"}, id="plc-system-meeting-records"),
        pytest.param("plc_system_learning_participation", {}, id="plc-system-learning-offerings"),
        pytest.param("plc_system_learning_views", {"by": "school"}, id="plc-system-staff-views-of-modes"),
    ],
)
def test_a_board_request_outside_the_release_is_refused_in_one_line(con, name, params):
    with pytest.raises(NotInRelease) as refused:
        board(con, name, params)
    assert "\n" not in str(refused.value) and "release" in str(refused.value)


def test_a_leader_still_gets_the_live_query_the_board_is_refused(con):
    rows = run_query(con, "equity_gaps", {"group_by": "is_ell", "grade_level": 6}, Scope(), audience="leader")
    assert not rows.empty


def test_crossed_groups_are_not_published_against_their_margins(con):
    values = con.execute("select distinct group_value from release_proficiency").df()["group_value"]
    assert not values.str.contains(" x ").any()
    assert set(con.execute("select distinct group_by from release_proficiency").df()["group_by"]) == {
        "all",
        "gender",
        "race_ethnicity",
        "is_ell",
        "is_iep",
        "is_504",
        "is_econ_disadv",
    }


@pytest.mark.parametrize("query", ["proficiency_trend", "gap_trend"])
def test_prior_year_columns_never_give_back_a_row_that_is_not_shown(con, query):
    release = con.execute(
        "select school_year, content_area, group_by, group_value, status from release_proficiency "
        "where scope = 'district'"
    ).df()
    status = {tuple(r[:4]): r[4] for r in release.itertuples(index=False)}
    years = sorted(release["school_year"].unique())
    prior_of = dict(zip(years[1:], years))
    columns = (
        ["prior_n", "prior_pct", "change_pp", "change_low", "change_high"]
        if query == "proficiency_trend"
        else ["prior_gap_pp", "gap_change_pp", "gap_change_low", "gap_change_high"]
    )
    checked = 0
    for area in ("math", "ela", "science"):
        for group_by in ("race_ethnicity", "gender", "is_504"):
            for row in board(con, query, {"content_area": area, "group_by": group_by}).to_dict("records"):
                prior = prior_of.get(row["school_year"])
                if prior is None:
                    continue
                prior_status = status[(prior, area, group_by, row["group_value"])]
                if prior_status != "shown":
                    checked += 1
                    shown = [c for c in columns if c in row and pd.notna(pd.to_numeric(row[c], errors="coerce"))]
                    if prior_status != "hidden":  # a count shown with its rate withheld: the count may appear
                        shown = [c for c in shown if c != "prior_n"]
                    assert shown == [], (query, area, group_by, row["school_year"], row["group_value"], shown)
    assert checked > 0  # the demo has prior rows that are not shown


def test_hidden_cells_of_a_grouping_never_add_up_to_a_small_known_total(con):
    """Two or more hidden cells beside a shown total: the total minus the shown rows is their sum, so that sum
    must be large enough (or the total hidden too) for neither to be pinned."""
    truth = con.execute("""
        select school_year, content_area, school_id, coalesce(race_ethnicity, 'not reported') as race_ethnicity,
            coalesce(gender, 'not reported') as gender, count(*) as n
        from mart_content_status
        where method = (select any_value(method) from release_proficiency) and term is null
          and content_score is not null
        group by all""").df()
    release = con.execute(
        "select * from release_proficiency where scope = 'school' and group_by in ('race_ethnicity', 'gender')"
    ).df()
    checked = 0
    for (year, area, school, grouping), cells in release.groupby(
        ["school_year", "content_area", "school_id", "group_by"]
    ):
        hidden = cells[cells["status"] == "hidden"]["group_value"].tolist()
        if len(hidden) < 2:
            continue
        part = truth[(truth.school_year == year) & (truth.content_area == area) & (truth.school_id == school)]
        hidden_sum = part[part[grouping].isin(hidden)]["n"].sum()
        checked += 1
        assert hidden_sum >= 10, (year, area, school, grouping, hidden, hidden_sum)
    assert checked > 0


def test_survey_schools_are_not_published_by_role(con):
    crossed = con.execute("select count(*) from release_survey where scope = 'school' and role <> 'all roles'")
    assert crossed.fetchall()[0][0] == 0
    roles = board(con, "survey_role_gap")
    assert set(roles["school_id"]) == {"all"}


def test_the_board_findings_still_come_from_the_release(con):
    from exports.findings import choose_findings

    report = choose_findings(lambda name, params: board(con, name, params))
    kinds = {f.kind for f in report.findings}
    assert {"trend", "gap", "coverage", "culture_gap"} <= kinds


def test_staff_views_of_professional_learning_are_not_in_the_release(con):
    """The PLC system is staff-only: survey items about a mode of professional learning stay out of the release,
    though the demo plants a whole survey of them."""
    tagged = con.execute("select distinct survey_id from survey_items where learning_mode is not null").fetchall()
    assert tagged, "the demo plants a survey of learning modes"
    published = {s for (s,) in con.execute("select distinct survey_id from release_survey").fetchall()}
    assert published and not published & {s for (s,) in tagged}
