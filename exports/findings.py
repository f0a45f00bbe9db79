"""Board findings chosen from the data (docs/architecture.md and docs/privacy.md): a few clear statements, each with its
chart, its footnote and the gated rows behind it, that can be shown in public without exposing a student.

Every number comes from a named query run for the board audience (`fetch` below must return rows that
passed `queries.privacy.apply_gate(..., audience="board")`); a suppressed or top/bottom coded cell is never
stated, so a finding whose figure is hidden is simply not chosen. Nothing here reads a student list, a name or
an id. Which findings appear is decided by the data, from candidates that are all tested together
(exports/scrutiny.py: Holm's correction over every candidate, whatever its kind):

1. proficiency over time: every content area's change since the earliest year (board_proficiency_change;
   the paired interval when the rows carry one); the largest is called a rise or fall only when it passes;
2. gaps: English learners, students with IEPs and economically disadvantaged students in each content area
   (board_gaps, reference all other students); the largest that pass, one per grouping;
3. gap changes since the earliest year (board_gap_change), the largest that pass, one per grouping;
4. coverage: grade-level standards with no evidence anywhere in the district that year (never_assessed);
5. culture: leaders vs teachers on each construct of the latest wave (survey_role_gap) and each construct's
   change since the first wave (survey_construct_trend), in shares of answers, tested with n = respondents.

Each headline says its range in plain words ("give or take 4") and shows endpoints that agree with the change
it states; each finding has one line of evidence saying how many students or respondents it rests on.
The methods slide lists what was considered and what was not called out, and why (`considered_text`).

Each finding records what its headline states (`Stated`): the query, its parameters, the row and the column,
so a test can run the same query again and check every number the headline prints.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, partial

import pandas as pd
import plotly.graph_objects as go

from charts import board as charts
from charts.culture import construct_label
from exports.scrutiny import Candidate, agreeing, difference_interval, give_or_take, test_together
from queries.privacy import thresholds
from warehouse.config import DistrictConfig, district_config

Fetch = Callable[[str, dict], pd.DataFrame]

GROUPINGS = ("is_ell", "is_iep", "is_econ_disadv")
GROUP_WORDS = {  # how a headline names the group, and how a chart's legend does
    "is_ell": ("English learners", "English learners"),
    "is_iep": ("students with IEPs", "Students with IEPs"),
    "is_econ_disadv": ("economically disadvantaged students", "Economically disadvantaged"),
}
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


def _num(row: pd.Series, column: str) -> float:
    value = pd.to_numeric(pd.Series([row.get(column)]), errors="coerce").iloc[0]
    return float(value) if pd.notna(value) else math.nan


def _shown(row: pd.Series, *columns: str) -> bool:
    """A row the board may see every stated figure of: not suppressed, no coded or hidden cell."""
    if bool(row.get("suppressed", False)):
        return False
    return all(not math.isnan(_num(row, c)) for c in columns)


def _decimals(shown: str) -> int:
    """The chart labels its points as the headline states them (one decimal when the headline needs it)."""
    return 1 if "." in shown else 0


def _true(value) -> bool:
    return value is True or (isinstance(value, (bool,)) and value) or str(value).lower() == "true"


# ---------------------------------------------------------------- choosing


def choose_findings(
    fetch: Fetch,
    school_year: str | None = None,
    method: str | None = None,
    config: DistrictConfig | None = None,
    max_gaps: int = 2,
    max_changes: int = 2,
) -> BoardReport:
    """The board findings for a school year (default: the latest), from rows `fetch` returns for the board.

    Every candidate comparison is gathered first and tested together (exports/scrutiny.py, Holm); only those
    that survive are stated as a rise, a fall, a gap or a change."""
    config = config or district_config()
    method = method or config.calculation_method
    years = sorted(fetch("school_years", {})["school_year"].dropna().astype(str).tolist())
    to_year = school_year if school_year in years else (years[-1] if years else None)
    from_year = years[0] if years and years[0] != to_year else None
    areas = [a for a in fetch("content_areas", {})["content_area"].dropna().tolist()]
    context = _Context(fetch, config, method, to_year, from_year, areas)
    hidden: dict[str, int] = {}
    candidates: list[Candidate] = []
    if to_year is not None and areas:
        if from_year is not None:
            candidates += _trend_candidates(context, hidden)
        candidates += _gap_candidates(context, hidden)
        if from_year is not None:
            candidates += _gap_change_candidates(context, hidden)
    survey = _survey_context(fetch, to_year)
    if survey is not None:
        candidates += _culture_candidates(survey, hidden)
    test_together(candidates)
    by_kind = {kind: [c for c in candidates if c.kind == kind] for kind in KINDS}
    findings: list[Finding] = []
    if by_kind["trend"]:
        findings += [_trend_finding(context, by_kind["trend"])]
    findings += [_gap_finding(context, c) for c in _pick(by_kind["gap"], max_gaps)]
    findings += [_gap_change_finding(context, c) for c in _pick(by_kind["gap_change"], max_changes)]
    if to_year is not None and areas:
        findings += _coverage_finding(context)
    findings += [_culture_gap_finding(survey, c) for c in _pick(by_kind["culture_gap"], 1)]
    findings += [_culture_trend_finding(survey, c) for c in _pick(by_kind["culture_trend"], 1)]
    shown = {f.key for f in findings}
    return BoardReport(
        to_year,
        config.method_label(method),
        findings,
        methods_appendix(config, method, to_year, from_year, _is_paired(by_kind)),
        considered=considered_text(candidates, shown, hidden, max_gaps, max_changes),
        candidates=candidates,
        district=config.district_name,
        data_as_of=_data_as_of(fetch),
    )


def _data_as_of(fetch: Fetch) -> str | None:
    """The date of the latest load (`latest_load`), or None where the board's data does not offer it."""
    try:
        loads = fetch("latest_load", {})
    except Exception:  # noqa: BLE001 - a release may not publish it; the cover then says less, nothing breaks
        return None
    when = pd.to_datetime(loads.get("finished_at", pd.Series(dtype=object)), errors="coerce").dropna()
    return None if when.empty else f"{when.max():%B} {when.max().day}, {when.max().year}"


