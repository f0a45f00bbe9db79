"""Query parameters checked by type before they reach SQL.

Parameters are always bound, never formatted in, so a value like `3 or 1=1` cannot change a query; but
DuckDB would still fail on it deep inside the statement with a ConversionException. Each parameter name
means one kind of value in every query (school_year is always a school year, as_of always a date), so the
kind is decided here by name, and a wrong value is refused with one line saying how to write it.
Values that are already typed (ints, dates, the pages' own values) pass unchanged.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from warehouse.grade_levels import grade_level_of

SCHOOL_YEAR = re.compile(r"^(\d{4})-(\d{2})$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_TEXT = 200  # ids, names of constructs, roles: none is longer; a longer value is a mistake


class ParameterError(ValueError):
    """A parameter's value is not of its kind; the message is the one line a person sees."""


def _refuse(name: str, value: Any, kind: str, example: str) -> ParameterError:
    shown = str(value)
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    return ParameterError(f"parameter {name}: {shown!r} is not {kind}: write it like {example}")


def _school_year(name: str, value: Any):
    match = SCHOOL_YEAR.match(str(value).strip())
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise _refuse(name, value, "a school year", "2025-26")
    return match.group(0)


def _grade(name: str, value: Any):
    if isinstance(value, bool):
        raise _refuse(name, value, "a grade level", "3 (K is 0, pre-K -1)")
    if isinstance(value, numbers.Integral):
        number = int(value)
    else:
        number = grade_level_of(value)
        if number is None and re.fullmatch(r"\s*-1\s*", str(value)):
            number = -1
    if number is None or not -1 <= number <= 12:
        raise _refuse(name, value, "a grade level", "3 (K is 0, pre-K -1)")
    return number


def _date(name: str, value: Any):
    if isinstance(value, (date, datetime)):
        return value
    text = str(value).strip()
    try:
        if not ISO_DATE.match(text):
            raise ValueError
        date.fromisoformat(text)
    except ValueError:
        raise _refuse(name, value, "a date", "2025-10-31 (year-month-day)") from None
    return text


def _number(low: float, high: float, example: str, district_ok: bool = True):
    def check(name: str, value: Any):
        if district_ok and value == "district":
            return value
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise _refuse(name, value, f"a number from {low:g} to {high:g}", example) from None
        if math.isnan(number) or not low <= number <= high:
            raise _refuse(name, value, f"a number from {low:g} to {high:g}", example)
        return value if isinstance(value, (int, float)) else number

    return check


def _count(low: int, high: int, example: str):
    def check(name: str, value: Any):
        if value == "district":
            return value
        text = str(value).strip()
        if isinstance(value, bool) or not re.fullmatch(r"\d+", text) or not low <= int(text) <= high:
            raise _refuse(name, value, f"a whole number from {low} to {high}", example)
        return int(text)

    return check


def _text(name: str, value: Any):
    if not isinstance(value, str):
        return value
    if len(value) > MAX_TEXT or any(ord(c) < 32 for c in value):
        raise _refuse(name, value, f"an id or name (at most {MAX_TEXT} characters, no control characters)", "S1")
    return value


KINDS: dict[str, Callable[[str, Any], Any]] = {
    "school_year": _school_year,
    "from_year": _school_year,
    "to_year": _school_year,
    "grade_level": _grade,
    "continuum_level": _grade,
    "as_of": _date,
    "cut": _number(0, 4, "3 (on the 1-4 scale)"),
    "decaying_weight": _number(0, 1, "0.65", district_ok=False),
    "most_recent_n": _count(1, 100, "3"),
    "min_evidence": _count(0, 1000, "2"),
}


def validate(params: dict) -> dict:
    """The parameters with each value checked (and, from text, converted) by its kind; raises
    ParameterError naming the first parameter that is wrong. None means "not given" and passes."""
    checked = {}
    for name, value in params.items():
        if value is None or name == "school_ids":
            checked[name] = value
            continue
        checked[name] = KINDS.get(name, _text)(name, value)
    return checked
