"""From scores to the per-student calculations of docs/numbers.md, as Arrow tables for the marts.

- standard_results (mart_standard_scores): every calculation method per student x standard x school year
  (etl/calculations.py on the group's pieces of evidence, oldest first), with the pieces themselves as a
  list: a student's scores on one standard on one day are one piece whose value is their mean. Rows come in
  key order (school year, school, grade, student, standard), so a filter on school_year and school_id reads
  few row groups;
- content_area_rows (mart_content_area_scores): per enrolled student x content area x year, and x term, the
  mean of each method's standard scores, with the enrollment's school, grade and groups. The per-term
  standard scores are computed for it and not stored (no page reads them);
- term_starts (mart_terms): each term's first evidence date;
- continuum_levels (mart_continuum_position): etl/continuum_levels.py.

Everything works on the sorted integer keys of etl/score_keys.py: runs of equal keys are groups, and numpy's
reduceat sums each run in one pass. Writing ten million rows of strings is what costs most in DuckDB, so the
pieces are stored as lists inside the 3 million student x standard rows rather than as rows of their own.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from etl.arrow_columns import ENROLLMENT_COLUMNS, dates, dictionary, enrollment, student_year
from etl.calculations import calculate, group_bounds
from etl.continuum_levels import continuum_levels_table
from etl.score_keys import ScoreKeys, score_keys, sort_with_order
from warehouse.config import METHODS

CONTENT_SCORE_DECIMALS = 9  # as the standard scores: a student exactly at the cut counts as proficient
# A dense cell number (student-year x term x content area) is used when it wastes at most this many empty
# cells per row counted; otherwise the cells are numbered by sorting.
DENSE_CELLS_PER_ROW = 4
PIECES_PER_CHUNK = 1 << 20


@dataclass
class Pieces:
    """Pieces of evidence in key order."""

    key: np.ndarray  # the rows' key (student-year, standard, day)
    value: np.ndarray  # mean of the day's scores
    n_scores: np.ndarray
    term: np.ndarray  # the smallest term code among the day's scores (as min(term) in SQL)
    marks: pa.ListArray  # the day's marks as written


def build(con, decaying_weight: float, most_recent_n: int, school_years: list[str]) -> Iterator[tuple[str, pa.Table]]:
    """Yields each Arrow relation of the given school years as soon as it is ready, so the caller can write one
    mart while the next is computed: term_starts, standard_results, continuum_levels, content_area_rows.
    Every figure is a student-year's own, so a year computed alone gives the rows it gives among others."""
    keys = score_keys(con, school_years)
    pieces = _pieces(keys)
    del keys.key, keys.score, keys.term, keys.mark  # the pieces hold what is left of them
    yield "term_starts", _term_starts(keys, pieces)
    chunks = _chunks_at_pairs(pieces.key >> (keys.std_bits + keys.day_bits))
    # Chunks of whole student-years keep numpy's temporaries small, and numpy releases the GIL in its loops,
    # so two threads calculate side by side; per-term scores are reduced to content-area cells in the chunk.
    with ThreadPoolExecutor(max_workers=2) as pool:
        year_jobs = [pool.submit(_year_chunk, keys, pieces, a, b, decaying_weight, most_recent_n) for a, b in chunks]
        term_jobs = [pool.submit(_term_chunk, keys, pieces, a, b, decaying_weight, most_recent_n) for a, b in chunks]
        by_year = _concatenated([job.result()[0] for job in year_jobs])
        yield "standard_results", _results_table(keys, by_year, pieces)
        yield "continuum_levels", continuum_levels_table(keys, by_year)
        cells = _concatenated([job.result()[1] for job in year_jobs] + [job.result() for job in term_jobs])
    yield "content_area_rows", _content_area_table(keys, cells)


def _chunks_at_pairs(pair: np.ndarray) -> list[tuple[int, int]]:
    """Piece ranges of about PIECES_PER_CHUNK that never split a student-year."""
    pair_starts = np.flatnonzero(np.r_[True, pair[1:] != pair[:-1]]) if len(pair) else np.array([], dtype=np.int64)
    wanted = np.arange(PIECES_PER_CHUNK, len(pair), PIECES_PER_CHUNK)
    cuts = pair_starts[np.minimum(np.searchsorted(pair_starts, wanted), len(pair_starts) - 1)] if len(wanted) else []
    bounds = np.unique(np.r_[0, cuts, len(pair)]).astype(np.int64)
    return list(zip(bounds[:-1].tolist(), bounds[1:].tolist())) or [(0, 0)]  # no scores: one empty chunk


def _concatenated(parts: list):
    """One Groups or ContentAreaCells from the chunks' own, in chunk order."""
    first = parts[0]
    fields = {}
    for name, value in vars(first).items():
        if isinstance(value, dict):
            fields[name] = {k: np.concatenate([vars(p)[name][k] for p in parts]) for k in value}
        elif value is None:
            fields[name] = None
        else:
            fields[name] = np.concatenate([vars(p)[name] for p in parts])
    return type(first)(**fields)


