"""Year-to-year changes with the students present in both years paired (queries/paired_change.py and the
paired_* columns of board_proficiency_change and board_gap_change).

The linearized interval agrees with a student-level paired bootstrap, is narrower than the independent one
when a student's two years move together, equals it when no student is in both years, and the SQL columns
the board reads are the same calculation as the pure function on the warehouse's own student rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from queries.paired_change import bootstrap, independent, linearized
from queries.runner import FULL_SCOPE, run_query


def _cohort(n: int = 400, stay: float = 0.8, seed: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two years of one cohort: `stay` of the students are there both years, and a student proficient the
    first year is likely proficient the next (the pairing matters)."""
    rng = np.random.default_rng(seed)
    ability = rng.normal(size=n)
    group = rng.random(n) < 0.3
    first = pd.DataFrame(
        {
            "student_id": [f"s{i}" for i in range(n)],
            "in_group": group,
            "is_proficient": ability + rng.normal(scale=0.5, size=n) - 0.4 * group > 0,
        }
    )
    staying = rng.random(n) < stay
    newcomers = int((~staying).sum())
    later_ability = np.concatenate([ability[staying], rng.normal(size=newcomers)])
    later_group = np.concatenate([group[staying], rng.random(newcomers) < 0.3])
    second = pd.DataFrame(
        {
            "student_id": [f"s{i}" for i in np.flatnonzero(staying)] + [f"n{i}" for i in range(newcomers)],
            "in_group": later_group,
            "is_proficient": later_ability + rng.normal(scale=0.5, size=len(later_ability)) + 0.15 - 0.2 * later_group
            > 0,
        }
    )
    return first, second


@pytest.mark.parametrize("statistic", ["share", "gap"])
def test_the_linearized_interval_agrees_with_a_paired_bootstrap(statistic):
    before, after = _cohort()
    paired = linearized(before, after, statistic)
    low, high = bootstrap(before, after, statistic, draws=1500, seed=7)
    width, boot_width = paired.high - paired.low, high - low
    assert boot_width == pytest.approx(width, rel=0.15), (paired, low, high)
    assert paired.low == pytest.approx(low, abs=0.15 * width) and paired.high == pytest.approx(high, abs=0.15 * width)
    ind_low, ind_high = independent(before, after, statistic)
    assert width < 0.9 * (ind_high - ind_low), "pairing students who stay should narrow the interval"
    assert paired.n_both == len(set(before["student_id"]) & set(after["student_id"])) > 250


def test_without_students_in_both_years_paired_is_independent():
    before, after = _cohort(stay=0.8)
    after = after.assign(student_id="new_" + after["student_id"])
    paired = linearized(before, after)
    assert paired.n_both == 0
    assert (paired.low, paired.high) == pytest.approx(independent(before, after))


def _student_rows(con, year: str, area: str, grouping: str) -> pd.DataFrame:
    return con.execute(
        f"select student_id, coalesce({grouping}, false) as in_group, content_score >= 3 as is_proficient "
        "from mart_content_status where method = 'decaying_average' and term is null and school_year = ? "
        "and content_area = ?",
        [year, area],
    ).df()


def test_the_board_queries_paired_columns_are_the_pure_calculation(demo_con):
    before, after = (_student_rows(demo_con, y, "science", "is_ell") for y in ("2023-24", "2025-26"))
    rows = run_query(
        demo_con, "board_proficiency_change", {"method": "decaying_average", "cut": 3}, FULL_SCOPE, audience="leader"
    )
    row = rows[rows["content_area"] == "science"].iloc[0]
    expected = linearized(before, after)
    assert int(row["n_both"]) == expected.n_both and expected.n_both > 0.7 * len(after)  # the 78%
    assert float(row["paired_change_low"]) == pytest.approx(expected.low, abs=0.051)
    assert float(row["paired_change_high"]) == pytest.approx(expected.high, abs=0.051)
    assert float(row["paired_change_high"]) - float(row["paired_change_low"]) < float(row["change_high"]) - float(
        row["change_low"]
    )

    before, after = (_student_rows(demo_con, y, "ela", "is_ell") for y in ("2023-24", "2025-26"))
    rows = run_query(
        demo_con,
        "board_gap_change",
        {"group_by": "is_ell", "method": "decaying_average", "cut": 3},
        FULL_SCOPE,
        audience="leader",
    )
    row = rows[(rows["content_area"] == "ela") & (rows["group_value"] == "true")].iloc[0]
    expected = linearized(before, after, "gap")
    assert float(row["gap_change_pp"]) == pytest.approx(expected.change_pp, abs=0.051)
    assert float(row["paired_gap_change_low"]) == pytest.approx(expected.low, abs=0.051)
    assert float(row["paired_gap_change_high"]) == pytest.approx(expected.high, abs=0.051)
