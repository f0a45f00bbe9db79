"""What a read produces (the raw table of text columns and its line numbers), how a file was found to be laid
out, and the limits every read keeps."""

from __future__ import annotations

import codecs
import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from etl.errors import LoadRefused

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
        return f"(select null::bigint as line_number, * from {read_csv_sql('raw_')})"

    @property
    def params(self) -> dict:
        return read_csv_params(self.source, self.layout, self.keys, "raw_")


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


def read_csv_sql(prefix: str = "") -> str:
    """DuckDB's read_csv of a sniffed layout, every column text; parameters named prefix + name."""
    return f"""read_csv(${prefix}path, header = false, skip = ${prefix}skip, delim = ${prefix}delim, quote = '"',
                        escape = '"', auto_detect = false, columns = ${prefix}columns,
                        null_padding = true, parallel = ${prefix}parallel)"""


def read_csv_params(source: Source, layout: Layout, keys: list[str], prefix: str = "") -> dict:
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
