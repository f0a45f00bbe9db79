"""Is proficiency rising? Sentences from proficiency_trend rows (one row per group and school year)."""

from __future__ import annotations

import pandas as pd

from answers.words import RELIABLE_N, is_true, number, pct, points, small_group_note


def change_words(row: pd.Series) -> str | None:
    """'up 2 points from 44% in 2024-25 (within chance)', or None when there is nothing to compare."""
    change, prior = number(row.get("change_pp")), number(row.get("prior_pct"))
    if change is None or prior is None:
        return None
    if round(change) == 0:
        direction = "about the same as"
        return f"{direction} {pct(prior)} the year before"
    direction = "up" if change > 0 else "down"
    chance = "beyond chance" if is_true(row.get("is_change_significant")) else "within chance"
    return f"{direction} {points(change)} from {pct(prior)} the year before ({chance})"


def yearly(trend: pd.DataFrame) -> pd.DataFrame:
    rows = trend[trend["term"].isna()] if "term" in trend else trend
    return rows.sort_values("school_year")


def proficiency_sentences(trend: pd.DataFrame, subject: str, who: str = "students") -> list[str]:
    """The latest year's percent proficient for one group (the 'all students' row of proficiency_trend) and its
    change, e.g. '46% of students were proficient in Math in 2025-26, up 2 points from 44% ... (within chance).'"""
    rows = yearly(trend)
    if rows.empty:
        return [f"No scored evidence in {subject} for this selection."]
    latest = rows.iloc[-1]
    if number(latest["pct_proficient"]) is None:
        return [
            small_group_note(who.capitalize(), latest["n_students"])
            or f"The {subject} figure for {latest['school_year']} is not shown (a small group)."
        ]
    sentence = f"{pct(latest['pct_proficient'])} of {who} were proficient in {subject} in {latest['school_year']}"
    change = change_words(latest)
    sentences = [sentence + (f", {change}." if change else ".")]
    if len(rows) >= 3:
        first = rows.iloc[0]
        start, end = number(first["pct_proficient"]), number(latest["pct_proficient"])
        if start is not None:
            trend_words = "rising" if end - start >= 1 else "falling" if start - end >= 1 else "flat"
            sentences.append(
                f"Over {len(rows)} years it went from {pct(start)} ({first['school_year']}) to "
                f"{pct(end)}: {trend_words}."
            )
    n = number(latest["n_students"])
    if n is not None and n < RELIABLE_N:
        sentences.append(small_group_note(who.capitalize(), n))
    return sentences


def group_spread_sentences(trend: pd.DataFrame, labels: dict) -> list[str]:
    """For a trend split by group: the highest and lowest group in the latest year, small groups flagged."""
    rows = yearly(trend)
    if rows.empty:
        return []
    latest = rows[rows["school_year"] == rows["school_year"].max()]
    shown = latest.assign(value=latest["pct_proficient"].map(number)).dropna(subset=["value"]).reset_index(drop=True)
    if len(shown) < 2:
        return []
    high, low = shown.loc[shown["value"].idxmax()], shown.loc[shown["value"].idxmin()]
    year = high["school_year"]
    sentences = [
        f"In {year} the highest group is {labels[high['group_value']]} at {pct(high['value'])} and the "
        f"lowest {labels[low['group_value']]} at {pct(low['value'])}, {points(high['value'] - low['value'])} "
        "apart."
    ]
    small = [
        labels[v]
        for v, n in zip(latest["group_value"], latest["n_students"])
        if number(n) is None or number(n) < RELIABLE_N
    ]
    if small:
        sentences.append(f"Fewer than {RELIABLE_N} students (read with caution or not shown): {', '.join(small)}.")
    return sentences
