"""A district's own exports: each format recognised and loaded from a fixture that reproduces the
vendor's layout (tests/fixtures/exports/), refusals that say what a file looks like, and the
specimens in ../shared/realdata. Every figure below was worked out by hand from the fixture named.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from etl.__main__ import main
from etl.errors import LoadRefused
from etl.formats.detect import detect_file
from etl.formats.sample import loadable_path
from tests.conftest import load

EXPORTS = Path(__file__).parent / "fixtures" / "exports"


def scores(con, load_id: int) -> dict[tuple[str, str], float | None]:
    rows = con.execute(
        "select student_id, standard_code, score from scores where load_id = $id", {"id": load_id}
    ).fetchall()
    return {(student, code): score for student, code, score in rows}


def enrollment(con, student_id: str) -> dict:
    frame = con.execute("select * from enrollments where student_id = $id", {"id": student_id}).df()
    assert len(frame) == 1, f"{student_id} enrolled {len(frame)} times"
    return frame.iloc[0].to_dict()


# ---------------------------------------------------------------- the refusals, now loads


def test_canvas_gradebook_with_all_identity_columns_loads_without_a_format(con):
    report = load(con, "gradebook", EXPORTS / "canvas_gradebook_full.csv", school_year="2025-26")
    assert (report.status, report.file_format, report.rows_loaded) == ("loaded", "canvas_gradebook (wide)", 8)
    assert any("Points Possible row, assignment ids in parentheses" in n for n in report.notes)
    assert "Student, Test" not in {s for s, _ in scores(con, report.load_id)}
    # 9 of 10 points = 90% -> 4; 6.5 of 10 = 65% -> 2; the id column ID (Canvas's own) is not the student id
    assert scores(con, report.load_id)[("0001", "Fractions Quiz")] == 4.0
    assert scores(con, report.load_id)[("0002", "Fractions Quiz")] == 2.0


def test_mastery_connect_item_level_questions_become_evidence_per_standard(con):
    report = load(con, "gradebook", EXPORTS / "masteryconnect_items.csv")
    assert report.file_format == "masteryconnect_items (long)"
    assert scores(con, report.load_id) == {
        ("0001", "4.NF.A.1"): 3.0,  # 2 of 2 points: mastery
        ("0001", "4.NF.B.3"): 2.0,  # 2 of 3 = 67%: near mastery
        ("0002", "4.NF.A.1"): 1.0,  # 1 of 2 = 50%: remediation
        ("0002", "4.NF.B.3"): 1.0,  # 1 of 3
        ("0003", "4.NF.A.1"): 1.0,  # 1 of 2
        ("0003", "4.NF.B.3"): 3.0,  # question 3 unanswered is no evidence; question 4: 1 of 1
    }
    years = con.execute("select distinct school_year from scores").fetchall()
    assert years == [("2025-26",)]  # from date_taken, no --school-year


def test_edfi_roster_with_schoolid_descriptors_and_a_flag_column_loads(con):
    report = load(con, "roster", EXPORTS / "edfi_roster_program_rows.csv")
    assert (report.status, report.rows_loaded) == ("loaded", 5)
    luis = enrollment(con, "604822")
    assert (luis["school_id"], luis["grade_level"], luis["school_year"]) == ("255901001", 3, "2025-26")
    assert (luis["is_ell"], luis["is_iep"], luis["is_504"], luis["race_ethnicity"]) == (
        True,
        True,
        False,
        "Hispanic or Latino",
    )
    assert enrollment(con, "604821")["race_ethnicity"] == "Black or African American"
    assert enrollment(con, "604825")["race_ethnicity"] == "Two or more races"
    assert enrollment(con, "604825")["grade_level"] == 0
    assert enrollment(con, "604824")["is_504"] is True or enrollment(con, "604824")["is_504"] == True  # noqa: E712
    assert any("'Gifted and Talented' x1" in n for n in report.notes)


@pytest.mark.parametrize(
    "name, level, strand",
    [
        ("K-PS2-2", 0, "Motion and Stability: Forces and Interactions"),
        ("2-LS4-1", 2, "Biological Evolution: Unity and Diversity"),
        ("MS-LS1-1", 6, "From Molecules to Organisms: Structures and Processes"),
        ("HS-ESS3-5", 9, "Earth and Human Activity"),
    ],
    ids=["kindergarten", "grade-2", "middle-school-band", "high-school-band"],
)
def test_ngss_codes_take_their_grade_or_band(con, name, level, strand):
    load(con, "continuum", EXPORTS / "ngss_standards.csv")
    row = con.execute(
        "select continuum_level, strand, content_area from standards where standard_code = $c", {"c": name}
    ).fetchone()
    assert row == (level, strand, "science")


def test_case_package_loads_standards_not_domains(con):
    report = load(con, "continuum", EXPORTS / "case_framework.json")
    rows = con.execute(
        "select standard_code, continuum_level, strand, content_area from standards order by standard_code"
    ).fetchall()
    assert rows == [
        ("3.NF.A.1", 3, "3.NF", "math"),
        ("4.NF.A.1", 4, "Fractions", "math"),
        ("4.NF.B.3", 4, "Fractions", "math"),
    ]  # 4.NF.B.3 takes its parent's educationLevel
    assert any("2 groupings" in n for n in report.notes)


def test_nested_grade_strand_standard_json_loads(con):
    load(con, "continuum", EXPORTS / "nested_continuum.json")
    rows = con.execute(
        "select standard_code, continuum_level, strand, content_area, framework from standards order by standard_code"
    ).fetchall()
    assert rows == [
        ("RF.K.1", 0, "Reading Foundations", "ela", "District Literacy Continuum"),
        ("RF.K.2", 0, "Reading Foundations", "ela", "District Literacy Continuum"),
        ("RL.3.1", 3, "Reading Literature", "ela", "District Literacy Continuum"),
        ("W.3.1", 3, "Writing", "ela", "District Literacy Continuum"),
    ]


def test_a_refusal_names_what_the_file_looks_like_and_the_command(con):
    with pytest.raises(LoadRefused) as refused:
        load(con, "roster", EXPORTS / "canvas_outcome_results.csv")
    message = str(refused.value)
    assert message.startswith("canvas_outcome_results.csv: missing required column(s)")
    assert "looks like a Canvas outcome results report" in message
    assert "python -m etl load gradebook" in message and "canvas_outcome_results" in message
    assert con.execute("select count(*) from loads").fetchone()[0] == 0


def test_a_canvas_outcomes_import_is_refused_for_what_it_is(con, realdata):
    with pytest.raises(LoadRefused, match="Canvas outcomes import file"):
        load(con, "continuum", realdata / "gradebook" / "canvas_outcomes_import_demo_RECONSTRUCTED.csv")


# ---------------------------------------------------------------- gradebook formats


def test_canvas_learning_mastery_gradebook(con):
    report = load(con, "gradebook", EXPORTS / "canvas_mastery_gradebook.csv", school_year="2025-26")
    assert scores(con, report.load_id) == {
        ("0001", "4.NF.A.1"): 4.0,
        ("0001", "4.NF.B.3"): 3.0,
        ("0001", "RL.4.1"): 2.5,
        ("0002", "4.NF.A.1"): 2.0,
        ("0002", "RL.4.1"): 3.0,  # a blank result is no evidence
        ("0003", "4.NF.A.1"): 1.5,
        ("0003", "4.NF.B.3"): 4.0,  # 5 points over mastery 3: at most 4
    }


def test_canvas_outcome_results_report(con):
    report = load(con, "gradebook", EXPORTS / "canvas_outcome_results.csv")
    rows = con.execute(
        "select student_id, standard_code, score, assessed_on::varchar, section_id, course_id, "
        "assessment_name, school_year from scores where load_id = $id order by all",
        {"id": report.load_id},
    ).fetchall()
    assert rows == [
        ("0001", "4.NF.A.1", 3.0, "2025-10-02", "MATH4-12", "MATH4-2025", "Fractions Quiz", "2025-26"),
        ("0002", "4.NF.A.1", 2.0, "2025-10-02", "MATH4-12", "MATH4-2025", "Fractions Quiz", "2025-26"),
        ("0003", "4.NF.A.1", 4.0, "2025-10-02", "MATH4-12", "MATH4-2025", "Fractions Quiz", "2025-26"),
        ("0003", "4.NF.B.3", 4.0, "2025-11-14", "MATH4-12", "MATH4-2025", "Unit 3 Test", "2025-26"),
    ]


@pytest.mark.parametrize("as_zip", [False, True], ids=["folder", "zip"])
def test_oneroster_gradebook_results(con, tmp_path, as_zip):
    source = EXPORTS / "oneroster_gradebook"
    if as_zip:
        target = tmp_path / "gradebook.zip"
        with zipfile.ZipFile(target, "w") as archive:
            for f in source.iterdir():
                archive.write(f, f"export/{f.name}")
        source = target
    report = load(con, "gradebook", loadable_path(source))
    assert report.file_format == "oneroster_results (long)"
    assert scores(con, report.load_id) == {
        ("0001", "4.NF.A.1"): 3.0,
        ("0002", "4.NF.A.1"): 2.5,  # a 0-4 line item keeps its score
        ("0001", "Fractions Quiz"): 4.0,  # 19 of 20 = 95%
        ("0002", "Fractions Quiz"): 1.0,  # 11 of 20 = 55%
        ("0003", "4.NF.A.1"): None,  # exempt: a code, not evidence; r5 tobedeleted is passed over
    }


def test_legacy_canvas_gradebook_specimen(con, realdata):
    report = load(
        con,
        "gradebook",
        realdata / "gradebook" / "canvas_gradebook_legacy_cr_only_RECONSTRUCTED.csv",
        school_year="2025-26",
    )
    assert report.file_format == "canvas_gradebook_legacy (wide)"
    # Every assignment is `-` (ungraded): seven codes, no score, nothing rejected.
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (7, 7, 0)
    assert con.execute("select count(*) from scores where score is not null").fetchone()[0] == 0


@pytest.mark.parametrize(
    "name, fmt",
    [
        ("canvas_gradebook_export_deidentified.csv", "canvas_gradebook"),
        ("eld_sbg_gradebook_plusminus.csv", "eld_sbg_plusminus"),
        ("masteryconnect_sc_long_standard_scores.csv", "masteryconnect_long"),
        ("masteryconnect_tn_wide_standard_columns.csv", "masteryconnect_wide"),
        ("canvas_gradebook_legacy_cr_only_RECONSTRUCTED.csv", "canvas_gradebook_legacy"),
    ],
)
def test_gradebook_specimens_are_recognised(realdata, name, fmt):
    found = detect_file(realdata / "gradebook" / name)
    assert (found.kind, found.format) == ("gradebook", fmt)


# ---------------------------------------------------------------- standard codes


def test_codes_written_three_ways_meet_the_continuum(con):
    load(con, "continuum", EXPORTS / "case_framework.json")
    report = load(con, "gradebook", EXPORTS / "gradebook_code_spellings.csv")
    codes = con.execute("select student_id, standard_code from scores order by all").fetchall()
    assert codes == [
        ("0001", "4.NF.A.1"),
        ("0001", "4.NF.B.3"),
        ("0002", "4.NF.A.1"),
        ("0002", "9.ZZ.1"),
        ("0003", "4.NF.A.1"),
    ]
    assert any("4.NF.1 -> 4.NF.A.1" in n and "CCSS.MATH.CONTENT.4.NF.A.1 -> 4.NF.A.1" in n for n in report.notes)


def test_codes_are_not_merged_when_the_continuum_has_two_of_that_form(con, tmp_path):
    continuum = tmp_path / "two.csv"
    continuum.write_text("standard_code,content_area,continuum_level\n4.NF.A.1,math,4\n4.NF.B.1,math,4\n")
    load(con, "continuum", continuum)
    load(con, "gradebook", EXPORTS / "gradebook_code_spellings.csv")
    assert con.execute("select count(*) from scores where standard_code = '4.NF.1'").fetchone()[0] == 1


# ---------------------------------------------------------------- rosters


@pytest.mark.parametrize("as_zip", [False, True], ids=["folder", "zip"])
def test_oneroster_roster_bundle(con, tmp_path, as_zip):
    source = EXPORTS / "oneroster_roster"
    if as_zip:
        source = Path(shutil.make_archive(str(tmp_path / "roster"), "zip", source))
    report = load(con, "roster", loadable_path(source))
    assert (report.status, report.rows_loaded) == ("loaded", 4)  # the teacher and the tobedeleted user are not
    maria = enrollment(con, "0001")
    assert (
        maria["school_id"],
        maria["grade_level"],
        maria["school_year"],
        maria["race_ethnicity"],
        maria["gender"],
    ) == ("0042", 4, "2025-26", "Hispanic or Latino", "Female")
    assert enrollment(con, "0003")["race_ethnicity"] == "Two or more races"
    assert enrollment(con, "0004")["grade_level"] == 0 and enrollment(con, "0004")["school_id"] == "0043"
    stored = " ".join(str(v) for row in con.execute("select * from students").fetchall() for v in row)
    assert "Winter2025!" not in stored


def test_oneroster_specimen_of_a_school_district_loads(con, realdata):
    report = load(con, "roster", loadable_path(realdata / "roster" / "oneroster_moodle_catalyst_full"))
    assert report.status == "loaded" and report.rows_loaded > 0
    assert con.execute("select count(*) from students").fetchone()[0] == report.rows_loaded
    passwords = con.execute(
        "select count(*) from students where last_name like '%Password%' or first_name like '%Password%'"
    ).fetchone()[0]
    assert passwords == 0


def test_oneroster_specimen_of_a_university_has_no_grade_levels(con, realdata):
    """The Japanese sample is a university's: its students have no `grades`, so each is rejected
    with that reason (a K-12 continuum needs a grade), and nothing else is lost."""
    report = load(
        con, "roster", loadable_path(realdata / "roster" / "oneroster_lepo_rosterhub_ja"), school_year="2025-26"
    )
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (20, 0, 20)
    assert report.reject_summary == [("grade level is not K, 0-12 or PK", 20)]


def test_powerschool_column_names_need_no_mapping(con):
    report = load(con, "roster", EXPORTS / "powerschool_students.csv", school_year="2025-26")
    assert report.rows_loaded == 4
    sam = enrollment(con, "0002")
    assert (sam["school_id"], sam["grade_level"], sam["is_iep"], sam["race_ethnicity"]) == (
        "0042",
        4,
        True,
        "Black or African American",
    )


def test_program_flags_in_a_file_of_their_own_replace_the_flags(con):
    load(con, "roster", EXPORTS / "powerschool_students.csv", school_year="2025-26")
    report = load(con, "roster", EXPORTS / "program_flags.csv")
    assert (report.rows_loaded, report.rows_rejected) == (4, 1)  # 0099 is not enrolled; 0003, 0004 kept as they were
    maria = enrollment(con, "0001")
    assert (maria["is_ell"], maria["is_iep"], maria["is_504"], maria["is_econ_disadv"]) == (False, True, False, True)
    assert (maria["school_id"], maria["grade_level"], maria["race_ethnicity"]) == ("0042", 4, "Hispanic or Latino")


def test_a_district_adds_its_own_header_names(con, tmp_path, monkeypatch):
    vocabulary = tmp_path / "vocabulary.yaml"
    vocabulary.write_text("roster:\n  student_id: [Pupil Ref]\n  school_id: [Campus]\n")
    monkeypatch.setenv("DASHBOARD_VOCABULARY", str(vocabulary))
    from etl.vocabulary import column_aliases

    assert column_aliases("roster")["student_id"][0] == "Pupil Ref"
    assert column_aliases("roster")["school_id"][0] == "Campus"


# ---------------------------------------------------------------- continuum specimens


def test_pre_1_0_opensalt_case_package_loads(con, realdata):
    report = load(con, "continuum", realdata / "continuum" / "case_opensalt_what_standards_could_be.json")
    assert "CASE before 1.0" in " ".join(report.notes)
    assert report.rows_loaded >= 10 and report.rows_rejected == 0
    level = con.execute(
        "select continuum_level, content_area from standards where standard_code = 'CCSS.Math.Content.6.RP.A.1'"
    ).fetchone()
    assert level == (6, "math")


def test_a_case_package_without_grades_is_refused_with_what_it_is(con, realdata):
    with pytest.raises(LoadRefused, match=r"looks like a CASE package \('ACT Holistic Framework, Math', 28 CFItems\)"):
        load(con, "continuum", realdata / "continuum" / "case_opensalt_act_holistic_math.json")


# ---------------------------------------------------------------- the command line


def test_detect_prints_what_it_looks_like_and_the_command(capsys):
    assert main(["detect", str(EXPORTS / "masteryconnect_items.csv"), str(EXPORTS / "oneroster_roster")]) == 0
    out = capsys.readouterr().out
    assert "looks like a Mastery Connect item-level export" in out
    assert f"python -m etl load gradebook {EXPORTS / 'masteryconnect_items.csv'} --format masteryconnect_items" in out
    assert "looks like a OneRoster 1.1 bulk roster" in out


def test_detect_says_when_nothing_matches(capsys, tmp_path):
    odd = tmp_path / "odd.csv"
    odd.write_text("colour,flavour\nred,sweet\n")
    assert main(["detect", str(odd)]) == 1
    assert "not recognised" in capsys.readouterr().out
