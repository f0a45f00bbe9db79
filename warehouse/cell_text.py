"""One cell of an export as tidy text: the first step of reading any value a school system wrote."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd


def clean_text(value: Any) -> str | None:
    """One cell as tidy text, or None when blank: strips (also BOM and non-breaking spaces),
    collapses inner whitespace, and writes whole floats from Excel (`3.0`) as `3`."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, (float, np.floating)):
        if math.isnan(value):
            return None
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    text = " ".join(str(value).replace("\ufeff", "").split())
    return text or None
