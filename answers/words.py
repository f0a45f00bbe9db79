"""Numbers in words a reader does not have to decode: percents, percentage points, counts, small groups."""

from __future__ import annotations

import numpy as np

from warehouse.gated_cells import number

RELIABLE_N = 30  # fewer students than this: a percent moves a lot with one student, so the sentence says so


def is_true(value) -> bool:
    """A gated yes/no cell: True only for a real true (numpy's too), never for None or a label."""
    return value is True or (isinstance(value, np.bool_) and bool(value))


def pct(value) -> str:
    """32% (a coded cell such as `<=5%` as it is)."""
    figure = number(value)
    if figure is None:
        return str(value) if isinstance(value, str) else "not shown"
    return f"{figure:.0f}%"


def points(value: float) -> str:
    """Percentage points, rounded, without sign: '7 points', '1 point'."""
    size = abs(round(value))
    return f"{size:,} point" + ("" if size == 1 else "s")


def count(value) -> str:
    figure = number(value)
    return f"{int(figure):,}" if figure is not None else (str(value) if value is not None else "not shown")


def small_group_note(name: str, n) -> str | None:
    """A sentence flagging a group too small to read closely, or None."""
    figure = number(n)
    if figure is None:
        return f"{name}: fewer than 10 students, so no figure is shown."
    if figure < RELIABLE_N:
        return (
            f"{name}: only {int(figure):,} students, so one student moves the percent by "
            f"{100 / figure:.0f} points; read it with caution."
        )
    return None


def possessive(name: str) -> str:
    return name + ("'" if name.endswith("s") else "'s")


def group_noun(label: str) -> str:
    """A group's label as the people it counts: 'Asian' -> 'Asian students'; 'English learners' stays."""
    lowered = label.lower()
    if any(word in lowered for word in ("students", "learners", "student")):
        return label
    return f"{label} students"
