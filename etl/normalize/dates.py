"""Dates and timestamps (ISO, US, Excel serials, time zones) and school years (`2025-26` in its spellings)."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from etl.normalize.text import as_series, clean_texts, per_distinct
from warehouse.cell_text import clean_text

# Text shapes we accept without being told, each with the strptime format that reads it. US
# month-first order: `3/4/2024` is March 4. A day-first file must say so with `fmt`; a value like
# `25/12/2023` does not fit and is flagged, never swapped.
_DATE_SHAPES: list[tuple[re.Pattern[str], list[str]]] = [
    (re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$"), ["%Y-%m-%d"]),
    (re.compile(r"^\d{4}/\d{1,2}/\d{1,2}$"), ["%Y/%m/%d"]),
    (re.compile(r"^\d{1,2}/\d{1,2}/\d{4}$"), ["%m/%d/%Y"]),
    (re.compile(r"^\d{1,2}-\d{1,2}-\d{4}$"), ["%m-%d-%Y"]),
    (re.compile(r"^\d{1,2}/\d{1,2}/\d{2}$"), ["%m/%d/%y"]),  # Python's pivot: 00-68 -> 20xx
    (re.compile(r"^\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}$"), ["%m/%d/%Y %H:%M"]),
    (re.compile(r"^\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}:\d{2}$"), ["%m/%d/%Y %H:%M:%S"]),
    (
        re.compile(r"^\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}(:\d{2})? ?[AaPp][Mm]$"),
        ["%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %I:%M %p", "%m/%d/%Y %I:%M:%S%p", "%m/%d/%Y %I:%M%p"],
    ),
    (re.compile(r"^\d{8}$"), ["%Y%m%d"]),
]


_ISO_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")


_SERIAL = re.compile(r"^\d{1,7}(\.\d+)?$")


_EXCEL_EPOCH = pd.Timestamp("1899-12-30")  # Excel's day 0, given its 1900 leap-year bug


# Dates a school's records can hold. Outside them a date is a typo (`0202-01-15`, `9999-12-31`) and is
# invalid like any other bad date; inside them it also fits pandas' nanosecond timestamps (1677-2262).
DATE_RANGE = (pd.Timestamp("1900-01-01"), pd.Timestamp("2199-12-31"))


# 1900-03-01 .. the last date of DATE_RANGE: below 61 the bug makes days ambiguous
_EXCEL_SERIALS = (61, (DATE_RANGE[1] - _EXCEL_EPOCH).days)


def parse_dates(
    series: pd.Series, fmt: str | None = None, excel_serial: bool = False, timezone: str | None = None
) -> tuple[pd.Series, pd.Series]:
    """Dates as a Series of `datetime.date` (NaT when blank or invalid), plus a mask of invalid values.

    Without `fmt`: ISO `2023-08-25`, ISO timestamps (`2023-08-25T17:34:09.000Z`, `+02:00`),
    `8/25/2023`, `08-25-2023`, `8/25/23`, `8/25/2023 17:34:09`, `8/25/2023 5:34 PM`, `2023/08/25`,
    `20230825`. Month first: `25/12/2023` is invalid unless `fmt="%d/%m/%Y"` says so.
    A timestamp's date is the calendar date as written; give `timezone` (e.g. "America/Chicago")
    to take the local date of a zoned timestamp instead (`...T03:00Z` is the day before in Chicago).
    `excel_serial=True` also reads spreadsheet day numbers (`45123`, `45123.5` -> 2023-07-16);
    otherwise numbers are invalid. An explicit `fmt` (strptime codes) is the only format tried.
    """
    series = as_series(series)
    codes, distinct = pd.factorize(series, use_na_sentinel=True)
    texts = clean_texts(pd.Series(distinct, dtype="object"))
    parsed = _parse_date_texts(texts, fmt, excel_serial, timezone)
    results = np.empty(len(texts) + 1, dtype=object)
    results[:] = [*parsed, pd.NaT]
    invalid = np.array([*(texts.notna() & parsed.isna()), False], dtype=bool)
    return (
        pd.Series(results[codes], index=series.index, name=series.name, dtype="object"),
        pd.Series(invalid[codes], index=series.index, name=series.name),
    )


def _parse_date_texts(texts: pd.Series, fmt: str | None, excel_serial: bool, timezone: str | None) -> pd.Series:
    """Parse each distinct text, vectorized one format at a time; NaT where nothing fits."""
    stamps = pd.Series(pd.NaT, index=texts.index, dtype="datetime64[ns]")
    present = texts.notna()
    if not present.any():
        return pd.Series(pd.NaT, index=texts.index, dtype="object")
    if fmt:
        stamps[present] = _bounded(_to_datetime(texts[present], fmt))
        return _as_dates(stamps)
    _parse_iso_timestamps(texts[present], stamps, timezone)
    for shape, shape_formats in _DATE_SHAPES:
        for candidate in shape_formats:
            todo = _still_unparsed(texts, stamps, shape)
            if todo.any():
                stamps[todo] = _bounded(_to_datetime(texts[todo], candidate))
    if excel_serial:
        todo = _still_unparsed(texts, stamps, _SERIAL)
        days = pd.to_numeric(texts[todo], errors="coerce")
        days = days.where(days.between(*_EXCEL_SERIALS))
        stamps[todo] = _EXCEL_EPOCH + pd.to_timedelta(np.floor(days), unit="D")
    return _as_dates(stamps)


def _still_unparsed(texts: pd.Series, stamps: pd.Series, shape: re.Pattern[str]) -> pd.Series:
    """Mask of texts not parsed yet that have `shape` (matched only on those, to stay fast)."""
    todo = stamps.isna() & texts.notna()
    if todo.any():
        todo[todo] = texts[todo].str.match(shape.pattern).fillna(False).astype(bool)
    return todo


def _parse_iso_timestamps(texts: pd.Series, stamps: pd.Series, timezone: str | None) -> None:
    """Fill `stamps` for ISO timestamps: validated whole, dated as written unless `timezone`."""
    iso_texts = texts[texts.str.match(_ISO_TIMESTAMP.pattern).fillna(False).astype(bool)]
    if iso_texts.empty:
        return
    whole = pd.to_datetime(iso_texts, format="ISO8601", errors="coerce", utc=True)  # validity
    whole = whole.where(whole.dt.tz_localize(None).between(*DATE_RANGE))
    dates = _bounded(_to_datetime(iso_texts.str.slice(0, 10), "%Y-%m-%d"))
    dates = dates.where(whole.notna())
    if timezone:
        zoned = iso_texts.str.contains(r"(?:Z|[+-]\d{2}:?\d{2})$", regex=True)
        dates = dates.where(~zoned, _naive(whole.dt.tz_convert(timezone)))
    stamps[iso_texts.index] = dates


def _to_datetime(texts: pd.Series, fmt: str) -> pd.Series:
    """pd.to_datetime, NaT where the text does not fit; at second resolution, so that a year such as
    0202 or 9999 parses (to be refused by _bounded) instead of overflowing nanoseconds."""
    try:
        parsed = pd.to_datetime(texts, format=fmt, errors="coerce")
        if getattr(parsed.dt, "tz", None) is not None:
            parsed = parsed.dt.tz_localize(None)
        return parsed.astype("datetime64[s]")
    except (OverflowError, ValueError, pd.errors.OutOfBoundsDatetime):
        return pd.Series([_one_datetime(t, fmt) for t in texts], index=texts.index, dtype="datetime64[s]")


def _one_datetime(text, fmt: str):
    try:
        return pd.to_datetime(text, format=fmt).tz_localize(None).to_datetime64().astype("datetime64[s]")
    except (OverflowError, ValueError, TypeError, pd.errors.OutOfBoundsDatetime):
        return np.datetime64("NaT", "s")


def _bounded(stamps: pd.Series) -> pd.Series:
    """Timestamps outside DATE_RANGE become NaT, and the rest nanosecond timestamps."""
    inside = stamps.between(*DATE_RANGE)
    return stamps.where(inside).astype("datetime64[ns]")


def _naive(stamps: pd.Series) -> pd.Series:
    if getattr(stamps.dt, "tz", None) is not None:
        stamps = stamps.dt.tz_localize(None)
    return stamps.astype("datetime64[ns]")


def _as_dates(stamps: pd.Series) -> pd.Series:
    dates = stamps.dt.date.astype("object")
    return dates.where(stamps.notna(), pd.NaT)


_SCHOOL_YEAR = re.compile(r"^(?:sy|school\s*year)?\s*(\d{4}|\d{2})\s*[-/–—_ ]\s*(\d{4}|\d{2})(?:\s*school\s*year)?$")


_ENDING_YEAR = re.compile(r"^(?:sy|school\s*year)?\s*(\d{4})(?:\.0+)?$")  # `2026.0`: Excel


_YEARS = (1990, 2100)


def school_year_of(value: Any) -> str | None:
    """`2025-26` for one cell, or None when it is not a school year."""
    text = clean_text(value)
    if text is None:
        return None
    key = text.lower()
    span = _SCHOOL_YEAR.match(key)
    if span:
        start = int(span.group(1)) if len(span.group(1)) == 4 else 2000 + int(span.group(1))
        end_digits = span.group(2)
        # The end is the next year, written whole (`2025-2026`) or by its last two digits (`1999-00`).
        follows = (int(end_digits) == start + 1) if len(end_digits) == 4 else (int(end_digits) == (start + 1) % 100)
        return _canonical_year(start) if follows and _YEARS[0] <= start < _YEARS[1] else None
    ending = _ENDING_YEAR.match(key)
    if ending:
        end = int(ending.group(1))
        return _canonical_year(end - 1) if _YEARS[0] < end <= _YEARS[1] else None
    return None


def _canonical_year(start: int) -> str:
    return f"{start}-{(start + 1) % 100:02d}"


def parse_school_year(values: Any) -> Any:
    """School years in the canonical `2025-26` form.

    `2025-26`, `2025-2026`, `2025/26`, `2025–26`, `SY2025-26`, `SY 25-26`, `25-26`, and a single
    year meaning the year that ends then (`2026` -> `2025-26`, as Ed-Fi's SchoolYear does).
    The end must be the start plus one. Given a Series: returns (Series of text or None, mask of
    invalid values; blank is None and not invalid). Given one value: returns the text and raises
    ValueError when it is not a school year.
    """
    if not isinstance(values, (pd.Series, list, tuple, np.ndarray, pd.Index)):
        year = school_year_of(values)
        if year is None:
            raise ValueError(f"not a school year: {values!r} (write it like 2025-26)")
        return year
    series = as_series(values)

    def classify(value: Any) -> tuple[str | None, bool]:
        year = school_year_of(value)
        return year, year is None and clean_text(value) is not None

    years, invalid = per_distinct(series, classify, blank=(None, False))
    return (
        pd.Series(years, index=series.index, name=series.name, dtype="object"),
        pd.Series(invalid, index=series.index, name=series.name),
    )
