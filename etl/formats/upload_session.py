"""What the Data page does with an uploaded file, apart from drawing it (so it is tested without a browser).

An upload is kept in a folder of its own under its own name; `understand` says what it looks like,
previews it as the loader reads it and proposes, for each warehouse column, the source column it will
use. The person may change those; `mapping_for` turns the confirmed choice into a mapping (the same
thing `--mapping FILE` reads, etl/presets/README.md), which can be saved and is offered again for the
next file whose header is the same (`saved_mapping_for`).
"""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

import warehouse
from etl.adapters.common import LoadOptions, load_preset
from etl.errors import LoadRefused
from etl.formats.detect import Detection, detect_file
from etl.formats.registry import FORMATS, by_name, converter
from etl.formats.sample import loadable_path, take_sample
from etl.vocabulary import column_aliases, compact

# The warehouse columns a person can map, per kind, required ones first.
WAREHOUSE_COLUMNS = {
    "gradebook": [
        "student_id",
        "standard_code",
        "mark",
        "score",
        "school_year",
        "assessed_on",
        "term",
        "school_id",
        "course_id",
        "section_id",
        "teacher_id",
        "assessment_type",
        "assessment_name",
        "student_name",
    ],
    "roster": [
        "student_id",
        "school_id",
        "grade_level",
        "school_year",
        "gender",
        "race_ethnicity",
        "is_ell",
        "is_iep",
        "is_504",
        "is_econ_disadv",
        "last_name",
        "first_name",
        "school_name",
    ],
    "continuum": ["standard_code", "content_area", "continuum_level", "framework", "strand", "description"],
}
PREVIEW_ROWS = 20


@dataclass
class Understanding:
    path: Path  # what the loader reads (a folder becomes a zip)
    detection: Detection
    kind: str | None
    file_format: str | None
    preview: pd.DataFrame
    source_columns: list[str]  # the headers a person can choose from
    proposed: dict[str, str] = field(default_factory=dict)  # warehouse column -> source header
    base_mapping: dict = field(default_factory=dict)  # the preset's other keys (shape, scale, wide ...)
    saved_mapping: str | None = None  # the name of a saved mapping that matched this header
    is_converted: bool = False

    @property
    def can_map(self) -> bool:
        return (
            self.kind in WAREHOUSE_COLUMNS
            and not self.is_converted
            and self.detection.format != "common_standards_project"
        )


def keep_upload(name: str, data: bytes, folder: Path | None = None) -> Path:
    """The upload under its own (cleaned) name in a folder of its own: messages name the district's file."""
    folder = Path(folder or tempfile.mkdtemp(prefix="upload_"))
    safe = re.sub(r"[^A-Za-z0-9._ -]+", "_", Path(name).name).strip() or "upload.csv"
    target = folder / safe
    target.write_bytes(data)
    return target


def understand(
    path: Path, kind: str | None = None, file_format: str | None = None, mappings_dir: Path | None = None
) -> Understanding:
    path = loadable_path(Path(path))
    detection = detect_file(path, kind)
    kind = kind or detection.kind
    saved = saved_mapping_for(path, kind, mappings_dir) if mappings_dir and not file_format else None
    file_format = file_format or (detection.format if detection.kind == kind else None)
    spec = by_name(kind, file_format) if kind and file_format else None
    is_converted = bool(spec and spec.convert)
    if is_converted:
        preview = _converted_preview(path, kind, file_format)
        return Understanding(path, detection, kind, file_format, preview, list(preview.columns), is_converted=True)
    preview, headers = _raw_preview(path)
    base = {}
    if spec is not None and spec.is_preset:
        base = load_preset(kind, file_format)
    if saved:
        base = saved[1]
    proposed = _proposed_columns(kind, headers, base)
    return Understanding(
        path,
        detection,
        kind,
        file_format,
        preview,
        headers,
        proposed,
        {k: v for k, v in base.items() if k != "columns"},
        saved[0] if saved else None,
    )


def _raw_preview(path: Path) -> tuple[pd.DataFrame, list[str]]:
    """The first rows as the loader's reader sees them (title and points-possible rows passed over)."""
    from etl.readers import read_raw

    if path.suffix.lower() == ".json" or path.suffix.lower() == ".zip":
        sample = take_sample(path)
        return pd.DataFrame(), sample.header
    con = warehouse.scratch()
    try:
        raw = read_raw(con, path)
        keys = [k for k in raw.columns]
        frame = con.execute(f"select * exclude (line_number) from {raw.name} limit {PREVIEW_ROWS}").df()
        frame.columns = [raw.headers.get(k) or k for k in frame.columns]
        return frame, [raw.headers.get(k) or k for k in keys]
    finally:
        con.close()


