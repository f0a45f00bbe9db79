"""Read a school system's export into a DuckDB table of text columns.

Real exports arrive in many shapes: byte-order marks, UTF-16 from Excel, Windows-1252, semicolons,
title rows above the header and a "Points Possible" row below it. We sniff that layout in Python on
a small sample, then let DuckDB's CSV reader do the bulk work, because a ten-million-row gradebook
must load at close to DuckDB's own speed. Anything DuckDB cannot read directly (other encodings,
CR-only line ends) is transcoded once to a temporary UTF-8 file first.

Every row keeps `line_number`: the physical line of the file (or the sheet's row) where the row
starts, so that a reject can be found in the file with a text editor or in Excel.
"""

from __future__ import annotations

import codecs
import contextlib
from collections.abc import Iterator
from pathlib import Path

import duckdb

from etl.errors import LoadRefused
from etl.readers.csv_files import create_raw_table, csv_error_reason, drop_raw_objects, read_delimited
from etl.readers.raw import SAMPLE_BYTES, RawTable
from etl.readers.sniff import detect_encoding, pick_delimiter
from etl.readers.xlsx import read_xlsx


def read_raw(
    con: duckdb.DuckDBPyConnection, path: Path, table: str = "raw_input", lazy_line_numbers: bool = False
) -> RawTable:
    """Read `path` into the temp table `table`: text columns named by normalized header keys, plus
    `line_number`.

    lazy_line_numbers: for the big files (gradebooks), `table` may be a view that computes the line
    number from the row's position instead of a second copy of the data; the caller then calls
    release_raw() when done, so that no view outlives the load (temp tables the loader drops itself).
    """
    path = Path(path)
    if not path.exists():
        raise LoadRefused(f"{path.name}: file not found")
    if path.is_dir():
        raise LoadRefused(f"{path.name}: is a folder, not a file: name the file itself (e.g. {path.name}/roster.csv)")
    if path.stat().st_size == 0:
        raise LoadRefused(f"{path.name}: the file is empty")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return read_xlsx(con, path, table)
    if path.suffix.lower() == ".xls":
        raise LoadRefused(f"{path.name}: old .xls workbooks are not supported; save it as .xlsx or CSV")
    refuse_binary(path)
    return read_delimited(con, path, table, lazy_line_numbers)


def refuse_binary(path: Path) -> None:
    """A file named .csv that is something else (an Excel workbook renamed, a PDF) would be read as
    garbage rows and refused for a reason that misleads ("line 3: expected 1 columns"): say what it is."""
    with path.open("rb") as f:
        head = f.read(8192)
    if head.startswith(b"PK\x03\x04"):
        if _is_workbook(path):
            raise LoadRefused(
                f"{path.name}: looks like an Excel workbook (.xlsx) although its name ends in "
                f"{path.suffix or 'nothing'}: rename it to .xlsx, or save it from Excel as CSV"
            )
        raise LoadRefused(f"{path.name}: is a zip archive, not a CSV file: unzip it and load the files inside")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise LoadRefused(f"{path.name}: looks like an old Excel workbook (.xls): save it from Excel as .xlsx or CSV")
    if head.startswith(b"%PDF"):
        raise LoadRefused(f"{path.name}: is a PDF, not a CSV file: export the data itself as CSV or .xlsx")
    is_utf16 = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if b"\x00" in head and not is_utf16:
        raise LoadRefused(f"{path.name}: is not a text file (it holds binary data): export the data as CSV or .xlsx")


def _is_workbook(path: Path) -> bool:
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            return any(name.startswith("xl/") for name in archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return False


def stream_raw(con: duckdb.DuckDBPyConnection, path: Path, table: str = "raw_input") -> RawTable:
    """Like read_raw(lazy_line_numbers=True), but a CSV that DuckDB reads as it is (UTF-8, LF or CRLF
    ends, data rows under the header) is not copied: each statement over raw.from_sql (with
    raw.params) reads the file again, which for a big file costs less than one copy of its rows.

    Until number_lines() is called, raw.n_rows is None (the caller counts the rows in its own first
    scan) and line_number is NULL. A CSV error in a statement over the stream is refused by
    stream_errors_refused().
    """
    path = Path(path)
    if path.is_file() and path.stat().st_size and path.suffix.lower() == ".csv":
        refuse_binary(path)
        return read_delimited(con, path, table, lazy_line_numbers=True, streaming=True)
    return read_raw(con, path, table, lazy_line_numbers=True)


def number_lines(con: duckdb.DuckDBPyConnection, raw: RawTable) -> None:
    """Copy a streamed RawTable's rows into `raw.name` with their line numbers, and count them."""
    if raw.stream is None:
        return
    stream = raw.stream
    raw.is_view = create_raw_table(
        con, raw.name, stream.source, stream.layout, stream.keys, raw.path, lazy_line_numbers=True
    )
    raw.n_rows = con.execute(f"select count(*) from {raw.name}").fetchall()[0][0]  # name: our own constant
    raw.stream = None


@contextlib.contextmanager
def stream_errors_refused(raw: RawTable) -> Iterator[None]:
    """A streamed file is parsed by the first statement that reads it: refuse what DuckDB cannot
    read with the same one-line reason read_raw() gives."""
    try:
        yield
    except duckdb.Error as error:
        if raw.stream is None or "CSV Error" not in str(error):
            raise
        raise LoadRefused(
            f"{raw.path.name}: {csv_error_reason(error, raw.stream.source.path, raw.delimiter)}"
        ) from None


def release_raw(con: duckdb.DuckDBPyConnection, raw: RawTable) -> None:
    """Drop the raw rows now; a view would otherwise outlive the load's temp tables."""
    drop_raw_objects(con, raw.name)


__all__ = [
    "RawTable",
    "SAMPLE_BYTES",
    "detect_encoding",
    "number_lines",
    "pick_delimiter",
    "read_raw",
    "refuse_binary",
    "release_raw",
    "stream_errors_refused",
    "stream_raw",
]
