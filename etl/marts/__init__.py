"""Rebuild the mart_* tables inside the load's transaction: only those of the school years the load touched.

A rebuild is a sequence of steps, each a SQL file of etl/marts/ named like what it creates:

1. BEFORE: tables every school year's marts read (mart_continuum_grades). When one changes (a roster brings a
   new grade level, a continuum new standards), every year is rebuilt.
2. PER_YEAR: tables whose rows each belong to one school year. A per-year file is
   `create or replace table NAME as QUERY`, and QUERY reads only the years in $school_years (and the Arrow
   relation NEEDS names, computed in numpy by etl/standard_scores.py for those years). Rebuilding some years
   deletes their rows and inserts QUERY's; a full rebuild creates each table from its first pass and inserts
   the next passes'. A pass holds at most SCORES_PER_PASS scored rows (whole school years), so memory is
   bounded by that or by the largest school year, not by the whole warehouse.
3. AFTER: views and table macros over the marts, then any step that must see what was rebuilt. An AFTER
   step is the name of a SQL file (run with $school_years bound to the years just rebuilt) or a Python
   function `step(con, scope)`, called with the Scope actually rebuilt (`scope.school_years`: the years whose
   marts were just rebuilt, empty after a survey load; `scope.is_full`: every year was; `scope.kind`: the
   load's kind), so adding a step is one entry in AFTER.

Which years a load touched: etl/load.py marts_scope (a gradebook's and a roster's school years; none for a
survey or rubric; every year for a continuum). A rebuild is full when asked for (`etl rebuild`, the demo),
when the marts were built by older code or another configuration, or when a BEFORE table changed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import warehouse
from etl import release, standard_scores
from warehouse.config import district_config

MART_DIR = Path(__file__).parent  # this package: the mart SQL files beside its code
BEFORE = ["mart_continuum_grades"]
# In order: each step reads the ones before it and, where NEEDS says so, an Arrow relation computed by
# etl/standard_scores.py (which yields them in this order).
PER_YEAR = [
    "mart_terms",
    "mart_standard_scores",
    "mart_continuum_coverage",
    "mart_continuum_students",
    "mart_continuum_position",
    "mart_plc_teams",
    "mart_plc_course_students",
    "mart_content_area_scores",
]
NEEDS = {
    "mart_terms": "term_starts",
    "mart_standard_scores": "standard_results",
    "mart_continuum_position": "continuum_levels",
    "mart_content_area_scores": "content_area_rows",
}


# Views and table macros over the marts (group_status, group_gaps and plc_as_of read mart_content_status),
# then steps that read the rebuilt marts: a SQL file's name, or a function step(con, scope).
def _public_release(con, scope) -> None:
    """The public release reads the marts just written (docs/privacy.md); sets whose atoms did not change keep
    their pattern, so this re-audits only what the load touched (and the survey waves after a survey load)."""
    release.rebuild(con)


AFTER: list[str | Callable] = [
    "mart_evidence",
    "mart_content_status",
    "continuum_position",
    "group_status",
    "group_gaps",
    "plc_as_of",
    "plc_meetings",
    _public_release,
]
STEPS = BEFORE + PER_YEAR + AFTER
# At ten million scores one pass is the fastest; beyond, passes of whole years keep memory bounded.
SCORES_PER_PASS = 12_000_000
# Bumped whenever a mart's columns or shape change: a warehouse built by older code is rebuilt by
# `python -m etl rebuild --if-outdated` (which `make run` calls) instead of failing in the pages.
MARTS_VERSION = "7"
# Marts that were tables in warehouses built before they became views.
NOW_VIEWS = ("mart_evidence", "mart_content_status")


@dataclass(frozen=True)
class Scope:
    """What a rebuild covers. school_years: the years whose marts are rebuilt (None: every year, afresh);
    kind: the kind of the load that asked for it (None for `etl rebuild` and the demo); is_full: every year's
    marts were built afresh (set on the Scope a rebuild returns and hands its AFTER steps)."""

    school_years: tuple[str, ...] | None = None
    kind: str | None = None
    is_full: bool = False


def mart_params() -> dict:
    config = district_config()
    return {"decaying_weight": config.decaying_weight, "most_recent_n": config.most_recent_n}


def rebuild(con, scope: Scope | None = None) -> Scope:
    """The marts of the scope's school years (every year when it names none), in the caller's transaction;
    returns the Scope rebuilt."""
    params = mart_params()
    years, is_full = _years_to_rebuild(con, scope, params)
    # The relations come in key order (school year, school, grade, student); parallel unordered writes keep
    # that order within each row group, which is what zone maps need, and are about 15% faster.
    con.execute("set preserve_insertion_order = false")
    try:
        _drop_tables_now_views(con)
        if _run_before(con, params, years) and not is_full:
            years, is_full = _every_year(con), True
        for i, pass_years in enumerate(_passes(con, years, is_full)):
            _rebuild_years(con, pass_years, params, create=is_full and i == 0)
        done = Scope(school_years=tuple(years), kind=scope.kind if scope else None, is_full=is_full)
        for step in AFTER:
            if callable(step):
                step(con, done)
            else:
                _run_sql(con, _read(step), {**params, "school_years": list(years)})
        warehouse.set_info(con, "marts_version", MARTS_VERSION)
        warehouse.set_info(con, "marts_params", json.dumps(params, sort_keys=True))
    finally:
        con.execute("reset preserve_insertion_order")
    return done


def _years_to_rebuild(con, scope: Scope | None, params: dict) -> tuple[list[str], bool]:
    """(years, is_full): the scope's years, or every year when the marts cannot be patched year by year."""
    if (
        scope is None
        or scope.school_years is None
        or is_outdated(con)
        or _params_changed(con, params)
        or _missing_marts(con)
    ):
        return _every_year(con), True
    return sorted(set(scope.school_years)), False


