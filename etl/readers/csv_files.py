"""Delimited files read by DuckDB's CSV reader at close to its own speed (transcoded to UTF-8 first when
DuckDB cannot read the encoding), every row keeping the physical line it starts on."""

from __future__ import annotations

import csv
import io
import re
import tempfile
from pathlib import Path

import duckdb
import pyarrow as pa

from etl.errors import LoadRefused
from etl.readers.raw import (
    CHUNK_BYTES,
    MAX_LINE_BYTES,
    SAMPLE_BYTES,
    Layout,
    LongLines,
    PaddedCells,
    QuotedNewlines,
    RawTable,
    Source,
    Stream,
    read_csv_params,
    read_csv_sql,
    refuse_long_line,
)
from etl.readers.sniff import (
    column_keys,
    content_lines,
    decode_sample,
    encoding_from_bom,
    has_cr_only_line_ends,
    read_sample,
    scan_utf8,
    sniff_layout,
)


def read_delimited(
    con: duckdb.DuckDBPyConnection, path: Path, table: str, lazy_line_numbers: bool, streaming: bool = False
) -> RawTable:
    raw_sample = read_sample(path)
    encoding, notes = encoding_from_bom(raw_sample)
    is_cr_only = has_cr_only_line_ends(raw_sample)
    source = None
    if encoding in ("utf-8", "utf-8-sig"):  # DuckDB reads these as they are (a BOM sits in a skipped row)
        scan = scan_utf8(path)
        if scan is None:
            encoding = "cp1252"
            notes.append("file is not valid UTF-8; decoded as Windows-1252 (check accented names)")
        elif not is_cr_only:
            source = scan
    text_sample = decode_sample(raw_sample, encoding)
    layout = sniff_layout(path, text_sample, encoding, notes, is_truncated=len(raw_sample) == SAMPLE_BYTES)
    if is_cr_only:
        notes.append("line ends are carriage returns only (old Mac style); converted")
    if streaming and source is not None and layout.n_sample_rows:
        refuse_long_line(source, path.name)
        return _streamed_csv(con, table, source, layout, path)
    with tempfile.TemporaryDirectory(prefix="etl-") as tmp_dir:
        if source is None:  # DuckDB reads UTF-8 with LF or CRLF ends; anything else is converted once
            source = _transcode(path, encoding, Path(tmp_dir))
        refuse_long_line(source, path.name)
        keys, headers = column_keys(layout.header + [""] * (layout.width - len(layout.header)))
        is_view = create_raw_table(con, table, source, layout, keys, path, lazy_line_numbers)
    n_rows = con.execute(f"select count(*) from {table}").fetchall()[0][0]  # table: our own constant
    if n_rows == 0:
        raise LoadRefused(f"{path.name}: the file has a header but no data rows")
    return RawTable(
        name=table,
        path=path,
        columns=keys,
        headers=headers,
        n_rows=n_rows,
        encoding=encoding,
        delimiter=layout.delimiter,
        notes=notes,
        header_rows=layout.skipped_above + [layout.header] + layout.skipped_below,
        below_header=layout.skipped_below,
        is_view=is_view,
        has_padded_cells=source.has_padded_cells,
    )


def _streamed_csv(con, table: str, source: Source, layout: Layout, path: Path) -> RawTable:
    """A RawTable whose rows stay in the file (the caller checked that DuckDB reads it as it is)."""
    drop_raw_objects(con, table)
    if source.has_open_quote:
        raise LoadRefused(f"{path.name}: line {_open_quote_line(source.path)}: a quoted cell is never closed")
    keys, headers = column_keys(layout.header + [""] * (layout.width - len(layout.header)))
    return RawTable(
        name=table,
        path=path,
        columns=keys,
        headers=headers,
        n_rows=None,
        encoding=layout.encoding,
        delimiter=layout.delimiter,
        notes=layout.notes,
        header_rows=layout.skipped_above + [layout.header] + layout.skipped_below,
        below_header=layout.skipped_below,
        stream=Stream(source, layout, keys),
        has_padded_cells=source.has_padded_cells,
    )


