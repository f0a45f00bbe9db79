"""Calculation methods (DESIGN.md section 4), vectorized over every student x standard at once.

Input: pieces of evidence sorted by group and then by date (a group is one student x standard x
period); `group_ids` marks which group each piece belongs to. Same-day scores were already averaged
into one piece. Window functions in SQL did the same work several times slower on ten million
scores, so the marts hand the sorted pieces to numpy and join the results back.
"""
from __future__ import annotations

import numpy as np

POWER_LAW_FLOOR = 0.1  # ln(0) is undefined; a 0 mark enters the power-law fit as 0.1


def group_bounds(group_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end (exclusive) index of each run of equal, adjacent group ids."""
    if len(group_ids) == 0:
        return np.array([], dtype=np.int64), np.array([], dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, group_ids[1:] != group_ids[:-1]])
    ends = np.r_[starts[1:], len(group_ids)]
    return starts, ends


def calculate(group_ids: np.ndarray, scores: np.ndarray, decaying_weight: float = 0.65,
              most_recent_n: int = 3) -> dict[str, np.ndarray]:
    """Every method's calculated score per group, in group order (one value per run of ids)."""
    scores = np.asarray(scores, dtype=np.float64)
    starts, ends = group_bounds(np.asarray(group_ids))
    counts = ends - starts
    if len(starts) == 0:
        empty = np.array([], dtype=np.float64)
        return {k: empty for k in ("group_id", "n_evidence", "most_recent", "most_recent_n", "highest", "mean",
                                   "mode", "decaying_average", "power_law", "first")}
    cumulative = np.r_[0.0, np.cumsum(scores)]
    recent_start = np.maximum(starts, ends - most_recent_n)
    results = {
        "group_id": np.asarray(group_ids)[starts],
        "n_evidence": counts,
        "most_recent": scores[ends - 1],
        "most_recent_n": (cumulative[ends] - cumulative[recent_start]) / (ends - recent_start),
        "highest": np.maximum.reduceat(scores, starts),
        "mean": (cumulative[ends] - cumulative[starts]) / counts,
        "mode": _mode(starts, counts, scores),
        "decaying_average": _decaying_average(starts, ends, counts, scores, decaying_weight),
        "power_law": _power_law(starts, counts, scores),
        "first": scores[starts],
    }
    # Floating-point sums leave 2.9999999999999996 where the arithmetic says 3: a student exactly at
    # the cut must count as proficient, so calculated scores keep nine decimals.
    for method in ("most_recent_n", "mean", "decaying_average", "power_law"):
        results[method] = np.round(results[method], 9)
    return results


def _positions(starts: np.ndarray, counts: np.ndarray, total: int) -> np.ndarray:
    """1-based position of each piece within its group, oldest = 1."""
    return np.arange(total) - np.repeat(starts, counts) + 1


def _decaying_average(starts, ends, counts, scores, weight: float) -> np.ndarray:
    """D1 = x1, Dk = w xk + (1 - w) D(k-1), unrolled: the newest piece weighs w, the one before
    w(1 - w), and so on; the oldest keeps what is left, (1 - w)^(n - 1), so weights sum to 1."""
    from_newest = np.repeat(ends - 1, counts) - np.arange(len(scores))
    weights = weight * (1 - weight) ** from_newest
    weights[starts] = (1 - weight) ** (counts - 1)
    return np.add.reduceat(weights * scores, starts)


def _power_law(starts, counts, scores) -> np.ndarray:
    """Marzano's power law: least squares of ln(score) on ln(position), read at the newest position."""
    x = np.log(_positions(starts, counts, len(scores)).astype(np.float64))
    y = np.log(np.maximum(scores, POWER_LAW_FLOOR))
    sx, sy = np.add.reduceat(x, starts), np.add.reduceat(y, starts)
    sxx, sxy = np.add.reduceat(x * x, starts), np.add.reduceat(x * y, starts)
    denominator = counts * sxx - sx * sx
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = np.where(denominator > 0, (counts * sxy - sx * sy) / denominator, 0.0)
        intercept = (sy - slope * sx) / counts
        predicted = np.exp(intercept + slope * np.log(counts))
    predicted = np.clip(predicted, 0.0, 4.0)
    return np.where(counts == 1, scores[starts], predicted)


def _mode(starts, counts, scores) -> np.ndarray:
    """The most frequent value; a tie goes to the tied value seen most recently."""
    distinct, value_rank = np.unique(scores, return_inverse=True)
    group = np.repeat(np.arange(len(starts)), counts)
    # One integer key per (group, value); a stable sort keeps each run's pieces in time order.
    key = group * len(distinct) + value_rank
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    run_starts = np.flatnonzero(np.r_[True, sorted_key[1:] != sorted_key[:-1]])
    run_ends = np.r_[run_starts[1:], len(sorted_key)]
    run_group = group[order[run_starts]]
    run_value = scores[order[run_starts]]
    # rank runs by count, then by when the value was last seen (its latest original position)
    strength = (run_ends - run_starts) * (len(scores) + 1) + order[run_ends - 1]
    group_first_run = np.flatnonzero(np.r_[True, run_group[1:] != run_group[:-1]])
    best_strength = np.repeat(np.maximum.reduceat(strength, group_first_run),
                              np.diff(np.r_[group_first_run, len(run_group)]))
    return run_value[strength == best_strength]
