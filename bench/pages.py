"""Page-side measurements: render every page with AppTest, then time the queries the pages ran."""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

import warehouse
from queries.runner import FULL_SCOPE, RELEASE_AUDIENCE, run_query
from warehouse import REPO_ROOT

WARM_RUNS = int(os.environ.get("BENCH_WARM_RUNS", "20"))


def page_renders(warehouse_path: Path) -> tuple[dict[str, float], list[tuple[str, tuple, str | None]]]:
    """Seconds for a cold render of each page (empty result cache), and the queries they ran, each with the
    audience it was asked for (the Public data page reads the release, whose queries exist only for the board)."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    import ui.data
    from ui.navigation import pages_for

    os.environ["DASHBOARD_DB"] = str(warehouse_path)
    os.environ["DASHBOARD_CONFIG"] = str(_local_mode_config(warehouse_path.parent))
    calls: list[tuple[str, tuple, str | None]] = []
    original = ui.data.run_query

    def recording(con, name, params=None, scope=FULL_SCOPE, audience=None):
        calls.append((name, tuple(sorted((params or {}).items())), audience))
        return original(con, name, params, scope, audience)

    ui.data.run_query = recording
    renders = {}
    try:
        for entry in pages_for(FULL_SCOPE.role):
            st.cache_data.clear()
            app = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=120)
            app.run()
            if not entry.is_default:
                app.switch_page(entry.path)
            began = time.perf_counter()
            app.run()
            renders[Path(entry.path).stem] = round(time.perf_counter() - began, 3)
            if app.exception:
                raise RuntimeError(f"{entry.path} raised: {app.exception[0].message}")
            if not app.title:
                raise RuntimeError(f"{entry.path} rendered no page (sign-in or an empty state?)")
    finally:
        ui.data.run_query = original
    return renders, list(dict.fromkeys(calls))


def _local_mode_config(folder: Path) -> Path:
    """The district's configuration in single-user local mode: the bench warehouse is not the demo,
    and AppTest has nobody to sign in."""
    import yaml

    from warehouse.config import CONFIG_PATH

    content = yaml.safe_load(CONFIG_PATH.read_text())
    content["auth"] = {"mode": "local"}
    path = folder / "district_local.yaml"
    path.write_text(yaml.safe_dump(content))
    return path


def query_timings(warehouse_path: Path, calls: list[tuple[str, tuple, str | None]]) -> tuple[dict, dict]:
    """p50 and p95 over WARM_RUNS warm runs of each distinct query a page ran, as the page asked for it
    (slowest params kept; a board query is named `board:NAME`)."""
    con = warehouse.connect(warehouse_path, read_only=True)
    p50, p95 = {}, {}
    try:
        for query_name, params, audience in calls:
            name = f"{audience}:{query_name}" if audience == RELEASE_AUDIENCE else query_name
            run_query(con, query_name, dict(params), audience=audience)  # warm
            times = []
            for _ in range(WARM_RUNS):
                began = time.perf_counter()
                run_query(con, query_name, dict(params), audience=audience)
                times.append((time.perf_counter() - began) * 1000)
            times.sort()
            median, tail = statistics.median(times), times[int(0.95 * (len(times) - 1))]
            if tail >= p95.get(name, -1):
                p50[name], p95[name] = round(median, 1), round(tail, 1)
    finally:
        con.close()
    return p50, p95


def equity_seconds(warehouse_path: Path) -> float:
    """The equity gap for English learners in math (most recent evidence), as the page asks for it."""
    con = warehouse.connect(warehouse_path, read_only=True)
    try:
        run_query(con, "equity_gaps", {"content_area": "math", "group_by": "is_ell", "method": "most_recent"})
        began = time.perf_counter()
        run_query(con, "equity_gaps", {"content_area": "math", "group_by": "is_ell", "method": "most_recent"})
        return round(time.perf_counter() - began, 4)
    finally:
        con.close()
