"""Findings on proficiency over time, and on coverage (standards never assessed)."""

from __future__ import annotations

import math
from functools import partial

import pandas as pd

from charts import board as charts
from exports.findings.report import (
    CALLED_OUT,
    RANGE_WORDS,
    Context,
    Finding,
    Stated,
    area_word,
    decimals_of,
    figure_of,
    interval_of,
    is_shown,
)
from exports.scrutiny import Candidate, agreeing, give_or_take


def trend_candidates(c: Context, hidden: dict) -> list[Candidate]:
    params = {"from_year": c.from_year, "to_year": c.to_year, "method": c.method}
    rows = c.fetch("board_proficiency_change", params)
    out = []
    for _, row in rows.iterrows():
        if not is_shown(row, "change_pp", "from_pct", "to_pct"):
            hidden["trend"] = hidden.get("trend", 0) + 1
            continue
        low, high, paired = interval_of(row, "change_low", "change_high", "paired_change_low", "paired_change_high")
        area = row["content_area"]
        out.append(
            Candidate(
                f"trend_{area}",
                "trend",
                f"change in percent proficient in {area_word(area)}",
                figure_of(row, "change_pp"),
                low,
                high,
                extra={"row": row, "params": params, "paired": paired},
            )
        )
    return out


def trend_finding(c: Context, candidates: list[Candidate]) -> Finding:
    """The content area whose percent proficient changed most: called a rise or a fall when that survives
    the correction, else stated as where it stands."""
    called = [x for x in candidates if x.is_called_out]
    chosen = max(called or candidates, key=lambda x: (abs(x.estimate), x.key))
    row, params = chosen.extra["row"], chosen.extra["params"]
    area, change = row["content_area"], chosen.estimate
    start, end = figure_of(row, "from_pct"), figure_of(row, "to_pct")
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
    n_from, n_to, n_both = figure_of(row, "n_from"), figure_of(row, "n_to"), figure_of(row, "n_both")
    both = f", {int(n_both):,} of them in both years" if not math.isnan(n_both) else ""
    others = [x for x in candidates if x is not chosen]
    notes = (
        f"Change {change:+.1f} points (95% interval {chosen.low:+.1f} to {chosen.high:+.1f}"
        f"{', students in both years paired' if chosen.extra['paired'] else ''}; Holm-adjusted p = "
        f"{chosen.p_holm:.3g}). Other content areas: "
        + "; ".join(
            f"{area_word(x.extra['row']['content_area'])} {figure_of(x.extra['row'], 'from_pct'):.0f}% to "
            f"{figure_of(x.extra['row'], 'to_pct'):.0f}%"
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
        partial(charts.proficiency_trend_chart, trend, area, decimals=decimals_of(start_text)),
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


def coverage_finding(c: Context) -> list[Finding]:
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
