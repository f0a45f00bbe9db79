"""Implementation ratings: each school's stage (Exploring .. Breakthrough) by year and domain."""

from __future__ import annotations

from etl.adapters.common import LoadOptions, Staged, reject_rows, resolve_columns
from etl.readers import read_raw

STAGES = ["Exploring", "Emerging", "Proficient", "Breakthrough"]
ALIASES = {
    "school_id": ["school", "school_code"],
    "school_year": ["year", "schoolyear"],
    "domain": ["dimension", "area", "component"],
    "stage": ["rating", "level", "implementation_stage"],
}


def adapt(con, path, options: LoadOptions) -> Staged:
    raw = read_raw(con, path)
    found = resolve_columns(
        raw, ALIASES, options.resolved_mapping("rubric").get("columns"), ["school_id", "school_year", "domain", "stage"]
    )
    con.execute(
        f"""create or replace temp table staged_ratings as
        select line_number, trim("{found["school_id"]}") as school_id, trim("{found["school_year"]}") as school_year,
               lower(trim("{found["domain"]}")) as domain,
               (select s from unnest($stages) t(s) where lower(s) = lower(trim("{found["stage"]}"))) as stage,
               "{found["stage"]}" as stage_text
        from {raw.name}""",
        {"stages": STAGES},
    )
    t = "staged_ratings"
    reject_rows(con, t, "school_id is null", "school_id", "school_id", "school id is blank")
    reject_rows(
        con,
        t,
        "school_year is null or not regexp_full_match(school_year, '\\d{4}-\\d{2}')",
        "school_year",
        "school_year",
        "school year is not like 2025-26",
    )
    reject_rows(
        con, t, "stage is null", "stage", "stage_text", "stage is not Exploring, Emerging, Proficient or Breakthrough"
    )
    con.execute("""create or replace temp table staged_ratings as
                   select school_id, school_year, domain, stage from staged_ratings
                   qualify row_number() over (partition by school_id, school_year, domain order by line_number desc) = 1""")
    return Staged(
        {"implementation_ratings": ("staged_ratings", "replace")},
        "implementation_ratings",
        raw.n_rows,
        "csv",
        list(raw.notes),
    )
