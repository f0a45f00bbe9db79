"""Findings from the staff survey: leaders vs teachers on each construct, and each construct's change."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from charts import board as charts
from charts.culture import construct_label
from exports.findings.report import CALLED_OUT, RANGE_WORDS, Fetch, Finding, Stated, decimals_of, figure_of, is_shown
from exports.scrutiny import Candidate, agreeing, difference_interval, give_or_take
from queries.privacy import thresholds


@dataclass(frozen=True)
class _Survey:
    fetch: Fetch
    survey: str
    first: str
    wave: str

    @property
    def footnote_tail(self) -> str:
        limits = thresholds("board", "survey")
        return (
            f"{CALLED_OUT}Counted per answer: a staff member's favorable answers on a construct's items, "
            f"tested as if each respondent gave one (the stricter count). Favorable: the top two points of the "
            f"scale, reverse-worded items flipped, 'not applicable' left out. Privacy: groups under "
            f"{limits.min_n} respondents show no figure."
        )


def survey_context(fetch: Fetch, school_year: str | None) -> _Survey | None:
    waves = fetch("survey_waves", {})
    if waves.empty:
        return None
    per_survey = waves.groupby("survey_id")["wave"].nunique()
    survey = sorted(per_survey.index, key=lambda s: (per_survey[s], s))[-1]
    survey_waves = sorted(waves.loc[waves["survey_id"] == survey, "wave"].astype(str))
    wave = (
        school_year
        if school_year in survey_waves
        else (max([w for w in survey_waves if school_year is None or w <= school_year] or survey_waves))
    )
    return _Survey(fetch, survey, survey_waves[0], wave)


def culture_candidates(s: _Survey, hidden: dict) -> list[Candidate]:
    """Leaders vs teachers on each construct of the latest wave, and each construct's change since the first
    wave; each tested with n = respondents (the rows give the share of favorable answers and who answered)."""
    out = []
    params = {"survey_id": s.survey, "wave": s.wave, "by": "district"}
    gaps = s.fetch("survey_role_gap", params)
    for _, row in gaps.iterrows():
        if not is_shown(row, "gap_pp", "leader_pct", "teacher_pct", "n_leaders", "n_teachers"):
            hidden["culture_gap"] = hidden.get("culture_gap", 0) + 1
            continue
        estimate, low, high = difference_interval(
            figure_of(row, "leader_pct") / 100,
            figure_of(row, "n_leaders"),
            figure_of(row, "teacher_pct") / 100,
            figure_of(row, "n_teachers"),
        )
        construct = row["construct"]
        out.append(
            Candidate(
                f"culture_gap_{construct}",
                "culture_gap",
                f"leaders vs teachers on {construct_label(construct).lower()}",
                figure_of(row, "gap_pp"),
                100 * low,
                100 * high,
                extra={"row": row, "params": params, "table": gaps},
            )
        )
    if s.first != s.wave:
        trend_params = {"survey_id": s.survey, "by": "district"}
        trend = s.fetch("survey_construct_trend", trend_params)
        trend = trend[trend["wave"].astype(str) <= s.wave]
        for construct, rows in trend.groupby("construct"):
            start, end = rows[rows["wave"] == s.first], rows[rows["wave"] == s.wave]
            if not (
                len(start) == 1
                and len(end) == 1
                and is_shown(start.iloc[0], "pct_favorable", "n_respondents")
                and is_shown(end.iloc[0], "pct_favorable", "n_respondents")
            ):
                hidden["culture_trend"] = hidden.get("culture_trend", 0) + 1
                continue
            a, b = figure_of(start.iloc[0], "pct_favorable"), figure_of(end.iloc[0], "pct_favorable")
            _, low, high = difference_interval(
                b / 100, figure_of(end.iloc[0], "n_respondents"), a / 100, figure_of(start.iloc[0], "n_respondents")
            )
            out.append(
                Candidate(
                    f"culture_trend_{construct}",
                    "culture_trend",
                    f"change in favorable answers on {construct_label(construct).lower()}",
                    b - a,
                    100 * low,
                    100 * high,
                    extra={
                        "start": start.iloc[0],
                        "end": end.iloc[0],
                        "params": trend_params,
                        "table": trend,
                        "a": a,
                        "b": b,
                    },
                )
            )
    return out


def culture_gap_finding(s: _Survey, chosen: Candidate) -> Finding:
    row, params, gaps = chosen.extra["row"], chosen.extra["params"], chosen.extra["table"]
    gaps = gaps[[is_shown(r, "gap_pp", "leader_pct", "teacher_pct") for _, r in gaps.iterrows()]]
    gap, leader, teacher = chosen.estimate, figure_of(row, "leader_pct"), figure_of(row, "teacher_pct")
    construct = row["construct"]
    teacher_text, leader_text, size = agreeing(teacher, leader, gap)
    who, whom = ("Leaders", "teachers") if gap >= 0 else ("Teachers", "leaders")
    headline = (
        f"{who} answer favorably about {construct_label(construct).lower()} {size} points more often than "
        f"{whom}, give or take {give_or_take(chosen.low, chosen.high)}: {leader_text}% of leaders' answers "
        f"vs {teacher_text}% of teachers' ({s.wave} staff survey)"
    )
    match = {"construct": construct}
    stated = [
        Stated("survey_role_gap", params, match, "gap_pp", gap, size, True),
        Stated("survey_role_gap", params, match, "leader_pct", leader, leader_text),
        Stated("survey_role_gap", params, match, "teacher_pct", teacher, teacher_text),
    ]
    n_leaders, n_teachers = int(figure_of(row, "n_leaders")), int(figure_of(row, "n_teachers"))
    return Finding(
        f"culture_gap_{construct}",
        "culture_gap",
        headline,
        partial(charts.role_gap_chart, gaps, construct, decimals=decimals_of(leader_text)),
        f"n = {n_leaders:,} leaders and {n_teachers:,} teachers answered the {s.wave} wave. {RANGE_WORDS}"
        f"{s.footnote_tail}",
        gaps[
            [
                "survey_id",
                "wave",
                "construct",
                "n_leaders",
                "leader_pct",
                "n_teachers",
                "teacher_pct",
                "gap_pp",
                "suppressed",
            ]
        ],
        stated,
        f"Role gap {gap:+.1f} points (95% interval {chosen.low:+.1f} to {chosen.high:+.1f}, n = respondents; "
        f"Holm-adjusted p = {chosen.p_holm:.3g}): leaders' share of favorable answers minus teachers'. Other "
        "constructs: "
        + "; ".join(
            f"{construct_label(r['construct'])} {figure_of(r, 'gap_pp'):+.0f}"
            for _, r in gaps.iterrows()
            if r["construct"] != construct
        )
        + ".",
        f"Rests on the answers of {n_leaders:,} leaders and {n_teachers:,} teachers ({s.wave} wave)",
        f"Bar chart of favorable answers by construct, leaders beside teachers: on "
        f"{construct_label(construct).lower()} {leader_text}% of leaders' answers vs {teacher_text}% of teachers', "
        f"a difference of {gap:+.1f} points, give or take {give_or_take(chosen.low, chosen.high)}.",
    )


def culture_trend_finding(s: _Survey, chosen: Candidate) -> Finding:
    start_row, end_row = chosen.extra["start"], chosen.extra["end"]
    params, trend, a, b = chosen.extra["params"], chosen.extra["table"], chosen.extra["a"], chosen.extra["b"]
    construct = end_row["construct"]
    a_text, b_text, size = agreeing(a, b, b - a)
    verb = "rose" if b > a else "fell"
    headline = (
        f"Favorable answers about {construct_label(construct).lower()} {verb} {size} points since "
        f"{s.first}, give or take {give_or_take(chosen.low, chosen.high)}: from {a_text}% to {b_text}% of "
        f"staff answers"
    )
    start_match, end_match = {"construct": construct, "wave": s.first}, {"construct": construct, "wave": s.wave}
    stated = [
        Stated("survey_construct_trend", params, end_match, "pct_favorable", b - a, size, True, minus=start_match),
        Stated("survey_construct_trend", params, start_match, "pct_favorable", a, a_text),
        Stated("survey_construct_trend", params, end_match, "pct_favorable", b, b_text),
    ]
    n_first, n_last = int(figure_of(start_row, "n_respondents")), int(figure_of(end_row, "n_respondents"))
    return Finding(
        f"culture_trend_{construct}",
        "culture_trend",
        headline,
        partial(charts.construct_trend_chart, trend, construct, decimals=decimals_of(a_text)),
        f"n = {n_first:,} staff answered the {s.first} wave and {n_last:,} the {s.wave} wave. {RANGE_WORDS}"
        f"{s.footnote_tail}",
        trend[["survey_id", "wave", "construct", "n_respondents", "pct_favorable", "suppressed"]],
        stated,
        f"Change {b - a:+.1f} points (95% interval {chosen.low:+.1f} to {chosen.high:+.1f}, n = respondents, "
        f"the waves taken as independent; Holm-adjusted p = {chosen.p_holm:.3g}).",
        f"Rests on the answers of {n_first:,} staff in {s.first} and {n_last:,} in {s.wave}",
        f"Line chart of favorable answers by survey wave, {construct_label(construct).lower()} drawn strong: "
        f"{a_text}% in {s.first}, {b_text}% in {s.wave}, a change of {b - a:+.1f} points, give or take "
        f"{give_or_take(chosen.low, chosen.high)}.",
    )
