"""The demo district's staff survey (answers and invited counts) and implementation ratings."""

from __future__ import annotations

import numpy as np
import pandas as pd

from etl.demo_district.sections import _join
from etl.demo_district.settings import (
    COMMENT_ITEM,
    COMMENTS,
    CONSTRUCTS,
    CULTURE_BY_YEAR,
    LEADER_ADVANTAGE,
    LEADERS_INVITED,
    RESPONSE_RATE_BY_YEAR,
    RUBRIC_DOMAINS,
    RUBRIC_PLANTED,
    SCHOOL_IDS,
    SCHOOL_YEARS,
    STAGES,
    SURVEY_ID,
    SURVEY_ITEMS,
    SURVEY_SCALE_POINTS,
    TEACHERS_INVITED,
)

# ================================================================ staff survey


def build_survey(rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Generic long survey (a row per answer) and invited counts per school, role and wave."""
    invited_rows, respondents = [], []
    for year_idx, wave in enumerate(SCHOOL_YEARS):
        for school_idx, school in enumerate(SCHOOL_IDS):
            for role, invited_base in (("teacher", TEACHERS_INVITED), ("leader", LEADERS_INVITED)):
                n_invited = int(invited_base[school_idx] + rng.integers(-2, 3) * (role == "teacher"))
                rate = RESPONSE_RATE_BY_YEAR.get(school, None)
                rate = rate[year_idx] if rate else rng.uniform(0.62, 0.88)
                n_resp = int(min(n_invited, max(3, round(n_invited * (rate + rng.normal(0, 0.03))))))
                invited_rows.append((SURVEY_ID, wave, school, role, n_invited))
                respondents.append((year_idx, school_idx, role, n_resp))
    invited = pd.DataFrame(invited_rows, columns=["survey_id", "wave", "school_id", "role", "n_invited"])
    return _survey_answers(respondents, rng), invited


def _survey_answers(respondents: list[tuple], rng: np.random.Generator) -> pd.DataFrame:
    year_idx = np.concatenate([np.full(n, y) for y, _s, _r, n in respondents])
    school_idx = np.concatenate([np.full(n, s) for _y, s, _r, n in respondents])
    is_leader = np.concatenate([np.full(n, r == "leader") for _y, _s, r, n in respondents])
    number = np.concatenate([np.arange(n) for *_rest, n in respondents]) + np.where(is_leader, 901, 1)
    response_id = _join(
        np.array(SCHOOL_YEARS)[year_idx], "-", SCHOOL_IDS[school_idx], "-", np.char.zfill(number.astype(str), 4)
    )
    person = rng.normal(0, 0.45, len(year_idx))
    item_ids = np.array([i[0] for i in SURVEY_ITEMS])
    construct = np.array([i[1] for i in SURVEY_ITEMS])
    reverse = np.array([i[2] for i in SURVEY_ITEMS])
    item_offset = rng.normal(0, 0.15, len(SURVEY_ITEMS))
    culture = np.array([CULTURE_BY_YEAR.get(s, CULTURE_BY_YEAR["other"]) for s in SCHOOL_IDS])
    school_construct = rng.normal(0, 0.12, (len(SCHOOL_IDS), len(CONSTRUCTS)))  # each school's profile
    construct_idx = np.array([CONSTRUCTS.index(c) for c in construct])
    leader_bonus = np.where(construct == "trust", LEADER_ADVANTAGE["trust"], LEADER_ADVANTAGE["other"])
    agreement = (
        culture[school_idx, year_idx][:, None]
        + school_construct[school_idx][:, construct_idx]
        + person[:, None]
        + item_offset[None, :]
        + is_leader[:, None] * leader_bonus[None, :]
        + rng.normal(0, 0.7, (len(year_idx), len(SURVEY_ITEMS)))
    )
    agreement = np.clip(np.rint(agreement), 1, SURVEY_SCALE_POINTS).astype(np.int64)
    # A reverse-coded statement is agreed with when culture is poor: the stored answer is flipped.
    value = np.where(reverse[None, :], SURVEY_SCALE_POINTS + 1 - agreement, agreement).astype(float)
    value[rng.random(value.shape) < 0.025] = np.nan  # N/A
    n, k = value.shape
    answers = pd.DataFrame(
        {
            "survey_id": SURVEY_ID,
            "wave": np.repeat(np.array(SCHOOL_YEARS)[year_idx], k),
            "response_id": np.repeat(response_id, k),
            "school_id": np.repeat(SCHOOL_IDS[school_idx], k),
            "role": np.repeat(np.where(is_leader, "leader", "teacher"), k),
            "item_id": np.tile(item_ids, n),
            "item_text": np.tile(np.array([i[3] for i in SURVEY_ITEMS]), n),
            "construct": np.tile(construct, n),
            "is_reverse_coded": np.tile(reverse, n),
            "scale_points": SURVEY_SCALE_POINTS,
            "value": pd.array(value.ravel(), dtype="Int64"),
            "comment": pd.array([None] * (n * k), dtype="string"),
        }
    )
    commenter = np.flatnonzero(rng.random(n) < 0.3)
    comments = pd.DataFrame(
        {
            "survey_id": SURVEY_ID,
            "wave": np.array(SCHOOL_YEARS)[year_idx[commenter]],
            "response_id": response_id[commenter],
            "school_id": SCHOOL_IDS[school_idx[commenter]],
            "role": np.where(is_leader[commenter], "leader", "teacher"),
            "item_id": COMMENT_ITEM[0],
            "item_text": COMMENT_ITEM[2],
            "construct": COMMENT_ITEM[1],
            "is_reverse_coded": False,
            "scale_points": pd.array([None] * len(commenter), dtype="Int64"),
            "value": pd.array([None] * len(commenter), dtype="Int64"),
            "comment": pd.array(COMMENTS[rng.integers(0, len(COMMENTS), len(commenter))], dtype="string"),
        }
    )
    survey = pd.concat([answers, comments], ignore_index=True)
    return survey.sort_values(["wave", "school_id", "response_id", "item_id"], kind="stable", ignore_index=True)


# ================================================================ implementation rubric


def build_rubric(rng: np.random.Generator) -> pd.DataFrame:
    """Stages per school, year and domain; planted schools fixed, others advance at random paces."""
    rows = []
    for school in SCHOOL_IDS:
        for _d, domain in enumerate(RUBRIC_DOMAINS):
            planted = RUBRIC_PLANTED.get(school, {}).get(domain)
            if planted is None:
                # Others start at Exploring or Emerging and may climb a stage a year, to Proficient at most:
                # only the planted school reaches Breakthrough.
                start = rng.integers(0, 2)
                steps = rng.random(len(SCHOOL_YEARS) - 1) < 0.45
                planted = tuple(int(min(start + s, 2)) for s in np.r_[0, np.cumsum(steps)])
            for year_idx, year in enumerate(SCHOOL_YEARS):
                rows.append((school, year, domain, STAGES[planted[year_idx]]))
    return pd.DataFrame(rows, columns=["school_id", "school_year", "domain", "stage"])
