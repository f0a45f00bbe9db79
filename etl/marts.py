"""Rebuild the mart_* tables inside the load's transaction.

The per-student calculations run in numpy (etl/standard_scores.py) and come back as Arrow relations that
the SQL steps in etl/marts/ read by name; every other step is SQL.
"""
from __future__ import annotations

from pathlib import Path

from etl import standard_scores, warehouse
from etl.config import district_config

MART_DIR = Path(__file__).with_name("marts")
# In order: each step reads the ones before it. The three relations of etl/standard_scores.py are
# registered for the steps that read them; group_status and plc_as_of are table macros over the marts, so
# they are (re)created after them.
STEPS = ["mart_standard_scores", "mart_evidence", "mart_content_area_scores", "mart_content_status", "mart_terms",
         "group_status", "mart_continuum_position", "mart_plc_teams", "mart_plc_course_students", "plc_as_of"]
# Bumped whenever a mart's columns or shape change: a warehouse built by older code is rebuilt by
# `python -m etl rebuild --if-outdated` (which `make run` calls) instead of failing in the pages.
MARTS_VERSION = "2"
# Marts that were tables in warehouses built before they became views.
NOW_VIEWS = ("mart_evidence", "mart_content_status")


def mart_params() -> dict:
    config = district_config()
    return {"decaying_weight": config.decaying_weight, "most_recent_n": config.most_recent_n}


def rebuild(con) -> None:
    params = mart_params()
    relations = standard_scores.build(con, params["decaying_weight"], params["most_recent_n"])
    # The relations come in key order (school year, school, grade, student); parallel unordered writes keep
    # that order within each row group, which is what zone maps need, and are about 15% faster.
    con.execute("set preserve_insertion_order = false")
    _drop_tables_now_views(con)
    try:
        for name, table in relations.items():
            con.register(name, table)
        for step in STEPS:
            sql = (MART_DIR / f"{step}.sql").read_text()
            used = {k: v for k, v in params.items() if f"${k}" in sql}
            con.execute(sql, used) if used else con.execute(sql)
        warehouse.set_info(con, "marts_version", MARTS_VERSION)
    finally:
        for name in relations:
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
