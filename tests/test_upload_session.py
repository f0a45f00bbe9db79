"""What the Data page understands of an upload, without a browser (etl/formats/upload_session.py)."""

from __future__ import annotations

from pathlib import Path

from etl.dry_run import dry_run
from etl.formats import upload_session as session
from tests.conftest import load

EXPORTS = Path(__file__).parent / "fixtures" / "exports"


def test_an_upload_keeps_its_name_in_a_folder_of_its_own(tmp_path):
    kept = session.keep_upload("../../etc/Grades Q1.csv", b"a,b\n1,2\n", tmp_path)
    assert kept == tmp_path / "Grades Q1.csv" and kept.read_bytes() == b"a,b\n1,2\n"


def test_a_preset_format_proposes_its_columns(realdata):
    found = session.understand(realdata / "gradebook" / "masteryconnect_sc_long_standard_scores.csv")
    assert (found.kind, found.file_format, found.can_map) == ("gradebook", "masteryconnect_long", True)
    assert found.proposed["student_id"] == "student_number"
    assert found.proposed["standard_code"] == "standard_name" and found.proposed["mark"] == "score_state"
    assert list(found.preview["title"])[:1] == ["Practice Quiz "]  # as the reader sees it
    assert found.base_mapping["scale"]["labels"]["near_mastery"] == 2


def test_a_fixed_column_reaches_the_loader(con, realdata, fixtures_dir):
    roster = fixtures_dir.parent / "fixtures" / "roster_canonical.csv"
    load(con, "roster", roster)
    found = session.understand(realdata / "gradebook" / "masteryconnect_sc_long_standard_scores.csv")
    chosen = {**found.proposed, "student_id": "state_student_number"}
    report = dry_run(con, "gradebook", found.path, session.options_for(found, chosen))
    assert report.status == "would load" and report.rows_loaded == 3
    assert report.roster_match == (0, 3)  # the small roster knows none of them
    assert {mark for mark, _, _ in report.mark_examples} == {"mastery", "near_mastery", "remediation"}


def test_a_converted_format_previews_the_warehouse_columns():
    found = session.understand(EXPORTS / "masteryconnect_items.csv")
    assert found.is_converted and not found.can_map
    assert list(found.preview.columns)[:3] == ["student_id", "school_year", "assessed_on"]
    assert len(found.preview) == 6


def test_a_saved_mapping_is_offered_for_the_next_file_of_that_shape(tmp_path, realdata):
    mappings = tmp_path / "mappings"
    specimen = realdata / "gradebook" / "masteryconnect_sc_long_standard_scores.csv"
    found = session.understand(specimen, mappings_dir=mappings)
    chosen = {**found.proposed, "student_id": "state_student_number"}
    saved = session.save_mapping(mappings, "MC state numbers", found, chosen)
    assert saved.name == "mc_state_numbers.yaml"
    next_file = tmp_path / "next_week.csv"
    next_file.write_bytes(specimen.read_bytes())
    again = session.understand(next_file, mappings_dir=mappings)
    assert again.saved_mapping == "mc_state_numbers"
    assert again.proposed["student_id"] == "state_student_number"
    other = tmp_path / "other.csv"
    other.write_text("student_id,standard_code,mark\n1,A,3\n")
    assert session.understand(other, mappings_dir=mappings).saved_mapping is None


def test_an_offerings_file_is_understood_as_a_learning_load_and_dry_runs(con, tmp_path):
    """The Upload data page offers every kind but rubrics; an offerings file is recognised as one and checked."""
    from etl.load import KINDS

    path = session.keep_upload(
        "PD offerings 2025.csv",
        b"date,school,type,title,hours,teachers,coaches\n"
        b"2025-10-01,S1,coaching,Cycle A,2,5,1\n2025-10-08,S1,webinar,Bad mode,1,3,\n",
        tmp_path,
    )
    found = session.understand(path)
    assert (found.kind, found.file_format, found.can_map) == ("learning", "canonical", False)
    assert "learning" in KINDS and list(found.preview.columns)[:3] == ["date", "school", "type"]
    report = dry_run(con, "learning", found.path, session.options_for(found, found.proposed))
    assert (report.status, report.rows_read, report.rows_loaded) == ("would load", 2, 2), report.lines()
    assert [(reason.split(" (")[0], n) for reason, n, _ in report.rejects] == [
        ("mode is not one of plc, coaching, workshop, peer_observation, online_course", 1)
    ]
    assert con.execute("select count(*) from learning_offerings").fetchone()[0] == 0
