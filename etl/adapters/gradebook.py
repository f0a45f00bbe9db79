"""Gradebooks, long (a row per student x standard x assessment) or wide (a column per standard).

The bulk work is SQL over the raw table, because gradebooks are the big files. Marks, dates and
school years have few distinct values, so those are classified once per distinct value in Python
and joined back.
"""
from __future__ import annotations

import re

import pandas as pd

from etl.adapters.common import LoadOptions, Staged, constant, reject_rows, resolve_columns
from etl.errors import LoadRefused
from etl.normalize import normalize_header, parse_dates, parse_school_year
from etl.readers import RawTable, read_raw
from etl.scales import Scale, default_scale, scale_from_config
from etl.warehouse import execute

SCORE_COLUMNS = [
    "student_id", "school_year", "term", "assessed_on", "school_id", "course_id", "section_id",
    "teacher_id", "standard_code", "score", "mark", "assessment_type", "assessment_name",
]
ALIASES = {
    "student_id": ["student_number", "studentid", "sis_id", "local_id", "student"],
    "school_year": ["year", "schoolyear", "academic_year"],
    "term": ["marking_period", "grading_period", "semester", "quarter"],
    "assessed_on": ["date", "assessment_date", "given_on", "scored_on", "date_assessed"],
    "school_id": ["school", "school_code", "building_id"],
    "course_id": ["course", "course_code"],
    "section_id": ["section", "class_id", "section_code"],
    "teacher_id": ["teacher", "staff_id"],
    "standard_code": ["standard", "standard_id", "standard_name", "learning_target", "competency"],
    "score": [],
    "mark": ["grade", "rating", "proficiency", "level"],
    "assessment_type": ["type", "assessment_kind"],
    "assessment_name": ["assessment", "assignment", "title", "assessment_title"],
}
ASSESSMENT_TYPES = {"formative": "formative", "summative": "summative", "f": "formative", "s": "summative"}


def adapt(con, path, options: LoadOptions) -> Staged:
    raw = read_raw(con, path)
    mapping = options.resolved_mapping("gradebook")
    shape = mapping.get("shape") or "long"
    scale = scale_from_config(mapping["scale"]) if mapping.get("scale") else default_scale()
    notes = list(raw.notes)
    if shape == "wide":
        _stage_wide(con, raw, mapping, options, notes)
    elif shape == "long":
        _stage_long(con, raw, mapping, options)
    else:
        raise LoadRefused(f"{raw.path.name}: mapping 'shape' must be long or wide, not '{shape}'")
    _skip_listed_students(con, mapping, notes)
    _validate_and_score(con, raw, mapping, scale, notes)
    _report_unknown_keys(con, notes)
    fmt = options.file_format or ("mapping" if options.mapping else "canonical")
    notes.append(f"scale: {scale.describe()}")
    return Staged(
        tables={"scores": ("staged_scores", "append")}, main_table="scores",
        rows_read=raw.n_rows, file_format=f"{fmt} ({shape})", notes=notes,
    )


# ---------------------------------------------------------------- shapes


def _stage_long(con, raw: RawTable, mapping: dict, options: LoadOptions) -> None:
    constants = _constants(mapping, options)
    mark_required = [] if _has_score_or_mark(raw, mapping) else ["mark"]
    found = resolve_columns(
        raw, ALIASES, mapping.get("columns"), ["student_id", "standard_code", "school_year"] + mark_required,
        constants,
    )
    if "mark" not in found and "score" not in found:
        raise LoadRefused(f"{raw.path.name}: missing required column mark or score")
    select = [_column_sql(c, found, constants) for c in SCORE_COLUMNS if c != "score"]
    score_sql = f'"{found["score"]}"' if "score" in found else "null"
    mark_sql = f'"{found["mark"]}"' if "mark" in found else score_sql
    # Column keys come from our own header normalization; values are bound below.
    execute(
        con,
        f"""create or replace temp table gradebook_long as
        select line_number, {", ".join(s for s in select if not s.endswith(' as mark'))},
               {mark_sql} as mark, {score_sql} as score_text
        from {raw.name}""",
        constants,
    )


