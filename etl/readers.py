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
import csv
import io
import re
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from etl.errors import LoadRefused
from etl.normalize import normalize_header

SAMPLE_BYTES = 256 * 1024
SAMPLE_ROWS = 200  # rows parsed in Python to find the layout; the rest is DuckDB's job
CHUNK_BYTES = 16 * 1024 * 1024
DELIMITERS = [",", ";", "\t", "|"]
# Rows under a gradebook's header that are not students: Canvas writes `Points Possible`, and
# depending on its version a `Muted` or `Manual Posting` row as well.
POINTS_POSSIBLE = re.compile(r"points\s+possible|^manual\s+posting$|^muted$", re.I)
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
ZERO_PADDED_FORMAT = re.compile(r"^0+$")  # Excel number format `00000`: an id shown with leading zeros
# The widest file read: real exports have at most a few hundred columns (a wide gradebook's standards).
# A header wider than this is refused from the header alone, before any row is read: DuckDB and pandas
# would spend minutes and gigabytes on a 10,000-column file before any check could look at it.
MAX_COLUMNS = 2000
MAX_LINE_BYTES = 2_000_000  # DuckDB's max_line_size: no line of an export comes near it
# The sample is parsed by Python's csv module, whose default cell limit (128 KB) a cut sample can exceed.
csv.field_size_limit(max(csv.field_size_limit(), 64 * 2**20))


def _undefined_cp1252_as_latin1(error: UnicodeDecodeError) -> tuple[str, int]:
    # Five bytes (0x81, 0x8D, 0x8F, 0x90, 0x9D) have no Windows-1252 character; Windows itself maps
    # them to the same-numbered control characters, which is what Latin-1 does.
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error("cp1252_undefined_as_latin1", _undefined_cp1252_as_latin1)


@dataclass
class RawTable:
    """A file's rows as text in the DuckDB table (or view) `name`, with `line_number` for reports."""

    name: str
    path: Path
    columns: list[str]  # normalized keys, in file order
    headers: dict[str, str]  # key -> the header text as the file wrote it
    n_rows: int | None  # None while the rows are streamed from the file and not yet counted
    file_format: str = "csv"
    encoding: str = "utf-8"
    delimiter: str = ","
    notes: list[str] = field(default_factory=list)
    header_rows: list[list[str]] = field(default_factory=list)  # rows above the data, as read
    below_header: list[list[str]] = field(default_factory=list)  # e.g. the `Points Possible` row
    is_view: bool = False  # `name` is a view over `name`_data: release_raw() drops it
    has_padded_cells: bool = True  # False when no cell starts or ends with a space: no trim() needed
    stream: Stream | None = None  # set while the rows are read from the file by each statement

    @property
    def from_sql(self) -> str:
        """The rows as a SQL from-item: the table, or the file's read_csv(...) with bound parameters."""
        return self.stream.from_sql if self.stream else self.name

    @property
    def params(self) -> dict:
        """The parameters from_sql names (none for a table)."""
        return self.stream.params if self.stream else {}

    def below_header_cell(self, key: str) -> list[str]:
        """The cells under column `key` in the rows between the header and the data."""
        index = self.columns.index(key)
        return [row[index].strip() for row in self.below_header if len(row) > index and row[index].strip()]


@dataclass
class Stream:
    """What a streamed RawTable needs to read its file again, or to be numbered by number_lines().
    line_number is NULL while streaming: no statement that reads the stream may need it."""

    source: Source
    layout: Layout
    keys: list[str]

    @property
    def from_sql(self) -> str:
        return f"(select null::bigint as line_number, * from {_read_csv_sql('raw_')})"

    @property
    def params(self) -> dict:
        return _read_csv_params(self.source, self.layout, self.keys, "raw_")


