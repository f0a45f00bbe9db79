"""One look for every figure, on screen and in exports: calm colours, large readable type."""

from __future__ import annotations

import functools
import html
from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go

INK = "#1f2a37"
# Text that is de-emphasised still reads at WCAG AA (5.6:1 on white); #9aa5b1 was 2.6:1.
MUTED = "#5f6b7a"
# Okabe-Ito: told apart with every common form of colour blindness. Charts never carry meaning by colour
# alone (labels, patterns or markers say it too).
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]


def styled(figure: go.Figure, height: int = 360) -> go.Figure:
    figure.update_layout(
        height=height,
        margin=dict(l=10, r=10, t=40, b=10),
        font=dict(size=14, color=INK),
        paper_bgcolor="white",
        plot_bgcolor="white",
        colorway=PALETTE,
        hoverlabel=dict(font_size=13),
    )
    # axis text in ink, not Streamlit's grey #808495 (3.7:1 on white, below AA's 4.5:1)
    figure.update_xaxes(showgrid=False, tickfont_color=INK, title_font_color=INK)
    figure.update_yaxes(gridcolor="#e5e9ee", tickfont_color=INK, title_font_color=INK)
    figure.update_layout(legend_font_color=INK)
    return figure


# ---------------------------------------------------------------- text from data, inert in every chart
# Plotly reads a subset of HTML in every label, hover and legend (<a href> makes a live link, <b>, <br>,
# <span style>...). Text that came from a file is HTML-escaped on its way into a chart (Plotly shows
# &lt; as "<"), so it is drawn as the characters it holds. The charts' own markup is added afterwards.
DATA_TEXT_COLUMNS = (
    "school_name",
    "school_id",
    "course_id",
    "teacher_id",
    "section_id",
    "standard_code",
    "strand",
    "description",
    "item_text",
    "item_id",
    "comment",
    "group_value",
    "construct",
    "survey_id",
    "wave",
    "prior_wave",
    "stage",
    "domain",
    "role",
    "label",
    "content_area",
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