def _pieces(keys: ScoreKeys) -> Pieces:
    key, order = sort_with_order(keys.key, keys.key_bits)
    starts, ends = group_bounds(key)
    n_scores = ends - starts
    value = np.add.reduceat(keys.score[order], starts) / n_scores
    term = np.minimum.reduceat(keys.term[order], starts)
    marks = pa.ListArray.from_arrays(
        pa.array(np.r_[starts, len(key)], pa.int32()), keys.mark.take(pa.array(order)).combine_chunks()
    )
    return Pieces(key=key[starts], value=value, n_scores=n_scores, term=term, marks=marks)


@dataclass
class Groups:
    """Calculated scores per group: a student x standard x year (term = the no-term code) or x term."""

    pair: np.ndarray
    standard: np.ndarray
    term: np.ndarray
    results: dict[str, np.ndarray]
    starts: np.ndarray  # each group's first piece
    first_day: np.ndarray | None = None  # day codes (year groups only); 0 when the group has no dated evidence
    latest_day: np.ndarray | None = None


def _year_chunk(keys: ScoreKeys, pieces: Pieces, a: int, b: int, weight: float, n_recent: int):
    """Student x standard x year groups of pieces a..b, and their content-area cells."""
    key = pieces.key[a:b]
    group = key >> keys.day_bits
    starts, _ = group_bounds(group)
    first_day, latest_day = _first_and_latest_days(key & keys.day_mask, starts)
    pair_standard = group[starts]
    groups = Groups(
        pair=pair_standard >> keys.std_bits,
        standard=pair_standard & keys.std_mask,
        term=np.full(len(starts), len(keys.terms.values), dtype=np.int32),
        results=calculate(group, pieces.value[a:b], weight, n_recent),
        starts=starts + a,
        first_day=first_day,
        latest_day=latest_day,
    )
    return groups, _content_area_cells(keys, groups)


def _term_chunk(keys: ScoreKeys, pieces: Pieces, a: int, b: int, weight: float, n_recent: int) -> ContentAreaCells:
    """Student x standard x term groups of pieces a..b, reduced to their content-area cells."""
    has_term = pieces.term[a:b] < len(keys.terms.values)
    group = ((pieces.key[a:b][has_term] >> keys.day_bits) << keys.term_bits) | pieces.term[a:b][has_term]
    value = pieces.value[a:b][has_term]
    # Already in day order within each student x standard; when terms follow the calendar (the usual case)
    # this is also term order, else a stable sort by term keeps day order within each term.
    if len(group) > 1 and not np.all(group[1:] >= group[:-1]):
        order = np.argsort(group, kind="stable")
        group, value = group[order], value[order]
    starts, _ = group_bounds(group)
    pair_standard, term = np.divmod(group[starts], 1 << keys.term_bits)
    groups = Groups(
        pair=pair_standard >> keys.std_bits,
        standard=pair_standard & keys.std_mask,
        term=term.astype(np.int32),
        results=calculate(group, value, weight, n_recent),
        starts=starts,
    )
    return _content_area_cells(keys, groups)


