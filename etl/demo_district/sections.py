"""Homerooms and secondary sections: which students sit with which teacher, in which course."""

from __future__ import annotations

import zlib

import numpy as np
import pandas as pd

from etl.demo_district.continuum import standard_level_for_grade
from etl.demo_district.settings import (
    CONTENT_AREAS,
    COURSE_PREFIX,
    HIGH_SCHOOL_COURSES,
    HOMEROOM_SIZE,
    PLUS_MINUS_TEACHER_SHARE,
    SCHOOL_IDS,
    SCHOOL_LEVELS,
    SCHOOL_YEARS,
    SECONDARY_SECTION_SIZE,
    SECTIONS_PER_SECONDARY_TEACHER,
    TEACHER_EFFECT_SD,
)

# ================================================================ sections


def place_in_sections(enrollments: pd.DataFrame, rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Homerooms in elementary (one teacher for all three subjects); course sections above."""
    n = len(enrollments)
    level = SCHOOL_LEVELS[enrollments["school_idx"].to_numpy()]
    is_elementary = level == "elementary"
    frames = []
    homeroom = _balanced_groups(enrollments, rng.random(n), HOMEROOM_SIZE)
    for content_idx in range(len(CONTENT_AREAS)):
        own = _balanced_groups(enrollments, rng.random(n), SECONDARY_SECTION_SIZE)
        frames.append(
            pd.DataFrame(
                {
                    "enroll_idx": np.arange(n),
                    "content_idx": content_idx,
                    "section_no": np.where(is_elementary, homeroom, own),
                }
            )
        )
    placements = pd.concat(frames, ignore_index=True)
    keys = ["year_idx", "school_idx", "grade"]
    for key in keys:
        placements[key] = enrollments[key].to_numpy()[placements["enroll_idx"]]
    sections = (
        placements[keys + ["content_idx", "section_no"]]
        .drop_duplicates()
        .sort_values(keys + ["content_idx", "section_no"])
        .reset_index(drop=True)
    )
    sections = _describe_sections(sections, rng)
    placements = placements.merge(
        sections[keys + ["content_idx", "section_no", "section_idx"]],
        on=keys + ["content_idx", "section_no"],
        how="left",
    )
    return placements[["enroll_idx", "content_idx", "section_idx"]], sections


def _balanced_groups(enrollments: pd.DataFrame, random_key: np.ndarray, size: int) -> np.ndarray:
    """Deal each (year, school, grade) into ceil(n / size) groups of near-equal size at random."""
    frame = enrollments[["year_idx", "school_idx", "grade"]].assign(key=random_key)
    frame = frame.sort_values(["year_idx", "school_idx", "grade", "key"])
    rank = frame.groupby(["year_idx", "school_idx", "grade"]).cumcount().to_numpy()
    count = frame.groupby(["year_idx", "school_idx", "grade"])["key"].transform("size").to_numpy()
    groups = np.empty(len(frame), dtype=np.int64)
    groups[frame.index.to_numpy()] = rank % np.ceil(count / size).astype(np.int64)
    return groups


def _describe_sections(sections: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Course, section and teacher ids; teachers keep their id (and habits) across years."""
    school = SCHOOL_IDS[sections["school_idx"].to_numpy()]
    grade = sections["grade"].to_numpy()
    content_idx = sections["content_idx"].to_numpy()
    number = sections["section_no"].to_numpy()
    is_elementary = SCHOOL_LEVELS[sections["school_idx"].to_numpy()] == "elementary"
    course = np.empty(len(sections), dtype=object)
    for c, content in enumerate(CONTENT_AREAS):
        grade_label = np.where(grade == 0, "K", grade.astype(str))
        course = np.where(content_idx == c, np.char.add(COURSE_PREFIX[content], grade_label.astype(str)), course)
        high = (content_idx == c) & (grade >= 9)
        course = np.where(high, np.array(HIGH_SCHOOL_COURSES[content])[np.clip(grade - 9, 0, 3)], course)
    course = course.astype(str)
    start_year = np.array([y[2:4] for y in SCHOOL_YEARS])[sections["year_idx"].to_numpy()]
    section_label = np.char.zfill((number + 1).astype(str), 2)
    section_id = _join(school, "-", course, "-", section_label, "-", start_year)
    # Elementary: the homeroom teacher of (grade, homeroom); secondary: up to five sections each.
    grade_in_school = np.where(grade >= 9, grade - 9, grade - 6)
    secondary_slot = 40 + content_idx * 20 + grade_in_school * 4 + number // SECTIONS_PER_SECONDARY_TEACHER
    teacher_no = np.where(is_elementary, grade * 6 + number + 1, secondary_slot)
    teacher_id = _join("T", school, "-", np.char.zfill(teacher_no.astype(str), 2))
    uses_plus_minus = np.array([zlib.crc32(t.encode()) % 100 < PLUS_MINUS_TEACHER_SHARE * 100 for t in teacher_id])
    sections = sections.assign(
        section_idx=np.arange(len(sections)),
        course_id=course,
        section_id=section_id,
        teacher_id=teacher_id,
        uses_plus_minus=uses_plus_minus,
        teacher_effect=rng.normal(0, TEACHER_EFFECT_SD, len(sections)),
        level=[standard_level_for_grade(CONTENT_AREAS[c], g) for c, g in zip(content_idx, grade)],
    )
    return sections


def _join(*parts) -> np.ndarray:
    out = np.asarray(parts[0]).astype(str)
    for part in parts[1:]:
        out = np.char.add(out, np.asarray(part).astype(str))
    return out
