"""The bulk reader on the quirks of real exports: each case is a small file written here, and the
check is what DuckDB ends up holding: the columns, every cell, and the physical line of every row."""

from __future__ import annotations

import codecs
import datetime
from pathlib import Path

import duckdb
import pytest

from etl.errors import LoadRefused
from etl.readers import read_raw, release_raw

HEADER = ["Student ID", "Name", "Standard", "Mark"]
ROWS = [
    ["0001", "José Núñez", "M.3.NF.1", "3"],
    ["0002", "Zoë Ångström", "M.3.NF.2", "2+"],
    ["0003", "Chloé Faÿ", "E.3.RL.1", "IE"],
]
KEYS = ["student_id", "name", "standard", "mark"]


def csv_text(rows: list[list[str]], delimiter: str = ",", newline: str = "\n") -> str:
    def cell(value: str) -> str:
        needs_quotes = any(ch in value for ch in (delimiter, '"', "\n", "\r"))
        return '"' + value.replace('"', '""') + '"' if needs_quotes else value

    return "".join(delimiter.join(cell(v) for v in row) + newline for row in rows)


PLAIN = csv_text([HEADER, *ROWS])


# Each case: the file's bytes, the columns we expect, the rows (line number first), a note to find.
CASES = {
    "utf8": (PLAIN.encode("utf-8"), KEYS, [(2, *ROWS[0]), (3, *ROWS[1]), (4, *ROWS[2])], None),
    "utf8_with_bom": (
        codecs.BOM_UTF8 + PLAIN.encode("utf-8"),
        KEYS,
        [(2, *ROWS[0]), (3, *ROWS[1]), (4, *ROWS[2])],
        None,
    ),
    "utf16_le_with_bom": (
        PLAIN.encode("utf-16"),
        KEYS,  # Python writes the BOM, little-endian here
        [(2, *ROWS[0]), (3, *ROWS[1]), (4, *ROWS[2])],
        "UTF-16",
    ),
    "windows_1252": (PLAIN.encode("cp1252"), KEYS, [(2, *ROWS[0]), (3, *ROWS[1]), (4, *ROWS[2])], "Windows-1252"),
    "semicolons": (csv_text([HEADER, *ROWS], ";").encode(), KEYS, [(2, *ROWS[0]), (3, *ROWS[1]), (4, *ROWS[2])], None),
    "tabs": (csv_text([HEADER, *ROWS], "\t").encode(), KEYS, [(2, *ROWS[0]), (3, *ROWS[1]), (4, *ROWS[2])], None),
    "crlf": (
        csv_text([HEADER, *ROWS], newline="\r\n").encode(),
        KEYS,
        [(2, *ROWS[0]), (3, *ROWS[1]), (4, *ROWS[2])],
        None,
    ),
    "cr_only": (
        csv_text([HEADER, *ROWS], newline="\r").encode(),
        KEYS,
        [(2, *ROWS[0]), (3, *ROWS[1]), (4, *ROWS[2])],
        "carriage returns only",
    ),
    "title_rows_above_header": (
        ("Gradebook: Room 12,,,\nPrinted 2025-10-01,,,\n\n" + PLAIN).encode(),
        KEYS,
        [(5, *ROWS[0]), (6, *ROWS[1]), (7, *ROWS[2])],
        "skipped 2 title row(s)",
    ),
    "points_possible_below_header": (
        csv_text([HEADER, ["", "Points Possible", "", "4"], *ROWS]).encode(),
        KEYS,
        [(3, *ROWS[0]), (4, *ROWS[1]), (5, *ROWS[2])],
        "points possible",
    ),
    "stray_spaces_mixed_case_and_ids": (
        csv_text([["  Student ID ", "NAME", " Standard", "Quiz 1.2  (12095681)"], *ROWS]).encode(),
        ["student_id", "name", "standard", "quiz_1.2"],
        [(2, *ROWS[0]), (3, *ROWS[1]), (4, *ROWS[2])],
        None,
    ),
    "quoted_newlines_and_commas": (
        csv_text(
            [
                HEADER,
                ["0001", "Núñez, José\nsecond line", "M.3.NF.1", "3"],
                ROWS[1],
                ["0003", 'Faÿ, "Chloé"', "E.3.RL.1", "IE"],
            ]
        ).encode(),
        KEYS,
        [
            (2, "0001", "Núñez, José\nsecond line", "M.3.NF.1", "3"),
            (4, *ROWS[1]),
            (5, "0003", 'Faÿ, "Chloé"', "E.3.RL.1", "IE"),
        ],
        None,
    ),
    "quoted_newlines_crlf": (
        csv_text([HEADER, ["0001", "two\r\nlines", "M.3.NF.1", "3"], ROWS[1]], newline="\r\n").encode(),
        KEYS,
        [(2, "0001", "two\r\nlines", "M.3.NF.1", "3"), (4, *ROWS[1])],
        None,
    ),
    "short_rows": (
        "Student ID,Name,Standard,Mark\n0001,José Núñez,M.3.NF.1,3\n0002,Zoë Ångström\n".encode(),
        KEYS,
        [(2, *ROWS[0]), (3, "0002", "Zoë Ångström", None, None)],
        None,
    ),
    "blank_lines_among_rows": (
        (csv_text([HEADER, ROWS[0]]) + "\n\n" + csv_text(ROWS[1:]) + "\n\n").encode(),
        KEYS,
        [(2, *ROWS[0]), (5, *ROWS[1]), (6, *ROWS[2])],
        None,
    ),
    "no_newline_at_end": (PLAIN.rstrip("\n").encode(), KEYS, [(2, *ROWS[0]), (3, *ROWS[1]), (4, *ROWS[2])], None),
    "trailing_delimiter_on_data_rows": (
        ("Student ID,Name,Standard,Mark\n" + "".join(",".join(r) + ",\n" for r in ROWS)).encode(),
        [*KEYS, "column_5"],
        [(2, *ROWS[0], None), (3, *ROWS[1], None), (4, *ROWS[2], None)],
        "more cell",
    ),
}


