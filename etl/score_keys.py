"""Scores as sortable integers: each scored row's student-year, standard and day packed into one int64.

After one argsort of these keys, a piece of evidence (a student's scores on a standard on one day) is a
run of equal keys, and a student x standard x year is a run of equal keys once the day bits are shifted
off: one sort does the work of several SQL group-bys over strings. Strings stay dictionary codes until
the marts are written.

Orders chosen for the readers of the marts:
- student-years are numbered in enrollment order (school year, school, grade, student), so mart rows come
  out clustered by school and a PLC team's rows sit in a few row groups;
- standards are numbered by content area, continuum level and code, so a student's standards of one
  content area are adjacent;
- days count from 1; 0 is an undated score, which sorts first (as `assessed_on nulls first`).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

SCORED_ROWS = """
    select school_year, student_id, standard_code, term, assessed_on, score,
        coalesce(mark, cast(score as varchar)) as mark
    from scores
    where score is not null and list_contains($school_years, school_year)
"""
KEY_BITS = 63  # an int64 that stays positive
PAIRS_IN_ENROLLMENT_ORDER = """
    select y.year, s.student, e.school_id is not null as is_enrolled, e.school_id, e.grade_level, e.gender,
        e.race_ethnicity, e.is_ell, e.is_iep, e.is_504, e.is_econ_disadv
    from key_years as y
    cross join key_students as s
    left join enrollments as e on e.school_year = y.school_year and e.student_id = s.student_id
    order by y.year, is_enrolled desc, e.school_id, e.grade_level, s.student_id
"""


@dataclass
class Dictionary:
    """The distinct values of a column, in the order their codes sort, and facts about each."""

    values: pa.Array
    facts: pd.DataFrame | None = None


@dataclass
class Standards(Dictionary):
    """Standard codes ordered by content area, level and code; facts: content_area, continuum_level (null
    for a code missing from `standards`) and content_area_code (-1 when none) into content_areas."""

    content_areas: pa.Array | None = None

    @property
    def n_content_areas(self) -> int:
        return max(1, len(self.content_areas))


@dataclass
class ScoreKeys:
    """Every scored row's key (unsorted), term code and score, and how to read a key back."""

    key: np.ndarray  # int64: pair << (std_bits + day_bits) | standard << day_bits | day
    term: np.ndarray  # int32 code into terms.values; len(terms.values) when the row has no term
    score: np.ndarray  # float64
    mark: pa.ChunkedArray  # the mark as written (the score's text when there is none)
    std_bits: int
    day_bits: int
    term_bits: int
    pair_bits: int
    first_day: int  # days since 1970-01-01 of day code 1
    years: Dictionary
    students: Dictionary
    standards: Standards
    terms: Dictionary
    pairs: pa.Table  # per pair code: year and student (codes), is_enrolled, and the enrollment's facts

    @property
    def day_mask(self) -> int:
        return (1 << self.day_bits) - 1

    @property
    def std_mask(self) -> int:
        return (1 << self.std_bits) - 1

    @property
    def key_bits(self) -> int:
        return self.pair_bits + self.std_bits + self.day_bits


def sort_with_order(key: np.ndarray, key_bits: int) -> tuple[np.ndarray, np.ndarray]:
    """The keys sorted, and where each came from. When each key's position fits in the spare bits, it is
    packed under the key and a plain sort does the work: numpy sorts values with SIMD, several times faster
    than argsort."""
    position_bits = _bits(len(key))
    if key_bits + position_bits > KEY_BITS:
        order = np.argsort(key)
        return key[order], order
    packed = np.sort((key << position_bits) | np.arange(len(key), dtype=np.int64))
    return packed >> position_bits, packed & ((1 << position_bits) - 1)


def score_keys(con, school_years: list[str]) -> ScoreKeys:
    """The keys of the scored rows of the given school years (etl/marts/__init__.py rebuilds a few years at a time)."""
    rows = con.sql(SCORED_ROWS, params={"school_years": list(school_years)}).to_arrow_table()
    strings = ("school_year", "student_id", "standard_code", "term")
    with ThreadPoolExecutor(max_workers=2) as pool:  # Arrow's hashing releases the GIL
        encoded = dict(zip(strings, pool.map(lambda name: _codes(rows[name]), strings)))  # noqa: F821 (ruff misreads the later `del rows`)
    year_codes, years = _sorted_codes(*encoded["school_year"])
    student_codes, student_values = encoded["student_id"]
    standard_codes, standards = _standard_codes(con, *encoded["standard_code"])
    term_codes, terms = _sorted_codes(*encoded["term"])
    day_codes, first_day, day_bits = _day_codes(rows["assessed_on"])
    score, mark = rows["score"].to_numpy(), rows["mark"]
    del rows
    pairs, pair_of = _pairs(con, years, student_values)
    pair_codes = pair_of[year_codes, student_codes]
    std_bits = _bits(len(standards.values))
    term_bits = _bits(len(terms.values) + 1)
    pair_bits = _bits(len(pairs))
    if pair_bits + std_bits + term_bits + day_bits > KEY_BITS:
        raise ValueError(f"too many student-years, standards, terms or days to pack into {KEY_BITS} bits")
    key = (
        (pair_codes.astype(np.int64) << (std_bits + day_bits))
        | (standard_codes.astype(np.int64) << day_bits)
        | day_codes
    )
    return ScoreKeys(
        key=key,
        term=term_codes.astype(np.int32),
        score=score,
        mark=mark,
        std_bits=std_bits,
        day_bits=day_bits,
        term_bits=term_bits,
        pair_bits=pair_bits,
        first_day=first_day,
        years=years,
        students=Dictionary(student_values),
        standards=standards,
        terms=terms,
        pairs=pairs,
    )


