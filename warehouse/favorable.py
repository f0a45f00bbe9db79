"""Which answers of a survey scale count as favorable (docs/numbers.md, "Survey favorability"): the top two
points of a 4- or 5-point scale, the top three of a 6- or 7-point one, the top one of 2 or 3 points, about the
top 30% of a longer one. The warehouse macro `favorable_points` (schema/02_macros.sql) is the same rule in SQL,
which every survey query and the release use; tests/test_labels.py holds the two to each other."""

from __future__ import annotations


def favorable_points(scale_points: int) -> int:
    """How many of a scale's top points count as favorable."""
    if scale_points <= 3:
        return 1
    if scale_points <= 5:
        return 2
    if scale_points <= 7:
        return 3
    return int(round(scale_points * 0.3))
