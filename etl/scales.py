"""Marks to scores (DESIGN.md section 4): every import names a scale.

A gradebook holds few distinct marks even when it holds millions of scores, so a scale classifies
each distinct mark here, in plain testable Python, and the loader joins the result back in SQL.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

# Codes that are not evidence: they keep their mark, get a NULL score, are counted, never averaged.
DEFAULT_CODES = {
    "ie": "insufficient evidence",
    "insufficient evidence": "insufficient evidence",
    "ny": "not yet assessed",
    "nya": "not yet assessed",
    "not yet assessed": "not yet assessed",
    "na": "not assessed",
    "n/a": "not assessed",
    "ex": "excused",
    "exc": "excused",
    "e": "excused",
    "excused": "excused",
    "m": "missing",
    "mi": "missing",
    "missing": "missing",
    "inc": "incomplete",
    "incomplete": "incomplete",
    "abs": "absent",
    "absent": "absent",
}

# Label scales that districts use, each mapped onto the 1-4 proficiency scale.
DEFAULT_LABELS = {
    "beginning": 1.0,
    "developing": 2.0,
    "approaching": 2.0,
    "proficient": 3.0,
    "meeting": 3.0,
    "meets": 3.0,
    "exceeding": 4.0,
    "exceeds": 4.0,
    "extending": 4.0,
    "advanced": 4.0,
    "does not meet": 1.0,
    "partially meets": 2.0,
    "partially meeting": 2.0,
    "mastery": 3.0,
    "near mastery": 2.0,
    "near_mastery": 2.0,
    "remediation": 1.0,
    "not yet": 1.0,
}

PLUS_MINUS = re.compile(r"^([0-4](?:\.0+)?)\s*([+-])$")
THIRD = 1.0 / 3.0


@dataclass(frozen=True)
class MarkResult:
    score: float | None
    is_evidence: bool
    reason: str | None = None  # set when the mark is not on the scale (the row is rejected)


@dataclass
class Scale:
    """kind: numeric (min..max used as is), chart (bands on another range) or labels."""

    kind: str = "numeric"
    min_value: float = 0.0
    max_value: float = 4.0
    bands: list[tuple[float, float]] = field(default_factory=list)  # (lower bound, score), any order
    labels: dict[str, float] = field(default_factory=dict)
    codes: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_CODES))
    plus_minus: bool = True

    def describe(self) -> str:
        if self.kind == "chart":
            cuts = ", ".join(f">={lo:g}->{s:g}" for lo, s in sorted(self.bands))
            return f"conversion chart ({cuts})"
        if self.kind == "labels":
            return "labels (" + ", ".join(f"{k}={v:g}" for k, v in self.labels.items()) + ")"
        return f"numeric {self.min_value:g}-{self.max_value:g}"

    def classify(self, mark: str) -> MarkResult:
        key = " ".join(str(mark).strip().lower().split())
        if key in self.codes:
            return MarkResult(None, False)
        if key in self.labels:
            return MarkResult(self.labels[key], True)
        pm = PLUS_MINUS.match(key)
        if pm and self.plus_minus and self.kind != "chart":
            base = float(pm.group(1))
            value = round(base + (THIRD if pm.group(2) == "+" else -THIRD), 2)
            return MarkResult(min(max(value, 0.0), 4.0), True)
        number = _as_number(key)
        if number is None:
            return MarkResult(None, False, f"mark '{mark}' is not on the scale ({self.describe()})")
        return self._classify_number(mark, number)

    def _classify_number(self, mark: str, number: float) -> MarkResult:
        if self.kind == "chart":
            below = [score for lower, score in self.bands if number >= lower]
            if not below or number > self.max_value:
                return MarkResult(None, False, f"mark '{mark}' is outside the chart ({self.describe()})")
            best = max((lo, s) for lo, s in self.bands if number >= lo)
            return MarkResult(best[1], True)
        if not (self.min_value <= number <= self.max_value):
            return MarkResult(None, False, f"mark '{mark}' is outside the scale {self.min_value:g}-{self.max_value:g}")
        return MarkResult(number, True)


def _as_number(text: str) -> float | None:
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return None


def default_scale() -> Scale:
    """What a file with the warehouse's own headers uses: numbers 0-4, common labels and codes."""
    return Scale(kind="numeric", min_value=0.0, max_value=4.0, labels=dict(DEFAULT_LABELS))


def scale_from_config(config: dict | None) -> Scale:
    """Build a scale from a mapping file's `scale:` block."""
    if not config:
        return default_scale()
    kind = config.get("type", "numeric")
    codes = dict(DEFAULT_CODES)
    for code in config.get("codes", []) or []:
        codes[str(code).strip().lower()] = "not evidence"
    for code, meaning in (config.get("code_meanings") or {}).items():
        codes[str(code).strip().lower()] = str(meaning)
    labels = {" ".join(str(k).lower().split()): float(v) for k, v in (config.get("labels") or {}).items()}
    if kind == "labels" and not labels:
        labels = dict(DEFAULT_LABELS)
    if kind == "chart":
        bands = [(float(lo), float(score)) for lo, score in config.get("bands", [])]
        if not bands:
            raise ValueError("a 'chart' scale needs 'bands': [[lower bound, score], ...]")
        return Scale(kind="chart", min_value=float(config.get("min", min(lo for lo, _ in bands))),
                     max_value=float(config.get("max", 100)), bands=bands, labels=labels, codes=codes)
    if kind not in ("numeric", "labels"):
        raise ValueError(f"unknown scale type '{kind}' (numeric, chart or labels)")
    return Scale(kind=kind, min_value=float(config.get("min", 0)), max_value=float(config.get("max", 4)),
                 labels=labels, codes=codes, plus_minus=bool(config.get("plus_minus", True)))
