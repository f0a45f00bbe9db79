"""The sections of the PLC system page (app_pages/plc_system.py): how teams meet, how groups of teams compare,
how focus standards moved between meetings, and professional learning. Figures from the named queries
queries/plc_system_*.sql through the gate; meeting queries are cached on the notes' own stamp (`fresh`)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from answers.plc_system import GROUPINGS, team_label
from charts.plc_system import participation_by_month, regularity_and_change
from ui.data import held_open, query
from ui.figures import chart
from ui.glossary import help_for
from ui.tables import table
from ui.text import md
from warehouse.labels import CONTENT_AREA_NAMES


def as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Gated columns mix numbers and labels (`n<10`, `>=95%`): shown as text, a hidden figure as a blank."""
    mixed = [c for c in frame.columns if frame[c].dtype == object]
    return frame.assign(
        **{
            c: frame[c].map(lambda v: "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v))
            for c in mixed
        }
    )


def learning_section(year: str | None) -> None:
    """Participation by mode and school over time, beside staff views of each mode and the culture constructs."""
    st.header("Professional learning: who took part, and how staff rate each mode")
    st.caption(
        "Offerings loaded with `python -m etl load learning FILE`, beside the staff's views of each mode (survey "
        "items tagged with a mode in the item map) and the culture constructs of the same schools. Side by side, "
        "descriptive: none of it says one caused the other."
    )
    with held_open():
        participation = query("plc_system_learning_participation", {"school_year": year})
        views = query("plc_system_learning_views", {"by": "school"})
        waves = query("survey_waves")
    if participation.empty:
        st.info("No professional-learning offerings are loaded for this school year.")
    else:
        chart(participation_by_month(participation), participation, key="plc_system_learning_chart")
        per_school = participation.pivot_table(
            index="school_name", columns="mode", values="n_participants", aggfunc="sum", fill_value=0
        )
        left, middle, right = st.columns(3)
        left.markdown("**Participants by school and mode** (this school year)")
        with left:
            table(per_school, key="plc_system_learning_table", hide_index=False)
        middle.markdown("**Staff who find each mode useful** (% favorable)")
        useful = views[views["question"] == "learning_useful"] if not views.empty else views
        if useful.empty:
            middle.info("No survey items are tagged with a mode yet (item map column `mode`).")
        else:
            latest = useful[useful["wave"] == useful["wave"].max()]
            with middle:
                table(
                    latest.pivot_table(index="school_name", columns="mode", values="pct_favorable", aggfunc="first"),
                    key="plc_system_views_table",
                    hide_index=False,
                )
            more = views[(views["question"] == "learning_want_more") & (views["wave"] == useful["wave"].max())]
            if not more.empty:
                middle.caption(
                    "Want more of it (% favorable): "
                    + ", ".join(
                        f"{md(mode)} {pd.to_numeric(rows['pct_favorable'], errors='coerce').mean():.0f}%"
                        for mode, rows in more.groupby("mode")
                    )
                    + " (mean of the schools shown)."
                )
        right.markdown("**Culture constructs of the same schools** (% favorable)")
        culture_surveys = waves[~waves["survey_id"].isin(views["survey_id"])] if not views.empty else waves
        if culture_surveys.empty:
            right.info("No staff culture survey is loaded.")
        else:
            per_survey = culture_surveys.groupby("survey_id")["wave"].nunique()
            survey = sorted(per_survey.index, key=lambda s: (per_survey[s], s))[-1]
            with held_open():
                culture = query("survey_construct_trend", {"survey_id": survey})
            culture = culture[culture["wave"] == culture["wave"].max()] if not culture.empty else culture
            if culture.empty:
                right.info("No construct scores in this survey.")
            else:
                with right:
                    table(
                        culture.pivot_table(
                            index="school_name", columns="construct", values="pct_favorable", aggfunc="first"
                        ),
                        key="plc_system_culture_table",
                        hide_index=False,
                    )


def meeting_cards_and_teams(teams: pd.DataFrame, school_names: dict) -> None:
    """How often each team met, how regularly, and whether it recorded and reviewed next steps."""
    cards = st.columns(4)
    cards[0].metric("Teams that met", f"{len(teams)}")
    cards[1].metric("Meetings", f"{int(teams['n_meetings'].sum())}")
    days = pd.to_numeric(teams["median_days_between"], errors="coerce")
    cards[2].metric(
        "Median days between meetings (median team)",
        "–" if days.dropna().empty else f"{days.median():.0f}",
        help=help_for("days between meetings"),
    )
    cards[3].metric(
        "Meetings with next steps",
        f"{100 * teams['n_with_next_steps'].sum() / teams['n_meetings'].sum():.0f}%",
        help=help_for("next steps reviewed"),
    )
    shown = teams.assign(team_name=[team_label(r, school_names) for r in teams.to_dict("records")])
    table(
        shown[
            [
                "team_name",
                "grade_band",
                "n_meetings",
                "meetings_per_month",
                "median_days_between",
                "pct_with_next_steps",
                "pct_next_reviewed",
                "n_followed_up",
                "median_participants",
                "first_met_on",
                "last_met_on",
            ]
        ],
        key="plc_system_teams_table",
        column_config={
            "team_name": "team",
            "grade_band": "grade band",
            "n_meetings": "meetings",
            "meetings_per_month": "meetings a month",
            "median_days_between": "median days between",
            "pct_with_next_steps": "% with next steps",
            "pct_next_reviewed": "% next steps reviewed at the next meeting",
            "n_followed_up": "next steps followed up",
            "median_participants": "median participants",
            "first_met_on": "first meeting",
            "last_met_on": "latest meeting",
        },
    )
    st.caption(
        "Meetings a month: meetings over the calendar months from a team's first meeting to its latest. "
        "Reviewed: of the meetings with next steps and a later meeting that recorded whether it reviewed "
        "them. Staff records only; no figure about students."
    )


def compare_by() -> str:
    """The grouping teams are compared by (school, grade band, grade, content area)."""
    return st.radio(
        "Compare by",
        list(GROUPINGS),
        horizontal=True,
        key="plc_system_group_by",
        format_func=lambda g: GROUPINGS[g].capitalize(),
    )


def groups_table(groups: pd.DataFrame, group_by: str, school_names: dict) -> None:
    """Groups of teams side by side, and how regularity goes with the focus standards' change."""
    if not groups.empty:
        label = {"school": lambda v: school_names.get(v, v), "content_area": lambda v: CONTENT_AREA_NAMES.get(v, v)}
        named = groups.assign(group=[label.get(group_by, str)(v) for v in groups["group_value"]])
        table(
            as_text(named)[
                [
                    "group",
                    "n_teams",
                    "n_meetings",
                    "meetings_per_month",
                    "median_days_between",
                    "pct_with_next_steps",
                    "pct_next_reviewed",
                    "n_meeting_pairs",
                    "n_students",
                    "mean_change_points",
                ]
            ],
            key="plc_system_groups_table",
            column_config={
                "group": GROUPINGS[group_by],
                "n_teams": "teams",
                "n_meetings": "meetings",
                "meetings_per_month": "meetings a month (mean team)",
                "median_days_between": "median days between",
                "pct_with_next_steps": "% with next steps",
                "pct_next_reviewed": "% next steps reviewed",
                "n_meeting_pairs": "meeting pairs",
                "n_students": "students",
                "mean_change_points": "focus standards: change by the next meeting (points)",
            },
        )
        plotted = named.assign(
            days=pd.to_numeric(named["median_days_between"], errors="coerce"),
            change=pd.to_numeric(named["mean_change_points"], errors="coerce"),
        ).dropna(subset=["days", "change"])
        if not plotted.empty:
            chart(regularity_and_change(plotted), plotted, key="plc_system_group_chart")


def focus_change(year: str, calc: dict, fresh: str, school_names: dict) -> None:
    """Each meeting's focus standards at its as-of date and at the next meeting's."""
    st.caption(
        help_for("focus standards change")
        + " For each meeting that chose focus standards: the team's percent proficient on them and the pieces "
        "of evidence, at that meeting's as-of date and at the next meeting's, calculated as the PLC data "
        "meeting page does (only evidence dated by each date counts)."
    )
    change = query("plc_system_focus_change", {"school_year": year, **calc}, fresh=fresh)
    if change.empty:
        st.info("No meeting with focus standards has a later meeting yet.")
    else:
        change = change.assign(team_name=[team_label(r, school_names) for r in change.to_dict("records")])
        table(
            as_text(change)[
                [
                    "team_name",
                    "met_on",
                    "next_met_on",
                    "days_to_next",
                    "focus_standards",
                    "n_students",
                    "pct_proficient_at",
                    "pct_proficient_next",
                    "change_points",
                    "n_evidence_at",
                    "n_evidence_next",
                ]
            ],
            key="plc_system_change_table",
            column_config={
                "team_name": "team",
                "met_on": "meeting",
                "next_met_on": "next meeting",
                "days_to_next": "days to the next",
                "focus_standards": "focus standards",
                "n_students": "students",
                "pct_proficient_at": "% proficient then",
                "pct_proficient_next": "% proficient at the next meeting",
                "change_points": "change (points)",
                "n_evidence_at": "pieces then",
                "n_evidence_next": "pieces at the next meeting",
            },
        )
