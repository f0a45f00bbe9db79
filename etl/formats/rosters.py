"""Rosters whose shape a column mapping cannot describe, rewritten as canonical roster rows.

oneroster_roster   OneRoster 1.1 bulk CSV (a folder or zip, or users.csv beside the others):
                   students of users.csv, their school from enrollments/orgs, grade from
                   `grades`, the school year from academicSessions, demographics.csv's sex and
                   race booleans
program_rows       a roster with one program per row (a `Flag` / `Program` column): a student's
                   rows become one row with each program's flag (Ed-Fi style exports)
program_flags      program flags in a file of their own (student id + flags, no school or grade):
                   the flags of students the warehouse already enrolls are replaced
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl import vocabulary
from etl.errors import LoadRefused
from etl.formats.converted import Converted, write_canonical
from etl.formats.sample import read_bundle
from etl.vocabulary import compact

FLAG_COLUMNS = ("is_ell", "is_iep", "is_504", "is_econ_disadv")
PROGRAM_HEADERS = ("flag", "flags", "program", "programname", "programdescriptor", "programtype")
TRUE_WORDS = {"true", "t", "yes", "y", "1"}


def _table(rows: list[list[str]]) -> pd.DataFrame:
    header = [c.strip() for c in rows[0]]
    width = len(header)
    return pd.DataFrame([(r + [""] * width)[:width] for r in rows[1:]], columns=header, dtype="object").fillna("")


def _aliases() -> dict[str, list[str]]:
    from etl.adapters.roster import ALIASES

    return ALIASES


def _find(frame: pd.DataFrame, canonical: str) -> str | None:
    lookup = {compact(c): c for c in frame.columns}
    for name in [canonical, *_aliases().get(canonical, [])]:
        if compact(name) in lookup:
            return lookup[compact(name)]
    return None


def _race(value) -> object:
    """Ed-Fi descriptor codes (`blackOrAfricanAmerican`) as the federal category; anything else as written."""
    return vocabulary.race_descriptor(value) or value if isinstance(value, str) and value.strip() else value


def _grade(value) -> object:
    code = vocabulary.grade_code(value) if isinstance(value, str) else None
    return code if code is not None else value


# ---------------------------------------------------------------- OneRoster


def oneroster_roster(con, path: Path, options) -> Converted:
    bundle = read_bundle(path)
    if "users.csv" not in bundle:
        raise LoadRefused(
            f"{Path(path).name}: a OneRoster roster needs users.csv "
            f"(found: {', '.join(sorted(bundle)) or 'no OneRoster files'})"
        )
    users = _table(bundle["users.csv"])
    users = users[users.get("role", pd.Series("", index=users.index)).str.lower() == "student"]
    users = users[users.get("status", pd.Series("", index=users.index)).str.lower() != "tobedeleted"]
    orgs = _table(bundle["orgs.csv"]) if "orgs.csv" in bundle else pd.DataFrame(columns=["sourcedId"])
    org_ids = {
        s: (i or s) for s, i in zip(orgs.get("sourcedId", []), orgs.get("identifier", orgs.get("sourcedId", [])))
    }
    schools = (
        set(orgs[orgs.get("type", pd.Series(dtype=str)).str.lower() == "school"]["sourcedId"]) if len(orgs) else set()
    )
    enrolled_school = {}
    if "enrollments.csv" in bundle:
        enrollments = _table(bundle["enrollments.csv"])
        for user, school in zip(enrollments.get("userSourcedId", []), enrollments.get("schoolSourcedId", [])):
            enrolled_school.setdefault(user, school)
    year, year_note = _oneroster_year(bundle, options)
    demographics = _table(bundle["demographics.csv"]) if "demographics.csv" in bundle else pd.DataFrame()
    demo_by_user = {row["sourcedId"]: row for _, row in demographics.iterrows()} if len(demographics) else {}
    rows = []
    for _, user in users.iterrows():
        org_list = [o.strip() for o in user.get("orgSourcedIds", "").split(",") if o.strip()]
        school = (
            enrolled_school.get(user["sourcedId"])
            or next((o for o in org_list if o in schools), None)
            or (org_list[0] if org_list else None)
        )
        grades = [g.strip() for g in user.get("grades", "").split(",") if g.strip()]
        demo = demo_by_user.get(user["sourcedId"])
        rows.append(
            {
                "student_id": user.get("identifier") or user["sourcedId"],
                "school_id": org_ids.get(school, school) if school else None,
                "school_year": year,
                "grade_level": _grade(grades[0]) if grades else None,
                "first_name": user.get("givenName"),
                "last_name": user.get("familyName"),
                "gender": demo.get("sex") if demo is not None else None,
                "race_ethnicity": _oneroster_race(demo) if demo is not None else None,
            }
        )
    if not rows:
        raise LoadRefused(f"{Path(path).name}: users.csv has no user whose role is student")
    frame = pd.DataFrame(rows)
    notes = [
        f"OneRoster 1.1 roster: {len(frame)} students of users.csv; {year_note}"
        + ("; demographics.csv read" if demo_by_user else "; no demographics.csv, so no demographics")
    ]
    return Converted(
        write_canonical(frame, Path(path).with_name("users.csv") if Path(path).is_dir() else Path(path)), {}, notes
    )


def _oneroster_year(bundle, options) -> tuple[str | None, str]:
    if options.school_year:
        return options.school_year, "school year from --school-year"
    if "academicsessions.csv" in bundle:
        sessions = _table(bundle["academicsessions.csv"])
        years = sessions[sessions.get("type", pd.Series(dtype=str)).str.lower() == "schoolyear"]
        source = years if len(years) else sessions
        ends = [y for y in source.get("schoolYear", []) if str(y).strip()]
        if ends:
            end = max(int(str(y).strip()[:4]) for y in ends)
            return f"{end - 1}-{end % 100:02d}", f"school year {end - 1}-{end % 100:02d} from academicSessions.csv"
    return None, "no school year in the bundle (give --school-year)"


def _oneroster_race(demo) -> str | None:
    chosen = [
        category
        for column, category in vocabulary.codes("oneroster_race_columns").items()
        if str(demo.get(column, "")).strip().lower() in TRUE_WORDS
    ]
    if "Hispanic or Latino" in chosen:
        return "Hispanic or Latino"
    races = [c for c in chosen if c != "Hispanic or Latino"]
    if len(races) > 1:
        return "Two or more races"
    return races[0] if races else None


# ---------------------------------------------------------------- one program per row


def _read(path: Path) -> pd.DataFrame:
    from etl.surveys.detect import read_rows

    rows = read_rows(path)
    return _table([[c for c in r] for r in rows.rows])


def program_column(columns) -> str | None:
    return next((c for c in columns if compact(c) in PROGRAM_HEADERS), None)


def program_rows(con, path: Path, options) -> Converted:
    frame = _read(path)
    flag_column = program_column(frame.columns)
    student = _find(frame, "student_id")
    if student is None or flag_column is None:
        raise LoadRefused(
            f"{Path(path).name}: a roster with one program per row needs a student id and a Flag (or Program) column"
        )
    canonical = {
        c: _find(frame, c)
        for c in [
            "school_year",
            "school_id",
            "grade_level",
            "gender",
            "race_ethnicity",
            "first_name",
            "last_name",
            "school_name",
        ]
    }
    rows, unknown = {}, {}
    year_column = canonical["school_year"]
    for _, row in frame.iterrows():
        key = (row[student].strip(), row[year_column].strip() if year_column else "")
        out = rows.get(key)
        if out is None:
            out = rows[key] = {"student_id": row[student]}
            for name, column in canonical.items():
                out[name] = row[column] if column else None
            out["race_ethnicity"] = _race(out["race_ethnicity"])
            out["grade_level"] = _grade(out["grade_level"])
            for flag in FLAG_COLUMNS:
                out[flag] = False
        program = str(row[flag_column]).strip()
        if not program:
            continue
        flag = vocabulary.program_flag(program)
        if flag:
            out[flag] = True
        else:
            unknown[program] = unknown.get(program, 0) + 1
    frame_out = pd.DataFrame(list(rows.values())).dropna(axis=1, how="all")
    notes = [
        f"one program per row ({flag_column}): {len(frame)} rows -> {len(frame_out)} students; a student "
        "with no row for a program is not in it"
    ]
    if unknown:
        notes.append(
            "programs not in the vocabulary (etl/vocabulary/codes.yaml `programs`; add them in "
            "config/vocabulary.yaml) were not counted as flags: "
            + ", ".join(f"'{p}' x{n}" for p, n in sorted(unknown.items()))
        )
    return Converted(write_canonical(frame_out, path), {}, notes)


# ---------------------------------------------------------------- flags in a file of their own


def flag_columns(frame_columns) -> dict[str, str]:
    found = {}
    lookup = {compact(c): c for c in frame_columns}
    for flag in FLAG_COLUMNS:
        for name in [flag, *_aliases().get(flag, [])]:
            if compact(name) in lookup:
                found[flag] = lookup[compact(name)]
                break
    return found


def program_flags(con, path: Path, options) -> Converted:
    frame = _read(path)
    student = _find(frame, "student_id")
    flags = flag_columns(frame.columns)
    long_program = program_column(frame.columns)
    if student is None or not (flags or long_program):
        raise LoadRefused(
            f"{Path(path).name}: a program flags file needs a student id and flag columns "
            "(ELL, IEP, 504, FRL ...) or a Flag column"
        )
    year = options.school_year or (con.execute("select max(school_year) from enrollments").fetchone()[0])
    if not year:
        raise LoadRefused(
            f"{Path(path).name}: program flags update students the warehouse enrolls, and it "
            "enrolls none yet: load the roster first"
        )
    from etl.normalize import parse_school_year

    year = parse_school_year(year)
    current = (
        con.execute(
            "select student_id, school_id, grade_level, gender, race_ethnicity from enrollments where school_year = $y",
            {"y": year},
        )
        .df()
        .set_index("student_id")
    )
    out = []
    for _, row in frame.iterrows():
        sid = str(row[student]).strip()
        base = current.loc[sid] if sid in current.index else None
        record = {
            "student_id": sid,
            "school_year": year,
            "school_id": base["school_id"] if base is not None else None,
            "grade_level": base["grade_level"] if base is not None else None,
            "gender": base["gender"] if base is not None else None,
            "race_ethnicity": base["race_ethnicity"] if base is not None else None,
        }
        for flag, column in flags.items():
            record[flag] = row[column]
        if long_program:
            flag = vocabulary.program_flag(row[long_program])
            record.update({f: (f == flag) for f in FLAG_COLUMNS})
        out.append(record)
    frame_out = pd.DataFrame(out)
    if long_program:
        frame_out = frame_out.groupby(["student_id"], as_index=False, sort=False).agg(
            {
                **{c: "first" for c in frame_out.columns if c not in FLAG_COLUMNS and c != "student_id"},
                **{f: "max" for f in FLAG_COLUMNS},
            }
        )
    n_unknown = sum(1 for s in frame_out["student_id"] if s not in current.index)
    # Every other enrollment of the year comes along unchanged: a roster load replaces the enrollments of
    # the schools it lists (etl/replace.py), and a flags file lists only the students whose flags it gives.
    untouched = con.execute(
        "select student_id, school_year, school_id, grade_level, gender, race_ethnicity, is_ell, is_iep, is_504, "
        "is_econ_disadv from enrollments where school_year = $y",
        {"y": year},
    ).df()
    untouched = untouched[~untouched["student_id"].isin(set(frame_out["student_id"]))]
    frame_out = pd.concat([frame_out, untouched], ignore_index=True)
    notes = [
        f"program flags for {year}: {len(frame_out) - len(untouched) - n_unknown} enrolled students' flags "
        f"replaced, {len(untouched)} other enrollments kept as they are"
        + (f"; {n_unknown} student(s) not enrolled in {year} are rejected (school id blank)" if n_unknown else "")
    ]
    return Converted(write_canonical(frame_out, path), {}, notes)
