"""Marks to scores (docs/numbers.md): every import names a scale.

A gradebook holds few distinct marks even when it holds millions of scores, so a scale classifies
each distinct mark here, in plain testable Python, and the loader joins the result back in SQL.

A mark is one of three things:
- a score: a number on the scale, a label (`Proficient`), a number with + or - (`2+` = 2.33), or
  on a conversion chart a number in one of the chart's bands;
- a code that is not evidence (IE, NY, excused, missing): kept with its mark, score NULL, counted;
- anything else: not on the scale, and the row is rejected with the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

SCORE_RANGE = (0.0, 4.0)  # the warehouse's normalized score (docs/warehouse.md)

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
    "msg": "missing",
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
    "remediation": 1.0,
    "not yet": 1.0,
}

PLUS_MINUS = re.compile(r"^(\d+(?:\.0+)?)\s*([+-])$")
THIRD = 1.0 / 3.0
SCALE_KEYS = {"type", "min", "max", "bands", "labels", "codes", "code_meanings", "plus_minus", "percent_of_points"}


def mark_key(mark: object) -> str:
    """How marks, labels and codes are compared: case, spacing and `_` vs space do not matter."""
    return " ".join(str(mark).strip().lower().replace("_", " ").split())


@dataclass(frozen=True)
class MarkResult:
    score: float | None
    is_evidence: bool
    reason: str | None = None  # why the mark is not on the scale, to follow "mark ..." (the row is rejected)
    code: str | None = None  # what a non-evidence code means (excused, missing, ...)

    @property
    def is_rejected(self) -> bool:
        return self.reason is not None


@dataclass
class Scale:
    """kind: numeric (min..max used as is), chart (bands on another range) or labels.

    `codes` are the file's own non-evidence codes (they win over labels); DEFAULT_CODES apply after
    the labels, so a label scale may use `E` for Exceeding although `e` is usually excused.
    """

    kind: str = "numeric"
    min_value: float = 0.0
    max_value: float | None = 4.0  # None: a chart open at the top (extra credit above 100%)
    bands: list[tuple[float, float]] = field(default_factory=list)  # (lower bound, score), any order
    labels: dict[str, float] = field(default_factory=dict)
    codes: dict[str, str] = field(default_factory=dict)
    plus_minus: bool = True
    percent_of_points: bool = False  # chart marks are points: chart their percent of points possible

    def describe(self) -> str:
        if self.kind == "chart":
            cuts = ", ".join(f">={lo:g} -> {s:g}" for lo, s in sorted(self.bands))
            of = " of percent of points possible" if self.percent_of_points else ""
            return f"conversion chart{of} ({cuts})"
        if self.kind == "labels":
            return "labels (" + ", ".join(f"{k}={v:g}" for k, v in self.labels.items()) + ")"
        plus_minus = ", +/- = +/-0.33" if self.plus_minus else ""
        return f"numeric {self.min_value:g}-{self.max_value:g}{plus_minus}"

    def classify(self, mark: object) -> MarkResult:
        key = mark_key(mark)
        if key in self.codes:
            return MarkResult(None, False, code=self.codes[key])
        if key in self.labels:
            return MarkResult(self.labels[key], True)
        if key in DEFAULT_CODES:
            return MarkResult(None, False, code=DEFAULT_CODES[key])
        plus_minus = PLUS_MINUS.match(key)
        if plus_minus and self.plus_minus and self.kind != "chart":
            return self._classify_plus_minus(float(plus_minus.group(1)), plus_minus.group(2))
        number = _as_number(key)
        if number is None:
            return MarkResult(None, False, f"is not on the scale ({self.describe()})")
        return self._classify_number(number)

    def classify_points(self, mark: object, points_possible: float | None) -> MarkResult:
        """A chart mark read as points earned: charted as its percent of the points possible."""
        if not (self.percent_of_points and self.kind == "chart"):
            return self.classify(mark)
        key = mark_key(mark)
        number = _as_number(key)
        if number is None or key in self.codes or key in self.labels:
            return self.classify(mark)
        if not points_possible:
            return MarkResult(None, False, "has no points possible in its column to make a percent of")
        return self._classify_number(number / points_possible * 100, unit=f"% of {points_possible:g} points")

    def _classify_plus_minus(self, base: float, sign: str) -> MarkResult:
        if not self.min_value <= base <= self.max_value:
            return MarkResult(None, False, f"is outside the scale {self.min_value:g}-{self.max_value:g}")
        value = round(base + (THIRD if sign == "+" else -THIRD), 2)
        # 4+ is the top of the scale, 1- its bottom: a +/- never leaves the scale.
        return MarkResult(min(max(value, self.min_value), self.max_value), True)

    def _classify_number(self, number: float, unit: str = "") -> MarkResult:
        if self.kind == "chart":
            bands = [(lo, score) for lo, score in self.bands if number >= lo]
            if not bands:
                lowest = min(lo for lo, _ in self.bands)
                return MarkResult(None, False, f"is {number:.4g}{unit}, below the chart's lowest band {lowest:g}")
            if self.max_value is not None and number > self.max_value:
                return MarkResult(None, False, f"is {number:.4g}{unit}, above the chart's top of {self.max_value:g}")
            return MarkResult(max(bands)[1], True)
        if not self.min_value <= number <= self.max_value:
            return MarkResult(None, False, f"is outside the scale {self.min_value:g}-{self.max_value:g}")
        return MarkResult(number, True)


def _as_number(text: str) -> float | None:
    try:
        return float(text.replace(",", "."))  # `2,5`: a decimal comma from a European spreadsheet
    except ValueError:
        return None


def default_scale() -> Scale:
    """What a file with the warehouse's own headers uses: numbers 0-4, common labels and codes."""
    return Scale(kind="numeric", min_value=0.0, max_value=4.0, labels=dict(DEFAULT_LABELS))


