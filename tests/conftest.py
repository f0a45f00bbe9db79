"""Shared fixtures: throwaway warehouses built from tiny files by the real loader."""

from __future__ import annotations

import fcntl
import os
import shutil
from pathlib import Path

import pytest

import warehouse
from etl.adapters.common import LoadOptions
from etl.load import load_file

FIXTURES = Path(__file__).parent / "fixtures"
# The Board page draws its deck in the background when it opens (exports/board.py prebuild); the suite's
# in-process page runs (AppTest) would each start a Chromium for it. Servers a test starts inherit this.
os.environ.setdefault("DASHBOARD_DECK_PREBUILD", "0")
REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


def skip_without_realdata(path: Path) -> None:
    """Outside CI the specimens may be absent; in CI (CI=true) they sit beside the clone, so their
    absence is a failure, never a silent skip."""
    if path.exists():
        return
    message = f"real export specimens not found at {path} (they sit in ../shared/realdata)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def realdata() -> Path:
    skip_without_realdata(REALDATA)
    return REALDATA


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "warehouse.duckdb"


@pytest.fixture
def con(db_path):
    connection = warehouse.connect(db_path)
    yield connection
    connection.close()


def load(con, kind: str, path: Path, **options):
    """Load one file through the real loader, as `python -m etl load` does."""
    return load_file(con, kind, Path(path), LoadOptions(**options))


@pytest.fixture
def small_district(con, fixtures_dir):
    """The tiny hand-checked district of tests/fixtures: continuum, roster, gradebook."""
    load(con, "continuum", fixtures_dir / "continuum_small.csv")
    load(con, "roster", fixtures_dir / "roster_canonical.csv")
    load(con, "gradebook", fixtures_dir / "gradebook_canonical.csv")
    return con


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory, worker_id) -> Path:
    """The demo district, built once per test run by `etl demo`'s own code. Under xdist the first worker
    that needs it builds it (the others wait on a file lock) and each worker gets its own copy, so a test
    that writes to its copy (meeting notes, a server's lock) cannot reach another worker's."""
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    if worker_id == "master":
        _build_demo(path)
        return path
    shared = tmp_path_factory.getbasetemp().parent / "demo-shared" / "demo.duckdb"
    shared.parent.mkdir(exist_ok=True)
    with open(shared.parent / "build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, also if this worker dies
        if not shared.exists():
            building = shared.with_suffix(".building")
            for stale in (building, building.with_name(building.name + ".wal")):
                stale.unlink(missing_ok=True)  # a worker that died mid-build left a part: never build onto it
            _build_demo(building)
            building.rename(shared)  # only a whole build ever carries the shared name
    shutil.copyfile(shared, path)
    return path


def _build_demo(path: Path) -> None:
    from etl.demo import build_demo

    build_demo(path, seed=42)


@pytest.fixture
def demo_con(demo_db):
    connection = warehouse.connect(demo_db, read_only=True)
    yield connection
    connection.close()
