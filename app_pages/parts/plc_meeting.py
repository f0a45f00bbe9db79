"""The sections of the PLC data meeting page (app_pages/plc_meeting.py): the team and its date, last meeting
and what changed since, what the data shows, the student lists, the notes form and the printable summary.
Every figure comes from a named plc_* query through ui/data.py; the meeting's domain (a team, what changed,
the summary) is exports/plc.py."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

import warehouse
from charts.plc import focus_standards_chart, position_chart
from exports.plc import Team, default_as_of, focus_default, what_changed
from queries.privacy import NotAllowed
from queries.runner import run_query
from ui import filters
from ui.auth import current_viewer
from ui.data import effective_audience, query
from ui.figures import chart
from ui.tables import table
from ui.text import md
from warehouse.config import DistrictConfig
from warehouse.gated_cells import as_text, hidden_label, numeric
from warehouse.labels import CONTENT_AREA_NAMES
from warehouse.meeting_notes import NoteError, save_meeting_note, team_parts
from warehouse.roles import STUDENT_ROLES
from warehouse.school_years import school_year_bounds, school_year_of_date

STUDENT_LIST_ROLES = STUDENT_ROLES  # docs/access.md; never the board


def read_notes(school_id: str, team_key: str) -> pd.DataFrame:
    """The team's saved notes, read fresh on every run (a save does not change the warehouse's data version,
    so the cached queries of ui/data.py would not see it). Same named query, scope and gate as any other."""
    viewer = current_viewer()
    state = st.session_state.get("warehouse_state")
    con = warehouse.connect(Path(state.path), read_only=True, wait_seconds=5.0)
    try:
        return run_query(
            con,
            "plc_meeting_notes",
            {"school_id": school_id, "team": team_key},
            viewer.scope,
            effective_audience(None, viewer.scope),
        )
    finally:
        con.close()


def as_date(value) -> date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def figures(team: Team, as_of: date, calc: dict) -> dict[str, pd.DataFrame]:
    params = team.params(as_of)
    return {
        "focus": query("plc_focus_standards", {**params, **calc}),
        "coverage": query("plc_coverage", params),
        "position": query("plc_continuum_position", {**params, **calc}),
    }


def natural_order(text: str) -> list:
    """ELA9 before ELA10 before ELA12: digits compare as numbers."""
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", str(text))]


def saved_focus(meeting: pd.DataFrame, level_codes: list[str]) -> list[str]:
    """A reopened meeting starts on the focus standards it was saved with."""
    if meeting.empty or not hasattr(meeting.iloc[0].get("focus_standards"), "__iter__"):
        return []
    return [c for c in meeting.iloc[0]["focus_standards"] if c in level_codes]


def keep_valid(key: str, options: list) -> None:
    """Forget a selection the new options no longer hold (another school or year), so the widget starts over."""
    if key in st.session_state and st.session_state[key] not in options:
        del st.session_state[key]


def metric_text(frame: pd.DataFrame, column: str, fmt: str = "{:.0f}") -> str:
    if frame.empty:
        return "–"
    value = numeric(frame, column).iloc[0]
    raw = frame.iloc[0][column]
    return hidden_label(raw) if pd.isna(value) else fmt.format(value)


PARTICIPANT_ROLES = ("teacher", "specialist", "coach", "administrator")


def meeting_record_inputs(form_key: str, saved, as_of: date, has_last: bool, names_wanted: bool) -> dict:
    """Who took part and whether last meeting's next steps were reviewed: what the PLC system page reads
    (warehouse/meeting_notes.py)."""
    st.markdown("**This meeting**")
    cols = st.columns(len(PARTICIPANT_ROLES) + 1)
    held = saved["held_on"] if saved is not None and "held_on" in saved and as_date(saved["held_on"]) else as_of
    held_on = cols[0].date_input("Held on", value=as_date(held), key=f"{form_key}_held_on")
    before = saved.get("participants") if saved is not None else None
    before = dict(before) if isinstance(before, dict) else {}
    participants = {
        role: int(
            col.number_input(
                f"{role.capitalize()}s",
                min_value=0,
                max_value=500,
                step=1,
                value=int(before.get(role, 0)),
                key=f"{form_key}_n_{role}",
            )
        )
        for col, role in zip(cols[1:], PARTICIPANT_ROLES)
    }
    record = {"held_on": held_on, "participants": participants}
    if names_wanted:
        names = st.text_input("Who took part (names, separated by commas)", key=f"{form_key}_names")
        record["participant_names"] = [n for n in names.split(",") if n.strip()]
    if has_last:
        reviewed = saved.get("reviewed_last_next_steps") if saved is not None else None
        record["reviewed_last_next_steps"] = st.checkbox(
            "We reviewed last meeting's next steps",
            value=bool(reviewed) if pd.notna(reviewed) else False,
            key=f"{form_key}_reviewed",
        )
    return record


@dataclass(frozen=True)
class Meeting:
    """The team and date chosen at the top of the page."""

    school: str
    school_name: str
    year: str
    team: Team
    as_of: date


def open_on_the_last_meeting() -> tuple | None:
    """On a first visit, the widgets start on the team of the latest meeting saved at the viewer's schools (a
    facilitator's own team, where they left it); returns (its school, its team key, its as-of date), the date
    that team's date starts on."""
    if "plc_school" in st.session_state:
        return st.session_state.get("plc_last_meeting")
    latest = query("plc_latest_meeting", fresh=True)
    if latest.empty:
        return None
    row = latest.iloc[0]
    parts = team_parts(row["team"])
    st.session_state["plc_school"] = row["school_id"]
    st.session_state["plc_year"] = row["school_year"]
    st.session_state["plc_kind"] = parts.get("team_type", "grade")
    if parts.get("team_type") == "grade":
        st.session_state["plc_grade"] = parts["grade_level"]
        st.session_state["plc_area"] = parts["content_area"]
    elif parts.get("team_type") == "course":
        st.session_state["plc_course"] = parts["course_id"]
    st.session_state["plc_last_meeting"] = (row["school_id"], row["team"], as_date(row["as_of"]))
    return st.session_state["plc_last_meeting"]