KINDS = ("trend", "gap", "gap_change", "culture_gap", "culture_trend")
KIND_WORDS = {  # how the methods slide counts each kind of candidate
    "trend": "changes in percent proficient since the first year (one per content area)",
    "gap": "gaps between a group and all other students (group x content area)",
    "gap_change": "changes in those gaps since the first year",
    "culture_gap": "differences between leaders' and teachers' favorable answers (one per construct)",
    "culture_trend": "changes in favorable answers since the first survey wave (one per construct)",
}


def _pick(candidates: list[Candidate], limit: int) -> list[Candidate]:
    """The largest called-out candidates, at most one per grouping (`extra["group"]`), at most `limit`."""
    chosen, used = [], set()
    for c in sorted((c for c in candidates if c.is_called_out), key=lambda c: (-abs(c.estimate), c.key)):
        group = c.extra.get("group")
        if len(chosen) >= limit or (group is not None and group in used):
            continue
        used.add(group)
        chosen.append(c)
    return chosen


def _is_paired(by_kind: dict[str, list[Candidate]]) -> bool:
    changes = by_kind["trend"] + by_kind["gap_change"]
    return bool(changes) and all(c.extra.get("paired") for c in changes)


@dataclass(frozen=True)
class _Context:
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


def _interval(row: pd.Series, low: str, high: str, paired_low: str, paired_high: str) -> tuple[float, float, bool]:
    """The change's interval: the paired one (students present in both years counted as pairs) when the
    rows carry it, else the one that takes the two years as independent samples."""
    a, b = _num(row, paired_low), _num(row, paired_high)
    if not (math.isnan(a) or math.isnan(b)):
        return a, b, True
    return _num(row, low), _num(row, high), False


def _trend_candidates(c: _Context, hidden: dict) -> list[Candidate]:
    params = {"from_year": c.from_year, "to_year": c.to_year, "method": c.method}
    rows = c.fetch("board_proficiency_change", params)
    out = []
    for _, row in rows.iterrows():
        if not _shown(row, "change_pp", "from_pct", "to_pct"):
            hidden["trend"] = hidden.get("trend", 0) + 1
            continue
        low, high, paired = _interval(row, "change_low", "change_high", "paired_change_low", "paired_change_high")
        area = row["content_area"]
        out.append(
            Candidate(
                f"trend_{area}",
                "trend",
                f"change in percent proficient in {area_word(area)}",
                _num(row, "change_pp"),
                low,
                high,
                extra={"row": row, "params": params, "paired": paired},
            )
        )
    return out


