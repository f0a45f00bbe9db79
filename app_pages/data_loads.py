"""Data loads: what went into the warehouse, what each load replaced, and what was rejected and why."""
from __future__ import annotations

import streamlit as st

from ui.data import query
from ui.tables import table

st.title("Data loads")
st.write("Each file loaded with `python -m etl load`, with the rows read, loaded and rejected, and what it "
         "replaced: a re-export replaces the rows it covers (a gradebook its school years and sections) instead "
         "of adding to them. A refused file changes nothing and is not listed here.")
table(query("load_history"), key="load_history")
changes = query("load_demographic_changes")
if not changes.empty:
    st.subheader("Students whose demographics changed, by roster load")
    st.caption("A roster replaces its school year's enrollments of the schools it lists; these are the students "
               "whose race/ethnicity, ELL, IEP, 504, economic status or gender differ from the roster before.")
    table(changes, key="load_demographic_changes")
st.subheader("Rejected rows by reason")
rejects = query("reject_reasons")
if rejects.empty:
    st.success("No rows were rejected.")
else:
    table(rejects, key="reject_reasons")
