"""Entry point: page config, who is looking, shared filters, navigation (docs/architecture.md)."""

from __future__ import annotations

import streamlit as st

from ui.auth import account_box, forget_viewer, hold_navigation, require_viewer
from ui.data import held_open, warehouse_state
from ui.layout import empty_state, mode_notice
from ui.navigation import pages_for
from warehouse.config import METHODS, district_config

# The table toolbar's own CSV download would carry cells as they are (formulas included): ui/tables.py offers
# a formula-safe download instead. Set here too, so a server started without the repo's config keeps it off.
st.set_option("client.disableDataExport", True)
st.set_page_config(page_title="District Proficiency Dashboard", page_icon=":material/school:", layout="wide")

forget_viewer()  # nothing from an earlier run decides who is looking in this one
state = warehouse_state()
st.session_state["warehouse_state"] = state
if state.status != "ready":
    # Nothing from the warehouse can be shown yet, so nobody needs to sign in to read why.
    hold_navigation()
    empty_state(state)
    st.stop()

# Who is looking, decided on the server on every run from the signed-in identity and the access file
# (ui/auth.py). Sign-in and refusal stop the run here, before navigation and before any query.
viewer = require_viewer(state.is_demo)
entries = {p.path: p for p in pages_for(viewer.role)}
pages = [st.Page(p.path, title=p.title, icon=p.icon, default=p.is_default) for p in entries.values()]
page = st.navigation(pages)

with st.sidebar:
    config = district_config()
    if viewer.role != "board":  # the board reads the public release, computed with the district's method only
        st.selectbox(
            "Calculation method",
            list(METHODS),
            index=list(METHODS).index(config.calculation_method),
            format_func=lambda m: METHODS[m],
            key="method",
            help="How a student's evidence on a standard becomes one score (docs/glossary.md, calculation method).",
        )
    account_box(viewer)

mode_notice(viewer.mode, state.is_demo)
entry = next((e for e in entries.values() if e.title == page.title), None)
if entry is not None and entry.saves_to_warehouse:
    page.run()  # it holds the warehouse open itself around its queries, and saves after
else:
    with held_open():  # a page's dozen queries share one open warehouse and its warm cache
        page.run()
