"""The demo district's students, drawn once, and their enrollment in every school year."""

from __future__ import annotations

import numpy as np
import pandas as pd

from etl.demo_district.names import first_names, last_names
from etl.demo_district.settings import (
    ECON_BY_ZONE,
    ECON_RACE_FACTOR,
    ELL_BY_RACE,
    GENDER_SHARE,
    HIGH_SCHOOL,
    IEP_BY_GENDER,
    MIDDLE_FOR_ZONE,
    RACE_BY_ZONE,
    SCHOOL_YEARS,
    STUDENTS_PER_GRADE,
    YEARLY_MOVE_AWAY,
    ZONE_SHARE,
)

# ================================================================ students and enrollments


def draw_students(rng: np.random.Generator) -> pd.DataFrame:
    """Everyone enrolled at some point in the three years, with their lasting traits."""
    entry_year, entry_grade = _entry_cohorts(rng)
    n = len(entry_year)
    zone = rng.choice(4, size=n, p=ZONE_SHARE)
    race = _draw_category(rng, RACE_BY_ZONE[zone])
    gender = rng.choice(3, size=n, p=GENDER_SHARE)
    ability = rng.standard_normal(n)
    # Younger students are more often still learning English; many reclassify year by year.
    ell_grade_factor = np.clip(1.35 - 0.07 * entry_grade, 0.45, None)
    is_ell_at_entry = rng.random(n) < ELL_BY_RACE[race] * ell_grade_factor
    years_as_ell = rng.geometric(0.16, size=n)
    econ_p = np.clip(ECON_BY_ZONE[zone] * ECON_RACE_FACTOR[race], 0, 0.95)
    off_level_kind, off_level_content = _off_level_traits(rng, ability)
    return pd.DataFrame(
        {
            "student_id": _student_ids(rng, n),
            "last_name": last_names(rng, race),
            "first_name": first_names(rng, gender),
            "entry_year": entry_year,
            "entry_grade": entry_grade,
            "years_enrolled": rng.geometric(YEARLY_MOVE_AWAY, size=n),
            "zone": zone,
            "race": race,
            "gender": gender,
            "ability": ability,
            "is_ell_at_entry": is_ell_at_entry,
            "years_as_ell": years_as_ell,
            "is_iep": rng.random(n) < IEP_BY_GENDER[gender],
            "is_504": rng.random(n) < 0.04,
            "is_econ_disadv": rng.random(n) < econ_p,
            "off_level_kind": off_level_kind,  # 0 none, -1 working below, +1 working above
            "off_level_content": off_level_content,  # index into CONTENT_AREAS
        }
    )


def _entry_cohorts(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Year 0: every grade; later years: a new kindergarten and movers-in at every grade."""
    years, grades = [], []
    for grade in range(13):
        years.append(np.zeros(rng.poisson(STUDENTS_PER_GRADE), dtype=np.int64))
        grades.append(np.full(len(years[-1]), grade))
    for year in range(1, len(SCHOOL_YEARS)):
        for grade in range(13):
            mean = STUDENTS_PER_GRADE if grade == 0 else STUDENTS_PER_GRADE * YEARLY_MOVE_AWAY
            count = rng.poisson(mean)
            years.append(np.full(count, year))
            grades.append(np.full(count, grade))
    return np.concatenate(years), np.concatenate(grades)


def _draw_category(rng: np.random.Generator, probabilities: np.ndarray) -> np.ndarray:
    """One category per row from per-row probabilities (inverse CDF, vectorized)."""
    cumulative = np.cumsum(probabilities, axis=1)
    cumulative /= cumulative[:, -1:]
    return (rng.random(len(probabilities))[:, None] > cumulative).sum(axis=1)


def _student_ids(rng: np.random.Generator, n: int) -> np.ndarray:
    numbers = rng.choice(np.arange(100, 99_999), size=n, replace=False)
    return np.char.zfill(numbers.astype(str), 6)


def _off_level_traits(rng: np.random.Generator, ability: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pattern 3: some low achievers work below grade level, some high achievers above it."""
    u = rng.random(len(ability))
    below = (ability < -0.6) & (u < 0.13)
    above = (ability > 1.1) & (u < 0.2)
    kind = np.where(below, -1, np.where(above, 1, 0))
    content = np.where(rng.random(len(ability)) < 0.6, 0, 1)  # math or ELA
    return kind, content


def enroll_students(students: pd.DataFrame) -> pd.DataFrame:
    """One row per student x school year, with that year's grade, school and flags."""
    frames = []
    for year_idx in range(len(SCHOOL_YEARS)):
        years_in = year_idx - students["entry_year"].to_numpy()
        grade = students["entry_grade"].to_numpy() + years_in
        present = (years_in >= 0) & (years_in < students["years_enrolled"].to_numpy()) & (grade <= 12)
        idx = np.flatnonzero(present)
        grade = grade[idx]
        zone = students["zone"].to_numpy()[idx]
        school = np.select([grade <= 5, grade <= 8], [zone, MIDDLE_FOR_ZONE[zone]], HIGH_SCHOOL)
        still_learning = years_in[idx] < students["years_as_ell"].to_numpy()[idx]
        is_ell = students["is_ell_at_entry"].to_numpy()[idx] & still_learning
        frames.append(
            pd.DataFrame(
                {
                    "year_idx": year_idx,
                    "student_idx": idx,
                    "grade": grade,
                    "school_idx": school,
                    "is_ell": is_ell,
                }
            )
        )
    enrollments = pd.concat(frames, ignore_index=True)
    for flag in ("is_iep", "is_504", "is_econ_disadv"):
        enrollments[flag] = students[flag].to_numpy()[enrollments["student_idx"]]
    return enrollments
