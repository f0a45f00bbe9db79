"""Data loads: how fresh the data is, what went into the warehouse, what each load replaced, and what was
rejected and why."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from ui.data import query
from ui.tables import table

KIND_NAMES = {
    "continuum": "Standards continuum",
    "roster": "Student roster",
    "gradebook": "Gradebook",
    "survey": "Staff survey",
    "rubric": "Implementation ratings",
}
LOAD_COLUMNS = {
    "load_id": st.column_config.NumberColumn("load", format="%d"),
    "kind": "what",
    "format": "file format",
    "file_name": "file",
    "rows_read": st.column_config.NumberColumn("rows read", format="localized"),
    "rows_loaded": st.column_config.NumberColumn("rows loaded", format="localized"),
    "rows_rejected": st.column_config.NumberColumn("rows rejected", format="localized"),
    "status": "result",
    "finished_at": st.column_config.DatetimeColumn("finished", format="YYYY-MM-DD HH:mm"),
    "message": "message",
}

st.title("Data loads")
loads = query("latest_load")
if not loads.empty:
    newest = loads["finished_at"].max()
    days = (datetime.now() - newest.to_pydatetime()).days
    st.markdown(
        f"The newest data was loaded on **{newest:%B %-d, %Y} at {newest:%H:%M}** "
        f"({'today' if days == 0 else f'{days:,} day' + ('' if days == 1 else 's') + ' ago'})."
    )
    st.subheader("Data freshness: the latest load of each kind")
    table(
        loads.assign(kind=loads["kind"].map(lambda k: KIND_NAMES.get(k, k))),
        key="latest_loads",
        column_config=LOAD_COLUMNS,
    )

st.subheader("Every load")
st.write(
    "Each file loaded with `python -m etl load`, with the rows read, loaded and rejected, and what it "
    "replaced: a re-export replaces the rows it covers (a gradebook its school years and sections) instead "
    "of adding to them. A refused file changes nothing and is not listed here."
)
history = query("load_history")
table(
    history.assign(kind=history["kind"].map(lambda k: KIND_NAMES.get(k, k)), message=history["message"].fillna("")),
    key="load_history",
    column_config=LOAD_COLUMNS,
)
changes = query("load_demographic_changes")
if not changes.empty:
    st.subheader("Students whose demographics changed, by roster load")
    st.caption(
        "A roster replaces its school year's enrollments of the schools it lists; these are the students "
        "whose race/ethnicity, ELL, IEP, 504, economic status or gender differ from the roster before."
    )
    table(changes, key="load_demographic_changes")
st.subheader("Rejected rows by reason")
rejects = query("reject_reasons")
if rejects.empty:
    st.success("No rows were rejected.")
else:
    table(rejects, key="reject_reasons", column_config={c: c.replace("_", " ") for c in rejects.columns})
