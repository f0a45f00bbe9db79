"""`load --dry-run` writes nothing and reports what a load would do; `undo` puts every table back."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.__main__ import main
from etl.dry_run import dry_run
from etl.errors import LoadRefused
from etl.undo import undo_load
from tests.conftest import load

EXPORTS = Path(__file__).parent / "fixtures" / "exports"


def every_table(con) -> dict[str, list[tuple]]:
    """Each table of the warehouse (marts and the undo copies too) as sorted rows. `loads` keeps its
    history and warehouse_info its data version, so those two are compared by the caller."""
    names = [
        n
        for (n,) in con.execute(
            "select table_name from duckdb_tables() where schema_name = 'main' and not temporary "
            "and table_name not in ('loads', 'warehouse_info') order by 1"
        ).fetchall()
    ]
    return {name: sorted(con.execute(f'select * from "{name}"').fetchall(), key=repr) for name in names}


def loads_of(con) -> list[tuple]:
    return con.execute("select load_id, kind, file_name, status from loads order by load_id").fetchall()


@pytest.fixture
def district(prebuilt, db_path):
    loads = (
        ("continuum", EXPORTS / "case_framework.json"),
        ("roster", EXPORTS / "powerschool_students.csv", {"school_year": "2025-26"}),
    )
    with prebuilt.opened(loads, db_path) as connection:
        yield connection


def test_dry_run_writes_nothing_and_reports(district):
    before, history = every_table(district), loads_of(district)
    report = dry_run(district, "gradebook", EXPORTS / "gradebook_code_spellings.csv")
    assert every_table(district) == before and loads_of(district) == history
    assert (report.status, report.rows_read, report.rows_loaded) == ("would load", 5, 5)
    assert report.roster_match == (3, 3)
    assert report.unknown_codes == ["9.ZZ.1"]  # the two other spellings meet the continuum's 4.NF.A.1
    text = "\n".join(report.lines())
    assert "nothing was written" in text and "roster match: 3 of 3 students are on a roster (100%)" in text
    assert "enrolled students with no evidence (in the school years loaded): 1" in text  # 0004


def test_dry_run_lists_rejects_with_their_lines(district, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "student_id,school_year,standard_code,mark\n0001,2025-26,4.NF.A.1,3\n"
        "0002,2025-26,4.NF.A.1,7\n,2025-26,4.NF.A.1,2\n0003,2025-26,4.NF.A.1,9\n0001,2025-26,4.NF.A.1,3\n"
    )
    report = dry_run(district, "gradebook", bad)
    reasons = {reason: lines for reason, _, lines in report.rejects}
    assert reasons["student id is blank"] == [4]
    assert [lines for reason, lines in reasons.items() if reason.startswith("mark")] == [[3, 5]]
    assert report.marks_off_scale == 2 and report.duplicates == 1


def test_dry_run_on_the_command_line_prints_the_report(district, db_path, capsys):
    district.close()
    assert (
        main(["load", "gradebook", str(EXPORTS / "masteryconnect_items.csv"), "--db", str(db_path), "--dry-run"]) == 0
    )
    out = capsys.readouterr().out
    assert "dry run of a gradebook load (masteryconnect_items (long)); nothing was written" in out
    assert "rows that would load: 6" in out


@pytest.mark.parametrize(
    "kind, name, options",
    [
        ("gradebook", "masteryconnect_items.csv", {}),
        ("gradebook", "canvas_gradebook_full.csv", {"school_year": "2025-26"}),
        ("roster", "program_flags.csv", {}),  # overwrites enrollments the roster wrote
        ("roster", "edfi_roster_program_rows.csv", {}),  # adds schools, students, enrollments
        ("continuum", "ngss_standards.csv", {}),
    ],
    ids=["gradebook-item-level", "gradebook-canvas", "roster-overwrites-flags", "roster-adds", "continuum"],
)
def test_undo_leaves_every_table_as_before_the_load(district, kind, name, options):
    load(district, "gradebook", EXPORTS / "gradebook_code_spellings.csv")  # marts to rebuild
    before, history = every_table(district), loads_of(district)
    report = load(district, kind, EXPORTS / name, **options)
    assert report.status == "loaded" and every_table(district) != before
    undo_load(district, report.load_id)
    assert every_table(district) == before
    assert loads_of(district) == history + [(report.load_id, kind, name, "undone")]


def test_an_undone_file_can_be_loaded_again(district):
    first = load(district, "gradebook", EXPORTS / "masteryconnect_items.csv")
    undo_load(district, first.load_id)
    again = load(district, "gradebook", EXPORTS / "masteryconnect_items.csv")
    assert again.status == "loaded" and again.rows_loaded == 6


def test_undo_refuses_when_a_later_load_changed_the_same_table(district):
    roster = load(district, "roster", EXPORTS / "program_flags.csv")
    later = load(district, "roster", EXPORTS / "edfi_roster_program_rows.csv")
    with pytest.raises(
        LoadRefused,
        match=f"load {later.load_id} .* changed \\w+ after load {roster.load_id}: undo load {later.load_id} first",
    ):
        undo_load(district, roster.load_id)
    undo_load(district, later.load_id)
    undo_load(district, roster.load_id)  # now it can


def test_undo_refuses_an_unknown_or_undone_load(district):
    with pytest.raises(LoadRefused, match="no load 99"):
        undo_load(district, 99)
    report = load(district, "gradebook", EXPORTS / "masteryconnect_items.csv")
    undo_load(district, report.load_id)
    with pytest.raises(LoadRefused, match="is undone: nothing to undo"):
        undo_load(district, report.load_id)


def test_undo_on_the_command_line(district, db_path, capsys):
    report = load(district, "gradebook", EXPORTS / "masteryconnect_items.csv")
    district.close()
    assert main(["undo", str(report.load_id), "--db", str(db_path)]) == 0
    assert (
        f"load {report.load_id} (masteryconnect_items.csv) undone: rows changed back: scores 6"
        in capsys.readouterr().out
    )
