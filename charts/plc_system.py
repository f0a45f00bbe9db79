"""Charts of the PLC system page (app_pages/plc_system.py): pure functions from a gated table to a figure.
Text from data (school names in the group labels) arrives escaped (charts/theme.py `inert`)."""
from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from charts.theme import inert_text


def regularity_and_change(groups: pd.DataFrame) -> go.Figure:
    """A point per group: median days between meetings against the mean change of focus standards."""
    shown = groups.assign(label=groups["group"].map(inert_text))
    figure = px.scatter(shown, x="days", y="change", text="label", size="n_meetings",
                        labels={"days": "median days between meetings",
                                "change": "focus standards' % proficient, change by the next meeting (points)",
                                "label": "group", "n_meetings": "meetings"})
    figure.update_traces(textposition="top center")
    return figure


def participation_by_month(participation: pd.DataFrame) -> go.Figure:
    """Participants in professional learning a month, stacked by mode."""
    by_month = participation.groupby(["month", "mode"], as_index=False)["n_participants"].sum()
    return px.bar(by_month, x="month", y="n_participants", color="mode",
                  labels={"month": "month", "n_participants": "participants", "mode": "mode"})
