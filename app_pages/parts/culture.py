"""The sections of the Culture & voice page (app_pages/culture.py), each drawn from named survey queries for
one survey, wave and respondent role."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from charts.culture import (
    construct_heatmap,
    construct_label,
    construct_trend,
    culture_results_scatter,
    diverging_bars,
    response_rate_bars,
    role_gap_chart,
    stage_grid,
)
from ui import filters
from ui.data import query
from ui.figures import chart
from ui.tables import table
from ui.text import md
from warehouse.gated_cells import numeric
from warehouse.labels import CONTENT_AREA_NAMES


@dataclass(frozen=True)
class Selection:
    """What the top of the page chose: the survey, its wave, whose answers, and the thresholds the gate uses."""

    survey: str
    wave: str
    role: str | None
    constructs: list[str]
    survey_min_n: int
    comment_min_n: int

    @property
    def base(self) -> dict:
        return {"survey_id": self.survey}


def constructs_by_school(selection: Selection) -> None:
    """Each school's construct scores in the wave, and one construct's trend and change since the prior wave."""
    wave = selection.wave
    role = selection.role
    constructs = selection.constructs
    base = selection.base
    survey_min_n = selection.survey_min_n
    st.subheader("Constructs by school")
    st.caption("Each cell: the construct's score, the mean percent favorable of its items, in the chosen wave.")
    trend = query("survey_construct_trend", {**base, "role": role})
    this_wave = trend[trend["wave"] == wave]
    if this_wave.empty:
        st.info("No scored answers in this wave.")
    else:
        chart(construct_heatmap(this_wave), this_wave, key="culture_heatmap")

    if constructs:
        left, right = st.columns([1, 2])
        focus = left.selectbox("Trend of", constructs, key="culture_trend_construct", format_func=construct_label)
        by_school = trend[trend["construct"] == focus]
        district = query("survey_construct_trend", {**base, "role": role, "construct": focus, "by": "district"})
        right.caption(
            f"A line per school and the district; a wave with fewer than {survey_min_n} respondents leaves a gap."
        )
        chart(construct_trend(pd.concat([district, by_school])), pd.concat([district, by_school]), key="culture_trend")
        change = query("survey_wave_change", {**base, "wave": wave, "role": role, "construct": focus})
        if not change.empty:
            shown = change[
                ["school_name", "prior_wave", "prior_pct", "pct_favorable", "change_pp", "n_respondents", "prior_n"]
            ]
            table(
                shown,
                key="culture_wave_change",
                column_config={
                    "school_name": "school",
                    "prior_wave": "compared with",
                    "prior_pct": "then (% favorable)",
                    "pct_favorable": f"{wave} (% favorable)",
                    "change_pp": "change (pp)",
                    "n_respondents": "n now",
                    "prior_n": "n then",
                },
            )


def item_answers(selection: Selection) -> None:
    """How staff answered each item, for a construct and a school."""
    wave = selection.wave
    role = selection.role
    constructs = selection.constructs
    base = selection.base
    st.subheader("How staff answered each item")
    left, right = st.columns(2)
    item_construct = left.selectbox(
        "Construct",
        [None, *constructs],
        key="culture_item_construct",
        format_func=lambda c: "All constructs" if c is None else construct_label(c),
    )
    item_school = filters.school(right, key="culture_item_school")
    distribution = query(
        "survey_answer_distribution",
        {
            **base,
            "wave": wave,
            "role": role,
            "construct": item_construct,
            "school_id": item_school,
            "by": "school" if item_school else "district",
        },
    )
    if distribution.empty:
        st.info("No scored answers for this selection.")
    else:
        chart(diverging_bars(distribution), distribution, key="culture_items")
        st.caption(
            "Reverse-coded items (statements that are good when staff disagree) are flipped, so the right-hand "
            "side is always favorable. N/A and Don't know answers are left out."
        )


def role_gap(selection: Selection) -> None:
    """Whether leaders and teachers see the same school."""
    wave = selection.wave
    base = selection.base
    st.subheader("Do leaders and teachers see the same school?")
    gap_by = st.radio(
        "Compare",
        ["district", "school"],
        horizontal=True,
        key="culture_gap_by",
        format_func=lambda b: "District" if b == "district" else "Each school",
    )
    gaps = query("survey_role_gap", {**base, "wave": wave, "by": gap_by})
    if gaps.empty:
        st.info("The role gap needs answers from both leaders and teachers (load the survey with roles).")
    else:
        chart(role_gap_chart(gaps), gaps, key="culture_gap")
        widest = gaps.assign(gap=numeric(gaps, "gap_pp")).dropna(subset=["gap"])
        if not widest.empty:
            row = widest.loc[widest["gap"].abs().idxmax()]
            where = "" if row["school_id"] == "all" else f" at {md(row['school_name'])}"
            st.markdown(
                f"Widest gap: **{md(construct_label(row['construct']))}**{where}, leaders {row['gap']:+.0f} points "
                "from teachers."
            )


def response_rates(selection: Selection) -> None:
    """Who answered, against who was invited."""
    wave = selection.wave
    base = selection.base
    st.subheader("Response rates")
    rates = query("survey_response_rates", {**base, "wave": wave})
    if rates.empty or rates["n_invited"].isna().all():
        st.info(
            "Load the invited counts per school and role (a CSV with survey_id, wave, school_id, role, n_invited) "
            "to see response rates."
        )
    if not rates.empty:
        chart(response_rate_bars(rates), rates, key="culture_rates")
        st.caption(
            "Respondents: staff who answered at least one item. A low rate means the figures above speak for "
            "fewer people than the school's staff."
        )


def implementation_stages(selection: Selection) -> None:
    """Each school's implementation stage, by domain."""
    st.subheader("Implementation stage by school")
    stages = query("implementation_stages")
    if stages.empty:
        st.info("No implementation ratings are loaded yet (`python -m etl load rubric FILE`).")
    else:
        domains = ["overall", *sorted(stages["domain"].unique())]
        domain = st.selectbox(
            "Domain",
            domains,
            key="culture_domain",
            format_func=lambda d: "All domains (median stage)" if d == "overall" else d.replace("_", " ").capitalize(),
        )
        chart(stage_grid(stages, domain), stages, key="culture_stages")


