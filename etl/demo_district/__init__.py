"""The demo district: a deterministic K-12 district written as the canonical CSV exports.

`write_demo_files(out_dir, seed)` writes the files that the real loaders load (continuum, rosters,
gradebooks, a staff survey with invited counts, implementation ratings) and returns them in load
order. Same seed -> byte-identical files. Everything is drawn with numpy from one
`numpy.random.default_rng(seed)` (split into one child generator per part, so that changing one
part does not reshuffle the others); scores are generated as whole arrays, never row by row.

The district: seven schools, about 3,000 students a year, three school years (2023-24 .. 2025-26).

    101 Maple Grove Elementary   K-5   feeds 201       201 Jefferson Middle School  6-8  feeds 301
    102 Riverside Elementary     K-5   feeds 201       202 Eastview Middle School   6-8  feeds 301
    103 Cedar Hill Elementary    K-5   feeds 202       301 Central High School      9-12
    104 Lincoln Park Elementary  K-5   feeds 202

Each student lives in one elementary attendance zone, moves up a grade a year and changes school
at 5->6 and 8->9; kindergartners enter, seniors leave, ~4.5% move away each year and as many
move in. Evidence: every section assesses a share of its grade-level standards 1-4 times over the
terms T1-T3; a score comes from a latent proficiency (student ability, school, year, program
flags, growth within the year, standard difficulty, teacher, noise) cut into marks 1, 2, 3, 4 (and
2+ = 2.33, 3- = 2.67 for teachers who use them); ~4.5% of marks are IE, NY or EX with no score.

Planted patterns (the README in data/demo lists them with measured figures; tests check them):

1. Equity gaps that close faster in one school. English learners, students with IEPs and
   economically disadvantaged students score lower (about 15-25 points lower % proficient,
   proficient = mean of the student's per-standard calculated scores in a content area >= 3.0).
   GAP_CLOSING_SCHOOL (102 Riverside Elementary) starts with the widest penalties (1.6 times the
   district's) and closes them year by year (0.85, then 0.3 times); elsewhere they barely move
   (1.0, 0.95, 0.9), so the named school's gaps narrow by 14-27 points and the others' by 0-4.
2. Standards never assessed: NEVER_ASSESSED_LATEST_YEAR names (grade, content area) pairs whose
   listed standards get no evidence at all in 2025-26 (they were assessed in earlier years), while
   every other grade-level standard is assessed somewhere in the district every year.
3. Students working below and above grade level: about 60 low achievers a year in grades 2-8
   also get evidence, in math or ELA, on five standards two levels below their grade (one level
   in grade 2) in "Intervention Check" assessments, and are proficient there but not on grade
   level; about 65 high achievers a year in grades K-7 get "Extension Task" evidence one level
   above their grade and are proficient there.
4. A leader-teacher gap in trust: leaders answer the trust items far more favorably than teachers.
5. Culture moving with results: TRUST_RISING_SCHOOL (102 Riverside) gains trust and proficiency
   and climbs the implementation stages fastest; TRUST_FALLING_SCHOOL (202 Eastview Middle) loses
   trust and proficiency and stays near Exploring. All implementation stages only move up.

Conventions worth knowing: high school math levels are by conceptual category (Number & Quantity
and Algebra 9, Geometry 10, Functions 11, Statistics 12; one course each: ALG1, GEOM, ALG2,
STATS); high school ELA standards are grade bands, stored at the band's first grade (9-10 -> 9,
11-12 -> 11), so grades 10 and 12 are assessed on level 9 and 11 standards.
"""

from __future__ import annotations

import pathlib

import numpy as np
import pandas as pd

import warehouse
from etl import demo_plc
from etl.demo_district.continuum import load_continuum
from etl.demo_district.culture import build_rubric, build_survey
from etl.demo_district.evidence import (
    attend,
    concat_columns,
    drop_never_assessed,
    plan_off_level_evidence,
    plan_section_evidence,
    score_evidence,
)
from etl.demo_district.frames import gradebook_frame, roster_frame, school_calendar
from etl.demo_district.sections import place_in_sections
from etl.demo_district.settings import (  # the plan's names that the tests and the README read
    CONSTRUCTS,
    CONTENT_AREAS,
    GAP_CLOSING_SCHOOL,
    NEVER_ASSESSED_LATEST_YEAR,
    RNG_PARTS,
    SCHOOL_IDS,
    SCHOOL_YEARS,
    TRUST_FALLING_SCHOOL,
    TRUST_RISING_SCHOOL,
)
from etl.demo_district.students import draw_students, enroll_students

