"""Each page's opening sentences against known answers (answers/), the decline case first.

The rows are shaped as the gated queries return them (gap_trend, proficiency_trend): numbers, or None and
labels such as `n<10` where the privacy gate left no figure.
"""

from __future__ import annotations

import pandas as pd
import pytest

from answers.gaps import (
    CLOSING,
    NARROWED_BY_CHANCE,
    NARROWED_BY_DECLINE,
    NO_COMPARISON,
    WIDENING,
    gap_change,
    gap_sentences,
)
from answers.words import group_noun
from warehouse import connection as warehouse


def verdict_in_the_warehouse(then: dict, now: dict) -> str:
    """The gap_verdict the queries return for these two years: the warehouse macro, run on the figures."""
    con = warehouse.scratch()
    con.execute((warehouse.SCHEMA_DIR / "02_macros.sql").read_text())
    figures = [then["gap_pp"], now["gap_pp"], then["pct_proficient"], now["pct_proficient"]]
    figures += [then["reference_pct"], now["reference_pct"], now["is_change_significant"]]
    return con.execute("select gap_verdict(?, ?, ?, ?, ?, ?, ?)", figures).fetchone()[0]


def trend(*years) -> pd.DataFrame:
    """gap_trend rows of one group: (school_year, n, pct, reference_pct, is_change_significant)."""
    rows: list[dict] = []
    for year, n, group_pct, reference_pct, significant in years:
        gap = None if group_pct is None else round(group_pct - reference_pct, 1)
        row = {
            "school_year": year,
            "term": None,
            "n_students": n,
            "pct_proficient": group_pct,
            "reference_pct": reference_pct,
            "gap_pp": gap,
            "is_change_significant": significant,
        }
        row["gap_verdict"] = verdict_in_the_warehouse(rows[-1], row) if rows else None
        rows.append(row)
    return pd.DataFrame(rows)


# Grade 7 math by race in the demo district: Asian students (15, then 18) fell from 80.0% to 38.9% proficient
# while other students went from 41.9% to 43.3%; the gap "shrank" from +38.1 to -4.5 points.
ASIAN_DECLINE = trend(
    ("2023-24", 12, 16.7, 46.0, False), ("2024-25", 15, 80.0, 41.9, True), ("2025-26", 18, 38.9, 43.3, True)
)
# English learners in ELA: rose 26.1% -> 31.9% while others rose 48.9% -> 50.5%.
ELL_RISE = trend(("2024-25", 364, 26.1, 48.9, True), ("2025-26", 342, 31.9, 50.5, True))


def test_a_group_that_fell_while_its_gap_shrank_is_never_closing():
    change = gap_change(ASIAN_DECLINE, "Asian students")
    assert change.verdict == NARROWED_BY_DECLINE
    sentences = gap_sentences(ASIAN_DECLINE, "Asian students", subject="math")
    text = " ".join(sentences)
    assert sentences[0] == "Asian students: 39% proficient in math in 2025-26, 4 points below other students."
    assert "closing" not in text.replace("not a gap closing", "")
    assert "Asian students fell from 80% to 39%" in text
    assert "now below other students" in text
    assert "only 18 students" in text and "caution" in text  # a group under 30


def test_a_gap_that_narrowed_because_the_group_rose_is_closing():
    change = gap_change(ELL_RISE, "English learners")
    assert change.verdict == CLOSING
    assert gap_sentences(ELL_RISE, "English learners", subject="ELA") == [
        "English learners: 32% proficient in ELA in 2025-26, 19 points below other students.",
        "The gap is closing: it narrowed 4 points since 2024-25 because English learners' proficiency rose from 26% "
        "to 32%; that change is beyond chance.",
    ]


