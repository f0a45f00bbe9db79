"""Charts of the PLC system page (app_pages/plc_system.py): pure functions from a gated table to a figure, in the
house look (charts/theme.py: Okabe-Ito colours, ink axis text). Text from data (school names in the group labels,
a district's own learning modes) is drawn literally (`inert_text`)."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from charts.theme import PALETTE, inert_text, styled

MODE_NAMES = {
    "plc": "PLC time",
    "coaching": "coaching",
    "workshop": "workshop",
    "peer_observation": "peer observation",
    "online_course": "online course",
}


def regularity_and_change(groups: pd.DataFrame) -> go.Figure:
    """A point per group: median days between meetings against the mean change of focus standards; each point
    carries its group's name, so nothing is said by colour."""
    groups = groups.assign(group=groups["group"].map(inert_text))
    figure = px.scatter(
        groups,
        x="days",
        y="change",
        text="group",
        size="n_meetings",
        color_discrete_sequence=PALETTE[:1],
        labels={
            "days": "median days between meetings",
            "change": "focus standards' % proficient, change by the next meeting (points)",
            "group": "group",
            "n_meetings": "meetings",
        },
        title="Teams that meet more often, and how their focus standards moved",
    )
    figure.update_traces(textposition="top center")
    return styled(figure)


def participation_by_month(participation: pd.DataFrame) -> go.Figure:
    """Participants in professional learning a month, stacked by mode (the legend names each mode)."""
    by_month = participation.groupby(["month", "mode"], as_index=False)["n_participants"].sum()
    by_month["mode"] = by_month["mode"].map(lambda m: inert_text(MODE_NAMES.get(m, str(m).replace("_", " "))))
    figure = px.bar(
        by_month,
        x="month",
        y="n_participants",
        color="mode",
        color_discrete_sequence=PALETTE,
        pattern_shape="mode",
        labels={"month": "month", "n_participants": "participants", "mode": "mode"},
        title="Participants in professional learning, by month and mode",
    )
    return styled(figure)
