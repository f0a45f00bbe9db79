"""Gradebooks, long (a row per student x standard x assessment) or wide (a column per standard).

The bulk work is set-based SQL over the raw rows, because gradebooks are the big files: the
rows are projected (long) or unpivoted (wide) in a CTE that is never materialized, scanned once
for its distinct school years, dates and marks, and scanned once more to insert into `scores`.
A long CSV is not even copied: both scans read the file itself (etl/readers/ stream_raw), which
costs less than one copy of ten million rows. School years, dates and marks have few distinct
values, so those are classified once per distinct value in Python (etl/normalize/,
etl/scales.py) and joined back. Rejects cost a copy of the rows with their line numbers and a
third scan, only when the distinct values show there are some.

The mapping file (a preset in etl/presets/ is one the project ships) is described in
etl/presets/README.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pandas as pd

from etl.adapters.common import LoadOptions, Staged, resolve_columns
from etl.errors import LoadRefused
from etl.normalize import normalize_header, parse_dates, parse_school_year
from etl.readers import RawTable, number_lines, release_raw, stream_errors_refused, stream_raw
from etl.replace import chosen_scope, replace_scores
from etl.scales import Scale, default_scale, scale_from_config
from etl.vocabulary import column_aliases
from warehouse import execute
from warehouse.school_years import START_MONTH, school_year_of_date
from warehouse.sql_names import identifier

# The warehouse's scores columns (docs/warehouse.md), in the order they are staged.
SCORE_COLUMNS = [
    "student_id",
    "school_year",
    "term",
    "assessed_on",
    "school_id",
    "course_id",
    "section_id",
    "teacher_id",
    "standard_code",
    "score",
    "mark",
    "assessment_type",
    "assessment_name",
]
# Columns a row carries besides its mark; in a wide file these stay put while the marks unpivot.
ROW_COLUMNS = [
    "student_id",
    "student_name",
    "school_year",
    "term",
    "assessed_on",
    "school_id",
    "course_id",
    "section_id",
    "teacher_id",
    "assessment_type",
    "assessment_name",
]
ALIASES = column_aliases(
    "gradebook",
    {
        # No plain `student`: in Canvas and most teacher gradebooks that column holds the name.
        "student_id": ["student_number", "studentid", "sis_id", "local_id", "sis_user_id"],
        "student_name": ["student", "name", "student_full_name"],  # read only to skip test students
        "school_year": ["year", "schoolyear", "academic_year"],
        "term": ["marking_period", "grading_period", "semester", "quarter"],
        "assessed_on": ["date", "assessment_date", "given_on", "scored_on", "date_assessed"],
        "school_id": ["school", "school_code", "building_id"],
        "course_id": ["course", "course_code"],
        "section_id": ["section", "class_id", "section_code"],
        "teacher_id": ["teacher", "staff_id"],
        "standard_code": ["standard", "standard_id", "standard_name", "learning_target", "competency"],
        "score": [],
        # No `grade`: in school exports that is the grade level (`3rd Grade`, `08`) more often than a mark.
        "mark": ["rating", "proficiency", "level"],
        "assessment_type": ["type", "assessment_kind"],
        "assessment_name": ["assessment", "assignment", "title", "assessment_title"],
    },
)  # and the field's names: etl/vocabulary/columns.yaml
ID_COLUMNS = ("student_id", "school_id")  # ids keep leading zeros; Excel's `123.0` becomes `123`
# Few distinct values: kept as written per row, cleaned once per distinct value in Python.
LOOKED_UP = ("school_year", "assessed_on", "assessment_type")
CONSTANT_KEYS = (
    "school_year",
    "term",
    "school_id",
    "course_id",
    "section_id",
    "teacher_id",
    "assessment_type",
    "assessment_name",
)
MAPPING_KEYS = {
    "kind",
    "description",
    "shape",
    "columns",
    "constants",
    "date_format",
    "wide",
    "scale",
    "skip_students",
    "school_year_from_date",
    "school_year_start_month",
    "replace",
    "append",
}
WIDE_KEYS = {"pattern", "exclude_pattern", "columns", "code_prefix"}
TRAILING_ID = re.compile(r"\s*\(\s*\d{4,}\s*\)\s*$")  # Canvas's `Quiz 2.1 (12095681)`, as normalize_header
ASSESSMENT_TYPES = {"formative": "formative", "summative": "summative", "f": "formative", "s": "summative"}
# A big file's scores are written in whatever order DuckDB's threads finish (a third faster at ten
# million); a smaller one keeps file order, where order costs nothing and `select *` reads naturally.
UNORDERED_FROM_ROWS = 1_000_000


@dataclass
class GradebookMapping:
    """A mapping file's content, checked: see etl/presets/README.md for each key."""

    shape: str = "long"
    columns: dict[str, str | list[str]] = field(default_factory=dict)  # a list: the first header present
    constants: dict[str, str] = field(default_factory=dict)
    date_format: str | None = None
    wide: dict = field(default_factory=dict)
    scale: Scale = field(default_factory=default_scale)
    skip_students: list[str] = field(default_factory=list)
    school_year_from_date: bool = False
    school_year_start_month: int = START_MONTH

    @classmethod
    def from_dict(cls, mapping: dict, file_name: str) -> GradebookMapping:
        def refuse(problem: str) -> LoadRefused:
            return LoadRefused(f"{file_name}: the gradebook format {problem}")

        unknown = sorted(set(mapping) - MAPPING_KEYS)
        if unknown:
            raise refuse(f"has unknown key(s) {', '.join(unknown)} (known: {', '.join(sorted(MAPPING_KEYS))})")
        if mapping.get("kind", "gradebook") != "gradebook":
            raise refuse(f"is for {mapping['kind']} files")
        shape = mapping.get("shape") or "long"
        if shape not in ("long", "wide"):
            raise refuse(f"says shape '{shape}'; it is long or wide")
        columns = {
            str(k): [str(h) for h in v] if isinstance(v, list) else str(v)
            for k, v in (mapping.get("columns") or {}).items()
        }
        bad_columns = sorted(set(columns) - set(SCORE_COLUMNS) - set(ROW_COLUMNS))
        if bad_columns:
            raise refuse(
                f"maps unknown column(s) {', '.join(bad_columns)} "
                f"(known: {', '.join(SCORE_COLUMNS + ['student_name'])})"
            )
        constants = {str(k): str(v) for k, v in (mapping.get("constants") or {}).items() if v is not None}
        bad_constants = sorted(set(constants) - set(CONSTANT_KEYS))
        if bad_constants:
            raise refuse(f"has unknown constant(s) {', '.join(bad_constants)} (known: {', '.join(CONSTANT_KEYS)})")
        wide = mapping.get("wide") or {}
        if set(wide) - WIDE_KEYS:
            raise refuse(f"has unknown wide key(s) {', '.join(sorted(set(wide) - WIDE_KEYS))}")
        try:
            scale = scale_from_config(mapping.get("scale"))
        except (ValueError, TypeError) as error:
            raise refuse(f"has a scale that does not work: {error}") from None
        start_month = int(mapping.get("school_year_start_month", START_MONTH))
        if not 1 <= start_month <= 12:
            raise refuse("says school_year_start_month must be a month number 1-12")
        return cls(
            shape=shape,
            columns=columns,
            constants=constants,
            date_format=mapping.get("date_format"),
            wide=wide,
            scale=scale,
            skip_students=[str(s) for s in mapping.get("skip_students") or []],
            school_year_from_date=bool(mapping.get("school_year_from_date", False)),
            school_year_start_month=start_month,
        )


