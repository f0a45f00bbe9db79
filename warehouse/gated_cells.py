"""What a cell that passed the privacy gate holds, and how it reads: a figure, a label the gate left in its place
(`n<10` for a group too small to show, `<=5%` for a coded rate), or nothing (a figure withheld beside a label).

Every layer that reads gated frames (queries, answers, charts, exports, pages) takes numbers and labels from here,
so the label a person sees for a hidden figure is written in one place. docs/privacy.md states the rules.
"""

from __future__ import annotations

import math

import pandas as pd

SUPPRESSED_N = "n<10"  # what a hidden figure shows when the gate left no label of its own in the cell


def number(value) -> float | None:
    """A gated cell as a number, or None when the gate left a label (n<10, <=5%) or nothing."""
    if value is None or isinstance(value, (str, bool)):
        return None
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(value) else value


def numeric(frame: pd.DataFrame, column: str) -> pd.Series:
    """A gated column as numbers for charts: suppressed and coded cells become NaN."""
    return pd.to_numeric(frame[column], errors="coerce")


def hidden_label(value) -> str:
    """What a cell without a figure shows: the gate's own label (`n<10`, `<=5%`), else the suppressed label."""
    return str(value) if isinstance(value, str) else SUPPRESSED_N


def as_text(value, fmt: str = "{:.0f}%") -> str:
    """A gated cell as a person reads it: the figure in `fmt`, or the label in its place."""
    figure = number(value)
    return hidden_label(value) if figure is None else fmt.format(figure)