def choose_meeting() -> Meeting:
    """School, year, grade or course team, and as-of date, in one row of widgets (stops the page when the
    selection holds nothing to meet about). A first visit opens on the last meeting saved in the viewer's scope."""
    last_meeting_at = open_on_the_last_meeting()
    top = st.columns([2, 1, 1, 1, 1, 1])
    schools = query("schools")
    if schools.empty:
        st.info("No schools in view yet: load a roster.")
        st.stop()
    school_names = dict(zip(schools["school_id"], schools["school_name"]))
    keep_valid("plc_school", list(school_names))
    school = top[0].selectbox("School", list(school_names), key="plc_school", format_func=school_names.get)
    year = filters.school_year(top[1], key="plc_year")
    teams = query("plc_teams", {"school_id": school, "school_year": year}) if year else pd.DataFrame()
    if teams.empty:
        st.info("No grades or courses with a continuum level at this school in this year yet.")
        st.stop()
    kind = top[2].radio("Team", ["grade", "course"], horizontal=True, key="plc_kind", format_func=str.capitalize)
    team, row = _grade_team(top, teams, school) if kind == "grade" else _course_team(top, teams, school)
    start, end = school_year_bounds(year)
    reopened = None
    if last_meeting_at is not None and last_meeting_at[:2] == (school, team.key) and start <= last_meeting_at[2] <= end:
        reopened = last_meeting_at[2]
    as_of = top[5].date_input(
        "Data as of",
        value=reopened or default_as_of(year, as_date(row["last_assessed_on"])),
        min_value=start,
        max_value=end,
        key=f"plc_as_of_{school}_{year}_{team.key}",
        format="YYYY-MM-DD",
        help="Only evidence assessed on or before this date counts. Dates are year-month-day.",
    )
    return Meeting(school, school_names[school], year, team, as_of)


def _grade_team(top, teams: pd.DataFrame, school: str) -> tuple[Team, pd.Series]:
    grade_teams = teams[teams["team_type"] == "grade"]
    grades = sorted(int(g) for g in grade_teams["grade_level"].dropna().unique())
    keep_valid("plc_grade", grades)
    grade = top[3].selectbox("Grade", grades, key="plc_grade", format_func=lambda g: "K" if g == 0 else str(g))
    areas = grade_teams[grade_teams["grade_level"] == grade]["content_area"].tolist()
    keep_valid("plc_area", areas)
    area = top[4].selectbox("Content area", areas, key="plc_area", format_func=lambda a: CONTENT_AREA_NAMES.get(a, a))
    row = grade_teams[(grade_teams["grade_level"] == grade) & (grade_teams["content_area"] == area)].iloc[0]
    return Team(school, "grade", area, int(row["continuum_level"]), grade_level=grade), row


