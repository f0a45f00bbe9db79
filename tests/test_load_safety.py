"""A load is all or nothing, loading the same bytes twice changes nothing, and the command line says
what happened (docs/commands.md)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

import warehouse
from etl import marts
from etl.adapters import gradebook
from etl.adapters.common import read_mapping_file
from etl.errors import LoadRefused
from tests.conftest import CONTINUUM_AND_ROSTER, load

REPO = Path(__file__).resolve().parents[1]


def snapshot(con) -> dict[str, list[str]]:
    """Every row of every table of the warehouse, in a stable order."""
    tables = [
        r[0] for r in con.execute("select table_name from duckdb_tables() where not temporary order by 1").fetchall()
    ]
    return {t: sorted(repr(row) for row in con.execute(f'select * from "{t}"').fetchall()) for t in tables}


def temp_objects(con) -> list[str]:
    return sorted(
        r[0]
        for r in con.execute(
            "select table_name from duckdb_tables() where temporary union all "
            "select view_name from duckdb_views() where temporary and not internal"
        ).fetchall()
    )


@pytest.fixture
def loaded_district(small_district):
    """Continuum, roster and a gradebook already in: a failed load must leave all of it as it was."""
    assert small_district.execute("select count(*) from scores").fetchall() == [(8,)]
    return small_district


def labels_mapping(fixtures_dir):
    return read_mapping_file(fixtures_dir / "gb_long_labels.yaml")


def test_a_load_failing_after_its_rows_are_written_leaves_every_table_as_it_was(
    loaded_district, fixtures_dir, monkeypatch
):
    con = loaded_district
    before = snapshot(con)
    written = []

    def rebuild_then_fail(connection, scope=None):
        # By now the scores, the rejects and the loads row of this load are in the tables, and the older
        # scores in its scope (teacher T100's of 2025-26) replaced.
        written.append(
            connection.execute("select count(*), count(*) filter (where load_id = 4) from scores").fetchall()[0]
        )
        raise RuntimeError("disk full while rebuilding the marts")

    monkeypatch.setattr(marts, "rebuild", rebuild_then_fail)
    with pytest.raises(RuntimeError, match="disk full"):
        load(con, "gradebook", fixtures_dir / "gb_long_labels.csv", mapping=labels_mapping(fixtures_dir))
    assert written == [(1 + 11, 11)]  # after the 11 new scores replaced T100's 7 older ones (T200's one stays)
    assert snapshot(con) == before
    assert temp_objects(con) == []


def test_a_load_failing_inside_the_adapter_leaves_every_table_as_it_was(loaded_district, fixtures_dir, monkeypatch):
    con = loaded_district
    before = snapshot(con)

    def fail(*args, **kwargs):
        raise duckdb.IOException("the network drive went away")

    monkeypatch.setattr(gradebook, "stage_rejects", fail)
    with pytest.raises(duckdb.IOException):
        load(con, "gradebook", fixtures_dir / "gb_long_labels.csv", mapping=labels_mapping(fixtures_dir))
    assert snapshot(con) == before
    # The connection is still good: the same file loads once the fault is gone.
    monkeypatch.undo()
    report = load(con, "gradebook", fixtures_dir / "gb_long_labels.csv", mapping=labels_mapping(fixtures_dir))
    assert (report.status, report.rows_loaded, report.rows_rejected) == ("loaded", 11, 4)


def test_a_refused_file_leaves_every_table_as_it_was(loaded_district, tmp_path):
    con = loaded_district
    before = snapshot(con)
    path = tmp_path / "scores.csv"
    path.write_text("student_id,standard_code,mark\n0001,M.3.NF.1,3\n")  # no school year anywhere
    with pytest.raises(LoadRefused, match="missing required column"):
        load(con, "gradebook", path)
    assert snapshot(con) == before
    assert temp_objects(con) == []


def test_a_successful_load_leaves_no_temporary_tables_or_views(loaded_district, fixtures_dir):
    load(
        loaded_district,
        "gradebook",
        fixtures_dir / "gb_wide_plusminus.csv",
        mapping=read_mapping_file(fixtures_dir / "gb_wide_plusminus.yaml"),
        school_year="2025-26",
    )
    assert temp_objects(loaded_district) == []


def test_the_same_bytes_twice_change_nothing(loaded_district, fixtures_dir, tmp_path):
    con = loaded_district
    first = load(con, "gradebook", fixtures_dir / "gb_long_labels.csv", mapping=labels_mapping(fixtures_dir))
    before = snapshot(con)
    again = load(con, "gradebook", fixtures_dir / "gb_long_labels.csv", mapping=labels_mapping(fixtures_dir))
    assert (again.status, again.load_id) == ("already loaded", first.load_id)
    assert again.lines() == [f"gb_long_labels.csv: already loaded (load {first.load_id}); nothing changed"]
    renamed = tmp_path / "copy_of_the_same_export.csv"
    shutil.copy(fixtures_dir / "gb_long_labels.csv", renamed)
    assert load(con, "gradebook", renamed, mapping=labels_mapping(fixtures_dir)).status == "already loaded"
    assert snapshot(con) == before


# ---------------------------------------------------------------- the command line


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "etl", "load", *args], capture_output=True, text=True, cwd=REPO, timeout=300
    )


@pytest.fixture
def cli_db(tmp_path, prebuilt) -> Path:
    """The continuum and roster already in (a copy of the warehouse the real loader gives)."""
    return prebuilt.copy(CONTINUUM_AND_ROSTER, tmp_path / "cli.duckdb")


def db_snapshot(path: Path) -> dict[str, list[str]]:
    con = warehouse.connect(path, read_only=True)
    try:
        return snapshot(con)
    finally:
        con.close()


def test_cli_prints_rows_read_loaded_and_rejected(cli_db, fixtures_dir):
    result = run_cli(
        "gradebook",
        str(fixtures_dir / "gb_long_labels.csv"),
        "--mapping",
        str(fixtures_dir / "gb_long_labels.yaml"),
        "--db",
        str(cli_db),
    )
    assert result.returncode == 0, result.stderr
    first = result.stdout.splitlines()[0]
    assert first.startswith("gb_long_labels.csv: gradebook (mapping (long)) load 3: ")
    assert first.endswith("15 rows read, 11 loaded, 4 rejected")
    assert "  rejected 1 x date is not a date" in result.stdout.splitlines()


def test_cli_second_load_of_the_same_bytes_exits_zero_and_changes_nothing(cli_db, fixtures_dir):
    args = (
        "gradebook",
        str(fixtures_dir / "gb_wide_plusminus.csv"),
        "--mapping",
        str(fixtures_dir / "gb_wide_plusminus.yaml"),
        "--school-year",
        "2025-26",
        "--db",
        str(cli_db),
    )
    assert run_cli(*args).returncode == 0
    before = db_snapshot(cli_db)
    again = run_cli(*args)
    assert again.returncode == 0
    assert again.stdout.strip() == "gb_wide_plusminus.csv: already loaded (load 3); nothing changed"
    assert db_snapshot(cli_db) == before


@pytest.mark.parametrize(
    "content, reason",
    [
        ("", "the file is empty"),
        ("Color,Size\nred,3\n", "missing required column(s) student_id, standard_code, mark (or score), school_year"),
    ],
    ids=["empty", "no_recognizable_columns"],
)
def test_cli_refuses_with_one_line_and_a_nonzero_exit(cli_db, tmp_path, content, reason):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    before = db_snapshot(cli_db)
    result = run_cli("gradebook", str(path), "--db", str(cli_db))
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "bad.csv" in lines[0] and "refused" in lines[0] and reason in lines[0], lines
    assert result.stdout == ""
    assert db_snapshot(cli_db) == before


def test_cli_unknown_format_is_refused(cli_db, fixtures_dir):
    result = run_cli(
        "gradebook", str(fixtures_dir / "gradebook_canonical.csv"), "--format", "nope", "--db", str(cli_db)
    )
    assert result.returncode == 1
    assert "no format named 'nope'" in result.stderr


def test_a_big_file_hashed_while_read_is_still_answered_already_loaded(con, fixtures_dir, monkeypatch):
    """Files over HASH_ALONGSIDE_BYTES are hashed while the adapter reads them; the check then comes before
    anything is written, and the repeat changes nothing."""
    import etl.load

    monkeypatch.setattr(etl.load, "HASH_ALONGSIDE_BYTES", 0)
    load(con, "continuum", fixtures_dir / "continuum_small.csv")
    first = load(con, "gradebook", fixtures_dir / "gradebook_canonical.csv")
    before = con.execute("select count(*), max(load_id) from scores").fetchone()
    again = load(con, "gradebook", fixtures_dir / "gradebook_canonical.csv")
    assert again.status == "already loaded" and again.load_id == first.load_id
    assert con.execute("select count(*), max(load_id) from scores").fetchone() == before
    assert con.execute("select count(*) from loads where kind = 'gradebook'").fetchone()[0] == 1


def test_a_writer_waits_for_a_page_run_holding_the_warehouse_in_this_process(db_path):
    """A page run holds the warehouse open read-only (ui.data.held_open); a save in another session of the
    same server process waits for it instead of failing."""
    import threading
    import time

    warehouse.connect(db_path).close()
    reader = warehouse.connect(db_path, read_only=True)
    threading.Timer(0.5, reader.close).start()
    began = time.monotonic()
    writer = warehouse.connect(db_path, wait_seconds=10)
    writer.execute("select 1").fetchall()
    writer.close()
    assert time.monotonic() - began >= 0.4