def _trend_finding(c: _Context, candidates: list[Candidate]) -> Finding:
    """The content area whose percent proficient changed most: called a rise or a fall when that survives
    the correction, else stated as where it stands."""
    called = [x for x in candidates if x.is_called_out]
    chosen = max(called or candidates, key=lambda x: (abs(x.estimate), x.key))
    row, params = chosen.extra["row"], chosen.extra["params"]
    area, change = row["content_area"], chosen.estimate
    start, end = _num(row, "from_pct"), _num(row, "to_pct")
    match = {"content_area": area}
    start_text, end_text, size = agreeing(start, end, change)
    stated_start = Stated("board_proficiency_change", params, match, "from_pct", start, start_text)
    stated_end = Stated("board_proficiency_change", params, match, "to_pct", end, end_text)
    if chosen.is_called_out:
        verb = "rose" if change > 0 else "fell"
        headline = (
            f"Percent proficient in {area_word(area)} {verb} {size} points since {c.from_year}, give or "
            f"take {give_or_take(chosen.low, chosen.high)}: from {start_text}% to {end_text}%"
        )
        stated = [
            Stated("board_proficiency_change", params, match, "change_pp", change, size, True),
            stated_start,
            stated_end,
        ]
    else:
        headline = (
            f"Percent proficient in {area_word(area)} was {end_text}% in {c.to_year}, "
            f"about where it was in {c.from_year} ({start_text}%)"
        )
        stated = [stated_end, stated_start]
    trend = pd.concat(
        [
            c.fetch("proficiency_trend", {"content_area": a, "group_by": "all", "method": c.method}).assign(
                content_area=a
            )
            for a in c.areas
        ],
        ignore_index=True,
    )
    trend = trend[trend["school_year"] <= c.to_year]
    n_from, n_to, n_both = _num(row, "n_from"), _num(row, "n_to"), _num(row, "n_both")
    both = f", {int(n_both):,} of them in both years" if not math.isnan(n_both) else ""
    others = [x for x in candidates if x is not chosen]
    notes = (
        f"Change {change:+.1f} points (95% interval {chosen.low:+.1f} to {chosen.high:+.1f}"
        f"{', students in both years paired' if chosen.extra['paired'] else ''}; Holm-adjusted p = "
        f"{chosen.p_holm:.3g}). Other content areas: "
        + "; ".join(
            f"{area_word(x.extra['row']['content_area'])} {_num(x.extra['row'], 'from_pct'):.0f}% to "
            f"{_num(x.extra['row'], 'to_pct'):.0f}%"
            for x in others
        )
        + "."
    )
    evidence = f"Rests on {int(n_from):,} students in {c.from_year} and {int(n_to):,} in {c.to_year}{both}"
    alt = (
        f"Line chart of percent proficient by school year, {area_word(area)} drawn strong: {start_text}% in "
        f"{c.from_year}, {end_text}% in {c.to_year}"
        + (
            f", a change of {change:+.1f} points, give or take {give_or_take(chosen.low, chosen.high)}"
            if chosen.is_called_out
            else ""
        )
        + "."
    )
    return Finding(
        f"trend_{area}",
        "trend",
        headline,
        partial(charts.proficiency_trend_chart, trend, area, decimals=_decimals(start_text)),
        c.student_footnote(
            f"{int(n_from):,} students in {c.from_year} and {int(n_to):,} in {c.to_year}{both}",
            (RANGE_WORDS + CALLED_OUT) if chosen.is_called_out else CALLED_OUT,
        ),
        trend[["content_area", "school_year", "n_students", "pct_proficient", "pct_low", "pct_high", "suppressed"]],
        stated,
        notes,
        evidence,
        alt,
    )


def _gap_candidates(c: _Context, hidden: dict) -> list[Candidate]:
    out = []
    for group_by in GROUPINGS:
        # one query per grouping, every content area in it (the rows of equity_gaps, queries/board_gaps.sql)
        params = {"school_year": c.to_year, "group_by": group_by, "method": c.method}
        frame = c.fetch("board_gaps", params)
        focal = frame[(frame["group_value"] == "true") & frame["content_area"].isin(c.areas)].reset_index(drop=True)
        for _, row in focal.iterrows():
            if not _shown(row, "gap_pp", "pct_proficient", "reference_pct", "gap_low", "gap_high"):
                hidden["gap"] = hidden.get("gap", 0) + 1
                continue
            area = row["content_area"]
            out.append(
                Candidate(
                    f"gap_{group_by}_{area}",
                    "gap",
                    f"gap for {GROUP_WORDS[group_by][0]} in {area_word(area)}",
                    _num(row, "gap_pp"),
                    _num(row, "gap_low"),
                    _num(row, "gap_high"),
                    extra={"row": row, "params": params, "group": group_by, "table": focal},
                )
            )
    return out


