"""What a board finding is (a statement, its chart, its footnote and the numbers it states) and the
words and rules every kind of finding shares."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

import pandas as pd
import plotly.graph_objects as go

from exports.scrutiny import Candidate
from queries.privacy import thresholds
from warehouse.config import DistrictConfig
from warehouse.labels import GROUP_NAMES

Fetch = Callable[[str, dict], pd.DataFrame]


GROUPINGS = ("is_ell", "is_iep", "is_econ_disadv")


HEADLINE_WORDS = {  # how a headline names the group mid-sentence
    "is_ell": "English learners",
    "is_iep": "students with IEPs",
    "is_econ_disadv": "economically disadvantaged students",
}
# (the headline's words, the chart legend's: the group's name everywhere else, warehouse/labels.py)
GROUP_WORDS = {g: (words, GROUP_NAMES[g]["true"]) for g, words in HEADLINE_WORDS.items()}


AREA_WORDS = {"math": "math", "ela": "ELA", "science": "science"}


@dataclass(frozen=True)
class Stated:
    """One number a headline states: `text` as printed, `value` the figure it rounds, read from the row of
    `query` (run with `params` for the board) whose columns equal `match`; `minus` names a second row whose
    value is subtracted (a change between two rows); `column` None counts the rows instead."""

    query: str
    params: dict
    match: dict
    column: str | None
    value: float
    text: str
    absolute: bool = False  # the headline states the size; the direction is in its words
    minus: dict | None = None


@dataclass
class Finding:
    key: str
    kind: str  # trend | gap | gap_change | coverage | culture_gap | culture_trend
    headline: str
    draw: Callable[[], go.Figure]  # the chart, drawn when first asked for (`figure`)
    footnote: str
    table: pd.DataFrame  # the gated rows the chart draws (exported as CSV)
    stated: list[Stated] = field(default_factory=list)
    notes: str = ""  # what a presenter may add: intervals, definitions
    evidence: str = ""  # one line under the chart: what the finding rests on, and its range
    alt: str = ""  # the chart's finding and its numbers, for a reader who cannot see it

    @property
    def alt_text(self) -> str:
        return self.alt or self.headline

    @property
    def evidence_line(self) -> str:
        return self.evidence or self.footnote.split(". ")[0]

    @cached_property
    def figure(self) -> go.Figure:
        """Drawn on first use: the board page shows one finding at a time, so it draws one chart per view
        instead of all of them (each a few tens of milliseconds); the deck draws every one."""
        return self.draw()

    @property
    def slug(self) -> str:
        return "".join(c if c.isalnum() else "_" for c in self.key).strip("_")


@dataclass
class BoardReport:
    school_year: str | None
    method_label: str
    findings: list[Finding]
    appendix: list[tuple[str, str]]
    title: str = "District findings"
    considered: list[tuple[str, str]] = field(default_factory=list)  # what was tested, what was not called out
    candidates: list[Candidate] = field(default_factory=list)
    district: str = "The district"
    data_as_of: str | None = None  # the latest load's date
    made_on: date = field(default_factory=date.today)

    @property
    def cover_title(self) -> str:
        return f"{self.district}: findings for the board"

    @property
    def cover_lines(self) -> list[str]:
        return [
            self.subtitle,
            f"Presented {self.made_on:%B} {self.made_on.day}, {self.made_on.year}",
            f"Data as of {self.data_as_of}" if self.data_as_of else "Data: as loaded in the district's warehouse",
            "Aggregates only; no student is named or identified.",
        ]

    @property
    def subtitle(self) -> str:
        return f"School year {self.school_year}" if self.school_year else "No school year loaded"


def area_word(area: str) -> str:
    return AREA_WORDS.get(area, str(area))


def points(value: float) -> str:
    """A magnitude in whole points, as headlines print it."""
    return f"{abs(value):.0f}"


def pct(value: float) -> str:
    return f"{value:.0f}"


def figure_of(row: pd.Series, column: str) -> float:
    value = pd.to_numeric(pd.Series([row.get(column)]), errors="coerce").iloc[0]
    return float(value) if pd.notna(value) else math.nan


def is_shown(row: pd.Series, *columns: str) -> bool:
    """A row the board may see every stated figure of: not suppressed, no coded or hidden cell."""
    if bool(row.get("suppressed", False)):
        return False
    return all(not math.isnan(figure_of(row, c)) for c in columns)


def decimals_of(shown: str) -> int:
    """The chart labels its points as the headline states them (one decimal when the headline needs it)."""
    return 1 if "." in shown else 0


def _true(value) -> bool:
    return value is True or (isinstance(value, (bool,)) and value) or str(value).lower() == "true"


KINDS = ("trend", "gap", "gap_change", "culture_gap", "culture_trend")


KIND_WORDS = {  # how the methods slide counts each kind of candidate
    "trend": "changes in percent proficient since the first year (one per content area)",
    "gap": "gaps between a group and all other students (group x content area)",
    "gap_change": "changes in those gaps since the first year",
    "culture_gap": "differences between leaders' and teachers' favorable answers (one per construct)",
    "culture_trend": "changes in favorable answers since the first survey wave (one per construct)",
}


@dataclass(frozen=True)
class Context:
    fetch: Fetch
    config: DistrictConfig
    method: str
    to_year: str | None
    from_year: str | None
    areas: list

    def student_footnote(self, n_text: str, standard: str = "") -> str:
        limits = thresholds("board", "students")
        return (
            f"n = {n_text}. {standard}Scores: {self.config.method_label(self.method)}. "
            f"Privacy: groups under {limits.min_n} students show no figure; rates of groups of "
            f"{limits.min_n}-{limits.coding_max_n} students are shown only as bounds near 0% and 100%."
        )


CALLED_OUT = (
    "Called out only when it is larger than chance would explain, with every comparison the deck "
    "considered tested together (methods slide). "
)


RANGE_WORDS = "Give or take: the range that holds the true figure 19 times out of 20. "


def interval_of(row: pd.Series, low: str, high: str, paired_low: str, paired_high: str) -> tuple[float, float, bool]:
    """The change's interval: the paired one (students present in both years counted as pairs) when the
    rows carry it, else the one that takes the two years as independent samples."""
    a, b = figure_of(row, paired_low), figure_of(row, paired_high)
    if not (math.isnan(a) or math.isnan(b)):
        return a, b, True
    return figure_of(row, low), figure_of(row, high), False