@dataclass
class Plan:
    """How the file's columns become the rows of gradebook_long: the SQL of a CTE and its params."""

    sql: str
    params: dict
    headers: dict[str, str]  # canonical -> the file's header, to name the column of a reject
    skip_filter: str = "true"  # SQL over the raw table `r`: false for a test student's row
    value_columns: int = 0  # wide: how many columns hold marks
    has_score: bool = False  # a `score` column beside the mark
    has_points: bool = False  # wide columns with points possible

    def with_long(self, statement: str) -> str:
        return f"with gradebook_long as ({self.sql})\n{statement}"


@dataclass
class Facts:
    """What one scan of gradebook_long tells: its distinct values, each with how many rows have it."""

    years: list[tuple] = field(default_factory=list)  # (school_year text, n)
    dates: list[tuple] = field(default_factory=list)  # (assessed_on text, n)
    marks: list[tuple] = field(default_factory=list)  # (mark, score_text, points_possible, n)
    types: list[tuple] = field(default_factory=list)  # (assessment_type, n)
    n_rows: int = 0
    n_blank_student: int = 0
    n_blank_standard: int = 0


@dataclass
class MarkLookup:
    """The distinct marks classified: a frame to join back, and what the report says about them."""

    frame: pd.DataFrame
    codes: dict[str, int] = field(default_factory=dict)  # `mark (meaning)` -> rows
    rejected: dict[str, int] = field(default_factory=dict)  # mark -> rows
    n_blank: int = 0

    @property
    def has_rejects(self) -> bool:
        return bool(self.rejected)


