"""Deterministic benchmark inputs: a gradebook of N scores with a matching roster and continuum.

Written with numpy and DuckDB's COPY so that ten million rows take seconds, not minutes. The
shape follows a real district: three school years, three content areas, grade-level standards,
three terms, a few pieces of evidence per student per standard.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd

import warehouse
from warehouse import REPO_ROOT

YEARS = ["2023-24", "2024-25", "2025-26"]
TERMS = ["T1", "T2", "T3"]
SCORES_PER_STUDENT_YEAR = 96  # about 3 content areas x 11 standards x 3 pieces of evidence
STANDARDS_PER_STUDENT_YEAR = 32
RACES = [
    "Hispanic or Latino",
    "White",
    "Black or African American",
    "Asian",
    "Two or more races",
    "American Indian or Alaska Native",
    "Native Hawaiian or Other Pacific Islander",
]
RACE_SHARES = [0.28, 0.45, 0.15, 0.06, 0.04, 0.01, 0.01]


def continuum() -> pd.DataFrame:
    frames = [
        pd.read_csv(REPO_ROOT / "data" / "demo" / name, dtype=str)
        for name in ("ccss_standards.csv", "science_standards.csv")
    ]
    standards = pd.concat(frames, ignore_index=True)
    standards["continuum_level"] = standards["continuum_level"].astype(int)
    return standards[standards["continuum_level"].between(0, 12)].drop_duplicates("standard_code")


def write_inputs(folder: Path, n_scores: int, seed: int = 7) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    standards = continuum()
    n_students = max(200, n_scores // (SCORES_PER_STUDENT_YEAR * len(YEARS)))
    roster = _roster(rng, n_students)
    paths = {
        "continuum": folder / "continuum.csv",
        "roster": folder / f"roster_{n_scores}.csv",
        "gradebook": folder / f"gradebook_{n_scores}.csv",
    }
    standards.to_csv(paths["continuum"], index=False)
    roster.to_csv(paths["roster"], index=False)
    if not paths["gradebook"].exists():
        _gradebook(rng, roster, standards, n_scores, paths["gradebook"])
    return paths


def _roster(rng: np.random.Generator, n_students: int) -> pd.DataFrame:
    ids = np.array([f"{i:07d}" for i in range(n_students)])
    base_grade = rng.integers(0, 13, n_students)
    frames = []
    for offset, year in enumerate(YEARS):
        grade = np.clip(base_grade + offset, 0, 12)
        school = np.where(
            grade <= 5,
            "E" + (rng.integers(0, 8, n_students)).astype(str),
            np.where(grade <= 8, "M" + (rng.integers(0, 3, n_students)).astype(str), "H0"),
        )
        frames.append(
            pd.DataFrame(
                {
                    "school_year": year,
                    "student_id": ids,
                    "school_id": school,
                    "grade_level": grade,
                    "gender": rng.choice(["Female", "Male"], n_students),
                    "race_ethnicity": rng.choice(RACES, n_students, p=RACE_SHARES),
                    "is_ell": rng.random(n_students) < 0.12,
                    "is_iep": rng.random(n_students) < 0.14,
                    "is_504": rng.random(n_students) < 0.04,
                    "is_econ_disadv": rng.random(n_students) < 0.45,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


# Rows generated (and held in pandas) at a time above ten million scores: 30M rows at once would take more
# memory than the shared machine has. Up to ten million the file is generated in one piece, as it always was.
CHUNK_ROWS_ABOVE_10M = 5_000_000


def _gradebook(rng, roster: pd.DataFrame, standards: pd.DataFrame, n_scores: int, path: Path) -> None:
    if n_scores <= 10_000_000:
        _copy_to_csv(_gradebook_frame(rng, roster, standards, n_scores), path)
        return
    # Each student-year's window of standards and ability are drawn once, then the scores chunk by chunk.
    first_standard = rng.integers(0, 1_000_000, len(roster))
    ability = rng.normal(2.8, 0.7, len(roster))
    parts = []
    for i, start in enumerate(range(0, n_scores, CHUNK_ROWS_ABOVE_10M)):
        n = min(CHUNK_ROWS_ABOVE_10M, n_scores - start)
        part = path.with_name(f"{path.stem}.part{i}.csv")
        _copy_to_csv(_gradebook_frame(rng, roster, standards, n, first_standard, ability), part)
        parts.append(part)
    with path.open("wb") as out:
        for i, part in enumerate(parts):
            with part.open("rb") as f:
                if i:
                    f.readline()  # one header
                shutil.copyfileobj(f, out, 16 * 2**20)
            part.unlink()


def _gradebook_frame(
    rng,
    roster: pd.DataFrame,
    standards: pd.DataFrame,
    n_scores: int,
    first_standard: np.ndarray | None = None,
    ability: np.ndarray | None = None,
) -> pd.DataFrame:
    by_level = {level: rows["standard_code"].to_numpy() for level, rows in standards.groupby("continuum_level")}
    row = rng.integers(0, len(roster), n_scores)
    grade = roster["grade_level"].to_numpy()[row]
    # Each student-year works on a window of STANDARDS_PER_STUDENT_YEAR grade-level standards, so a
    # student has a few pieces of evidence per standard, as in a real standards-based gradebook.
    if first_standard is None:
        first_standard = rng.integers(0, 1_000_000, len(roster))
    first_standard = first_standard[row]
    within = rng.integers(0, STANDARDS_PER_STUDENT_YEAR, n_scores)
    codes = np.empty(n_scores, dtype=object)
    for level, level_codes in by_level.items():
        mask = grade == level
        codes[mask] = level_codes[(first_standard[mask] + within[mask]) % len(level_codes)]
    term = rng.integers(0, 3, n_scores)
    year_index = pd.Series(roster["school_year"].to_numpy()[row]).map({y: i for i, y in enumerate(YEARS)}).to_numpy()
    day = np.datetime64("2023-08-28") + (year_index * 365 + term * 90 + rng.integers(0, 85, n_scores)).astype(
        "timedelta64[D]"
    )
    if ability is None:
        ability = rng.normal(2.8, 0.7, len(roster))
    ability = ability[row] + 0.15 * term
    mark = np.clip(np.rint(ability + rng.normal(0, 0.6, n_scores)), 1, 4).astype(int)
    return pd.DataFrame(
        {
            "student_id": roster["student_id"].to_numpy()[row],
            "school_year": roster["school_year"].to_numpy()[row],
            "term": np.array(TERMS)[term],
            "assessed_on": day,
            "school_id": roster["school_id"].to_numpy()[row],
            "course_id": "C" + pd.Series(grade).astype(str).to_numpy(),
            "section_id": "S1",
            "teacher_id": "T1",
            "standard_code": codes,
            "mark": mark.astype(str),
            "assessment_type": "formative",
        }
    )


def _copy_to_csv(frame: pd.DataFrame, path: Path) -> None:
    con = warehouse.scratch()
    con.execute("set enable_progress_bar = false")
    con.register("gradebook_frame", frame)
    # COPY takes no bound parameter for its target; the path is our own bench folder, quoted.
    con.execute(
        "copy (select * from gradebook_frame) to '" + str(path).replace("'", "''") + "' (header, delimiter ',')"
    )
    con.close()


def write_refresh(gradebook: Path, path: Path, changed_per_100: int = 1, new_per_100: int = 2) -> Path:
    """The weekly re-export of the latest school year: its rows as loaded, with one mark in a hundred changed
    (a corrected typo) and two rows in a hundred added (this week's evidence, dated after the latest day).
    Rows are chosen by a hash of their content, so the same gradebook gives the same refresh."""
    if path.exists():
        return path
    con = warehouse.scratch()
    con.execute("set enable_progress_bar = false")
    latest = YEARS[-1]
    source = "read_csv($path, types = {'student_id': 'varchar', 'mark': 'varchar'})"
    row_hash = "hash(student_id, standard_code, assessed_on, term, mark, school_id)"
    con.execute(
        f"""create temp table latest_rows as
        select *, {row_hash} % 100 as pick from {source} where school_year = $year""",
        {"path": str(gradebook), "year": latest},
    )
    # COPY takes no bound parameter for its target; the path is our own bench folder, quoted.
    target = "'" + str(path).replace("'", "''") + "'"
    con.execute(f"""copy (
        select * exclude (pick) replace (
            case when pick < {changed_per_100} then ((mark::integer % 4) + 1)::varchar else mark end as mark)
        from latest_rows
        union all
        select * exclude (pick) replace (
            ((select max(assessed_on) from latest_rows)::date + (1 + pick % 5)::integer)::timestamp as assessed_on)
        from latest_rows
        where pick >= 50 and pick < 50 + {new_per_100}
    ) to {target} (header, delimiter ',')""")
    con.close()
    return path
