"""The DuckDB warehouse: where it lives, how to open it, and its schema."""
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
    """Another process holds the warehouse (a load is running, or the app is reading)."""


def connect(db_path: str | Path | None = None, read_only: bool = False,
            wait_seconds: float = 30.0) -> duckdb.DuckDBPyConnection:
    """Open the warehouse. The app opens it read-only for the length of one page run, so a writer
    waits for a free moment rather than failing at once."""
    path = Path(db_path) if db_path else default_db_path()
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only)
            break
        except (duckdb.IOException, duckdb.ConnectionException) as error:
            # Another process holds the file (a lock), or in this process a page run holds it read-only
            # (ui.data.held_open) while someone saves: either way it is free again within a page run.
            if "lock" not in str(error).lower() and "different configuration" not in str(error):
                raise
            if time.monotonic() >= deadline:
                raise WarehouseBusy(f"{path} is in use by another process (a load may be running)") from None
            time.sleep(0.2)
    if not read_only:
        ensure_schema(con)
    return con


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    for sql_file in sorted(SCHEMA_DIR.glob("*.sql")):
        con.execute(sql_file.read_text())


def get_info(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    row = con.execute("select value from warehouse_info where key = $key", {"key": key}).fetchone()
    return row[0] if row else None


def set_info(con: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    con.execute(
        "insert or replace into warehouse_info values ($key, $value)", {"key": key, "value": value}
    )


def data_version(con: duckdb.DuckDBPyConnection) -> str:
    """Changes whenever a load lands; caches key on it so nobody sees stale figures."""
    return get_info(con, "data_version") or "0"


def execute(con, sql: str, params: dict | None = None):
    """Execute with only the parameters the statement names: DuckDB refuses unused ones."""
    used = {k: v for k, v in (params or {}).items() if f"${k}" in sql}
    return con.execute(sql, used) if used else con.execute(sql)
