"""Findings that survive scrutiny (exports/scrutiny.py, exports/findings/): candidates tested together with
Holm's correction, ranges in plain words, endpoints that agree with the stated change.

The known-answer case: a gap change that is significant on its own (p = 0.031, the English learners' ELA
change of the demo district) is one of seven candidates, Holm's correction rejects it, and the deck leaves it
out and says why; the same row alone (a family of one) is called out, so the check can fail.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from exports.findings import choose_findings
from exports.scrutiny import Candidate, agreeing, give_or_take, holm, p_from_interval, test_together

FROM, TO = "2023-24", "2025-26"


# ---------------------------------------------------------------- the correction itself


def test_holm_matches_a_hand_computation():
    # sorted 0.01, 0.02, 0.03, 0.04 with m = 4: 0.04, 0.06, 0.06 (monotone), 0.06
    assert holm([0.03, 0.01, 0.04, 0.02]) == pytest.approx([0.06, 0.04, 0.06, 0.06])
    assert holm([0.5, 0.9]) == pytest.approx([1.0, 1.0])  # capped at 1
    adjusted = holm([0.01, math.nan])
    assert adjusted[0] == pytest.approx(0.01) and math.isnan(adjusted[1])  # NaN is not counted


def test_p_from_a_95_interval():
    assert p_from_interval(1.96, 0.0, 3.92) == pytest.approx(0.05, abs=1e-4)  # the interval touches zero
    assert p_from_interval(7.6, 0.7, 14.5) == pytest.approx(0.031, abs=0.001)  # the issue's p = 0.031
    assert p_from_interval(0.0, -1.0, 1.0) == pytest.approx(1.0)


def test_holm_rejects_what_is_significant_only_alone():
    nominal = Candidate("a", "gap_change", "a", 7.6, 0.7, 14.5)
    alone = test_together([Candidate("a", "gap_change", "a", 7.6, 0.7, 14.5)])[0]
    assert alone.is_called_out and alone.is_nominal
    family = test_together([nominal] + [Candidate(f"x{i}", "gap", "x", 0.5, -3, 4) for i in range(6)])
    assert nominal.is_nominal and not nominal.is_called_out
    assert nominal.p_holm == pytest.approx(7 * nominal.p_value, rel=1e-9) and len(family) == 7


# ---------------------------------------------------------------- numbers in words


@given(start=st.floats(0, 100), end=st.floats(0, 100))
def test_shown_endpoints_agree_with_the_stated_change(start, end):
    change = round(end - start, 1)  # as the queries round it
    start_text, end_text, size = agreeing(start, end, change)
    shown = float(end_text) - float(start_text)
    assert abs(abs(shown) - float(size)) < 0.5 + 1e-9, (start_text, end_text, size)
    assert abs(float(size) - abs(change)) <= 0.5 + 1e-9  # the stated change is the row's, rounded
    assert abs(float(start_text) - start) <= 0.5 and abs(float(end_text) - end) <= 0.5


def test_the_issues_disagreeing_endpoints_now_agree():
    assert agreeing(44.4, 50.7, 6.3) == ("44.4", "50.7", "6")  # was "rose 6 points ... from 44% to 51%"
    assert agreeing(-26.4, -18.8, 7.6, signed=True)[2] == "8"
    start, end, size = agreeing(-26.4, -18.8, 7.6, signed=True)
    assert round(abs(float(end) - float(start))) == int(size)
    assert agreeing(40.2, 50.1, 9.9) == ("40", "50", "10")  # whole numbers when they agree


def test_give_or_take_is_half_the_range():
    assert give_or_take(3.8, 8.8) == "3"  # 2.5 rounds half up
    assert give_or_take(-0.2, 0.2) == "1"  # never "give or take 0"


# ---------------------------------------------------------------- the deck leaves the rejected change out


def _fixture_fetch(only_the_ell_change: bool = False):
    """Rows shaped as the board audience's queries return them: one content area, two years, a gap change
    for English learners with p = 0.031 and six unremarkable other candidates."""
    gap_row = {
        "school_year": TO,
        "content_area": "math",
        "group_value": "true",
        "n_students": 340,
        "pct_proficient": 45.0,
        "reference_n": 2600,
        "reference_pct": 47.0,
        "gap_pp": -2.0,
        "gap_low": -7.0,
        "gap_high": 3.0,
        "is_significant": False,
        "risk_ratio": 0.96,
        "suppressed": False,
    }
    change_row = {
        "content_area": "math",
        "group_value": "true",
        "n_students": 340,
        "n_from": 385,
        "n_to": 340,
        "reference_n": 2600,
        "from_gap_pp": -0.5,
        "to_gap_pp": 0.5,
        "gap_change_pp": 1.0,
        "gap_change_low": -4.0,
        "gap_change_high": 6.0,
        "is_change_significant": False,
        "suppressed": False,
    }
    ell_change = {
        **change_row,
        "from_gap_pp": -26.4,
        "to_gap_pp": -18.8,
        "gap_change_pp": 7.6,
        "gap_change_low": 0.7,
        "gap_change_high": 14.5,
        "is_change_significant": True,
    }

    def fetch(name: str, params: dict) -> pd.DataFrame:
        group = params.get("group_by")
        if name == "school_years":
            return pd.DataFrame({"school_year": [FROM, TO]})
        if name == "content_areas":
            return pd.DataFrame({"content_area": ["math"]})
        if name == "board_proficiency_change":
            if only_the_ell_change:
                return pd.DataFrame(columns=["content_area", "change_pp", "from_pct", "to_pct"])
            return pd.DataFrame(
                [
                    {
                        "content_area": "math",
                        "n_students": 2900,
                        "n_from": 3000,
                        "n_to": 2900,
                        "from_pct": 45.0,
                        "to_pct": 46.0,
                        "change_pp": 1.0,
                        "change_low": -1.5,
                        "change_high": 3.5,
                        "is_change_significant": False,
                        "suppressed": False,
                    }
                ]
            )
        if name == "board_gaps":
            rows = [] if only_the_ell_change else [{**gap_row, "group_by": group}]
            return pd.DataFrame(rows, columns=[*gap_row, "group_by"])
        if name == "board_gap_change":
            if group == "is_ell":
                return pd.DataFrame([{**ell_change, "group_by": group}])
            return pd.DataFrame(
                [] if only_the_ell_change else [{**change_row, "group_by": group}], columns=[*change_row, "group_by"]
            )
        if name == "gap_trend":
            return pd.DataFrame(
                [
                    {
                        "school_year": y,
                        "group_value": "true",
                        "n_students": 340,
                        "pct_proficient": 40,
                        "reference_n": 2600,
                        "reference_pct": 60,
                        "gap_pp": g,
                        "gap_low": g - 5,
                        "gap_high": g + 5,
                        "is_significant": True,
                        "suppressed": False,
                    }
                    for y, g in ((FROM, -26.4), (TO, -18.8))
                ]
            )
        if name == "proficiency_trend":
            return pd.DataFrame(
                [
                    {
                        "school_year": y,
                        "n_students": 3000,
                        "pct_proficient": p,
                        "pct_low": p - 2,
                        "pct_high": p + 2,
                        "suppressed": False,
                    }
                    for y, p in ((FROM, 45.0), (TO, 46.0))
                ]
            )
        if name in ("never_assessed", "continuum_coverage", "survey_waves", "latest_load"):
            return pd.DataFrame()
        raise AssertionError(f"the findings asked for a query the fixture does not serve: {name}")

    return fetch


def test_a_change_significant_only_alone_is_left_out_of_the_deck():
    report = choose_findings(_fixture_fetch())
    ell = next(c for c in report.candidates if c.key == "gap_change_is_ell_math")
    assert len(report.candidates) == 7
    assert ell.p_value == pytest.approx(0.031, abs=0.001) and ell.is_nominal
    assert ell.p_holm > 0.05 and not ell.is_called_out
    assert not [f for f in report.findings if f.kind == "gap_change"], [f.headline for f in report.findings]
    assert not [f for f in report.findings if "English learners" in f.headline]
    considered = dict(report.considered)
    assert "7 comparisons were tested together" in considered["What was considered"]
    assert "change in the gap for English learners in math (+7.6 points)" in considered["Not called out, and why"]


def test_the_same_change_alone_is_called_out():
    """The control: without the other candidates nothing corrects it, so the deck states it."""
    report = choose_findings(_fixture_fetch(only_the_ell_change=True))
    assert [c.key for c in report.candidates] == ["gap_change_is_ell_math"]
    changes = [f for f in report.findings if f.kind == "gap_change"]
    assert len(changes) == 1
    assert changes[0].headline == (
        "Gap for English learners in math narrowed 8 points since 2023-24, give or take 7: from -26.4 to -18.8 points"
    )
