"""Entry point: page config, who is looking, shared filters, navigation (DESIGN.md section 2)."""
from __future__ import annotations

import streamlit as st

from etl.config import METHODS, district_config
from queries.runner import FULL_SCOPE
from ui.data import warehouse_state
from ui.layout import demo_banner, empty_state
from ui.navigation import pages_for

st.set_page_config(page_title="District Proficiency Dashboard", page_icon=":material/school:", layout="wide")

state = warehouse_state()
st.session_state["warehouse_state"] = state
# Until sign-in lands, every viewer of a local warehouse sees the whole district.
st.session_state["viewer_scope"] = FULL_SCOPE

scope = st.session_state["viewer_scope"]
pages = [st.Page(p.path, title=p.title, icon=p.icon, default=p.is_default) for p in pages_for(scope.role)]
page = st.navigation(pages)

with st.sidebar:
    config = district_config()
    st.selectbox("Calculation method", list(METHODS), index=list(METHODS).index(config.calculation_method),
                 format_func=lambda m: METHODS[m], key="method",
                 help="How a student's evidence on a standard becomes one score (DESIGN.md section 4).")

if state.is_demo:
    demo_banner()
if state.status != "ready":
    empty_state(state)
    st.stop()
page.run()