def _converted_preview(path: Path, kind: str, file_format: str) -> pd.DataFrame:
    spec = converter(kind, file_format)
    con = warehouse.scratch()
    try:
        warehouse.ensure_schema(con)
        converted = spec.convert(con, path, LoadOptions())
        return pd.read_csv(converted.path, dtype=str, nrows=PREVIEW_ROWS, keep_default_na=False)
    finally:
        con.close()


def _proposed_columns(kind: str | None, headers: list[str], base: dict) -> dict[str, str]:
    """warehouse column -> the header the loader would use: the format's columns, else the vocabulary."""
    if kind not in WAREHOUSE_COLUMNS:
        return {}
    by_key = {compact(h): h for h in headers}
    proposed = {}
    for canonical, source in (base.get("columns") or {}).items():
        options = source if isinstance(source, list) else [source]
        found = next((by_key[compact(o)] for o in options if compact(o) in by_key), None)
        if found:
            proposed[canonical] = found
    aliases = _aliases(kind)
    for canonical in WAREHOUSE_COLUMNS[kind]:
        if canonical in proposed:
            continue
        for name in [canonical, *aliases.get(canonical, [])]:
            if compact(name) in by_key and by_key[compact(name)] not in proposed.values():
                proposed[canonical] = by_key[compact(name)]
                break
    return proposed


def _aliases(kind: str) -> dict[str, list[str]]:
    module = {
        "gradebook": "etl.adapters.gradebook",
        "roster": "etl.adapters.roster",
        "continuum": "etl.adapters.continuum",
    }[kind]
    import importlib

    return getattr(importlib.import_module(module), "ALIASES", column_aliases(kind))


def mapping_for(understanding: Understanding, chosen: dict[str, str | None]) -> dict:
    """The confirmed columns as a mapping file's content (blank choices left out)."""
    mapping = {"kind": understanding.kind, **understanding.base_mapping}
    mapping["columns"] = {k: v for k, v in chosen.items() if v}
    if understanding.kind != "gradebook":  # rosters and continua read only `columns` (and constants)
        mapping = {k: v for k, v in mapping.items() if k in ("kind", "columns", "constants")}
    return mapping


def options_for(understanding: Understanding, chosen: dict[str, str | None] | None, **given) -> LoadOptions:
    """What the loader is told: the converter's format, or the confirmed mapping."""
    if understanding.is_converted or not chosen:
        return LoadOptions(
            file_format=understanding.file_format
            if understanding.file_format not in ("canonical", "common_standards_project")
            else None,
            **given,
        )
    return LoadOptions(
        file_format=understanding.file_format
        if understanding.file_format not in ("canonical", "common_standards_project")
        else None,
        mapping=mapping_for(understanding, chosen),
        **given,
    )


# ---------------------------------------------------------------- saved mappings


def save_mapping(mappings_dir: Path, name: str, understanding: Understanding, chosen: dict[str, str | None]) -> Path:
    """`NAME.yaml` (a mapping file `--mapping` reads) and `NAME.match.json` (the header it was made for)."""
    slug = re.sub(r"[^a-z0-9_]+", "_", name.strip().lower()).strip("_")
    if not slug:
        raise LoadRefused("a saved mapping needs a name (letters, digits, _)")
    mappings_dir = Path(mappings_dir)
    mappings_dir.mkdir(parents=True, exist_ok=True)
    mapping = mapping_for(understanding, chosen)
    target = mappings_dir / f"{slug}.yaml"
    target.write_text(
        f"# Saved from the Data page for files with the header of {understanding.path.name}.\n"
        + yaml.safe_dump(mapping, sort_keys=False, allow_unicode=True),
        encoding="utf-8",
    )
    (mappings_dir / f"{slug}.match.json").write_text(
        json.dumps({"kind": understanding.kind, "headers": [compact(h) for h in understanding.source_columns]})
    )
    return target


def saved_mapping_for(path: Path, kind: str | None, mappings_dir: Path) -> tuple[str, dict] | None:
    """A saved mapping made for a file with exactly this header (and kind), if any."""
    folder = Path(mappings_dir)
    if not folder.is_dir():
        return None
    try:
        headers = [compact(h) for h in take_sample(path).header]
    except LoadRefused:
        return None
    for match in sorted(folder.glob("*.match.json")):
        wanted = json.loads(match.read_text())
        if wanted.get("headers") == headers and (kind is None or wanted.get("kind") == kind):
            name = match.name.removesuffix(".match.json")
            content = yaml.safe_load((folder / f"{name}.yaml").read_text(encoding="utf-8")) or {}
            return name, content
    return None


def formats_of(kind: str) -> list[str]:
    names = []
    for spec in FORMATS:
        if spec.kind == kind and spec.name not in names:
            names.append(spec.name)
    return names
