"""What a converter hands the loader: the file rewritten in the warehouse's own columns."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

_TEMP_DIRS: list[str] = []


@dataclass
class Converted:
    """A canonical CSV written beside nothing of the district's (a temp folder), the mapping that
    reads it, and what the conversion has to say for the load report."""

    path: Path
    mapping: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def write_canonical(frame: pd.DataFrame, original: Path) -> Path:
    """The frame as a CSV with the original's name (so messages name the district's file), in a
    temp folder removed when the process ends."""
    folder = tempfile.mkdtemp(prefix="etl_converted_")
    _TEMP_DIRS.append(folder)
    name = Path(original).name
    target = Path(folder) / (Path(name).stem + ".csv")
    frame.to_csv(target, index=False)
    return target


@atexit.register
def _remove_temp_dirs() -> None:
    for folder in _TEMP_DIRS:
        shutil.rmtree(folder, ignore_errors=True)