@pytest.fixture
def duck():
    connection = duckdb.connect()
    yield connection
    connection.close()


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("data, keys, rows, note", CASES.values(), ids=CASES.keys())
def test_reader_survives_export_quirk(duck, tmp_path, data, keys, rows, note):
    raw = read_raw(duck, write(tmp_path, "export.csv", data))
    assert raw.columns == keys
    assert raw.n_rows == len(rows)
    assert duck.execute(f"select * from {raw.name} order by line_number").fetchall() == rows
    if note:
        assert any(note in n for n in raw.notes), raw.notes


@pytest.mark.parametrize("lazy", [False, True], ids=["table", "view"])
def test_line_numbers_are_physical_lines_inside_a_transaction(duck, tmp_path, lazy):
    # Inside a transaction DuckDB numbers new rows from a large base: line numbers must not care.
    path = write(tmp_path, "export.csv", ("Title row\n\n" + PLAIN).encode())
    duck.execute("begin transaction")
    raw = read_raw(duck, path, lazy_line_numbers=lazy)
    assert [r[0] for r in duck.execute(f"select line_number from {raw.name} order by 1").fetchall()] == [4, 5, 6]
    assert raw.is_view == lazy
    release_raw(duck, raw)
    names = duck.execute("select table_name from information_schema.tables where table_name like 'raw_input%'")
    assert names.fetchall() == []
    duck.execute("commit")


def test_headers_keep_their_text_for_reports(duck, tmp_path):
    raw = read_raw(duck, write(tmp_path, "export.csv", CASES["stray_spaces_mixed_case_and_ids"][0]))
    assert raw.headers["quiz_1.2"] == "Quiz 1.2  (12095681)"
    assert raw.headers["student_id"] == "Student ID"


def test_points_possible_row_is_kept_for_the_adapter(duck, tmp_path):
    raw = read_raw(duck, write(tmp_path, "export.csv", CASES["points_possible_below_header"][0]))
    assert raw.below_header_cell("mark") == ["4"]
    assert raw.below_header_cell("name") == ["Points Possible"]


def test_windows_1252_bytes_without_a_character_still_read(duck, tmp_path):
    # 0x81 has no Windows-1252 character; Windows shows it as the control character U+0081.
    data = "Student ID,Name\n0001,Ren\xe9e\n".encode("latin-1") + b"0002,A\x81B\n"
    raw = read_raw(duck, write(tmp_path, "export.csv", data))
    assert duck.execute(f"select name from {raw.name} order by line_number").fetchall() == [("Renée",), ("A\x81B",)]