def _first_and_latest_days(day: np.ndarray, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per group, as min(assessed_on) and max(assessed_on): undated pieces (day 0) are ignored."""
    if len(starts) == 0:
        return day[:0], day[:0]
    never = np.iinfo(np.int64).max
    first = np.minimum.reduceat(np.where(day == 0, never, day), starts)
    return np.where(first == never, 0, first), np.maximum.reduceat(day, starts)


# ---------------------------------------------------------------- Arrow tables


def _standard(keys: ScoreKeys, standard: np.ndarray) -> dict[str, pa.Array]:
    facts = keys.standards.facts
    return {
        "standard_code": dictionary(standard, keys.standards.values),
        "content_area": pa.array(facts["content_area"], pa.string()).dictionary_encode().take(pa.array(standard)),
        "continuum_level": pa.array(facts["continuum_level"], pa.int32(), from_pandas=True).take(pa.array(standard)),
    }


def _results_table(keys: ScoreKeys, groups: Groups, pieces: Pieces) -> pa.Table:
    results = groups.results
    return pa.table(
        {
            **student_year(keys, groups.pair),
            "term": pa.nulls(len(groups.pair), pa.string()),
            **_standard(keys, groups.standard),
            "n_evidence": results["n_evidence"],
            **{f"score_{method}": results[method] for method in (*METHODS, "first")},
            "first_assessed_on": dates(keys, groups.first_day),
            "latest_assessed_on": dates(keys, groups.latest_day),
            **enrollment(keys, groups.pair, ("school_id", "grade_level")),
            "pieces": _piece_lists(keys, pieces, groups.starts),
        }
    )


def _piece_lists(keys: ScoreKeys, pieces: Pieces, starts: np.ndarray) -> pa.ListArray:
    """Each group's pieces, oldest first: its date, value, how many scores that day's value averages, and
    their marks as written (for the PLC meeting's list of marks, which would otherwise scan every score)."""
    offsets = pa.array(np.r_[starts, len(pieces.key)], pa.int32())
    items = pa.StructArray.from_arrays(
        [
            dates(keys, pieces.key & keys.day_mask),
            pa.array(pieces.value),
            pa.array(pieces.n_scores, pa.int32()),
            pieces.marks,
        ],
        names=["assessed_on", "day_score", "n_scores", "marks"],
    )
    return pa.ListArray.from_arrays(offsets, items)


def _term_starts(keys: ScoreKeys, pieces: Pieces) -> pa.Table:
    """Each school year's terms with their first dated piece of evidence (null when none is dated)."""
    year = keys.pairs["year"].to_numpy()[pieces.key >> (keys.std_bits + keys.day_bits)]
    n_terms = len(keys.terms.values) + 1
    day = pieces.key & keys.day_mask
    cell = year * n_terms + pieces.term
    never = np.iinfo(np.int64).max
    first = np.full(len(keys.years.values) * n_terms, never, dtype=np.int64)
    np.minimum.at(first, cell, np.where(day == 0, never, day))
    seen = np.zeros(len(first), dtype=bool)
    seen[cell] = True
    cells = np.flatnonzero(seen)
    year_of, term_of = np.divmod(cells, n_terms)
    keep = term_of < n_terms - 1  # a piece without a term has no place among the terms
    first_day = np.where(first[cells] == never, 0, first[cells])[keep]
    return pa.table(
        {
            "school_year": dictionary(year_of[keep], keys.years.values),
            "term": dictionary(term_of[keep], keys.terms.values),
            "first_assessed_on": dates(keys, first_day),
        }
    )


@dataclass
class ContentAreaCells:
    """Per student-year (enrolled) x term (or the year) x content area: each method's mean standard score."""

    pair: np.ndarray
    term: np.ndarray
    area: np.ndarray
    scores: dict[str, np.ndarray]
    n_standards: np.ndarray
    n_evidence: np.ndarray


def _content_area_cells(keys: ScoreKeys, groups: Groups) -> ContentAreaCells:
    """One bincount per method over a cell number; a dense number when the cells fit, else a sorted one.
    Groups of students not enrolled that year and standards without a content area count in no cell."""
    area_codes = keys.standards.facts["content_area_code"].to_numpy()[groups.standard]
    n_areas, n_terms = keys.standards.n_content_areas, len(keys.terms.values) + 1
    counted = (area_codes >= 0) & keys.pairs["is_enrolled"].to_numpy(zero_copy_only=False)[groups.pair]
    # a chunk holds whole student-years: cells are numbered from its first one
    base = int(groups.pair.min()) if len(groups.pair) else 0
    cell = ((groups.pair[counted] - base) * n_terms + groups.term[counted]) * n_areas + area_codes[counted]
    span = (int(groups.pair.max()) - base + 1) * n_terms * n_areas if len(groups.pair) else 0
    if span <= DENSE_CELLS_PER_ROW * max(len(cell), 1):
        cells, cell_of = None, cell
    else:
        cells, cell_of = np.unique(cell, return_inverse=True)
    n_standards = np.bincount(cell_of)
    present = np.flatnonzero(n_standards) if cells is None else np.arange(len(cells))
    cells = present if cells is None else cells
    scores = {}
    for method in METHODS:
        sums = np.bincount(cell_of, weights=groups.results[method][counted])[present]
        scores[method] = np.round(sums / n_standards[present], CONTENT_SCORE_DECIMALS)
    n_evidence = np.bincount(cell_of, weights=groups.results["n_evidence"][counted])[present].astype(np.int64)
    pair, rest = np.divmod(cells, n_terms * n_areas)
    term, area = np.divmod(rest, n_areas)
    pair = pair + base
    return ContentAreaCells(
        pair=pair, term=term, area=area, scores=scores, n_standards=n_standards[present], n_evidence=n_evidence
    )


def _content_area_table(keys: ScoreKeys, cells: ContentAreaCells) -> pa.Table:
    return pa.table(
        {
            **student_year(keys, cells.pair),
            "term": dictionary(cells.term, keys.terms.values, n_null=len(keys.terms.values)),
            "content_area": dictionary(cells.area, keys.standards.content_areas),
            **{f"score_{method}": cells.scores[method] for method in METHODS},
            "n_standards_scored": cells.n_standards,
            "n_evidence": cells.n_evidence,
            **enrollment(keys, cells.pair, ENROLLMENT_COLUMNS),
        }
    )
