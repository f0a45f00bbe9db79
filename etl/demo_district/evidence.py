"""Which standards each section assesses and when, and the score each student gets on each."""

from __future__ import annotations

import numpy as np
import pandas as pd

from etl.demo_district.settings import (
    ABILITY_WEIGHT,
    ABOVE_GRADE_SHIFT,
    ATTENDANCE,
    BASE_SCORE,
    BELOW_GRADE_SHIFT,
    CONTENT_AREAS,
    EVIDENCE_PER_STANDARD,
    GAP_CLOSING_SCHOOL,
    GAP_SHARE_BY_YEAR,
    GROUP_PENALTY,
    GROWTH_PER_YEAR,
    LATEST_YEAR,
    NEVER_ASSESSED_LATEST_YEAR,
    NOISE_SD,
    NON_EVIDENCE,
    OFF_LEVEL_MEAN,
    OFF_LEVEL_STANDARDS,
    SCHOOL_EFFECT_BY_YEAR,
    SCHOOL_IDS,
    SCHOOL_YEARS,
    SECTION_STANDARD_SHARE,
    STANDARD_DIFFICULTY_SD,
)

# ================================================================ evidence plans


def plan_section_evidence(sections: pd.DataFrame, continuum: pd.DataFrame, rng: np.random.Generator) -> dict:
    """Which standards each section assesses, how often and on which school days.

    Within a (year, grade, content area) the sections assess overlapping windows of one shuffled
    list of the grade's standards, so that together they cover every standard (bar the planted
    never-assessed ones in the latest year) while each section covers only a share of them.
    """
    section_parts, standard_parts, position_parts, window_parts = [], [], [], []
    groups = sections.groupby(["year_idx", "content_idx", "level"], sort=True)
    for (year_idx, content_idx, level), group in groups:
        content = CONTENT_AREAS[content_idx]
        standards = _grade_standards(continuum, content, level, SCHOOL_YEARS[year_idx])
        n, m = len(standards), len(group)
        if n == 0:
            continue
        k = min(n, max(1, round(SECTION_STANDARD_SHARE[content] * n), -(-n // m)))
        shuffled = standards[rng.permutation(n)]
        offsets = (np.arange(m) * n // m + rng.integers(0, n)) % n
        window = (offsets[:, None] + np.arange(k)[None, :]) % n
        section_parts.append(np.repeat(group["section_idx"].to_numpy(), k))
        standard_parts.append(shuffled[window].ravel())
        position_parts.append(np.tile(np.arange(k), m))
        window_parts.append(np.full(m * k, k))
    pair_section = np.concatenate(section_parts)
    pair_standard = np.concatenate(standard_parts)
    # Pacing: a section teaches its window in order through the year, then re-assesses.
    first_time = (np.concatenate(position_parts) + rng.random(len(pair_section))) / np.concatenate(window_parts) * 0.85
    n_evidence = rng.choice(EVIDENCE_PER_STANDARD[0], size=len(pair_section), p=EVIDENCE_PER_STANDARD[1])
    pair = np.repeat(np.arange(len(pair_section)), n_evidence)
    nth = _rank_within(pair)
    gap = np.where(nth == 0, 0.0, rng.uniform(0.04, 0.12, len(pair)))
    when = first_time[pair] + _cumsum_within(gap, pair)
    keep = when < 1.0  # late re-assessments past the year's end simply do not happen
    pair, nth, when = pair[keep], nth[keep], when[keep]
    is_last = np.r_[pair[1:] != pair[:-1], True]
    summative = rng.random(len(pair)) < np.where(is_last, 0.65, 0.12)
    unit = (first_time[pair] / 0.85 * 6).astype(np.int64) + 1
    return {
        "section_idx": pair_section[pair],
        "standard_idx": pair_standard[pair],
        "when": when,
        "summative": summative,
        "unit": unit,
        "reassessment": nth > 0,
    }


def _grade_standards(continuum: pd.DataFrame, content: str, level: int, year: str) -> np.ndarray:
    rows = (continuum["content_area"] == content) & (continuum["continuum_level"] == level)
    if year == LATEST_YEAR:
        rows &= ~continuum["standard_code"].isin(_never_assessed_codes())
    return np.flatnonzero(rows.to_numpy())


def _never_assessed_codes() -> list[str]:
    return [code for codes in NEVER_ASSESSED_LATEST_YEAR.values() for code in codes]


def _rank_within(group: np.ndarray) -> np.ndarray:
    """0, 1, 2, ... within runs of equal values of a sorted group array."""
    starts = np.r_[0, np.flatnonzero(group[1:] != group[:-1]) + 1]
    run_start = np.repeat(starts, np.diff(np.r_[starts, len(group)]))
    return np.arange(len(group)) - run_start


def _cumsum_within(values: np.ndarray, group: np.ndarray) -> np.ndarray:
    total = np.cumsum(values)
    starts = np.r_[0, np.flatnonzero(group[1:] != group[:-1]) + 1]
    before = np.r_[0.0, total][starts]
    return total - np.repeat(before, np.diff(np.r_[starts, len(group)]))


def attend(evidence: dict, placements: pd.DataFrame, rng: np.random.Generator) -> dict:
    """Every student of a section gets each of its assessments, unless absent that day."""
    order = np.argsort(placements["section_idx"].to_numpy(), kind="stable")
    members = placements["enroll_idx"].to_numpy()[order]
    n_sections = int(placements["section_idx"].max()) + 1
    size = np.bincount(placements["section_idx"].to_numpy(), minlength=n_sections)
    start = np.r_[0, np.cumsum(size)[:-1]]
    event_size = size[evidence["section_idx"]]
    event = np.repeat(np.arange(len(event_size)), event_size)
    offset = np.arange(len(event)) - np.repeat(np.cumsum(event_size) - event_size, event_size)
    enroll = members[start[evidence["section_idx"]][event] + offset]
    present = rng.random(len(event)) < ATTENDANCE
    rows = {key: value[event[present]] for key, value in evidence.items()}
    rows["enroll_idx"] = enroll[present]
    rows["off_level"] = np.zeros(present.sum(), dtype=np.int64)
    return rows


def plan_off_level_evidence(
    enrollments: pd.DataFrame,
    students: pd.DataFrame,
    placements: pd.DataFrame,
    continuum: pd.DataFrame,
    rng: np.random.Generator,
) -> dict:
    """Pattern 3: intervention checks below grade level and extension tasks above it."""
    kind = students["off_level_kind"].to_numpy()[enrollments["student_idx"]]
    content_idx = students["off_level_content"].to_numpy()[enrollments["student_idx"]]
    grade = enrollments["grade"].to_numpy()
    eligible = ((kind == -1) & (grade >= 2) & (grade <= 8)) | ((kind == 1) & (grade <= 7))
    target = np.where(kind == -1, np.where(grade >= 3, grade - 2, grade - 1), grade + 1)
    section_of = placements.set_index(["enroll_idx", "content_idx"])["section_idx"]
    parts = []
    for c, content in enumerate(CONTENT_AREAS[:2]):
        for level in range(13):
            enroll_idx = np.flatnonzero(eligible & (content_idx == c) & (target == level))
            standards = np.flatnonzero(
                ((continuum["content_area"] == content) & (continuum["continuum_level"] == level)).to_numpy()
            )
            if len(enroll_idx) == 0 or len(standards) == 0:
                continue
            k = min(OFF_LEVEL_STANDARDS, len(standards))
            picks = standards[np.argsort(rng.random((len(enroll_idx), len(standards))), axis=1)[:, :k]]
            sections = section_of.loc[list(zip(enroll_idx, np.full(len(enroll_idx), c)))].to_numpy()
            parts.append(
                (np.repeat(enroll_idx, k), np.repeat(sections, k), picks.ravel(), np.repeat(kind[enroll_idx], k))
            )
    enroll_idx, section_idx, standard_idx, direction = (np.concatenate(p) for p in zip(*parts))
    n_evidence = rng.integers(2, 4, size=len(enroll_idx))
    pair = np.repeat(np.arange(len(enroll_idx)), n_evidence)
    nth = _rank_within(pair)
    first = rng.uniform(0.05, 0.6, len(enroll_idx))
    when = first[pair] + _cumsum_within(np.where(nth == 0, 0.0, rng.uniform(0.08, 0.15, len(pair))), pair)
    is_last = np.r_[pair[1:] != pair[:-1], True]
    return {
        "section_idx": section_idx[pair],
        "standard_idx": standard_idx[pair],
        "when": np.minimum(when, 0.99),
        "summative": is_last & (rng.random(len(pair)) < 0.4),
        "unit": np.zeros(len(pair), dtype=np.int64),
        "reassessment": nth > 0,
        "enroll_idx": enroll_idx[pair],
        "off_level": direction[pair],
    }


def concat_columns(a: dict, b: dict) -> dict:
    return {key: np.concatenate([a[key], b[key]]) for key in a}


def drop_never_assessed(rows: dict, enrollments: pd.DataFrame, continuum: pd.DataFrame) -> dict:
    """Pattern 2: no evidence at all on the named standards in the latest year, from anyone."""
    never = continuum["standard_code"].isin(_never_assessed_codes()).to_numpy()
    latest = enrollments["year_idx"].to_numpy()[rows["enroll_idx"]] == len(SCHOOL_YEARS) - 1
    keep = ~(never[rows["standard_idx"]] & latest)
    return {key: value[keep] for key, value in rows.items()}


# ================================================================ scores


def score_evidence(
    rows: dict,
    enrollments: pd.DataFrame,
    students: pd.DataFrame,
    sections: pd.DataFrame,
    continuum: pd.DataFrame,
    rng: np.random.Generator,
    plc_boost: np.ndarray | None = None,
) -> dict:
    """Latent proficiency -> mark and score, for all rows at once."""
    n = len(rows["enroll_idx"])
    enroll = rows["enroll_idx"]
    year_idx = enrollments["year_idx"].to_numpy()[enroll]
    school_idx = enrollments["school_idx"].to_numpy()[enroll]
    student_idx = enrollments["student_idx"].to_numpy()[enroll]
    content_idx = sections["content_idx"].to_numpy()[rows["section_idx"]]
    base = np.array([BASE_SCORE[c] for c in CONTENT_AREAS])[content_idx]
    difficulty = rng.normal(0, STANDARD_DIFFICULTY_SD, len(continuum))[rows["standard_idx"]]
    latent = (
        base
        + ABILITY_WEIGHT * students["ability"].to_numpy()[student_idx]
        + _school_effect(school_idx, year_idx)
        - _group_penalty(enrollments, enroll, school_idx, year_idx)
        + GROWTH_PER_YEAR * (rows["when"] - 0.5)
        + difficulty
        + sections["teacher_effect"].to_numpy()[rows["section_idx"]]
        + rng.normal(0, NOISE_SD, n)
    )
    latent += _off_level_shift(rows, students, student_idx, content_idx)
    if plc_boost is not None:
        latent += plc_boost
    # On the standards they are working on, off-level students sit near proficient whatever their grade work.
    off_level = rows["off_level"] != 0
    latent[off_level] = (
        OFF_LEVEL_MEAN
        + GROWTH_PER_YEAR * (rows["when"][off_level] - 0.5)
        + rng.normal(0, NOISE_SD * 0.8, off_level.sum())
    )
    plus_minus = sections["uses_plus_minus"].to_numpy()[rows["section_idx"]]
    mark = _mark_codes(latent, plus_minus)
    mark = _non_evidence(mark, rng)
    return {**rows, "mark": mark, "year_idx": year_idx, "school_idx": school_idx, "student_idx": student_idx}


def _school_effect(school_idx: np.ndarray, year_idx: np.ndarray) -> np.ndarray:
    table = np.array([SCHOOL_EFFECT_BY_YEAR.get(s, SCHOOL_EFFECT_BY_YEAR["other"]) for s in SCHOOL_IDS])
    return table[school_idx, year_idx]


def _group_penalty(
    enrollments: pd.DataFrame, enroll: np.ndarray, school_idx: np.ndarray, year_idx: np.ndarray
) -> np.ndarray:
    """Pattern 1: program-flag penalties, shrinking fast in the gap-closing school only."""
    penalty = np.zeros(len(enroll))
    for flag, size in GROUP_PENALTY.items():
        penalty += size * enrollments[flag].to_numpy()[enroll]
    closing = np.array(GAP_SHARE_BY_YEAR["closing"])[year_idx]
    elsewhere = np.array(GAP_SHARE_BY_YEAR["elsewhere"])[year_idx]
    share = np.where(SCHOOL_IDS[school_idx] == GAP_CLOSING_SCHOOL, closing, elsewhere)
    return penalty * share


def _off_level_shift(
    rows: dict, students: pd.DataFrame, student_idx: np.ndarray, content_idx: np.ndarray
) -> np.ndarray:
    """Working below grade level shows on grade-level standards too (and above, upward)."""
    kind = students["off_level_kind"].to_numpy()[student_idx]
    own_content = students["off_level_content"].to_numpy()[student_idx] == content_idx
    shift = np.where(kind == -1, BELOW_GRADE_SHIFT, np.where(kind == 1, ABOVE_GRADE_SHIFT, 0.0))
    return np.where(own_content, shift, 0.0)


def _mark_codes(latent: np.ndarray, plus_minus: np.ndarray) -> np.ndarray:
    """Index into MARKS: whole marks at the half points; 2+ / 3- for teachers who use them."""
    whole = np.digitize(latent, [1.5, 2.5, 3.5])  # 0..3 -> marks 1, 2, 3, 4
    whole_code = np.array([0, 1, 4, 5])[whole]
    graded = np.digitize(latent, [1.5, 2.1667, 2.5, 2.8333, 3.5])  # 1, 2, 2+, 3-, 3, 4
    return np.where(plus_minus, graded, whole_code)


def _non_evidence(mark: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    u = rng.random(len(mark))
    edges = np.cumsum(list(NON_EVIDENCE.values()))
    codes = np.array([6, 7, 8])  # IE, NY, EX
    is_code = u < edges[-1]
    mark = mark.copy()
    mark[is_code] = codes[np.digitize(u[is_code], edges[:-1])]
    return mark
