"""Scores staged into the warehouse in one statement, and the rows that cannot be scores kept as rejects with
their reason."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pandas as pd

from etl.adapters.gradebook.mapping import SCORE_COLUMNS, UNORDERED_FROM_ROWS, Facts, GradebookMapping, Plan
from warehouse import execute


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


def write_score_rows(con, plan: Plan, facts: Facts, mapping: GradebookMapping, load_id: int) -> int:
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


def may_reject_rows(facts: Facts, years: pd.DataFrame, dates: pd.DataFrame, mapping: GradebookMapping) -> bool:
    """Whether any row fails a check other than its mark, judged from the distinct values alone."""
    if facts.n_blank_student or facts.n_blank_standard or years["is_invalid"].any() or dates["is_invalid"].any():
        return True
    if not years["school_year"].isna().any():
        return False
    # Some rows have no year of their own: only their date can give it.
    return not mapping.school_year_from_date or dates["year_from_date"].isna().any()


def stage_rejects(con, plan: Plan, facts: Facts, mapping: GradebookMapping) -> None:
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