def _stage_wide(con, raw: RawTable, mapping: dict, options: LoadOptions, notes: list[str]) -> None:
    constants = _constants(mapping, options)
    wide = mapping.get("wide") or {}
    value_keys = _standard_columns(raw, wide)
    if not value_keys:
        raise LoadRefused(f"{raw.path.name}: no standard columns matched the mapping's wide.pattern")
    id_aliases = {k: v for k, v in ALIASES.items() if k not in ("standard_code", "mark", "score")}
    found = resolve_columns(raw, id_aliases, mapping.get("columns"), ["student_id", "school_year"], constants)
    found = {k: v for k, v in found.items() if v not in value_keys}
    codes = pd.DataFrame({
        "value_column": value_keys,
        "standard_code": [_code_from_header(raw.headers[k], wide) for k in value_keys],
        "points_possible": [_points_possible(raw, k) for k in value_keys],
    })
    con.register("wide_codes_frame", codes)
    con.execute("create or replace temp table wide_codes as select * from wide_codes_frame")
    con.unregister("wide_codes_frame")
    select = [_column_sql(c, found, constants) for c in SCORE_COLUMNS if c not in ("standard_code", "mark", "score")]
    on_list = ", ".join(f'"{k}"' for k in value_keys)
    execute(
        con,
        f"""create or replace temp table gradebook_long as
        with melted as (
            unpivot (select * from {raw.name}) on {on_list} into name value_column value mark
        )
        select m.line_number, {", ".join(select)}, c.standard_code, m.mark, null::varchar as score_text,
               c.points_possible
        from melted m join wide_codes c using (value_column)""",
        constants,
    )
    notes.append(f"wide: {len(value_keys)} standard columns")


def _standard_columns(raw: RawTable, wide: dict) -> list[str]:
    listed = [normalize_header(c) for c in wide.get("columns", [])]
    pattern = re.compile(wide["pattern"]) if wide.get("pattern") else None
    exclude = re.compile(wide["exclude_pattern"]) if wide.get("exclude_pattern") else None
    keys = []
    for key in raw.columns:
        header = raw.headers[key]
        if listed and key not in listed:
            continue
        if pattern and not pattern.search(header):
            continue
        if exclude and exclude.search(header):
            continue
        if not listed and not pattern:
            continue
        if (_points_cell(raw, key) or "").strip().lower() == "(read only)":
            continue  # computed totals, not evidence
        keys.append(key)
    return keys


def _points_cell(raw: RawTable, key: str) -> str | None:
    index = raw.columns.index(key)
    for row in raw.header_rows[1:]:
        if len(row) > index and re.search(r"\d|read only", row[index] or ""):
            return row[index]
    return None


def _points_possible(raw: RawTable, key: str) -> float | None:
    try:
        return float(_points_cell(raw, key))
    except (TypeError, ValueError):
        return None


def _code_from_header(header: str, wide: dict) -> str:
    code = re.sub(r"\s*\(\d+\)\s*$", "", " ".join(header.split()))
    return f"{wide.get('code_prefix', '')}{code}"


def _has_score_or_mark(raw: RawTable, mapping: dict) -> bool:
    columns = mapping.get("columns") or {}
    if "score" in columns or "mark" in columns:
        return True
    names = ["score", "mark", *ALIASES["mark"]]
    return any(normalize_header(n) in raw.columns for n in names)


def _constants(mapping: dict, options: LoadOptions) -> dict:
    values = {}
    for key in ("school_year", "term", "school_id", "course_id", "section_id", "teacher_id", "assessment_type"):
        value = constant(getattr(options, key, None), mapping, key)
        if value is not None:
            values[key] = str(value)
    return values


def _column_sql(canonical: str, found: dict, constants: dict) -> str:
    if canonical in found:
        source = f'trim("{found[canonical]}")'
        if canonical in constants:
            return f"coalesce({source}, ${canonical}) as {canonical}"
        return f"{source} as {canonical}"
    if canonical in constants:
        return f"${canonical}::varchar as {canonical}"
    return f"null::varchar as {canonical}"


# ---------------------------------------------------------------- validation and scoring


def _skip_listed_students(con, mapping: dict, notes: list[str]) -> None:
    skip = [str(s) for s in mapping.get("skip_students", [])]
    if not skip:
        return
    n = con.execute(
        "select count(distinct line_number) from gradebook_long where student_id in (select unnest($ids))",
        {"ids": skip},
    ).fetchone()[0]
    con.execute("delete from gradebook_long where student_id in (select unnest($ids))", {"ids": skip})
    if n:
        notes.append(f"skipped {n} row(s) of test students listed in the format ({', '.join(skip)})")


def _validate_and_score(con, raw: RawTable, mapping: dict, scale: Scale, notes: list[str]) -> None:
    blanks = con.execute("select count(*) from gradebook_long where nullif(trim(mark), '') is null "
                         "and nullif(trim(score_text), '') is null").fetchone()[0]
    con.execute("delete from gradebook_long where nullif(trim(mark), '') is null and nullif(trim(score_text), '') is null")
    if blanks:
        notes.append(f"{blanks} blank cells are not evidence and were passed over")
    t = "gradebook_long"
    reject_rows(con, t, "student_id is null or student_id = ''", "student_id", "student_id", "student id is blank")
    reject_rows(con, t, "standard_code is null or standard_code = ''", "standard_code", "standard_code",
                "standard code is blank")
    _join_lookup(con, "school_year", _school_year_lookup(con))
    reject_rows(con, t, "school_year_clean is null", "school_year", "school_year",
                "school year is missing or not like 2025-26")
    _join_lookup(con, "assessed_on", _date_lookup(con, mapping.get("date_format")))
    reject_rows(con, t, "assessed_on is not null and assessed_on_clean is null", "assessed_on", "assessed_on",
                "date is not a date")
    _join_lookup(con, "mark", _mark_lookup(con, scale, has_points="points_possible" in _columns(con, t)))
    _score_explicit(con)
    reject_rows(con, t, "mark_reason is not null", "mark", "mark", "mark is not on the scale")
    con.execute(
        """create or replace temp table staged_scores as
        select student_id, school_year_clean as school_year, term, assessed_on_clean as assessed_on,
               school_id, course_id, section_id, teacher_id, standard_code,
               score_value as score, mark, assessment_type_clean as assessment_type, assessment_name
        from (select *, case lower(trim(assessment_type))
                 when 'formative' then 'formative' when 'summative' then 'summative'
                 when 'f' then 'formative' when 's' then 'summative' else null end as assessment_type_clean
              from gradebook_long)"""
    )


