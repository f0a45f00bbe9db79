"""The tiles of the Overview page (app_pages/overview.py): proficiency by content area, the largest gaps,
implementation stages and trust, each with a link to the page that answers it."""

from __future__ import annotations

import numbers

import streamlit as st

from answers.culture import construct_sentences, stage_sentence
from answers.words import group_noun, number, pct, points
from charts.describe import describe
from charts.equity import focal_rows
from charts.proficiency import sparkline
from queries.privacy import NotAllowed
from ui.auth import current_viewer
from ui.data import query
from ui.glossary import help_for
from ui.navigation import pages_for
from warehouse.gated_cells import hidden_label
from warehouse.labels import CONTENT_AREA_NAMES, GROUPING_NAMES, group_label

GAP_GROUPINGS = ("is_ell", "is_iep", "is_econ_disadv", "race_ethnicity")


def count(value):
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


def proficiency_tiles(trends: dict) -> None:
    """A tile per content area: the latest percent proficient, its change and a sparkline."""
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
            line = sparkline(trend)  # the tile's figure says it in words; the line is its picture, alt text alone
            column.plotly_chart(
                line,
                width="stretch",
                key=f"overview_trend_{area}",
                config={"displayModeBar": False},
                alt=describe(line),
            )


def largest_gaps(year: str, areas: list[str], method) -> None:
    """The three largest gaps of groups of 30 or more students, in math when there is math."""
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


def implementation_stages() -> None:
    st.markdown("**Implementation stages**", help=help_for("implementation stage"))
    stages = maybe("implementation_stages", {})
    sentence = stage_sentence(stages) if stages is not None else None
    st.text(sentence or "No implementation ratings are loaded yet.")
    link(st, "app_pages/culture.py", "Culture & voice")


def trust() -> None:
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
