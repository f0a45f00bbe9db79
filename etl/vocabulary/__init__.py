"""The field's vocabulary: header names and codes of K-12 systems, read from the data files here.

`columns.yaml` names the headers each warehouse column goes by, `codes.yaml` the values (programs,
Ed-Fi descriptors, grade codes, grade bands, framework prefixes). A district's own additions live in
config/vocabulary.yaml (or the file DASHBOARD_VOCABULARY names), same layout; its names come first.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
DISTRICT_FILE = HERE.parents[1] / "config" / "vocabulary.yaml"


def _district_path() -> Path:
    return Path(os.environ.get("DASHBOARD_VOCABULARY") or DISTRICT_FILE)


@lru_cache(maxsize=4)
def _read(path: str, mtime: float) -> dict:
    content = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    if not isinstance(content, dict):
        raise ValueError(f"{Path(path).name}: the vocabulary is a YAML mapping")
    return content


def _file(path: Path) -> dict:
    return _read(str(path), path.stat().st_mtime) if path.exists() else {}


def _merged(section: str):
    """The shipped section with the district's entries in front of (or added to) it."""
    shipped = _file(HERE / ("columns.yaml" if section in ("roster", "gradebook", "continuum") else "codes.yaml"))
    district = _file(_district_path()).get(section)
    base = shipped.get(section)
    if isinstance(base, list):
        return [*dict.fromkeys([*(district or []), *base])]
    base = dict(base or {})
    for key, value in (district or {}).items():
        if isinstance(value, list) and isinstance(base.get(key), list):
            base[key] = [*dict.fromkeys([*value, *base[key]])]
        else:
            base[key] = value
    return base


def column_aliases(kind: str, base: dict[str, list[str]] | None = None) -> dict[str, list[str]]:
    """canonical column -> header names for one kind of file: the district's first, then the
    loader's own (`base`), then the field's."""
    district = _file(_district_path()).get(kind) or {}
    field = _file(HERE / "columns.yaml").get(kind) or {}
    out: dict[str, list[str]] = {}
    for canonical in [*(base or {}), *field, *district]:
        names = [*(district.get(canonical) or []), *((base or {}).get(canonical) or []), *(field.get(canonical) or [])]
        out[canonical] = [*dict.fromkeys(str(n) for n in names)]
    return out


def compact(text: object) -> str:
    """A name without case, spaces or punctuation: `Student_Number` -> `studentnumber`."""
    return re.sub(r"[^0-9a-z]+", "", str(text).lower())


def codes(section: str) -> dict:
    return _merged(section)


def program_flag(value: object) -> str | None:
    """`English Learner` -> is_ell; a program name the vocabulary does not know -> None."""
    key = compact(value)
    for flag, names in codes("programs").items():
        if key in {compact(n) for n in names}:
            return flag
    return None


def race_descriptor(value: object) -> str | None:
    text = str(value).rsplit("#", 1)[-1].strip()
    lookup = {compact(k): v for k, v in codes("race_descriptors").items()}
    return lookup.get(compact(text))


def grade_code(value: object) -> int | None:
    lookup = {compact(k): int(v) for k, v in codes("grade_levels").items()}
    return lookup.get(compact(value))


def grade_band(value: object) -> int | None:
    return {str(k).upper(): int(v) for k, v in codes("grade_bands").items()}.get(str(value).strip().upper())


def code_prefixes() -> list[str]:
    return sorted((str(p) for p in codes("code_prefixes") or []), key=len, reverse=True)


def survey_meta_columns() -> dict[str, str]:
    """compact header -> what it is (response_id, collector_id, started_at, ended_at, ip_address)."""
    return {compact(name): role for role, names in codes("survey_meta_columns").items() for name in names}