def culture_and_results(selection: Selection) -> None:
    """Each school's culture beside its students' results."""
    survey = selection.survey
    wave = selection.wave
    constructs = selection.constructs
    st.subheader("Culture and results")
    if constructs:
        left, right = st.columns(2)
        construct = left.selectbox(
            "Construct",
            constructs,
            key="culture_results_construct",
            format_func=construct_label,
            index=constructs.index("trust") if "trust" in constructs else 0,
        )
        areas = query("content_areas")["content_area"].tolist()
        if areas:
            area = right.selectbox(
                "Content area", areas, key="culture_results_area", format_func=lambda a: CONTENT_AREA_NAMES.get(a, a)
            )
            results = query(
                "culture_and_results",
                {
                    "survey_id": survey,
                    "wave": wave,
                    "construct": construct,
                    "content_area": area,
                    "method": st.session_state.get("method"),
                },
            )
            if results.empty:
                st.info("No school has both survey answers and scored evidence for this selection.")
            else:
                name = CONTENT_AREA_NAMES.get(area, area)
                chart(culture_results_scatter(results, construct, name), results, key="culture_results")
                st.caption(
                    f"Each school: its {md(construct_label(construct).lower())} score in {md(wave)} against its "
                    f"students' percent proficient in {md(name)} ({md(results['school_year'].iloc[0])}); a bigger "
                    "dot, "
                    "more students. Schools move together or not for many reasons: read it as a question, "
                    "not a cause."
                )
                table(
                    results[["school_name", "n_respondents", "construct_score", "n_students", "pct_proficient"]],
                    key="culture_results_table",
                    column_config={
                        "school_name": "school",
                        "n_respondents": "staff answering",
                        "construct_score": "% favorable",
                        "n_students": "students",
                        "pct_proficient": "% proficient",
                    },
                )
        else:
            st.info("No scored evidence is loaded yet.")


def comments(selection: Selection) -> None:
    """Comments, only for groups large enough (the gate's comment threshold)."""
    wave = selection.wave
    role = selection.role
    base = selection.base
    comment_min_n = selection.comment_min_n
    with st.expander(f"Comments (shown only for groups of {comment_min_n} or more respondents)"):
        comment_school = filters.school(st, key="culture_comment_school")
        comments = query(
            "survey_comments",
            {
                **base,
                "wave": wave,
                "school_id": comment_school,
                "role": role,
                "by": "school" if comment_school else "district",
            },
        )
        shown = comments[comments["comment"].notna()] if not comments.empty else comments
        if shown.empty:
            st.write("No comments to show for this selection.")
        else:
            for item_text, rows in shown.groupby("item_text", sort=False):
                st.markdown(f"**{md(item_text)}**")
                # the same words from several people are one row with their count, most frequent first
                grouped = (
                    rows.groupby("comment", sort=False)
                    .size()
                    .rename("people")
                    .reset_index()
                    .sort_values("people", ascending=False, kind="stable")
                )
                table(
                    grouped,
                    key=f"culture_comments_{abs(hash(item_text))}",
                    file_name="comments",
                    column_config={"people": st.column_config.NumberColumn("times written", format="%d")},
                )
        hidden = len(comments) - len(shown)
        if hidden:
            st.caption(f"{hidden} comment(s) from groups under {comment_min_n} respondents are not shown.")
