"""A generated district of many small schools (for the release's attack test): 14 schools of 18-40 students,
two school years, rare groups everywhere, and planted rates of 0% and 100% so that coding is exercised.
Built by the real loader from CSV files, like any district."""

from __future__ import annotations

import csv
import shutil
import tempfile
from pathlib import Path

import numpy as np

import warehouse
from etl.adapters.common import LoadOptions
from etl.load import load_file

FIXTURES = Path(__file__).parent / "fixtures"
RACES = [
    "White",
    "Hispanic or Latino",
    "Black or African American",
    "Asian",
    "Two or more races",
    "American Indian or Alaska Native",
    "Native Hawaiian or Other Pacific Islander",
]
STANDARDS = ["M.3.NF.1", "M.3.NF.2", "M.3.OA.1"]


def write_files(folder: Path, seed: int = 7) -> tuple[Path, Path]:
    rng = np.random.default_rng(seed)
    roster, gradebook = folder / "roster.csv", folder / "gradebook.csv"
    with roster.open("w", newline="") as r, gradebook.open("w", newline="") as g:
        roster_out, grades_out = csv.writer(r), csv.writer(g)
        roster_out.writerow(
            [
                "school_year",
                "student_id",
                "school_id",
                "school_name",
                "grade_level",
                "gender",
                "race_ethnicity",
                "is_ell",
                "is_iep",
                "is_504",
                "is_econ_disadv",
            ]
        )
        grades_out.writerow(
            [
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
            ]
        )
        student = 0
        for year, start in (("2024-25", "2024"), ("2025-26", "2025")):
            for s in range(14):
                school = f"S{s + 1:02d}"
                for _ in range(int(rng.integers(18, 41))):
                    student += 1
                    sid = f"{student:05d}"
                    gender = rng.choice(["Female", "Male", "Nonbinary"], p=[0.48, 0.48, 0.04])
                    race = rng.choice(RACES, p=[0.45, 0.25, 0.12, 0.08, 0.06, 0.025, 0.015])
                    ell, iep, s504, econ = (rng.random() < p for p in (0.15, 0.12, 0.04, 0.4))
                    if school == "S01":
                        iep = True if rng.random() < 0.5 else iep  # a group of 10-20: planted at 0% below
                    roster_out.writerow(
                        [
                            year,
                            sid,
                            school,
                            f"School {school}",
                            3,
                            gender,
                            race,
                            str(ell).lower(),
                            str(iep).lower(),
                            str(s504).lower(),
                            str(econ).lower(),
                        ]
                    )
                    ability = 3.0 + rng.normal(0, 0.8) - 0.5 * ell - 0.4 * iep
                    if school == "S01" and iep:
                        ability = 1.0  # 0% proficient
                    if school == "S02":
                        ability = 3.8  # everyone proficient
                    for code in STANDARDS:
                        score = int(np.clip(round(ability + rng.normal(0, 0.3)), 1, 4))
                        grades_out.writerow(
                            [
                                sid,
                                year,
                                "T1",
                                f"{start}-10-01",
                                school,
                                "MATH3",
                                f"{school}A",
                                "T1",
                                code,
                                score,
                                score,
                                "formative",
                            ]
                        )
    return roster, gradebook


def small_schools_district(folder: Path):
    """The district's warehouse, loaded and with its release built; returns a read-only connection."""
    roster, gradebook = write_files(folder)
    path = folder / "small.duckdb"
    con = warehouse.connect(path)
    try:
        for kind, file in (
            ("continuum", FIXTURES / "continuum_small.csv"),
            ("roster", roster),
            ("gradebook", gradebook),
        ):
            load_file(con, kind, file, LoadOptions())
    finally:
        con.close()
    return warehouse.connect(path, read_only=True)


def build(path: Path) -> None:
    """The district's warehouse at `path` (its files written beside it, then removed)."""
    with tempfile.TemporaryDirectory(prefix="small-schools-") as folder:
        small_schools_district(Path(folder)).close()
        shutil.copyfile(Path(folder) / "small.duckdb", path)