@dataclass
class Layout:
    encoding: str
    delimiter: str
    header_index: int  # index of the header among the parsed rows (blank rows count)
    data_index: int  # index of the first data row: DuckDB's `skip` counts rows the same way
    data_line: int  # physical line (1-based) of the first data row
    header: list[str]
    width: int  # columns of the data: the header's, or more when every data row has extra cells
    skipped_above: list[list[str]]
    skipped_below: list[list[str]]
    notes: list[str]
    n_sample_rows: int = 0  # filled data rows in the sample: more than none means the file has data


@dataclass
class Source:
    """The UTF-8 file DuckDB reads (the original, or a transcoded copy) and its physical lines."""

    path: Path
    n_lines: int  # lines holding anything, trailing blank lines left out
    has_quoted_newlines: bool = False  # a quoted cell holds a line break somewhere in the file
    has_open_quote: bool = False  # a quote opens a cell that is never closed
    has_padded_cells: bool = True  # a cell may start or end with a space (PaddedCells)
    may_have_long_line: bool = False  # some line may be longer than MAX_LINE_BYTES (LongLines)


class QuotedNewlines:
    """Finds a line break inside a quoted cell while the file streams by, at numpy speed.

    Quotes come in pairs (an escaped quote is two), so a line break sits inside a quoted cell
    exactly when an odd number of quote characters came before it. A carriage return counts: DuckDB
    ends a line at one, so a quoted cell holding a bare CR needs the serial reader as much as an LF.
    """

    def __init__(self) -> None:
        self.parity = 0
        self.found = False

    def feed(self, chunk: bytes) -> None:
        if self.found:
            return
        if b'"' not in chunk:
            self.found = bool(self.parity and (b"\n" in chunk or b"\r" in chunk))
            return
        data = np.frombuffer(chunk, dtype=np.uint8)
        quotes = np.flatnonzero(data == ord('"'))
        breaks = (data == ord("\n")) | (data == ord("\r")) if b"\r" in chunk else data == ord("\n")
        quotes_before_newline = np.searchsorted(quotes, np.flatnonzero(breaks))
        self.found = bool(((quotes_before_newline + self.parity) & 1).any())
        self.parity = (self.parity + len(quotes)) & 1


class LongLines:
    """Notices a line longer than DuckDB reads (MAX_LINE_BYTES) while the file streams by: the bytes since
    the last line break are counted a block at a time with memchr (bytes.find), so a normal file costs
    nothing. Only a file with such a line is walked line by line, to name it (refuse_long_line)."""

    BLOCK = MAX_LINE_BYTES // 2

    def __init__(self) -> None:
        self.found = False
        self.since_break = 0  # bytes since the last line break, across chunks

    def feed(self, chunk: bytes) -> None:
        for start in range(0, len(chunk), self.BLOCK):
            if self.found:
                return
            end = min(start + self.BLOCK, len(chunk))
            first = chunk.find(b"\n", start, end)
            if first < 0:
                self.since_break += end - start
            else:
                self.found = self.since_break + first - start > MAX_LINE_BYTES
                self.since_break = end - chunk.rfind(b"\n", start, end) - 1
            self.found = self.found or self.since_break > MAX_LINE_BYTES


def refuse_long_line(source: Source, name: str) -> None:
    """Refuse the file at its first line longer than DuckDB reads, naming the line and its size."""
    if not source.may_have_long_line:
        return
    with source.path.open("rb") as f:
        for number, line in enumerate(f, start=1):
            if len(line) > MAX_LINE_BYTES:
                raise LoadRefused(
                    f"{name}: line {number}: the line is {len(line) / 1e6:,.1f} MB long, more than the "
                    f"{MAX_LINE_BYTES / 1e6:g} MB a line may be: no cell of an export is that long; "
                    "check that this is the right file, and remove that line"
                )


