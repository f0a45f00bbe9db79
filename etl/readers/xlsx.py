"""Excel workbooks: the first sheet's cells as the text a person sees in Excel."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from etl.errors import LoadRefused
from etl.readers.csv_files import drop_raw_objects
from etl.readers.raw import MAX_COLUMNS, ZERO_PADDED_FORMAT, RawTable
from etl.readers.sniff import column_keys, find_header, rows_below_header


def read_xlsx(con: duckdb.DuckDBPyConnection, path: Path, table: str) -> RawTable:
    sheet_title, rows, row_numbers = _xlsx_rows(path)
    if not rows:
        raise LoadRefused(f"{path.name}: the first sheet is empty")
    header_index = find_header(rows)
    below, data_start = rows_below_header(rows, header_index)
    keys, headers = column_keys([c.strip() for c in rows[header_index]])
    width = len(keys)
    body = [(r + [""] * width)[:width] for r in rows[data_start:]]
    if not body:
        raise LoadRefused(f"{path.name}: the first sheet has a header but no data rows")
    frame = pd.DataFrame(body, columns=keys, dtype="object").replace({"": None})
    # The sheet's own row numbers, so a reject points at the row Excel shows, blank rows or not.
    frame.insert(0, "line_number", pd.Series(row_numbers[data_start:], dtype="int64"))
    drop_raw_objects(con, table)
    con.register("xlsx_frame", frame)
    con.execute(f"create temp table {table} as select * from xlsx_frame")
    con.unregister("xlsx_frame")
    notes = [f"read sheet '{sheet_title}' of the workbook"]
    if header_index:
        notes.append(f"skipped {header_index} title row(s) above the header")
    if below:
        notes.append(f"skipped {len(below)} 'points possible' row(s) below the header")
    return RawTable(
        name=table,
        path=path,
        columns=keys,
        headers=headers,
        n_rows=len(body),
        file_format="xlsx",
        encoding="xlsx",
        delimiter="",
        notes=notes,
        header_rows=rows[:data_start],
        below_header=below,
    )


def _xlsx_rows(path: Path) -> tuple[str, list[list[str]], list[int]]:
    """The first sheet's non-blank rows as text, with each row's number in the sheet."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a damaged file
        raise LoadRefused(f"{path.name}: not a readable .xlsx workbook ({error})") from None
    try:
        sheet = workbook.worksheets[0]
        if (sheet.max_column or 0) > MAX_COLUMNS:
            raise LoadRefused(
                f"{path.name}: sheet '{sheet.title}' has {sheet.max_column:,} columns, more than the "
                f"{MAX_COLUMNS:,} a file may have: keep only the columns this load needs"
            )
        rows, numbers = [], []
        for row_number, cells in enumerate(sheet.iter_rows(), start=1):
            texts = [_cell_text(c.value, getattr(c, "number_format", None)) for c in cells]
            if any(t.strip() for t in texts):
                rows.append(texts)
                numbers.append(_sheet_row(cells, row_number))
        return sheet.title, rows, numbers
    finally:
        workbook.close()


def _sheet_row(cells, position: int) -> int:
    """The row number a filled cell carries (read-only sheets yield empty rows for gaps, so the
    position is the same; the cell's own number wins if a writer left the sheet's origin elsewhere)."""
    for cell in cells:
        row = getattr(cell, "row", None)
        if row is not None:
            return row
    return position


def _cell_text(value, number_format: str | None = None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, float) and not value.is_integer():
            return format(value, ".15g")  # Excel keeps 15 digits: drop binary noise like 2.3299999999999996
        text = str(int(value))
        if number_format and ZERO_PADDED_FORMAT.match(number_format):
            text = text.zfill(len(number_format))  # an id typed as a number but shown as 00123
        return text
    if hasattr(value, "isoformat"):
        text = value.isoformat()
        return text[:10] if text.endswith("T00:00:00") else text
    return str(value)
