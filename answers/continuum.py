"""The continuum in words: how much of it was assessed, with enough evidence, and where students work."""

from __future__ import annotations

import pandas as pd

from answers.words import number


def coverage_sentences(coverage: pd.DataFrame, subject: str, min_evidence: int, where: str) -> list[str]:
    """continuum_coverage rows (one per grade, or per column of the view) -> the share of grade-level standards
    assessed at least once and the share with sufficient evidence, counted the same way as the cards."""
    shown = coverage[~coverage["suppressed"].astype(bool)] if "suppressed" in coverage else coverage
    if shown.empty:
        return [f"No grade-level {subject} standards with students for {where}."]
    standards = pd.to_numeric(shown["n_standards"]).sum()
    assessed = pd.to_numeric(shown["n_assessed"]).sum()
    sufficient = pd.to_numeric(shown["n_sufficient"]).sum()
    if not standards:
        return [f"No grade-level {subject} standards for {where}."]
    sentences = [
        f"Of {int(standards):,} grade-level {subject} standards (summed over the grades) for {where}, "
        f"{100 * assessed / standards:.0f}% were assessed at least once this year and "
        f"{100 * sufficient / standards:.0f}% have sufficient evidence (at least {min_evidence} pieces per "
        "assessed student on average)."
    ]
    if sufficient < 0.25 * standards:
        sentences.append("Most standards do not yet have enough evidence to call a student proficient with confidence.")
    return sentences


def grade_levels_sentence(coverage: pd.DataFrame) -> str | None:
    """Which continuum level each grade reads, when some grade reads another level than its own."""
    if coverage.empty or "continuum_level" not in coverage:
        return None
    pairs = coverage.dropna(subset=["grade_level", "continuum_level"]).drop_duplicates(["grade_level"])
    different = pairs[pairs["grade_level"] != pairs["continuum_level"]]
    if different.empty:
        return "Each grade is measured against the continuum level of its own grade."
    name = lambda g: "K" if int(g) == 0 else str(int(g))  # noqa: E731
    listed = "; ".join(
        f"grade {name(r.grade_level)} reads level {name(r.continuum_level)}" for r in different.itertuples()
    )
    return f"Every other grade reads its own level; {listed} (no standards of their own at that level)."


def evidence_gap_sentence(otl: pd.DataFrame, labels: dict) -> str | None:
    """opportunity_to_learn rows -> the group assessed least compared with other students, when beyond chance."""
    if otl.empty or "evidence_gap_significant" not in otl:
        return None
    flagged = otl[otl["evidence_gap_significant"].map(lambda v: v is True or (hasattr(v, "item") and bool(v)))]
    if flagged.empty:
        return "No group is assessed noticeably less often than other students."
    gaps = flagged.assign(value=flagged["evidence_gap"].map(number)).dropna(subset=["value"])
    if gaps.empty:
        return None
    worst = gaps.loc[gaps["value"].idxmin()]
    return (
        f"{labels.get(worst['group_value'], worst['group_value'])} have {abs(worst['value']):.2f} fewer pieces "
        "of evidence per standard than other students, a gap beyond chance."
    )