def _transcode(path: Path, encoding: str, tmp_dir: Path) -> Source:
    target = tmp_dir / (path.stem + ".utf8.csv")
    errors = "cp1252_undefined_as_latin1" if encoding == "cp1252" else "strict"
    n_newlines, tail, quoted, padded, long_lines = 0, "", QuotedNewlines(), PaddedCells(), LongLines()
    # newline="" keeps quoted line breaks; CR-only ends become \n so DuckDB can split lines.
    with (
        path.open("r", encoding=encoding, errors=errors, newline="") as src,
        target.open("w", encoding="utf-8", newline="") as dst,
    ):
        pending_cr = False
        try:
            while chunk := src.read(CHUNK_BYTES // 2):
                if pending_cr and chunk.startswith("\n"):
                    chunk = chunk[1:]
                pending_cr = chunk.endswith("\r")
                chunk = chunk.replace("\r\n", "\n").replace("\r", "\n")
                n_newlines += chunk.count("\n")
                encoded = chunk.encode("utf-8")
                quoted.feed(encoded)
                padded.feed(encoded)
                long_lines.feed(encoded)
                tail = (tail + chunk)[-4096:]
                dst.write(chunk)
        except UnicodeDecodeError as error:
            raise LoadRefused(f"{path.name}: not readable as {encoding} ({error.reason})") from None
    return Source(
        target, content_lines(n_newlines, tail), quoted.found, bool(quoted.parity), padded.finish(), long_lines.found
    )


def create_raw_table(
    con, table: str, source: Source, layout: Layout, keys: list[str], original: Path, lazy_line_numbers: bool
) -> bool:
    """`table_data` holds the rows in file order; `table` adds each row's physical line number.
    Returns whether `table` is a view.

    For an ordinary file (one line per row, as the line count proves) the line number is the row's
    position plus the first data line. Positions come from rowid, which DuckDB numbers in insertion
    order from a base that differs inside a transaction, hence `rowid - min(rowid)`.
    `table` is one of the loader's own constant names, never user input.
    """
    drop_raw_objects(con, table)
    if source.has_open_quote:  # DuckDB's serial reader would swallow the rest of the file into one cell
        raise LoadRefused(f"{original.name}: line {_open_quote_line(source.path)}: a quoted cell is never closed")
    try:
        con.execute(
            f"create temp table {table}_data as select * from {read_csv_sql()}", read_csv_params(source, layout, keys)
        )
    except duckdb.Error as error:
        raise LoadRefused(f"{original.name}: {csv_error_reason(error, source.path, layout.delimiter)}") from None
    n_rows = con.execute(f"select count(*) from {table}_data").fetchall()[0][0]
    if n_rows != source.n_lines - layout.data_line + 1:
        _number_irregular_lines(con, table, source, layout, keys, n_rows)
        return False
    # data_line is an int we computed; a view cannot take bound parameters.
    numbered = (
        f"select rowid - (select min(rowid) from {table}_data) + {int(layout.data_line)} as line_number, * "
        f"from {table}_data"
    )
    if lazy_line_numbers:
        con.execute(f"create temp view {table} as {numbered}")
        return True
    con.execute(f"create temp table {table} as {numbered} order by rowid")
    con.execute(f"drop table {table}_data")
    return False


def _number_irregular_lines(con, table: str, source: Source, layout: Layout, keys: list[str], n_rows: int) -> None:
    """Line numbers when rows and lines differ: quoted line breaks, or blank lines among the data.

    Quoted line breaks alone: each row spans 1 + its embedded newlines, summed in SQL. Blank lines
    in between cannot be seen in DuckDB's rows, so then Python's csv module walks the file once.
    """
    newlines = " + ".join(f'coalesce(length("{k}") - length(replace("{k}", chr(10), \'\')), 0)' for k in keys)
    spans = con.execute(f"select coalesce(sum(1 + {newlines}), 0) from {table}_data").fetchall()[0][0]
    if spans == source.n_lines - layout.data_line + 1:
        con.execute(
            f"""create temp table {table} as
            select {int(layout.data_line)} + coalesce(sum(1 + {newlines}) over (
                       order by rowid rows between unbounded preceding and 1 preceding), 0) as line_number, *
            from {table}_data order by rowid"""
        )
        con.execute(f"drop table {table}_data")
        return
    starts = _record_start_lines(source.path, layout)
    if len(starts) != n_rows:  # the csv module and DuckDB disagree on the rows: keep positions
        starts = list(range(layout.data_line, layout.data_line + n_rows))
    con.register("raw_line_numbers", pa.table({"line_number": pa.array(starts, pa.int64())}))
    con.execute(f"create temp table {table} as select * from raw_line_numbers positional join {table}_data")
    con.unregister("raw_line_numbers")
    con.execute(f"drop table {table}_data")


def _record_start_lines(path: Path, layout: Layout) -> list[int]:
    """The physical line on which each non-blank data record starts (a per-row pass in Python,
    only for files with blank lines among the data)."""
    starts = []
    with path.open("r", encoding="utf-8", newline="") as f:
        reader = csv.reader(f, delimiter=layout.delimiter)
        previous_end = 0
        for index, row in enumerate(reader):
            if index >= layout.data_index and row:
                starts.append(previous_end + 1)
            previous_end = reader.line_num
    return starts


def _open_quote_line(path: Path) -> int:
    """The line whose quote is left open at the end of the file (only when refusing the file)."""
    parity, opened_on = 0, 0
    with path.open("r", encoding="utf-8", newline="") as f:
        for number, line in enumerate(f, start=1):
            if line.count('"') % 2:
                parity ^= 1
                opened_on = number if parity else opened_on
    return opened_on


def drop_raw_objects(con, table: str) -> None:
    """A previous load leaves `table` behind as a view or a table; clear both names."""
    for name in (table, f"{table}_data"):
        kinds = con.execute(
            "select 'view' from duckdb_views() where temporary and view_name = $name "
            "union all select 'table' from duckdb_tables() where temporary and table_name = $name",
            {"name": name},
        ).fetchall()
        for (kind,) in kinds:
            con.execute(f"drop {kind} if exists temp.{name}")  # name: our own constant


def csv_error_reason(error: Exception, source: Path | None = None, delimiter: str = ",") -> str:
    """DuckDB's error in one line. Its `Line` counts rows from the top of the file, blank lines
    included: the physical line unless a quoted cell above it holds a line break."""
    text = str(error)
    line = re.search(r"Line:\s*(\d+)", text)
    found = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", text)
    too_long = re.search(r"Maximum line size of (\d+) bytes exceeded. Actual Size:\s*(\d+)", text)
    where = f"line {int(line.group(1))}: " if line else ""
    if too_long or (found and source and line and _line_bytes(source, int(line.group(1))) > MAX_LINE_BYTES):
        size = int(too_long.group(2)) if too_long else _line_bytes(source, int(line.group(1)))
        return (
            f"{where}the line is {size / 1e6:,.1f} MB long, more than the {MAX_LINE_BYTES / 1e6:g} MB a line may be: "
            "no cell of an export is that long; check that this is the right file, and remove that line"
        )
    if found:
        cells = _cells_on_line(source, int(line.group(1)), delimiter) if source and line else None
        return (
            f"{where}expected {found.group(1)} columns as in the header, found {cells or found.group(2)}: "
            "remove the extra cells (or add their headers)"
        )
    if "unterminated quote" in text.lower():
        return f"{where}a quoted cell is never closed: close it with a double quote"
    first = next((t.strip() for t in text.splitlines() if t.strip() and not t.startswith("CSV Error")), "")
    return f"{where}cannot be read as CSV ({first[:200]}): check that this is the right file"


def _physical_line(path: Path, number: int) -> bytes | None:
    """Line `number` (1-based) of the file, read only when refusing it."""
    with path.open("rb") as f:
        for index, line in enumerate(f, start=1):
            if index == number:
                return line.rstrip(b"\r\n")
    return None


def _line_bytes(path: Path, number: int) -> int:
    line = _physical_line(path, number)
    return len(line) if line is not None else 0


def _cells_on_line(path: Path, number: int, delimiter: str) -> int | None:
    """How many cells the line really has: DuckDB stops counting at the first cell too many."""
    line = _physical_line(path, number)
    if line is None:
        return None
    try:
        rows = list(csv.reader(io.StringIO(line.decode("utf-8", errors="replace"), newline=""), delimiter=delimiter))
    except csv.Error:
        return None
    return len(rows[0]) if len(rows) == 1 else None
