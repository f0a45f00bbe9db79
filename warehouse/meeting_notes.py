"""PLC meeting notes: the one write the app makes to the warehouse (docs/warehouse.md, `meeting_notes`).

The app otherwise opens the warehouse read-only for each query and closes it again, so a short write
connection can take the file's lock between two page runs; when a load (or another reader of this process)
holds it, the save waits briefly and then says so. One meeting per team and as-of date: saving again for the
same team and date replaces that meeting's notes (its `meeting_id` is derived from them), so a facilitator
can correct what was typed without leaving two versions behind. Notes are read back through the named
query `plc_meeting_notes` (a student list: notes may name students, so never for the board).

A meeting record also keeps what a district leader needs to look across teams (app_pages/plc_system.py): the
day the team met (`held_on`; the as-of date when not given), the team's school year, type, grade or course,
content area and continuum level, its focus standards, who took part (a count by role; names only when
config/district.yaml sets `plc: {record_participant_names: true}`) and whether the team reviewed its last
meeting's next steps. Notes saved before these existed keep loading: the columns are added empty
(warehouse/schema/03_plc_records.sql) and read as unknown.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb

import warehouse
from warehouse.config import district_config
from warehouse.school_years import school_year_of_date

MAX_NOTE_CHARS = 20_000
MAX_ROLE_CHARS = 40
MAX_PARTICIPANTS = 500  # people of one role at one meeting: more is a typing slip


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
    held_on: date | None = None
    school_year: str | None = None
    team_type: str | None = None
    grade_level: int | None = None
    course_id: str | None = None
    content_area: str | None = None
    continuum_level: int | None = None
    focus_standards: tuple[str, ...] = ()
    participants: tuple[tuple[str, int], ...] = ()  # (role, how many), in the order given
    participant_names: tuple[str, ...] = ()
    reviewed_last_next_steps: bool | None = None

    def row(self) -> dict:
        """The values of one meeting_notes row (participants as the two lists of a map)."""
        values = dict(self.__dict__)
        values["focus_standards"] = list(self.focus_standards)
        values["participant_names"] = list(self.participant_names) or None
        values["roles"] = [role for role, _ in self.participants]
        values["counts"] = [count for _, count in self.participants]
        del values["participants"]
        return values


COLUMNS = (
    "meeting_id",
    "school_id",
    "team",
    "as_of",
    "notice",
    "wonder",
    "next_steps",
    "created_at",
    "held_on",
    "school_year",
    "team_type",
    "grade_level",
    "course_id",
    "content_area",
    "continuum_level",
    "focus_standards",
    "participants",
    "participant_names",
    "reviewed_last_next_steps",
)


TYPES = {
    "meeting_id": "varchar",
    "school_id": "varchar",
    "team": "varchar",
    "as_of": "date",
    "notice": "varchar",
    "wonder": "varchar",
    "next_steps": "varchar",
    "created_at": "timestamp",
    "held_on": "date",
    "school_year": "varchar",
    "team_type": "varchar",
    "grade_level": "integer",
    "course_id": "varchar",
    "content_area": "varchar",
    "continuum_level": "integer",
    "focus_standards": "varchar[]",
    "participant_names": "varchar[]",
    "reviewed_last_next_steps": "boolean",
}


def meeting_id(school_id: str, team: str, as_of: date) -> str:
    return f"{school_id}|{team}|{as_of.isoformat()}"


def team_parts(team: str) -> dict:
    """What a team key says: `grade:3:math` is grade 3's math team, `course:ALG1` the ALG1 course team."""
    kind, _, rest = str(team).partition(":")
    if kind == "grade":
        grade, _, area = rest.partition(":")
        return {
            "team_type": "grade",
            "grade_level": int(grade) if grade.isdigit() else None,
            "content_area": area or None,
        }
    if kind == "course":
        return {"team_type": "course", "course_id": rest or None}
    return {}


