"""Read a school system's export into a DuckDB table of text columns.

Real exports arrive in many shapes: byte-order marks, UTF-16 from Excel, Windows-1252, semicolons,
title rows above the header and a "Points Possible" row below it. We sniff that layout in Python on
a small sample, then let DuckDB's CSV reader do the bulk work, because a ten-million-row gradebook
must load at close to DuckDB's own speed. Anything DuckDB cannot read directly (other encodings,
CR-only line ends) is transcoded once to a temporary UTF-8 file first.
"""
from __future__ import annotations

import codecs
import csv
import io
import re
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from etl.errors import LoadRefused
from etl.normalize import normalize_header

SAMPLE_BYTES = 256 * 1024
DELIMITERS = [",", ";", "\t", "|"]
POINTS_POSSIBLE = re.compile(r"points\s+possible", re.I)
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


@dataclass
class RawTable:
    """A file's rows as text in the DuckDB table `name`, with `line_number` for reports."""

    name: str
    path: Path
    columns: list[str]  # normalized keys, in file order
    headers: dict[str, str]  # key -> the header text as the file wrote it
    n_rows: int
    file_format: str = "csv"
    encoding: str = "utf-8"
    delimiter: str = ","
    notes: list[str] = field(default_factory=list)
    header_rows: list[list[str]] = field(default_factory=list)  # rows above the data, as read


@dataclass
class Layout:
    encoding: str
    delimiter: str
    header_index: int  # index of the header among parsed sample rows
    header_line: int  # physical line (1-based) of the header's last line
    data_line: int  # physical line (1-based) of the first data row
    header: list[str]
    skipped_above: list[list[str]]
    skipped_below: list[list[str]]
    needs_transcode: bool
    notes: list[str]


def read_raw(con: duckdb.DuckDBPyConnection, path: Path, table: str = "raw_input") -> RawTable:
    path = Path(path)
    if not path.exists():
        raise LoadRefused(f"{path.name}: file not found")
    if path.stat().st_size == 0:
        raise LoadRefused(f"{path.name}: the file is empty")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(con, path, table)
    if path.suffix.lower() == ".xls":
        raise LoadRefused(f"{path.name}: old .xls workbooks are not supported; save it as .xlsx or CSV")
    return _read_csv(con, path, table)


# ---------------------------------------------------------------- CSV


def _read_csv(con: duckdb.DuckDBPyConnection, path: Path, table: str) -> RawTable:
    raw_sample = _read_sample(path)
    encoding, notes = _detect_encoding(path, raw_sample)
    text_sample = _decode_sample(raw_sample, encoding)
    is_cr_only = "\r" in text_sample and "\n" not in text_sample
    layout = _sniff_layout(path, text_sample, encoding, notes)
    layout.needs_transcode = encoding not in ("utf-8", "utf-8-sig") or is_cr_only
    if is_cr_only:
        notes.append("line ends are carriage returns only (old Mac style); converted")
    source = path
    tmp_dir = None
    if layout.needs_transcode:
        tmp_dir = tempfile.TemporaryDirectory(prefix="etl-")
        source = _transcode(path, encoding, Path(tmp_dir.name))
    try:
        keys, headers = _column_keys(layout.header)
        _create_raw_table(con, table, source, layout, keys, path)
    finally:
        if tmp_dir:
            tmp_dir.cleanup()
    n_rows = con.execute(f"select count(*) from {table}").fetchone()[0]  # table: our own constant
    if n_rows == 0:
        raise LoadRefused(f"{path.name}: the file has a header but no data rows")
    return RawTable(
        name=table, path=path, columns=keys, headers=headers, n_rows=n_rows,
        encoding=encoding, delimiter=layout.delimiter, notes=notes,
        header_rows=layout.skipped_above + [layout.header] + layout.skipped_below,
    )


def _read_sample(path: Path) -> bytes:
    with path.open("rb") as f:
        return f.read(SAMPLE_BYTES)


