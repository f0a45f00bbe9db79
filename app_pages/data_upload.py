"""Data: upload a district's exports, see what the loader understood, fix it, dry-run, load, undo.

District leaders only (ui/navigation.py). Everything read from a file is shown inert: in st.text,
st.code or a dataframe, never as Markdown. The work itself is etl/formats/upload_session.py,
etl/dry_run.py, etl/load.py and etl/undo.py; this page is glue, its sections app_pages/parts/data_upload.py.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

import warehouse
from app_pages.parts import data_upload as part
from etl.formats import upload_session as session

st.title("Upload data")
st.write(
    "Upload an export (CSV, Excel, JSON, or a OneRoster zip). The page says what it looks like, shows "
    "its first rows as the loader reads them and the column it will use for each warehouse column; "
    "change any that are wrong, run a dry run, then load. A load can be undone below."
)

db_path = warehouse.default_db_path()
if st.session_state.get("warehouse_state") is not None and st.session_state["warehouse_state"].is_demo:
    st.info(
        "This warehouse holds the generated demo district: the page shows what it understands of a file "
        "and runs dry runs, but loads are refused (load your own exports into a warehouse of their own)."
    )
mappings_dir = Path(db_path).with_suffix(".mappings")
if "upload_dir" not in st.session_state:
    st.session_state["upload_dir"] = tempfile.mkdtemp(prefix="data_page_")
upload_dir = Path(st.session_state["upload_dir"])

uploads = st.file_uploader(
    "Export files", accept_multiple_files=True, key="uploads", type=["csv", "txt", "tsv", "xlsx", "json", "zip"]
)
paths = []
for number, upload in enumerate(uploads or []):
    folder = upload_dir / str(number)  # each upload in a folder of its own, under its own name
    folder.mkdir(parents=True, exist_ok=True)
    paths.append(session.keep_upload(upload.name, upload.getvalue(), folder))


if paths:
    kind, found = part.choose_file(paths, mappings_dir)
    chosen = part.show_understanding(found)
    school_year = st.text_input("School year, for files that carry none (e.g. 2025-26)", key="school_year")
    options = session.options_for(found, chosen, school_year=school_year.strip() or None)
    part.dry_run_load_and_save(kind, found, chosen, options, db_path, mappings_dir)

st.divider()
st.subheader("Load history")
part.load_history(db_path)
