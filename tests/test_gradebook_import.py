"""Gradebooks through the real loader: mapping files, scales, codes, rejects, refusals.

Every figure below was worked out by hand from the fixture named in the test.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest

from etl.adapters.common import read_mapping_file
from etl.errors import LoadRefused
from tests.conftest import CONTINUUM_AND_ROSTER, load


@pytest.fixture
def district(prebuilt, db_path):
    """The small continuum and roster, without a gradebook: students 0001-0004, six standards."""
    with prebuilt.opened(CONTINUUM_AND_ROSTER, db_path) as connection:
        yield connection


def load_with_mapping(con, fixtures_dir: Path, name: str, **options):
    mapping = read_mapping_file(fixtures_dir / f"{name}.yaml")
    return load(con, "gradebook", fixtures_dir / f"{name}.csv", mapping=mapping, **options)


def scores_of(con, load_id: int) -> dict[tuple[str, str, str], tuple]:
    rows = con.execute(
        "select student_id, standard_code, mark, score from scores where load_id = $id", {"id": load_id}
    ).fetchall()
    return {(student, code, mark): score for student, code, mark, score in rows}


def rejects_of(con, load_id: int) -> list[tuple]:
    return con.execute(
        'select line_number, "column", value, reason from rejects where load_id = $id order by line_number',
        {"id": load_id},
    ).fetchall()


# ---------------------------------------------------------------- long, labels with +/-, codes


@pytest.fixture
def long_labels(district, fixtures_dir):
    return district, load_with_mapping(district, fixtures_dir, "gb_long_labels")


def test_long_gradebook_counts(long_labels):
    _, report = long_labels
    assert (report.status, report.rows_read, report.rows_loaded, report.rows_rejected) == ("loaded", 15, 11, 4)


def test_labels_and_plus_minus_become_scores(long_labels):
    con, report = long_labels
    scores = scores_of(con, report.load_id)
    assert scores[("0001", "M.3.NF.1", "Developing")] == 2.0
    assert scores[("0001", "M.3.NF.1", "2+")] == 2.33
    assert scores[("0002", "M.3.NF.1", "3-")] == 2.67
    assert scores[("0003", "E.3.RL.1", "Exceeding")] == 4.0


def test_codes_keep_their_mark_with_no_score_and_are_counted(long_labels):
    con, report = long_labels
    scores = scores_of(con, report.load_id)
    for key in [
        ("0002", "M.3.NF.2", "IE"),
        ("0002", "E.3.RL.1", "NY"),
        ("0003", "M.3.NF.1", "Excused"),
        ("0003", "M.3.NF.2", "Missing"),
    ]:
        assert key in scores and scores[key] is None
    assert (
        "4 mark(s) are codes, not evidence (stored with their mark and a NULL score, counted, never averaged): "
        "'Excused (excused)' x1, 'IE (insufficient evidence)' x1, 'Missing (missing)' x1, "
        "'NY (not yet assessed)' x1"
    ) in report.notes


def test_rejects_name_line_column_value_and_reason(long_labels):
    con, report = long_labels
    # Line 3-4 is one row whose comment holds a line break, so the later rows sit one line down.
    assert rejects_of(con, report.load_id) == [
        (
            12,
            "Rating",
            "Great job",
            "mark is not on the scale (labels (beginning=1, developing=2, proficient=3, exceeding=4))",
        ),
        (13, "Rating", "5", "mark is outside the scale 1-4"),
        (16, "Date Assessed", "13/45/2025", "date is not a date"),
        (17, "Student Number", None, "student id is blank"),
    ]
    assert "2 mark(s) not on the scale were rejected: '5' x1, 'Great job' x1" in report.notes
    assert "  rejected 1 x mark is outside the scale 1-4" in report.lines()


def test_unknown_students_and_standards_are_loaded_and_reported(long_labels):
    con, report = long_labels
    scores = scores_of(con, report.load_id)
    assert scores[("9999", "M.3.NF.1", "Proficient")] == 3.0
    assert scores[("0001", "X.9.ZZ.9", "Beginning")] == 1.0
    assert (
        "1 score(s) for 1 student id(s) not in any roster yet (loaded; they count once a roster names them)"
        in report.notes
    )
    assert "1 score(s) on 1 standard code(s) not in the continuum (loaded; e.g. X.9.ZZ.9)" in report.notes


def test_columns_and_constants_from_the_mapping(long_labels):
    con, report = long_labels
    row = con.execute(
        "select school_year, term, assessed_on, school_id, teacher_id from scores where load_id = $id and mark = '2+'",
        {"id": report.load_id},
    ).fetchall()
    assert row == [("2025-26", "T1", datetime.date(2025, 9, 24), "S1", "T100")]


# ---------------------------------------------------------------- wide


@pytest.fixture
def wide_plusminus(district, fixtures_dir):
    return district, load_with_mapping(district, fixtures_dir, "gb_wide_plusminus", school_year="2025-26")


def test_wide_gradebook_unpivots_every_filled_cell(wide_plusminus):
    con, report = wide_plusminus
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (4, 9, 1)
    assert scores_of(con, report.load_id) == {
        ("AB", "ELD Unit 1 Argument (W.1)", "2+"): 2.33,
        ("AB", "ELD Unit 1 Evidence (W.1b)", "3-"): 2.67,
        ("AB", "ELD Unit 2 Narrative (W.3)", "e"): None,
        ("CD", "ELD Unit 1 Argument (W.1)", "4"): 4.0,
        ("CD", "ELD Unit 2 Narrative (W.3)", "pp"): None,
        ("EF", "ELD Unit 1 Argument (W.1)", "3"): 3.0,
        ("GH", "ELD Unit 1 Argument (W.1)", "4-"): 3.67,
        ("GH", "ELD Unit 1 Evidence (W.1b)", "1-"): 1.0,
        ("GH", "ELD Unit 2 Narrative (W.3)", "2"): 2.0,
    }


def test_wide_reject_names_the_files_column(wide_plusminus):
    con, report = wide_plusminus
    assert rejects_of(con, report.load_id) == [(5, "Unit 1 Evidence (W.1b)", "5", "mark is outside the scale 1-4")]
    assert "2 blank cell(s) are no evidence and were passed over" in report.notes
    assert "skipped 1 'points possible' row(s) below the header" in report.notes


def test_wide_assessment_name_is_the_header(wide_plusminus):
    con, report = wide_plusminus
    names = con.execute(
        "select distinct assessment_name from scores where load_id = $id order by 1", {"id": report.load_id}
    ).fetchall()
    assert names == [("Unit 1 Argument (W.1)",), ("Unit 1 Evidence (W.1b)",), ("Unit 2 Narrative (W.3)",)]


# ---------------------------------------------------------------- conversion charts


def test_percent_file_with_a_conversion_chart(district, fixtures_dir):
    report = load_with_mapping(district, fixtures_dir, "gb_points_chart")
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (10, 8, 2)
    assert scores_of(district, report.load_id) == {
        ("0001", "M.3.NF.1", "59.9"): 1.0,
        ("0001", "M.3.NF.2", "60"): 2.0,
        ("0002", "M.3.NF.1", "69.5"): 2.0,
        ("0002", "M.3.NF.2", "70"): 3.0,
        ("0003", "M.3.NF.1", "89.99"): 3.0,
        ("0003", "M.3.NF.2", "90"): 4.0,
        ("0004", "M.3.NF.1", "100"): 4.0,
        ("0001", "E.3.RL.1", "0"): 1.0,
    }
    assert rejects_of(district, report.load_id) == [
        (9, "percent", "104", "mark is 104, above the chart's top of 100"),
        (10, "percent", "-3", "mark is -3, below the chart's lowest band 0"),
    ]


def test_canvas_points_charted_as_percent_of_points_possible(district, fixtures_dir):
    report = load(
        district,
        "gradebook",
        fixtures_dir / "gb_canvas_small.csv",
        file_format="canvas_gradebook",
        school_year="2025-26",
    )
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (3, 4, 0)
    assert scores_of(district, report.load_id) == {
        ("11", "Quiz 1", "9.0"): 4.0,  # 9 of 10 = 90%
        ("11", "Quiz 2", "4.8"): 2.0,  # 4.8 of 8 = 60%
        ("13", "Quiz 1", "6.5"): 2.0,  # 65%
        ("13", "Quiz 2", "8.5"): 4.0,  # 106%: extra credit is the top band
    }
    assert "skipped 1 row(s) of test students named in the format (Student, Test, Test Student)" in report.notes


def test_student_names_are_never_stored(district, fixtures_dir):
    load(
        district,
        "gradebook",
        fixtures_dir / "gb_canvas_small.csv",
        file_format="canvas_gradebook",
        school_year="2025-26",
    )
    for (table,) in district.execute("select table_name from duckdb_tables()").fetchall():
        text = " ".join(str(v) for row in district.execute(f'select * from "{table}"').fetchall() for v in row)
        assert "Lee" not in text and "Kim, Bo" not in text, table


# ---------------------------------------------------------------- no mapping


def test_warehouse_headers_load_without_a_mapping(district, fixtures_dir):
    report = load(district, "gradebook", fixtures_dir / "gradebook_canonical.csv")
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (8, 8, 0)
    rows = district.execute(
        "select student_id, standard_code, assessed_on, score, mark, assessment_type, course_id, section_id "
        "from scores where student_id in ('0002', '0003') order by all"
    ).fetchall()
    assert rows == [
        ("0002", "M.3.NF.1", datetime.date(2025, 9, 10), 2.0, "2", "formative", "MATH3", "3A"),
        ("0002", "M.3.NF.1", datetime.date(2025, 9, 10), 3.0, "3", "formative", "MATH3", "3A"),
        ("0002", "M.3.NF.2", datetime.date(2025, 9, 12), None, "IE", "formative", "MATH3", "3A"),
        ("0003", "E.3.RL.1", datetime.date(2025, 9, 10), 2.67, "3-", "formative", "ELA3", "3A"),
    ]
    assert report.file_format == "canonical (long)"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_a_normalized_score_column_wins_and_is_checked(district, tmp_path):
    path = write(
        tmp_path,
        "scored.csv",
        "student_id,school_year,standard_code,mark,score\n"
        "0001,2025-26,M.3.NF.1,Proficient,3.5\n0001,2025-26,M.3.NF.2,P,7\n0002,2025-26,M.3.NF.1,IE,\n",
    )
    report = load(district, "gradebook", path)
    assert scores_of(district, report.load_id) == {
        ("0001", "M.3.NF.1", "Proficient"): 3.5,
        ("0002", "M.3.NF.1", "IE"): None,
    }
    assert rejects_of(district, report.load_id) == [(3, "score", "7", "score is not a number from 0 to 4")]


def test_assessment_types_are_normalized(district, tmp_path):
    path = write(
        tmp_path,
        "types.csv",
        "student_id,school_year,standard_code,mark,assessment_type\n"
        "0001,2025-26,M.3.NF.1,3,Summative\n0001,2025-26,M.3.NF.1,2,f\n0001,2025-26,M.3.NF.1,1,quiz\n",
    )
    report = load(district, "gradebook", path)
    rows = district.execute("select mark, assessment_type from scores order by mark").fetchall()
    assert rows == [("1", None), ("2", "formative"), ("3", "summative")]
    assert "assessment types other than formative/summative were left blank: 'quiz' x1" in report.notes


def test_ids_keep_leading_zeros_and_lose_excels_point_zero(district, tmp_path):
    path = write(
        tmp_path,
        "ids.csv",
        "student_id,school_year,standard_code,mark,school_id\n"
        " 0001 ,2025-26,M.3.NF.1,3,0042\n17.0,2025-26,M.3.NF.1,3,S1\n1.5,2025-26,M.3.NF.1,3,S1\n",
    )
    load(district, "gradebook", path)
    rows = district.execute("select student_id, school_id from scores order by student_id").fetchall()
    assert rows == [("0001", "0042"), ("1.5", "S1"), ("17", "S1")]


# ---------------------------------------------------------------- school years


YEARLESS = (
    "student_id,standard_code,mark,assessed_on\n"
    "0001,M.3.NF.1,3,2024-06-30\n0001,M.3.NF.1,3,2024-07-01T09:00:00Z\n0001,M.3.NF.2,2,\n"
)


def test_school_year_from_the_date_when_the_format_allows(district, tmp_path):
    path = write(tmp_path, "yearless.csv", YEARLESS)
    report = load(district, "gradebook", path, mapping={"school_year_from_date": True})
    assert district.execute("select assessed_on, school_year from scores order by assessed_on").fetchall() == [
        (datetime.date(2024, 6, 30), "2023-24"),
        (datetime.date(2024, 7, 1), "2024-25"),
    ]
    assert rejects_of(district, report.load_id) == [
        (4, "school_year", None, "school year is missing (give --school-year 2025-26)")
    ]
    assert any("school year taken from each score's date" in n and "2023-24, 2024-25" in n for n in report.notes)


def test_school_year_on_the_command_line_wins_over_the_date(district, tmp_path):
    path = write(tmp_path, "yearless.csv", YEARLESS)
    load(district, "gradebook", path, mapping={"school_year_from_date": True}, school_year="2025-2026")
    assert district.execute("select distinct school_year from scores").fetchall() == [("2025-26",)]


def test_school_year_start_month_is_the_districts(district, tmp_path):
    path = write(tmp_path, "yearless.csv", YEARLESS)
    load(district, "gradebook", path, mapping={"school_year_from_date": True, "school_year_start_month": 6})
    assert district.execute("select distinct school_year from scores").fetchall() == [("2024-25",)]


def test_a_bad_school_year_in_the_file_is_rejected(district, tmp_path):
    path = write(
        tmp_path,
        "years.csv",
        "student_id,school_year,standard_code,mark\n0001,2025-26,M.3.NF.1,3\n0001,2025-27,M.3.NF.1,3\n",
    )
    report = load(district, "gradebook", path)
    assert rejects_of(district, report.load_id) == [(3, "school_year", "2025-27", "school year is not like 2025-26")]


# ---------------------------------------------------------------- xlsx


def test_xlsx_gradebook_rejects_name_the_sheets_row(district, tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Student ID", "Standard Code", "Mark", "Assessed On"])
    sheet.append([1, "M.3.NF.1", 3, datetime.datetime(2025, 9, 10)])
    sheet["A2"].number_format = "0000"  # shows 0001
    sheet.append([])
    sheet.append(["0002", "M.3.NF.1", "Z", datetime.datetime(2025, 9, 11)])
    workbook.save(tmp_path / "grades.xlsx")
    report = load(district, "gradebook", tmp_path / "grades.xlsx", school_year="2025-26")
    assert scores_of(district, report.load_id) == {("0001", "M.3.NF.1", "3"): 3.0}
    assert rejects_of(district, report.load_id) == [
        (4, "Mark", "Z", "mark is not on the scale (numeric 0-4, +/- = +/-0.33)")
    ]


# ---------------------------------------------------------------- refused files


def table_contents(con) -> dict[str, list]:
    names = [r[0] for r in con.execute("select table_name from duckdb_tables() where not temporary").fetchall()]
    return {name: sorted(map(repr, con.execute(f'select * from "{name}"').fetchall())) for name in names}


REFUSED = {
    "empty_file": ("empty.csv", "", {}, "empty.csv: the file is empty"),
    "header_only": (
        "header.csv",
        "student_id,school_year,standard_code,mark\n",
        {},
        "header.csv: the file has a header but no data rows",
    ),
    "no_recognizable_columns": (
        "notes.csv",
        "Color,Size\nred,3\n",
        {},
        "notes.csv: missing required column(s) student_id, standard_code, mark (or score), school_year",
    ),
    "a_roster_loaded_as_a_gradebook": (
        "roster.csv",
        None,
        {},
        "roster.csv: missing required column(s) standard_code, mark (or score)",
    ),
    "no_school_year_anywhere": (
        "noyear.csv",
        "student_id,standard_code,mark\n0001,M.3.NF.1,3\n",
        {},
        "noyear.csv: missing required column(s) school_year (for school_year: give --school-year 2025-26",
    ),
    "mapping_names_a_missing_column": (
        "mapped.csv",
        "id,code,mark\n0001,M.3.NF.1,3\n",
        {"mapping": {"columns": {"student_id": "Student Number"}}},
        "mapped.csv: the mapping names column 'Student Number' for student_id",
    ),
    "misspelt_mapping_key": (
        "typo.csv",
        "student_id,standard_code,mark\n0001,M.3.NF.1,3\n",
        {"mapping": {"colums": {"mark": "mark"}}},
        "typo.csv: the gradebook format has unknown key(s) colums",
    ),
    "wide_pattern_matches_nothing": (
        "wide.csv",
        "student_id,Q1,Q2\n0001,3,4\n",
        {"mapping": {"shape": "wide", "wide": {"pattern": "^ZZZ"}}, "school_year": "2025-26"},
        "wide.csv: no columns of marks",
    ),
    "bad_school_year_option": (
        "opt.csv",
        "student_id,standard_code,mark\n0001,M.3.NF.1,3\n",
        {"school_year": "next year"},
        "opt.csv: not a school year: 'next year'",
    ),
    "format_for_another_kind": (
        "kind.csv",
        "student_id,standard_code,mark\n0001,M.3.NF.1,3\n",
        {"mapping": {"kind": "roster"}},
        "kind.csv: the gradebook format is for roster files",
    ),
}


@pytest.mark.parametrize("name, text, options, message", REFUSED.values(), ids=REFUSED.keys())
def test_refused_files_say_why_in_one_line_and_change_nothing(
    district, fixtures_dir, tmp_path, name, text, options, message
):
    path = write(tmp_path, name, text) if text is not None else fixtures_dir / "roster_canonical.csv"
    if text is None:
        path = write(tmp_path, name, path.read_text())
    before = table_contents(district)
    with pytest.raises(LoadRefused) as refused:
        load(district, "gradebook", path, **options)
    assert str(refused.value).startswith(message)
    assert "\n" not in str(refused.value)
    assert table_contents(district) == before


def test_unknown_preset_is_refused(district, fixtures_dir):
    with pytest.raises(LoadRefused, match="no format named 'blackboard'.*canvas_gradebook"):
        load(district, "gradebook", fixtures_dir / "gradebook_canonical.csv", file_format="blackboard")


def test_windows_1252_gradebook_is_decoded_and_the_report_says_so(district, tmp_path):
    path = tmp_path / "excel_export.csv"
    path.write_bytes(
        "student_id;school_year;standard_code;mark;assessment_name\r\n"
        "0001;2025-26;M.3.NF.1;3;Évaluation à mi-parcours\r\n".encode("cp1252")
    )
    report = load(district, "gradebook", path)
    assert district.execute("select assessment_name, score from scores").fetchall() == [
        ("Évaluation à mi-parcours", 3.0)
    ]
    assert "file is not valid UTF-8; decoded as Windows-1252 (check accented names)" in report.notes


def test_spaces_around_cells_do_not_matter(district, tmp_path):
    path = write(
        tmp_path,
        "spaces.csv",
        "student_id,school_year,standard_code,mark,assessed_on\n"
        " 0001 , 2025-26 , M.3.NF.1 , 3- , 2025-09-10 \n0002,2025-26,M.3.NF.1,   ,2025-09-10\n",
    )
    report = load(district, "gradebook", path)
    assert district.execute(
        "select student_id, school_year, standard_code, mark, score, assessed_on from scores"
    ).fetchall() == [("0001", "2025-26", "M.3.NF.1", "3-", 2.67, datetime.date(2025, 9, 10))]
    assert "1 blank cell(s) are no evidence and were passed over" in report.notes


def test_marks_are_classified_once_per_distinct_value_not_per_row(district, tmp_path, monkeypatch):
    # The bulk of a gradebook stays in SQL: Python sees each distinct mark once.
    from etl.scales import Scale

    rows = "".join(
        f"{i % 4 + 1:04d},2025-26,M.3.NF.{i % 2 + 1},{'1234'[i % 4]},2025-09-{i % 28 + 1:02d}\n" for i in range(5000)
    )
    path = write(tmp_path, "big.csv", "student_id,school_year,standard_code,mark,assessed_on\n" + rows)
    calls = []
    original = Scale.classify_points
    monkeypatch.setattr(
        Scale, "classify_points", lambda self, mark, points: calls.append(mark) or original(self, mark, points)
    )
    report = load(district, "gradebook", path)
    assert (report.rows_loaded, sorted(calls)) == (5000, ["1", "2", "3", "4"])


def test_blank_standard_and_a_date_off_the_formats_pattern_are_rejected(district, tmp_path):
    path = write(
        tmp_path,
        "dated.csv",
        "student_id,standard_code,mark,test_date\n"
        "0001,M.3.NF.1,3,09-27-2025\n0001,,3,09-27-2025\n0001,M.3.NF.2,3,2025-09-27\n",
    )
    mapping = {"columns": {"assessed_on": "test_date"}, "date_format": "%m-%d-%Y", "school_year_from_date": True}
    report = load(district, "gradebook", path, mapping=mapping)
    assert district.execute("select school_year, assessed_on from scores").fetchall() == [
        ("2025-26", datetime.date(2025, 9, 27))
    ]
    assert rejects_of(district, report.load_id) == [
        (3, "standard_code", None, "standard code is blank"),
        (4, "test_date", "2025-09-27", "date is not a date like %m-%d-%Y"),
    ]


def test_canvas_full_export_uses_the_sis_id_and_passes_over_posting_rows(district, fixtures_dir):
    report = load(
        district, "gradebook", fixtures_dir / "gb_canvas_sis.csv", file_format="canvas_gradebook", school_year="2025-26"
    )
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (3, 4, 0)
    rows = district.execute(
        "select student_id, section_id, standard_code, mark, score from scores order by student_id, standard_code"
    ).fetchall()
    assert rows == [
        ("0001", "Math 3 A", "Quiz 1", "9.00", 4.0),  # 90%
        ("0001", "Math 3 A", "Unit Test", "41.00", 3.0),  # 82%
        ("0002", "Math 3 A", "Quiz 1", "EX", None),  # excused
        ("0002", "Math 3 A", "Unit Test", "20.00", 1.0),  # 40%
    ]
    assert "skipped 2 'points possible' row(s) below the header" in report.notes
    assert not any("not in any roster" in n for n in report.notes)


def test_a_load_whose_every_row_is_rejected_says_nothing_was_loaded_and_why(district, tmp_path):
    """Issue 30: an all-rejected load ends with one sentence naming the commonest reason and the fix, and no
    report line has a blank where a value belongs (`replaced 0 pieces of evidence for , school :`)."""
    path = write(
        tmp_path,
        "bad_marks.csv",
        "student_id,school_year,standard_code,mark\n0001,2025-26,M.3.NF.1,banana\n0002,2025-26,M.3.NF.1,kiwi\n",
    )
    lines = load(district, "gradebook", path).lines()
    assert lines[-1].startswith("  nothing was loaded: all 2 rows were rejected, most often (2 rows) for: mark is")
    assert lines[-1].endswith("fix that in the file or its mapping and load it again")
    assert "  replaced nothing: the file gave no pieces of evidence to load" in lines
    assert not any(re.search(r"for ,|, school :|: ,|for :", line) for line in lines), lines
