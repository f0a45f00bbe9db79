"""Survey scales recognised by their shape; rank-order and numeric-entry questions never scored;
vendor id columns used as what they are (etl/surveys/shapes.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.surveys.shapes import is_numeric_entry, is_rank_order, scale_from_shape
from tests.conftest import load

EXPORTS = Path(__file__).parent / "fixtures" / "exports"


@pytest.mark.parametrize(
    "answers, points",
    [
        (
            ["Very likely", "Somewhat likely", "Neither likely nor unlikely", "Somewhat unlikely", "Very unlikely"],
            ["very unlikely", "somewhat unlikely", "neither likely nor unlikely", "somewhat likely", "very likely"],
        ),
        (
            [
                "Extremely likely",
                "Very likely",
                "Somewhat likely",
                "Neither likely nor unlikely",
                "Somewhat unlikely",
                "Very unlikely",
                "Extremely unlikely",
            ],
            [
                "extremely unlikely",
                "very unlikely",
                "somewhat unlikely",
                "neither likely nor unlikely",
                "somewhat likely",
                "very likely",
                "extremely likely",
            ],
        ),
        (
            ["Very satisfied", "Satisfied", "Dissatisfied", "Very dissatisfied"],
            ["very dissatisfied", "dissatisfied", "satisfied", "very satisfied"],
        ),
        (
            [
                "Very favorably",
                "Somewhat favorably",
                "Neither favorably nor unfavorably (neutral)",
                "Somewhat unfavorably",
                "Very unfavorably",
                "Unfamiliar (N/A)",
            ],
            [
                "very unfavorably",
                "somewhat unfavorably",
                "neither favorably nor unfavorably",
                "somewhat favorably",
                "very favorably",
            ],
        ),
        (
            [
                "Extremely important",
                "Very important",
                "Somewhat important",
                "Not very important",
                "Not at all important",
            ],
            [
                "not at all important",
                "not very important",
                "somewhat important",
                "very important",
                "extremely important",
            ],
        ),
        (
            [
                "Not at all confident",
                "Slightly confident",
                "Somewhat confident",
                "Very confident",
                "Extremely confident",
                "Don't know",
            ],
            [
                "not at all confident",
                "slightly confident",
                "somewhat confident",
                "very confident",
                "extremely confident",
            ],
        ),
        (["Very helpful", "Somewhat helpful", "Not helpful"], ["not helpful", "somewhat helpful", "very helpful"]),
    ],
    ids=[
        "likelihood-5",
        "likelihood-7",
        "satisfaction-4-dis",
        "favourability-neutral-aside",
        "importance-not-at-all",
        "confidence-unipolar",
        "helpful-not-x",
    ],
)
def test_scales_by_their_shape(answers, points):
    scale = scale_from_shape(answers)
    assert scale is not None and [p[0] for p in scale.points] == points


@pytest.mark.parametrize(
    "answers",
    [
        ["Red", "Blue", "Green"],
        ["Yes", "No", "Yes"],
        ["Math", "Science", "Very science"],
        ["Likely", "Somewhat hungry", "Unlikely"],
    ],
    ids=["colours", "yes-no", "nonsense-intensity", "two-stems"],
)
def test_answers_that_are_not_one_scale(answers):
    assert scale_from_shape(answers) is None


def test_rank_order_and_numeric_entry_are_told_apart():
    assert is_rank_order([["1", "2", "3", "4"], ["2", "1", "4", "3"], ["4", "3", "2", "1"]])
    assert not is_rank_order([["4", "4", "3", "4"], ["2", "1", "2", "3"], ["4", "3", "2", "1"]])  # a matrix of ratings
    assert is_numeric_entry(["12", "3", "25", "1"], "How many years have you worked here?")
    assert is_numeric_entry(["1.5", "2", "0.5"], "Hours of coaching")
    assert not is_numeric_entry(["1", "4", "5", "3"], "Rate the support from 1 to 5")


@pytest.fixture
def monkey(con):
    report = load(con, "survey", EXPORTS / "surveymonkey_favorability_rank.csv")
    items = con.execute("select item_text, scale_points from survey_items order by item_text").fetchall()
    return con, report, dict(items)


def test_favourability_matrix_is_scored_and_unfamiliar_is_not_answered(monkey):
    con, report, items = monkey
    key = "How do you view each of these district initiatives? - Instructional coaching"
    assert items[key] == 5
    values = con.execute(
        "select response_id, value from survey_responses r join survey_items i using (survey_id, item_id) "
        "where i.item_text = $t order by response_id",
        {"t": key},
    ).fetchall()
    # neutral (with its "(neutral)" aside) is 3; "Unfamiliar (N/A)" is seen but not answered
    assert values == [
        ("10512345001", 3),
        ("10512345002", None),
        ("10512345003", 4),
        ("10512345004", 5),
        ("10512345005", 1),
        ("10512345006", 4),
    ]


def test_rank_order_items_are_never_scored(monkey):
    con, _, items = monkey
    rank_items = [t for t in items if t.startswith("Rank these supports")]
    assert len(rank_items) == 4 and all(items[t] is None for t in rank_items)
    scored = con.execute(
        "select count(*) from survey_responses r join survey_items i using (survey_id, item_id) "
        "where i.item_text like 'Rank these supports%' and r.value is not null"
    ).fetchone()[0]
    assert scored == 0


def test_numeric_entry_is_never_scored(monkey):
    con, _, items = monkey
    assert items["How many years have you worked in this district?"] is None
    comments = con.execute(
        "select list(comment order by response_id) from survey_responses r join survey_items i "
        "using (survey_id, item_id) where i.item_text like 'How many years%'"
    ).fetchone()[0]
    assert comments == ["12", "3", "25", "1", "7", "4"]


def test_vendor_id_columns_are_what_they_are(monkey):
    con, report, items = monkey
    assert not [
        t for t in items if t.lower().replace(" ", "") in ("respondentid", "collectorid", "startdate", "enddate")
    ]
    ids = [r for (r,) in con.execute("select distinct response_id from survey_responses order by 1").fetchall()]
    assert ids == [f"1051234500{i}" for i in range(1, 7)]  # RespondentID, not made up from timestamps
    assert any("wave '2025-26'" in n for n in report.notes)  # from StartDate / EndDate
