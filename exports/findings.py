"""Board findings chosen from the data (DESIGN.md sections 1 and 5): a few clear statements, each with its
chart, its footnote and the gated rows behind it, that can be shown in public without exposing a student.

Every number comes from a named query run for the board audience (`fetch` below must return rows that
passed `queries.privacy.apply_gate(..., audience="board")`); a suppressed or top/bottom coded cell is never
stated, so a finding whose figure is hidden is simply not chosen. Nothing here reads a student list, a name or
an id. Which findings appear is decided by the data:

1. proficiency over time: the content area whose percent proficient changed most since the earliest year
   (board_proficiency_change), called a rise or fall only when its 95% interval excludes zero;
2. the largest gaps: for English learners, students with IEPs and economically disadvantaged students in each
   content area (board_gaps: equity_gaps' rows for every area at once, reference all other students), the
   largest significant gaps, one per grouping;
3. the biggest gap changes since the earliest year (board_gap_change), significant ones only, one per grouping;
4. coverage: grade-level standards with no evidence anywhere in the district that year (never_assessed);
5. culture: the largest leader-teacher gap of the latest survey wave (survey_role_gap), and the construct
   whose percent favorable changed most since the first wave (survey_construct_trend).

Each finding records what its headline states (`Stated`): the query, its parameters, the row and the column,
so a test can run the same query again and check every number the headline prints.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, partial

import pandas as pd
import plotly.graph_objects as go

from charts import board as charts
from charts.culture import construct_label
from etl.config import DistrictConfig, district_config
from queries.privacy import numeric, thresholds

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


def _true(value) -> bool:
    return value is True or (isinstance(value, (bool,)) and value) or str(value).lower() == "true"


# ---------------------------------------------------------------- choosing


def choose_findings(fetch: Fetch, school_year: str | None = None, method: str | None = None,
                    config: DistrictConfig | None = None, max_gaps: int = 2, max_changes: int = 2) -> BoardReport:
    """The board findings for a school year (default: the latest), from rows `fetch` returns for the board."""
    config = config or district_config()
    method = method or config.calculation_method
    years = sorted(fetch("school_years", {})["school_year"].dropna().astype(str).tolist())
    to_year = school_year if school_year in years else (years[-1] if years else None)
    from_year = years[0] if years and years[0] != to_year else None
    areas = [a for a in fetch("content_areas", {})["content_area"].dropna().tolist()]
    findings: list[Finding] = []
    if to_year is not None and areas:
        context = _Context(fetch, config, method, to_year, from_year, areas)
        if from_year is not None:
            findings += _trend_finding(context)
        findings += _gap_findings(context, max_gaps)
        if from_year is not None:
            findings += _gap_change_findings(context, max_changes)
        findings += _coverage_finding(context)
    findings += _culture_findings(fetch, to_year)
    return BoardReport(to_year, config.method_label(method), findings, methods_appendix(config, method, to_year, from_year))


@dataclass(frozen=True)
class _Context:
    fetch: Fetch
    config: DistrictConfig
    method: str
    to_year: str
    from_year: str | None
    areas: list

    def student_footnote(self, n_text: str) -> str:
        limits = thresholds("board", "students")
        return (f"n = {n_text}. Calculation: {self.config.method_label(self.method)}. "
                f"Privacy: groups under {limits.min_n} students show no figure; rates of groups of "
                f"{limits.min_n}-{limits.coding_max_n} students are shown only as bounds near 0% and 100%.")


def _trend_finding(c: _Context) -> list[Finding]:
    params = {"from_year": c.from_year, "to_year": c.to_year, "method": c.method}
    rows = c.fetch("board_proficiency_change", params)
    rows = rows[[_shown(r, "change_pp", "from_pct", "to_pct") for _, r in rows.iterrows()]]
    if rows.empty:
        return []
    significant = rows[rows["is_change_significant"].map(_true)]
    pool = significant if not significant.empty else rows
    row = pool.loc[numeric(pool, "change_pp").abs().idxmax()]
    area, change = row["content_area"], _num(row, "change_pp")
    start, end = _num(row, "from_pct"), _num(row, "to_pct")
    match = {"content_area": area}
    stated_start = Stated("board_proficiency_change", params, match, "from_pct", start, pct(start))
    stated_end = Stated("board_proficiency_change", params, match, "to_pct", end, pct(end))
    if _true(row["is_change_significant"]):
        verb = "rose" if change > 0 else "fell"
        headline = (f"Percent proficient in {area_word(area)} {verb} {points(change)} points since {c.from_year}, "
                    f"from {pct(start)}% to {pct(end)}%")
        stated = [Stated("board_proficiency_change", params, match, "change_pp", change, points(change), True),
                  stated_start, stated_end]
    else:
        headline = (f"Percent proficient in {area_word(area)} was {pct(end)}% in {c.to_year}, "
                    f"about where it was in {c.from_year} ({pct(start)}%)")
        stated = [stated_end, stated_start]
    trend = pd.concat([c.fetch("proficiency_trend", {"content_area": a, "group_by": "all", "method": c.method})
                       .assign(content_area=a) for a in c.areas], ignore_index=True)
    trend = trend[trend["school_year"] <= c.to_year]
    notes = (f"Change {change:+.1f} points (95% interval {_num(row, 'change_low'):+.1f} to "
             f"{_num(row, 'change_high'):+.1f}). Other content areas: "
             + "; ".join(f"{area_word(r['content_area'])} {_num(r, 'from_pct'):.0f}% to {_num(r, 'to_pct'):.0f}%"
                         for _, r in rows.iterrows() if r["content_area"] != area) + ".")
    return [Finding(
        f"trend_{area}", "trend", headline, partial(charts.proficiency_trend_chart, trend, area),
        c.student_footnote(f"{int(_num(row, 'n_from')):,} students in {c.from_year} and "
                           f"{int(_num(row, 'n_to')):,} in {c.to_year}"),
        trend[["content_area", "school_year", "n_students", "pct_proficient", "pct_low", "pct_high", "suppressed"]],
        stated, notes)]


def _gap_findings(c: _Context, limit: int) -> list[Finding]:
    frames, candidates = {}, []
    for group_by in GROUPINGS:
        # one query per grouping, every content area in it (the rows of equity_gaps, queries/board_gaps.sql)
        params = {"school_year": c.to_year, "group_by": group_by, "method": c.method}
        frame = c.fetch("board_gaps", params)
        focal = frame[(frame["group_value"] == "true") & frame["content_area"].isin(c.areas)]
        frames[group_by] = focal.reset_index(drop=True)
        for _, row in focal.iterrows():
            if _shown(row, "gap_pp", "pct_proficient", "reference_pct") and _true(row["is_significant"]):
                candidates.append((abs(_num(row, "gap_pp")), group_by, row["content_area"], params, row))
    findings, used = [], set()
    for _, group_by, area, params, row in sorted(candidates, key=lambda t: (-t[0], t[1], t[2])):
        if group_by in used or len(findings) >= limit:
            continue
        used.add(group_by)
        words, legend = GROUP_WORDS[group_by]
        gap, mine, others = _num(row, "gap_pp"), _num(row, "pct_proficient"), _num(row, "reference_pct")
        verb = "trail" if gap < 0 else "lead"
        headline = (f"{words[0].upper() + words[1:]} {verb} other students in {area_word(area)} by {points(gap)} "
                    f"points: {pct(mine)}% proficient vs {pct(others)}% in {c.to_year}")
        match = {"content_area": area, "group_value": "true"}
        stated = [Stated("board_gaps", params, match, "gap_pp", gap, points(gap), True),
                  Stated("board_gaps", params, match, "pct_proficient", mine, pct(mine)),
                  Stated("board_gaps", params, match, "reference_pct", others, pct(others))]
        table = frames[group_by]
        findings.append(Finding(
            f"gap_{group_by}_{area}", "gap", headline, partial(charts.gap_bars_chart, table, legend, area),
            c.student_footnote(f"{int(_num(row, 'n_students')):,} {words} and {int(_num(row, 'reference_n')):,} "
                               f"other students ({c.to_year}). A gap is called out only when its 95% interval "
                               f"excludes zero"),
            table[["school_year", "content_area", "group_by", "n_students", "pct_proficient", "reference_n",
                   "reference_pct", "gap_pp", "gap_low", "gap_high", "is_significant", "suppressed"]],
            stated,
            f"Gap {gap:+.1f} points (95% interval {_num(row, 'gap_low'):+.1f} to {_num(row, 'gap_high'):+.1f}); "
            f"risk ratio {_num(row, 'risk_ratio'):.2f}. Reference: all other students of the district."))
    return findings


def _gap_change_findings(c: _Context, limit: int) -> list[Finding]:
    candidates = []
    for group_by in GROUPINGS:
        # one query per grouping, every content area in it (content_area left null)
        params = {"group_by": group_by, "from_year": c.from_year, "to_year": c.to_year, "method": c.method}
        frame = c.fetch("board_gap_change", params)
        focal = frame[(frame["group_value"] == "true") & frame["content_area"].isin(c.areas)]
        for _, row in focal.iterrows():
            if _shown(row, "gap_change_pp", "from_gap_pp", "to_gap_pp") and _true(row["is_change_significant"]):
                candidates.append((abs(_num(row, "gap_change_pp")), group_by, row["content_area"], params, row))
    findings, used = [], set()
    for _, group_by, area, params, row in sorted(candidates, key=lambda t: (-t[0], t[1], t[2])):
        if group_by in used or len(findings) >= limit:
            continue
        used.add(group_by)
        words, legend = GROUP_WORDS[group_by]
        change, start, end = _num(row, "gap_change_pp"), _num(row, "from_gap_pp"), _num(row, "to_gap_pp")
        verb = "narrowed" if abs(end) < abs(start) else "widened"
        headline = (f"Gap for {words} in {area_word(area)} {verb} {points(change)} points since {c.from_year}: "
                    f"from {start:+.0f} to {end:+.0f} points")
        match = {"content_area": area, "group_value": "true"}
        stated = [Stated("board_gap_change", params, match, "gap_change_pp", change, points(change), True),
                  Stated("board_gap_change", params, match, "from_gap_pp", start, f"{start:+.0f}"),
                  Stated("board_gap_change", params, match, "to_gap_pp", end, f"{end:+.0f}")]
        trend = c.fetch("gap_trend", {"content_area": area, "group_by": group_by, "method": c.method})
        trend = trend[(trend["group_value"] == "true") & (trend["school_year"] <= c.to_year)]
        findings.append(Finding(
            f"gap_change_{group_by}_{area}", "gap_change", headline, partial(charts.gap_trend_chart, trend, legend),
            c.student_footnote(f"{int(_num(row, 'n_from')):,} {words} in {c.from_year} and "
                               f"{int(_num(row, 'n_to')):,} in {c.to_year}. A change is called out only when it "
                               f"exceeds its 95% uncertainty"),
            trend[["school_year", "group_value", "n_students", "pct_proficient", "reference_n", "reference_pct",
                   "gap_pp", "gap_low", "gap_high", "is_significant", "suppressed"]],
            stated,
            f"Change {change:+.1f} points (95% interval {_num(row, 'gap_change_low'):+.1f} to "
            f"{_num(row, 'gap_change_high'):+.1f}). The gap is the group's percent proficient minus that of all "
            f"other students in the same year."))
    return findings


def _coverage_finding(c: _Context) -> list[Finding]:
    params = {"school_year": c.to_year, "by": "district"}
    never = c.fetch("never_assessed", params)
    coverage = c.fetch("continuum_coverage", {"school_year": c.to_year, "by": "district"})
    levels = coverage.drop_duplicates(["content_area", "continuum_level"]) if not coverage.empty else coverage
    n_standards = int(pd.to_numeric(levels["n_standards"], errors="coerce").sum()) if not levels.empty else 0
    students = pd.to_numeric(coverage.drop_duplicates("grade_level")["n_students"], errors="coerce") \
        if not coverage.empty else pd.Series(dtype=float)
    n_students = f"{int(students.sum()):,} students enrolled" if students.notna().all() and len(students) else \
        "the students enrolled"
    footnote = c.student_footnote(
        f"{n_students} in {c.to_year}; {n_standards:,} grade-level standards (those of the continuum level each "
        f"grade is taught from). A standard is never assessed when no student of the grades taught from it, in any "
        f"school, has a score on it that year")
    if never.empty:
        if not n_standards:
            return []
        headline = f"Every grade-level standard was assessed somewhere in the district in {c.to_year}"
        stated = [Stated("never_assessed", params, {}, None, 0.0, "0")]
    else:
        count = len(never)
        earlier = never["last_assessed_year"].notna().sum()
        headline = (f"{count} grade-level standard{'s' if count != 1 else ''} had no evidence anywhere in the "
                    f"district in {c.to_year}")
        if earlier == count:
            headline += ", though each was assessed the year before" if never["last_assessed_year"].nunique() == 1 \
                else ", though each was assessed in an earlier year"
        stated = [Stated("never_assessed", params, {}, None, float(count), str(count))]
    table = never[["school_year", "content_area", "continuum_level", "grade_levels", "standard_code", "strand",
                   "description", "last_assessed_year"]] if not never.empty else never
    notes = "; ".join(f"{r['standard_code']} ({area_word(r['content_area'])}, grade {r['grade_levels']})"
                      for _, r in never.iterrows())
    return [Finding(f"coverage_{c.to_year}", "coverage", headline, partial(charts.never_assessed_chart, never),
                    footnote, table, stated, ("Never assessed: " + notes + ".") if notes else "")]


def _culture_findings(fetch: Fetch, school_year: str | None) -> list[Finding]:
    waves = fetch("survey_waves", {})
    if waves.empty:
        return []
    per_survey = waves.groupby("survey_id")["wave"].nunique()
    survey = sorted(per_survey.index, key=lambda s: (per_survey[s], s))[-1]
    survey_waves = sorted(waves.loc[waves["survey_id"] == survey, "wave"].astype(str))
    wave = school_year if school_year in survey_waves else (
        max([w for w in survey_waves if school_year is None or w <= school_year] or survey_waves))
    survey_limits = thresholds("board", "survey")
    privacy = (f"Privacy: groups under {survey_limits.min_n} respondents show no figure. Percent favorable: "
               f"answers in the top two points of the scale, reverse-worded items flipped, 'not applicable' left out.")
    findings = []
    params = {"survey_id": survey, "wave": wave, "by": "district"}
    gaps = fetch("survey_role_gap", params)
    gaps = gaps[[_shown(r, "gap_pp", "leader_pct", "teacher_pct") for _, r in gaps.iterrows()]]
    if not gaps.empty:
        row = gaps.loc[numeric(gaps, "gap_pp").abs().idxmax()]
        gap, leader, teacher = _num(row, "gap_pp"), _num(row, "leader_pct"), _num(row, "teacher_pct")
        construct = row["construct"]
        who, whom = ("Leaders", "teachers") if gap >= 0 else ("Teachers", "leaders")
        headline = (f"{who} view {construct_label(construct).lower()} {points(gap)} points more favorably than "
                    f"{whom}: {pct(leader)}% of leaders vs {pct(teacher)}% of teachers ({wave} staff survey)")
        match = {"construct": construct}
        stated = [Stated("survey_role_gap", params, match, "gap_pp", gap, points(gap), True),
                  Stated("survey_role_gap", params, match, "leader_pct", leader, pct(leader)),
                  Stated("survey_role_gap", params, match, "teacher_pct", teacher, pct(teacher))]
        findings.append(Finding(
            f"culture_gap_{construct}", "culture_gap", headline, partial(charts.role_gap_chart, gaps, construct),
            f"n = {int(_num(row, 'n_leaders')):,} leaders and {int(_num(row, 'n_teachers')):,} teachers answered "
            f"the {wave} wave. {privacy}",
            gaps[["survey_id", "wave", "construct", "n_leaders", "leader_pct", "n_teachers", "teacher_pct", "gap_pp",
                  "suppressed"]],
            stated,
            "Role gap: leaders' percent favorable minus teachers' on the same construct. Other constructs: "
            + "; ".join(f"{construct_label(r['construct'])} {_num(r, 'gap_pp'):+.0f}" for _, r in gaps.iterrows()
                        if r["construct"] != construct) + "."))
    first = survey_waves[0]
    if first != wave:
        trend_params = {"survey_id": survey, "by": "district"}
        trend = fetch("survey_construct_trend", trend_params)
        trend = trend[trend["wave"].astype(str) <= wave]
        changes = []
        for construct, rows in trend.groupby("construct"):
            start = rows[rows["wave"] == first]
            end = rows[rows["wave"] == wave]
            if len(start) == 1 and len(end) == 1 and _shown(start.iloc[0], "pct_favorable") \
                    and _shown(end.iloc[0], "pct_favorable"):
                a, b = _num(start.iloc[0], "pct_favorable"), _num(end.iloc[0], "pct_favorable")
                changes.append((abs(b - a), construct, a, b, end.iloc[0]))
        if changes:
            _, construct, a, b, end_row = sorted(changes, key=lambda t: (-t[0], str(t[1])))[0]
            verb = "rose" if b > a else "fell" if b < a else "held"
            headline = (f"Staff who view {construct_label(construct).lower()} favorably {verb} "
                        f"{points(b - a)} points since {first}: from {pct(a)}% to {pct(b)}%")
            start_match, end_match = {"construct": construct, "wave": first}, {"construct": construct, "wave": wave}
            stated = [Stated("survey_construct_trend", trend_params, end_match, "pct_favorable", b - a, points(b - a),
                             True, minus=start_match),
                      Stated("survey_construct_trend", trend_params, start_match, "pct_favorable", a, pct(a)),
                      Stated("survey_construct_trend", trend_params, end_match, "pct_favorable", b, pct(b))]
            findings.append(Finding(
                f"culture_trend_{construct}", "culture_trend", headline,
                partial(charts.construct_trend_chart, trend, construct),
                f"n = {int(_num(end_row, 'n_respondents')):,} staff answered the {wave} wave. Changes between "
                f"survey waves carry no significance test. {privacy}",
                trend[["survey_id", "wave", "construct", "n_respondents", "pct_favorable", "suppressed"]],
                stated,
                "The construct that changed most since the first wave, of "
                + ", ".join(construct_label(t[1]).lower() for t in changes) + "."))
    return findings


# ---------------------------------------------------------------- appendix


def methods_appendix(config: DistrictConfig, method: str | None, to_year: str | None,
                     from_year: str | None) -> list[tuple[str, str]]:
    """How every number in the deck was made, in plain words; no student, school or staff name."""
    students, survey = thresholds("board", "students"), thresholds("board", "survey")
    years = f"{from_year} to {to_year}" if from_year else (to_year or "none loaded")
    return [
        ("Evidence and scores",
         "Each piece of evidence is a teacher's mark on one standard, put on a 0-4 scale. A student's score on a "
         f"standard for the year is calculated from that evidence by the district's method: "
         f"{config.method_label(method)}. Several marks on the same day count as one piece of evidence (their "
         "mean). Marks that are not evidence (insufficient evidence, not yet assessed, excused) are counted, "
         "never averaged."),
        ("Percent proficient",
         "A student's score in a content area is the mean of their standard scores in it; the student is "
         f"proficient when it is {config.proficiency_cut:g} or above. Percent proficient is the share of "
         "students with at least one scored standard who are proficient."),
        ("Gaps and changes",
         "A group's gap is its percent proficient minus that of all other students of the district, in "
         "percentage points. Each gap has a 95% interval (Newcombe's method for the difference of two "
         "proportions); a gap is called out only when its interval excludes zero. A change since an earlier "
         "year is called out only when it is larger than its 95% uncertainty, the two years taken as "
         "independent samples."),
        ("Coverage of the continuum",
         "Grade-level standards are those of the continuum level each grade is taught from. A standard counts as "
         "never assessed when no student of those grades, in any school, has a score on it that school year."),
        ("Culture",
         "Percent favorable is the share of answers in the top two points of a four- or five-point scale (top "
         "three of seven), after reverse-worded items are flipped; 'not applicable' answers are left out. A "
         "construct's score is the mean of its items. The role gap is leaders' percent favorable minus "
         "teachers'. Changes between survey waves carry no significance test."),
        ("Privacy",
         "Every figure is an aggregate; no student is named or identified anywhere in this deck. Groups of "
         f"fewer than {students.min_n} students show no figure; percentages of groups of {students.min_n} to "
         f"{students.coding_max_n} students are shown only as bounds near the ends (5% or less, 95% or more); when "
         "one group of a pair is hidden, so is the other. Survey groups of fewer than "
         f"{survey.min_n} respondents are not shown."),
        ("Data",
         f"School years {years}, as loaded in the district's data warehouse. Findings are chosen from the data "
         "by fixed rules (largest significant gaps, largest significant changes, standards never assessed, the "
         "largest culture differences), not picked by hand."),
    ]