def _detect_encoding(path: Path, sample: bytes) -> tuple[str, list[str]]:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", []
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", ["file is UTF-16 (as Excel's 'Unicode text' writes it); decoded in Python"]
    if _is_utf8(path):
        return "utf-8", []
    return "cp1252", ["file is not valid UTF-8; decoded as Windows-1252 (check accented names)"]


def _is_utf8(path: Path) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as f:
            while chunk := f.read(16 * 1024 * 1024):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _decode_sample(sample: bytes, encoding: str) -> str:
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    return decoder.decode(sample)


def _sniff_layout(path: Path, text: str, encoding: str, notes: list[str]) -> Layout:
    lines = text.splitlines(keepends=True)
    if len(text) >= SAMPLE_BYTES // 2 and lines:
        lines = lines[:-1]  # the sample may cut the last line in half
    delimiter = _pick_delimiter(lines)
    rows, line_ends = _parse_rows(lines, delimiter)
    rows = [r for r in rows]
    if not rows:
        raise LoadRefused(f"{path.name}: no rows could be read")
    header_index = _find_header(rows)
    header = [c.strip() for c in rows[header_index]]
    below = []
    i = header_index + 1
    while i < len(rows) and i <= header_index + 3 and _is_points_row(rows[i]):
        below.append(rows[i])
        i += 1
    if header_index:
        notes.append(f"skipped {header_index} title row(s) above the header")
    if below:
        notes.append(f"skipped {len(below)} 'points possible' row(s) below the header")
    return Layout(
        encoding=encoding, delimiter=delimiter, header_index=header_index,
        header_line=line_ends[header_index], data_line=line_ends[i - 1] + 1,
        header=header, skipped_above=rows[:header_index], skipped_below=below,
        needs_transcode=False, notes=notes,
    )


def _pick_delimiter(lines: list[str]) -> str:
    head = "".join(lines[:40])
    best, best_score = ",", (0, 0.0)
    for delim in DELIMITERS:
        widths = [len(r) for r in csv.reader(io.StringIO(head), delimiter=delim) if any(c.strip() for c in r)]
        if not widths:
            continue
        width, count = Counter(widths).most_common(1)[0]
        score = (width if width > 1 else 0, count / len(widths))
        if score > best_score:
            best, best_score = delim, score
    return best


def _parse_rows(lines: list[str], delimiter: str) -> tuple[list[list[str]], list[int]]:
    """Rows of the sample, each with the physical line (1-based) on which it ends."""
    reader = csv.reader(io.StringIO("".join(lines)), delimiter=delimiter)
    rows, ends = [], []
    for row in reader:
        rows.append(row)
        ends.append(reader.line_num)
    return rows, ends


def _find_header(rows: list[list[str]]) -> int:
    """The first row that is as wide as the data: title rows above it fill one or two cells."""
    widths = [sum(1 for c in r if c.strip()) for r in rows[:60]]
    typical = max(Counter(w for w in widths if w).most_common(1)[0][0], 1)
    for i, width in enumerate(widths):
        if width >= max(2, typical * 0.5) or (typical == 1 and width == 1):
            return i
    return 0


def _is_points_row(row: list[str]) -> bool:
    cells = [c.strip() for c in row]
    if any(POINTS_POSSIBLE.search(c) for c in cells):
        return True
    rest = [c for c in cells[1:] if c]
    return not cells[0] and len(rest) >= max(1, (len(cells) - 1) // 2) and all(
        NUMBER.match(c) for c in rest
    )


def _transcode(path: Path, encoding: str, tmp_dir: Path) -> Path:
    target = tmp_dir / (path.stem + ".utf8.csv")
    # newline="" keeps quoted line breaks; CR-only ends become \n so DuckDB can split lines.
    with path.open("r", encoding=encoding, newline="") as src, target.open("w", encoding="utf-8", newline="") as dst:
        pending_cr = False
        while chunk := src.read(8 * 1024 * 1024):
            if pending_cr and chunk.startswith("\n"):
                chunk = chunk[1:]
            pending_cr = chunk.endswith("\r")
            dst.write(chunk.replace("\r\n", "\n").replace("\r", "\n"))
    return target


def _column_keys(header: list[str]) -> tuple[list[str], dict[str, str]]:
    keys, headers, seen = [], {}, Counter()
    for position, text in enumerate(header, start=1):
        key = normalize_header(text) or f"column_{position}"
        seen[key] += 1
        if seen[key] > 1:
            key = f"{key}_{seen[key]}"
        keys.append(key)
        headers[key] = text
    return keys, headers


def _create_raw_table(con, table: str, source: Path, layout: Layout, keys: list[str], original: Path) -> None:
    columns = {k: "VARCHAR" for k in keys}
    params = {
        "path": str(source), "skip": layout.data_line - 1, "delim": layout.delimiter,
        "columns": columns, "first_line": layout.data_line,
    }
    # `table` is one of the loader's own constant names, never user input.
    sql = f"""
        create or replace temp table {table} as
        select (row_number() over () + $first_line - 1)::bigint as line_number, *
        from read_csv($path, header = false, skip = $skip, delim = $delim, quote = '"',
                      escape = '"', auto_detect = false, columns = $columns,
                      null_padding = $null_padding, parallel = $parallel)
    """
    try:
        con.execute(sql, {**params, "null_padding": False, "parallel": True})
    except duckdb.Error as fast_error:
        if "Expected Number of Columns" not in str(fast_error) or "Found: " not in str(fast_error):
            raise LoadRefused(f"{original.name}: {_csv_error_reason(fast_error, layout)}") from None
        try:  # short rows are common (trailing empty cells dropped); pad them with NULLs
            con.execute(sql, {**params, "null_padding": True, "parallel": False})
        except duckdb.Error as error:
            raise LoadRefused(f"{original.name}: {_csv_error_reason(error, layout)}") from None


def _csv_error_reason(error: Exception, layout: Layout) -> str:
    text = str(error)
    line = re.search(r"Line:\s*(\d+)", text)
    found = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", text)
    where = ""
    if line:
        where = f"line {int(line.group(1)) + layout.data_line - 1}: "
    if found:
        return f"{where}expected {found.group(1)} columns as in the header, found {found.group(2)}"
    return where + text.splitlines()[0]


# ---------------------------------------------------------------- XLSX


def _read_xlsx(con: duckdb.DuckDBPyConnection, path: Path, table: str) -> RawTable:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a damaged file
        raise LoadRefused(f"{path.name}: not a readable .xlsx workbook ({error})") from None
    sheet = workbook.worksheets[0]
    rows = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise LoadRefused(f"{path.name}: the first sheet is empty")
    header_index = _find_header(rows)
    data_start = header_index + 1
    while data_start < len(rows) and data_start <= header_index + 3 and _is_points_row(rows[data_start]):
        data_start += 1
    keys, headers = _column_keys([c.strip() for c in rows[header_index]])
    width = len(keys)
    body = [(r + [""] * width)[:width] for r in rows[data_start:]]
    frame = pd.DataFrame(body, columns=keys, dtype="object").replace({"": None})
    frame.insert(0, "line_number", range(data_start + 1, data_start + 1 + len(body)))
    con.register("xlsx_frame", frame)
    con.execute(f"create or replace temp table {table} as select * from xlsx_frame")
    con.unregister("xlsx_frame")
    if not body:
        raise LoadRefused(f"{path.name}: the first sheet has a header but no data rows")
    notes = [f"read sheet '{sheet.title}' of the workbook"]
    return RawTable(
        name=table, path=path, columns=keys, headers=headers, n_rows=len(body),
        file_format="xlsx", encoding="xlsx", delimiter="", notes=notes,
        header_rows=rows[: data_start],
    )


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        text = value.isoformat()
        return text[:10] if text.endswith("T00:00:00") else text
    return str(value)