def _every_year(con) -> list[str]:
    return [
        y
        for (y,) in con.execute(
            "select school_year from scores union select school_year from enrollments order by 1"
        ).fetchall()
    ]


def _params_changed(con, params: dict) -> bool:
    return warehouse.get_info(con, "marts_params") != json.dumps(params, sort_keys=True)


def _missing_marts(con) -> bool:
    """No marts yet, or marts of no evidence: their column types came from empty relations, so they are
    built afresh rather than patched."""
    present = {
        name
        for (name,) in con.execute(
            "select table_name from duckdb_tables() where not temporary and schema_name = 'main'"
        ).fetchall()
    }
    if not set(BEFORE + PER_YEAR) <= present:
        return True
    return con.execute("select count(*) = 0 from (select 1 from mart_standard_scores limit 1)").fetchone()[0]


def _run_before(con, params: dict, years: list[str]) -> bool:
    """Run the BEFORE steps; returns whether any of their tables changed (then every year is rebuilt)."""
    changed = False
    for step in BEFORE:
        old = _rows(con, step)
        _run_sql(con, _read(step), {**params, "school_years": list(years)})
        changed |= old != _rows(con, step)
    return changed


def _rows(con, table: str) -> list | None:
    exists = con.execute(
        "select count(*) from duckdb_tables() where not temporary and table_name = $t", {"t": table}
    ).fetchone()[0]
    return sorted(con.execute(f"select * from {table}").fetchall(), key=repr) if exists else None  # our own name


def _passes(con, years: list[str], is_full: bool) -> list[list[str]]:
    """Whole school years in order, at most SCORES_PER_PASS scored rows a pass (a bigger year is a pass of
    its own). A full rebuild of a warehouse with no school year yet is one empty pass: it creates the marts."""
    if not years:
        return [[]] if is_full else []
    sizes = dict(
        con.execute(
            "select school_year, count(*) from scores where score is not null "
            "and list_contains($years, school_year) group by 1",
            {"years": years},
        ).fetchall()
    )
    passes, current, n_current = [], [], 0
    for year in years:
        n = sizes.get(year, 0)
        if n_current and n_current + n > SCORES_PER_PASS:  # a pass never holds only years without scores
            passes.append(current)
            current, n_current = [], 0
        current.append(year)
        n_current += n
    return passes + [current]


def _rebuild_years(con, years: list[str], params: dict, create: bool) -> None:
    """The PER_YEAR marts of some school years. One writer thread runs the SQL steps in order, each as soon
    as the relation it needs is computed, while numpy computes the next (DuckDB and numpy both release the
    GIL): the writes overlap the calculations instead of waiting for all of them. A relation is let go as
    soon as its mart is written. The main thread touches the connection only before the first relation is
    ready, and the next pass starts once this one's writes are done."""
    step_params = {**params, "school_years": list(years)}
    ready: list[str] = []  # relations computed so far
    registered: set[str] = set()  # relations DuckDB holds now
    with ThreadPoolExecutor(max_workers=1) as writer:
        jobs = []
        steps = list(PER_YEAR)
        try:
            relations = standard_scores.build(con, params["decaying_weight"], params["most_recent_n"], years)
            for name, table in relations:
                if not jobs and not create:
                    jobs.append(writer.submit(_delete_years, con, years))
                jobs.append(writer.submit(con.register, name, table))
                ready.append(name)
                registered.add(name)
                while steps and (steps[0] not in NEEDS or NEEDS[steps[0]] in ready):
                    step = steps.pop(0)
                    jobs.append(writer.submit(_run_per_year, con, step, step_params, create))
                    if step in NEEDS:
                        jobs.append(writer.submit(con.unregister, NEEDS[step]))
                        registered.discard(NEEDS[step])
            if steps:
                raise RuntimeError(f"marts never built: {', '.join(steps)} (their relations were not computed)")
        finally:
            jobs.append(writer.submit(_unregister, con, sorted(registered)))
            for job in jobs:
                job.result()  # re-raises the first failure


def _delete_years(con, years: list[str]) -> None:
    for table in PER_YEAR:  # our own table names
        con.execute(f"delete from {table} where list_contains($years, school_year)", {"years": list(years)})


def _run_per_year(con, step: str, params: dict, create: bool) -> None:
    """`create or replace table NAME as QUERY` as written, or `insert into NAME QUERY` (the same columns in the
    same order) when the table holds other years' rows."""
    sql = _read(step)
    if not create:
        creates = f"create or replace table {step} as"
        if sql.count(creates) != 1:
            raise RuntimeError(f"etl/marts/{step}.sql must be one `{creates} QUERY` to rebuild a year at a time")
        sql = sql.replace(creates, f"insert into {step}")
    _run_sql(con, sql, params)


def _read(step: str) -> str:
    return (MART_DIR / f"{step}.sql").read_text()


def _run_sql(con, sql: str, params: dict) -> None:
    warehouse.execute(con, sql, params)


def _unregister(con, names: list[str]) -> None:
    for name in names:
        con.unregister(name)


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
