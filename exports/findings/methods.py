"""The methods slide: what was considered and what was not called out, and why; the methods appendix."""

from __future__ import annotations

from exports.findings.report import KIND_WORDS, KINDS
from exports.scrutiny import Candidate
from queries.privacy import thresholds
from warehouse.config import DistrictConfig


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
