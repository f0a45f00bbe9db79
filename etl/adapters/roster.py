"""Student rosters: one row per student (x school year), with demographics and program flags.

Only the columns below are ever read from a roster; anything else in the file (passwords, e-mail,
birth dates) never reaches the warehouse.
"""

from __future__ import annotations

import pandas as pd

from etl.adapters.common import LoadOptions, Staged, constant, reject_frame, resolve_columns
from etl.errors import LoadRefused
from etl.normalize import (
    FLAG_ACCEPTED,
    map_race_ethnicity,
    normalize_gender,
    normalize_student_ids,
    parse_flags,
    parse_grade_levels,
    parse_school_year,
    unrecognized_flags,
)
from etl.readers import read_raw
from etl.replace import chosen_scope, replace_enrollments
from etl.vocabulary import column_aliases
from warehouse.sql_names import identifier

ALIASES = column_aliases(
    "roster",
    {
        "student_id": ["sis_id", "student_sis_id", "studentid", "local_id", "student_number", "student_no", "id"],
        "school_id": ["school_sis_id", "school", "school_code", "building_id", "school_number"],
        "school_year": ["year", "schoolyear", "academic_year"],
        "grade_level": ["grade", "grade_lvl", "gradelevel", "current_grade"],
        "gender": ["sex", "gender_identity"],
        "race_ethnicity": ["federalracecategory", "federal_race_category", "race", "ethnicity", "race_ethnicity_code"],
        "is_ell": ["ell", "ellstatus", "ell_status", "lep", "english_learner", "is_english_learner", "el"],
        "is_iep": ["iep", "specialeducation", "special_education", "sped", "swd", "has_iep"],
        "is_504": ["504", "section_504", "has_504", "plan_504"],
        "is_econ_disadv": [
            "lowincome",
            "low_income",
            "frl",
            "econ_disadv",
            "economically_disadvantaged",
            "free_reduced_lunch",
            "frpl",
        ],
        "last_name": ["lastname", "lname", "surname", "family_name"],
        "first_name": ["firstname", "fname", "given_name"],
        "school_name": [],
        "school_level": [],
    },
)  # and the field's names: etl/vocabulary/columns.yaml
FLAGS = ["is_ell", "is_iep", "is_504", "is_econ_disadv"]


def adapt(con, path, options: LoadOptions) -> Staged:
    raw = read_raw(con, path)
    mapping = options.resolved_mapping("roster")
    year = constant(options.school_year, mapping, "school_year")
    found = resolve_columns(
        raw,
        ALIASES,
        mapping.get("columns"),
        ["student_id", "school_id", "grade_level"],
        {"school_id": constant(options.school_id, mapping, "school_id")},
    )
    if "school_year" not in found and not year:
        raise LoadRefused(
            f"{raw.path.name}: no school year: add a school_year column, "
            "or give --school-year 2025-26 (or constants: school_year in the mapping)"
        )
    select = ", ".join(f"{identifier(key)} as {canonical}" for canonical, key in found.items())
    frame = con.execute(f"select line_number, {select} from {raw.name}").df()  # keys: our own names
    notes = list(raw.notes)
    frame, rejects = _normalize(frame, year, constant(options.school_id, mapping, "school_id"), notes)
    reject_frame(con, rejects)
    _stage(con, frame, found, notes)
    scope = chosen_scope("roster", options, mapping, raw.path.name)
    return Staged(
        tables=_targets(found),
        main_table="enrollments",
        rows_read=raw.n_rows,
        file_format=options.file_format or ("mapping" if options.mapping else "canonical"),
        notes=notes,
        # The enrollments of the roster's school years and schools give way to its own (etl/replace.py).
        replace={"enrollments": lambda con: replace_enrollments(con, "staged_enrollments", scope)},
    )


