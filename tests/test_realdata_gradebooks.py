"""The real gradebook exports in ../shared/realdata/gradebook, each with its preset, through the real
loader. The figures were read off the files by hand (a few are recounted here from the file with the
csv module, independently of the loader)."""

from __future__ import annotations

import csv
import datetime
from collections import Counter

import pytest

from tests.conftest import load


def scores(con, load_id: int) -> dict[tuple[str, str], tuple]:
    rows = con.execute(
        "select student_id, standard_code, mark, score from scores where load_id = $id", {"id": load_id}
    ).fetchall()
    return {(student, code): (mark, score) for student, code, mark, score in rows}


# ---------------------------------------------------------------- Canvas


@pytest.fixture
def canvas(con, realdata):
    path = realdata / "gradebook" / "canvas_gradebook_export_deidentified.csv"
    return con, path, load(con, "gradebook", path, file_format="canvas_gradebook", school_year="2024-25")


def test_canvas_counts(canvas):
    _, _, report = canvas
    # 28 student rows under the points-possible row, one of them Canvas's test student;
    # 28 assignment columns (26 totals are `(read only)`); 27 x 28 = 756 cells, 3 of them blank.
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (28, 753, 0)
    assert "wide: 28 columns of marks x 27 rows" in report.notes
    assert "3 blank cell(s) are no evidence and were passed over" in report.notes
    assert "skipped 1 row(s) of test students named in the format (Student, Test, Test Student)" in report.notes


def test_canvas_points_become_percent_then_the_chart(canvas):
    con, _, report = canvas
    got = scores(con, report.load_id)
    assert got[("1", "Quiz 1.8")] == ("6.0", 3.0)  # 6 of 8 = 75%
    assert got[("1", "Quiz 3.5")] == ("3.16", 3.0)  # 3.16 of 4 = 79%
    assert got[("1", "Test 2")] == ("63.0", 3.0)  # 63 of 88 = 71.6%
    assert got[("1", "Test 3")] == ("100.0", 4.0)  # 100 of 85: extra credit, the top band
    assert got[("3", "Quiz 3.5")] == ("1.16", 1.0)  # 29%
    assert got[("10", "Test 2")] == ("48.0", 1.0)  # 54.5%
    assert got[("9", "Test 1 Review")] == ("1.58", 1.0)  # the "Student not on WebAssign" row is a student
    assert ("10", "Quiz 4.6") not in got  # blank in the file


def test_canvas_totals_test_student_and_names_stay_out(canvas):
    con, _, report = canvas
    codes = {code for (code,) in con.execute("select distinct standard_code from scores").fetchall()}
    assert len(codes) == 28 and not any("Score" in c or "Grade" in c for c in codes)
    assert con.execute("select count(*) from scores where student_id = '28'").fetchall() == [(0,)]
    assert con.execute(
        "select count(*) from scores where student_id like '%STUDENT%' or assessment_name like '%STUDENT%'"
    ).fetchall() == [(0,)]


def test_canvas_whole_file_recounted_independently(canvas):
    con, path, report = canvas
    rows = list(csv.reader(path.open(newline="")))
    header, possible = rows[0], rows[1]
    assignment_columns = [i for i, h in enumerate(header) if h.strip().endswith(")") and possible[i] != "(read only)"]
    expected = Counter()
    for row in rows[2:]:
        if row[1] == "Student, Test":
            continue
        for i in assignment_columns:
            if row[i]:
                percent = float(row[i]) / float(possible[i]) * 100
                expected[4.0 if percent >= 90 else 3.0 if percent >= 70 else 2.0 if percent >= 60 else 1.0] += 1
    loaded = Counter(dict(con.execute("select score, count(*) from scores group by score").fetchall()))
    assert loaded == expected


# ---------------------------------------------------------------- ELD standards-based, +/-


@pytest.fixture
def eld(con, realdata):
    path = realdata / "gradebook" / "eld_sbg_gradebook_plusminus.csv"
    return con, load(con, "gradebook", path, file_format="eld_sbg_plusminus", school_year="2019-20")


def test_eld_counts(eld):
    _, report = eld
    # 7 students x 31 assignments = 217 cells: 42 blank, 35 codes, 140 marks.
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (7, 175, 0)
    assert "42 blank cell(s) are no evidence and were passed over" in report.notes
    assert (
        "35 mark(s) are codes, not evidence (stored with their mark and a NULL score, counted, never averaged): "
        "'e (excused)' x13, 'pp (teacher's code)' x10, 'p (teacher's code)' x9, 'u (teacher's code)' x3" in report.notes
    )