@pytest.mark.parametrize(
    "years, verdict, words",
    [
        pytest.param(
            [("2024-25", 200, 30.0, 50.0, True), ("2025-26", 200, 30.0, 40.0, True)],
            NARROWED_BY_DECLINE,
            "other students fell from 50% to 40% while Students with IEPs went from 30% to 30%",
            id="behind-group-flat-others-fell",
        ),
        pytest.param(
            [("2024-25", 200, 30.0, 50.0, True), ("2025-26", 200, 35.0, 45.0, True)],
            NARROWED_BY_DECLINE,
            "other students fell from 50% to 45% (and Students with IEPs rose from 30% to 35%)",
            id="both-moved-toward-each-other",
        ),
        pytest.param(
            [("2024-25", 200, 30.0, 50.0, True), ("2025-26", 200, 25.0, 55.0, True)],
            WIDENING,
            "The gap widened 10 points",
            id="widening",
        ),
        pytest.param(
            [("2024-25", 200, 30.0, 50.0, False), ("2025-26", 200, 32.0, 50.0, False)],
            NARROWED_BY_CHANCE,
            "within what chance alone could produce",
            id="within-chance",
        ),
        pytest.param(
            [("2024-25", "n<10", None, None, None), ("2025-26", 40, 32.0, 50.0, False)],
            NO_COMPARISON,
            "no figure for 2024-25",
            id="suppressed-last-year",
        ),
    ],
)
def test_gap_verdicts(years, verdict, words):
    rows = trend(*years)
    assert gap_change(rows, "Students with IEPs").verdict == verdict
    assert words in " ".join(gap_sentences(rows, "Students with IEPs"))


def test_a_suppressed_group_gets_no_figure_in_words():
    rows = trend(("2025-26", "n<10", None, None, None))
    assert gap_sentences(rows, "Asian students") == ["Asian students: fewer than 10 students, so no figure is shown."]


@pytest.mark.parametrize(
    "label, noun",
    [
        ("Asian", "Asian students"),
        ("English learners", "English learners"),
        ("Students with IEPs", "Students with IEPs"),
        ("Economically disadvantaged", "Economically disadvantaged students"),
    ],
)
def test_group_nouns(label, noun):
    assert group_noun(label) == noun


# ------------------------------------------------------------------ proficiency, culture, continuum

from answers.continuum import coverage_sentences, grade_levels_sentence  # noqa: E402
from answers.culture import construct_sentences, stage_sentence  # noqa: E402
from answers.proficiency import group_spread_sentences, proficiency_sentences  # noqa: E402


def proficiency_rows(*years) -> pd.DataFrame:
    """proficiency_trend rows of one group: (school_year, n, pct, change_pp, is_change_significant)."""
    rows, prior = [], None
    for year, n, value, significant in years:
        rows.append(
            {
                "school_year": year,
                "term": None,
                "group_value": "all students",
                "n_students": n,
                "pct_proficient": value,
                "prior_pct": prior,
                "change_pp": None if prior is None or value is None else round(value - prior, 1),
                "is_change_significant": significant,
            }
        )
        prior = value
    return pd.DataFrame(rows)


def test_proficiency_sentences_for_the_demo_districts_math():
    rows = proficiency_rows(
        ("2023-24", 3033, 41.0, False), ("2024-25", 3002, 43.9, True), ("2025-26", 2980, 46.1, False)
    )
    assert proficiency_sentences(rows, "Math") == [
        "46% of students were proficient in Math in 2025-26, up 2 points from 44% the year before (within chance).",
        "Over 3 years it went from 41% (2023-24) to 46%: rising.",
    ]


def test_proficiency_sentences_flag_small_and_suppressed_groups():
    small = proficiency_rows(("2024-25", 20, 50.0, False), ("2025-26", 22, 40.9, False))
    text = " ".join(proficiency_sentences(small, "ELA"))
    assert "down 9 points from 50%" in text and "only 22 students" in text
    hidden = proficiency_rows(("2025-26", "n<10", None, None))
    assert proficiency_sentences(hidden, "ELA") == ["Students: fewer than 10 students, so no figure is shown."]


def test_group_spread_names_the_highest_and_lowest_group():
    rows = pd.concat(
        [
            proficiency_rows(("2025-26", 120, 52.0, False)).assign(group_value="a"),
            proficiency_rows(("2025-26", 25, 31.0, False)).assign(group_value="b"),
            proficiency_rows(("2025-26", "n<10", None, None)).assign(group_value="c"),
        ]
    )
    labels = {"a": "White students", "b": "Asian students", "c": "Other students"}
    assert group_spread_sentences(rows, labels) == [
        "In 2025-26 the highest group is White students at 52% and the lowest Asian students at 31%, 21 points apart.",
        "Fewer than 30 students (read with caution or not shown): Asian students, Other students.",
    ]


