"""Equity gaps: who is left behind, where, whether it is closing, and whether the method matters.

The answer comes first (answers/gaps.py: direction-aware, so a gap that narrowed because a group fell is
never called closing). The crossed groups and the method comparison sit in their own tabs and run only
when their tab is open.
"""

from __future__ import annotations

import streamlit as st

from answers.gaps import CLOSING, NARROWED_BY_DECLINE, WIDENING, gap_change, gap_sentences
from answers.words import group_noun, number
from charts.equity import focal_rows, gap_bars, gap_trend_lines
from ui import filters
from ui.data import query
from ui.figures import chart
from ui.glossary import help_for
from ui.layout import answer, method_footnote
from ui.tables import crossed_table, method_sensitivity
from warehouse.config import METHODS
from warehouse.labels import CONTENT_AREA_NAMES, group_label

VERDICT_WORDS = {
    CLOSING: "closing",
    NARROWED_BY_DECLINE: "narrowed because a group fell, not closing",
    WIDENING: "widening",
}


def focus_group(rows, group_by: str) -> list:
    """The groups to choose from, the one furthest behind (latest year, 10 or more students) first."""
    latest = rows[rows["school_year"] == rows["school_year"].max()]
    ranked = sorted(latest.itertuples(), key=lambda r: (number(r.gap_pp) is None, number(r.gap_pp) or 0))
    return [r.group_value for r in ranked]


st.title("Equity gaps")
method = st.session_state.get("method")
top = st.columns(4)
year = filters.school_year(top[0], key="gaps_year")
area = filters.content_area(top[1], key="gaps_area")
group_by = filters.grouping(top[2], key="gaps_group")
grade = filters.grade(top[3], key="gaps_grade")
params = {"school_year": year, "content_area": area, "group_by": group_by, "grade_level": grade, "method": method}
area_name = CONTENT_AREA_NAMES.get(area, area)

trend = focal_rows(query("gap_trend", {k: v for k, v in params.items() if k != "school_year"}), group_by)
trend = trend[trend["school_year"] <= year] if year is not None and not trend.empty else trend
if trend.empty:
    st.info("No scored evidence for this selection.")
    st.stop()
choices = focus_group(trend, group_by)
if st.session_state.get("gaps_focus") not in choices:
    st.session_state.pop("gaps_focus", None)
focus = (
    choices[0]
    if len(choices) == 1
    else st.selectbox(
        "Group",
        choices,
        key="gaps_focus",
        format_func=lambda v: group_noun(group_label(group_by, v)),
        help="The group the answer and the charts are about; the one furthest behind comes first.",
    )
)
name = group_noun(group_label(group_by, focus))
focus_trend = trend[trend["group_value"] == focus]
answer(gap_sentences(focus_trend, name, subject=area_name))
change = gap_change(focus_trend, name)
verdict = VERDICT_WORDS.get(change.verdict, "no clear change") if change is not None else "one year only"

tabs = st.tabs(["By school", "Over time", "Crossed groups", "Calculation methods"], key="gaps_tab", on_change="rerun")
with tabs[0]:
    if tabs[0].open:
        st.caption(
            "Each bar: the group's percent proficient minus that of all other students in the same school, "
            "with its 95% range. Solid bars are beyond chance; hatched bars could be chance.",
            help=help_for("gap"),
        )
        by_school = query("equity_gaps_by_school", params)
        by_school = by_school[by_school["group_value"] == focus] if not by_school.empty else by_school
        if by_school.empty:
            st.info("No scored evidence for this selection.")
        else:
            chart(
                gap_bars(by_school, group_by, f"{name}: gap in {area_name} by school, {year}"),
                by_school,
                key="gaps_by_school",
            )
with tabs[1]:
    if tabs[1].open:
        figure = gap_trend_lines(focus_trend, group_by)
        figure.update_layout(title=f"{name}: gap to other students in {area_name}, {verdict}")
        chart(figure, focus_trend, key="gaps_trend")
        st.caption("Bars on each point: the gap's 95% range. The dashed line is no gap.", help=help_for("closing"))
with tabs[2]:
    if tabs[2].open:
        second = st.selectbox(
            "Cross with",
            [g for g in filters.EQUITY_GROUPINGS if g != group_by],
            key="gaps_cross",
            format_func=lambda g: filters.GROUPING_NAMES[g],
        )
        crossed_table(query("equity_gaps", {**params, "group_by_2": second}), f"{group_by} x {second}")
with tabs[3]:
    if tabs[3].open:
        st.caption("The headline gaps under every calculation method.", help=help_for("calculation method"))
        every_method = query("equity_gaps_by_method", {k: v for k, v in params.items() if k != "method"})
        headline = {m: focal_rows(every_method[every_method["method"] == m], group_by) for m in METHODS}
        method_sensitivity(headline, group_by)
method_footnote(method)
