"""CSV that spreadsheet programs cannot turn into formulas (OWASP CSV injection)."""

from __future__ import annotations

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe; numbers stay. Spreadsheets skip
    leading spaces before reading a formula, so the test is made after them."""
    if isinstance(value, str) and (value.startswith(FORMULA_STARTS) or value.lstrip().startswith(FORMULA_STARTS)):
        return "'" + value
    return value


def to_safe_csv(frame: pd.DataFrame) -> str:
    """The frame as CSV with every text cell and column name escaped; numeric cells (negative ones too) are
    written as numbers, whatever the column's dtype (gated columns mix numbers and labels such as `n<10`)."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(escape_cell)
    safe.columns = [escape_cell(str(c)) for c in safe.columns]
    # CRLF line ends (RFC 4180) make the csv writer quote any cell holding a bare CR or LF, so an escaped
    # "\r=..." cell stays one cell when a spreadsheet reads it back
    return safe.to_csv(index=False, lineterminator="\r\n")
