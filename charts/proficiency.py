"""Proficiency figures: pure functions from gated frames to Plotly figures (no Streamlit)."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from charts.theme import CONTENT_AREA_NAMES, MUTED, PALETTE, inert, styled
from queries.privacy import numeric


@inert
def content_area_bars(frame: pd.DataFrame) -> go.Figure:
    """Percent proficient by content area; suppressed bars are absent and labelled, never drawn."""
    names = frame["content_area"].map(lambda a: CONTENT_AREA_NAMES.get(a, a))
    pct = numeric(frame, "pct_proficient")
    labels = [_label(p, raw) for p, raw in zip(pct, frame["pct_proficient"])]
    hover = [f"n = {n}" for n in frame["n_students"]]
    figure = go.Figure(go.Bar(
        x=names, y=pct.fillna(0), text=labels, textposition="outside", marker_color=PALETTE[0],
        hovertext=hover, hovertemplate="%{x}: %{text} proficient<br>%{hovertext}<extra></extra>",
    ))
    figure.update_yaxes(range=[0, 105], title="% of students proficient", ticksuffix="%")
    return styled(figure)


def _label(value: float, raw) -> str:
    if pd.isna(value):
        return str(raw) if isinstance(raw, str) else "n<10"
    return f"{value:.0f}%"
