"""One look for every figure, on screen and in exports: calm colours, large readable type."""
from __future__ import annotations

import plotly.graph_objects as go

INK = "#1f2a37"
MUTED = "#9aa5b1"
PALETTE = ["#2f6690", "#d1495b", "#edae49", "#3a7d44", "#7d5ba6", "#00798c", "#8c6d46"]
CONTENT_AREA_NAMES = {"math": "Math", "ela": "ELA", "science": "Science"}


def styled(figure: go.Figure, height: int = 360) -> go.Figure:
    figure.update_layout(
        height=height, margin=dict(l=10, r=10, t=40, b=10), font=dict(size=14, color=INK),
        paper_bgcolor="white", plot_bgcolor="white", colorway=PALETTE, hoverlabel=dict(font_size=13),
    )
    figure.update_xaxes(showgrid=False)
    figure.update_yaxes(gridcolor="#e5e9ee")
    return figure