def build_note(
    school_id: str,
    team: str,
    as_of: date | str,
    notice: str = "",
    wonder: str = "",
    next_steps: str = "",
    *,
    held_on: date | str | None = None,
    content_area: str | None = None,
    continuum_level: int | None = None,
    focus_standards=(),
    participants: dict | None = None,
    participant_names=(),
    reviewed_last_next_steps: bool | None = None,
    now: datetime | None = None,
) -> MeetingNote:
    """A checked meeting record, or NoteError saying what is wrong with it."""
    as_of = _day(as_of, "the as-of date")
    held_on = _day(held_on, "the meeting date") if held_on else as_of
    if not str(school_id or "").strip() or not str(team or "").strip():
        raise NoteError("a meeting note needs a school and a team")
    texts = {"notice": notice or "", "wonder": wonder or "", "next_steps": next_steps or ""}
    for name, text in texts.items():
        if len(text) > MAX_NOTE_CHARS:
            raise NoteError(f"{name} is longer than {MAX_NOTE_CHARS:,} characters")
    names = tuple(n.strip() for n in participant_names or () if str(n).strip())
    if names and not district_config().record_participant_names:
        raise NoteError(
            "this district records who took part as a count by role, not by name "
            "(config/district.yaml plc: record_participant_names)"
        )
    parts = team_parts(team)
    return MeetingNote(
        meeting_id(school_id, team, as_of),
        str(school_id),
        str(team),
        as_of,
        texts["notice"].strip(),
        texts["wonder"].strip(),
        texts["next_steps"].strip(),
        (now or datetime.now()).replace(microsecond=0),
        held_on=held_on,
        school_year=school_year_of_date(as_of),
        team_type=parts.get("team_type"),
        grade_level=parts.get("grade_level"),
        course_id=parts.get("course_id"),
        content_area=content_area or parts.get("content_area"),
        continuum_level=int(continuum_level) if continuum_level is not None else None,
        focus_standards=tuple(dict.fromkeys(str(c).strip() for c in focus_standards or () if str(c).strip())),
        participants=_participants(participants or {}),
        participant_names=names,
        reviewed_last_next_steps=None if reviewed_last_next_steps is None else bool(reviewed_last_next_steps),
    )


def _day(value, what: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise NoteError(f"{what} '{value}' is not a date like 2025-10-01") from None


def _participants(by_role: dict) -> tuple[tuple[str, int], ...]:
    out = []
    for role, count in by_role.items():
        role = " ".join(str(role).split()).lower()
        if not role or len(role) > MAX_ROLE_CHARS:
            raise NoteError(f"a participant role is blank or longer than {MAX_ROLE_CHARS} characters")
        if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= MAX_PARTICIPANTS:
            raise NoteError(f"participants ({role}) must be a whole number from 0 to {MAX_PARTICIPANTS}")
        if count:
            out.append((role, count))
    return tuple(out)


def save_meeting_note(
    db_path: str | Path,
    school_id: str,
    team: str,
    as_of: date | str,
    notice: str = "",
    wonder: str = "",
    next_steps: str = "",
    wait_seconds: float = 10.0,
    now: datetime | None = None,
    **record,
) -> MeetingNote:
    """Write (or replace) the notes of one team's meeting; returns what was stored. `record` takes the
    keyword arguments of build_note (held_on, focus_standards, participants, ...)."""
    note = build_note(school_id, team, as_of, notice, wonder, next_steps, now=now, **record)
    con = _connect_for_write(Path(db_path), wait_seconds)
    try:
        con.execute("begin transaction")
        write_notes(con, [note])
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    finally:
        con.close()
    return note


def write_notes(con: duckdb.DuckDBPyConnection, notes: list[MeetingNote]) -> None:
    """Insert or replace these meetings, in the caller's transaction (the demo district plants its own)."""
    if not notes:
        return
    import pandas as pd

    rows = pd.DataFrame([note.row() for note in notes], dtype=object)  # None stays None (not NaN) for ints
    rows["batch_order"] = range(len(rows))  # the same meeting twice in one batch: the later wins
    con.register("notes_frame", rows)
    try:
        con.execute("delete from meeting_notes where meeting_id in (select meeting_id from notes_frame)")
        picked = ", ".join(
            "map(roles::varchar[], counts::integer[])" if c == "participants" else f"{c}::{TYPES[c]}" for c in COLUMNS
        )
        con.execute(
            f"insert into meeting_notes ({', '.join(COLUMNS)}) select {picked} from notes_frame "
            "qualify row_number() over (partition by meeting_id order by batch_order desc) = 1"
        )
    finally:
        con.unregister("notes_frame")


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