def _bits(n_values: int) -> int:
    return max(1, int(n_values).bit_length())


def _codes(column: pa.ChunkedArray) -> tuple[np.ndarray, pa.Array]:
    """Codes in first-seen order; a null gets len(values)."""
    encoded = pc.dictionary_encode(column).combine_chunks()
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks()
    values = encoded.dictionary
    codes = pc.fill_null(encoded.indices, len(values)).to_numpy(zero_copy_only=False)
    return codes, values


def _sorted_codes(codes: np.ndarray, values: pa.Array) -> tuple[np.ndarray, Dictionary]:
    """Codes that sort as the values do (school years, terms); a null gets len(values), after them."""
    order = np.argsort(np.array(values.to_pylist(), dtype=object))
    rank = np.empty(len(values) + 1, dtype=np.int64)
    rank[order] = np.arange(len(values))
    rank[len(values)] = len(values)
    return rank[codes], Dictionary(values.take(pa.array(order)))


def _standard_codes(con, codes: np.ndarray, values: pa.Array) -> tuple[np.ndarray, Standards]:
    # standard_code is never null in scores
    known = con.sql("select standard_code, content_area, continuum_level from standards").df()
    known["standard_code"] = known["standard_code"].astype(object)  # an empty frame would infer float
    codes_seen = pd.DataFrame({"standard_code": pd.Series(values.to_pylist(), dtype=object)})
    facts = codes_seen.merge(known, how="left", on="standard_code")
    facts = facts.reset_index(names="code").sort_values(
        ["content_area", "continuum_level", "standard_code"], na_position="last", kind="stable"
    )
    rank = np.empty(len(values), dtype=np.int64)
    rank[facts["code"].to_numpy()] = np.arange(len(values))
    facts = facts.drop(columns="code").reset_index(drop=True)
    content_areas = sorted(facts["content_area"].dropna().unique().tolist())
    area_code = {area: i for i, area in enumerate(content_areas)}
    facts["content_area_code"] = pd.Series([area_code.get(area, -1) for area in facts["content_area"]], dtype="int64")
    return rank[codes], Standards(
        pa.array(facts["standard_code"], pa.string()), facts, pa.array(content_areas, pa.string())
    )


def _day_codes(column: pa.ChunkedArray) -> tuple[np.ndarray, int, int]:
    days = pc.cast(column, pa.int32())
    first = pc.min(days).as_py()
    if first is None:
        return np.zeros(len(column), dtype=np.int64), 0, 1
    last = pc.max(days).as_py()
    codes = pc.fill_null(pc.add(pc.subtract(days, first), 1), 0).to_numpy(zero_copy_only=False).astype(np.int64)
    return codes, first, _bits(last - first + 2)


def _pairs(con, years: Dictionary, student_values: pa.Array) -> tuple[pa.Table, np.ndarray]:
    """Number every student-year in enrollment order (year, school, grade, student id; students with no
    enrollment that year after the enrolled). Returns each pair's enrollment facts (string columns
    dictionary-encoded, so that taking them per row stays cheap) and the (year, student) -> pair matrix."""
    con.register("key_years", pa.table({"year": np.arange(len(years.values)), "school_year": years.values}))
    con.register("key_students", pa.table({"student": np.arange(len(student_values)), "student_id": student_values}))
    try:
        pairs = con.sql(PAIRS_IN_ENROLLMENT_ORDER).to_arrow_table()
    finally:
        con.unregister("key_years")
        con.unregister("key_students")
    pair_of = np.empty((len(years.values), len(student_values)), dtype=np.int64)
    pair_of[pairs["year"].to_numpy(), pairs["student"].to_numpy()] = np.arange(len(pairs))
    encoded = [pc.dictionary_encode(column) if pa.types.is_string(column.type) else column for column in pairs.columns]
    return pa.table(encoded, names=pairs.column_names).combine_chunks(), pair_of
