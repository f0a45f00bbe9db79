"""The vectorized calculation methods agree with a plain per-student reading of docs/numbers.md."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.calculations import calculate


def plain_methods(pieces: list[float], weight: float, n_recent: int) -> dict[str, float]:
    """One group, oldest piece first, written the slow obvious way."""
    decaying = pieces[0]
    for value in pieces[1:]:
        decaying = weight * value + (1 - weight) * decaying
    counts = Counter(pieces)
    top = max(counts.values())
    mode = next(v for v in reversed(pieces) if counts[v] == top)  # the tied value seen last
    if len(pieces) == 1:
        power = pieces[0]
    else:
        xs = [math.log(k) for k in range(1, len(pieces) + 1)]
        ys = [math.log(max(v, 0.1)) for v in pieces]
        slope, intercept = np.polyfit(xs, ys, 1)
        power = min(4.0, max(0.0, math.exp(intercept + slope * xs[-1])))
    return {
        "most_recent": pieces[-1],
        "most_recent_n": sum(pieces[-n_recent:]) / len(pieces[-n_recent:]),
        "highest": max(pieces),
        "mean": sum(pieces) / len(pieces),
        "mode": mode,
        "decaying_average": decaying,
        "power_law": power,
        "first": pieces[0],
        "n_evidence": len(pieces),
    }


marks = st.sampled_from([0.0, 1.0, 1.5, 2.0, 2.33, 2.5, 2.67, 3.0, 3.33, 3.5, 4.0])
groups_strategy = st.lists(st.lists(marks, min_size=1, max_size=9), min_size=1, max_size=25)


@settings(max_examples=200, deadline=None)
@given(groups=groups_strategy, weight=st.floats(min_value=0.05, max_value=0.95), n_recent=st.integers(1, 5))
def test_vectorized_matches_plain(groups, weight, n_recent):
    ids = np.concatenate([np.full(len(g), i) for i, g in enumerate(groups)])
    scores = np.concatenate([np.array(g) for g in groups])
    result = calculate(ids, scores, weight, n_recent)
    for i, pieces in enumerate(groups):
        expected = plain_methods(pieces, weight, n_recent)
        for method, value in expected.items():
            assert result[method][i] == pytest.approx(value, abs=1e-9), (method, pieces)


def test_empty_input_gives_empty_results():
    result = calculate(np.array([], dtype=np.int64), np.array([], dtype=np.float64))
    assert all(len(v) == 0 for v in result.values())


# Marks that are means of same-day scores take many values; with long groups their counts no longer pack
# into one int64, so the mode is counted word by word.
many_marks = st.integers(0, 400).map(lambda units: units / 100)


@settings(max_examples=100, deadline=None)
@given(groups=st.lists(st.lists(many_marks, min_size=1, max_size=40), min_size=1, max_size=20))
def test_mode_with_many_distinct_values_matches_plain(groups):
    ids = np.concatenate([np.full(len(g), i) for i, g in enumerate(groups)])
    scores = np.concatenate([np.array(g) for g in groups])
    result = calculate(ids, scores)
    for i, pieces in enumerate(groups):
        assert result["mode"][i] == plain_methods(pieces, 0.65, 3)["mode"], pieces