def _course_team(top, teams: pd.DataFrame, school: str) -> tuple[Team, pd.Series]:
    course_teams = teams[teams["team_type"] == "course"]
    if course_teams.empty:
        st.info("No courses recorded at this school in this year.")
        st.stop()
    keep_valid("plc_course", course_teams["course_id"].tolist())
    course = top[3].selectbox("Course", sorted(course_teams["course_id"].tolist(), key=natural_order), key="plc_course")
    row = course_teams[course_teams["course_id"] == course].iloc[0]
    team = Team(school, "course", row["content_area"], int(row["continuum_level"]), course_id=course)
    top[4].markdown(
        f"**{md(CONTENT_AREA_NAMES.get(team.content_area, team.content_area))}**, continuum level "
        f"{'K' if team.continuum_level == 0 else team.continuum_level}"
    )
    return team, row


def meeting_notes(meeting: Meeting) -> tuple[pd.Series | None, pd.DataFrame]:
    """(the team's last meeting before this date, this date's saved meeting as 0 or 1 rows)."""
    notes = read_notes(meeting.school, meeting.team.key)
    notes["as_of"] = pd.Series([as_date(v) for v in notes["as_of"]], index=notes.index, dtype=object)
    earlier = notes[[d is not None and d < meeting.as_of for d in notes["as_of"]]]
    this_meeting = notes[[d == meeting.as_of for d in notes["as_of"]]]
    return (earlier.iloc[0] if not earlier.empty else None), this_meeting


def choose_focus(meeting: Meeting, focus: pd.DataFrame, this_meeting: pd.DataFrame) -> list[str]:
    """The focus standards: a saved meeting reopens on its own (its own widget); otherwise the choice carries
    over dates."""
    level_codes = focus["standard_code"].tolist()
    reopened_focus = saved_focus(this_meeting, level_codes)
    focus_key = f"plc_focus_{meeting.school}_{meeting.team.key}" + (
        f"_{meeting.as_of.isoformat()}" if reopened_focus else ""
    )
    if st.session_state.get(focus_key) is not None:
        st.session_state[focus_key] = [c for c in st.session_state[focus_key] if c in level_codes]
    labels = dict(zip(level_codes, focus_label(focus)))
    return st.multiselect(
        "Focus standards",
        level_codes,
        default=(reopened_focus or focus_default(focus)) if focus_key not in st.session_state else None,
        key=focus_key,
        format_func=lambda code: labels.get(code, code),
        help="The team's standards of its continuum level, each with its description, the percent of assessed "
        "students proficient and the pieces of evidence; the lowest percent proficient are suggested.",
    )


def focus_label(focus: pd.DataFrame) -> list[str]:
    """`CODE: description (42% proficient, 31 pieces)` for each standard, a hidden figure as its label."""
    described = focus["description"].fillna("").astype(str).map(lambda d: d if len(d) <= 70 else d[:69] + "…")
    pcts = [as_text(v) for v in focus["pct_proficient"]]
    pieces = [as_text(v, "{:,.0f}") for v in focus["n_evidence"]]
    return [
        f"{code}: {text} ({p} proficient, {n} pieces)" if text else f"{code} ({p} proficient, {n} pieces)"
        for code, text, p, n in zip(focus["standard_code"], described, pcts, pieces)
    ]


def last_meeting(
    meeting: Meeting, last: pd.Series, now: dict, focus_codes: list[str], calc: dict
) -> tuple[pd.DataFrame, dict]:
    """Last meeting's notes and what changed since, the same figures then and now."""
    with st.container(border=True):
        st.markdown(f"#### Last meeting: data as of {last['as_of']:%B %-d, %Y}")
        cols = st.columns(3)
        for col, key, title in zip(
            cols, ("notice", "wonder", "next_steps"), ("We noticed", "We wondered", "We committed to")
        ):
            col.markdown(f"**{title}**")
            col.markdown(md(last[key]) or "_(nothing recorded)_")
        then = figures(meeting.team, last["as_of"], calc)
        changes = what_changed(then, now, focus_codes)
        st.markdown(f"**What changed since {last['as_of']:%B %-d, %Y}**")
        if school_year_of_date(last["as_of"]) != school_year_of_date(meeting.as_of):
            st.caption("The last meeting was in another school year: its figures are of that year's students.")
        table(changes.drop(columns=["change_value"]), key="plc_changes", file_name="what_changed")
    return changes, then