def test_construct_sentences_give_the_district_figure_change_and_extremes():
    district = pd.DataFrame(
        {
            "wave": ["2024-25", "2025-26"],
            "school_id": "all",
            "school_name": "All schools",
            "pct_favorable": [59.0, 66.3],
            "n_respondents": [262, 251],
        }
    )
    schools = pd.DataFrame(
        {
            "wave": "2025-26",
            "school_id": ["101", "102", "103"],
            "school_name": ["Maple Grove", "Cedar Hill", "Oak Park"],
            "pct_favorable": [75.2, 48.0, None],
            "n_respondents": [30, 28, "n<5"],
        }
    )
    assert construct_sentences(district, schools, "Trust", "2025-26") == [
        "Trust: 66% of staff answers were favorable district-wide in 2025-26 (251 staff answering), up 7 points "
        "from 59% in 2024-25.",
        "Highest at Maple Grove (75%), lowest at Cedar Hill (48%).",
        "1 school(s) had too few respondents to show.",
    ]


def test_stage_sentence_names_the_schools_furthest_along():
    stages = pd.DataFrame(
        {
            "school_id": ["1", "1", "2", "2"],
            "school_name": ["A", "A", "B", "B"],
            "school_year": "2025-26",
            "domain": ["x", "y", "x", "y"],
            "stage": ["Proficient", "Proficient", "Emerging", "Proficient"],
            "stage_rank": [3, 3, 2, 3],
        }
    )
    assert stage_sentence(stages) == (
        "In 2025-26, furthest along in implementation: A (proficient, the median of their domains)."
    )


def test_coverage_sentences_use_the_cards_definitions():
    coverage = pd.DataFrame(
        {
            "grade_level": [9, 10],
            "continuum_level": [9, 9],
            "n_standards": [40, 40],
            "n_assessed": [36, 30],
            "n_sufficient": [4, 0],
            "suppressed": [False, False],
        }
    )
    assert coverage_sentences(coverage, "ELA", 3, "all schools") == [
        "Of 80 grade-level ELA standards (summed over the grades) for all schools, 82% were assessed at least once "
        "this year and 5% have sufficient evidence (at least 3 pieces per assessed student on average).",
        "Most standards do not yet have enough evidence to call a student proficient with confidence.",
    ]
    assert grade_levels_sentence(coverage) == (
        "Every other grade reads its own level; grade 10 reads level 9 (no standards of their own at that level)."
    )


# ------------------------------------------------------------------ the pages open with their answer (AppTest)


@pytest.fixture
def demo_app(demo_db, monkeypatch):
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("DASHBOARD_DB", str(demo_db))
    monkeypatch.delenv("DASHBOARD_AUTH", raising=False)
    dashboard = Path(__file__).resolve().parents[1] / "dashboard.py"

    def open_page(page: str) -> AppTest:
        at = AppTest.from_file(str(dashboard), default_timeout=120).run()
        at.switch_page(page).run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return open_page


def page_answer(at) -> str:
    """The answer box's text, unescaped (ui/layout.answer)."""
    return at.markdown[0].value.replace("\\", "")


def test_equity_page_never_calls_the_grade_7_asian_decline_closing(demo_app):
    at = demo_app("app_pages/equity_gaps.py")
    assert page_answer(at).startswith("English learners: 33% proficient in ELA in 2025-26, 18 points below")
    at.selectbox(key="gaps_area").set_value("math").run()
    at.selectbox(key="gaps_group").set_value("race_ethnicity").run()
    at.selectbox(key="gaps_grade").set_value(7).run()
    at.selectbox(key="gaps_focus").set_value("Asian").run()
    text = page_answer(at)
    assert text.startswith("Asian students: 39% proficient in Math in 2025-26")
    assert "Asian students fell from 80% to 39%" in text and "That is not a gap closing." in text
    assert "only 18 students" in text
    assert not at.success, "no success box for a gap that narrowed because a group fell"


def test_overview_and_trends_open_with_the_proficiency_answer(demo_app):
    for page in ("app_pages/overview.py", "app_pages/trends.py"):
        text = page_answer(demo_app(page))
        assert (
            "49% of students were proficient in ELA in 2025-26, up 3 points from 46% the year before (beyond "
            "chance)." in text
        ), page
