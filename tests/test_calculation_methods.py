"""Known answers for every calculation method (docs/numbers.md) on hand-worked evidence."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tests.conftest import load

HEADER = "student_id,school_year,term,assessed_on,school_id,standard_code,mark,assessment_type\n"
METHOD_COLUMNS = ["most_recent", "most_recent_n", "highest", "mean", "mode", "decaying_average", "power_law"]


def power_law(pieces: list[float]) -> float:
    """Marzano's power law, computed independently: fit ln(y) = a + b ln(k), read at k = n."""
    if len(pieces) == 1:
        return pieces[0]
    k = np.log(np.arange(1, len(pieces) + 1))
    y = np.log(np.maximum(pieces, 0.1))
    b, a = np.polyfit(k, y, 1)
    return float(min(4.0, max(0.0, math.exp(a + b * k[-1]))))


CASES = [
    pytest.param(
        [("2025-09-01", "3")],
        dict(most_recent=3, most_recent_n=3, highest=3, mean=3, mode=3, decaying_average=3),
        id="single-score",
    ),
    pytest.param(
        [("2025-09-01", "2"), ("2025-09-15", "3"), ("2025-10-01", "4")],
        dict(
            most_recent=4,
            most_recent_n=3,
            highest=4,
            mean=3,
            mode=4,
            decaying_average=0.65 * 4 + 0.65 * 0.35 * 3 + 0.35**2 * 2,
        ),
        id="rising-three",
    ),
    pytest.param(
        [("2025-09-01", "2"), ("2025-09-01", "3"), ("2025-10-01", "4")],
        dict(most_recent=4, most_recent_n=3.25, highest=4, mean=3.25, mode=4, decaying_average=0.65 * 4 + 0.35 * 2.5),
        id="same-day-scores-are-one-piece",
    ),
    pytest.param(
        [("2025-09-01", "4"), ("2025-10-01", "2"), ("2025-10-01", "3")],
        dict(
            most_recent=2.5, most_recent_n=3.25, highest=4, mean=3.25, mode=2.5, decaying_average=0.65 * 2.5 + 0.35 * 4
        ),
        id="most-recent-is-latest-day-mean",
    ),
    pytest.param(
        [("2025-09-01", "3"), ("2025-10-01", "IE"), ("2025-10-02", "NY")],
        dict(most_recent=3, most_recent_n=3, highest=3, mean=3, mode=3, decaying_average=3),
        id="non-evidence-marks-ignored",
    ),
    pytest.param(
        [("2025-09-01", "3"), ("2025-09-02", "3"), ("2025-09-03", "2"), ("2025-09-04", "4")],
        dict(most_recent=4, most_recent_n=3, highest=4, mean=3, mode=3),
        id="clear-mode",
    ),
    pytest.param(
        [("2025-09-01", "2"), ("2025-09-02", "3"), ("2025-09-03", "3"), ("2025-09-04", "2")],
        dict(mode=2, most_recent=2, mean=2.5),
        id="mode-tie-goes-to-most-recent",
    ),
    pytest.param(
        [("2025-09-01", "1"), ("2025-09-02", "2"), ("2025-09-03", "3"), ("2025-09-04", "4"), ("2025-09-05", "4")],
        dict(most_recent_n=11 / 3, mean=2.8, highest=4),
        id="most-recent-n-of-five",
    ),
    pytest.param(
        [("2025-09-01", "2+"), ("2025-09-02", "3-")],
        dict(most_recent=2.67, highest=2.67, mean=2.5),
        id="plus-minus-marks",
    ),
]


@pytest.mark.parametrize("evidence, expected", CASES)
def test_calculated_score(con, fixtures_dir, tmp_path, evidence, expected):
    gradebook = tmp_path / "gradebook.csv"
    rows = [f"0001,2025-26,T1,{day},S1,M.3.NF.1,{mark},formative" for day, mark in evidence]
    gradebook.write_text(HEADER + "\n".join(rows) + "\n")
    load(con, "continuum", fixtures_dir / "continuum_small.csv")
    load(con, "gradebook", gradebook)
    row = con.execute("select * from mart_standard_scores where student_id = '0001' and term is null").df().iloc[0]
    for method, value in expected.items():
        assert row[f"score_{method}"] == pytest.approx(value, abs=0.006), method
    pieces = _pieces(evidence)
    assert row["score_power_law"] == pytest.approx(power_law(pieces), abs=1e-9)
    assert row["n_evidence"] == len(pieces)


def _pieces(evidence) -> list[float]:
    marks = {"2+": 2.33, "3-": 2.67}
    by_day: dict[str, list[float]] = {}
    for day, mark in evidence:
        if mark in ("IE", "NY"):
            continue
        by_day.setdefault(day, []).append(marks.get(mark) or float(mark))
    return [sum(v) / len(v) for _, v in sorted(by_day.items())]


def test_content_area_score_is_mean_of_standard_scores(small_district):
    status = small_district.execute(
        "select content_score from mart_content_status where student_id = '0001' and term is null "
        "and method = 'mean' and content_area = 'math'"
    ).fetchone()[0]
    # 0001 has one math standard (M.3.NF.1) with pieces 2, 3, 4 -> mean 3
    assert status == pytest.approx(3.0)


def test_term_rows_use_only_that_terms_evidence(small_district):
    # 0001's one math standard: T1 pieces 2 and 3, T2 piece 4; a term's status uses that term's pieces only
    t1, t2 = (
        small_district.execute(
            "select content_score from mart_content_status where student_id = '0001' and term = $t "
            "and method = 'mean' and content_area = 'math'",
            {"t": t},
        ).fetchone()[0]
        for t in ("T1", "T2")
    )
    assert (t1, t2) == (pytest.approx(2.5), pytest.approx(4.0))
