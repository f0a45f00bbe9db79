"""Data loads: what went into the warehouse, and what was rejected and why."""
from __future__ import annotations

import streamlit as st

from ui.data import query

st.title("Data loads")
st.write("Each file loaded with `python -m etl load`, with the rows read, loaded and rejected. "
         "A refused file changes nothing and is not listed here.")
st.dataframe(query("load_history"), hide_index=True, width="stretch")
st.subheader("Rejected rows by reason")
rejects = query("reject_reasons")
if rejects.empty:
    st.success("No rows were rejected.")
else:
    st.dataframe(rejects, hide_index=True, width="stretch")