def adapt(con, path, options: LoadOptions) -> Staged:
    mapping = GradebookMapping.from_dict(options.resolved_mapping("gradebook"), path.name)
    scope = chosen_scope("gradebook", options, options.resolved_mapping("gradebook"), path.name)
    # A big long CSV is read from the file by each scan: no copy of ten million rows in memory.
    raw = stream_raw(con, path)
    constants = _constants(mapping, options, raw)
    if mapping.shape == "wide":
        plan = _plan_wide(con, raw, mapping, constants)
    else:
        plan = _plan_long(raw, mapping, constants)
    if mapping.shape == "wide" or plan.skip_filter != "true":
        _number_raw_lines(con, raw, plan)  # their counts need the raw rows, not the scanned ones
    notes = list(raw.notes)
    with stream_errors_refused(raw):
        n_rows = (raw.n_rows or 0) - _count_skipped(con, raw, plan, mapping, notes)
        facts = _scan_distinct_values(con, plan)
    if raw.n_rows is None:  # streamed long rows: one scanned row per row of the file
        raw.n_rows = n_rows = facts.n_rows
    marks = _mark_lookup(facts, mapping.scale)
    years, dates = _year_lookup(facts), _date_lookup(facts, mapping)
    lookups = {
        "gradebook_marks": marks.frame,
        "gradebook_years": years,
        "gradebook_dates": dates,
        "gradebook_types": _type_lookup(facts),
    }
    for table, frame in lookups.items():
        _create_from_frame(con, table, frame)
    if marks.has_rejects or _may_reject_rows(facts, years, dates, mapping):
        _number_raw_lines(con, raw, plan)  # rejects name their lines
        _stage_rejects(con, plan, facts, mapping)  # a third scan, only when the distinct values show rejects
    notes += _value_notes(con, facts, marks, plan, n_rows, mapping)
    fmt = options.file_format or ("mapping" if options.mapping else "canonical")
    staged = Staged(
        tables={}, main_table="scores", rows_read=raw.n_rows, file_format=f"{fmt} ({mapping.shape})", notes=notes
    )

    def write_scores(con, load_id: int) -> int:
        # Straight into scores: staging ten million rows first would write them twice. The
        # loader's transaction still makes the load all or nothing.
        n_written = _write_scores(con, plan, facts, mapping, load_id)
        release_raw(con, raw)
        # The evidence earlier loads wrote in the file's scope gives way to the file's (etl/replace.py).
        staged.replacement = replace_scores(con, load_id, scope)
        staged.notes += _unknown_key_notes(con, load_id)
        staged.notes.append(f"scale: {mapping.scale.describe()}")
        return n_written

    staged.writers["scores"] = write_scores
    return staged


def _number_raw_lines(con, raw: RawTable, plan: Plan) -> None:
    """Copy streamed rows into the raw table with their line numbers; the plan then reads the copy."""
    if raw.stream is None:
        return
    streamed_from = f"from {raw.from_sql} r"
    assert streamed_from in plan.sql
    number_lines(con, raw)
    plan.sql = plan.sql.replace(streamed_from, f"from {raw.from_sql} r")


# ---------------------------------------------------------------- constants and columns


def _constants(mapping: GradebookMapping, options: LoadOptions, raw: RawTable) -> dict[str, str]:
    """Values for the whole file: the command line wins over the mapping's `constants:`."""
    values = dict(mapping.constants)
    for key in ("school_year", "term", "school_id"):
        if getattr(options, key, None):
            values[key] = str(getattr(options, key))
    if "school_year" in values:
        try:
            values["school_year"] = parse_school_year(values["school_year"])
        except ValueError as error:
            raise LoadRefused(f"{raw.path.name}: {error}") from None
    return values


def _columns_found(raw: RawTable) -> str:
    shown = ", ".join(raw.headers[k] or k for k in raw.columns[:25])
    return shown + (f", ... {len(raw.columns) - 25} more" if len(raw.columns) > 25 else "")


