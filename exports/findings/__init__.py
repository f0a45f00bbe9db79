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

import pandas as pd

from exports.findings.culture import culture_candidates, culture_gap_finding, culture_trend_finding, survey_context
from exports.findings.gaps import gap_candidates, gap_change_candidates, gap_change_finding, gap_finding
from exports.findings.methods import considered_text, methods_appendix
from exports.findings.proficiency import coverage_finding, trend_candidates, trend_finding
from exports.findings.report import KINDS, BoardReport, Context, Fetch, Finding, Stated
from exports.scrutiny import Candidate, test_together
from warehouse.config import DistrictConfig, district_config


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
    context = Context(fetch, config, method, to_year, from_year, areas)
    hidden: dict[str, int] = {}
    candidates: list[Candidate] = []
    if to_year is not None and areas:
        if from_year is not None:
            candidates += trend_candidates(context, hidden)
        candidates += gap_candidates(context, hidden)
        if from_year is not None:
            candidates += gap_change_candidates(context, hidden)
    survey = survey_context(fetch, to_year)
    if survey is not None:
        candidates += culture_candidates(survey, hidden)
    test_together(candidates)
    by_kind = {kind: [c for c in candidates if c.kind == kind] for kind in KINDS}
    findings: list[Finding] = []
    if by_kind["trend"]:
        findings += [trend_finding(context, by_kind["trend"])]
    findings += [gap_finding(context, c) for c in _pick(by_kind["gap"], max_gaps)]
    findings += [gap_change_finding(context, c) for c in _pick(by_kind["gap_change"], max_changes)]
    if to_year is not None and areas:
        findings += coverage_finding(context)
    findings += [culture_gap_finding(survey, c) for c in _pick(by_kind["culture_gap"], 1)]
    findings += [culture_trend_finding(survey, c) for c in _pick(by_kind["culture_trend"], 1)]
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


__all__ = ["BoardReport", "Fetch", "Finding", "Stated", "choose_findings"]
