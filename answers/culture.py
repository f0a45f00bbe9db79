"""Culture and voice in words: a construct's district figure, its change, and the schools furthest apart."""

from __future__ import annotations

import pandas as pd

from answers.words import number, pct, points


def construct_sentences(district: pd.DataFrame, by_school: pd.DataFrame, construct_name: str, wave: str) -> list[str]:
    """district: survey_construct_trend rows by district for one construct (one per wave); by_school: the same
    construct's rows per school. Sentences for `wave` and the wave before it."""
    rows = district.sort_values("wave")
    now = rows[rows["wave"] == wave]
    if now.empty or number(now.iloc[0]["pct_favorable"]) is None:
        return [f"{construct_name}: no district figure for {wave} (too few respondents)."]
    now = now.iloc[0]
    sentence = (
        f"{construct_name}: {pct(now['pct_favorable'])} of staff answers were favorable district-wide in "
        f"{wave} ({int(number(now['n_respondents']) or 0):,} staff answering)"
    )
    earlier = rows[rows["wave"] < wave]
    if not earlier.empty and number(earlier.iloc[-1]["pct_favorable"]) is not None:
        before = earlier.iloc[-1]
        change = number(now["pct_favorable"]) - number(before["pct_favorable"])
        moved = "about the same as" if round(change) == 0 else f"{'up' if change > 0 else 'down'} {points(change)} from"
        sentence += f", {moved} {pct(before['pct_favorable'])} in {before['wave']}"
    sentences = [sentence + "."]
    schools = by_school[(by_school["wave"] == wave) & (by_school["school_id"] != "all")]
    schools = schools.assign(value=schools["pct_favorable"].map(number)).dropna(subset=["value"]).reset_index(drop=True)
    if len(schools) >= 2:
        high, low = schools.loc[schools["value"].idxmax()], schools.loc[schools["value"].idxmin()]
        sentences.append(
            f"Highest at {high['school_name']} ({pct(high['value'])}), lowest at {low['school_name']} "
            f"({pct(low['value'])})."
        )
    hidden = int((by_school[(by_school["wave"] == wave)]["pct_favorable"].map(number).isna()).sum())
    if hidden:
        sentences.append(f"{hidden} school(s) had too few respondents to show.")
    return sentences


def stage_sentence(stages: pd.DataFrame) -> str | None:
    """implementation_stages rows (one per school, year and domain) -> which schools are furthest along now."""
    if stages.empty:
        return None
    latest = stages[stages["school_year"] == stages["school_year"].max()]
    median = latest.groupby(["school_id", "school_name"])["stage_rank"].median().sort_values(ascending=False)
    stage_of = dict(zip(latest["stage_rank"], latest["stage"]))
    top = median[median == median.max()]
    names = ", ".join(name for _, name in top.index)
    stage = stage_of.get(int(median.max()), "")
    return f"In {latest['school_year'].iloc[0]}, furthest along in implementation: {names}" + (
        f" ({stage.lower()}, the median of their domains)." if stage else "."
    )
