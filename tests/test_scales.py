"""Marks to scores: known answers for each kind of scale (docs/numbers.md)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from etl.scales import Scale, default_scale, scale_from_config

ONE_TO_FOUR = scale_from_config({"type": "numeric", "min": 1, "max": 4})
CHART = scale_from_config({"type": "chart", "min": 0, "max": 100, "bands": [[0, 1], [60, 2], [70, 3], [90, 4]]})
POINTS = scale_from_config(
    {"type": "chart", "percent_of_points": True, "max": None, "bands": [[0, 1], [60, 2], [70, 3], [90, 4]]}
)


@pytest.mark.parametrize(
    "mark, score",
    [
        ("3", 3.0),
        ("3.67", 3.67),
        (" 2.5 ", 2.5),
        ("2,5", 2.5),
        ("1", 1.0),
        ("4", 4.0),
        ("4.0", 4.0),
        ("2+", 2.33),
        ("3-", 2.67),
        ("4-", 3.67),
        ("1+", 1.33),
        ("2 +", 2.33),
        ("3.0+", 3.33),
        ("4+", 4.0),
        ("1-", 1.0),  # a sign never leaves the scale
    ],
    ids=lambda v: repr(v),
)
def test_numeric_one_to_four(mark, score):
    result = ONE_TO_FOUR.classify(mark)
    assert (result.score, result.is_evidence, result.reason) == (score, True, None)


@pytest.mark.parametrize(
    "mark, reason",
    [
        ("0", "is outside the scale 1-4"),
        ("4.01", "is outside the scale 1-4"),
        ("5+", "is outside the scale 1-4"),
        ("A", "is not on the scale (numeric 1-4, +/- = +/-0.33)"),
        ("3++", "is not on the scale (numeric 1-4, +/- = +/-0.33)"),
    ],
    ids=lambda v: repr(v),
)
def test_numeric_marks_off_the_scale_are_rejected_with_reason(mark, reason):
    result = ONE_TO_FOUR.classify(mark)
    assert (result.score, result.is_evidence, result.reason) == (None, False, reason)


def test_zero_to_four_keeps_a_minus_below_one():
    assert default_scale().classify("1-").score == 0.67
    assert default_scale().classify("0").score == 0.0


def test_plus_minus_can_be_turned_off():
    scale = scale_from_config({"type": "numeric", "min": 1, "max": 4, "plus_minus": False})
    assert scale.classify("2+").is_rejected
    assert scale.classify("2").score == 2.0


@pytest.mark.parametrize(
    "mark, meaning",
    [
        ("IE", "insufficient evidence"),
        ("ny", "not yet assessed"),
        ("Excused", "excused"),
        ("EX", "excused"),
        ("missing", "missing"),
        ("M", "missing"),
        ("N/A", "not assessed"),
        (" ie ", "insufficient evidence"),
    ],
)
def test_codes_are_not_evidence_and_keep_their_meaning(mark, meaning):
    result = ONE_TO_FOUR.classify(mark)
    assert (result.score, result.is_evidence, result.reason, result.code) == (None, False, None, meaning)


def test_a_files_own_codes():
    scale = scale_from_config({"type": "numeric", "min": 1, "max": 4, "codes": ["u", "PP"]})
    assert (scale.classify("pp").code, scale.classify("U").is_evidence) == ("not evidence", False)
    named = scale_from_config({"type": "numeric", "min": 1, "max": 4, "codes": {"p": "present"}})
    assert named.classify("P").code == "present"


@pytest.mark.parametrize(
    "mark, score",
    [
        ("Beginning", 1.0),
        ("developing", 2.0),
        ("PROFICIENT", 3.0),
        ("Exceeding", 4.0),
        ("Does Not Meet", 1.0),
        ("partially  meets", 2.0),
        ("Meets", 3.0),
        ("Exceeds", 4.0),
        ("mastery", 3.0),
        ("near_mastery", 2.0),
        ("Near Mastery", 2.0),
        ("remediation", 1.0),
        ("3", 3.0),
        ("3-", 2.67),
    ],
)
def test_default_labels(mark, score):
    assert default_scale().classify(mark).score == score


def test_labels_win_over_default_codes_but_not_over_the_files_codes():
    # `E` is usually "excused", but on a B/D/P/E scale it means Exceeding.
    scale = scale_from_config({"type": "labels", "labels": {"B": 1, "D": 2, "P": 3, "E": 4}, "min": 1, "max": 4})
    assert scale.classify("e").score == 4.0
    assert scale.classify("IE").code == "insufficient evidence"
    assert scale.classify("Proficient").is_rejected  # only the labels given
    coded = scale_from_config({"type": "labels", "labels": {"P": 3}, "codes": {"p": "present"}})
    assert coded.classify("P").code == "present"


@pytest.mark.parametrize(
    "mark, score",
    [
        ("0", 1.0),
        ("59.99", 1.0),
        ("60", 2.0),
        ("69.99", 2.0),
        ("70", 3.0),
        ("89.9", 3.0),
        ("90", 4.0),
        ("100", 4.0),
    ],
)
def test_conversion_chart_bands(mark, score):
    assert CHART.classify(mark).score == score


@pytest.mark.parametrize(
    "mark, reason",
    [
        ("100.5", "is 100.5, above the chart's top of 100"),
        ("-1", "is -1, below the chart's lowest band 0"),
        ("3+", "is not on the scale (conversion chart (>=0 -> 1, >=60 -> 2, >=70 -> 3, >=90 -> 4))"),
    ],
)
def test_conversion_chart_rejects(mark, reason):
    assert CHART.classify(mark).reason == reason


@pytest.mark.parametrize(
    "points, possible, score",
    [
        ("8.5", 10.0, 3.0),
        ("9", 10.0, 4.0),
        ("4.8", 8.0, 2.0),
        ("0", 10.0, 1.0),
        ("100", 85.0, 4.0),  # extra credit: 117.6% is the top band when the chart has no top
    ],
)
def test_chart_of_percent_of_points_possible(points, possible, score):
    assert POINTS.classify_points(points, possible).score == score


def test_points_without_points_possible_are_rejected_and_codes_stay_codes():
    assert POINTS.classify_points("5", None).reason == "has no points possible in its column to make a percent of"
    assert POINTS.classify_points("EX", 10.0).code == "excused"


@pytest.mark.parametrize(
    "config, problem",
    [
        ({"type": "numeric", "min": 0, "max": 100}, "for 0-100 or points use type: chart"),
        ({"type": "chart"}, "needs 'bands'"),
        ({"type": "chart", "bands": [[0, 1], [90, 5]]}, "band 90 gives score 5; scores run 0-4"),
        ({"type": "letters"}, "unknown scale type 'letters'"),
        ({"type": "numeric", "maximum": 4}, "unknown scale key(s) maximum"),
        ({"type": "labels", "labels": {"Expert": 6}}, "label 'Expert' gives score 6"),
    ],
)
def test_scale_configs_that_cannot_work_say_why(config, problem):
    with pytest.raises(ValueError, match=problem.replace("(", r"\(").replace(")", r"\)")):
        scale_from_config(config)


def test_describe_names_the_scale_in_force():
    assert ONE_TO_FOUR.describe() == "numeric 1-4, +/- = +/-0.33"
    assert CHART.describe() == "conversion chart (>=0 -> 1, >=60 -> 2, >=70 -> 3, >=90 -> 4)"
    assert POINTS.describe().startswith("conversion chart of percent of points possible")


@given(st.floats(min_value=1, max_value=4, allow_nan=False))
def test_every_number_on_a_numeric_scale_is_its_own_score(value):
    assert ONE_TO_FOUR.classify(repr(value)).score == value


@given(st.sampled_from(["0", "1", "2", "3", "4"]), st.sampled_from(["+", "-"]), st.sampled_from([(0, 4), (1, 4)]))
def test_a_sign_moves_a_third_of_a_point_within_the_scale(base, sign, bounds):
    scale = Scale(kind="numeric", min_value=bounds[0], max_value=bounds[1])
    result = scale.classify(base + sign)
    if not bounds[0] <= int(base) <= bounds[1]:
        assert result.is_rejected
    else:
        expected = round(int(base) + (1 / 3 if sign == "+" else -1 / 3), 2)
        assert result.score == min(max(expected, bounds[0]), bounds[1])
