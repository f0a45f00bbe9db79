"""The demo district's export files as frames: the roster and the gradebooks, with school days and
assessment names."""

from __future__ import annotations

import numpy as np
import pandas as pd

from etl.demo_district.settings import (
    GENDERS,
    MARK_SCORES,
    MARKS,
    RACES,
    SCHOOL_IDS,
    SCHOOL_LEVELS,
    SCHOOL_NAMES,
    SCHOOL_YEARS,
    TERMS,
)

# ================================================================ output frames


def roster_frame(enrollments: pd.DataFrame, students: pd.DataFrame) -> pd.DataFrame:
    s = enrollments["student_idx"].to_numpy()
    school = enrollments["school_idx"].to_numpy()
    frame = pd.DataFrame(
        {
            "school_year": np.array(SCHOOL_YEARS)[enrollments["year_idx"].to_numpy()],
            "student_id": students["student_id"].to_numpy()[s],
            "last_name": students["last_name"].to_numpy()[s],
            "first_name": students["first_name"].to_numpy()[s],
            "school_id": SCHOOL_IDS[school],
            "school_name": SCHOOL_NAMES[school],
            "school_level": SCHOOL_LEVELS[school],
            "grade_level": enrollments["grade"].to_numpy(),
            "gender": GENDERS[students["gender"].to_numpy()[s]],
            "race_ethnicity": RACES[students["race"].to_numpy()[s]],
            "is_ell": enrollments["is_ell"].to_numpy(),
            "is_iep": enrollments["is_iep"].to_numpy(),
            "is_504": enrollments["is_504"].to_numpy(),
            "is_econ_disadv": enrollments["is_econ_disadv"].to_numpy(),
        }
    )
    return frame.sort_values(
        ["school_year", "school_id", "grade_level", "student_id"], kind="stable", ignore_index=True
    )


def gradebook_frame(
    scores: dict, students: pd.DataFrame, sections: pd.DataFrame, continuum: pd.DataFrame
) -> list[pd.DataFrame]:
    """One frame per school year, sorted as a gradebook export: section, date, assessment, student.

    Text columns are categoricals over small tables (codes + categories), so a million rows cost
    no string work until DuckDB writes them.
    """
    day_idx, terms = _school_days(scores)
    name_codes, name_values = _assessment_names(scores, sections, continuum)
    course_codes, courses = pd.factorize(sections["course_id"])
    teacher_codes, teachers = pd.factorize(sections["teacher_id"])
    frames = []
    for year_idx, year in enumerate(SCHOOL_YEARS):
        rows = np.flatnonzero(scores["year_idx"] == year_idx)
        order = np.lexsort(
            (
                scores["student_idx"][rows],
                scores["standard_idx"][rows],
                name_codes[rows],
                day_idx[rows],
                scores["section_idx"][rows],
            )
        )
        rows = rows[order]
        section = scores["section_idx"][rows]
        mark = scores["mark"][rows]
        frames.append(
            pd.DataFrame(
                {
                    "student_id": _categorical(scores["student_idx"][rows], students["student_id"]),
                    "school_year": _categorical(np.zeros(len(rows), dtype=np.int64), [year]),
                    "term": _categorical(terms[rows], TERMS),
                    "assessed_on": _categorical(day_idx[rows], school_calendar(int(year[:4])).astype(str)),
                    "school_id": _categorical(scores["school_idx"][rows], SCHOOL_IDS),
                    "course_id": _categorical(course_codes[section], courses),
                    "section_id": _categorical(section, sections["section_id"]),
                    "teacher_id": _categorical(teacher_codes[section], teachers),
                    "standard_code": _categorical(scores["standard_idx"][rows], continuum["standard_code"]),
                    "score": pd.array(MARK_SCORES[mark], dtype="Float64"),
                    "mark": _categorical(mark, MARKS),
                    "assessment_type": _categorical(
                        scores["summative"][rows].astype(np.int64), ["formative", "summative"]
                    ),
                    "assessment_name": _categorical(name_codes[rows], name_values),
                }
            )
        )
    return frames


def _categorical(codes: np.ndarray, categories) -> pd.Categorical:
    return pd.Categorical.from_codes(codes, categories=pd.Index(list(categories), dtype=object))


def _school_days(scores: dict) -> tuple[np.ndarray, np.ndarray]:
    """Map each row's point in the year (0..1) to a school day of that year, and that day's term."""
    day_idx = np.empty(len(scores["when"]), dtype=np.int64)
    terms = np.empty(len(scores["when"]), dtype=np.int64)
    for year_idx, year in enumerate(SCHOOL_YEARS):
        n_days = len(school_calendar(int(year[:4])))
        rows = scores["year_idx"] == year_idx
        idx = np.minimum((scores["when"][rows] * n_days).astype(np.int64), n_days - 1)
        day_idx[rows] = idx
        terms[rows] = idx * len(TERMS) // n_days
    return day_idx, terms


def school_calendar(start_year: int) -> np.ndarray:
    """Weekdays from late August to early June, less Thanksgiving, winter and spring breaks."""
    days = np.arange(np.datetime64(f"{start_year}-08-21"), np.datetime64(f"{start_year + 1}-06-07"))
    weekday = np.is_busday(days)
    thanksgiving = np.busday_offset(np.datetime64(f"{start_year}-11-01"), 3, roll="forward", weekmask="Thu")
    breaks = [
        (thanksgiving - 1, thanksgiving + 2),
        (np.datetime64(f"{start_year}-12-22"), np.datetime64(f"{start_year + 1}-01-02")),
        (np.datetime64(f"{start_year + 1}-03-23"), np.datetime64(f"{start_year + 1}-03-31")),
    ]
    off = np.zeros(len(days), dtype=bool)
    for first, last in breaks:
        off |= (days >= first) & (days <= last)
    return days[weekday & ~off]


def _assessment_names(scores: dict, sections: pd.DataFrame, continuum: pd.DataFrame) -> tuple[np.ndarray, list]:
    """Names a teacher would give ("MATH4 Unit 3 Check", "ALG1 Unit 5 Assessment", "MATH4 Intervention
    Check NBT"), as codes into a sorted list of the distinct names."""
    course_codes, courses = pd.factorize(sections["course_id"])
    strand_codes, strands = pd.factorize(continuum["strand"])
    course = course_codes[scores["section_idx"]]
    kind = np.where(scores["summative"], 0, np.where(scores["reassessment"], 1, 2))
    off_level = scores["off_level"] != 0
    kind = np.where(off_level, np.where(scores["off_level"] == -1, 3, 4), kind)
    unit = np.where(off_level, 0, scores["unit"])
    strand = np.where(off_level, strand_codes[scores["standard_idx"]], 0)
    key = ((course * 10 + unit) * 5 + kind) * (len(strands) + 1) + strand
    unique_keys, codes = np.unique(key, return_inverse=True)
    labels = []
    for k in unique_keys:  # a few thousand distinct names, not a loop over rows
        k, strand_k = divmod(int(k), len(strands) + 1)
        k, kind_k = divmod(k, 5)
        course_k, unit_k = divmod(k, 10)
        if kind_k >= 3:
            task = ("Intervention Check", "Extension Task")[kind_k - 3]
            labels.append(f"{courses[course_k]} {task} {strands[strand_k]}")
        else:
            labels.append(f"{courses[course_k]} Unit {unit_k} {('Assessment', 'Reassessment', 'Check')[kind_k]}")
    order = np.argsort(labels, kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank[codes], [labels[i] for i in order]
