"""Answer scales of survey items, recognised from the answers themselves (no configuration).

Label scales of 4, 5 and 7 points (and the 3- and 6-point variants that schools also use) in the
families agreement (Strongly disagree .. Strongly agree), frequency (Never .. Always),
favorability (Very unfavorably .. Very favorably), quality (Poor .. Excellent), satisfaction and
extent. Answers such as "N/A", "Don't know", "Unfamiliar" are "not answered": the item was seen
but gets no value. Numeric answers 1..k are kept as they are. Anything else (free text, a single
choice that is not a scale, multi-select answers joined by ", ") is kept as a comment.

A column's answers are classified as a whole, and the columns of one matrix question share one
scale. Several scales can fit a column whose respondents never used some points (nobody chose
"Neither agree nor disagree"): the smallest fitting scale is chosen unless another column of the
file needs a larger scale of the same family, which then wins for both (see `harmonize`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

# ---------------------------------------------------------------- normalizing answers

_QUOTES = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-", "\u00a0": " "}
)
_LEADING_NUMBER = re.compile(r"^\(?(\d{1,2})\)?\s*(?:[-=:.)]|\s)\s*(?=\D)")
_TRAILING_NUMBER = re.compile(r"\s*[(\[]\s*(\d{1,2})\s*[)\]]$")
INTEGER = re.compile(r"^[+]?\d+$")


def normalize_answer(text: str | None) -> str:
    """Lowercase, straight quotes, single spaces, no trailing full stop, no "5 - " numbering."""
    if text is None:
        return ""
    cleaned = " ".join(str(text).translate(_QUOTES).split()).strip().lower()
    cleaned = cleaned.rstrip(".! ")
    cleaned = _LEADING_NUMBER.sub("", cleaned)
    cleaned = _TRAILING_NUMBER.sub("", cleaned)
    return cleaned.strip()


NOT_ANSWERED = {
    "n/a",
    "na",
    "n.a",
    "n / a",
    "not applicable",
    "does not apply",
    "doesn't apply",
    "not relevant",
    "don't know",
    "do not know",
    "dont know",
    "i don't know",
    "i do not know",
    "dk",
    "unknown",
    "unfamiliar",
    "i am unfamiliar",
    "not familiar",
    "not sure",
    "unsure",
    "no opinion",
    "can't say",
    "cannot say",
    "unable to judge",
    "unable to answer",
    "not observed",
    "no basis to judge",
    "prefer not to answer",
    "prefer not to say",
    "decline to answer",
    "skip",
}
NOT_ANSWERED_PREFIXES = (
    "i don't know",
    "don't know",
    "not applicable",
    "n/a ",
    "n/a -",
    "unfamiliar",
    "i'm not familiar",
    "i am not familiar",
    "i have no basis",
    "prefer not to",
)


def is_not_answered(text: str | None) -> bool:
    answer = normalize_answer(text)
    return answer in NOT_ANSWERED or answer.startswith(NOT_ANSWERED_PREFIXES)


# ---------------------------------------------------------------- label scales


@dataclass(frozen=True)
class LabelScale:
    family: str
    points: tuple[tuple[str, ...], ...]  # synonyms of each point, least to most favorable

    @property
    def k(self) -> int:
        return len(self.points)

    @property
    def name(self) -> str:
        return f"{self.family} {self.k}-point"

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(p[0] for p in self.points)

    def lookup(self) -> dict[str, int]:
        return {label: i + 1 for i, synonyms in enumerate(self.points) for label in synonyms}


def _scale(family: str, *points: str) -> LabelScale:
    return LabelScale(family, tuple(tuple(normalize_answer(s) for s in p.split("|")) for p in points))


SD = "Strongly disagree|Strongly Disagree"
SA = "Strongly agree"
NEITHER_AGREE = "Neither agree nor disagree|Neither agree or disagree|Neutral|Undecided|Neither"
VERY_UNFAV, VERY_FAV = "Very unfavorably|Very unfavourably", "Very favorably|Very favourably"
NEUTRAL_FAV = "Neither favorably nor unfavorably|Neither favourably nor unfavourably|Neutral"
SCALES: tuple[LabelScale, ...] = (
    # agreement
    _scale("agreement", "Disagree", "Neither agree nor disagree|Neutral|Undecided", "Agree"),
    _scale("agreement", SD, "Disagree", "Agree", SA),
    _scale("agreement", SD, "Disagree", NEITHER_AGREE, "Agree", SA),
    _scale(
        "agreement",
        SD,
        "Disagree",
        "Somewhat disagree|Slightly disagree|Mildly disagree",
        "Somewhat agree|Slightly agree|Mildly agree",
        "Agree",
        SA,
    ),
    _scale(
        "agreement",
        SD,
        "Disagree",
        "Somewhat disagree|Slightly disagree|Mildly disagree",
        NEITHER_AGREE,
        "Somewhat agree|Slightly agree|Mildly agree",
        "Agree",
        SA,
    ),
    # frequency
    _scale(
        "frequency",
        "Never|Almost never",
        "Rarely|Seldom|Once in a while",
        "Sometimes|Occasionally",
        "Often|Usually|Frequently|Most of the time|Very often",
    ),
    _scale(
        "frequency",
        "Never",
        "Sometimes|Occasionally",
        "Often|Usually|Frequently|Most of the time",
        "Always|Almost always",
    ),
    _scale(
        "frequency",
        "Never|Almost never",
        "Rarely|Seldom|Once in a while",
        "Sometimes|Occasionally|About half the time",
        "Often|Usually|Frequently|Most of the time|Very often",
        "Always|Almost always",
    ),
    _scale(
        "frequency",
        "Never",
        "Rarely|Seldom",
        "Occasionally|Less than half the time",
        "Sometimes|About half the time",
        "Frequently|Often|More than half the time",
        "Usually|Almost always|Most of the time",
        "Always|Every time",
    ),
    # favorability
    _scale(
        "favorability",
        VERY_UNFAV,
        "Somewhat unfavorably|Somewhat unfavourably|Unfavorably|Unfavourably",
        "Somewhat favorably|Somewhat favourably|Favorably|Favourably",
        VERY_FAV,
    ),
    _scale(
        "favorability",
        VERY_UNFAV,
        "Somewhat unfavorably|Somewhat unfavourably|Unfavorably|Unfavourably",
        NEUTRAL_FAV,
        "Somewhat favorably|Somewhat favourably|Favorably|Favourably",
        VERY_FAV,
    ),
    _scale(
        "favorability",
        VERY_UNFAV,
        "Unfavorably|Unfavourably|Mostly unfavorably",
        "Somewhat unfavorably|Somewhat unfavourably|Slightly unfavorably",
        NEUTRAL_FAV,
        "Somewhat favorably|Somewhat favourably|Slightly favorably",
        "Favorably|Favourably|Mostly favorably",
        VERY_FAV,
    ),
    # quality
    _scale("quality", "Poor", "Fair", "Good", "Excellent"),
    _scale("quality", "Poor", "Fair", "Good", "Very good", "Excellent"),
    _scale("quality", "Very poor", "Poor", "Fair|Average|Acceptable", "Good", "Very good|Excellent"),
    _scale(
        "quality",
        "Very poor",
        "Poor",
        "Fair|Below average",
        "Average|Acceptable",
        "Good|Above average",
        "Very good",
        "Excellent|Exceptional",
    ),
    # satisfaction
    _scale(
        "satisfaction",
        "Very dissatisfied",
        "Dissatisfied|Somewhat dissatisfied",
        "Satisfied|Somewhat satisfied",
        "Very satisfied",
    ),
    _scale(
        "satisfaction",
        "Very dissatisfied",
        "Dissatisfied|Somewhat dissatisfied",
        "Neither satisfied nor dissatisfied|Neutral",
        "Satisfied|Somewhat satisfied",
        "Very satisfied",
    ),
    _scale(
        "satisfaction",
        "Very dissatisfied|Extremely dissatisfied",
        "Dissatisfied|Moderately dissatisfied",
        "Somewhat dissatisfied|Slightly dissatisfied",
        "Neither satisfied nor dissatisfied|Neutral",
        "Somewhat satisfied|Slightly satisfied",
        "Satisfied|Moderately satisfied",
        "Very satisfied|Extremely satisfied",
    ),
    # extent (as Panorama and similar climate surveys ask)
    _scale(
        "extent",
        "Not at all",
        "A little|Slightly|A little bit",
        "Quite a bit|Somewhat|Moderately",
        "A great deal|A lot|Extremely|A tremendous amount",
    ),
    _scale(
        "extent",
        "Not at all",
        "Slightly|A little|A little bit",
        "Somewhat|Moderately",
        "Quite a bit|Very|Quite",
        "Extremely|A great deal|A tremendous amount|Completely",
    ),
)
_LOOKUPS = {scale: scale.lookup() for scale in SCALES}


def scale_by_name(name: str) -> LabelScale | None:
    for scale in SCALES:
        if scale.name == name:
            return scale
    return None


# ---------------------------------------------------------------- classifying a column

LABEL, NUMERIC, MULTI_SELECT, CHOICE, TEXT, EMPTY = "label", "numeric", "multi_select", "choice", "text", "empty"
# Never scored, never given a percent favourable (etl/surveys/shapes.py tells them apart).
RANK_ORDER, NUMERIC_ENTRY = "rank_order", "numeric_entry"
SCORED = (LABEL, NUMERIC)
MIN_SHARE_ON_SCALE = 0.95  # a scale fits when this share of the answers are its labels; the rest are rejected
MULTI_SELECT_HINT = re.compile(r"(check|select|mark|choose|tick)\s+(all|any)\b|all that apply", re.I)
RANGE_HINT = re.compile(r"\b(?:0|1)\s*(?:to|-|through|and)\s*(\d{1,2})\b", re.I)


@dataclass
class ColumnScale:
    """How one column (or one matrix question's columns) is read."""

    kind: str
    scale: LabelScale | None = None
    points: int | None = None
    candidates: list[LabelScale] = field(default_factory=list)

    @property
    def is_scored(self) -> bool:
        return self.kind in SCORED

    @property
    def name(self) -> str:
        if self.kind == LABEL and self.scale:
            return self.scale.name
        if self.kind == NUMERIC:
            return f"numeric 1-{self.points}"
        return {
            MULTI_SELECT: "multi-select",
            CHOICE: "single choice (not a scale)",
            TEXT: "free text",
            EMPTY: "no answers",
            RANK_ORDER: "rank order (not a scale)",
            NUMERIC_ENTRY: "numeric entry (not a scale)",
        }[self.kind]

    def read(self, answer: str) -> tuple[str, int | None]:
        """(status, value): status is value | not_answered | comment | off_scale."""
        if self.kind == LABEL and self.scale:
            if is_not_answered(answer):
                return "not_answered", None
            value = (_LOOKUPS.get(self.scale) or _shape_lookup(self.scale)).get(_shape_key(answer))
            if value is None and INTEGER.match(answer.strip()) and 1 <= int(answer) <= self.scale.k:
                value = int(answer)
            return ("value", value) if value is not None else ("off_scale", None)
        if self.kind == NUMERIC:
            if is_not_answered(answer):
                return "not_answered", None
            text = answer.strip()
            if INTEGER.match(text) and 1 <= int(text) <= (self.points or 0):
                return "value", int(text)
            return "off_scale", None
        return "comment", None


def _shape_key(answer: str) -> str:
    """An answer as the scales look it up: `Neither ... (neutral)` and `Neither ...` are one point."""
    from etl.surveys.shapes import PARENTHESES

    key = normalize_answer(answer)
    return key if key in _KNOWN_LABELS else normalize_answer(PARENTHESES.sub(" ", answer or ""))


_KNOWN_LABELS = {label for lookup in _LOOKUPS.values() for label in lookup}
_SHAPE_LOOKUPS: dict[LabelScale, dict[str, int]] = {}


def _shape_lookup(scale: LabelScale) -> dict[str, int]:
    if scale not in _SHAPE_LOOKUPS:
        _SHAPE_LOOKUPS[scale] = scale.lookup()
    return _SHAPE_LOOKUPS[scale]


def fitting_scales(answers: list[str]) -> list[LabelScale]:
    """Label scales on which (nearly) every answer is a point, best first: scales that give each
    distinct answer its own point before those that merge two (Occasionally and Sometimes are one
    point of a 5-point frequency scale but two of the 7-point one), exact fits before near ones,
    then the smallest."""
    counts = Counter(_shape_key(a) for a in answers if a.strip() and not is_not_answered(a))
    total = sum(counts.values())
    if not total:
        return []
    fits = []
    for order, scale in enumerate(SCALES):
        lookup = _LOOKUPS[scale]
        on_scale = sum(n for label, n in counts.items() if label in lookup)
        if on_scale and on_scale >= MIN_SHARE_ON_SCALE * total and (on_scale == total or len(counts) > 2):
            points = [lookup[label] for label in counts if label in lookup]
            merges = len(points) != len(set(points))
            fits.append((merges, on_scale < total, scale.k, order, scale))
    return [f[-1] for f in sorted(fits)]


def classify(answers: list[str], header: str = "", points: int | None = None) -> ColumnScale:
    """Classify the answers of one column (or all columns of one matrix question)."""
    given = [a for a in answers if a is not None and a.strip()]
    if not given:
        return ColumnScale(EMPTY)
    scored = [a for a in given if not is_not_answered(a)]
    if not scored:
        return ColumnScale(EMPTY)
    fits = fitting_scales(given)
    if not fits:
        from etl.surveys.shapes import scale_from_shape

        shaped = scale_from_shape(given)
        fits = [shaped] if shaped and (not points or shaped.k == points) else []
    if fits:
        chosen = next((s for s in fits if s.k == points), fits[0]) if points else fits[0]
        return ColumnScale(LABEL, chosen, chosen.k, fits)
    numbers = [a.strip() for a in scored]
    if all(INTEGER.match(n) for n in numbers):
        values = [int(n) for n in numbers]
        hinted = RANGE_HINT.search(header or "")
        k = points or (int(hinted.group(1)) if hinted else None)
        if k is None and 4 <= max(values) <= 10 and len(set(values)) >= 3:
            k = max(values)
        if k and 2 <= k <= 10 and min(values) >= 1 and max(values) <= k:
            return ColumnScale(NUMERIC, None, k)
        return ColumnScale(CHOICE if len(set(values)) <= 12 else TEXT)
    if _looks_multi_select(scored, header):
        return ColumnScale(MULTI_SELECT)
    distinct = {normalize_answer(a) for a in scored}
    if len(distinct) <= 15 and len(scored) >= 2 * len(distinct):
        return ColumnScale(CHOICE)
    return ColumnScale(TEXT)


def _looks_multi_select(answers: list[str], header: str) -> bool:
    joined = [a for a in answers if ", " in a]
    if not joined:
        return False
    if MULTI_SELECT_HINT.search(header or ""):
        return True
    parts = Counter(p.strip().lower() for a in answers for p in a.split(", "))
    whole = {a.strip().lower() for a in answers}
    reused = sum(1 for p in parts if p in whole)
    return reused >= 2 and len(parts) < len(set(answers))


def harmonize(columns: dict[str, ColumnScale]) -> dict[str, ColumnScale]:
    """One scale size per family in a file: a column whose answers fit a smaller scale takes the size
    that another column of the family needs (nobody chose "Neither agree nor disagree" on one item).

    A survey uses one agreement (or frequency, ...) scale throughout, so the column is most likely on
    that scale with some points unused. For agreement 4 -> 5 -> 7 points this does not even change
    which answers count as favorable; an item map's `scale_points` overrides it when it is wrong.
    """
    needed: dict[str, int] = {}
    for column in columns.values():
        if column.kind == LABEL and column.scale:
            family = column.scale.family
            needed[family] = max(needed.get(family, 0), column.scale.k)
    out = {}
    for key, column in columns.items():
        if column.kind == LABEL and column.scale and column.scale.k < needed[column.scale.family]:
            larger = [
                s for s in column.candidates if s.family == column.scale.family and s.k == needed[column.scale.family]
            ]
            if larger:
                column = ColumnScale(LABEL, larger[0], larger[0].k, column.candidates)
        out[key] = column
    return out
