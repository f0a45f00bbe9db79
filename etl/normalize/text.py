"""Cells as clean text: the helpers every normalizer shares (one pass per distinct value, spaces that are not
spaces, lookup keys)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from warehouse.cell_text import clean_text


def per_distinct(
    series: pd.Series, classify: Callable[[Any], tuple[Any, bool]], blank: tuple[Any, bool]
) -> tuple[np.ndarray, np.ndarray]:
    """Apply `classify(value) -> (result, is_invalid)` once per distinct value of `series`.

    Returns object array of results and bool array of invalid flags, aligned with the series.
    Missing values (NaN/None) get `blank` without calling `classify`.
    """
    codes, distinct = pd.factorize(series, use_na_sentinel=True)
    answers = [classify(value) for value in distinct]
    # The extra last slot answers code -1 (missing): numpy's index -1 picks it.
    results = np.empty(len(answers) + 1, dtype=object)
    results[:] = [a[0] for a in answers] + [blank[0]]
    invalid = np.array([a[1] for a in answers] + [blank[1]], dtype=bool)
    return results[codes], invalid[codes]


def as_series(values: Any) -> pd.Series:
    return values if isinstance(values, pd.Series) else pd.Series(values, dtype="object")


# Characters `clean_text` treats as spaces, replaced literally before runs of spaces are collapsed:
# literal replaces and an ASCII-only pattern run natively in both pandas string engines.
_SPACE_LIKE = {"\ufeff": "", "\u00a0": " ", "\t": " ", "\r": " ", "\n": " "}


def clean_texts(values: Any) -> pd.Series:
    """`clean_text` over many values at once (pandas string dtype, NaN for blank): vectorized string
    operations when every value is text, which matters for the million distinct timestamps of a
    large gradebook; one Python call per value otherwise."""
    values = pd.Series(values, dtype="object") if not isinstance(values, pd.Series) else values
    if pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):
        text = values.astype("str")
        for character, replacement in _SPACE_LIKE.items():
            text = text.str.replace(character, replacement, regex=False)
        text = text.str.replace(" {2,}", " ", regex=True).str.strip()
        return text.where(text != "")
    return pd.Series([clean_text(v) for v in values], index=values.index, dtype="str")


def lookup_key(text: str) -> str:
    """Case- and punctuation-insensitive key: `Black - African American` == `black/african-american`."""
    return re.sub(r"[^0-9a-z+]+", "", text.lower())
