"""Which candidate findings survive scrutiny, and how their numbers are put in words (pure; no data access).

The deck chooses a few findings from many candidates (every content area's change, every group's gap in
every content area, every gap change, every survey difference). Chosen that way, some would look real by
chance alone, so every candidate is tested together: each one's two-sided p-value is read from its 95%
interval (normal approximation, the interval's half-width is 1.96 standard errors) and Holm's step-down
correction is applied over all of them; a candidate is called out only when its Holm-adjusted p-value is
below 0.05 (the chance of calling out any difference that is not there stays under 5%).

Numbers in headlines: the range is said in plain words ("give or take 4": half the width of the 95%
interval), and the endpoints shown agree with the change stated (whole numbers when their difference is
the stated change, else one decimal).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

Z95 = 1.959964
ALPHA = 0.05


def p_from_interval(estimate: float, low: float, high: float) -> float:
    """Two-sided p-value of `estimate` against zero, its standard error read from its 95% interval."""
    if any(math.isnan(v) for v in (estimate, low, high)):
        return math.nan
    se = (high - low) / (2 * Z95)
    if se <= 0:
        return 0.0 if estimate != 0 else 1.0
    return math.erfc(abs(estimate) / se / math.sqrt(2))


def difference_interval(p1: float, n1: float, p2: float, n2: float) -> tuple[float, float, float]:
    """The difference p1 - p2 of two shares (0-1) with its 95% Wald interval, as (estimate, low, high)."""
    estimate = p1 - p2
    se = math.sqrt(max(p1 * (1 - p1), 0) / n1 + max(p2 * (1 - p2), 0) / n2)
    return estimate, estimate - Z95 * se, estimate + Z95 * se


def holm(p_values: list[float]) -> list[float]:
    """Holm's step-down adjusted p-values (same order as given; NaN stays NaN and is not counted)."""
    tested = sorted((p, i) for i, p in enumerate(p_values) if not math.isnan(p))
    m = len(tested)
    adjusted = [math.nan] * len(p_values)
    running = 0.0
    for rank, (p, i) in enumerate(tested):
        running = max(running, min(1.0, (m - rank) * p))
        adjusted[i] = running
    return adjusted


@dataclass
class Candidate:
    """One comparison the deck could call out. `estimate`, `low`, `high` in percentage points."""

    key: str
    kind: str
    label: str  # in plain words, for the methods slide
    estimate: float
    low: float
    high: float
    p_value: float = math.nan
    p_holm: float = math.nan
    extra: dict = field(default_factory=dict)  # whatever the finding needs to be written (the row, params)

    @property
    def is_called_out(self) -> bool:
        return not math.isnan(self.p_holm) and self.p_holm < ALPHA

    @property
    def is_nominal(self) -> bool:
        """Significant on its own, before the correction."""
        return not math.isnan(self.p_value) and self.p_value < ALPHA


def test_together(candidates: list[Candidate]) -> list[Candidate]:
    """Every candidate's p-value and Holm-adjusted p-value, over the whole family at once."""
    for candidate in candidates:
        candidate.p_value = p_from_interval(candidate.estimate, candidate.low, candidate.high)
    for candidate, adjusted in zip(candidates, holm([c.p_value for c in candidates])):
        candidate.p_holm = adjusted
    return candidates


test_together.__test__ = False  # a function, not a pytest test, whatever its name


def give_or_take(low: float, high: float) -> str:
    """Half the interval's width in whole points (at least 1)."""
    return f"{max(1, _half_up((high - low) / 2)):.0f}"


def _half_up(value: float) -> int:
    return int(math.floor(abs(value) + 0.5)) * (1 if value >= 0 else -1)


def whole(value: float) -> str:
    return f"{_half_up(value):d}"


def agreeing(start: float, end: float, change: float, signed: bool = False) -> tuple[str, str, str]:
    """(start, end, change) as shown: the change in whole points (its size; `signed` keeps the sign of the
    endpoints' texts), the endpoints whole when their shown difference is the change, else to one decimal
    (and the change too, in the rare case one decimal still disagrees)."""
    size = abs(_half_up(change))
    fmt = (lambda v: f"{_half_up(v):+d}") if signed else whole
    if abs(_half_up(end) - _half_up(start)) == size:
        return fmt(start), fmt(end), str(size)
    one = (lambda v: f"{v:+.1f}") if signed else (lambda v: f"{v:.1f}")
    start_1, end_1 = round(start, 1), round(end, 1)
    if abs(_half_up(end_1 - start_1)) == size:
        return one(start_1), one(end_1), str(size)
    return one(start_1), one(end_1), f"{abs(end_1 - start_1):.1f}"
