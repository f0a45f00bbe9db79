"""The layout of a delimited file, found on a small sample in Python: encoding, delimiter, title rows above
the header, a Points Possible row below it."""

from __future__ import annotations

import codecs
import csv
import io
from collections import Counter
from pathlib import Path

from etl.errors import LoadRefused
from etl.normalize import normalize_header
from etl.readers.raw import (
    CHUNK_BYTES,
    DELIMITERS,
    MAX_COLUMNS,
    NUMBER,
    POINTS_POSSIBLE,
    SAMPLE_BYTES,
    SAMPLE_ROWS,
    Layout,
    LongLines,
    PaddedCells,
    QuotedNewlines,
    Source,
)


def read_sample(path: Path) -> bytes:
    with path.open("rb") as f:
        return f.read(SAMPLE_BYTES)


def encoding_from_bom(sample: bytes) -> tuple[str, list[str]]:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", []
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", ["file is UTF-16 (as Excel's 'Unicode text' writes it); converted to UTF-8"]
    return "utf-8", []


def detect_encoding(path: Path, sample: bytes) -> tuple[str, list[str]]:
    """The file's encoding and a note for the report (also used by the survey reader)."""
    encoding, notes = encoding_from_bom(sample)
    if encoding != "utf-8" or scan_utf8(path) is not None:
        return encoding, notes
    return "cp1252", ["file is not valid UTF-8; decoded as Windows-1252 (check accented names)"]


def has_cr_only_line_ends(sample: bytes) -> bool:
    # In UTF-16 a line feed is b"\n\x00" or b"\x00\n": the byte test holds for it as well.
    return b"\r" in sample and b"\n" not in sample


def scan_utf8(path: Path) -> Source | None:
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
        path, content_lines(n_newlines, tail), quoted.found, bool(quoted.parity), padded.finish(), long_lines.found
    )


def content_lines(n_newlines: int, tail: bytes | str) -> int:
    """Lines that hold anything, from the newline count and the last bytes of the file."""
    stripped = tail.rstrip(b"\r\n" if isinstance(tail, bytes) else "\r\n")
    trailing_newlines = tail[len(stripped) :].count(b"\n" if isinstance(tail, bytes) else "\n")
    if not stripped:
        return max(n_newlines - trailing_newlines, 0)
    return n_newlines - trailing_newlines + 1  # the last line, ended by a newline or not


def decode_sample(sample: bytes, encoding: str) -> str:
    errors = "cp1252_undefined_as_latin1" if encoding == "cp1252" else "replace"
    decoder = codecs.getincrementaldecoder(encoding)(errors=errors)
    return decoder.decode(sample)


def sniff_layout(path: Path, text: str, encoding: str, notes: list[str], is_truncated: bool = False) -> Layout:
    delimiter = pick_delimiter(text.splitlines(keepends=True)[:60])
    rows, line_ends = _parse_rows(text, delimiter, is_truncated)
    if not any(_is_filled(r) for r in rows):
        raise LoadRefused(f"{path.name}: no rows could be read")
    header_index = find_header(rows)
    header = [c.strip() for c in rows[header_index]]
    below, data_index = rows_below_header(rows, header_index)
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


def pick_delimiter(lines: list[str]) -> str:
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


def find_header(rows: list[list[str]]) -> int:
    """The first row that is as wide as the data: title rows above it fill one or two cells."""
    widths = [sum(1 for c in r if c.strip()) for r in rows[:60]]
    typical = max(Counter(w for w in widths if w).most_common(1)[0][0], 1)
    for i, width in enumerate(widths):
        if width >= max(2, typical * 0.5) or (typical == 1 and width == 1):
            return i
    return 0


def rows_below_header(rows: list[list[str]], header_index: int) -> tuple[list[list[str]], int]:
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


def column_keys(header: list[str]) -> tuple[list[str], dict[str, str]]:
    keys, headers, seen = [], {}, Counter()
    for position, text in enumerate(header, start=1):
        key = normalize_header(text) or f"column_{position}"
        seen[key] += 1
        if seen[key] > 1:
            key = f"{key}_{seen[key]}"
        keys.append(key)
        headers[key] = text
    return keys, headers