def test_cp1252_detected_when_the_bad_byte_is_far_past_the_sample(duck, tmp_path):
    rows = "".join(f"{i:05d},Name {i},M.1,3\n" for i in range(30_000))  # about 600 KB of plain ASCII
    data = ("Student ID,Name,Standard,Mark\n" + rows).encode() + "99999,Ren\xe9e,M.1,3\n".encode("cp1252")
    raw = read_raw(duck, write(tmp_path, "export.csv", data))
    last = duck.execute(f"select line_number, name from {raw.name} order by line_number desc limit 1").fetchall()
    assert last == [(30_002, "Renée")]
    assert any("Windows-1252" in n for n in raw.notes)


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "the file is empty"),
        (b"Student ID,Standard,Mark\n", "header but no data rows"),
        (
            b"Student ID,Standard,Mark\n0001,M.1,3\n0002,M.2,3,extra\n",
            "line 3: expected 3 columns as in the header, found 4",
        ),
        (b'Student ID,Standard,Mark\n0001,M.1,3\n0002,"M.2,3\n', "line 3: a quoted cell is never closed"),
    ],
    ids=["empty", "header_only", "too_many_cells", "unclosed_quote"],
)
def test_unreadable_files_are_refused_with_one_line(duck, tmp_path, data, reason):
    with pytest.raises(LoadRefused) as refused:
        read_raw(duck, write(tmp_path, "broken.csv", data))
    message = str(refused.value)
    assert message.startswith("broken.csv: ") and reason in message
    assert "\n" not in message


def test_old_xls_is_refused(duck, tmp_path):
    with pytest.raises(LoadRefused, match="old .xls workbooks are not supported"):
        read_raw(duck, write(tmp_path, "grades.xls", b"\xd0\xcf\x11\xe0"))


# ---------------------------------------------------------------- xlsx


@pytest.fixture
def workbook_path(tmp_path) -> Path:
    """A teacher's workbook: a title row, a blank row, the header, data with blank rows between,
    an Excel date, ids typed as text and as numbers shown with leading zeros."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Scores"
    sheet["A1"] = "Gradebook for Room 12"
    sheet.append([])  # row 2 stays blank
    sheet.append(["Student ID", "Standard", "Assessed On", "Mark"])  # row 3
    sheet.append(["00123", "M.3.NF.1", datetime.datetime(2025, 9, 10), 3])  # row 4: id typed as text
    sheet.append([])  # row 5
    sheet.append([45, "M.3.NF.2", datetime.datetime(2025, 9, 11), 3.67])  # row 6
    sheet["A6"].number_format = "00000"  # a number shown as 00045
    sheet.append([None, None, None, None])  # row 7
    sheet.append(["00200", "M.3.NF.1", datetime.datetime(2025, 9, 12, 13, 30), "2+"])  # row 8
    sheet.append([987, "M.3.NF.2", 45914.0, 2.0])  # row 9: a plain number id, a date left as a serial
    path = tmp_path / "room12.xlsx"
    workbook.save(path)
    return path


def test_xlsx_rows_keep_the_sheets_row_numbers(duck, workbook_path):
    raw = read_raw(duck, workbook_path)
    assert raw.columns == ["student_id", "standard", "assessed_on", "mark"]
    rows = duck.execute(f"select * from {raw.name} order by line_number").fetchall()
    assert rows == [
        (4, "00123", "M.3.NF.1", "2025-09-10", "3"),
        (6, "00045", "M.3.NF.2", "2025-09-11", "3.67"),
        (8, "00200", "M.3.NF.1", "2025-09-12T13:30:00", "2+"),
        (9, "987", "M.3.NF.2", "45914", "2"),
    ]
    assert "read sheet 'Scores' of the workbook" in raw.notes
    assert any("title row" in n for n in raw.notes)


def test_xlsx_without_data_is_refused(duck, tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["Student ID", "Standard", "Mark"])
    workbook.save(tmp_path / "empty.xlsx")
    with pytest.raises(LoadRefused, match="empty.xlsx: the first sheet has a header but no data rows"):
        read_raw(duck, tmp_path / "empty.xlsx")
