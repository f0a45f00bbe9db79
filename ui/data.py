"""The app's only way to the warehouse: named queries, scoped to the viewer, gated, cached.

The warehouse is opened read-only for each query and closed again, so that a command-line load can
take the file's write lock between page runs; while a load holds it, pages show a notice instead. A page
run holds it open around its queries (`held_open`, in dashboard.py): opening the file costs about 20 ms and
leaves DuckDB's cache cold, which on ten million scores doubled the cost of each query of a page run.
Results are cached by the warehouse's data version and the viewer's scope, so a new load is seen
at once and one viewer's results never reach another. The scope is the Viewer that dashboard.py
decided on the server for this run (ui/auth.py); no page, widget or URL parameter can pass another.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

import warehouse
from queries.runner import ReleaseMissing, Scope, run_query
from ui.auth import current_viewer
from warehouse import WarehouseBusy


@dataclass(frozen=True)
class WarehouseState:
    path: str
    status: str  # missing | busy | empty | ready
    version: str = ""
    is_demo: bool = False


def warehouse_state() -> WarehouseState:
    path = warehouse.default_db_path()
    if not path.exists():
        return WarehouseState(str(path), "missing")
    try:
        con = warehouse.connect(path, read_only=True, wait_seconds=1.0)
    except WarehouseBusy:
        return WarehouseState(str(path), "busy")
    try:
        # tables and views: some marts are views over others (etl/marts/mart_content_status.sql)
        tables = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
        if "warehouse_info" not in tables or "mart_content_status" not in tables:
            return WarehouseState(str(path), "empty")
        version = warehouse.data_version(con)
        is_demo = warehouse.get_info(con, "is_demo") == "true"
        n_loads = con.execute("select count(*) from loads").fetchone()[0]
    finally:
        con.close()
    return WarehouseState(str(path), "ready" if n_loads else "empty", version, is_demo)


@st.cache_data(show_spinner=False, max_entries=1024)
def _cached_query(path: str, version: str, name: str, params: tuple, scope: Scope, audience: str) -> pd.DataFrame:
    con = warehouse.connect(Path(path), read_only=True, wait_seconds=5.0)
    try:
        return run_query(con, name, dict(params), scope, audience)
    finally:
        con.close()


def query(name: str, params: dict | None = None, audience: str | None = None, fresh: str | bool = "") -> pd.DataFrame:
    """Run a named query for the current viewer; the page never sees ungated rows.

    `audience` may ask for a stricter gate (a leader previewing board slides), never a looser one:
    a board viewer's queries always pass the board gate. `fresh` is for what changes without a load (meeting
    notes): True runs the query uncached, a text is added to the data version the cache keys on.
    """
    viewer = current_viewer()
    state = st.session_state.get("warehouse_state")
    if not isinstance(state, WarehouseState) or state.status != "ready":
        st.stop()
    scope = viewer.scope
    items = tuple(sorted((params or {}).items()))
    try:
        if fresh is True:
            # st.cache_data keeps the undecorated function as __wrapped__ (its stubs do not say so)
            uncached = _cached_query.__wrapped__  # type: ignore[attr-defined]
            return uncached(state.path, state.version, name, items, scope, effective_audience(audience, scope))
        version = f"{state.version}|{fresh}" if fresh else state.version
        return _cached_query(state.path, version, name, items, scope, effective_audience(audience, scope))
    except ReleaseMissing as missing:  # a warehouse built before the public release: say what to run
        st.warning(str(missing), icon=":material/update:")
        st.stop()


@contextmanager
def held_open() -> Iterator[None]:
    """Keep the warehouse open (read-only) while a page runs a stretch of queries.

    DuckDB keeps one database per file and process while any connection to it is open, so each query's own
    connection (`_cached_query`) then reuses it and its warm cache instead of opening the file again. It is
    closed when the block ends, so a load waits at most one page run. Nothing may write the warehouse from this
    process inside the block (DuckDB refuses a writer beside a read-only connection): save after it.
    """
    state = st.session_state.get("warehouse_state")
    if not isinstance(state, WarehouseState) or state.status != "ready":
        yield
        return
    con = warehouse.connect(Path(state.path), read_only=True, wait_seconds=5.0)
    try:
        yield
    finally:
        con.close()


def effective_audience(requested: str | None, scope: Scope) -> str:
    return "board" if "board" in (requested, scope.audience) else (requested or scope.audience)
