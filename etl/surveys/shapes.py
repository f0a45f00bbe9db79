"""Answer scales recognised by their shape, not from a list of known labels.

A bipolar scale is a stem and its opposite at several intensities: `Very likely, Somewhat likely,
Neither likely nor unlikely, Somewhat unlikely, Very unlikely`; the opposite is written `un-X`,
`dis-X`, `in-X`, `not X` (`Very favorably ... Very unfavorably`, `Very satisfied ... Very
dissatisfied`, `Very important ... Not important`). A unipolar scale climbs one stem from `Not at all X`
through `Slightly`, `Somewhat`, `Very` to `Extremely X`. Intensity words are ranked (a little <
somewhat < plain < very < extremely), the ranks seen on either side are mirrored, and a neutral
middle (`Neither X nor un-X`, `Neutral`, a `(neutral)` aside) is the centre. Answers such as `N/A`,
`Don't know`, `Unfamiliar (N/A)` are not answered, as in etl/surveys/scales.py.

Also here: a rank-order question (each respondent gives the options distinct ranks 1..n) and a
numeric-entry question (years, hours, counts) are recognised, so that neither is ever read as an
agreement scale or given a percent favourable.
"""

from __future__ import annotations

import re
from collections import Counter

from etl.surveys.scales import LabelScale, is_not_answered, normalize_answer

PARENTHESES = re.compile(r"\s*\([^)]*\)\s*")
# Intensity words, weakest first; a bare stem sits between `somewhat` and `very`.
INTENSITY = (
    ("a little", 1),
    ("a bit", 1),
    ("slightly", 1),
    ("mildly", 1),
    ("somewhat", 2),
    ("moderately", 2),
    ("fairly", 2),
    ("mostly", 4),
    ("quite", 4),
    ("very", 4),
    ("strongly", 4),
    ("highly", 4),
    ("extremely", 5),
    ("completely", 5),
    ("totally", 5),
)
BARE = 3
NEGATIONS = ("not at all ", "not very ", "not ", "un", "dis", "in", "im", "ir", "non-", "non ", "non")
NEUTRAL = re.compile(
    r"^(neither\b.*\bnor\b.*|neutral|undecided|neither|no opinion either way|mixed|"
    r"about the same|average|ok|okay)$"
)
MIN_POINTS, MAX_POINTS = 3, 7
NUMBER_HINT = re.compile(
    r"\b(how many|number of|years?|months?|weeks?|days?|hours?|minutes?|age|how old|"
    r"percent|percentage|%|count|enter a number|how much time)\b",
    re.I,
)
DECIMAL = re.compile(r"^[+-]?\d+[.,]\d+$")
INTEGER = re.compile(r"^[+-]?\d+$")


def _clean(answer: str) -> str:
    return normalize_answer(PARENTHESES.sub(" ", answer or ""))


def _split(answer: str) -> tuple[int, str]:
    """(intensity, stem) of one answer: `somewhat unfavorably` -> (2, 'unfavorably')."""
    text = answer
    for word, rank in INTENSITY:
        if text.startswith(word + " "):
            return rank, text[len(word) + 1 :].strip()
    return BARE, text


def _opposite(stem: str, stems: set[str]) -> str | None:
    """The positive stem `stem` negates, if it is among `stems` (`unlikely` -> `likely`)."""
    for prefix in NEGATIONS:
        if stem.startswith(prefix) and stem[len(prefix) :].strip() in stems:
            return stem[len(prefix) :].strip()
    return None


