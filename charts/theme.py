"""One look for every figure, on screen and in exports: calm colours, large readable type."""
from __future__ import annotations

import functools
import html
from collections.abc import Callable

import pandas as pd
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


# ---------------------------------------------------------------- text from data, inert in every chart
# Plotly reads a subset of HTML in every label, hover and legend (<a href> makes a live link, <b>, <br>,
# <span style>...). Text that came from a file is HTML-escaped on its way into a chart (Plotly shows
# &lt; as "<"), so it is drawn as the characters it holds. The charts' own markup is added afterwards.
DATA_TEXT_COLUMNS = (
    "school_name", "school_id", "course_id", "teacher_id", "section_id", "standard_code", "strand", "description",
    "item_text", "item_id", "comment", "group_value", "construct", "survey_id", "wave", "prior_wave", "stage",
    "domain", "role", "label", "content_area",
)


def inert_text(value):
    """A value from data as text Plotly shows literally (non-strings are returned as they are)."""
    return html.escape(value, quote=False) if isinstance(value, str) else value


def inert_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` with every text column that may hold data (DATA_TEXT_COLUMNS) escaped."""
    columns = [c for c in DATA_TEXT_COLUMNS if c in frame.columns]
    if not columns:
        return frame
    frame = frame.copy()
    for column in columns:
        frame[column] = frame[column].map(inert_text)
    if isinstance(frame.index, pd.Index) and frame.index.dtype == object:
        frame.index = frame.index.map(inert_text)
    return frame


def inert(chart: Callable) -> Callable:
    """Decorate a chart function: its frames' data text columns and its text arguments arrive escaped."""

    def escaped(value):
        if isinstance(value, pd.DataFrame):
            return inert_frame(value)
        return inert_text(value)

    @functools.wraps(chart)
    def wrapper(*args, **kwargs):
        return chart(*(escaped(a) for a in args), **{k: escaped(v) for k, v in kwargs.items()})

    return wrapper