def _resolve(
    raw: RawTable,
    mapping: GradebookMapping,
    aliases: dict,
    required: list[str],
    constants: dict,
    needs_mark: bool = False,
) -> dict[str, str]:
    """canonical -> raw key; refuses naming the file and every missing column, with the way out."""
    found = resolve_columns(raw, aliases, _first_present(raw, mapping.columns), [])
    missing = [c for c in required if c not in found and c not in constants]
    if needs_mark and "mark" not in found and "score" not in found:
        missing.append("mark (or score)")
    if "school_year" not in found and "school_year" not in constants:
        if not (mapping.school_year_from_date and "assessed_on" in found):
            missing.append("school_year")
    if missing:
        hint = (
            (
                " (for school_year: give --school-year 2025-26, or set constants: school_year or "
                "school_year_from_date: true in the format)"
            )
            if "school_year" in missing
            else ""
        )
        raise LoadRefused(
            f"{raw.path.name}: missing required column(s) {', '.join(missing)}{hint} "
            f"(columns found: {_columns_found(raw)})"
        )
    return found


def _first_present(raw: RawTable, columns: dict) -> dict[str, str]:
    """A mapping may name several headers for one column (exports differ by version): the first
    the file has wins; when it has none, the first is kept so that the refusal names it."""
    chosen = {}
    for canonical, headers in columns.items():
        options = headers if isinstance(headers, list) else [headers]
        chosen[canonical] = next((h for h in options if normalize_header(h) in raw.columns), options[0])
    return chosen


def _cell_sql(key: str, source: str, is_padded: bool = True) -> str:
    """A cell without surrounding spaces, NULL when blank. trim() costs as much as reading the file
    itself, so only the cells that start or end with a space pay for it, and in a file where the
    reader saw no such cell (is_padded false) not even the test does."""
    cell = f"{source}.{identifier(key)}"
    if not is_padded:
        return cell
    padded = f"starts_with({cell}, ' ') or ends_with({cell}, ' ')"
    return f"(case when {padded} then nullif(trim({cell}), '') else {cell} end)"


def _row_column_sql(
    canonical: str, found: dict, constants: dict, fallback: str = "null::varchar", is_padded: bool = True
) -> str:
    """One row column of gradebook_long: the file's cell, else the file-wide constant (bound)."""
    if canonical not in found:
        cell = fallback
    elif canonical in constants:
        blank = f"trim(r.{identifier(found[canonical])})" if is_padded else f"r.{identifier(found[canonical])}"
        cell = f"nullif({blank}, '')"  # a blank cell takes the constant
    elif canonical in LOOKED_UP:
        cell = f"r.{identifier(found[canonical])}"  # as written: its lookup cleans each distinct value once
    else:
        cell = _cell_sql(found[canonical], "r", is_padded)
    if canonical in found and canonical in ID_COLUMNS:
        # Excel turns the id 123 into 123.0; only cells with a dot pay for the regex.
        cell = f"(case when contains({cell}, '.') then regexp_replace({cell}, '^(\\d+)\\.0+$', '\\1') else {cell} end)"
    if canonical in constants:
        return f"coalesce({cell}, $const_{canonical}) as {canonical}"
    return f"{cell} as {canonical}"


def _skip_filter(mapping: GradebookMapping, found: dict) -> str:
    """Test students (Canvas's `Student, Test`) match on the student id or the name column."""
    tests = [
        f"trim(r.{identifier(found[c])}) in (select unnest($skip_students))"
        for c in ("student_id", "student_name")
        if c in found
    ]
    if not mapping.skip_students or not tests:
        return "true"
    return "not coalesce(" + " or ".join(tests) + ", false)"


def _plan_params(constants: dict, mapping: GradebookMapping) -> dict:
    params = {f"const_{k}": v for k, v in constants.items()}
    if mapping.skip_students:
        params["skip_students"] = mapping.skip_students
    return params


def _headers(raw: RawTable, found: dict) -> dict[str, str]:
    return {canonical: (raw.headers[key] or key).strip() for canonical, key in found.items()}


# ---------------------------------------------------------------- shapes