def scale_from_config(config: dict | None) -> Scale:
    """Build a scale from a mapping file's `scale:` block; ValueError says what is wrong."""
    if not config:
        return default_scale()
    if not isinstance(config, dict):
        raise ValueError("'scale' is a block of keys (type, min, max, bands, labels, codes, plus_minus)")
    unknown = sorted(set(config) - SCALE_KEYS)
    if unknown:
        raise ValueError(f"unknown scale key(s) {', '.join(unknown)} (known: {', '.join(sorted(SCALE_KEYS))})")
    kind = config.get("type", "numeric")
    codes = _codes(config)
    labels = {mark_key(k): _score(v, f"label '{k}'") for k, v in (config.get("labels") or {}).items()}
    if kind == "chart":
        return _chart(config, labels, codes)
    if kind not in ("numeric", "labels"):
        raise ValueError(f"unknown scale type '{kind}' (numeric, chart or labels)")
    if kind == "labels" and not labels:
        labels = dict(DEFAULT_LABELS)
    low, high = float(config.get("min", 0)), float(config.get("max", 4))
    if not SCORE_RANGE[0] <= low < high <= SCORE_RANGE[1]:
        raise ValueError(
            f"a {kind} scale runs within 0-4 (min {low:g}, max {high:g}); "
            "for 0-100 or points use type: chart with bands"
        )
    return Scale(
        kind=kind,
        min_value=low,
        max_value=high,
        labels=labels,
        codes=codes,
        plus_minus=bool(config.get("plus_minus", True)),
    )


def _chart(config: dict, labels: dict[str, float], codes: dict[str, str]) -> Scale:
    bands = [(float(lo), _score(score, f"band {lo}")) for lo, score in config.get("bands") or []]
    if not bands:
        raise ValueError("a 'chart' scale needs 'bands': [[lower bound, score], ...]")
    top = config.get("max", 100)
    return Scale(
        kind="chart",
        min_value=float(config.get("min", min(lo for lo, _ in bands))),
        max_value=None if top is None else float(top),
        bands=bands,
        labels=labels,
        codes=codes,
        plus_minus=False,
        percent_of_points=bool(config.get("percent_of_points", False)),
    )


def _codes(config: dict) -> dict[str, str]:
    """`codes:` is a list of codes, or a map of code -> what it means; `code_meanings` adds meanings."""
    listed = config.get("codes") or []
    codes = dict(listed) if isinstance(listed, dict) else {code: "not evidence" for code in listed}
    codes.update(config.get("code_meanings") or {})
    return {mark_key(code): str(meaning) for code, meaning in codes.items()}


def _score(value: object, what: str) -> float:
    score = float(value)
    if not SCORE_RANGE[0] <= score <= SCORE_RANGE[1]:
        raise ValueError(f"{what} gives score {score:g}; scores run 0-4")
    return score
