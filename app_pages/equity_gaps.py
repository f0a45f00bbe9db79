"""Equity gaps: who is left behind, where, whether it is closing, and whether the method matters."""
from __future__ import annotations

import streamlit as st

from charts.equity import focal_rows, gap_heatmap, gap_trend_lines, group_label
from etl.config import METHODS
from ui import filters
from ui.data import query
from ui.layout import method_footnote
from ui.tables import crossed_table, method_sensitivity
from ui.text import md

st.title("Equity gaps")
method = st.session_state.get("method")
top = st.columns(4)
year = filters.school_year(top[0], key="gaps_year")
area = filters.content_area(top[1], key="gaps_area")
group_by = filters.grouping(top[2], key="gaps_group")
grade = filters.grade(top[3], key="gaps_grade")
params = {"school_year": year, "content_area": area, "group_by": group_by, "grade_level": grade, "method": method}

st.subheader("Gap by school")
st.caption("Each cell: the group's percent proficient minus that of all other students in the same school. "
           "Coloured cells are gaps whose 95% interval excludes zero; grey cells could be chance.")
by_school = focal_rows(query("equity_gaps_by_school", params), group_by)
if by_school.empty:
    st.info("No scored evidence for this selection.")
else:
    st.plotly_chart(gap_heatmap(by_school, group_by, "other students in the school"), width="stretch")

st.subheader("Are the gaps closing?")
trend = focal_rows(query("gap_trend", {k: v for k, v in params.items() if k != "school_year"}), group_by)
if not trend.empty:
    st.plotly_chart(gap_trend_lines(trend, group_by), width="stretch")
    closing = trend[trend["is_closing"] == True]  # noqa: E712 (gated frames hold objects)
    for _, row in closing.iterrows():
        st.success(f"{md(group_label(group_by, row['group_value']))}: gap {row['prior_gap_pp']:+.1f} -> "
                   f"{row['gap_pp']:+.1f} pp in {md(row['school_year'])} (a change beyond its uncertainty).")

st.subheader("Crossed groups")
second = st.selectbox("Cross with", [g for g in filters.EQUITY_GROUPINGS if g != group_by], key="gaps_cross",
                      format_func=lambda g: filters.GROUPING_NAMES[g])
crossed = query("equity_gaps", {**params, "group_by_2": second})
crossed_table(crossed, f"{group_by} x {second}")

st.subheader("Does the calculation method change the conclusion?")
headline = {m: focal_rows(query("equity_gaps", {**params, "method": m}), group_by) for m in METHODS}
method_sensitivity(headline, group_by)
method_footnote(method)