def _gap_finding(c: _Context, chosen: Candidate) -> Finding:
    row, params, group_by = chosen.extra["row"], chosen.extra["params"], chosen.extra["group"]
    words, legend = GROUP_WORDS[group_by]
    area, gap = row["content_area"], chosen.estimate
    mine, others = _num(row, "pct_proficient"), _num(row, "reference_pct")
    mine_text, others_text, size = agreeing(others, mine, gap)
    mine_text, others_text = others_text, mine_text
    relation = "trail" if gap < 0 else "lead"
    headline = (
        f"{words[0].upper()}{words[1:]} {relation} other students in {area_word(area)} by {size} points, "
        f"give or take {give_or_take(chosen.low, chosen.high)}: {mine_text}% proficient vs "
        f"{others_text}% in {c.to_year}"
    )
    match = {"content_area": area, "group_value": "true"}
    stated = [
        Stated("board_gaps", params, match, "gap_pp", gap, size, True),
        Stated("board_gaps", params, match, "pct_proficient", mine, mine_text),
        Stated("board_gaps", params, match, "reference_pct", others, others_text),
    ]
    table = chosen.extra["table"]
    n_mine, n_others = int(_num(row, "n_students")), int(_num(row, "reference_n"))
    return Finding(
        f"gap_{group_by}_{area}",
        "gap",
        headline,
        partial(charts.gap_bars_chart, table, legend, area, decimals=_decimals(mine_text)),
        c.student_footnote(
            f"{n_mine:,} {words} and {n_others:,} other students ({c.to_year})", RANGE_WORDS + CALLED_OUT
        ),
        table[
            [
                "school_year",
                "content_area",
                "group_by",
                "n_students",
                "pct_proficient",
                "reference_n",
                "reference_pct",
                "gap_pp",
                "gap_low",
                "gap_high",
                "is_significant",
                "suppressed",
            ]
        ],
        stated,
        f"Gap {gap:+.1f} points (95% interval {chosen.low:+.1f} to {chosen.high:+.1f}; Holm-adjusted p = "
        f"{chosen.p_holm:.3g}); risk ratio {_num(row, 'risk_ratio'):.2f}. Reference: all other students of the "
        f"district.",
        f"Rests on {n_mine:,} {words} and {n_others:,} other students in {c.to_year}",
        f"Bar chart of percent proficient by content area, {legend.lower()} beside all other students: in "
        f"{area_word(area)} {mine_text}% vs {others_text}%, a gap of {gap:+.1f} points, give or take "
        f"{give_or_take(chosen.low, chosen.high)}.",
    )


def _gap_change_candidates(c: _Context, hidden: dict) -> list[Candidate]:
    out = []
    for group_by in GROUPINGS:
        # one query per grouping, every content area in it (content_area left null)
        params = {"group_by": group_by, "from_year": c.from_year, "to_year": c.to_year, "method": c.method}
        frame = c.fetch("board_gap_change", params)
        focal = frame[(frame["group_value"] == "true") & frame["content_area"].isin(c.areas)]
        for _, row in focal.iterrows():
            if not _shown(row, "gap_change_pp", "from_gap_pp", "to_gap_pp", "gap_change_low", "gap_change_high"):
                hidden["gap_change"] = hidden.get("gap_change", 0) + 1
                continue
            low, high, paired = _interval(
                row, "gap_change_low", "gap_change_high", "paired_gap_change_low", "paired_gap_change_high"
            )
            area = row["content_area"]
            out.append(
                Candidate(
                    f"gap_change_{group_by}_{area}",
                    "gap_change",
                    f"change in the gap for {GROUP_WORDS[group_by][0]} in {area_word(area)}",
                    _num(row, "gap_change_pp"),
                    low,
                    high,
                    extra={"row": row, "params": params, "group": group_by, "paired": paired},
                )
            )
    return out


def _gap_change_finding(c: _Context, chosen: Candidate) -> Finding:
    row, params, group_by = chosen.extra["row"], chosen.extra["params"], chosen.extra["group"]
    words, legend = GROUP_WORDS[group_by]
    area, change = row["content_area"], chosen.estimate
    start, end = _num(row, "from_gap_pp"), _num(row, "to_gap_pp")
    start_text, end_text, size = agreeing(start, end, change, signed=True)
    verb = "narrowed" if abs(end) < abs(start) else "widened"
    headline = (
        f"Gap for {words} in {area_word(area)} {verb} {size} points since {c.from_year}, give or take "
        f"{give_or_take(chosen.low, chosen.high)}: from {start_text} to {end_text} points"
    )
    match = {"content_area": area, "group_value": "true"}
    stated = [
        Stated("board_gap_change", params, match, "gap_change_pp", change, size, True),
        Stated("board_gap_change", params, match, "from_gap_pp", start, start_text),
        Stated("board_gap_change", params, match, "to_gap_pp", end, end_text),
    ]
    trend = c.fetch("gap_trend", {"content_area": area, "group_by": group_by, "method": c.method})
    trend = trend[(trend["group_value"] == "true") & (trend["school_year"] <= c.to_year)]
    n_from, n_to = int(_num(row, "n_from")), int(_num(row, "n_to"))
    return Finding(
        f"gap_change_{group_by}_{area}",
        "gap_change",
        headline,
        partial(charts.gap_trend_chart, trend, legend, decimals=_decimals(start_text)),
        c.student_footnote(
            f"{n_from:,} {words} in {c.from_year} and {n_to:,} in {c.to_year}", RANGE_WORDS + CALLED_OUT
        ),
        trend[
            [
                "school_year",
                "group_value",
                "n_students",
                "pct_proficient",
                "reference_n",
                "reference_pct",
                "gap_pp",
                "gap_low",
                "gap_high",
                "is_significant",
                "suppressed",
            ]
        ],
        stated,
        f"Change {change:+.1f} points (95% interval {chosen.low:+.1f} to {chosen.high:+.1f}"
        f"{', students in both years paired' if chosen.extra['paired'] else ''}; Holm-adjusted p = "
        f"{chosen.p_holm:.3g}). The gap is the group's percent proficient minus that of all other students in "
        f"the same year.",
        f"Rests on {n_from:,} {words} in {c.from_year} and {n_to:,} in {c.to_year}",
        f"Line chart of the gap between {words} and all other students in {area_word(area)} by school year: "
        f"{start_text} points in {c.from_year}, {end_text} in {c.to_year}, a change of {change:+.1f} points, "
        f"give or take {give_or_take(chosen.low, chosen.high)}.",
    )