class PaddedCells:
    """Finds a cell that may start or end with a space while the file streams by, at numpy speed:
    a space next to a delimiter, a line end or a quote, or at either end of the file. Without one,
    no cell needs trim(), which costs as much per column as reading the file itself.
    """

    SPACE = ord(" ")
    IS_EDGE = np.zeros(256, dtype=bool)  # bytes a cell's first or last character can touch
    IS_EDGE[[ord(c) for c in "".join(DELIMITERS) + '\r\n"']] = True

    def __init__(self) -> None:
        self.found = False
        self.previous = ord("\n")  # the file's start is a line start

    def feed(self, chunk: bytes) -> None:
        if self.found or not chunk:
            return
        data = np.frombuffer(chunk, dtype=np.uint8)
        spaces = np.flatnonzero(data == self.SPACE)
        if len(spaces):
            before = data[spaces - 1]  # a copy: the first byte's neighbour is the previous chunk's last
            if spaces[0] == 0:
                before[0] = self.previous
            after = data[spaces[spaces + 1 < len(data)] + 1]
            self.found = bool(self.IS_EDGE[before].any() or self.IS_EDGE[after].any())
        if self.previous == self.SPACE and self.IS_EDGE[data[0]]:
            self.found = True
        self.previous = int(data[-1])

    def finish(self) -> bool:
        return self.found or self.previous == self.SPACE  # a space at the very end ends a cell


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
        return _read_xlsx(con, path, table)
    if path.suffix.lower() == ".xls":
        raise LoadRefused(f"{path.name}: old .xls workbooks are not supported; save it as .xlsx or CSV")
    refuse_binary(path)
    return _read_csv(con, path, table, lazy_line_numbers)


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
        return _read_csv(con, path, table, lazy_line_numbers=True, streaming=True)
    return read_raw(con, path, table, lazy_line_numbers=True)


def number_lines(con: duckdb.DuckDBPyConnection, raw: RawTable) -> None:
    """Copy a streamed RawTable's rows into `raw.name` with their line numbers, and count them."""
    if raw.stream is None:
        return
    stream = raw.stream
    raw.is_view = _create_raw_table(
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
            f"{raw.path.name}: {_csv_error_reason(error, raw.stream.source.path, raw.delimiter)}"
        ) from None


def release_raw(con: duckdb.DuckDBPyConnection, raw: RawTable) -> None:
    """Drop the raw rows now; a view would otherwise outlive the load's temp tables."""
    _drop_raw_objects(con, raw.name)


# ---------------------------------------------------------------- CSV


def _read_csv(
    con: duckdb.DuckDBPyConnection, path: Path, table: str, lazy_line_numbers: bool, streaming: bool = False
) -> RawTable:
    raw_sample = _read_sample(path)
    encoding, notes = _encoding_from_bom(raw_sample)
    is_cr_only = _is_cr_only(raw_sample)
    source = None
    if encoding in ("utf-8", "utf-8-sig"):  # DuckDB reads these as they are (a BOM sits in a skipped row)
        scan = _scan_utf8(path)
        if scan is None:
            encoding = "cp1252"
            notes.append("file is not valid UTF-8; decoded as Windows-1252 (check accented names)")
        elif not is_cr_only:
            source = scan
    text_sample = _decode_sample(raw_sample, encoding)
    layout = _sniff_layout(path, text_sample, encoding, notes, is_truncated=len(raw_sample) == SAMPLE_BYTES)
    if is_cr_only:
        notes.append("line ends are carriage returns only (old Mac style); converted")
    if streaming and source is not None and layout.n_sample_rows:
        refuse_long_line(source, path.name)
        return _streamed_csv(con, table, source, layout, path)
    with tempfile.TemporaryDirectory(prefix="etl-") as tmp_dir:
        if source is None:  # DuckDB reads UTF-8 with LF or CRLF ends; anything else is converted once
            source = _transcode(path, encoding, Path(tmp_dir))
        refuse_long_line(source, path.name)
        keys, headers = _column_keys(layout.header + [""] * (layout.width - len(layout.header)))
        is_view = _create_raw_table(con, table, source, layout, keys, path, lazy_line_numbers)
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
    _drop_raw_objects(con, table)
    if source.has_open_quote:
        raise LoadRefused(f"{path.name}: line {_open_quote_line(source.path)}: a quoted cell is never closed")
    keys, headers = _column_keys(layout.header + [""] * (layout.width - len(layout.header)))
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


