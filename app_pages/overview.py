"""Overview: the district's front page. Its answer first (is proficiency rising?), then a tile per question
(proficiency by content area, the largest gaps, implementation stages, trust), each linking to its page.
Data freshness lives on the Data loads page."""

from __future__ import annotations

import numbers

import streamlit as st

from answers.culture import construct_sentences, stage_sentence
from answers.proficiency import proficiency_sentences
from answers.words import group_noun, number, pct, points
from charts.equity import GROUPING_NAMES, focal_rows, group_label
from charts.proficiency import content_area_bars, sparkline
from charts.theme import CONTENT_AREA_NAMES
from queries.privacy import NotAllowed
from ui.auth import current_viewer
from ui.data import query
from ui.glossary import help_for
from ui.layout import answer, kpi, method_footnote
from ui.navigation import pages_for
from warehouse.gated_cells import hidden_label

GAP_GROUPINGS = ("is_ell", "is_iep", "is_econ_disadv", "race_ethnicity")


def _count(value):
    """A count with thousands separators, like every other count; a suppressed cell (None or its label) as is."""
    if isinstance(value, numbers.Number) and not isinstance(value, bool) and value == value:
        return f"{int(value):,}"
    return value


def maybe(name: str, params: dict):
    """A tile's query, or None when this viewer's audience may not ask it (the board reads the public release)."""
    try:
        return query(name, params)
    except NotAllowed:
        return None


def link(column, path: str, label: str) -> None:
    if path in {p.path for p in pages_for(current_viewer().role)}:
        column.page_link(path, label=label, icon=":material/arrow_forward:")


st.title("Overview")
years = query("school_years")["school_year"].tolist()
year = st.selectbox("School year", years, key="overview_year")
method = st.session_state.get("method")
areas = query("content_areas")["content_area"].tolist()

answer_slot = st.container()  # the answer goes first on the page; the counts are drawn while it is computed

counts = query("overview_counts", {"school_year": year}).iloc[0]
cards = st.columns(4)
kpi(cards[0], "Students", _count(counts["n_students"]))
kpi(cards[1], "Schools", _count(counts["n_schools"]))
kpi(
    cards[2],
    "Standards assessed",
    _count(counts["n_standards_assessed"]),
    "standards with at least one scored piece of evidence",
)
kpi(cards[3], "Scores recorded", _count(counts["n_scores"]))

trends = {a: maybe("proficiency_trend", {"content_area": a, "group_by": "all", "method": method}) for a in areas}
trends = {a: t[t["school_year"] <= year] for a, t in trends.items() if t is not None}
trends = {a: t for a, t in trends.items() if not t.empty}
with answer_slot:
    answer([s for a, t in trends.items() for s in proficiency_sentences(t, CONTENT_AREA_NAMES.get(a, a))][:4])

# ---------------------------------------------------------------- proficiency tiles
st.subheader(f"Students proficient by content area, {year}")
if trends:
    tiles = st.columns(len(trends))
    for column, (area, trend) in zip(tiles, trends.items()):
        latest = trend.iloc[-1]
        change = number(latest.get("change_pp"))
        raw = latest["pct_proficient"]  # a suppressed figure shows the gate's label, like every other card
        shown = pct(raw) if number(raw) is not None else hidden_label(raw)
        column.metric(
            CONTENT_AREA_NAMES.get(area, area),
            shown,
            delta=None if change is None else f"{change:+.1f} percentage points",
            delta_color="normal",
            help=help_for("proficient"),
        )
        column.plotly_chart(
            sparkline(trend), width="stretch", key=f"overview_trend_{area}", config={"displayModeBar": False}
        )
proficiency = query("proficiency_by_content_area", {"school_year": year, "method": method})
if proficiency.empty:
    st.info("No scored evidence for this school year yet.")
else:
    st.plotly_chart(content_area_bars(proficiency), width="stretch", key="overview_proficiency")
    method_footnote(method)
link(st, "app_pages/trends.py", "Trends by group, school and grade")

left, middle, right = st.columns(3)
# ---------------------------------------------------------------- largest gaps
with left.container(border=True):
    st.markdown("**Largest gaps**", help=help_for("gap"))
    area = "math" if "math" in areas else (areas[0] if areas else None)
    found = []
    for grouping in GAP_GROUPINGS if area else ():
        rows = maybe("equity_gaps", {"school_year": year, "content_area": area, "group_by": grouping, "method": method})
        if rows is None:
            continue
        for _, row in focal_rows(rows, grouping).iterrows():
            gap, n = number(row["gap_pp"]), number(row["n_students"])
            if gap is not None and n is not None and n >= 30:
                found.append((gap, group_noun(group_label(grouping, row["group_value"])), grouping))
    if not found:
        st.write("No gap to show for this selection.")
    for gap, name, _grouping in sorted(found)[:3]:
        st.text(
            f"{name}: {points(gap)} {'below' if gap < 0 else 'above'} other students in "
            f"{CONTENT_AREA_NAMES.get(area, area)}"
        )
    if found:
        st.caption(f"Groups of 30 or more students, by {', '.join(GROUPING_NAMES[g].lower() for g in GAP_GROUPINGS)}.")
    link(st, "app_pages/equity_gaps.py", "Equity gaps")

# ---------------------------------------------------------------- implementation stages
with middle.container(border=True):
    st.markdown("**Implementation stages**", help=help_for("implementation stage"))
    stages = maybe("implementation_stages", {})
    sentence = stage_sentence(stages) if stages is not None else None
    st.text(sentence or "No implementation ratings are loaded yet.")
    link(st, "app_pages/culture.py", "Culture & voice")

# ---------------------------------------------------------------- trust
with right.container(border=True):
    st.markdown("**Trust**", help=help_for("percent favorable"))
    waves = maybe("survey_waves", {})
    if waves is None or waves.empty:
        st.text("No staff survey is loaded yet.")
    else:
        survey, wave = waves.iloc[-1]["survey_id"], waves.iloc[-1]["wave"]
        district = maybe("survey_construct_trend", {"survey_id": survey, "construct": "trust", "by": "district"})
        if district is None or district.empty:
            st.text("The staff survey has no trust items.")
        else:
            st.text(construct_sentences(district, district.iloc[0:0], "Trust", wave)[0])
    link(st, "app_pages/culture.py", "Culture & voice")