def scale_from_shape(answers: list[str]) -> LabelScale | None:
    """A LabelScale fitted to these answers' shape, or None when they are not one scale."""
    distinct = Counter(_clean(a) for a in answers if a and a.strip() and not is_not_answered(a))
    distinct.pop("", None)
    if not 2 <= len(distinct) <= MAX_POINTS:
        return None
    positions: dict[str, int] = {}
    parsed = {answer: _split(answer) for answer in distinct if not NEUTRAL.match(answer)}
    stems = {stem for _, stem in parsed.values()}
    positive = {s for s in stems if _opposite(s, stems) is None}
    if len(positive) != 1:
        return _unipolar(distinct)
    (stem,) = positive
    negated_by_not = True
    for answer, (rank, word) in parsed.items():
        if word == stem:
            positions[answer] = rank
        elif _opposite(word, stems) == stem:
            negation = word[: len(word) - len(stem)].strip()
            negated_by_not = negated_by_not and negation.startswith("not")
            # `not at all X` is the far end; `not very X` is milder than `not X`.
            positions[answer] = (
                -{"not at all": 3, "not very": 1}.get(negation, 2) if negation.startswith("not") else -rank
            )
        else:
            return None
    if not any(p < 0 for p in positions.values()):
        return None
    neutral = [a for a in distinct if NEUTRAL.match(a)]
    if negated_by_not and not neutral:
        # `Not at all X ... Extremely X` climbs one stem: the points are the answers seen, in order.
        return _ordered(positions, [], family=f"{stem} (by shape)", mirror=False)
    return _ordered(positions, neutral, family=f"{stem} (by shape)")


def _unipolar(distinct: Counter) -> LabelScale | None:
    """`Not at all X`, `Slightly X`, `Somewhat X`, `Very X`, `Extremely X`: one stem, climbing."""
    positions = {}
    stems = set()
    for answer in distinct:
        if answer.startswith("not at all "):
            positions[answer], stem = 0, answer[len("not at all ") :]
        else:
            rank, stem = _split(answer)
            if rank == BARE:
                return None  # a bare word beside intensities of another stem: not one scale
            positions[answer] = rank
        stems.add(stem)
    if len(stems) != 1 or 0 not in positions.values():
        return None
    return _ordered(positions, [], family=f"{stems.pop()} (by shape)")


def _ordered(positions: dict[str, int], neutral: list[str], family: str, mirror: bool = True) -> LabelScale | None:
    """Points in order; the ranks seen on either side are mirrored so a side whose extreme nobody
    chose still has its point."""
    magnitudes = sorted({abs(p) for p in positions.values() if p})
    has_negative = any(p < 0 for p in positions.values())
    if has_negative and mirror:
        levels = [-m for m in reversed(magnitudes)] + ([0] if neutral else []) + magnitudes
    else:
        levels = sorted(set(positions.values()))
    if not MIN_POINTS <= len(levels) <= MAX_POINTS:
        return None
    points = []
    for level in levels:
        labels = tuple(a for a, p in positions.items() if p == level) if level else tuple(neutral)
        points.append(labels or (f"({family} point {len(points) + 1})",))
    return LabelScale(family, tuple(points))


def is_rank_order(rows: list[list[str]]) -> bool:
    """The columns of one question, row by row: each respondent gave distinct ranks 1..n."""
    n = len(rows[0]) if rows else 0
    if n < 2:
        return False
    ranked = 0
    answered = 0
    for row in rows:
        cells = [c.strip() for c in row if c and c.strip()]
        if not cells:
            continue
        answered += 1
        if all(INTEGER.match(c) for c in cells):
            values = [int(c) for c in cells]
            if len(set(values)) == len(values) and min(values) >= 1 and max(values) <= n:
                ranked += 1
    return (
        answered >= 2 and ranked >= 0.9 * answered and any(len([c for c in row if c and c.strip()]) > 1 for row in rows)
    )


def is_numeric_entry(answers: list[str], header: str = "") -> bool:
    """Numbers a respondent typed (years, hours, a count), not points on a scale."""
    given = [a.strip() for a in answers if a and a.strip() and not is_not_answered(a)]
    if not given or not all(INTEGER.match(a) or DECIMAL.match(a) for a in given):
        return False
    if any(DECIMAL.match(a) for a in given):
        return True
    values = [int(a) for a in given]
    return bool(NUMBER_HINT.search(header or "")) or max(values) > 10 or min(values) < 0
