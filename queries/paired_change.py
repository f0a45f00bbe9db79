"""Year-to-year changes that count the students present in both years as pairs (pure; student-level frames in,
one figure and its 95% interval out).

A change in percent proficient (or in a group's gap) between two school years compares mostly the same
students: in the demo district 78% of the later year's students were there in the earlier year too. Taking
the two years as independent samples ignores that each student's two years move together, and overstates
the uncertainty. Two calculations, meant to agree:

- `linearized`: each student's influence on the change (their share of the later year's figure minus their
  share of the earlier one), summed in squares over students, the students independent of each other. A
  student present in one year only contributes one term; one present in both years contributes the
  difference of their two terms, which is where the pairing enters. This is what the board queries compute
  in SQL (queries/board_proficiency_change.sql, queries/board_gap_change.sql: `paired_*` columns) and what
  a release build can compute from student-level frames.
- `bootstrap`: the students (with both of their years) drawn again with replacement, the change recomputed
  each time; the 2.5th and 97.5th percentiles. Slow, the reference the linearized interval is checked
  against.

A frame has one row per student and school year: `student_id`, `school_year`, `is_proficient` and, for a
gap, `in_group` (the student belongs to the focal group that year; everyone else is the reference).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

Z95 = 1.959964


@dataclass(frozen=True)
class PairedChange:
    """A change in percentage points with its 95% interval; `n_both` students were present in both years."""

    change_pp: float
    low: float
    high: float
    n_from: int
    n_to: int
    n_both: int


def _share_influence(frame: pd.DataFrame) -> pd.Series:
    """Each student's influence on the year's percent proficient (0-1 scale), indexed by student."""
    y = frame["is_proficient"].astype(float)
    return pd.Series(((y - y.mean()) / len(y)).to_numpy(), index=frame["student_id"].to_numpy())


def _gap_influence(frame: pd.DataFrame) -> pd.Series:
    """Each student's influence on the year's gap (group's share minus all other students')."""
    y = frame["is_proficient"].astype(float).to_numpy()
    focal = frame["in_group"].astype(bool).to_numpy()
    values = np.empty(len(y))
    for members, sign in ((focal, 1.0), (~focal, -1.0)):
        if members.any():
            values[members] = sign * (y[members] - y[members].mean()) / members.sum()
    return pd.Series(values, index=frame["student_id"].to_numpy())


def _share(frame: pd.DataFrame) -> float:
    return float(frame["is_proficient"].astype(float).mean())


def _gap(frame: pd.DataFrame) -> float:
    focal = frame["in_group"].astype(bool)
    y = frame["is_proficient"].astype(float)
    return float(y[focal].mean() - y[~focal].mean())


def linearized(before: pd.DataFrame, after: pd.DataFrame, statistic: str = "share") -> PairedChange:
    """The change after minus before of percent proficient (`share`) or of the group's gap (`gap`), with the
    interval from each student's influence, students in both years paired."""
    influence, value = (_share_influence, _share) if statistic == "share" else (_gap_influence, _gap)
    a, b = influence(before), influence(after)
    both = b.sub(a, fill_value=0.0)  # a student's later term minus their earlier one (0 where absent)
    se = float(np.sqrt(np.square(both.to_numpy()).sum()))
    change = value(after) - value(before)
    n_both = len(set(before["student_id"]) & set(after["student_id"]))
    return PairedChange(
        100 * change, 100 * (change - Z95 * se), 100 * (change + Z95 * se), len(before), len(after), n_both
    )


def bootstrap(
    before: pd.DataFrame, after: pd.DataFrame, statistic: str = "share", draws: int = 2000, seed: int = 0
) -> tuple[float, float]:
    """The 95% percentile interval (points) of the change, the students resampled with both their years: each
    draw gives every student a weight (how often they were drawn), which both of their years carry."""
    students = pd.Index(sorted(set(before["student_id"]) | set(after["student_id"])))
    rng = np.random.default_rng(seed)
    weights = rng.multinomial(len(students), np.full(len(students), 1 / len(students)), size=draws).astype(float)

    def value(frame: pd.DataFrame) -> np.ndarray:
        w = weights[:, students.get_indexer(frame["student_id"])]
        y = frame["is_proficient"].astype(float).to_numpy()
        if statistic == "share":
            return (w @ y) / w.sum(axis=1)
        focal = frame["in_group"].astype(bool).to_numpy()
        mine, others = w[:, focal], w[:, ~focal]
        return (mine @ y[focal]) / mine.sum(axis=1) - (others @ y[~focal]) / others.sum(axis=1)

    with np.errstate(invalid="ignore", divide="ignore"):
        changes = value(after) - value(before)
    low, high = np.nanpercentile(changes, [2.5, 97.5])
    return 100 * float(low), 100 * float(high)


def independent(before: pd.DataFrame, after: pd.DataFrame, statistic: str = "share") -> tuple[float, float]:
    """The same change's interval with the two years taken as independent samples (for comparison)."""
    influence, value = (_share_influence, _share) if statistic == "share" else (_gap_influence, _gap)
    se = float(np.sqrt(np.square(influence(before).to_numpy()).sum() + np.square(influence(after).to_numpy()).sum()))
    change = value(after) - value(before)
    return 100 * (change - Z95 * se), 100 * (change + Z95 * se)
