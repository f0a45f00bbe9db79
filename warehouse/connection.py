"""The DuckDB warehouse: where it lives, how to open it, and its schema. The only module that opens a DuckDB
connection: the warehouse through `connect`, anything else (staging in memory, a throwaway file) through
`scratch`."""

from __future__ import annotations

import os
import time
from pathlib import Path

import duckdb

REPO_ROOT = Path(__file__).resolve().parents[1]
SCHEMA_DIR = Path(__file__).with_name("schema")
DEFAULT_DB = REPO_ROOT / "data" / "district.duckdb"


def default_db_path() -> Path:
    return Path(os.environ.get("DASHBOARD_DB") or DEFAULT_DB)


class WarehouseBusy(Exception):
    """Another process holds the warehouse (a load is running, or the app is reading) past the wait."""


class NotAWarehouse(Exception):
    """The path names a file that is not a DuckDB warehouse (a CSV, a PDF): it is never opened or written."""

    def __init__(self, message: str, kind: str = "") -> None:
        super().__init__(message)
        self.kind = kind  # what the file looks like: "a PDF", "a text file, perhaps a CSV"


# A DuckDB database file carries these bytes after its 8-byte checksum.
DUCKDB_MAGIC, DUCKDB_MAGIC_AT = b"DUCK", 8
DEFAULT_WAIT_SECONDS = 30.0
POLL_SECONDS = 0.2


def wait_seconds_default() -> float:
    """How long a command waits for the warehouse; DASHBOARD_WAIT_SECONDS changes it (tests, slow disks)."""
    try:
        return float(os.environ.get("DASHBOARD_WAIT_SECONDS") or DEFAULT_WAIT_SECONDS)
    except ValueError:
        return DEFAULT_WAIT_SECONDS


def check_warehouse_file(path: Path) -> None:
    """Refuse a path that exists but is not a DuckDB warehouse, before anything opens or writes it
    (DuckDB would otherwise open some files as an empty database and save nothing)."""
    if path.is_dir():
        raise NotAWarehouse(
            f"{path}: is a folder, not a warehouse file: give --db a file such as {path / 'district.duckdb'}"
        )
    if not path.exists():
        return
    with path.open("rb") as f:
        head = f.read(64)
    if head[DUCKDB_MAGIC_AT : DUCKDB_MAGIC_AT + len(DUCKDB_MAGIC)] == DUCKDB_MAGIC:
        return
    kind = _looks_like(head)
    raise NotAWarehouse(
        f"{path}: not a DuckDB warehouse (it is {kind}); nothing was written: "
        "give --db the warehouse file (data/district.duckdb by default) or a new file name",
        kind,
    )


def _looks_like(head: bytes) -> str:
    if not head:
        return "an empty file"
    for signature, kind in (
        (b"%PDF", "a PDF"),
        (b"PK\x03\x04", "a zip file, such as an Excel workbook"),
        (b"SQLite format 3", "an SQLite database"),
        (b"\xd0\xcf\x11\xe0", "an old Office file"),
    ):
        if head.startswith(signature):
            return kind
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return "some other kind of file"
    return "a text file, perhaps a CSV"


def connect(
    db_path: str | Path | None = None,
    read_only: bool = False,
    wait_seconds: float | None = None,
    purpose: str | None = None,
    echo=None,
) -> duckdb.DuckDBPyConnection:
    """Open the warehouse. The app opens it read-only for the length of one page run, so a writer
    waits for a free moment rather than failing at once.

    Writers that have to wait queue first come, first served (warehouse/write_queue.py): each says what it
    waits for through `echo` (`waiting for load 3 (started 14:02)`). `purpose` names this writer to the
    ones that queue behind it: "load" (its load number is filled in), "rebuild", or any text.
    """
    from warehouse.write_queue import WriteQueue, current_holder

    path = Path(db_path) if db_path else default_db_path()
    check_warehouse_file(path)
    wait = wait_seconds_default() if wait_seconds is None else wait_seconds
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait
    queue = None if read_only else WriteQueue(path)
    try:
        while True:
            if queue is None or queue.is_my_turn():
                try:
                    con = duckdb.connect(str(path), read_only=read_only)
                    break
                except (duckdb.IOException, duckdb.ConnectionException) as error:
                    # Another process holds the file (a lock), or in this process a page run holds it
                    # read-only (ui.data.held_open) while someone saves: either way it is free again soon.
                    if "lock" not in str(error).lower() and "different configuration" not in str(error):
                        raise
                    if queue is not None:
                        queue.join()
            if time.monotonic() >= deadline:
                holder = current_holder(path)
                raise WarehouseBusy(
                    f"{path}: in use by {holder or 'another process (a load, or the app)'} "
                    f"for more than {wait:g} s: try again when it has finished"
                ) from None
            if queue is not None and echo is not None:
                queue.announce(echo)
            time.sleep(POLL_SECONDS)
    finally:
        if queue is not None:
            queue.leave()
    if not read_only:
        ensure_schema(con)
        if purpose:
            queue.hold(_described(con, purpose))
    return con


def scratch(path: str | Path | None = None) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection that is not the warehouse: in memory (a file staged before it is loaded, a preview,
    a generated export), or a throwaway file a caller deletes (the bench's bare-DuckDB floor)."""
    return duckdb.connect(str(path)) if path is not None else duckdb.connect()


def _described(con, purpose: str) -> str:
    if purpose != "load":
        return purpose
    next_load = con.execute("select coalesce(max(load_id), 0) + 1 from loads").fetchone()[0]
    return f"load {next_load}"


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    for sql_file in sorted(SCHEMA_DIR.glob("*.sql")):
        con.execute(sql_file.read_text())


def get_info(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    row = con.execute("select value from warehouse_info where key = $key", {"key": key}).fetchone()
    return row[0] if row else None


def set_info(con: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    con.execute("insert or replace into warehouse_info values ($key, $value)", {"key": key, "value": value})


def data_version(con: duckdb.DuckDBPyConnection) -> str:
    """Changes whenever a load lands; caches key on it so nobody sees stale figures."""
    return get_info(con, "data_version") or "0"


def used_params(sql: str, params: dict | None) -> dict:
    """Only the parameters a statement names (`$name`): DuckDB refuses unused ones. The one place this is
    decided, for the loaders, the marts and the named queries alike."""
    return {k: v for k, v in (params or {}).items() if f"${k}" in sql}


def execute(con, sql: str, params: dict | None = None):
    """Execute with only the parameters the statement names."""
    used = used_params(sql, params)
    return con.execute(sql, used) if used else con.execute(sql)
