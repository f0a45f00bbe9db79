"""What the load report says about the file: marks not on the scale, years taken from dates, unknown keys."""

from __future__ import annotations

from etl.adapters.gradebook.mapping import ASSESSMENT_TYPES, Facts, GradebookMapping, MarkLookup, Plan
from etl.adapters.gradebook.values import clean_or_none


def value_notes(con, facts: Facts, marks: MarkLookup, plan: Plan, n_rows: int, mapping: GradebookMapping) -> list[str]:
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
    unknown_types = {
        clean_or_none(t): n
        for t, n in facts.types
        if clean_or_none(t) and clean_or_none(t).lower() not in ASSESSMENT_TYPES
    }
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


def unknown_key_notes(con, load_id: int) -> list[str]:
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