# ================================================================ public entry


def write_demo_files(out_dir: pathlib.Path, seed: int = 42) -> dict[str, list[pathlib.Path]]:
    """Write the demo district's export files into out_dir; return them by kind, in load order."""
    out_dir = pathlib.Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rngs = dict(zip(RNG_PARTS, np.random.default_rng(seed).spawn(len(RNG_PARTS))))
    continuum = load_continuum()
    students = draw_students(rngs["students"])
    enrollments = enroll_students(students)
    placements, sections = place_in_sections(enrollments, rngs["sections"])
    evidence = plan_section_evidence(sections, continuum, rngs["events"])
    rows = attend(evidence, placements, rngs["events"])
    rows = concat_columns(
        rows, plan_off_level_evidence(enrollments, students, placements, continuum, rngs["off_level"])
    )
    rows = drop_never_assessed(rows, enrollments, continuum)
    # Pattern 6: PLC meetings, and the lift on the focus standards of the teams that meet every two weeks
    meetings, plc_boost = demo_plc.plan_meetings(
        rows,
        enrollments,
        sections,
        continuum,
        SCHOOL_IDS,
        CONTENT_AREAS,
        school_calendar(int(demo_plc.PLANTED_YEAR[:4])),
        SCHOOL_YEARS.index(demo_plc.PLANTED_YEAR),
        seed,
    )
    scores = score_evidence(rows, enrollments, students, sections, continuum, rngs["scores"], plc_boost)
    survey, invited = build_survey(rngs["survey"])
    rubric = build_rubric(rngs["rubric"])

    files: dict[str, list[pathlib.Path]] = {
        k: [] for k in ("continuum", "roster", "gradebook", "survey", "rubric", "learning", "meetings")
    }
    with warehouse.scratch() as con:
        files["continuum"].append(write_csv(con, continuum, out_dir / "continuum.csv"))
        roster = roster_frame(enrollments, students)
        gradebook = gradebook_frame(scores, students, sections, continuum)
        for year_idx, year in enumerate(SCHOOL_YEARS):
            in_year = roster[roster["school_year"] == year]
            files["roster"].append(write_csv(con, in_year, out_dir / f"roster_{year}.csv"))
            files["gradebook"].append(write_csv(con, gradebook[year_idx], out_dir / f"gradebook_{year}.csv"))
        files["survey"].append(write_csv(con, survey, out_dir / "survey_responses.csv"))
        files["survey"].append(write_csv(con, invited, out_dir / "survey_invited.csv"))
        files["survey"].append(write_csv(con, demo_plc.mode_survey_frame(seed), out_dir / "survey_learning_modes.csv"))
        files["rubric"].append(write_csv(con, rubric, out_dir / "implementation_ratings.csv"))
        files["learning"].append(write_csv(con, demo_plc.offerings_frame(seed), out_dir / "learning_offerings.csv"))
    files["meetings"].append(demo_plc.write_meetings(meetings, out_dir / "plc_meetings.jsonl"))
    return files


def write_csv(con, frame: pd.DataFrame, path: pathlib.Path) -> pathlib.Path:
    """DuckDB writes CSV fast and plainly: true/false, ISO dates, empty cells for missing values."""
    con.register("frame_to_write", frame)
    try:
        target = str(path).replace("'", "''")
        con.execute(f"copy (select * from frame_to_write) to '{target}' (header, delimiter ',')")
    finally:
        con.unregister("frame_to_write")
    return path


__all__ = [
    "CONSTRUCTS",
    "GAP_CLOSING_SCHOOL",
    "NEVER_ASSESSED_LATEST_YEAR",
    "SCHOOL_YEARS",
    "TRUST_FALLING_SCHOOL",
    "TRUST_RISING_SCHOOL",
    "load_continuum",
    "write_demo_files",
]
