"""A PLC team's meeting in words: who is in it, how much of its level was assessed, where to look first."""

from __future__ import annotations

import pandas as pd

from answers.words import count, number, pct


def meeting_sentences(
    team_label: str, school_name: str, coverage: pd.DataFrame, focus: pd.DataFrame, as_of_text: str
) -> list[str]:
    """coverage: plc_coverage (one row); focus: plc_focus_standards of the chosen focus standards."""
    sentences = []
    if not coverage.empty:
        row = coverage.iloc[0]
        sentences.append(
            f"{team_label}, {school_name}, as of {as_of_text}: {count(row['n_students'])} students; "
            f"{count(row['n_assessed'])} of the level's {count(row['n_standards'])} standards assessed, "
            f"{count(row['n_sufficient'])} with sufficient evidence."
        )
    if not focus.empty:
        ranked = focus.assign(value=focus["pct_proficient"].map(number)).dropna(subset=["value"]).sort_values("value")
        if not ranked.empty:
            low = ranked.iloc[0]
            sentences.append(
                f"Lowest of the focus standards: {low['standard_code']} ({pct(low['value'])} of "
                f"{count(low['n_students_assessed'])} assessed students proficient)."
            )
        unassessed = focus[focus["pct_proficient"].map(number).isna() & ~focus["is_assessed"].astype(bool)]
        if not unassessed.empty:
            sentences.append(f"{len(unassessed):,} focus standard(s) have no evidence yet.")
    return sentences or [f"No figures yet for {team_label}, {school_name}."]
