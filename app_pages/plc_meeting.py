"""PLC data meeting: a team's 45 minutes with its data (docs/architecture.md and docs/access.md).

Choose a team (a school's grade and content area, or a course) and an as-of date: every figure is as it
stood on that date (plc_* queries count only evidence assessed by then), so a meeting can be reproduced
later. The protocol runs top to bottom: what the data shows, what we notice, what we wonder, next steps.
The notes are saved in `meeting_notes` (warehouse/meeting_notes.py); the team's next meeting opens with them and
with what changed since, the same figures then and now. Student lists appear only for the roles docs/access.md
allows; the printable summary carries aggregates and notes, never a student's name. The sections are drawn by
app_pages/parts/plc_meeting.py.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from answers.plc import meeting_sentences
from app_pages.parts import plc_meeting as part
from exports.plc import summary_html
from ui.data import held_open
from ui.layout import answer, method_footnote
from ui.text import md
from warehouse.config import district_config

st.title("PLC data meeting")
st.caption(
    "A team's data meeting: what the data shows, what we notice, what we wonder, and our next steps. "
    "Figures are as they stood on the as-of date, so this meeting can be reproduced later."
)
config = district_config()
method = st.session_state.get("method") or config.calculation_method
calc = {"method": method, "decaying_weight": config.decaying_weight, "most_recent_n": config.most_recent_n}

# Every figure of the meeting, then and now, and the student lists: one open warehouse and its warm cache for
# all of them (ui/data.py). The notes are saved after this block: DuckDB refuses a writer beside a reader.
with held_open():
    meeting = part.choose_meeting()
    st.subheader(f"{md(meeting.team.label)}, {md(meeting.school_name)}: data as of {meeting.as_of:%B %-d, %Y}")
    answer_slot = st.container()  # the meeting's answer, once the focus standards are chosen
    last, this_meeting = part.meeting_notes(meeting)
    now = part.figures(meeting.team, meeting.as_of, calc)
    focus_codes = part.choose_focus(meeting, now["focus"], this_meeting)
    focus_now = now["focus"][now["focus"]["standard_code"].isin(focus_codes)]
    with answer_slot:
        answer(
            meeting_sentences(
                meeting.team.label, meeting.school_name, now["coverage"], focus_now, f"{meeting.as_of:%B %-d, %Y}"
            )
        )
    changes, then = part.last_meeting(meeting, last, now, focus_codes, calc) if last is not None else (None, None)

    st.header("1. What does the data show?")
    part.coverage_cards(meeting.team, now["coverage"], config)
    part.focus_standards(meeting, now, then, last, focus_codes)
    part.continuum_positions(meeting, now, then, last)
    part.student_lists(meeting, focus_codes, calc)

saved = this_meeting.iloc[0] if not this_meeting.empty else None
notes, record, submitted = part.notes_form(meeting, saved, last is not None, config)
if submitted:
    part.save_notes(meeting, notes, record, focus_codes)
elif saved is not None:
    st.caption(f"Notes of this meeting last saved {pd.Timestamp(saved['created_at']):%B %-d, %Y %H:%M}.")

summary = summary_html(
    school_name=meeting.school_name,
    team=meeting.team,
    as_of=meeting.as_of,
    method_label=config.method_label(method),
    focus=focus_now,
    coverage=now["coverage"],
    position=now["position"],
    notes=notes,
    changes=changes,
    last_as_of=last["as_of"] if last is not None else None,
    last_next_steps=last["next_steps"] if last is not None else None,
    reviewed_last=record.get("reviewed_last_next_steps"),
)
part.summary_download(meeting, summary)
method_footnote(method)
