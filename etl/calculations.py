"""Calculation methods (docs/numbers.md), vectorized over every student x standard at once.

Input: pieces of evidence sorted by group and then by date (a group is one student x standard x
period); `group_ids` marks which group each piece belongs to. Same-day scores were already averaged
into one piece (etl/standard_scores.py builds both). Window functions in SQL did the same work several
times slower on ten million scores.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

POWER_LAW_FLOOR = 0.1  # ln(0) is undefined; a 0 mark enters the power-law fit as 0.1
PACKED_BITS = 63  # bits of an int64 that hold packed counts (the sign bit stays clear)


def group_bounds(group_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end (exclusive) index of each run of equal, adjacent group ids."""
    if len(group_ids) == 0:
        return np.array([], dtype=np.int64), np.array([], dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, group_ids[1:] != group_ids[:-1]])
    ends = np.r_[starts[1:], len(group_ids)]
    return starts, ends


def calculate(
    group_ids: np.ndarray, scores: np.ndarray, decaying_weight: float = 0.65, most_recent_n: int = 3
) -> dict[str, np.ndarray]:
    """Every method's calculated score per group, in group order (one value per run of ids)."""
    scores = np.asarray(scores, dtype=np.float64)
    starts, ends = group_bounds(np.asarray(group_ids))
    counts = ends - starts
    if len(starts) == 0:
        empty = np.array([], dtype=np.float64)
        return {
            k: empty
            for k in (
                "group_id",
                "n_evidence",
                "most_recent",
                "most_recent_n",
                "highest",
                "mean",
                "mode",
                "decaying_average",
                "power_law",
                "first",
            )
        }
    cumulative = np.r_[0.0, np.cumsum(scores)]
    recent_start = np.maximum(starts, ends - most_recent_n)
    results = {
        "group_id": np.asarray(group_ids)[starts],
        "n_evidence": counts,
        "most_recent": scores[ends - 1],
        "most_recent_n": (cumulative[ends] - cumulative[recent_start]) / (ends - recent_start),
        "highest": np.maximum.reduceat(scores, starts),
        "mean": (cumulative[ends] - cumulative[starts]) / counts,
        "mode": _mode_of_groups(starts, ends, counts, scores),
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


def _mode_of_groups(starts, ends, counts, scores) -> np.ndarray:
    """With one or two pieces the mode is the newest (two different values tie, and the tie goes to the
    one seen last), so only groups of three or more are counted."""
    mode = scores[ends - 1]
    counted = counts >= 3
    if counted.any():
        pieces = np.repeat(counted, counts)
        kept_counts = counts[counted]
        mode[counted] = _mode(np.r_[0, np.cumsum(kept_counts)[:-1]], kept_counts, scores[pieces])
    return mode


def _mode(starts, counts, scores) -> np.ndarray:
    """The most frequent value; a tie goes to the tied value seen most recently.

    Marks take a handful of values (1-4, with halves or thirds), so a group's count of each value fits in
    a few bits: the counts of many values are packed into one int64 per group and summed in one pass per
    word of values, instead of sorting every piece. The mode is then the value of the group's last piece
    whose value has the top count."""
    distinct = np.sort(pd.unique(scores))  # a hash pass; np.unique would sort every piece
    bits = int(counts.max()).bit_length()
    values_per_word = PACKED_BITS // bits
    rank = np.searchsorted(distinct, scores)
    word, shift = np.divmod(rank, values_per_word)
    shift = shift.astype(np.int64) * bits
    count_mask = (1 << bits) - 1
    group = np.repeat(np.arange(len(starts)), counts)
    top = np.zeros(len(starts), dtype=np.int64)
    times = np.zeros(len(scores), dtype=np.int64)  # per piece: how often its value occurs in its group
    ones = np.left_shift(np.int64(1), shift)
    n_words = int(word.max()) + 1
    for w in range(n_words):
        # with one word (the usual case) every piece is in it: no masks to build
        in_word = slice(None) if n_words == 1 else word == w
        packed = np.add.reduceat(ones if n_words == 1 else np.where(in_word, ones, 0), starts)
        for value_shift in range(0, values_per_word * bits, bits):
            top = np.maximum(top, (packed >> value_shift) & count_mask)
        times[in_word] = (packed[group[in_word]] >> shift[in_word]) & count_mask
    last_top = np.maximum.reduceat(np.where(times == top[group], np.arange(len(scores)), -1), starts)
    return scores[last_top]
