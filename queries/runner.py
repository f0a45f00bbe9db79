"""Run a named query (queries/NAME.sql) with bound parameters, the viewer's scope and the gate.

Each .sql file starts with comment lines the runner reads:
    -- <one line saying what the query answers>
    -- param NAME: default VALUE | required        (bound as $NAME, never formatted in)
    -- privacy: kind=students n=n_students pct=pct_proficient ...
Every query also receives $school_ids, the schools the viewer may see.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

import warehouse
from queries.params import validate as validate_params
from queries.privacy import PrivacySpec, apply_gate
from warehouse.config import METHODS, district_config

QUERY_DIR = Path(__file__).resolve().parent
# The board audience reads only the public release (docs/privacy.md): a query of the same name and columns in
# queries/release/, reading release_* tables; a query not there is not part of the publication.
RELEASE_DIR = QUERY_DIR / "release"
RELEASE_AUDIENCE = "board"
PARAM_LINE = re.compile(r"^--\s*param\s+(\w+)\s*:\s*(.*)$")
PRIVACY_LINE = re.compile(r"^--\s*privacy\s*:\s*(.*)$")


@dataclass(frozen=True)
class Scope:
    """Who is looking: role and the school ids they may see (None means every school)."""

    role: str = "district_leader"
    school_ids: tuple[str, ...] | None = None

    @property
    def audience(self) -> str:
        return {"board": "board", "plc_facilitator": "plc"}.get(self.role, "leader")


FULL_SCOPE = Scope()


@dataclass(frozen=True)
class Query:
    name: str
    sql: str
    description: str
    defaults: dict = field(default_factory=dict)
    required: tuple[str, ...] = ()
    choices: dict = field(default_factory=dict)  # param -> allowed values (identifiers chosen by name)
    privacy: PrivacySpec = PrivacySpec()


class QueryError(Exception):
    pass


class NotInRelease(QueryError):
    """A board-audience request the public release does not answer (another grade, a crossing, a term...)."""


@cache
def load_query(name: str) -> Query:
    path = QUERY_DIR / f"{name}.sql"
    if not re.fullmatch(r"[a-z0-9_]+", name) or not path.exists():
        raise QueryError(f"no query named '{name}' (see `python -m queries list`)")
    return parse_query(name, path.read_text())


@cache
def load_release_query(name: str) -> Query:
    path = RELEASE_DIR / f"{name}.sql"
    if not re.fullmatch(r"[a-z0-9_]+", name) or not path.exists():
        published = ", ".join(q.name for q in list_queries(release=True))
        raise NotInRelease(
            f"'{name}' is not part of the public release, which is all the board audience sees "
            f"(published: {published}; docs/privacy.md says why)"
        )
    return parse_query(name, path.read_text())


def parse_query(name: str, sql: str) -> Query:
    description, defaults, required, choices, privacy = "", {}, [], {}, None
    for line in sql.splitlines():
        if not line.startswith("--"):
            break
        if match := PARAM_LINE.match(line):
            key, rest = match.groups()
            rest, _, allowed = rest.partition(" choices ")
            if allowed:
                choices[key] = tuple(a.strip() for a in allowed.split(","))
            if rest.strip() == "required":
                required.append(key)
            else:
                defaults[key] = _literal(rest.strip().removeprefix("default").strip())
        elif match := PRIVACY_LINE.match(line):
            privacy = PrivacySpec.parse(match.group(1))
        elif not description:
            description = line.lstrip("- ").strip()
    if privacy is None:
        raise QueryError(f"{name}.sql declares no `-- privacy:` line; every query must")
    return Query(name, sql, description, defaults, tuple(required), choices, privacy)


def _literal(text: str):
    if text in ("null", "none", ""):
        return None
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if re.fullmatch(r"-?\d+\.\d*", text):
        return float(text)
    return text.strip("'\"")


def list_queries(release: bool = False) -> list[Query]:
    if release:
        return [load_release_query(p.stem) for p in sorted(RELEASE_DIR.glob("*.sql"))]
    return [load_query(p.stem) for p in sorted(QUERY_DIR.glob("*.sql"))]


class ReleaseMissing(QueryError):
    """The warehouse was built before the public release existed: the board audience has nothing to read."""


def _require_release(con) -> None:
    """After a release query's Catalog Error: when the warehouse was built before the release, one line saying
    what to do instead of DuckDB's message (issue 29)."""
    found = con.execute("select count(*) from duckdb_tables() where table_name = 'release_info'").fetchone()[0]
    if not found:
        raise ReleaseMissing(
            "this warehouse was built before the public release, which is all the board audience reads: run "
            "`python -m etl rebuild` (with --db for another warehouse; `make run` does it), then ask again"
        )


