"""Culture & Voice: staff survey constructs by school and over time, item answers, whether leaders and
teachers see the same school, response rates, implementation stages, and culture beside results, one tab
each, computed only when opened. The sections are drawn by app_pages/parts/culture.py."""

from __future__ import annotations

import streamlit as st

from answers.culture import construct_sentences, stage_sentence
from app_pages.parts import culture as part
from charts.culture import construct_label, role_label
from ui.data import query
from ui.layout import answer
from ui.text import md
from warehouse.config import district_config

st.title("Culture & voice")
st.write(
    "How staff experience the move to proficiency-based learning: trust, shared vision, educator voice, "
    "collaborative learning and beliefs, from the staff survey, beside each school's implementation stage "
    "and results."
)

config = district_config()
survey_min_n, comment_min_n = max(config.survey_min_n, 5), max(config.comment_min_n, 10)
waves = query("survey_waves")
if waves.empty:
    st.info(
        "No staff survey is loaded yet. Load one with `python -m etl load survey FILE` (Google Forms, "
        "SurveyMonkey, Qualtrics or the long CSV), and the invited counts per school and role for response rates."
    )
    st.stop()

top = st.columns(3)
surveys = list(dict.fromkeys(waves["survey_id"]))
if len(surveys) > 1:
    survey = top[0].selectbox("Survey", surveys, key="culture_survey")
else:
    survey = surveys[0]
    top[0].markdown(f"Survey  \n**{md(survey)}**")
survey_waves = waves.loc[waves["survey_id"] == survey, "wave"].tolist()
wave = top[1].selectbox("Wave", survey_waves, index=len(survey_waves) - 1, key="culture_wave")
role = top[2].selectbox(
    "Respondents",
    [None, "teacher", "leader"],
    key="culture_role",
    format_func=lambda r: "All staff" if r is None else role_label(r),
)
constructs = query("survey_constructs", {"survey_id": survey})["construct"].tolist()
constructs = sorted(constructs, key=lambda c: c != "trust")  # Trust first: the construct leaders ask about first
base = {"survey_id": survey}
headline = constructs[0] if constructs else None
if headline is not None:
    answer_trend = query("survey_construct_trend", {**base, "role": role})
    answer_district = query("survey_construct_trend", {**base, "role": role, "construct": headline, "by": "district"})
    answer(
        [
            *construct_sentences(
                answer_district, answer_trend[answer_trend["construct"] == headline], construct_label(headline), wave
            ),
            stage_sentence(query("implementation_stages")),
        ]
    )

selection = part.Selection(survey, wave, role, constructs, survey_min_n, comment_min_n)

# One tab a question, each computed only when it is opened (the answer above reads only its own queries).
sections = {
    "Constructs": [part.constructs_by_school],
    "Items": [part.item_answers, part.comments],
    "Leaders vs teachers": [part.role_gap],
    "Response rates": [part.response_rates],
    "Implementation": [part.implementation_stages],
    "Culture and results": [part.culture_and_results],
}
for tab, draws in zip(st.tabs(list(sections), key="culture_tab", on_change="rerun"), sections.values()):
    with tab:
        if tab.open:
            for draw in draws:
                draw(selection)

st.caption(
    f"Percent favorable: the share of answers in the top two points of a 4- or 5-point scale (top three "
    f"of 7), after reverse-coded items are flipped; N/A answers are left out. Groups under {survey_min_n} "
    f"respondents show n<{survey_min_n} and no figure, and so does the next-smallest group beside them."
)
