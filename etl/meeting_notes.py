"""PLC meeting notes: the one write the app makes to the warehouse (DESIGN.md section 3, `meeting_notes`).

The app otherwise opens the warehouse read-only for each query and closes it again, so a short write
connection can take the file's lock between two page runs; when a load (or another reader of this process)
holds it, the save waits briefly and then says so. One meeting per team and as-of date: saving again for the
same team and date replaces that meeting's notes (its `meeting_id` is derived from them), so a facilitator
can correct what was typed without leaving two versions behind. Notes are read back through the named
query `plc_meeting_notes` (a student list: notes may name students, so never for the board).
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb

from etl import warehouse

MAX_NOTE_CHARS = 20_000


class NoteError(Exception):
    """The note cannot be saved: bad input, or the warehouse stayed busy."""


@dataclass(frozen=True)
class MeetingNote:
    meeting_id: str
    school_id: str
    team: str
    as_of: date
    notice: str
    wonder: str
    next_steps: str
    created_at: datetime


def meeting_id(school_id: str, team: str, as_of: date) -> str:
    return f"{school_id}|{team}|{as_of.isoformat()}"


def save_meeting_note(db_path: str | Path, school_id: str, team: str, as_of: date | str, notice: str = "",
                      wonder: str = "", next_steps: str = "", wait_seconds: float = 10.0,
                      now: datetime | None = None) -> MeetingNote:
    """Write (or replace) the notes of one team's meeting; returns what was stored."""
    as_of = date.fromisoformat(as_of) if isinstance(as_of, str) else as_of
    if not str(school_id or "").strip() or not str(team or "").strip():
        raise NoteError("a meeting note needs a school and a team")
    texts = {"notice": notice or "", "wonder": wonder or "", "next_steps": next_steps or ""}
    for name, text in texts.items():
        if len(text) > MAX_NOTE_CHARS:
            raise NoteError(f"{name} is longer than {MAX_NOTE_CHARS:,} characters")
    note = MeetingNote(meeting_id(school_id, team, as_of), str(school_id), str(team), as_of,
                       texts["notice"].strip(), texts["wonder"].strip(), texts["next_steps"].strip(),
                       (now or datetime.now()).replace(microsecond=0))
    con = _connect_for_write(Path(db_path), wait_seconds)
    try:
        con.execute("begin transaction")
        con.execute("delete from meeting_notes where meeting_id = $id", {"id": note.meeting_id})
        con.execute(
            "insert into meeting_notes (meeting_id, school_id, team, as_of, notice, wonder, next_steps, created_at) "
            "values ($meeting_id, $school_id, $team, $as_of, $notice, $wonder, $next_steps, $created_at)",
            note.__dict__,
        )
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    finally:
        con.close()
    return note


def _connect_for_write(path: Path, wait_seconds: float) -> duckdb.DuckDBPyConnection:
    """A write connection, waiting while another connection holds the file.

    Between processes DuckDB reports a lock; within the app's own process a read-only connection still open
    on another thread shows up as a different-configuration error. Both pass in moments."""
    if not path.exists():
        raise NoteError(f"no warehouse at {path}")
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            return warehouse.connect(path, read_only=False, wait_seconds=max(0.0, deadline - time.monotonic()))
        except warehouse.WarehouseBusy:
            raise NoteError("the warehouse is busy (a data load is running); try saving again in a moment") from None
        except duckdb.Error as error:
            if "configuration" not in str(error).lower() or time.monotonic() >= deadline:
                raise
            time.sleep(0.2)
