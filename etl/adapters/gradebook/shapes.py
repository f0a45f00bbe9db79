"""Long files (a row per mark) and wide ones (a column per standard or assessment), planned as one long
read."""

from __future__ import annotations

import re

import pandas as pd

from etl.adapters.gradebook.columns import (
    cell_sql,
    columns_found,
    headers_of,
    plan_params,
    resolve_columns_of,
    row_column_sql,
    skip_filter,
)
from etl.adapters.gradebook.mapping import ALIASES, ROW_COLUMNS, TRAILING_ID, GradebookMapping, Plan
from etl.errors import LoadRefused
from etl.normalize import normalize_header
from etl.readers import RawTable
from warehouse import execute
from warehouse.sql_names import identifier


def plan_long(raw: RawTable, mapping: GradebookMapping, constants: dict) -> Plan:
    found = resolve_columns_of(raw, mapping, ALIASES, ["student_id", "standard_code"], constants, needs_mark=True)
    mark_key = found.get("mark", found.get("score"))
    score_sql = f"r.{identifier(found['score'])}" if "score" in found else "null::varchar"
    headers = headers_of(raw, found)
    skip = skip_filter(mapping, found)
    # Column keys come from our own header normalization (quoted by _ident); values are bound.
    sql = f"""
        select r.line_number,
               {", ".join(row_column_sql(c, found, constants, is_padded=raw.has_padded_cells) for c in ROW_COLUMNS)},
               {cell_sql(found["standard_code"], "r", raw.has_padded_cells)} as standard_code,
               r.{identifier(mark_key)} as mark, {score_sql} as score_text,
               null::double as points_possible, $mark_header as source_column
        from {raw.from_sql} r
        where {skip}"""
    params = {
        **raw.params,
        **plan_params(constants, mapping),
        "mark_header": headers.get("mark", headers.get("score")),
    }
    return Plan(sql=sql, params=params, headers=headers, skip_filter=skip, has_score="score" in found)


def plan_wide(con, raw: RawTable, mapping: GradebookMapping, constants: dict) -> Plan:
    row_aliases = {k: v for k, v in ALIASES.items() if k in ROW_COLUMNS}
    found = resolve_columns_of(raw, mapping, row_aliases, ["student_id"], constants)
    value_keys = _value_columns(raw, mapping.wide, set(found.values()))
    if not value_keys:
        raise LoadRefused(
            f"{raw.path.name}: no columns of marks: none matched the format's wide.pattern "
            f"(columns found: {columns_found(raw)})"
        )
    has_points = _register_wide_columns(con, raw, value_keys, mapping.wide)
    row_keys = list(dict.fromkeys(found[c] for c in ROW_COLUMNS if c in found))
    inner = ", ".join(identifier(k) for k in ["line_number", *row_keys, *value_keys])
    skip = skip_filter(mapping, found)
    # Without a column that names the assessment, the column's header does.
    fallbacks = {"assessment_name": "c.assessment_name"}
    row_columns = ", ".join(
        row_column_sql(c, found, constants, fallbacks.get(c, "null::varchar"), raw.has_padded_cells)
        for c in ROW_COLUMNS
    )
    # Unpivot drops empty (NULL) cells: a blank cell is no evidence; it is counted, not stored.
    sql = f"""
        select r.line_number, {row_columns},
               c.standard_code, r.mark, null::varchar as score_text,
               c.points_possible, c.source_column
        from (unpivot (select {inner} from {raw.from_sql} r where {skip})
              on {", ".join(identifier(k) for k in value_keys)} into name value_column value mark) r
        join gradebook_wide_columns c using (value_column)"""
    return Plan(
        sql=sql,
        params={**raw.params, **plan_params(constants, mapping)},
        headers=headers_of(raw, found),
        skip_filter=skip,
        value_columns=len(value_keys),
        has_points=has_points,
    )


def _value_columns(raw: RawTable, wide: dict, row_keys: set[str]) -> list[str]:
    """The columns that hold marks: listed, or matching the pattern (every other column when
    neither is given), never a row column, never a `(read only)` total."""
    listed = [normalize_header(c) for c in wide.get("columns") or []]
    absent = [str(c) for c, key in zip(wide.get("columns") or [], listed) if key not in raw.columns]
    if absent:
        raise LoadRefused(
            f"{raw.path.name}: the format lists column(s) {', '.join(absent)} "
            f"that the file does not have (columns found: {columns_found(raw)})"
        )
    pattern = re.compile(wide["pattern"]) if wide.get("pattern") else None
    exclude = re.compile(wide["exclude_pattern"]) if wide.get("exclude_pattern") else None
    keys = []
    for key in raw.columns:
        header = raw.headers[key].strip()
        if key in row_keys or (listed and key not in listed) or (pattern and not pattern.search(header)):
            continue
        if (exclude and exclude.search(header)) or _is_read_only(raw, key):
            continue
        keys.append(key)
    return keys


def _is_read_only(raw: RawTable, key: str) -> bool:
    # Canvas marks its computed totals `(read only)` in the points-possible row: not evidence.
    return any(cell.lower() == "(read only)" for cell in raw.below_header_cell(key))


def _points_possible(raw: RawTable, key: str) -> float | None:
    for cell in raw.below_header_cell(key):
        try:
            return float(cell)
        except ValueError:
            continue
    return None


def _standard_code(header: str, wide: dict) -> str:
    code = TRAILING_ID.sub("", " ".join(header.split()))
    return f"{wide.get('code_prefix') or ''}{code}"


def _register_wide_columns(con, raw: RawTable, value_keys: list[str], wide: dict) -> bool:
    """gradebook_wide_columns: each column of marks with its standard code; whether any column
    has points possible."""
    frame = pd.DataFrame(
        {
            "value_column": value_keys,
            "standard_code": [_standard_code(raw.headers[k], wide) for k in value_keys],
            "assessment_name": [" ".join(raw.headers[k].split()) for k in value_keys],
            "source_column": [raw.headers[k].strip() for k in value_keys],
            "points_possible": pd.Series([_points_possible(raw, k) for k in value_keys], dtype="float64"),
        }
    )
    create_from_frame(con, "gradebook_wide_columns", frame)
    return bool(frame["points_possible"].notna().any())


def create_from_frame(con, table: str, frame: pd.DataFrame) -> None:
    # table: one of this module's constant names, never user input.
    con.register(f"{table}_frame", frame)
    con.execute(f"create or replace temp table {table} as select * from {table}_frame")
    con.unregister(f"{table}_frame")


def count_skipped(con, raw: RawTable, plan: Plan, mapping: GradebookMapping, notes: list[str]) -> int:
    if plan.skip_filter == "true":
        return 0
    n = execute(
        con,
        f"select count(*) from {raw.from_sql} r where not ({plan.skip_filter})",
        {**raw.params, "skip_students": mapping.skip_students},
    ).fetchall()[0][0]
    if n:
        notes.append(f"skipped {n} row(s) of test students named in the format ({', '.join(mapping.skip_students)})")
    return n