def _columns(con, table: str) -> list[str]:
    return [r[0] for r in con.execute(f"describe {table}").fetchall()]


def _join_lookup(con, column: str, lookup: pd.DataFrame) -> None:
    """Add `<column>_clean` (and extra lookup columns) by joining a distinct-value lookup."""
    con.register("lookup_frame", lookup)
    keys = [c for c in lookup.columns if c.startswith("key_")]
    extra = [c for c in lookup.columns if not c.startswith("key_")]
    on = " and ".join(f"g.{k[4:]} is not distinct from l.{k}" for k in keys)
    con.execute(
        f"""create or replace temp table gradebook_long as
        select g.*, {", ".join("l." + c for c in extra)}
        from gradebook_long g left join lookup_frame l on {on}"""
    )
    con.unregister("lookup_frame")


def _school_year_lookup(con) -> pd.DataFrame:
    values = pd.Series([r[0] for r in con.execute("select distinct school_year from gradebook_long").fetchall()],
                       dtype="object")
    clean, invalid = parse_school_year(values)
    clean = clean.where(~invalid, None)
    return pd.DataFrame({"key_school_year": values, "school_year_clean": clean.astype("object")})


def _date_lookup(con, date_format: str | None) -> pd.DataFrame:
    values = pd.Series([r[0] for r in con.execute("select distinct assessed_on from gradebook_long").fetchall()],
                       dtype="object")
    parsed, _invalid = parse_dates(values, fmt=date_format)
    parsed = pd.to_datetime(parsed, errors="coerce")
    return pd.DataFrame({"key_assessed_on": values, "assessed_on_clean": parsed})


def _mark_lookup(con, scale: Scale, has_points: bool) -> pd.DataFrame:
    if has_points:
        rows = con.execute("select distinct mark, points_possible from gradebook_long").fetchall()
    else:
        rows = [(m, None) for (m,) in con.execute("select distinct mark from gradebook_long").fetchall()]
    marks, points, scores, evidence, reasons = [], [], [], [], []
    for mark, possible in rows:
        text = "" if mark is None else str(mark)
        if possible and scale.kind == "chart" and _is_number(text):
            text = f"{float(text) / possible * 100:.6f}"  # a chart on percent of points possible
        result = scale.classify(text) if text.strip() else None
        marks.append(mark)
        points.append(possible)
        scores.append(result.score if result else None)
        evidence.append(result.is_evidence if result else False)
        reasons.append(result.reason if result else None)
    frame = pd.DataFrame({"key_mark": pd.Series(marks, dtype="object"), "score_value": pd.Series(scores, dtype="float64"),
                          "is_evidence": evidence, "mark_reason": pd.Series(reasons, dtype="object")})
    if has_points:
        frame.insert(1, "key_points_possible", pd.Series(points, dtype="float64"))
    return frame


def _score_explicit(con) -> None:
    """A file that carries a normalized `score` beside its mark: the score wins, if it is 0-4."""
    con.execute(
        """update gradebook_long set
             score_value = try_cast(replace(trim(score_text), ',', '.') as double),
             mark_reason = case
                 when try_cast(replace(trim(score_text), ',', '.') as double) between 0 and 4 then null
                 else 'score is not a number from 0 to 4' end
           where nullif(trim(score_text), '') is not null"""
    )


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def _report_unknown_keys(con, notes: list[str]) -> None:
    unknown_students = con.execute(
        "select count(*), count(distinct student_id) from staged_scores "
        "where student_id not in (select student_id from students)"
    ).fetchone()
    if unknown_students[0]:
        notes.append(f"{unknown_students[0]} scores for {unknown_students[1]} student id(s) not in any roster yet "
                     "(loaded; they count once a roster names them)")
    unknown_codes = con.execute(
        "select count(*), list(distinct standard_code order by standard_code)[1:5] from staged_scores "
        "where standard_code not in (select standard_code from standards)"
    ).fetchone()
    if unknown_codes[0]:
        notes.append(f"{unknown_codes[0]} scores on standard codes not in the continuum "
                     f"(loaded; e.g. {', '.join(unknown_codes[1])})")