def _coverage_finding(c: _Context) -> list[Finding]:
    params = {"school_year": c.to_year, "by": "district"}
    never = c.fetch("never_assessed", params)
    coverage = c.fetch("continuum_coverage", {"school_year": c.to_year, "by": "district"})
    levels = coverage.drop_duplicates(["content_area", "continuum_level"]) if not coverage.empty else coverage
    n_standards = int(pd.to_numeric(levels["n_standards"], errors="coerce").sum()) if not levels.empty else 0
    students = (
        pd.to_numeric(coverage.drop_duplicates("grade_level")["n_students"], errors="coerce")
        if not coverage.empty
        else pd.Series(dtype=float)
    )
    n_students = (
        f"{int(students.sum()):,} students enrolled"
        if students.notna().all() and len(students)
        else "the students enrolled"
    )
    footnote = c.student_footnote(
        f"{n_students} in {c.to_year}; {n_standards:,} grade-level standards (those of the continuum level each "
        f"grade is taught from). A standard is never assessed when no student of the grades taught from it, in any "
        f"school, has a score on it that year"
    )
    if never.empty:
        if not n_standards:
            return []
        headline = f"Every grade-level standard was assessed somewhere in the district in {c.to_year}"
        stated = [Stated("never_assessed", params, {}, None, 0.0, "0")]
    else:
        count = len(never)
        earlier = never["last_assessed_year"].notna().sum()
        headline = (
            f"{count} grade-level standard{'s' if count != 1 else ''} had no evidence anywhere in the "
            f"district in {c.to_year}"
        )
        if earlier == count:
            headline += (
                ", though each was assessed the year before"
                if never["last_assessed_year"].nunique() == 1
                else ", though each was assessed in an earlier year"
            )
        stated = [Stated("never_assessed", params, {}, None, float(count), str(count))]
    table = (
        never[
            [
                "school_year",
                "content_area",
                "continuum_level",
                "grade_levels",
                "standard_code",
                "strand",
                "description",
                "last_assessed_year",
            ]
        ]
        if not never.empty
        else never
    )
    notes = "; ".join(
        f"{r['standard_code']} ({area_word(r['content_area'])}, grade {r['grade_levels']})" for _, r in never.iterrows()
    )
    evidence = f"Rests on {n_standards:,} grade-level standards and the evidence of {n_students} in {c.to_year}"
    by_area = never.groupby("content_area").size() if not never.empty else pd.Series(dtype=int)
    alt = (
        "Bar chart of grade-level standards with no evidence, by content area and grade: "
        + ("; ".join(f"{n} in {area_word(a)}" for a, n in by_area.items()) if len(by_area) else "none")
        + f", of {n_standards:,} grade-level standards in {c.to_year}."
    )
    return [
        Finding(
            f"coverage_{c.to_year}",
            "coverage",
            headline,
            partial(charts.never_assessed_chart, never),
            footnote,
            table,
            stated,
            ("Never assessed: " + notes + ".") if notes else "",
            evidence,
            alt,
        )
    ]


@dataclass(frozen=True)
class _Survey:
    fetch: Fetch
    survey: str
    first: str
    wave: str

    @property
    def footnote_tail(self) -> str:
        limits = thresholds("board", "survey")
        return (
            f"{CALLED_OUT}Counted per answer: a staff member's favorable answers on a construct's items, "
            f"tested as if each respondent gave one (the stricter count). Favorable: the top two points of the "
            f"scale, reverse-worded items flipped, 'not applicable' left out. Privacy: groups under "
            f"{limits.min_n} respondents show no figure."
        )


