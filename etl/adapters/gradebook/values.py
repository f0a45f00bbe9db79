"""Every distinct school year, date, assessment type and mark of the file, classified once in Python (a
mark through the scale), then joined back to the rows in DuckDB."""

from __future__ import annotations

import pandas as pd

from etl.adapters.gradebook.mapping import ASSESSMENT_TYPES, Facts, GradebookMapping, MarkLookup, Plan
from etl.normalize import parse_dates, parse_school_year
from etl.scales import Scale
from warehouse import execute
from warehouse.school_years import school_year_of_date


def scan_distinct_values(con, plan: Plan) -> Facts:
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


def year_lookup(facts: Facts) -> pd.DataFrame:
    keys = pd.Series([year for year, _ in facts.years], dtype="object")
    clean, invalid = parse_school_year(keys)
    return pd.DataFrame({"key": keys, "school_year": clean.astype("object"), "is_invalid": invalid.astype(bool)})


def date_lookup(facts: Facts, mapping: GradebookMapping) -> pd.DataFrame:
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


def mark_lookup(facts: Facts, scale: Scale) -> MarkLookup:
    """Each distinct (mark, score, points possible) classified once: score, code, blank or reject."""
    records, lookup = [], MarkLookup(frame=pd.DataFrame())
    for mark, score_text, points, n in facts.marks:
        clean_mark = clean_or_none(mark)
        status, score, reason, score_rejected = _classify(
            clean_mark, clean_or_none(score_text), points, scale, lookup, n
        )
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


def clean_or_none(text: str | None) -> str | None:
    """A mark as stored: without surrounding spaces, None when blank."""
    return text.strip() or None if text is not None else None


def type_lookup(facts: Facts) -> pd.DataFrame:
    keys = [kind for kind, _ in facts.types]
    types = [ASSESSMENT_TYPES.get((clean_or_none(kind) or "").lower()) for kind in keys]
    return pd.DataFrame({"key": pd.Series(keys, dtype="object"), "assessment_type": pd.Series(types, dtype="object")})


def _as_float(text: str) -> float | None:
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return None
