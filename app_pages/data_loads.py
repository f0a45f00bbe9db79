"""Data loads: what went into the warehouse, and what was rejected and why."""
from __future__ import annotations

import streamlit as st

from ui.data import query
from ui.tables import table

st.title("Data loads")
st.write("Each file loaded with `python -m etl load`, with the rows read, loaded and rejected. "
         "A refused file changes nothing and is not listed here.")
table(query("load_history"), key="load_history")
st.subheader("Rejected rows by reason")
rejects = query("reject_reasons")
if rejects.empty:
    st.success("No rows were rejected.")
else:
    table(rejects, key="reject_reasons")
