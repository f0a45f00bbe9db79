"""Shared fixtures: throwaway warehouses built from tiny files by the real loader."""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import tempfile
from contextlib import contextmanager
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


SMALL_DISTRICT = (
    ("continuum", "continuum_small.csv"),
    ("roster", "roster_canonical.csv"),
    ("gradebook", "gradebook_canonical.csv"),
)
CONTINUUM_AND_ROSTER = SMALL_DISTRICT[:2]


class Prebuilt:
    """Warehouses loaded once per test worker by the real loader, one per sequence of loads, and copied for each
    test that asks: a test gets the same file the loads would give it, without waiting for them again."""

    def __init__(self, folder: Path):
        self.folder = folder

    def copy(self, loads: tuple, to: Path) -> Path:
        if to.exists():
            raise RuntimeError(f"{to} is already open: ask for the prebuilt warehouse's fixture, not `con`, first")
        key = hashlib.sha256(repr(loads).encode()).hexdigest()[:16]
        built = self.folder / f"{key}.duckdb"
        if not built.exists():
            building = self.folder / f"{key}.building"
            connection = warehouse.connect(building)
            try:
                for kind, name, *options in loads:  # (kind, file in tests/fixtures or a path[, options])
                    load(connection, kind, FIXTURES / name, **(options[0] if options else {}))
            finally:
                connection.close()
            building.rename(built)
        shutil.copyfile(built, to)
        return to

    @contextmanager
    def opened(self, loads: tuple, at: Path):
        """A connection to a fresh copy of the warehouse these loads give, at `at`."""
        connection = warehouse.connect(self.copy(loads, at))
        try:
            yield connection
        finally:
            connection.close()


@pytest.fixture(scope="session")
def prebuilt(tmp_path_factory) -> Prebuilt:
    return Prebuilt(tmp_path_factory.mktemp("prebuilt"))


@pytest.fixture
def small_district(prebuilt, db_path):
    """The tiny hand-checked district of tests/fixtures: continuum, roster, gradebook (an open connection)."""
    with prebuilt.opened(SMALL_DISTRICT, db_path) as connection:
        yield connection


# What the app's warehouses are built from: a build is reused only while every one of these files is unchanged.
BUILD_SOURCES = ("etl", "warehouse", "queries", "config", "data/demo", "requirements.txt")
BUILD_CACHE = Path(tempfile.gettempdir()) / "dashboard-tests"
KEEP_BUILDS = 4  # of each warehouse, the newest (worktrees of different code each keep theirs)


def kept_between_runs(name: str, build, sources: tuple = ()) -> Path:
    """A warehouse `build(path)` makes, built once and kept (in the temp folder, named by a hash of every file it
    is built from) for the next test run. Under xdist the first worker that needs it builds it; the others wait
    on a file lock. To build it anew, delete that folder."""
    shared = BUILD_CACHE / f"{name}-{sources_hash(BUILD_SOURCES + sources)}.duckdb"
    shared.parent.mkdir(exist_ok=True)
    with open(shared.parent / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, also if this worker dies
        if not shared.exists():
            building = shared.with_suffix(".building")
            for stale in (building, building.with_name(building.name + ".wal")):
                stale.unlink(missing_ok=True)  # a worker that died mid-build left a part: never build onto it
            build(building)
            building.rename(shared)  # only a whole build ever carries the shared name
            older = sorted(BUILD_CACHE.glob(f"{name}-*.duckdb"), key=lambda p: p.stat().st_mtime, reverse=True)
            for old in older[KEEP_BUILDS:]:
                old.unlink()
    return shared


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """The demo district, built by `etl demo`'s own code (kept between runs: `kept_between_runs`). Each worker
    gets its own copy, so a test that writes to its copy (meeting notes, a server's lock) cannot reach another
    worker's."""
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    shutil.copyfile(kept_between_runs("demo", _build_demo), path)
    return path


def sources_hash(sources: tuple) -> str:
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for source in sources:
        top = root / source
        files = [top] if top.is_file() else sorted(p for p in top.rglob("*") if p.is_file())
        for file in files:
            if "__pycache__" in file.parts or file.suffix in (".pyc", ".duckdb", ".wal"):
                continue
            digest.update(str(file.relative_to(root)).encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _build_demo(path: Path) -> None:
    from etl.demo import build_demo

    build_demo(path, seed=42)


@pytest.fixture
def demo_con(demo_db):
    connection = warehouse.connect(demo_db, read_only=True)
    yield connection
    connection.close()
