"""Replacing a whole warehouse file (`etl demo`): never a district's own data unasked, never without a copy.

A file is replaced without asking only when it holds the demo district or nothing at all. Anything else (a
district's warehouse, a file that cannot be read as a warehouse) is refused unless `force`; with `force` the
file is kept beside it first, as `NAME.kept-YYYYMMDD-HHMMSS` (a hard link: no copy of gigabytes, and the
swap stays atomic). A leftover write-ahead log (`NAME.wal`, from a killed load) belongs to the file it was
written for: it goes with the kept copy, or away with a replaced demo, never onto the new file (DuckDB would
replay it there and fail to open it).
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

import warehouse
from etl.errors import LoadRefused

# Tables whose rows are a district's data (docs/warehouse.md); an empty warehouse holds none.
DATA_TABLES = (
    "schools",
    "students",
    "enrollments",
    "standards",
    "scores",
    "survey_responses",
    "implementation_ratings",
    "meeting_notes",
)


@dataclass
class Contents:
    is_replaceable: bool  # the demo district, or nothing
    words: str  # what the file holds, for a refusal


def wal_of(path: Path) -> Path:
    return Path(str(path) + ".wal")


def contents(path: Path) -> Contents:
    """What a warehouse file holds, read without changing it."""
    if not path.exists() or path.stat().st_size == 0:
        return Contents(True, "nothing")
    try:
        con = warehouse.connect(path, read_only=True, wait_seconds=10)
    except warehouse.NotAWarehouse as error:
        return Contents(False, f"cannot be read as a DuckDB warehouse (it is {error.kind})")
    except duckdb.Error as error:
        first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
        return Contents(False, f"cannot be read as a DuckDB warehouse ({first_line[:160]})")
    try:
        tables = {
            name
            for (name,) in con.execute("select table_name from duckdb_tables() where schema_name = 'main'").fetchall()
        }
        if "warehouse_info" in tables and warehouse.get_info(con, "is_demo") == "true":
            return Contents(True, "the demo district")
        counts = {
            t: con.execute(f"select count(*) from {t}").fetchone()[0]  # our own table names
            for t in DATA_TABLES
            if t in tables
        }
    finally:
        con.close()
    held = [f"{n:,} {t}" for t, n in counts.items() if n]
    if not tables or ("warehouse_info" in tables and not held):
        return Contents(True, "nothing")  # no tables, or a warehouse of ours with no data loaded yet
    if "warehouse_info" not in tables:
        return Contents(False, f"is a DuckDB database but not a warehouse of this dashboard ({len(tables)} tables)")
    return Contents(False, "holds a district's own data (" + ", ".join(held[:4]) + ")")


def refuse_to_replace(path: Path, force: bool, what: str) -> None:
    if force or (not path.exists() and not wal_of(path).exists()):
        return
    found = contents(path)
    if not found.is_replaceable:
        raise LoadRefused(
            f"{path} {found.words}, not the demo district: build {what} into a warehouse of its "
            "own (--db PATH), or give --force to replace it (a copy is kept beside it first)"
        )


def swap_in(new: Path, path: Path, force: bool, what: str) -> Path | None:
    """Move the finished file `new` onto `path`; returns where the replaced file was kept, if it was."""
    kept = None
    if path.exists() and not contents(path).is_replaceable:
        refuse_to_replace(path, force, what)  # the file may have changed while the new one was built
        kept = keep_copy(path)
    os.replace(new, path)
    stale_wal = wal_of(path)
    if stale_wal.exists():
        if kept is not None:
            os.replace(stale_wal, wal_of(kept))
        else:
            stale_wal.unlink()
    return kept


def keep_copy(path: Path) -> Path:
    kept = path.with_name(f"{path.name}.kept-{time.strftime('%Y%m%d-%H%M%S')}")
    n = 1
    while kept.exists():
        n += 1
        kept = path.with_name(f"{path.name}.kept-{time.strftime('%Y%m%d-%H%M%S')}-{n}")
    try:
        os.link(path, kept)
    except OSError:  # a file system without hard links
        shutil.copy2(path, kept)
    return kept
