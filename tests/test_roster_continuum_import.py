"""Rosters and continua through the real loader: the quirks of SIS exports and standards files."""

from __future__ import annotations

import pytest

from etl.errors import LoadRefused
from tests.conftest import load


@pytest.fixture
def quirky_roster(con, fixtures_dir):
    report = load(con, "roster", fixtures_dir / "roster_sis_quirks.csv", school_year="2025-26")
    return con, report


def test_roster_counts_and_rejects(quirky_roster):
    con, report = quirky_roster
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (7, 4, 3)
    rejects = con.execute('select line_number, "column", value, reason from rejects order by line_number').fetchall()
    assert rejects == [
        (6, "grade_level", "13", "grade level is not K, 0-12 or PK"),
        (7, "student_id", "00019", "student appears twice in the same school year"),
        (8, "student_id", None, "student id is blank"),
    ]


def test_roster_values_are_normalized(quirky_roster):
    con, _ = quirky_roster
    rows = {
        r[0]: r[1:]
        for r in con.execute(
            "select student_id, school_id, grade_level, gender, race_ethnicity, is_ell, is_iep, is_504, is_econ_disadv "
            "from enrollments order by student_id"
        ).fetchall()
    }
    assert rows["00017"] == ("0042", 0, "Female", "Hispanic or Latino", True, False, False, True)
    assert rows["00018"] == ("0042", 0, "Male", "White", False, True, False, False)
    assert rows["00019"] == ("0042", 3, "Female", "Black or African American", False, True, True, True)
    assert rows["00020"][3] is None  # an unknown race is stored as unknown, and reported


def test_unknown_values_are_reported(quirky_roster):
    _, report = quirky_roster
    assert any("race_ethnicity" in note and "Martian" in note for note in report.notes)


def test_passwords_and_unlisted_columns_never_stored(quirky_roster):
    con, _ = quirky_roster
    columns = {r[0] for r in con.execute("select column_name from information_schema.columns").fetchall()}
    assert "password" not in columns
    for table in ("students", "enrollments", "schools", "rejects", "loads"):
        text = " ".join(str(v) for row in con.execute(f"select * from {table}").fetchall() for v in row)
        assert "hunter2" not in text, table


def test_schools_created_from_roster_with_level(quirky_roster):
    con, _ = quirky_roster
    assert con.execute("select school_id, school_name, level from schools order by 1").fetchall() == [
        ("0042", "0042", "elementary"),
        ("0043", "0043", "high"),
    ]


def test_roster_without_year_is_refused_with_reason(con, fixtures_dir):
    with pytest.raises(LoadRefused, match="roster_sis_quirks.csv: no school year"):
        load(con, "roster", fixtures_dir / "roster_sis_quirks.csv")
    assert con.execute("select count(*) from loads").fetchone()[0] == 0


def test_roster_missing_columns_names_them(con, tmp_path):
    path = tmp_path / "not_a_roster.csv"
    path.write_text("name,color\nann,red\n")
    with pytest.raises(LoadRefused) as refused:
        load(con, "roster", path, school_year="2025-26")
    assert "not_a_roster.csv" in str(refused.value)
    assert "student_id" in str(refused.value) and "grade_level" in str(refused.value)


def test_real_contoso_roster(con, realdata):
    report = load(con, "roster", realdata / "roster" / "oea_contoso_sis_students.csv", school_year="2025-26")
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (400, 400, 0)
    counts = con.execute(
        "select count(*) filter (where is_ell), count(*) filter (where is_iep), "
        "count(*) filter (where is_econ_disadv), min(grade_level), max(grade_level) "
        "from enrollments"
    ).fetchone()
    assert counts == (44, 68, 157, 9, 12)
    st2 = con.execute("select is_iep, race_ethnicity from enrollments where student_id = 'st2'").fetchone()
    assert st2 == (True, "Black or African American")  # "Resource Specialty Program" means yes


def test_continuum_csv(con, fixtures_dir):
    report = load(con, "continuum", fixtures_dir / "continuum_small.csv")
    assert report.rows_loaded == 6
    assert con.execute("select continuum_level, strand from standards where standard_code = 'M.4.NF.1'").fetchone() == (
        4,
        "NF",
    )


def test_continuum_csv_with_grade_spellings_and_aliases(con, tmp_path):
    path = tmp_path / "continuum.csv"
    path.write_text(
        "Code;Subject;Domain;Grade;Statement\nK.CC.1;Mathematics;CC;KG;Count to 100\n"
        "RL.3.1;English Language Arts;RL;03;Ask questions\nX.1;Math;X;Grade 14;bad level\n"
    )
    report = load(con, "continuum", path)
    assert (report.rows_loaded, report.rows_rejected) == (2, 1)
    assert con.execute("select standard_code, content_area, continuum_level from standards order by 1").fetchall() == [
        ("K.CC.1", "math", 0),
        ("RL.3.1", "ela", 3),
    ]


def test_real_common_standards_project_json(con, realdata):
    math = load(con, "continuum", realdata / "continuum" / "ccss_math_csp_0.8.0.json")
    ela = load(con, "continuum", realdata / "continuum" / "ccss_ela_literacy_csp_0.8.0.json")
    assert (math.rows_loaded, ela.rows_loaded) == (517, 999)
    row = con.execute(
        "select content_area, continuum_level, strand, description from standards "
        "where standard_code = 'CCSS.Math.Content.4.NF.A.1'"
    ).fetchone()
    assert row[:3] == ("math", 4, "NF") and row[3].startswith("Explain why a fraction a/b is equivalent")