def _survey_context(fetch: Fetch, school_year: str | None) -> _Survey | None:
    waves = fetch("survey_waves", {})
    if waves.empty:
        return None
    per_survey = waves.groupby("survey_id")["wave"].nunique()
    survey = sorted(per_survey.index, key=lambda s: (per_survey[s], s))[-1]
    survey_waves = sorted(waves.loc[waves["survey_id"] == survey, "wave"].astype(str))
    wave = (
        school_year
        if school_year in survey_waves
        else (max([w for w in survey_waves if school_year is None or w <= school_year] or survey_waves))
    )
    return _Survey(fetch, survey, survey_waves[0], wave)


def _culture_candidates(s: _Survey, hidden: dict) -> list[Candidate]:
    """Leaders vs teachers on each construct of the latest wave, and each construct's change since the first
    wave; each tested with n = respondents (the rows give the share of favorable answers and who answered)."""
    out = []
    params = {"survey_id": s.survey, "wave": s.wave, "by": "district"}
    gaps = s.fetch("survey_role_gap", params)
    for _, row in gaps.iterrows():
        if not _shown(row, "gap_pp", "leader_pct", "teacher_pct", "n_leaders", "n_teachers"):
            hidden["culture_gap"] = hidden.get("culture_gap", 0) + 1
            continue
        estimate, low, high = difference_interval(
            _num(row, "leader_pct") / 100,
            _num(row, "n_leaders"),
            _num(row, "teacher_pct") / 100,
            _num(row, "n_teachers"),
        )
        construct = row["construct"]
        out.append(
            Candidate(
                f"culture_gap_{construct}",
                "culture_gap",
                f"leaders vs teachers on {construct_label(construct).lower()}",
                _num(row, "gap_pp"),
                100 * low,
                100 * high,
                extra={"row": row, "params": params, "table": gaps},
            )
        )
    if s.first != s.wave:
        trend_params = {"survey_id": s.survey, "by": "district"}
        trend = s.fetch("survey_construct_trend", trend_params)
        trend = trend[trend["wave"].astype(str) <= s.wave]
        for construct, rows in trend.groupby("construct"):
            start, end = rows[rows["wave"] == s.first], rows[rows["wave"] == s.wave]
            if not (
                len(start) == 1
                and len(end) == 1
                and _shown(start.iloc[0], "pct_favorable", "n_respondents")
                and _shown(end.iloc[0], "pct_favorable", "n_respondents")
            ):
                hidden["culture_trend"] = hidden.get("culture_trend", 0) + 1
                continue
            a, b = _num(start.iloc[0], "pct_favorable"), _num(end.iloc[0], "pct_favorable")
            _, low, high = difference_interval(
                b / 100, _num(end.iloc[0], "n_respondents"), a / 100, _num(start.iloc[0], "n_respondents")
            )
            out.append(
                Candidate(
                    f"culture_trend_{construct}",
                    "culture_trend",
                    f"change in favorable answers on {construct_label(construct).lower()}",
                    b - a,
                    100 * low,
                    100 * high,
                    extra={
                        "start": start.iloc[0],
                        "end": end.iloc[0],
                        "params": trend_params,
                        "table": trend,
                        "a": a,
                        "b": b,
                    },
                )
            )
    return out


