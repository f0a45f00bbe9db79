"""Rebuild the mart_* tables inside the load's transaction.

The per-student calculations run in numpy (etl/standard_scores.py) and come back as Arrow relations that
the SQL steps in etl/marts/ read by name; every other step is SQL.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from etl import standard_scores, warehouse
from etl.config import district_config

MART_DIR = Path(__file__).with_name("marts")
# In order: each step reads the ones before it and, where NEEDS says so, an Arrow relation computed by
# etl/standard_scores.py (which yields them in this order). group_status, group_gaps and plc_as_of are
# table macros over the marts, so they are (re)created after them.
STEPS = ["mart_terms", "mart_standard_scores", "mart_evidence", "mart_continuum_position", "mart_plc_teams",
         "mart_plc_course_students", "mart_content_area_scores", "mart_content_status", "group_status",
         "group_gaps", "plc_as_of"]
NEEDS = {"mart_terms": "term_starts", "mart_standard_scores": "standard_results",
         "mart_continuum_position": "continuum_levels", "mart_content_area_scores": "content_area_rows"}
# Bumped whenever a mart's columns or shape change: a warehouse built by older code is rebuilt by
# `python -m etl rebuild --if-outdated` (which `make run` calls) instead of failing in the pages.
MARTS_VERSION = "4"
# Marts that were tables in warehouses built before they became views.
NOW_VIEWS = ("mart_evidence", "mart_content_status")


@dataclass(frozen=True)
class Scope:
    """What a rebuild covers. school_years: the years whose marts are rebuilt (None: every year, afresh);
    kind: the kind of the load that asked for it (None for `etl rebuild` and the demo)."""

    school_years: tuple[str, ...] | None = None
    kind: str | None = None


def mart_params() -> dict:
    config = district_config()
    return {"decaying_weight": config.decaying_weight, "most_recent_n": config.most_recent_n}


def rebuild(con, scope: Scope | None = None) -> None:
    """Every mart, in the caller's transaction. One writer thread runs the SQL steps in order, each as soon as
    the relation it needs is computed, while numpy computes the next (DuckDB and numpy both release the GIL):
    the writes overlap the calculations instead of waiting for all of them. A relation is let go as soon as
    its mart is written."""
    params = mart_params()
    ready: list[str] = []  # relations computed so far
    registered: set[str] = set()  # relations DuckDB holds now
    # One writer thread; the main thread touches the connection only before the first relation is ready.
    with ThreadPoolExecutor(max_workers=1) as writer:
        jobs = []
        steps = list(STEPS)
        try:
            for name, table in standard_scores.build(con, params["decaying_weight"], params["most_recent_n"]):
                if not jobs:
                    jobs.append(writer.submit(_start, con))
                jobs.append(writer.submit(con.register, name, table))
                ready.append(name)
                registered.add(name)
                while steps and (steps[0] not in NEEDS or NEEDS[steps[0]] in ready):
                    step = steps.pop(0)
                    jobs.append(writer.submit(_run_step, con, step, params))
                    if step in NEEDS:
                        jobs.append(writer.submit(con.unregister, NEEDS[step]))
                        registered.discard(NEEDS[step])
            if steps:
                raise RuntimeError(f"marts never built: {', '.join(steps)} (their relations were not computed)")
            jobs.append(writer.submit(warehouse.set_info, con, "marts_version", MARTS_VERSION))
        finally:
            jobs.append(writer.submit(_finish, con, sorted(registered)))
            for job in jobs:
                job.result()  # re-raises the first failure


def _start(con) -> None:
    # The relations come in key order (school year, school, grade, student); parallel unordered writes keep
    # that order within each row group, which is what zone maps need, and are about 15% faster.
    con.execute("set preserve_insertion_order = false")
    _drop_tables_now_views(con)


def _run_step(con, step: str, params: dict) -> None:
    sql = (MART_DIR / f"{step}.sql").read_text()
    used = {k: v for k, v in params.items() if f"${k}" in sql}
    con.execute(sql, used) if used else con.execute(sql)


def _finish(con, registered: list[str]) -> None:
    for name in registered:
        con.unregister(name)
    con.execute("reset preserve_insertion_order")


def _drop_tables_now_views(con) -> None:
    """A warehouse built before a mart became a view still has it as a table, and `create or replace view`
    does not replace a table."""
    for (name,) in con.execute(
        "select table_name from duckdb_tables() where not temporary and list_contains($names, table_name)",
        {"names": list(NOW_VIEWS)},
    ).fetchall():
        con.execute(f"drop table {name}")  # a name from NOW_VIEWS, never user input


def is_outdated(con) -> bool:
    return warehouse.get_info(con, "marts_version") != MARTS_VERSION
