"""Overview: the district at a glance for the chosen school year."""
from __future__ import annotations

import numbers
from datetime import datetime

import streamlit as st

from charts.proficiency import content_area_bars
from ui.data import query
from ui.layout import kpi, method_footnote
from ui.tables import table
from ui.text import md


def _count(value):
    """A count with thousands separators, like every other count; a suppressed cell (None or its label) as is."""
    if isinstance(value, numbers.Number) and not isinstance(value, bool) and value == value:
        return f"{int(value):,}"
    return value


st.title("Overview")
years = query("school_years")["school_year"].tolist()
year = st.selectbox("School year", years, key="overview_year")
method = st.session_state.get("method")

counts = query("overview_counts", {"school_year": year}).iloc[0]
cards = st.columns(4)
kpi(cards[0], "Students", _count(counts["n_students"]))
kpi(cards[1], "Schools", _count(counts["n_schools"]))
kpi(cards[2], "Standards assessed", _count(counts["n_standards_assessed"]),
    "standards with at least one scored piece of evidence")
kpi(cards[3], "Scores recorded", _count(counts["n_scores"]))

st.subheader(f"Students proficient by content area, {md(year)}")
proficiency = query("proficiency_by_content_area", {"school_year": year, "method": method})
if proficiency.empty:
    st.info("No scored evidence for this school year yet.")
else:
    st.plotly_chart(content_area_bars(proficiency), width="stretch")
    method_footnote(method)

st.subheader("Data freshness")
loads = query("latest_load")
if not loads.empty:
    newest = loads["finished_at"].max()
    days = (datetime.now() - newest.to_pydatetime()).days
    st.write(f"Latest load finished {newest:%Y-%m-%d %H:%M} ({days} day(s) ago).")
    table(loads, key="overview_loads", file_name="latest_loads")