def test_eld_marks_with_plus_minus(eld):
    con, report = eld
    got = scores(con, report.load_id)
    # RG's row: `RG,,1,2,2+,...`: the first assignment is blank, then 1, 2, and 2+ on the fourth.
    assert ("RG", "Unit1 Wk1 AWCPA") not in got
    assert got[("RG", "Unit1 Wk 2 Family Memory -- Data")] == ("1", 1.0)
    assert got[("RG", "U1 Wk3 Life Experiences")] == ("2", 2.0)
    assert got[("RG", "Unit2 Wk2 Why Do Immigrants Come To America?")] == ("2+", 2.33)
    assert got[("RG", "Unit 4 Week 2 Topic Writeup")] == ("3-", 2.67)
    assert got[("RG", "Unit 3 Week 4 Budget (2)")] == ("3", 3.0)  # `(2)` is part of the name, not an id
    assert got[("FK", "Unit 5 Week 2 Compare & Contrast")] == ("4-", 3.67)
    assert got[("JP", "Unit1 Wk 2 Family Memory -- Data")] == ("2-", 1.67)
    assert got[("EL", "Unit1 Wk1 AWCPA")] == ("e", None)
    assert got[("RG", "Topic Graphic Organizer")] == ("u", None)


def test_eld_score_distribution(eld):
    con, _ = eld
    assert dict(con.execute("select score, count(*) from scores group by score").fetchall()) == {
        None: 35,
        1.0: 1,
        1.67: 2,
        2.0: 7,
        2.33: 30,
        2.67: 37,
        3.0: 30,
        3.33: 16,
        3.67: 11,
        4.0: 6,
    }


# ---------------------------------------------------------------- Mastery Connect


def test_masteryconnect_long(con, realdata):
    path = realdata / "gradebook" / "masteryconnect_sc_long_standard_scores.csv"
    report = load(con, "gradebook", path, file_format="masteryconnect_long")
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (3, 3, 0)
    rows = con.execute(
        "select student_id, school_year, assessed_on, school_id, section_id, standard_code, mark, score, "
        "assessment_name from scores order by assessed_on"
    ).fetchall()
    assert rows == [
        (
            "210553504",
            "2023-24",
            datetime.date(2023, 8, 25),
            "100",
            "18998808",
            "MGSE3.NBT.2",
            "mastery",
            3.0,
            "Practice Quiz",
        ),
        (
            "430000721",
            "2023-24",
            datetime.date(2023, 8, 29),
            "100",
            "18998806",
            "ELAGSE3RL9",
            "near_mastery",
            2.0,
            "Module 1 Test Martinez",
        ),
        (
            "210557051",
            "2023-24",
            datetime.date(2023, 8, 30),
            "100",
            "18998768",
            "ELAGSE3L4",
            "remediation",
            1.0,
            "Module 1 Test Martinez",
        ),
    ]


def test_masteryconnect_wide(con, realdata):
    path = realdata / "gradebook" / "masteryconnect_tn_wide_standard_columns.csv"
    report = load(con, "gradebook", path, file_format="masteryconnect_wide")
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (2, 10, 0)
    got = scores(con, report.load_id)
    assert got == {
        ("240000220", "A.CED"): ("3", 3.0),
        ("240000220", "A.REI"): ("2", 2.0),
        ("240000220", "A.SSE"): ("4", 4.0),
        ("240000220", "F.IF"): ("3.67", 3.67),
        ("240000220", "N.Q"): ("4", 4.0),
        ("250000399", "A.CED"): ("4", 4.0),
        ("250000399", "A.REI"): ("2", 2.0),
        ("250000399", "A.SSE"): ("4", 4.0),
        ("250000399", "F.IF"): ("3.33", 3.33),
        ("250000399", "N.Q"): ("4", 4.0),
    }
    rows = con.execute(
        "select distinct student_id, school_year, assessed_on, school_id, teacher_id, assessment_name "
        "from scores order by student_id"
    ).fetchall()
    assert rows == [
        ("240000220", "2019-20", datetime.date(2019, 9, 27), "25", "45162", "tnmalg2020cdomtr01oakr"),
        ("250000399", "2019-20", datetime.date(2019, 9, 27), "25", "45062", "tnmalg2020cdomtr01oakr"),
    ]