def coverage_cards(team: Team, coverage: pd.DataFrame, config: DistrictConfig) -> None:
    cards = st.columns(4)
    cards[0].metric("Team students", metric_text(coverage, "n_students"))
    cards[1].metric(
        "Level standards assessed",
        f"{metric_text(coverage, 'n_assessed')} of {metric_text(coverage, 'n_standards')}",
        help=f"Standards of continuum level {team.continuum_level} with at least one piece of evidence "
        "from a team student by the as-of date.",
    )
    cards[2].metric(
        "With sufficient evidence",
        metric_text(coverage, "n_sufficient"),
        help=f"At least {config.min_evidence} pieces of evidence per assessed student on average.",
    )
    cards[3].metric(
        "Evidence per student per standard", metric_text(coverage, "evidence_per_student_standard", "{:.2f}")
    )


FOCUS_COLUMNS = {
    "standard_code": "standard",
    "strand": "strand",
    "description": st.column_config.TextColumn("description", width="large"),
    "n_students_assessed": "students assessed",
    "pct_proficient": "% proficient",
    "n_evidence": "pieces of evidence",
    "evidence_per_student": "pieces per student",
    "latest_assessed_on": "latest evidence",
}


def focus_standards(meeting: Meeting, now: dict, then: dict | None, last, focus_codes: list[str]) -> None:
    """The focus standards' proficiency and evidence, then and now, and the level's unassessed standards."""
    focus_now = now["focus"][now["focus"]["standard_code"].isin(focus_codes)]
    st.markdown("**Focus standards**: proficiency of the assessed students and the amount of evidence.")
    if focus_now.empty:
        st.info("Choose one or more focus standards above.")
    else:
        then_focus = then["focus"][then["focus"]["standard_code"].isin(focus_codes)] if then is not None else None
        chart(
            focus_standards_chart(
                focus_now,
                then_focus,
                then_label=f"as of {last['as_of']:%b %-d}" if last is not None else "then",
                now_label=f"as of {meeting.as_of:%b %-d}",
            ),
            focus_now,
            key="plc_focus_chart",
        )
        column_config = {k: v for k, v in FOCUS_COLUMNS.items() if k != "strand"}
        table(
            focus_now[list(FOCUS_COLUMNS)],
            key="plc_focus_table",
            file_name="focus_standards",
            column_config=column_config,
        )
    unassessed = now["focus"][~now["focus"]["is_assessed"].astype(bool)]
    if not unassessed.empty:
        listed = ", ".join(md(c) for c in unassessed["standard_code"].head(6)) + (
            ", ..." if len(unassessed) > 6 else ""
        )
        st.caption(
            f"{len(unassessed)} of the level's {len(now['focus'])} standards have no evidence from the team yet "
            f"({listed})."
        )


def continuum_positions(meeting: Meeting, now: dict, then: dict | None, last) -> None:
    st.markdown(
        "**Where the team's students work on the continuum** (highest level proficient on most of its "
        "assessed standards, against their grade's level)."
    )
    positions = now["position"].assign(label=f"as of {meeting.as_of:%b %-d}")
    if then is not None:
        positions = pd.concat(
            [then["position"].assign(label=f"as of {last['as_of']:%b %-d}"), positions], ignore_index=True
        )
    if positions.empty:
        st.info("No calculated scores for the team yet.")
    else:
        chart(position_chart(positions), positions, key="plc_position_chart")


