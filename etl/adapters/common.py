"""What every adapter shares: load options, staged results, presets, column lookup, rejects."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from etl.errors import LoadRefused
from etl.normalize import normalize_header
from etl.readers import RawTable
from warehouse import execute

PRESET_DIR = Path(__file__).resolve().parents[1] / "presets"


@dataclass
class LoadOptions:
    file_format: str | None = None  # a preset name (etl/presets/NAME.yaml) or a reader name
    mapping: dict = field(default_factory=dict)  # the mapping file's content
    school_year: str | None = None
    term: str | None = None
    school_id: str | None = None
    role: str | None = None  # survey respondents' role for files that do not carry one (teacher, leader)
    show_progress: bool = False
    replace: str | None = None  # the scope a load replaces instead of its kind's default (etl/replace.py)
    append: bool = False  # add the rows to those already loaded: replace nothing

    def resolved_mapping(self, kind: str) -> dict:
        """The mapping file if given, else the named preset, else nothing (canonical headers)."""
        if self.mapping:
            return self.mapping
        if self.file_format:
            return load_preset(kind, self.file_format)
        return {}


@dataclass
class Staged:
    """Temp tables ready to write: target table -> (temp table, append|replace|ignore).

    writers: target table -> write(con, load_id) -> rows written, for rows too many to stage in a
    temp table first; the loader calls it inside the load's transaction, after the temp tables.
    replace: target table -> replace(con) -> Replacement, called just before the target's temp table is
    written (etl/replace.py: the rows in the file's scope give way); a writer sets `replacement` itself.
    """

    tables: dict[str, tuple[str, str]]
    main_table: str
    rows_read: int
    file_format: str
    notes: list[str] = field(default_factory=list)
    writers: dict[str, Callable[[Any, int], int]] = field(default_factory=dict)
    replace: dict[str, Callable[[Any], Any]] = field(default_factory=dict)
    replacement: Any = None  # etl.replace.Replacement of the main table, once written


def load_preset(kind: str, name: str) -> dict:
    path = PRESET_DIR / f"{name}.yaml"
    if not path.exists():
        known = sorted(p.stem for p in PRESET_DIR.glob("*.yaml"))
        raise LoadRefused(f"no format named '{name}' (known: {', '.join(known) or 'none'})")
    preset = yaml.safe_load(path.read_text()) or {}
    if preset.get("kind", kind) != kind:
        raise LoadRefused(f"format '{name}' is for {preset['kind']} files, not {kind}")
    return preset


def read_mapping_file(path: Path) -> dict:
    path = Path(path)
    try:
        content = yaml.safe_load(path.read_text())
    except FileNotFoundError:
        raise LoadRefused(f"{path.name}: mapping file not found") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise LoadRefused(f"{path.name}:{where}: not valid YAML ({getattr(error, 'problem', error)})") from None
    if not isinstance(content, dict):
        raise LoadRefused(f"{path.name}: a mapping file is a YAML mapping (key: value lines)")
    return content


def resolve_columns(
    raw: RawTable,
    aliases: dict[str, list[str]],
    mapped: dict | None,
    required: list[str],
    constants: dict | None = None,
) -> dict[str, str]:
    """canonical name -> raw column key. A mapping file's `columns:` wins over the aliases.

    Raises LoadRefused naming the file and every required column that is missing.
    """
    mapped = mapped or {}
    found: dict[str, str] = {}
    for canonical, source in mapped.items():
        key = normalize_header(str(source))
        if key not in raw.columns:
            raise LoadRefused(
                f"{raw.path.name}: the mapping names column '{source}' for {canonical}, "
                f"but the file has no such column (columns: {_list(raw)})"
            )
        found[canonical] = key
    for canonical, names in aliases.items():
        if canonical in found:
            continue
        for name in [canonical, *names]:
            key = normalize_header(name)
            if key in raw.columns and key not in found.values():
                found[canonical] = key
                break
    missing = [c for c in required if c not in found and not (constants or {}).get(c)]
    if missing:
        raise LoadRefused(
            f"{raw.path.name}: missing required column(s) {', '.join(missing)} (columns found: {_list(raw)})"
        )
    return found


def _list(raw: RawTable) -> str:
    shown = [raw.headers[k] or k for k in raw.columns[:25]]
    more = f", ... {len(raw.columns) - 25} more" if len(raw.columns) > 25 else ""
    return ", ".join(shown) + more


def reject_rows(con, table: str, condition: str, column: str, value_sql: str, reason: str, params=None) -> int:
    """Move the rows of `table` matching `condition` to load_rejects; returns how many.

    `table`, `condition` and `value_sql` are adapter-written SQL fragments over our own column
    names, never user input; user values travel as bound parameters.
    """
    params = dict(params or {})
    params.update({"reject_column": column, "reject_reason": reason})
    execute(
        con,
        f"insert into load_rejects select line_number, $reject_column, "
        f"cast({value_sql} as varchar), $reject_reason from {table} where {condition}",
        params,
    )
    n = execute(con, f"select count(*) from {table} where {condition}", params).fetchone()[0]
    if n:
        execute(con, f"delete from {table} where {condition}", params)
    return n


def reject_frame(con, frame) -> None:
    """Append a pandas frame of rejects (line_number, column, value, reason) to load_rejects."""
    if len(frame) == 0:
        return
    con.register("rejects_frame", frame[["line_number", "column", "value", "reason"]])
    con.execute(
        'insert into load_rejects select line_number::bigint, "column"::varchar, value::varchar, '
        "reason::varchar from rejects_frame"
    )
    con.unregister("rejects_frame")


def constant(options_value, mapping: dict, key: str):
    """A value for the whole file: the command line wins over the mapping's `constants:`."""
    return options_value or (mapping.get("constants") or {}).get(key)
