"""Overview: the district's front page. Its answer first (is proficiency rising?), then a tile per question
(proficiency by content area, the largest gaps, implementation stages, trust), each linking to its page.
Data freshness lives on the Data loads page. The tiles are drawn by app_pages/parts/overview.py."""

from __future__ import annotations

import streamlit as st

from answers.proficiency import proficiency_sentences
from app_pages.parts import overview as part
from charts.proficiency import content_area_bars
from ui.data import query
from ui.figures import chart
from ui.layout import answer, kpi, method_footnote
from warehouse.labels import CONTENT_AREA_NAMES

st.title("Overview")
years = query("school_years")["school_year"].tolist()
year = st.selectbox("School year", years, key="overview_year")
method = st.session_state.get("method")
areas = query("content_areas")["content_area"].tolist()

answer_slot = st.container()  # the answer goes first on the page; the counts are drawn while it is computed

counts = query("overview_counts", {"school_year": year}).iloc[0]
cards = st.columns(4)
kpi(cards[0], "Students", part.count(counts["n_students"]))
kpi(cards[1], "Schools", part.count(counts["n_schools"]))
kpi(
    cards[2],
    "Standards assessed",
    part.count(counts["n_standards_assessed"]),
    "standards with at least one scored piece of evidence",
)
kpi(cards[3], "Scores recorded", part.count(counts["n_scores"]))

trends = {a: part.maybe("proficiency_trend", {"content_area": a, "group_by": "all", "method": method}) for a in areas}
trends = {a: t[t["school_year"] <= year] for a, t in trends.items() if t is not None}
trends = {a: t for a, t in trends.items() if not t.empty}
with answer_slot:
    answer([s for a, t in trends.items() for s in proficiency_sentences(t, CONTENT_AREA_NAMES.get(a, a))][:4])


st.subheader(f"Students proficient by content area, {year}")
part.proficiency_tiles(trends)
proficiency = query("proficiency_by_content_area", {"school_year": year, "method": method})
if proficiency.empty:
    st.info("No scored evidence for this school year yet.")
else:
    chart(content_area_bars(proficiency), proficiency, key="overview_proficiency")
    method_footnote(method)
part.link(st, "app_pages/trends.py", "Trends by group, school and grade")

left, middle, right = st.columns(3)
with left.container(border=True):
    part.largest_gaps(year, areas, method)
with middle.container(border=True):
    part.implementation_stages()
with right.container(border=True):
    part.trust()
