"""PLC system: is the district's system of teams working? Seen from the district (issue 19).

For district leaders and principals (their own schools, as everywhere: the queries are scoped by $school_ids).
Are the meetings happening and regular, do teams record next steps and review them, how do grade bands,
grades, schools and content areas compare, and how did each meeting's focus standards move by the next
meeting (the meeting page's own as-of calculation)? Then professional learning: who took part in which mode,
how staff rate each mode, beside the culture constructs of the same schools. Descriptive throughout.

Glue only (the sections are app_pages/parts/plc_system.py): figures come from the named queries queries/plc_system_*.sql through the gate, the sentences from
answers/plc_system.py, first on the page. Meeting notes are saved between loads without changing the data version, so the
meeting queries are cached on the notes' own stamp as well.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from answers.plc_system import CAVEAT, answer_sentence, meeting_sentence
from app_pages.parts import plc_system as part
from ui import filters
from ui.data import held_open, query
from ui.layout import answer, method_footnote
from warehouse.config import district_config

st.title("PLC system")
answer_slot = st.container()  # the answer goes first; it is written once the figures below are read
st.caption(
    "Are the district's PLC teams meeting, regularly, and following through, and how did the standards "
    "they focus on move between meetings? Teams' own meeting records (saved on the PLC data meeting page), "
    "compared across schools, grade bands and content areas."
)
config = district_config()
method = st.session_state.get("method") or config.calculation_method
calc = {"method": method, "decaying_weight": config.decaying_weight, "most_recent_n": config.most_recent_n}

with held_open():
    top = st.columns([1, 2])
    year = filters.school_year(top[0], key="plc_system_year")
    stamp = query("plc_system_notes_stamp", fresh=True)
    fresh = "|".join(str(v) for v in stamp.iloc[0].tolist()) if not stamp.empty else ""
    schools = query("schools")
    school_names = dict(zip(schools["school_id"], schools["school_name"]))
    teams = query("plc_system_teams", {"school_year": year}, fresh=fresh) if year else pd.DataFrame()

    st.header("Are teams meeting?")
    if teams.empty:
        with answer_slot:
            answer([meeting_sentence(teams, year or "this school year")])
        st.info("No PLC meetings are saved for this school year yet. Teams save them on the PLC data meeting page.")
        part.learning_section(year)
        st.stop()
    part.meeting_cards_and_teams(teams, school_names)

    st.header("How do teams compare?")
    group_by = part.compare_by()
    groups = query("plc_system_by_group", {"school_year": year, "group_by": group_by, **calc}, fresh=fresh)
    with answer_slot:
        answer([meeting_sentence(teams, year), answer_sentence(groups, group_by, school_names)])
    st.caption(CAVEAT)
    part.groups_table(groups, group_by, school_names)

    st.header("Focus standards between meetings")
    part.focus_change(year, calc, fresh, school_names)
method_footnote(method)
part.learning_section(year)
