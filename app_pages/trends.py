"""Trends: is proficiency rising, for whom, by year or term, with its uncertainty drawn."""

from __future__ import annotations

import streamlit as st

from answers.proficiency import group_spread_sentences, proficiency_sentences
from answers.words import group_noun, number
from charts.equity import trend_with_band
from ui import filters
from ui.data import query
from ui.figures import chart
from ui.glossary import help_for
from ui.layout import answer, method_footnote
from ui.tables import table
from warehouse.labels import CONTENT_AREA_NAMES, group_label


def shown_number(value, fmt: str = "{:.1f}") -> str:
    """A gated figure for a table: the number, the gate's label, or a dash (never `None`)."""
    figure = number(value)
    if figure is None:
        return value if isinstance(value, str) else "–"
    return fmt.format(figure)


st.title("Trends")
method = st.session_state.get("method")
top = st.columns(5)
area = filters.content_area(top[0], key="trend_area")
group_by = filters.grouping(top[1], key="trend_group", with_all=True)
school = filters.school(top[2], key="trend_school")
grade = filters.grade(top[3], key="trend_grade")
period = top[4].radio("By", ["year", "term"], horizontal=True, key="trend_period")
area_name = CONTENT_AREA_NAMES.get(area, area)

trend = query(
    "proficiency_trend",
    {
        "content_area": area,
        "group_by": group_by,
        "school_id": school,
        "grade_level": grade,
        "period": period,
        "method": method,
    },
)
if trend.empty:
    st.info("No scored evidence for this selection.")
    st.stop()
labels = {v: group_noun(group_label(group_by, v)) for v in trend["group_value"].unique()}
yearly = (
    trend
    if period == "year"
    else query(
        "proficiency_trend",
        {
            "content_area": area,
            "group_by": group_by,
            "school_id": school,
            "grade_level": grade,
            "period": "year",
            "method": method,
        },
    )
)
if group_by == "all":
    answer(proficiency_sentences(yearly, area_name))
else:
    answer(group_spread_sentences(yearly, labels))

trend["period"] = trend["school_year"] + (" " + trend["term"].fillna("") if period == "term" else "")
trend = trend.sort_values(["school_year", "term_order"])
figure = trend_with_band(trend, group_by)
figure.update_layout(title=f"Students proficient in {area_name}, by {'school year' if period == 'year' else 'term'}")
chart(figure, trend, key="trend_chart")
st.caption(
    "Shaded bands: the 95% range of each percent. A group under 10 students shows no point.", help=help_for("95% range")
)
method_footnote(method)

st.subheader("Change since the prior year", help=help_for("percentage points"))
shown = trend.assign(
    group=trend["group_value"].map(labels),
    students=trend["n_students"].map(lambda v: shown_number(v, "{:,.0f}")),
    pct=trend["pct_proficient"].map(lambda v: shown_number(v) + ("%" if number(v) is not None else "")),
    prior=trend["prior_pct"].map(lambda v: shown_number(v) + ("%" if number(v) is not None else "")),
    change=trend["change_pp"].map(lambda v: shown_number(v, "{:+.1f}")),
    change_range=[
        ("–" if number(lo) is None else f"{number(lo):+.1f} to {number(hi):+.1f}")
        for lo, hi in zip(trend["change_low"], trend["change_high"])
    ],
    beyond_chance=trend["is_change_significant"].map(lambda v: "yes" if v is True or str(v) == "True" else "no"),
)
table(
    shown[["period", "group", "students", "pct", "prior", "change", "change_range", "beyond_chance"]],
    key="trend_change",
    column_config={
        "pct": "% proficient",
        "prior": "the year before",
        "change": "change (percentage points)",
        "change_range": "95% range of the change",
        "beyond_chance": "beyond chance?",
    },
)