def _culture_gap_finding(s: _Survey, chosen: Candidate) -> Finding:
    row, params, gaps = chosen.extra["row"], chosen.extra["params"], chosen.extra["table"]
    gaps = gaps[[_shown(r, "gap_pp", "leader_pct", "teacher_pct") for _, r in gaps.iterrows()]]
    gap, leader, teacher = chosen.estimate, _num(row, "leader_pct"), _num(row, "teacher_pct")
    construct = row["construct"]
    teacher_text, leader_text, size = agreeing(teacher, leader, gap)
    who, whom = ("Leaders", "teachers") if gap >= 0 else ("Teachers", "leaders")
    headline = (
        f"{who} answer favorably about {construct_label(construct).lower()} {size} points more often than "
        f"{whom}, give or take {give_or_take(chosen.low, chosen.high)}: {leader_text}% of leaders' answers "
        f"vs {teacher_text}% of teachers' ({s.wave} staff survey)"
    )
    match = {"construct": construct}
    stated = [
        Stated("survey_role_gap", params, match, "gap_pp", gap, size, True),
        Stated("survey_role_gap", params, match, "leader_pct", leader, leader_text),
        Stated("survey_role_gap", params, match, "teacher_pct", teacher, teacher_text),
    ]
    n_leaders, n_teachers = int(_num(row, "n_leaders")), int(_num(row, "n_teachers"))
    return Finding(
        f"culture_gap_{construct}",
        "culture_gap",
        headline,
        partial(charts.role_gap_chart, gaps, construct, decimals=_decimals(leader_text)),
        f"n = {n_leaders:,} leaders and {n_teachers:,} teachers answered the {s.wave} wave. {RANGE_WORDS}"
        f"{s.footnote_tail}",
        gaps[
            [
                "survey_id",
                "wave",
                "construct",
                "n_leaders",
                "leader_pct",
                "n_teachers",
                "teacher_pct",
                "gap_pp",
                "suppressed",
            ]
        ],
        stated,
        f"Role gap {gap:+.1f} points (95% interval {chosen.low:+.1f} to {chosen.high:+.1f}, n = respondents; "
        f"Holm-adjusted p = {chosen.p_holm:.3g}): leaders' share of favorable answers minus teachers'. Other "
        "constructs: "
        + "; ".join(
            f"{construct_label(r['construct'])} {_num(r, 'gap_pp'):+.0f}"
            for _, r in gaps.iterrows()
            if r["construct"] != construct
        )
        + ".",
        f"Rests on the answers of {n_leaders:,} leaders and {n_teachers:,} teachers ({s.wave} wave)",
        f"Bar chart of favorable answers by construct, leaders beside teachers: on "
        f"{construct_label(construct).lower()} {leader_text}% of leaders' answers vs {teacher_text}% of teachers', "
        f"a difference of {gap:+.1f} points, give or take {give_or_take(chosen.low, chosen.high)}.",
    )


def _culture_trend_finding(s: _Survey, chosen: Candidate) -> Finding:
    start_row, end_row = chosen.extra["start"], chosen.extra["end"]
    params, trend, a, b = chosen.extra["params"], chosen.extra["table"], chosen.extra["a"], chosen.extra["b"]
    construct = end_row["construct"]
    a_text, b_text, size = agreeing(a, b, b - a)
    verb = "rose" if b > a else "fell"
    headline = (
        f"Favorable answers about {construct_label(construct).lower()} {verb} {size} points since "
        f"{s.first}, give or take {give_or_take(chosen.low, chosen.high)}: from {a_text}% to {b_text}% of "
        f"staff answers"
    )
    start_match, end_match = {"construct": construct, "wave": s.first}, {"construct": construct, "wave": s.wave}
    stated = [
        Stated("survey_construct_trend", params, end_match, "pct_favorable", b - a, size, True, minus=start_match),
        Stated("survey_construct_trend", params, start_match, "pct_favorable", a, a_text),
        Stated("survey_construct_trend", params, end_match, "pct_favorable", b, b_text),
    ]
    n_first, n_last = int(_num(start_row, "n_respondents")), int(_num(end_row, "n_respondents"))
    return Finding(
        f"culture_trend_{construct}",
        "culture_trend",
        headline,
        partial(charts.construct_trend_chart, trend, construct, decimals=_decimals(a_text)),
        f"n = {n_first:,} staff answered the {s.first} wave and {n_last:,} the {s.wave} wave. {RANGE_WORDS}"
        f"{s.footnote_tail}",
        trend[["survey_id", "wave", "construct", "n_respondents", "pct_favorable", "suppressed"]],
        stated,
        f"Change {b - a:+.1f} points (95% interval {chosen.low:+.1f} to {chosen.high:+.1f}, n = respondents, "
        f"the waves taken as independent; Holm-adjusted p = {chosen.p_holm:.3g}).",
        f"Rests on the answers of {n_first:,} staff in {s.first} and {n_last:,} in {s.wave}",
        f"Line chart of favorable answers by survey wave, {construct_label(construct).lower()} drawn strong: "
        f"{a_text}% in {s.first}, {b_text}% in {s.wave}, a change of {b - a:+.1f} points, give or take "
        f"{give_or_take(chosen.low, chosen.high)}.",
    )


# ---------------------------------------------------------------- what was considered


