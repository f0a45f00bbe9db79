"""Arrow columns from the integer codes of etl/score_keys.py: strings as dictionary arrays (DuckDB reads
them as VARCHAR without decoding ten million Python strings), day codes as dates, and a student-year's
enrollment facts taken row by row."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from etl.score_keys import ScoreKeys

ENROLLMENT_COLUMNS = (
    "school_id",
    "grade_level",
    "gender",
    "race_ethnicity",
    "is_ell",
    "is_iep",
    "is_504",
    "is_econ_disadv",
)


def dictionary(codes: np.ndarray, values: pa.Array, n_null: int | None = None) -> pa.DictionaryArray:
    """Strings by code; codes equal to n_null (when given) are null."""
    mask = (codes == n_null) if n_null is not None else None
    indices = pa.array(np.where(mask, 0, codes) if mask is not None else codes, pa.int32(), mask=mask)
    return pa.DictionaryArray.from_arrays(indices, values)


def dates(keys: ScoreKeys, day_codes: np.ndarray) -> pa.Array:
    days = (day_codes + keys.first_day - 1).astype(np.int32)
    return pa.array(days, pa.int32(), mask=day_codes == 0).view(pa.date32())


def student_year(keys: ScoreKeys, pair: np.ndarray) -> dict[str, pa.Array]:
    return {
        "school_year": dictionary(keys.pairs["year"].to_numpy()[pair], keys.years.values),
        "student_id": dictionary(keys.pairs["student"].to_numpy()[pair], keys.students.values),
    }


def enrollment(keys: ScoreKeys, pair: np.ndarray, names: tuple[str, ...]) -> dict[str, pa.Array]:
    """The student-year's enrollment facts, row by row (null where the student was not enrolled)."""
    rows = pa.array(pair)
    return {name: keys.pairs[name].take(rows) for name in names}
