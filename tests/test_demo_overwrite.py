"""Nothing overwritten (issue 14): `etl demo` refuses a warehouse that holds anything but the demo district,
and with --force keeps the old file beside the new one first; a leftover write-ahead log never lands on the
new file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

import warehouse
from etl import demo
from etl.errors import LoadRefused
from tests.conftest import FIXTURES, load

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def tiny_demo(monkeypatch):
    """The demo's generated files replaced by the tiny fixtures: the swap is the real one, in seconds."""

    def write_tiny_files(folder, seed=42):
        return {
            "continuum": [FIXTURES / "continuum_small.csv"],
            "roster": [FIXTURES / "roster_canonical.csv"],
            "gradebook": [FIXTURES / "gradebook_canonical.csv"],
        }

    monkeypatch.setattr(demo, "write_demo_files", write_tiny_files)


@pytest.fixture
def district_db(tmp_path) -> Path:
    """A warehouse holding a district's own data (not the demo)."""
    path = tmp_path / "district.duckdb"
    con = warehouse.connect(path)
    load(con, "continuum", FIXTURES / "continuum_small.csv")
    load(con, "roster", FIXTURES / "roster_canonical.csv")
    con.close()
    return path


def is_demo(path: Path) -> bool:
    con = warehouse.connect(path, read_only=True)
    try:
        return warehouse.get_info(con, "is_demo") == "true"
    finally:
        con.close()


def enrollments(path: Path) -> int:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("select count(*) from enrollments").fetchone()[0]
    finally:
        con.close()


def kept_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if ".kept-" in p.name and not p.name.endswith(".wal"))


def test_etl_demo_refuses_a_districts_warehouse(district_db):
    before = district_db.read_bytes()
    result = subprocess.run(
        [sys.executable, "-m", "etl", "demo", "--db", str(district_db)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
    )
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "holds a district's own data (" in result.stderr
    assert "not the demo district" in result.stderr and "--force" in result.stderr
    assert district_db.read_bytes() == before
    assert kept_files(district_db.parent) == []


def test_force_keeps_the_old_warehouse_beside_the_demo(district_db):
    summary = demo.build_demo(district_db, force=True)
    assert is_demo(district_db)
    (kept,) = kept_files(district_db.parent)
    assert str(kept) in summary
    assert enrollments(kept) == 4 and not is_demo(kept)  # the district's data, whole


def test_a_demo_is_rebuilt_over_a_demo_without_asking(tmp_path):
    path = tmp_path / "demo.duckdb"
    demo.build_demo(path)
    demo.build_demo(path, seed=7)
    assert is_demo(path) and kept_files(tmp_path) == []


@pytest.mark.parametrize("content", [b"student_id,mark\n0001,3\n", b"%PDF-1.7\n\x00\x01binary"], ids=["a-csv", "a-pdf"])
def test_a_file_that_is_not_a_warehouse_is_refused_too(tmp_path, content):
    path = tmp_path / "district.duckdb"
    path.write_bytes(content)
    with pytest.raises(LoadRefused, match="cannot be read as a DuckDB warehouse"):
        demo.build_demo(path)
    assert path.read_bytes() == content


def test_a_leftover_wal_goes_with_the_kept_copy_never_onto_the_demo(district_db):
    # A load killed before its checkpoint leaves its last writes in district.duckdb.wal.
    script = (
        "import os, sys\nimport warehouse\ncon = warehouse.connect(sys.argv[1])\n"
        "con.execute(\"insert into schools values ('S9', 'Killed mid-load', 'high')\")\nos._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", script, str(district_db)], check=True, cwd=REPO, timeout=120)
    wal = Path(str(district_db) + ".wal")
    assert wal.exists()
    with pytest.raises(LoadRefused):
        demo.build_demo(district_db)
    assert wal.exists()  # refused: nothing touched
    demo.build_demo(district_db, force=True)
    assert is_demo(district_db) and not wal.exists()  # the new file opens: no stale log replayed onto it
    (kept,) = kept_files(district_db.parent)
    con = duckdb.connect(str(kept), read_only=True)
    try:  # the kept copy still has the killed load's last write, from its own log
        assert con.execute("select school_name from schools where school_id = 'S9'").fetchall() == [
            ("Killed mid-load",)
        ]
    finally:
        con.close()


def test_a_missing_file_with_a_leftover_wal_gets_a_clean_demo(tmp_path):
    path = tmp_path / "district.duckdb"
    Path(str(path) + ".wal").write_bytes(os.urandom(64))
    demo.build_demo(path)
    assert is_demo(path) and not Path(str(path) + ".wal").exists()
