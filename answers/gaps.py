"""Is a group's gap closing? A verdict that looks at who moved, not only at the gap's size.

A gap is the group's percent proficient minus that of all other students (queries/gap_trend.sql). Between two
years it can narrow for three reasons: the group behind rose (closing), the group ahead fell (narrowing by
decline, never called closing), or both sides moved. "Closing" is said only when the gap narrowed beyond
chance and the side that was behind improved while the side ahead did not fall.

The verdict itself has one home, the warehouse macro `gap_verdict` (warehouse/schema/02_macros.sql), which
every gap query returns as its `gap_verdict` column and its `is_closing` flag: the sentence here reads that
column, so the words, the chart's hover and the query can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from answers.words import RELIABLE_N, number, pct, points, possessive, small_group_note

CLOSING = "closing"
NARROWED_BY_DECLINE = "narrowed by decline"
WIDENING = "widening"
NARROWED_BY_CHANCE = "narrowed within chance"
WIDENED_BY_CHANCE = "widened within chance"
NO_COMPARISON = "no comparison"


@dataclass(frozen=True)
class YearGap:
    """One group's gap in one school year, from a gap_trend row (gated: any figure may be None)."""

    school_year: str
    n: float | None
    pct: float | None
    reference_pct: float | None
    gap: float | None

    @classmethod
    def from_row(cls, row: pd.Series) -> YearGap:
        return cls(
            str(row["school_year"]),
            number(row["n_students"]),
            number(row["pct_proficient"]),
            number(row.get("reference_pct")),
            number(row["gap_pp"]),
        )


@dataclass(frozen=True)
class GapChange:
    group: str  # plain words: "English learners", "Asian students"
    then: YearGap
    now: YearGap
    verdict: str  # the row's gap_verdict (warehouse macro gap_verdict); a hidden figure gives NO_COMPARISON


def gap_change(trend: pd.DataFrame, group: str) -> GapChange | None:
    """The latest two school years of one group's gap_trend rows (yearly rows, oldest first), or None."""
    rows = trend[trend["term"].isna()] if "term" in trend else trend
    rows = rows.sort_values("school_year")
    if len(rows) < 2:
        return None
    then, now = YearGap.from_row(rows.iloc[-2]), YearGap.from_row(rows.iloc[-1])
    verdict = rows.iloc[-1].get("gap_verdict")
    if not isinstance(verdict, str) or _hidden(then) or _hidden(now):
        verdict = NO_COMPARISON  # nothing is said of a figure the gate did not show
    return GapChange(group, then, now, verdict)


def _hidden(year: YearGap) -> bool:
    return None in (year.pct, year.reference_pct, year.gap)


def gap_sentences(trend: pd.DataFrame, group: str, others: str = "other students", subject: str = "") -> list[str]:
    """Two to four sentences on one group's gap: where it stands, how it moved and why, how far to trust it."""
    rows = trend[trend["term"].isna()] if "term" in trend else trend
    rows = rows.sort_values("school_year")
    if rows.empty:
        return [f"No scored evidence for {group} in this selection."]
    latest = YearGap.from_row(rows.iloc[-1])
    where = f" in {subject}" if subject else ""
    if latest.gap is None or latest.pct is None:
        note = small_group_note(group, latest.n)
        return [note or f"{group}: the figures for {latest.school_year} are not shown (a small group)."]
    side = "below" if latest.gap < 0 else "above"
    sentences = [
        f"{group}: {pct(latest.pct)} proficient{where} in {latest.school_year}, "
        + (f"{points(latest.gap)} {side} {others}." if round(latest.gap) else f"level with {others}.")
    ]
    change = gap_change(trend, group)
    if change is not None:
        sentences.append(change_sentence(change, others))
    note = small_group_note(group, latest.n)
    if note and latest.n is not None and latest.n < RELIABLE_N:
        sentences.append(note)
    return sentences


def change_sentence(change: GapChange, others: str = "other students") -> str:
    then, now, verdict = change.then, change.now, change.verdict
    since = f"since {then.school_year}"
    if verdict == NO_COMPARISON:
        return f"There is no figure for {then.school_year} to compare with (a small group then or now)."
    moved = f"from {pct(then.pct)} to {pct(now.pct)}"
    others_moved = f"from {pct(then.reference_pct)} to {pct(now.reference_pct)}"
    size = points(abs(now.gap) - abs(then.gap))
    crossed = (then.gap < 0) != (now.gap < 0) and round(now.gap) != 0
    if verdict == CLOSING:
        who = change.group if then.gap < 0 else others.capitalize()
        how = moved if then.gap < 0 else others_moved
        return (
            f"The gap is closing: it narrowed {size} {since} because {possessive(who)} proficiency rose {how}; "
            "that change is beyond chance."
        )
    if verdict == NARROWED_BY_DECLINE:
        if then.gap >= 0 and now.pct < then.pct:
            reason = f"{change.group} fell {moved}"
        elif then.gap < 0 and now.reference_pct < then.reference_pct:
            reason = f"{others} fell {others_moved}" + (
                f" while {change.group} went {moved}" if now.pct <= then.pct else f" (and {change.group} rose {moved})"
            )
        else:
            reason = f"{change.group} went {moved} and {others} {others_moved}"
        flipped = f"; {change.group} are now {'below' if now.gap < 0 else 'above'} {others}" if crossed else ""
        return (
            f"The gap narrowed {size} {since}, but not because anyone caught up: {reason}{flipped}. "
            "That is not a gap closing."
        )
    if verdict == WIDENING:
        return f"The gap widened {size} {since} ({change.group} {moved}, {others} {others_moved}); beyond chance."
    direction = "narrowed" if verdict == NARROWED_BY_CHANCE else "widened"
    return (
        f"The gap {direction} {size} {since} ({change.group} {moved}), a change within what chance alone could produce."
    )
