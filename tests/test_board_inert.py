"""Text from data on the Board page and in its charts is shown as the characters it holds, never as markup."""

from __future__ import annotations

import pandas as pd

from charts.board import never_assessed_chart, role_gap_chart
from ui.presentation import inert_html

HOSTILE = "<a href='https://evil.example'>x</a><script>alert(1)</script>"


def test_a_headline_is_escaped_and_its_school_years_kept_whole():
    shown = inert_html(f"Gap in {HOSTILE} narrowed since 2023-24")
    assert "<a " not in shown and "<script>" not in shown and "&lt;script&gt;" in shown
    assert '<span style="white-space:nowrap">2023-24</span>' in shown


def test_board_charts_draw_data_text_literally():
    never = never_assessed_chart(pd.DataFrame({"content_area": [HOSTILE], "grade_levels": ["3"]}))
    assert all("<a " not in label and "&lt;a " in label for label in never.data[0].y)
    gaps = role_gap_chart(pd.DataFrame({"construct": [HOSTILE], "leader_pct": [80.0], "teacher_pct": [60.0]}))
    assert all("<script>" not in str(label) for trace in gaps.data for label in trace.y)
