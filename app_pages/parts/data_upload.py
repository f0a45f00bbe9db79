"""The sections of the Upload data page (app_pages/data_upload.py): what the loader understood of a file, the
column mapping, dry run, load and saved mappings, and the load history with undo. Everything read from a file
is shown inert (st.text, st.code or a dataframe, never Markdown)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

import warehouse
from etl.errors import LoadRefused
from etl.formats import upload_session as session
from etl.load import KINDS, load_file
from warehouse import WarehouseBusy

NONE = "(not in this file)"


def show_understanding(found: session.Understanding) -> dict[str, str | None]:
    detection = found.detection
    st.text(f"Looks like: {detection.reason}")
    if found.saved_mapping:
        st.text(f"Using the saved mapping '{found.saved_mapping}' (made for a file with this header).")
    st.caption("Preview: the first rows as the loader reads them")
    st.text(f"{len(found.preview)} row(s) shown; columns: {', '.join(map(str, found.preview.columns))}")
    st.dataframe(found.preview, hide_index=True, width="stretch")
    chosen: dict[str, str | None] = {}
    if found.can_map:
        st.subheader("Columns")
        st.caption("For each warehouse column, the column of your file it is read from.")
        choices = [NONE, *found.source_columns]
        grid = st.columns(3)
        for i, column in enumerate(session.WAREHOUSE_COLUMNS[found.kind]):
            proposed = found.proposed.get(column)
            with grid[i % 3]:
                picked = st.selectbox(
                    column,
                    choices,
                    index=choices.index(proposed) if proposed in choices else 0,
                    key=f"map_{found.path.name}_{column}",
                )
            chosen[column] = None if picked == NONE else picked
    elif found.is_converted:
        st.caption(f"The {found.file_format} format is rewritten in the warehouse's own columns (shown above).")
    return chosen


def scale_examples(report) -> None:
    if report.mark_examples:
        st.caption("The scale: marks as written and the score each becomes")
        st.dataframe(pd.DataFrame(report.mark_examples, columns=["mark", "score", "rows"]), hide_index=True)


def _write_connection(db_path):
    return warehouse.connect(db_path, wait_seconds=10.0)


def choose_file(paths: list[Path], mappings_dir: Path) -> tuple[str, session.Understanding]:
    """The file, its kind and its format (as detected, or as the person says): (kind, what the loader understood)."""
    names = [p.name for p in paths]
    picked_name = st.selectbox("File", names, key="picked_file")
    path = paths[names.index(picked_name)]
    try:
        first = session.understand(path, mappings_dir=mappings_dir)
        kinds = [k for k in KINDS if k != "rubric"]
        kind = st.selectbox(
            "Kind of file",
            kinds,
            index=kinds.index(first.kind) if first.kind in kinds else 0,
            key=f"kind_{picked_name}",
        )
        formats = session.formats_of(kind)
        default = first.file_format if first.kind == kind and first.file_format in formats else None
        file_format = (
            st.selectbox(
                "Format", formats, index=formats.index(default) if default else 0, key=f"format_{picked_name}_{kind}"
            )
            if formats
            else None
        )
        found = (
            first
            if (kind, file_format) == (first.kind, first.file_format)
            else session.understand(path, kind, file_format)
        )
    except LoadRefused as error:
        st.error("This file cannot be read.")
        st.text(str(error))
        st.stop()
    return kind, found


def dry_run_load_and_save(
    kind: str, found: session.Understanding, chosen: dict, options, db_path, mappings_dir: Path
) -> None:
    """Dry run (nothing written), load (one transaction) and save the mapping for the next file like it."""
    dry, load, save = st.columns(3)
    if dry.button("Dry run", key="dry_run", type="secondary"):
        from etl.dry_run import dry_run

        try:
            con = _write_connection(db_path)
            try:
                report = dry_run(con, kind, found.path, options)
            finally:
                con.close()
            st.session_state["dry_report"] = report
        except (LoadRefused, WarehouseBusy) as error:
            st.session_state["dry_report"] = None
            st.error("Dry run refused")
            st.text(str(error))
    report = st.session_state.get("dry_report")
    if report is not None and report.file_name == found.path.name:
        st.subheader("Dry run: nothing was written")
        st.code("\n".join(report.lines()), language=None)
        scale_examples(report)
    if load.button("Load", key="load", type="primary"):
        progress = st.progress(0.0, text="Opening the warehouse")
        try:
            con = _write_connection(db_path)
            try:
                progress.progress(0.3, text="Reading, checking and writing (one transaction)")
                loaded = load_file(con, kind, found.path, options)
                progress.progress(1.0, text="Loaded; marts rebuilt")
            finally:
                con.close()
            st.session_state["load_report"] = loaded.lines()
        except (LoadRefused, WarehouseBusy) as error:
            progress.empty()
            st.session_state["load_report"] = [f"refused: {error}"]
    if st.session_state.get("load_report"):
        st.subheader("Load report")
        st.code("\n".join(st.session_state["load_report"]), language=None)
    with save.popover("Save this mapping"):
        name = st.text_input("Name", key="mapping_name")
        if st.button("Save", key="save_mapping", disabled=not found.can_map):
            try:
                saved = session.save_mapping(mappings_dir, name, found, chosen)
                st.text(f"Saved as {saved.name}: the next file with this header uses it.")
            except LoadRefused as error:
                st.text(str(error))


def load_history(db_path) -> None:
    """Every load, newest first, and undo for the ones that loaded."""
    try:
        con = warehouse.connect(db_path, read_only=True, wait_seconds=5.0)
        try:
            history = con.execute(
                "select load_id, kind, format, file_name, status, rows_read, rows_loaded, rows_rejected, finished_at "
                "from loads order by load_id desc"
            ).df()
        finally:
            con.close()
    except WarehouseBusy:
        history = pd.DataFrame()
        st.text("The warehouse is busy (a load is running); the history is shown when it is free.")
    st.dataframe(history, hide_index=True, width="stretch")
    undoable = [int(i) for i in history.loc[history["status"] == "loaded", "load_id"]] if len(history) else []
    if undoable:
        target = st.selectbox(
            "Undo load",
            undoable,
            key=f"undo_target_{undoable[0]}",  # a new load: the latest again
            format_func=lambda i: f"{i}: {history.loc[history.load_id == i, 'file_name'].iloc[0]}",
        )
        if st.button("Undo this load", key="undo"):
            from etl.undo import undo_load

            try:
                con = _write_connection(db_path)
                try:
                    st.session_state["undo_report"] = undo_load(con, int(target)).lines()
                finally:
                    con.close()
            except (LoadRefused, WarehouseBusy) as error:
                st.session_state["undo_report"] = [f"refused: {error}"]
            st.rerun()
    if st.session_state.get("undo_report"):
        st.code("\n".join(st.session_state["undo_report"]), language=None)
