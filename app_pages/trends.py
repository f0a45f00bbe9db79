"""Trends: is proficiency rising, for whom, by year or term, with its uncertainty drawn."""
from __future__ import annotations

import streamlit as st

from charts.equity import group_label, trend_with_band
from ui import filters
from ui.data import query
from ui.layout import method_footnote
from ui.tables import table

st.title("Trends")
method = st.session_state.get("method")
top = st.columns(5)
area = filters.content_area(top[0], key="trend_area")
group_by = filters.grouping(top[1], key="trend_group", with_all=True)
school = filters.school(top[2], key="trend_school")
grade = filters.grade(top[3], key="trend_grade")
period = top[4].radio("By", ["year", "term"], horizontal=True, key="trend_period")

trend = query("proficiency_trend", {"content_area": area, "group_by": group_by, "school_id": school,
                                    "grade_level": grade, "period": period, "method": method})
if trend.empty:
    st.info("No scored evidence for this selection.")
    st.stop()
trend["period"] = trend["school_year"] + (" " + trend["term"].fillna("") if period == "term" else "")
trend = trend.sort_values(["school_year", "term_order"])
st.plotly_chart(trend_with_band(trend, group_by), width="stretch")
st.caption("Bands are 95% Wilson intervals. A group under 10 students shows no point.")
method_footnote(method)

st.subheader("Change since the prior year")
shown = trend.assign(group=trend["group_value"].map(lambda v: group_label(group_by, v)))
table(
    shown[["period", "group", "n_students", "pct_proficient", "prior_pct", "change_pp", "change_low", "change_high",
           "is_change_significant"]],
    key="trend_change",
    column_config={
        "n_students": "students", "pct_proficient": "% proficient", "prior_pct": "prior year %",
        "change_pp": "change (pp)", "change_low": "95% CI low", "change_high": "95% CI high",
        "is_change_significant": st.column_config.CheckboxColumn("beyond chance?"),
    },
)
