"""Findings on gaps between groups of students, and on how those gaps changed since the earliest year."""

from __future__ import annotations

from functools import partial

from charts import board as charts
from exports.findings.report import (
    CALLED_OUT,
    GROUP_WORDS,
    GROUPINGS,
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


def gap_candidates(c: Context, hidden: dict) -> list[Candidate]:
    out = []
    for group_by in GROUPINGS:
        # one query per grouping, every content area in it (the rows of equity_gaps, queries/board_gaps.sql)
        params = {"school_year": c.to_year, "group_by": group_by, "method": c.method}
        frame = c.fetch("board_gaps", params)
        focal = frame[(frame["group_value"] == "true") & frame["content_area"].isin(c.areas)].reset_index(drop=True)
        for _, row in focal.iterrows():
            if not is_shown(row, "gap_pp", "pct_proficient", "reference_pct", "gap_low", "gap_high"):
                hidden["gap"] = hidden.get("gap", 0) + 1
                continue
            area = row["content_area"]
            out.append(
                Candidate(
                    f"gap_{group_by}_{area}",
                    "gap",
                    f"gap for {GROUP_WORDS[group_by][0]} in {area_word(area)}",
                    figure_of(row, "gap_pp"),
                    figure_of(row, "gap_low"),
                    figure_of(row, "gap_high"),
                    extra={"row": row, "params": params, "group": group_by, "table": focal},
                )
            )
    return out


def gap_finding(c: Context, chosen: Candidate) -> Finding:
    row, params, group_by = chosen.extra["row"], chosen.extra["params"], chosen.extra["group"]
    words, legend = GROUP_WORDS[group_by]
    area, gap = row["content_area"], chosen.estimate
    mine, others = figure_of(row, "pct_proficient"), figure_of(row, "reference_pct")
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
    n_mine, n_others = int(figure_of(row, "n_students")), int(figure_of(row, "reference_n"))
    return Finding(
        f"gap_{group_by}_{area}",
        "gap",
        headline,
        partial(charts.gap_bars_chart, table, legend, area, decimals=decimals_of(mine_text)),
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
        f"{chosen.p_holm:.3g}); risk ratio {figure_of(row, 'risk_ratio'):.2f}. Reference: all other students of the "
        f"district.",
        f"Rests on {n_mine:,} {words} and {n_others:,} other students in {c.to_year}",
        f"Bar chart of percent proficient by content area, {legend.lower()} beside all other students: in "
        f"{area_word(area)} {mine_text}% vs {others_text}%, a gap of {gap:+.1f} points, give or take "
        f"{give_or_take(chosen.low, chosen.high)}.",
    )


def gap_change_candidates(c: Context, hidden: dict) -> list[Candidate]:
    out = []
    for group_by in GROUPINGS:
        # one query per grouping, every content area in it (content_area left null)
        params = {"group_by": group_by, "from_year": c.from_year, "to_year": c.to_year, "method": c.method}
        frame = c.fetch("board_gap_change", params)
        focal = frame[(frame["group_value"] == "true") & frame["content_area"].isin(c.areas)]
        for _, row in focal.iterrows():
            if not is_shown(row, "gap_change_pp", "from_gap_pp", "to_gap_pp", "gap_change_low", "gap_change_high"):
                hidden["gap_change"] = hidden.get("gap_change", 0) + 1
                continue
            low, high, paired = interval_of(
                row, "gap_change_low", "gap_change_high", "paired_gap_change_low", "paired_gap_change_high"
            )
            area = row["content_area"]
            out.append(
                Candidate(
                    f"gap_change_{group_by}_{area}",
                    "gap_change",
                    f"change in the gap for {GROUP_WORDS[group_by][0]} in {area_word(area)}",
                    figure_of(row, "gap_change_pp"),
                    low,
                    high,
                    extra={"row": row, "params": params, "group": group_by, "paired": paired},
                )
            )
    return out


def gap_change_finding(c: Context, chosen: Candidate) -> Finding:
    row, params, group_by = chosen.extra["row"], chosen.extra["params"], chosen.extra["group"]
    words, legend = GROUP_WORDS[group_by]
    area, change = row["content_area"], chosen.estimate
    start, end = figure_of(row, "from_gap_pp"), figure_of(row, "to_gap_pp")
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
    n_from, n_to = int(figure_of(row, "n_from")), int(figure_of(row, "n_to"))
    return Finding(
        f"gap_change_{group_by}_{area}",
        "gap_change",
        headline,
        partial(charts.gap_trend_chart, trend, legend, decimals=decimals_of(start_text)),
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
