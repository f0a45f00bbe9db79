"""The item map: which question is which item, in which construct, and which way it points.

Given with `--mapping FILE` as YAML (see default_item_map.yaml for every key) or as a CSV with the
columns `match` (item text or column id; also accepted: item_text, question, text, column),
`item_id`, `construct`, `is_reverse_coded` and optionally `scale_points`, `type` (text) and `mode` (the mode
of professional learning an item asks about: plc, coaching, workshop, ...). An entry
whose item_id is `role`, `school_id` or `response_id` names the answer column that holds it.
The shipped default map is always read after the given one, so the given entries win.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from etl.errors import LoadRefused
from etl.surveys.scales import _QUOTES

DEFAULT_MAP = Path(__file__).with_name("default_item_map.yaml")
META_KEYS = ("school_id", "role", "response_id")
CSV_MATCH = ("match", "item_text", "question", "question_text", "text", "column", "column_id", "source")
TRUE = {"true", "t", "yes", "y", "1", "reverse", "reversed"}


def match_key(text) -> str:
    """Item texts match ignoring case, spacing, quote style and final punctuation."""
    if text is None:
        return ""
    cleaned = " ".join(str(text).translate(_QUOTES).split()).lower()
    return cleaned.rstrip(" .?:!*").strip()


@dataclass(frozen=True)
class ItemSpec:
    item_id: str
    construct: str | None = None
    is_reverse_coded: bool = False
    scale_points: int | None = None
    type: str | None = None  # "text": keep the answers as comments
    learning_mode: str | None = (
        None  # a mode of professional learning the item asks about (warehouse.config.LEARNING_MODES)
    )


@dataclass
class ItemMap:
    items: dict[str, ItemSpec] = field(default_factory=dict)  # match key -> spec
    columns: dict[str, list[str]] = field(default_factory=dict)  # school_id|role|response_id -> candidates
    roles: dict[str, str] = field(default_factory=dict)
    schools: dict[str, str] = field(default_factory=dict)
    survey_id: str | None = None
    wave: str | None = None
    n_given_items: int = 0

    def lookup(self, *texts) -> ItemSpec | None:
        for text in texts:
            spec = self.items.get(match_key(text))
            if spec is not None and text:
                return spec
        return None

    def meta_column(self, key: str, headers: dict[str, list[str]]) -> str | None:
        """The column key whose header text or id is among the candidates for `key`."""
        for candidate in self.columns.get(key, []):
            wanted = match_key(candidate)
            for column, names in headers.items():
                if any(match_key(n) == wanted for n in names if n):
                    return column
        return None

    def role_for(self, answer: str | None) -> str | None:
        if answer is None or not str(answer).strip():
            return None
        key = match_key(answer)
        return self.roles.get(key, key)


def load_item_map(mapping: dict | None) -> ItemMap:
    """The given mapping (already parsed) merged over the shipped default."""
    default = yaml.safe_load(DEFAULT_MAP.read_text()) or {}
    merged = ItemMap()
    given = mapping or {}
    for source in (given, default):
        _add(merged, source, str(source is given and "the mapping" or "the default item map"))
    merged.survey_id = given.get("survey_id")
    merged.wave = str(given["wave"]) if given.get("wave") is not None else None
    merged.n_given_items = len(given.get("items") or [])
    return merged


def _add(target: ItemMap, source: dict, where: str) -> None:
    for number, entry in enumerate(source.get("items") or [], start=1):
        if not isinstance(entry, dict) or not entry.get("item_id"):
            raise LoadRefused(f"{where}: item {number} needs at least `match` and `item_id`")
        texts = [entry.get(k) for k in (*CSV_MATCH, "item_id", "id") if entry.get(k)]
        item_id = str(entry["item_id"]).strip()
        if item_id in META_KEYS:
            target.columns.setdefault(item_id, []).extend(str(t) for t in texts if str(t) != item_id)
            continue
        spec = ItemSpec(
            item_id=item_id,
            construct=(str(entry["construct"]).strip().lower() or None) if entry.get("construct") else None,
            is_reverse_coded=str(entry.get("is_reverse_coded", entry.get("reverse_coded", False))).strip().lower()
            in TRUE,
            scale_points=int(entry["scale_points"]) if str(entry.get("scale_points") or "").strip() else None,
            type=(str(entry.get("type")).strip().lower() or None) if entry.get("type") else None,
            learning_mode=_learning_mode(entry, where, item_id),
        )
        for text in texts:
            target.items.setdefault(match_key(text), spec)
    for key, names in (source.get("columns") or {}).items():
        if key in META_KEYS:
            target.columns.setdefault(key, []).extend([names] if isinstance(names, str) else list(names))
    for answer, role in (source.get("roles") or {}).items():
        target.roles.setdefault(match_key(answer), str(role).strip().lower())
    for answer, school in (source.get("schools") or {}).items():
        target.schools.setdefault(match_key(answer), str(school).strip())


def _learning_mode(entry: dict, where: str, item_id: str) -> str | None:
    """`mode: coaching` tags an item ("Coaching is useful to my practice") with the mode it asks about, so the PLC
    system page can show favorability by mode; the mode must be one the district knows."""
    from warehouse.config import district_config, normalize_mode

    text = entry.get("learning_mode") or entry.get("mode")
    if not text or not str(text).strip():
        return None
    mode, known = normalize_mode(text), district_config().learning_modes
    if mode not in known:
        raise LoadRefused(
            f"{where}: item {item_id} names mode '{text}', not one of {', '.join(known)} "
            "(config/district.yaml learning: extra_modes adds a district's own)"
        )
    return mode


def read_item_map_file(path: Path) -> dict:
    """A survey mapping file: YAML (any keys of default_item_map.yaml) or a CSV of items."""
    path = Path(path)
    if path.suffix.lower() != ".csv":
        from etl.adapters.common import read_mapping_file

        return read_mapping_file(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise LoadRefused(f"{path.name}: mapping file not found") from None
    except UnicodeDecodeError:
        text = path.read_bytes().decode("cp1252")
    rows = list(csv.DictReader(io.StringIO(text)))
    if not rows:
        raise LoadRefused(f"{path.name}: the item map has no rows")
    headers = {h: re.sub(r"[\s\-]+", "_", (h or "").strip().lower()) for h in rows[0]}
    items = []
    for line, row in enumerate(rows, start=2):
        entry = {headers[k]: (v or "").strip() for k, v in row.items() if k is not None}
        if "reverse_coded" in entry or "reverse" in entry:
            entry.setdefault("is_reverse_coded", entry.get("reverse_coded") or entry.get("reverse"))
        if not any(entry.get(k) for k in CSV_MATCH) or not entry.get("item_id"):
            raise LoadRefused(
                f"{path.name}: line {line}: an item map row needs `match` (item text or id) and `item_id`"
            )
        items.append({k: v for k, v in entry.items() if v != ""})
    return {"kind": "survey", "items": items}


def generated_item_id(text: str, column_id: str | None = None) -> str:
    """An item without a map entry: its vendor column id, else a slug of its text and a short hash."""
    if column_id:
        return column_id
    slug = re.sub(r"[^a-z0-9]+", "_", match_key(text)).strip("_")
    digest = hashlib.sha1(match_key(text).encode()).hexdigest()[:6]
    return f"{slug[:40].rstrip('_')}_{digest}" if slug else f"item_{digest}"
