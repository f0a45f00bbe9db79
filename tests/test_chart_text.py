"""Every chart has a text alternative (charts/describe.py) and its data beside it (ui/figures.py)."""

from __future__ import annotations

import ast
from pathlib import Path

import plotly.graph_objects as go

from charts.describe import describe

REPO = Path(__file__).resolve().parents[1]


def test_bars_say_their_highest_and_lowest():
    figure = go.Figure(go.Bar(x=["Math", "ELA", "Science"], y=[47.3, 51.0, 50.7]))
    figure.update_layout(title="Students proficient, 2025-26")
    assert describe(figure) == "Students proficient, 2025-26: 3 values, highest ELA (51), lowest Math (47.3)."


def test_a_hidden_value_is_left_out_as_the_chart_leaves_it_out():
    figure = go.Figure(
        go.Bar(y=["English learners", "Not English learners", "n<10 group"], x=[33.0, 49.2, None], orientation="h")
    )
    assert "n<10" not in describe(figure) and "lowest English learners (33)" in describe(figure)


def test_lines_say_where_each_series_starts_and_ends():
    figure = go.Figure(go.Scatter(x=["2023-24", "2025-26"], y=[44.4, 50.7], mode="lines+markers", name="Science"))
    assert describe(figure) == "Science: 44.4 at 2023-24 to 50.7 at 2025-26."


def test_nothing_to_show_says_so():
    assert describe(go.Figure()) == "No figure to show."


def test_every_chart_on_a_page_has_its_text_alternative():
    """A page draws a chart through ui.figures.chart (alt text, caption, Show data) or gives `alt` itself."""
    missing = []
    for path in sorted((REPO / "app_pages").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "plotly_chart":
                if "alt" not in {k.arg for k in node.keywords}:
                    missing.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert missing == []


def test_the_caption_and_the_data_are_shown_inert():
    from streamlit.testing.v1 import AppTest

    def page():
        import pandas as pd
        import plotly.graph_objects as go

        from ui.figures import chart

        frame = pd.DataFrame({"school": ["**Bold** <b>School</b>", "Plain"], "pct": [40.0, 60.0]})
        chart(go.Figure(go.Bar(x=frame["school"], y=frame["pct"])), frame, key="c")

    at = AppTest.from_function(page).run()
    assert not at.exception, [e.value for e in at.exception]
    caption = at.caption[0].value
    assert "\\*\\*Bold\\*\\*" in caption and "<b>" not in caption  # escaped: shown as typed, never as Markdown
    assert at.expander[0].label == "Show data" and len(at.dataframe[0].value) == 2