def _normalize(frame: pd.DataFrame, year: str | None, school_id: str | None, notes: list[str]):
    rejects: list[pd.DataFrame] = []
    original = frame.copy()  # rejects report the value as the file wrote it
    frame = frame.copy()
    frame["student_id"] = normalize_student_ids(frame["student_id"])
    if "school_year" not in frame:
        frame["school_year"] = year
    frame["school_year"] = frame["school_year"].fillna(year) if year else frame["school_year"]
    if school_id:
        frame["school_id"] = frame["school_id"].fillna(school_id) if "school_id" in frame else school_id
    frame["school_id"] = normalize_student_ids(frame["school_id"])  # ids: strip, keep leading zeros
    years, bad_year = parse_school_year(frame["school_year"])
    frame["school_year"] = years
    grades, bad_grade = parse_grade_levels(frame["grade_level"])
    frame["grade_level"] = grades
    checks = [
        (frame["student_id"].isna() | (frame["student_id"] == ""), "student_id", "student id is blank"),
        (frame["school_id"].isna() | (frame["school_id"] == ""), "school_id", "school id is blank"),
        (bad_year, "school_year", "school year is not like 2025-26"),
        (bad_grade | frame["grade_level"].isna(), "grade_level", "grade level is not K, 0-12 or PK"),
        *(
            (unrecognized_flags(frame[flag]), flag, f"{flag} is not a yes/no value (accepted: {FLAG_ACCEPTED})")
            for flag in FLAGS
            if flag in frame
        ),
    ]
    bad = pd.Series(False, index=frame.index)
    for mask, column, reason in checks:
        mask = mask.fillna(True).astype(bool) & ~bad
        rejects.append(_rejects(original, mask, column, reason))
        bad |= mask
    frame = frame[~bad]
    duplicate = frame.duplicated(["school_year", "student_id"], keep="first")
    rejects.append(
        _rejects(original.loc[frame.index], duplicate, "student_id", "student appears twice in the same school year")
    )
    frame = frame[~duplicate].copy()
    _normalize_demographics(frame, notes)
    return frame, pd.concat(rejects, ignore_index=True)


def _normalize_demographics(frame: pd.DataFrame, notes: list[str]) -> None:
    normalizers = {"race_ethnicity": map_race_ethnicity, "gender": normalize_gender}
    normalizers.update({flag: parse_flags for flag in FLAGS})
    for column, normalizer in normalizers.items():
        if column not in frame:
            continue
        original = frame[column]
        frame[column], unknown = normalizer(original)
        _note_unknown(original, unknown, column, notes)


def _note_unknown(original: pd.Series, unknown: pd.Series, column: str, notes: list[str]) -> None:
    """Unknown values are kept as NULL (the row still counts) and named in the report."""
    unknown = unknown.reindex(original.index, fill_value=False).fillna(False).astype(bool)
    if unknown.any():
        examples = ", ".join(sorted(original[unknown].astype(str).unique())[:5])
        notes.append(f"{int(unknown.sum())} {column} value(s) not recognized, stored as unknown: {examples}")


def _rejects(frame: pd.DataFrame, mask: pd.Series, column: str, reason: str) -> pd.DataFrame:
    rows = frame[mask]
    values = rows[column].astype("object").where(rows[column].notna(), None) if column in rows else None
    return pd.DataFrame(
        {
            "line_number": rows["line_number"],
            "column": column,
            "value": values.astype("string") if values is not None else None,
            "reason": reason,
        }
    )


def _stage(con, frame: pd.DataFrame, found: dict, notes: list[str]) -> None:
    for column in ["gender", "race_ethnicity", "last_name", "first_name", *FLAGS]:
        if column not in frame:
            frame[column] = None
    con.register("roster_frame", frame)
    con.execute(
        """create or replace temp table staged_enrollments as
        select school_year, student_id, school_id, grade_level::integer as grade_level, gender, race_ethnicity,
               is_ell::boolean as is_ell, is_iep::boolean as is_iep, is_504::boolean as is_504,
               is_econ_disadv::boolean as is_econ_disadv
        from roster_frame"""
    )
    # The latest school year's row names the student; earlier years do not overwrite names.
    con.execute(
        """create or replace temp table staged_students as
        select student_id, arg_max(last_name, school_year) as last_name, arg_max(first_name, school_year) as first_name
        from roster_frame group by student_id"""
    )
    has_names = "school_name" in found
    con.execute(
        f"""create or replace temp table staged_schools as
        select school_id,
               {"coalesce(any_value(school_name), school_id)" if has_names else "school_id"} as school_name,
               {"any_value(school_level)" if "school_level" in found else "null"} as level_given,
               max(grade_level) as top_grade
        from roster_frame group by school_id"""
    )
    con.execute(
        """create or replace temp table staged_schools as
        select school_id, school_name,
               coalesce(lower(level_given), case when top_grade <= 5 then 'elementary'
                                                 when top_grade <= 8 then 'middle' else 'high' end) as level
        from staged_schools"""
    )
    con.unregister("roster_frame")
    new_schools = con.execute(
        "select count(*) from staged_schools where school_id not in (select school_id from schools)"
    ).fetchone()[0]
    if new_schools:
        notes.append(f"{new_schools} school(s) not yet in schools were created from the roster")


def _targets(found: dict) -> dict[str, tuple[str, str]]:
    has_names = "last_name" in found or "first_name" in found
    return {
        "schools": ("staged_schools", "replace" if "school_name" in found else "ignore"),
        "students": ("staged_students", "replace" if has_names else "ignore"),
        "enrollments": ("staged_enrollments", "replace"),
    }
