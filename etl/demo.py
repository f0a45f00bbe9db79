"""Build the demo district: generate its export files, then load them through the real loaders.

The demo is built into a new file beside the target and swapped in, so a running app never sees half of it.
A swap replaces a whole warehouse file, so it never lands on a district's own data unasked: a file that
holds anything but a demo district (or cannot be read as a warehouse at all) is refused unless `force`,
and even then the file is kept beside it first (etl/warehouse_files.py).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import warehouse
from etl import marts
from etl.demo_district import write_demo_files
from etl.demo_plc import read_meetings
from etl.load import load_file
from etl.warehouse_files import refuse_to_replace, swap_in
from warehouse.meeting_notes import build_note, write_notes

LOAD_ORDER = ["continuum", "roster", "gradebook", "survey", "rubric", "learning"]
DEFAULT_SEED = 42
# The demo's public release patterns as the last build chose them, shipped so that a fresh `make run`, CI and
# every test run do not spend most of the demo's build solving the same patterns again. They are only a
# previous build: a linked set reuses its pattern only when its atoms, the bounds and the pattern code hash
# the same (etl/release/students.py `atoms_hash`), so a stale file costs time, never correctness.
# `python -m etl demo --refresh-release-patterns` writes it anew; tests/test_demo_district.py says when to.
RELEASE_PATTERNS = Path(__file__).resolve().parents[1] / "data" / "demo" / "release_patterns.parquet"


def build_demo(path: Path, seed: int = DEFAULT_SEED, echo=lambda line: None, force: bool = False) -> str:
    path = Path(path)
    refuse_to_replace(path, force, what="the demo district")  # before minutes of building, and again at the swap
    started = time.perf_counter()
    building = path.with_name(path.name + ".building")
    for leftover in (building, Path(str(building) + ".wal")):
        leftover.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="demo-district-") as folder:
        files = write_demo_files(Path(folder), seed=seed)
        con = warehouse.connect(building)
        try:
            for kind in LOAD_ORDER:
                for file in files.get(kind, []):
                    report = load_file(con, kind, file, rebuild_marts=False)
                    for line in report.lines():
                        echo(line)
            con.execute("begin transaction")
            if seed == DEFAULT_SEED:
                _seed_release_patterns(con)
            marts.rebuild(con)
            for file in files.get("meetings", []):  # saved as the PLC data meeting page saves them
                write_notes(con, [build_note(**meeting) for meeting in read_meetings(file)])
            warehouse.set_info(con, "is_demo", "true")
            warehouse.set_info(con, "demo_seed", str(seed))
            warehouse.set_info(con, "data_version", f"demo-{seed}-{time.time_ns()}")
            con.execute("commit")
            con.execute("checkpoint")
        finally:
            con.close()
    kept = swap_in(building, path, force, what="the demo district")
    Path(str(building) + ".wal").unlink(missing_ok=True)
    summary = f"demo district (seed {seed}) built at {path} in {time.perf_counter() - started:.1f} s"
    return summary + (f"; the warehouse it replaced is kept at {kept}" if kept else "")


def _seed_release_patterns(con) -> None:
    """The shipped patterns as the warehouse's previous release (see RELEASE_PATTERNS)."""
    if RELEASE_PATTERNS.is_file():
        con.execute(
            "create or replace table release_proficiency_cells as select * from read_parquet($path)",
            {"path": str(RELEASE_PATTERNS)},
        )


def write_release_patterns(con) -> Path:
    """Write the demo warehouse's release patterns to RELEASE_PATTERNS (ordered, so the file is stable)."""
    con.execute(
        "copy (select * from release_proficiency_cells order by all) to $path (format parquet, compression zstd)",
        {"path": str(RELEASE_PATTERNS)},
    )
    return RELEASE_PATTERNS