def considered_text(
    candidates: list[Candidate], shown: set[str], hidden: dict[str, int], max_gaps: int, max_changes: int
) -> list[tuple[str, str]]:
    """For the methods slide: every comparison tested, which were called out, which were not and why."""
    if not candidates and not hidden:
        return []
    counts = "; ".join(
        f"{sum(c.kind == k for c in candidates)} {KIND_WORDS[k]}" for k in KINDS if any(c.kind == k for c in candidates)
    )
    called = [c for c in candidates if c.is_called_out]
    rejected = [c for c in candidates if c.is_nominal and not c.is_called_out]
    left = [c for c in called if c.key not in shown and c.kind != "trend"]
    parts = [
        (
            "What was considered",
            f"{len(candidates)} comparisons were tested together: {counts}. Each was called out only when its "
            f"Holm-adjusted p-value is below 0.05, which keeps the chance of calling out any difference that is "
            f"not there under 5% across all {len(candidates)}. {len(called)} passed.",
        )
    ]
    why = []
    if rejected:
        why.append(
            "Could be chance once every comparison is counted (significant alone, not after the "
            "correction): " + "; ".join(f"{c.label} ({c.estimate:+.1f} points)" for c in rejected) + "."
        )
    if left:
        why.append(
            f"Passed but not shown (the deck shows at most {max_gaps} gaps and {max_changes} gap changes, "
            "one per group, and one survey difference of each kind, the largest first): "
            + "; ".join(f"{c.label} ({c.estimate:+.1f} points)" for c in left)
            + "."
        )
    small = sum(hidden.values())
    if small:
        why.append(f"Not tested: {small} comparison{'s' if small != 1 else ''} of groups too small to show (privacy).")
    others = len(candidates) - len(called) - len(rejected)
    if others:
        why.append(f"The other {others} were within what chance would give.")
    if why:
        parts.append(("Not called out, and why", " ".join(why)))
    return parts


# ---------------------------------------------------------------- appendix


def methods_appendix(
    config: DistrictConfig, method: str | None, to_year: str | None, from_year: str | None, paired: bool = False
) -> list[tuple[str, str]]:
    """How every number in the deck was made, in plain words; no student, school or staff name."""
    students, survey = thresholds("board", "students"), thresholds("board", "survey")
    years = f"{from_year} to {to_year}" if from_year else (to_year or "none loaded")
    change_method = (
        "A change since an earlier year counts the students present in both years as pairs (each student's two "
        "years move together), so its range is narrower than if the years were independent samples."
        if paired
        else "A change since an earlier year takes the two years as independent samples: students present in both "
        "years are not paired, which makes its range wider than a paired calculation would (the cautious side)."
    )
    return [
        (
            "Evidence and scores",
            "Each piece of evidence is a teacher's mark on one standard, put on a 0-4 scale. A student's score on a "
            f"standard for the year is calculated from that evidence by the district's method: "
            f"{config.method_label(method)}. Several marks on the same day count as one piece of evidence (their "
            "mean). Marks that are not evidence (insufficient evidence, not yet assessed, excused) are counted, "
            "never averaged.",
        ),
        (
            "Percent proficient",
            "A student's score in a content area is the mean of their standard scores in it; the student is "
            f"proficient when it is {config.proficiency_cut:g} or above. Percent proficient is the share of "
            "students with at least one scored standard who are proficient.",
        ),
        (
            "Gaps, changes and what is called out",
            "A group's gap is its percent proficient minus that of all other students of the district, in "
            "percentage points. Every figure has a range, said as 'give or take': the range that holds the true "
            "figure 19 times out of 20 (a 95% interval; Newcombe's method for a gap). "
            + change_method
            + " Every candidate finding is tested together with all the others (Holm's correction), and only those "
            "that pass are called out.",
        ),
        (
            "Coverage of the continuum",
            "Grade-level standards are those of the continuum level each grade is taught from. A standard counts as "
            "never assessed when no student of those grades, in any school, has a score on it that school year.",
        ),
        (
            "Culture",
            "Percent favorable is the share of answers in the top two points of a four- or five-point scale (top "
            "three of seven), after reverse-worded items are flipped; 'not applicable' answers are left out. A "
            "construct's share is the mean of its items' shares, so it counts answers, not people. The role gap is "
            "leaders' share minus teachers'. Survey differences meet the same standard as every other finding, "
            "tested as if each respondent gave one answer (stricter than counting answers).",
        ),
        (
            "Privacy",
            "Every figure in this deck comes from the district's public release: fixed tables of percent "
            "proficient by year, content area, district or school and student group, and of staff survey results, "
            "published together. Anyone may combine every public table; the release is built so that this cannot "
            f"single anyone out. Groups of fewer than {students.min_n} students ({survey.min_n} survey respondents) "
            "show no figure; rates near 0% or 100% are shown only as a band (the smaller the group, the wider the "
            "band); and further figures are withheld wherever subtracting one public table from another could give a "
            "hidden group back. The test suite checks this as an attacker would: for every hidden group, the "
            f"number of students consistent with everything published spans at least {students.min_n} values. No "
            "student is named or identified anywhere in this deck.",
        ),
        (
            "Data",
            f"School years {years}, as loaded in the district's data warehouse. Findings are chosen from the data "
            "by fixed rules (the largest differences that pass the test, standards never assessed), not picked by "
            "hand.",
        ),
    ]
