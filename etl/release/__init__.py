"""The public release: the one fixed publication the board audience reads (docs/privacy.md).

Rebuilt with the marts for every data version (etl/marts/__init__.py calls `rebuild`), inside the load's transaction:
  release_proficiency  percent proficient by school year x content area x scope (district, school) x grouping,
                       suppressed jointly (etl/release/pattern.py) and audited by whole-number programmes
  release_survey       staff survey constructs by wave x scope x role (etl/release/surveys.py)
  release_coverage     grade-level standards assessed, district-wide (standards, no student counts)
  release_never_assessed  grade-level standards no student in the district was assessed on
  release_info         what was published and what was hidden, for the methods slide and the note
Every board-audience query (queries/release/*.sql) reads only these tables.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl.release import students, surveys
from warehouse.config import district_config

SQL_DIR = Path(__file__).with_name("sql")
TABLES = (
    "release_proficiency",
    "release_proficiency_cells",
    "release_survey",
    "release_coverage",
    "release_never_assessed",
    "release_info",
)


def rebuild(con) -> dict:
    """Every release table from the marts, in the caller's transaction; returns counts of released and hidden
    cells."""
    config = district_config()
    atoms = students.read_atoms(con, config.calculation_method, config.proficiency_cut)
    previous = _previous(con, "release_proficiency_cells", config.calculation_method)
    cells = students.release(atoms.assign(cut=config.proficiency_cut), previous)
    cells["method"] = config.calculation_method
    _write(con, "release_proficiency_cells", cells)
    con.execute((SQL_DIR / "release_proficiency.sql").read_text())
    con.execute((SQL_DIR / "release_macros.sql").read_text())
    survey_cells = surveys.release(con, _previous(con, "release_survey"))
    _write(con, "release_survey", survey_cells)
    _standards(con)
    summary = _summary(cells, survey_cells)
    _write(con, "release_info", pd.DataFrame([{"key": k, "value": str(v)} for k, v in summary.items()]))
    return summary


def _previous(con, table: str, method: str | None = None) -> pd.DataFrame | None:
    """The last build's cells, when the warehouse has them (and they were built with this method)."""
    exists = con.execute("select count(*) from duckdb_tables() where table_name = $t", {"t": table}).fetchall()[0][0]
    if not exists:
        return None
    frame = con.execute(f"select * from {_ours(table)}").df()
    if method is not None and "method" in frame and not frame.empty and (frame["method"] != method).any():
        return None
    return frame


def _ours(table: str) -> str:
    """A release table's name, the only identifier spliced into this module's SQL (never data)."""
    if table not in TABLES:
        raise ValueError(f"not a release table: {table}")
    return table


def _write(con, table: str, frame: pd.DataFrame) -> None:
    relation = f"{table}_frame"
    con.register(relation, frame)
    try:
        con.execute(f"create or replace table {_ours(table)} as select * from {relation}")
    finally:
        con.unregister(relation)


def _standards(con) -> None:
    """Coverage and never-assessed standards, district-wide: figures about standards, with no count of
    students (the enrolment per grade is left out: it is not part of any public view)."""
    from queries.runner import run_raw

    years = [
        r[0] for r in con.execute("select distinct school_year from mart_content_area_scores order by 1").fetchall()
    ]
    coverage, never = [], []
    for year in years:
        frame = run_raw(con, "continuum_coverage", {"school_year": year, "by": "district"}, in_transaction=True)
        coverage.append(
            frame[
                [
                    "school_year",
                    "grade_level",
                    "content_area",
                    "continuum_level",
                    "n_standards",
                    "n_assessed",
                    "n_sufficient",
                    "pct_standards_assessed",
                    "pct_standards_sufficient",
                    "min_evidence",
                ]
            ]
        )
        never.append(run_raw(con, "never_assessed", {"school_year": year, "by": "district"}, in_transaction=True))
    _write(
        con,
        "release_coverage",
        _concat(
            coverage,
            [
                "school_year",
                "grade_level",
                "content_area",
                "continuum_level",
                "n_standards",
                "n_assessed",
                "n_sufficient",
                "pct_standards_assessed",
                "pct_standards_sufficient",
                "min_evidence",
            ],
        ),
    )
    _write(
        con,
        "release_never_assessed",
        _concat(
            never,
            [
                "school_year",
                "school_id",
                "school_name",
                "content_area",
                "continuum_level",
                "grade_levels",
                "course_id",
                "teacher_id",
                "standard_code",
                "strand",
                "description",
                "last_assessed_year",
            ],
        ),
    )


def _concat(frames: list, columns: list) -> pd.DataFrame:
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    return pd.concat(frames, ignore_index=True)[columns]


def _summary(cells: pd.DataFrame, survey_cells: pd.DataFrame) -> dict:
    counts = cells["status"].value_counts()
    survey_counts = survey_cells["status"].value_counts() if not survey_cells.empty else pd.Series(dtype=int)
    return {
        "student_cells": len(cells),
        **{f"student_cells_{s}": int(counts.get(s, 0)) for s in students.STATUSES},
        "survey_cells": len(survey_cells),
        **{f"survey_cells_{s}": int(survey_counts.get(s, 0)) for s in students.STATUSES},
    }
