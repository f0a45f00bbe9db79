"""A warehouse built before the public release (issue 29): a board query answers in one line what to run, on the
command line and on the Board page, never DuckDB's `Catalog Error`; `python -m etl rebuild` brings it back."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

import warehouse
from warehouse import REPO_ROOT


@pytest.fixture
def before_the_release(demo_db, tmp_path):
    path = tmp_path / "old.duckdb"
    shutil.copy(demo_db, path)
    con = warehouse.connect(path)
    for name, kind in con.execute(
        "select table_name, 'table' from duckdb_tables() where table_name like 'release%' "
        "union all select view_name, 'view' from duckdb_views() where view_name like 'release%'"
    ).fetchall():
        con.execute(f"drop {kind} {name}")  # names from the catalog, of the release's own tables and views
    con.close()
    return path


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=REPO_ROOT, timeout=300)


def test_a_board_query_on_a_warehouse_built_before_the_release_says_what_to_run(before_the_release):
    asked = run("-m", "queries", "run", "board_gaps", "--audience", "board", "--db", str(before_the_release))
    assert asked.returncode != 0
    lines = asked.stderr.strip().splitlines()
    assert len(lines) == 1 and "python -m etl rebuild" in lines[0], asked.stderr
    assert "Catalog" not in asked.stderr and "Traceback" not in asked.stderr
    rebuilt = run("-m", "etl", "rebuild", "--db", str(before_the_release))
    assert rebuilt.returncode == 0, rebuilt.stderr
    again = run("-m", "queries", "run", "board_gaps", "--audience", "board", "--db", str(before_the_release))
    assert again.returncode == 0 and again.stdout.startswith("school_year,"), again.stderr


def test_the_board_page_on_such_a_warehouse_says_it_in_one_line(before_the_release, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("DASHBOARD_DB", str(before_the_release))
    at = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=120).run()
    at.switch_page("app_pages/board.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("python -m etl rebuild" in w.value for w in at.warning), [w.value for w in at.warning]
