"""Proficiency figures: pure functions from gated frames to Plotly figures (no Streamlit)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from charts.theme import PALETTE, inert, styled
from warehouse.gated_cells import hidden_label, numeric
from warehouse.labels import CONTENT_AREA_NAMES


@inert
def content_area_bars(frame: pd.DataFrame) -> go.Figure:
    """Percent proficient by content area; suppressed bars are absent and labelled, never drawn."""
    names = frame["content_area"].map(lambda a: CONTENT_AREA_NAMES.get(a, a))
    pct = numeric(frame, "pct_proficient")
    labels = [_label(p, raw) for p, raw in zip(pct, frame["pct_proficient"])]
    hover = [f"n = {n}" for n in frame["n_students"]]
    figure = go.Figure(
        go.Bar(
            x=names,
            y=pct.fillna(0),
            text=labels,
            textposition="outside",
            marker_color=PALETTE[0],
            hovertext=hover,
            hovertemplate="%{x}: %{text} proficient<br>%{hovertext}<extra></extra>",
        )
    )
    figure.update_yaxes(range=[0, 105], title="% of students proficient", ticksuffix="%")
    return styled(figure)


def _label(value: float, raw) -> str:
    if pd.isna(value):
        return hidden_label(raw)
    return f"{value:.0f}%"


@inert
def sparkline(trend: pd.DataFrame) -> go.Figure:
    """A small line of percent proficient by school year (proficiency_trend rows), its points labelled, for a tile."""
    years, pct = list(trend["school_year"]), numeric(trend, "pct_proficient")
    figure = go.Figure(
        go.Scatter(
            x=years,
            y=pct,
            mode="lines+markers+text",
            line=dict(color=PALETTE[0], width=3),
            marker=dict(size=7),
            text=[_label(p, raw) for p, raw in zip(pct, trend["pct_proficient"])],
            textposition="top center",
            hovertemplate="%{x}: %{text} proficient<extra></extra>",
            cliponaxis=False,
        )
    )
    values = pct.dropna()
    low, high = (values.min() - 8, values.max() + 8) if not values.empty else (0, 100)
    figure.update_yaxes(visible=False, range=[max(0, low), min(105, high)])
    figure.update_xaxes(type="category", tickfont=dict(size=11))
    styled(figure, height=130)
    figure.update_layout(margin=dict(l=20, r=20, t=20, b=20), showlegend=False)
    return figure
