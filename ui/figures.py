"""A page's chart with its text alternative and its data: the figure (its alt text the one-line summary of
charts/describe.py), the same line as a caption, and "Show data" with the rows it was drawn from, through the
same formula-safe table as every other table. Text from data is shown inert."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from charts.describe import describe
from ui.tables import table
from ui.text import md


def chart(figure: go.Figure, data: pd.DataFrame | None, key: str, column=st, **options) -> str:
    """Draw `figure` with its summary and, when `data` is given, a "Show data" table of it; returns the summary."""
    summary = describe(figure)
    column.plotly_chart(figure, width="stretch", key=key, alt=summary, **options)
    column.caption(md(summary))
    if data is not None and not data.empty:
        with column.expander("Show data"):
            table(data, key=f"{key}_data", file_name=key)
    return summary