def run_raw(
    con,
    name: str,
    params: dict | None = None,
    scope: Scope = FULL_SCOPE,
    release: bool = False,
    in_transaction: bool = False,
) -> pd.DataFrame:
    """Run without the gate: for tests and for code that gates the combined result itself. `release`: the
    query's public-release version (queries/release/), as the board audience reads it. `in_transaction`: on
    the connection itself, which sees the tables its open transaction wrote (the release build, inside a load);
    otherwise on a cursor of its own, safe across Streamlit's threads."""
    query = load_release_query(name) if release else load_query(name)
    refuse = NotInRelease if release else QueryError
    bound = {**query.defaults, **{k: v for k, v in (params or {}).items() if v is not None}}
    missing = [k for k in query.required if bound.get(k) is None]
    if missing:
        raise QueryError(f"query {name} needs parameter(s): {', '.join(missing)}")
    unknown = set(bound) - set(query.defaults) - set(query.required)
    if unknown:
        raise refuse(
            f"query {name} takes no parameter(s) {', '.join(sorted(unknown))}"
            + (
                " in the public release, which does not break figures down that way (docs/privacy.md)"
                if release
                else ""
            )
        )
    for key, allowed in query.choices.items():
        if bound.get(key) is not None and bound[key] not in allowed:
            raise refuse(
                f"{key} must be one of {', '.join(allowed)}, not '{bound[key]}'"
                + (" (the public release publishes no other)" if release else "")
            )
    bound = _district_defaults(validate_params(bound))
    if release:
        _release_method(bound)
    bound["school_ids"] = list(scope.school_ids) if scope.school_ids is not None else None
    used = warehouse.used_params(query.sql, bound)
    try:
        if in_transaction:
            return con.execute(query.sql, used).df()
        cursor = con.cursor()  # a cursor per query: safe across Streamlit's threads
        try:
            return cursor.execute(query.sql, used).df()
        finally:
            cursor.close()
    except duckdb.CatalogException:
        if release:
            _require_release(con)  # asked only when a release query fails, never on its way
        raise


def _release_method(bound: dict) -> None:
    """The release is computed once, with the district's method and cut."""
    config = district_config()
    if "method" in bound and bound["method"] != config.calculation_method:
        raise NotInRelease(
            f"the public release uses the district's calculation method "
            f"({config.calculation_method}) only, not '{bound['method']}'"
        )
    if "cut" in bound and bound["cut"] != float(config.proficiency_cut):
        raise NotInRelease(f"the public release uses the district's proficiency cut ({config.proficiency_cut:g}) only")


def _district_defaults(bound: dict) -> dict:
    """`default district` in a query header means: the value in config/district.yaml."""
    config = district_config()
    from_config = {
        "method": config.calculation_method,
        "cut": config.proficiency_cut,
        "min_evidence": config.min_evidence,
    }
    resolved = {k: (from_config[k] if v == "district" and k in from_config else v) for k, v in bound.items()}
    if "method" in resolved and resolved["method"] not in METHODS:
        raise QueryError(f"method must be one of {', '.join(METHODS)}")
    if "cut" in resolved:
        resolved["cut"] = float(str(resolved["cut"]))
    return resolved


def run_query(
    con, name: str, params: dict | None = None, scope: Scope = FULL_SCOPE, audience: str | None = None
) -> pd.DataFrame:
    """Rows as this viewer may see them: scoped to their schools, then through the privacy gate. The board
    audience reads the public release (queries/release/), never live data."""
    audience = audience or scope.audience
    release = audience == RELEASE_AUDIENCE
    frame = run_raw(con, name, params, scope, release=release)
    query = load_release_query(name) if release else load_query(name)
    return apply_gate(frame, query.privacy, audience)