def student_lists(meeting: Meeting, focus_codes: list[str], calc: dict) -> None:
    """The students not yet proficient on the focus standards, and those working off their grade's level: only
    for the roles docs/access.md allows."""
    if current_viewer().role not in STUDENT_LIST_ROLES:
        st.info("Student lists are shown only to district leaders, principals and PLC facilitators.")
        return
    params = {**meeting.team.params(meeting.as_of), **calc}
    st.markdown("**Students not yet proficient on the focus standards**, with their evidence (oldest first).")
    try:
        students = query("plc_student_standards", params) if focus_codes else pd.DataFrame()
    except NotAllowed:
        students = pd.DataFrame()
    if students.empty:
        st.info("Choose focus standards to list the students not yet proficient on them.")
        return
    on_focus = students[students["standard_code"].isin(focus_codes)]
    below = on_focus[(on_focus["n_evidence"] > 0) & ~on_focus["is_proficient"].astype(bool)]
    table(
        with_student_name(below)[["student", "student_id", "standard_code", "score", "n_evidence", "marks"]],
        key="plc_not_yet_proficient",
        file_name="not_yet_proficient",
        column_config={
            "student_id": "id",
            "standard_code": "standard",
            "score": "calculated score",
            "n_evidence": "pieces",
            "marks": st.column_config.TextColumn("evidence", width="large"),
        },
    )
    not_yet = on_focus[on_focus["n_evidence"] == 0].groupby("standard_code").size()
    if not not_yet.empty:
        st.caption("Not yet assessed: " + "; ".join(f"{md(code)}: {n} student(s)" for code, n in not_yet.items()))
    moving = query("plc_student_positions", params)
    off_level = moving[moving["position"].isin(["below", "above"])]
    if not off_level.empty:
        st.markdown("**Students working below or above their grade's level**")
        table(
            with_student_name(off_level)[
                ["student", "student_id", "grade_level", "position", "position_level", "grade_continuum_level"]
            ],
            key="plc_off_level",
            file_name="students_off_grade_level",
            column_config={
                "student_id": "id",
                "grade_level": "grade",
                "position_level": "level proficient",
                "grade_continuum_level": "grade's level",
            },
        )


def with_student_name(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(student=frame["first_name"].fillna("") + " " + frame["last_name"].fillna(""))


PROMPTS = {
    "notice": (
        "2. What do we notice?",
        'Facts from the data, without judging: "Most students not yet proficient on ..."',
    ),
    "wonder": ("3. What do we wonder?", 'Questions the data raises: "Is it the task or the standard?"'),
    "next_steps": ("4. Next steps", "Who does what by when; the next meeting opens with these."),
}


def notes_form(meeting: Meeting, saved, has_last: bool, config: DistrictConfig) -> tuple[dict, dict, bool]:
    """Notice, wonder, next steps and who took part, in one form: (the notes, the meeting record, submitted)."""
    form_key = f"plc_notes_{meeting.school}_{meeting.team.key}_{meeting.as_of.isoformat()}"
    notes = {}
    with st.form(form_key):
        for key, (title, placeholder) in PROMPTS.items():
            st.header(title)
            notes[key] = st.text_area(
                title.split(". ", 1)[-1],
                value=saved[key] if saved is not None else "",
                key=f"{form_key}_{key}",
                label_visibility="collapsed",
                placeholder=placeholder,
            )
        record = meeting_record_inputs(form_key, saved, meeting.as_of, has_last, config.record_participant_names)
        submitted = st.form_submit_button("Save meeting notes", type="primary")
    return notes, record, submitted


def save_notes(meeting: Meeting, notes: dict, record: dict, focus_codes: list[str]) -> None:
    team = meeting.team
    try:
        save_meeting_note(
            st.session_state["warehouse_state"].path,
            meeting.school,
            team.key,
            meeting.as_of,
            notes["notice"],
            notes["wonder"],
            notes["next_steps"],
            content_area=team.content_area,
            continuum_level=team.continuum_level,
            focus_standards=focus_codes,
            **record,
        )
        st.success(
            f"Notes saved for {md(team.label)}, {md(meeting.school_name)}, data as of {meeting.as_of:%B %-d, %Y}. "
            "The team's next meeting opens with them."
        )
    except NoteError as error:
        st.warning(f"Notes not saved: {error}")


def summary_download(meeting: Meeting, summary: str) -> None:
    st.download_button(
        "Printable one-page summary (HTML)",
        summary,
        file_name=f"plc_{meeting.school}_{meeting.team.key.replace(':', '_')}_{meeting.as_of.isoformat()}.html",
        mime="text/html",
        key="plc_summary",
        icon=":material/print:",
        on_click="ignore",
        help="Aggregates and the team's notes only; no student is named. Open it and print (one page).",
    )
