"""Each student's majority score per continuum level (docs/numbers.md, continuum position), in numpy.

For a student x school year x content area x calculation method x continuum level: how many of the level's
standards the student was assessed on, and `majority_score`, the (floor(n/2) + 1)-th highest calculated
score among them. A student is proficient on most (> 50%) of the level's assessed standards exactly when
majority_score >= the cut, so the mart holds no cut and every query applies its own.

The year groups of etl/standard_scores.py come in key order, and standards are numbered by content area and
level, so a student's standards of one level are a run of adjacent groups; one sort per method puts each
run's scores in descending order. This replaced SQL list aggregation that cost several times more.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pyarrow as pa

from etl.arrow_columns import ENROLLMENT_COLUMNS, dictionary, enrollment, student_year
from warehouse.config import METHODS

SCORE_UNITS = 10**9  # calculated scores keep nine decimals, so this many units per point order them exactly
UNIT_BITS = (4 * SCORE_UNITS).bit_length()  # a score from 0 to 4 in units


def continuum_levels_table(keys, groups) -> pa.Table:
    """One row per enrolled student-year with a grade, content area, method and continuum level assessed."""
    facts = keys.standards.facts
    area = facts["content_area_code"].to_numpy()[groups.standard]
    level = facts["continuum_level"].to_numpy(dtype=np.float64, na_value=np.nan)[groups.standard]
    pairs = keys.pairs
    has_grade = pairs["grade_level"].is_valid().to_numpy(zero_copy_only=False)[groups.pair]
    counted = np.flatnonzero((area >= 0) & ~np.isnan(level) & has_grade)
    starts, ends = _runs(groups.pair[counted], area[counted], level[counted])
    with ThreadPoolExecutor(max_workers=2) as pool:
        majority = dict(
            zip(
                METHODS,
                pool.map(lambda method: _majority_scores(groups.results[method][counted], starts, ends), METHODS),
            )
        )
    first = counted[starts]
    pair = np.tile(groups.pair[first], len(METHODS))
    n_runs = len(starts)
    return pa.table(
        {
            **student_year(keys, pair),
            "content_area": dictionary(np.tile(area[first], len(METHODS)), keys.standards.content_areas),
            "method": dictionary(np.repeat(np.arange(len(METHODS)), n_runs), pa.array(list(METHODS), pa.string())),
            "continuum_level": np.tile(level[first].astype(np.int32), len(METHODS)),
            "n_assessed": np.tile(ends - starts, len(METHODS)),
            "majority_score": np.concatenate([majority[method] for method in METHODS]),
            **enrollment(keys, pair, ENROLLMENT_COLUMNS),
        }
    )


def _majority_scores(scores: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The (floor(n/2) + 1)-th highest score of each run. Each score becomes an integer of SCORE_UNITS per
    point, counted down from 4, under its run number: one plain sort (SIMD, several times faster than
    argsort) orders every run highest first. The score returned is the run's own score at that rank."""
    lengths = ends - starts
    run = np.repeat(np.arange(len(starts), dtype=np.int64), lengths)
    descending = 4 * SCORE_UNITS - np.rint(np.clip(scores, 0, 4) * SCORE_UNITS).astype(np.int64)
    ranked = np.sort((run << UNIT_BITS) | descending)[starts + lengths // 2] & ((1 << UNIT_BITS) - 1)
    # the run's score with that many units (scores closer than a unit are the same score at nine decimals)
    is_majority = descending == np.repeat(ranked, lengths)
    return scores[np.maximum.reduceat(np.where(is_majority, np.arange(len(scores)), -1), starts)]


def _runs(pair: np.ndarray, area: np.ndarray, level: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end of each run of rows with the same student-year, content area and level."""
    changes = (pair[1:] != pair[:-1]) | (area[1:] != area[:-1]) | (level[1:] != level[:-1])
    starts = np.flatnonzero(np.r_[True, changes]) if len(pair) else np.array([], dtype=np.int64)
    return starts, np.r_[starts[1:], len(pair)].astype(np.int64)
