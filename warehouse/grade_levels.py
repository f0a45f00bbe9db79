"""A grade level from how a cell or a query parameter writes it: K is 0, pre-K -1, then 1 to 12. One home for
the rule, used by the loaders (etl/normalize/ spreads it over a column) and by query parameters
(queries/params.py)."""

from __future__ import annotations

import re
from typing import Any

from warehouse.cell_text import clean_text

PRE_K = -1  # pre-kindergarten, transitional kindergarten and preschool all sit one step below K
_KINDERGARTEN = frozenset({"k", "kg", "0k", "00", "0", "k5", "kindergarten", "kinder", "kindergarden"})
_PRE_KINDERGARTEN = frozenset(
    {
        "pk",
        "prek",
        "pre k",
        "pre-k",
        "pre-kindergarten",
        "prekindergarten",
        "pre kindergarten",
        "tk",
        "transitional kindergarten",
        "k4",
        "pk3",
        "pk4",
        "ps",
        "preschool",
        "preschool/prekindergarten",  # Ed-Fi GradeLevelDescriptor
    }
)
_ORDINAL_WORDS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
}
# `3`, `03`, `3rd`, `Grade 3`, `Gr. 3`, `3rd Grade`, `Grade 08`, `G3`
_NUMBERED_GRADE = re.compile(
    r"^(?:(?:grade|grd\.?|gr\.?|g)\s*)?(\d{1,2})(?:\.0+)?(st|nd|rd|th)?(?:\s*grade)?$"  # `9.0`: Excel
)
_ORDINAL_GRADE = re.compile(r"^(?:grade\s+)?([a-z]+)(?:\s+grade)?$")


def _ordinal_suffix(number: int) -> str:
    if number % 100 in (11, 12, 13):
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")


def grade_level_of(value: Any) -> int | None:
    """Grade as an int (K=0, pre-K=-1, 1..12) for one cell, or None when it is not one."""
    text = clean_text(value)
    if text is None:
        return None
    key = text.lower().rstrip(".")
    key = re.sub(r"^grade\s+(?=[a-z])", "", key)  # `Grade K`, `Grade PK`
    if key in _KINDERGARTEN:
        return 0
    if key in _PRE_KINDERGARTEN:
        return PRE_K
    numbered = _NUMBERED_GRADE.match(key)
    if numbered:
        number, suffix = int(numbered.group(1)), numbered.group(2)
        if suffix and (number == 0 or suffix != _ordinal_suffix(number)):
            return None  # `0th`, `2st`: a typo, not a grade we should guess
        return number if 0 <= number <= 12 else None
    ordinal = _ORDINAL_GRADE.match(key)
    if ordinal and ordinal.group(1) in _ORDINAL_WORDS:
        return _ORDINAL_WORDS[ordinal.group(1)]
    return None