def _plan_long(raw: RawTable, mapping: GradebookMapping, constants: dict) -> Plan:
    found = _resolve(raw, mapping, ALIASES, ["student_id", "standard_code"], constants, needs_mark=True)
    mark_key = found.get("mark", found.get("score"))
    score_sql = f"r.{identifier(found['score'])}" if "score" in found else "null::varchar"
    headers = _headers(raw, found)
    skip = _skip_filter(mapping, found)
    # Column keys come from our own header normalization (quoted by _ident); values are bound.
    sql = f"""
        select r.line_number,
               {", ".join(_row_column_sql(c, found, constants, is_padded=raw.has_padded_cells) for c in ROW_COLUMNS)},
               {_cell_sql(found["standard_code"], "r", raw.has_padded_cells)} as standard_code,
               r.{identifier(mark_key)} as mark, {score_sql} as score_text,
               null::double as points_possible, $mark_header as source_column
        from {raw.from_sql} r
        where {skip}"""
    params = {
        **raw.params,
        **_plan_params(constants, mapping),
        "mark_header": headers.get("mark", headers.get("score")),
    }
    return Plan(sql=sql, params=params, headers=headers, skip_filter=skip, has_score="score" in found)


def _plan_wide(con, raw: RawTable, mapping: GradebookMapping, constants: dict) -> Plan:
    row_aliases = {k: v for k, v in ALIASES.items() if k in ROW_COLUMNS}
    found = _resolve(raw, mapping, row_aliases, ["student_id"], constants)
    value_keys = _value_columns(raw, mapping.wide, set(found.values()))
    if not value_keys:
        raise LoadRefused(
            f"{raw.path.name}: no columns of marks: none matched the format's wide.pattern "
            f"(columns found: {_columns_found(raw)})"
        )
    has_points = _register_wide_columns(con, raw, value_keys, mapping.wide)
    row_keys = list(dict.fromkeys(found[c] for c in ROW_COLUMNS if c in found))
    inner = ", ".join(identifier(k) for k in ["line_number", *row_keys, *value_keys])
    skip = _skip_filter(mapping, found)
    # Without a column that names the assessment, the column's header does.
    fallbacks = {"assessment_name": "c.assessment_name"}
    row_columns = ", ".join(
        _row_column_sql(c, found, constants, fallbacks.get(c, "null::varchar"), raw.has_padded_cells)
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
        params={**raw.params, **_plan_params(constants, mapping)},
        headers=_headers(raw, found),
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
            f"that the file does not have (columns found: {_columns_found(raw)})"
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
    _create_from_frame(con, "gradebook_wide_columns", frame)
    return bool(frame["points_possible"].notna().any())


def _create_from_frame(con, table: str, frame: pd.DataFrame) -> None:
    # table: one of this module's constant names, never user input.
    con.register(f"{table}_frame", frame)
    con.execute(f"create or replace temp table {table} as select * from {table}_frame")
    con.unregister(f"{table}_frame")


def _count_skipped(con, raw: RawTable, plan: Plan, mapping: GradebookMapping, notes: list[str]) -> int:
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


# ---------------------------------------------------------------- distinct values, classified once


def _scan_distinct_values(con, plan: Plan) -> Facts:
    """One scan for every distinct school year, date and mark, with their row counts."""
    rows = execute(
        con,
        plan.with_long(
            """select grouping(school_year) = 0, grouping(assessed_on) = 0, grouping(mark) = 0,
                  grouping(assessment_type) = 0,
                  school_year, assessed_on, mark, score_text, points_possible, assessment_type, count(*),
                  count(*) filter (where student_id is null), count(*) filter (where standard_code is null)
           from gradebook_long
           group by grouping sets ((school_year), (assessed_on), (mark, score_text, points_possible),
                                   (assessment_type), ())"""
        ),
        plan.params,
    ).fetchall()
    facts = Facts()
    for by_year, by_date, by_mark, by_type, year, day, mark, score_text, points, kind, n, n_no_id, n_no_code in rows:
        if by_year:
            facts.years.append((year, n))
        elif by_date:
            facts.dates.append((day, n))
        elif by_mark:
            facts.marks.append((mark, score_text, points, n))
        elif by_type:
            facts.types.append((kind, n))
        else:
            facts.n_rows, facts.n_blank_student, facts.n_blank_standard = n, n_no_id, n_no_code
    return facts


def _year_lookup(facts: Facts) -> pd.DataFrame:
    keys = pd.Series([year for year, _ in facts.years], dtype="object")
    clean, invalid = parse_school_year(keys)
    return pd.DataFrame({"key": keys, "school_year": clean.astype("object"), "is_invalid": invalid.astype(bool)})


def _date_lookup(facts: Facts, mapping: GradebookMapping) -> pd.DataFrame:
    keys = pd.Series([day for day, _ in facts.dates], dtype="object")
    parsed, invalid = parse_dates(keys, fmt=mapping.date_format)
    years = [school_year_of_date(d, mapping.school_year_start_month) if pd.notna(d) else None for d in parsed]
    return pd.DataFrame(
        {
            "key": keys,
            "assessed_on": pd.to_datetime(parsed, errors="coerce"),
            "year_from_date": pd.Series(years, dtype="object"),
            "is_invalid": invalid.astype(bool),
        }
    )


def _mark_lookup(facts: Facts, scale: Scale) -> MarkLookup:
    """Each distinct (mark, score, points possible) classified once: score, code, blank or reject."""
    records, lookup = [], MarkLookup(frame=pd.DataFrame())
    for mark, score_text, points, n in facts.marks:
        clean_mark = _clean(mark)
        status, score, reason, score_rejected = _classify(clean_mark, _clean(score_text), points, scale, lookup, n)
        records.append((mark, score_text, points, clean_mark, status, score, reason, score_rejected))
    lookup.frame = pd.DataFrame(
        records, columns=["key_mark", "key_score", "key_points", "mark", "status", "score", "reason", "score_rejected"]
    )
    lookup.frame = lookup.frame.astype(
        {
            "key_mark": "object",
            "key_score": "object",
            "key_points": "float64",
            "mark": "object",
            "status": "object",
            "score": "float64",
            "reason": "object",
            "score_rejected": "bool",
        }
    )
    return lookup


def _classify(mark, score_text, points, scale: Scale, lookup: MarkLookup, n: int):
    """(status, score, reject reason, whether the score column was the one rejected)."""
    if score_text is not None:  # a file that carries the normalized score beside its mark
        value = _as_float(score_text)
        if value is None or not 0 <= value <= 4:
            lookup.rejected[score_text] = lookup.rejected.get(score_text, 0) + n
            return "reject", None, "score is not a number from 0 to 4", True
        return "score", value, None, False
    if mark is None:
        lookup.n_blank += n
        return "blank", None, None, False
    result = scale.classify_points(mark, points)
    if result.is_rejected:
        lookup.rejected[mark] = lookup.rejected.get(mark, 0) + n
        return "reject", None, f"mark {result.reason}", False
    if not result.is_evidence:
        label = f"{mark} ({result.code})" if result.code and result.code != "not evidence" else mark
        lookup.codes[label] = lookup.codes.get(label, 0) + n
        return "code", None, None, False
    return "score", result.score, None, False


def _clean(text: str | None) -> str | None:
    """A mark as stored: without surrounding spaces, None when blank."""
    return text.strip() or None if text is not None else None


def _type_lookup(facts: Facts) -> pd.DataFrame:
    keys = [kind for kind, _ in facts.types]
    types = [ASSESSMENT_TYPES.get((_clean(kind) or "").lower()) for kind in keys]
    return pd.DataFrame({"key": pd.Series(keys, dtype="object"), "assessment_type": pd.Series(types, dtype="object")})


def _as_float(text: str) -> float | None:
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return None


# ---------------------------------------------------------------- staging and rejects


def _joins(plan: Plan, facts: Facts) -> str:
    """Join each row of gradebook_long to its classified values. A lookup of one row (one school
    year for the whole file, say) is a cross join: no hashing ten million keys to find one value."""

    def lookup(table: str, alias: str, keys: list[tuple[str, str]], n_values: int) -> str:
        if n_values == 1:
            return f"cross join {table} {alias}"
        on = " and ".join(f"g.{column} is not distinct from {alias}.{key}" for column, key in keys)
        return f"join {table} {alias} on {on}"

    mark_keys = [("mark", "key_mark")]
    mark_keys += [("score_text", "key_score")] if plan.has_score else []
    mark_keys += [("points_possible", "key_points")] if plan.has_points else []
    return "\n".join(
        [
            "from gradebook_long g",
            lookup("gradebook_years", "y", [("school_year", "key")], len(facts.years)),
            lookup("gradebook_dates", "d", [("assessed_on", "key")], len(facts.dates)),
            lookup("gradebook_marks", "k", mark_keys, len(facts.marks)),
            lookup("gradebook_types", "t", [("assessment_type", "key")], len(facts.types)),
        ]
    )


def _year_sql(mapping: GradebookMapping) -> str:
    # The row's own year (or --school-year), else, when the format allows, the year of its date.
    return "coalesce(y.school_year, d.year_from_date)" if mapping.school_year_from_date else "y.school_year"


def _write_scores(con, plan: Plan, facts: Facts, mapping: GradebookMapping, load_id: int) -> int:
    """Insert the rows that pass every check into scores; returns how many."""
    # DuckDB guesses a few dozen rows for a CSV it has not read yet, and then hashes the ten
    # million file rows to probe them with the lookups (3 GB, and twice as slow). Written in order,
    # every join hashes its small lookup table.
    previous = _setting(con, "disabled_optimizers")
    optimizers = ",".join(filter(None, [previous, "join_order", "build_side_probe_side"]))
    keep_order = facts.n_rows < UNORDERED_FROM_ROWS
    with _set(con, "disabled_optimizers", optimizers), _set(con, "preserve_insertion_order", keep_order):
        return _insert_scores(con, plan, facts, mapping, load_id)


def _setting(con, name: str):
    return con.execute("select current_setting($name)", {"name": name}).fetchall()[0][0]


@contextmanager
def _set(con, name: str, value) -> Iterator[None]:
    """A DuckDB setting for the statements inside, then back as it was (name: our own constant)."""
    previous = _setting(con, name)
    con.execute(f"set {name} = $value", {"value": value})
    try:
        yield
    finally:
        con.execute(f"set {name} = $value", {"value": previous})


def _insert_scores(con, plan: Plan, facts: Facts, mapping: GradebookMapping, load_id: int) -> int:
    columns = ", ".join(SCORE_COLUMNS + ["load_id"])
    return execute(
        con,
        f"insert into scores ({columns})\n"
        + plan.with_long(f"""
        select g.student_id, {_year_sql(mapping)} as school_year, g.term, d.assessed_on::date as assessed_on,
               g.school_id, g.course_id, g.section_id, g.teacher_id, g.standard_code, k.score, k.mark,
               t.assessment_type, g.assessment_name, $load_id
        {_joins(plan, facts)}
        where g.student_id is not null and g.standard_code is not null and not y.is_invalid
          and not d.is_invalid and {_year_sql(mapping)} is not null and k.status in ('score', 'code')"""),
        {**plan.params, "load_id": load_id},
    ).fetchall()[0][0]


def _may_reject_rows(facts: Facts, years: pd.DataFrame, dates: pd.DataFrame, mapping: GradebookMapping) -> bool:
    """Whether any row fails a check other than its mark, judged from the distinct values alone."""
    if facts.n_blank_student or facts.n_blank_standard or years["is_invalid"].any() or dates["is_invalid"].any():
        return True
    if not years["school_year"].isna().any():
        return False
    # Some rows have no year of their own: only their date can give it.
    return not mapping.school_year_from_date or dates["year_from_date"].isna().any()


def _stage_rejects(con, plan: Plan, facts: Facts, mapping: GradebookMapping) -> None:
    """Every row that is neither staged nor blank, with the first check it fails, into load_rejects:
    its line, the column as the file names it, the value as the file wrote it, and the reason."""
    headers = {
        f"header_{c}": plan.headers.get(c, c)
        for c in ("student_id", "standard_code", "school_year", "assessed_on", "score")
    }
    date_reason = "date is not a date" + (f" like {mapping.date_format}" if mapping.date_format else "")
    params = {**plan.params, **headers, "date_reason": date_reason}
    execute(
        con,
        "insert into load_rejects\n"
        + plan.with_long(f"""
        , checked as (
            select g.line_number, g.school_year, g.assessed_on, g.mark, g.score_text, g.source_column,
                   k.reason as mark_reason,
                   case when g.student_id is null then 'student_id'
                        when g.standard_code is null then 'standard_code'
                        when y.is_invalid then 'school_year'
                        when d.is_invalid then 'assessed_on'
                        when {_year_sql(mapping)} is null then 'no_school_year'
                        when k.status = 'reject' then case when k.score_rejected then 'score' else 'mark' end
                   end as failed
            {_joins(plan, facts)})
        select line_number,
               case failed when 'student_id' then $header_student_id
                           when 'standard_code' then $header_standard_code
                           when 'school_year' then $header_school_year
                           when 'no_school_year' then $header_school_year
                           when 'assessed_on' then $header_assessed_on
                           when 'score' then $header_score
                           else source_column end,
               case failed when 'school_year' then school_year when 'no_school_year' then school_year
                           when 'assessed_on' then assessed_on when 'score' then score_text
                           when 'mark' then mark end,
               case failed when 'student_id' then 'student id is blank'
                           when 'standard_code' then 'standard code is blank'
                           when 'school_year' then 'school year is not like 2025-26'
                           when 'no_school_year' then 'school year is missing (give --school-year 2025-26)'
                           when 'assessed_on' then $date_reason
                           else mark_reason end
        from checked where failed is not null"""),
        params,
    )


# ---------------------------------------------------------------- what the report says


def _value_notes(con, facts: Facts, marks: MarkLookup, plan: Plan, n_rows: int, mapping: GradebookMapping) -> list[str]:
    notes = [f"wide: {plan.value_columns} columns of marks x {n_rows} rows"] if plan.value_columns else []
    blanks = marks.n_blank + (n_rows * plan.value_columns - facts.n_rows if plan.value_columns else 0)
    if blanks:
        notes.append(f"{blanks} blank cell(s) are no evidence and were passed over")
    if marks.codes:
        notes.append(
            f"{sum(marks.codes.values())} mark(s) are codes, not evidence (stored with their mark and a "
            f"NULL score, counted, never averaged): {_top(marks.codes)}"
        )
    if marks.rejected:
        notes.append(f"{sum(marks.rejected.values())} mark(s) not on the scale were rejected: {_top(marks.rejected)}")
    unknown_types = {_clean(t): n for t, n in facts.types if _clean(t) and _clean(t).lower() not in ASSESSMENT_TYPES}
    if unknown_types:
        notes.append(f"assessment types other than formative/summative were left blank: {_top(unknown_types)}")
    if mapping.school_year_from_date:
        notes += _years_from_dates_note(con)
    return notes


def _years_from_dates_note(con) -> list[str]:
    years = con.execute(
        "select list(distinct d.year_from_date order by d.year_from_date) from gradebook_years y, gradebook_dates d "
        "where y.school_year is null and d.year_from_date is not null"
    ).fetchall()[0][0]
    if not years:
        return []
    return [
        f"school year taken from each score's date (a school year starts in the month set in the format, "
        f"August unless told): {', '.join(years)}"
    ]


def _top(counts: dict[str, int], limit: int = 8) -> str:
    ordered = sorted(counts.items(), key=lambda item: (-item[1], str(item[0])))
    shown = ", ".join(f"'{mark}' x{n}" for mark, n in ordered[:limit])
    return shown + (f", ... {len(ordered) - limit} more" if len(ordered) > limit else "")


def _unknown_key_notes(con, load_id: int) -> list[str]:
    """Scores for students or standards the warehouse does not know yet: loaded, and said so."""
    # Grouped before the joins: a hundred thousand ids to look up instead of ten million rows.
    n_student_scores, n_students, n_code_scores, n_codes = con.execute(
        """with loaded as (select student_id, standard_code, count(*) as n from scores where load_id = $load_id
                           group by grouping sets ((student_id), (standard_code)))
           select coalesce(sum(n) filter (where l.student_id is not null and st.student_id is null), 0),
                  count(*) filter (where l.student_id is not null and st.student_id is null),
                  coalesce(sum(n) filter (where l.standard_code is not null and sd.standard_code is null), 0),
                  count(*) filter (where l.standard_code is not null and sd.standard_code is null)
           from loaded l
           left join students st on st.student_id = l.student_id
           left join standards sd on sd.standard_code = l.standard_code""",
        {"load_id": load_id},
    ).fetchall()[0]
    notes = []
    if n_student_scores:
        notes.append(
            f"{n_student_scores} score(s) for {n_students} student id(s) not in any roster yet "
            "(loaded; they count once a roster names them)"
        )
    if n_code_scores:
        examples = [
            code
            for (code,) in con.execute(
                "select distinct standard_code from scores anti join standards using (standard_code) "
                "where load_id = $load_id order by standard_code limit 5",
                {"load_id": load_id},
            ).fetchall()
        ]
        more = f", ... {n_codes - 5} more" if n_codes > 5 else ""
        notes.append(
            f"{n_code_scores} score(s) on {n_codes} standard code(s) not in the continuum "
            f"(loaded; e.g. {', '.join(examples)}{more})"
        )
    return notes
