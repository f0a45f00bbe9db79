"""The school year of a date: the one rule every loader, page and export uses (docs/numbers.md,
"School year of a date"). July 1 starts a school year, so 2025-07-01 .. 2026-06-30 is 2025-26. The warehouse
macro `school_year_of` (schema/02_macros.sql) is the same rule in SQL; tests/test_school_years.py holds the two
to each other on every day of a year. A gradebook format may name another start month for its dates
(`school_year_start_month` in a mapping), never another rule."""

from __future__ import annotations

from datetime import date, timedelta

START_MONTH = 7  # July


def school_year_of_date(day: date, start_month: int = START_MONTH) -> str:
    """`2025-26` for any day from the start month of 2025 to the month before it in 2026."""
    start = day.year if day.month >= start_month else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def school_year_bounds(school_year: str) -> tuple[date, date]:
    """The first and last day of a school year such as `2025-26`."""
    start = int(school_year[:4])
    return date(start, START_MONTH, 1), date(start + 1, START_MONTH, 1) - timedelta(days=1)
