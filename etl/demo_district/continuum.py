"""The demo district's learning continuum: the committed standards and the level each grade reads."""

from __future__ import annotations

import pandas as pd

from etl.demo_district.settings import DATA_DIR, STANDARD_FILES

# ================================================================ continuum


def load_continuum() -> pd.DataFrame:
    """The committed standards: real CCSS math and ELA, and a small invented NGSS-like science set."""
    frames = [
        pd.read_csv(DATA_DIR / name, dtype={"continuum_level": "int64"}, keep_default_na=False)
        for name in STANDARD_FILES
    ]
    continuum = pd.concat(frames, ignore_index=True)
    return continuum.reset_index(drop=True)


def standard_level_for_grade(content: str, grade: int) -> int:
    """The continuum level a grade is taught from: HS ELA bands sit at their first grade."""
    if content == "ela" and grade in (10, 12):
        return grade - 1
    return grade
