"""Dump every named query's output on a warehouse, for every audience and a sweep of parameter values.

A restructuring must not change a figure: dump before, dump after, compare the two folders.

    python -m tests.query_dump data/district.duckdb /tmp/before
    python -m tests.query_dump data/district.duckdb /tmp/after
    diff -r /tmp/before /tmp/after

Required parameters are filled from the warehouse itself (its first school, team and as-of date); then each
parameter with a closed list of values is swept one at a time, and every school for `school_id`.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import duckdb

from queries.runner import FULL_SCOPE, QueryError, list_queries, run_query

AUDIENCES = ("leader", "plc", "board")


def required_values(con) -> dict:
    """The first school's first PLC team, its last evidence date and its continuum level."""
    school_year = con.execute("select max(school_year) from enrollments").fetchone()[0]
    first_school = con.execute("select min(school_id) from schools").fetchone()[0]
    teams = run_query(con, "plc_teams", {"school_id": first_school, "school_year": school_year}, FULL_SCOPE)
    values = {"school_year": school_year, "school_id": first_school, "content_area": "math"}
    if len(teams):
        team = teams.sort_values(list(teams.columns[:2])).iloc[0]
        values.update(
            {
                key: (str(team[key])[:10] if key.endswith("_on") else team[key])
                for key in teams.columns
                if key in ("team", "grade_level", "course_id", "continuum_level", "content_area")
            }
        )
        values["as_of"] = str(team.get("last_assessed_on"))[:10]
    return values


def param_sets(query, base: dict, schools: list[str]) -> list[tuple[str, dict]]:
    filled = {k: base.get(k) for k in query.required}
    sets = [("default", filled)]
    for key, allowed in sorted(query.choices.items()):
        sets += [(f"{key}={value}", {**filled, key: value}) for value in allowed]
    if "school_id" in query.defaults:
        sets += [(f"school_id={s}", {**filled, "school_id": s}) for s in schools]
    return sets


def dump(db: Path, out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(db), read_only=True)
    base = required_values(con)
    schools = [r[0] for r in con.execute("select school_id from schools order by 1").fetchall()]
    written = 0
    for audience in AUDIENCES:
        for query in list_queries(release=audience == "board"):
            for label, params in param_sets(query, base, schools):
                try:
                    frame = run_query(con, query.name, params, FULL_SCOPE, audience=audience)
                    text = frame.to_csv(index=False, float_format="%.9g")
                except (QueryError, ValueError, duckdb.Error) as error:
                    text = f"refused: {type(error).__name__}: {error}\n"
                name = f"{audience}.{query.name}.{hashlib.sha1(label.encode()).hexdigest()[:8]}.csv"
                (out / name).write_text(f"# {label}\n{text}")
                written += 1
    con.close()
    return written


if __name__ == "__main__":
    db_arg, out_arg = sys.argv[1:3]
    print(f"{dump(Path(db_arg), Path(out_arg))} outputs written to {out_arg}")