def _read_sample(path: Path) -> bytes:
    with path.open("rb") as f:
        return f.read(SAMPLE_BYTES)


def _encoding_from_bom(sample: bytes) -> tuple[str, list[str]]:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", []
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", ["file is UTF-16 (as Excel's 'Unicode text' writes it); converted to UTF-8"]
    return "utf-8", []


def _detect_encoding(path: Path, sample: bytes) -> tuple[str, list[str]]:
    """The file's encoding and a note for the report (also used by the survey reader)."""
    encoding, notes = _encoding_from_bom(sample)
    if encoding != "utf-8" or _scan_utf8(path) is not None:
        return encoding, notes
    return "cp1252", ["file is not valid UTF-8; decoded as Windows-1252 (check accented names)"]


def _is_cr_only(sample: bytes) -> bool:
    # In UTF-16 a line feed is b"\n\x00" or b"\x00\n": the byte test holds for it as well.
    return b"\r" in sample and b"\n" not in sample


def _scan_utf8(path: Path) -> Source | None:
    """One pass over the bytes: None if the file is not valid UTF-8, else how many lines hold
    anything and whether a quoted cell holds a line break.

    The line count lets the reader prove that DuckDB's rows are the file's lines one for one
    (then a row's line number is its position); it costs about a second per gigabyte.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    n_newlines, tail, quoted, padded, long_lines = 0, b"", QuotedNewlines(), PaddedCells(), LongLines()
    try:
        with path.open("rb") as f:
            while chunk := f.read(CHUNK_BYTES):
                n_newlines += chunk.count(b"\n")
                quoted.feed(chunk)
                padded.feed(chunk)
                long_lines.feed(chunk)
                if chunk.isascii():  # the common case, and ten times faster than decoding
                    decoder.decode(b"", final=True)  # raises when a multi-byte character was cut
                    decoder.reset()
                else:
                    decoder.decode(chunk)
                tail = (tail + chunk)[-4096:]
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return None
    return Source(
        path, _content_lines(n_newlines, tail), quoted.found, bool(quoted.parity), padded.finish(), long_lines.found
    )


def _content_lines(n_newlines: int, tail: bytes | str) -> int:
    """Lines that hold anything, from the newline count and the last bytes of the file."""
    stripped = tail.rstrip(b"\r\n" if isinstance(tail, bytes) else "\r\n")
    trailing_newlines = tail[len(stripped) :].count(b"\n" if isinstance(tail, bytes) else "\n")
    if not stripped:
        return max(n_newlines - trailing_newlines, 0)
    return n_newlines - trailing_newlines + 1  # the last line, ended by a newline or not


def _decode_sample(sample: bytes, encoding: str) -> str:
    errors = "cp1252_undefined_as_latin1" if encoding == "cp1252" else "replace"
    decoder = codecs.getincrementaldecoder(encoding)(errors=errors)
    return decoder.decode(sample)


def _sniff_layout(path: Path, text: str, encoding: str, notes: list[str], is_truncated: bool = False) -> Layout:
    delimiter = _pick_delimiter(text.splitlines(keepends=True)[:60])
    rows, line_ends = _parse_rows(text, delimiter, is_truncated)
    if not any(_is_filled(r) for r in rows):
        raise LoadRefused(f"{path.name}: no rows could be read")
    header_index = _find_header(rows)
    header = [c.strip() for c in rows[header_index]]
    below, data_index = _rows_below_header(rows, header_index)
    data_rows = [r for r in rows[data_index:] if _is_filled(r)]
    if header_index:
        notes.append(f"skipped {sum(map(_is_filled, rows[:header_index]))} title row(s) above the header")
    if below:
        notes.append(f"skipped {len(below)} 'points possible' row(s) below the header")
    width = _data_width(header, data_rows)
    if width > MAX_COLUMNS:
        raise LoadRefused(
            f"{path.name}: line {line_ends[header_index]}: {width:,} columns, more than the "
            f"{MAX_COLUMNS:,} a file may have: keep only the columns this load needs (or split the file)"
        )
    if width > len(header):
        notes.append(f"data rows have {width - len(header)} more cell(s) than the header; read as unnamed columns")
    first_data_line = (line_ends[data_index - 1] if data_index else 0) + 1
    return Layout(
        encoding=encoding,
        delimiter=delimiter,
        header_index=header_index,
        data_index=data_index,
        data_line=first_data_line,
        header=header,
        width=width,
        skipped_above=[r for r in rows[:header_index] if _is_filled(r)],
        skipped_below=below,
        notes=notes,
        n_sample_rows=len(data_rows),
    )


def _is_filled(row: list[str]) -> bool:
    return any(c.strip() for c in row)


def _pick_delimiter(lines: list[str]) -> str:
    head = "".join(lines[:40])
    best, best_score = ",", (0, 0.0)
    for delim in DELIMITERS:
        rows = csv.reader(io.StringIO(head, newline=""), delimiter=delim)  # newline="": CR-only ends too
        widths = [len(r) for r in rows if any(c.strip() for c in r)]
        if not widths:
            continue
        width, count = Counter(widths).most_common(1)[0]
        score = (width if width > 1 else 0, count / len(widths))
        if score > best_score:
            best, best_score = delim, score
    return best


def _parse_rows(text: str, delimiter: str, is_truncated: bool) -> tuple[list[list[str]], list[int]]:
    """Rows of the sample (blank ones too, as DuckDB counts them), each with the physical line
    (1-based) on which it ends. A sample cut mid-file loses its last, possibly partial, row."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows, ends = [], []
    try:
        for row in reader:
            rows.append(row)
            ends.append(reader.line_num)
            if len(rows) >= SAMPLE_ROWS:
                return rows, ends
    except csv.Error:
        is_truncated = True  # a quote left open by the cut; DuckDB will judge the whole file
    if is_truncated and len(rows) > 1:
        rows, ends = rows[:-1], ends[:-1]
    return rows, ends


def _find_header(rows: list[list[str]]) -> int:
    """The first row that is as wide as the data: title rows above it fill one or two cells."""
    widths = [sum(1 for c in r if c.strip()) for r in rows[:60]]
    typical = max(Counter(w for w in widths if w).most_common(1)[0][0], 1)
    for i, width in enumerate(widths):
        if width >= max(2, typical * 0.5) or (typical == 1 and width == 1):
            return i
    return 0


def _rows_below_header(rows: list[list[str]], header_index: int) -> tuple[list[list[str]], int]:
    """Points-possible rows right under the header, and the index of the first data row."""
    below, i = [], header_index + 1
    while i < len(rows) and len(below) < 3:
        if not _is_filled(rows[i]):
            i += 1  # DuckDB passes over blank lines too; `skip` still counts them
        elif _is_points_row(rows[i]):
            below.append(rows[i])
            i += 1
        else:
            break
    return below, i


def _is_points_row(row: list[str]) -> bool:
    cells = [c.strip() for c in row]
    if any(POINTS_POSSIBLE.search(c) for c in cells):
        return True
    rest = [c for c in cells[1:] if c]
    return not cells[0] and len(rest) >= max(1, (len(cells) - 1) // 2) and all(NUMBER.match(c) for c in rest)


def _data_width(header: list[str], data_rows: list[list[str]]) -> int:
    """Exports often end every data row with an extra delimiter the header lacks: take the data's width."""
    widths = Counter(len(r) for r in data_rows)
    if not widths:
        return len(header)
    width, count = widths.most_common(1)[0]
    return width if width > len(header) and count == len(data_rows) else len(header)


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
        target, _content_lines(n_newlines, tail), quoted.found, bool(quoted.parity), padded.finish(), long_lines.found
    )


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


def _create_raw_table(
    con, table: str, source: Source, layout: Layout, keys: list[str], original: Path, lazy_line_numbers: bool
) -> bool:
    """`table_data` holds the rows in file order; `table` adds each row's physical line number.
    Returns whether `table` is a view.

    For an ordinary file (one line per row, as the line count proves) the line number is the row's
    position plus the first data line. Positions come from rowid, which DuckDB numbers in insertion
    order from a base that differs inside a transaction, hence `rowid - min(rowid)`.
    `table` is one of the loader's own constant names, never user input.
    """
    _drop_raw_objects(con, table)
    if source.has_open_quote:  # DuckDB's serial reader would swallow the rest of the file into one cell
        raise LoadRefused(f"{original.name}: line {_open_quote_line(source.path)}: a quoted cell is never closed")
    try:
        con.execute(
            f"create temp table {table}_data as select * from {_read_csv_sql()}", _read_csv_params(source, layout, keys)
        )
    except duckdb.Error as error:
        raise LoadRefused(f"{original.name}: {_csv_error_reason(error, source.path, layout.delimiter)}") from None
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


def _read_csv_sql(prefix: str = "") -> str:
    """DuckDB's read_csv of a sniffed layout, every column text; parameters named prefix + name."""
    return f"""read_csv(${prefix}path, header = false, skip = ${prefix}skip, delim = ${prefix}delim, quote = '"',
                        escape = '"', auto_detect = false, columns = ${prefix}columns,
                        null_padding = true, parallel = ${prefix}parallel)"""


def _read_csv_params(source: Source, layout: Layout, keys: list[str], prefix: str = "") -> dict:
    # null_padding: short rows (trailing empty cells dropped) are common, and cost nothing here.
    # DuckDB's parallel scanner cannot pad rows when a quoted cell holds a line break, and a failed
    # statement would abort the load's transaction, so the scan of the bytes decides beforehand.
    params = {
        "path": str(source.path),
        "skip": layout.data_index,
        "delim": layout.delimiter,
        "columns": {k: "VARCHAR" for k in keys},
        "parallel": not source.has_quoted_newlines,
    }
    return {prefix + name: value for name, value in params.items()}


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


def _drop_raw_objects(con, table: str) -> None:
    """A previous load leaves `table` behind as a view or a table; clear both names."""
    for name in (table, f"{table}_data"):
        kinds = con.execute(
            "select 'view' from duckdb_views() where temporary and view_name = $name "
            "union all select 'table' from duckdb_tables() where temporary and table_name = $name",
            {"name": name},
        ).fetchall()
        for (kind,) in kinds:
            con.execute(f"drop {kind} if exists temp.{name}")  # name: our own constant


def _csv_error_reason(error: Exception, source: Path | None = None, delimiter: str = ",") -> str:
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


# ---------------------------------------------------------------- XLSX


def _read_xlsx(con: duckdb.DuckDBPyConnection, path: Path, table: str) -> RawTable:
    sheet_title, rows, row_numbers = _xlsx_rows(path)
    if not rows:
        raise LoadRefused(f"{path.name}: the first sheet is empty")
    header_index = _find_header(rows)
    below, data_start = _rows_below_header(rows, header_index)
    keys, headers = _column_keys([c.strip() for c in rows[header_index]])
    width = len(keys)
    body = [(r + [""] * width)[:width] for r in rows[data_start:]]
    if not body:
        raise LoadRefused(f"{path.name}: the first sheet has a header but no data rows")
    frame = pd.DataFrame(body, columns=keys, dtype="object").replace({"": None})
    # The sheet's own row numbers, so a reject points at the row Excel shows, blank rows or not.
    frame.insert(0, "line_number", pd.Series(row_numbers[data_start:], dtype="int64"))
    _drop_raw_objects(con, table)
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
