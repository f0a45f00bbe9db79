"""Continuum: which standards we assessed and with how much evidence, for whom, and where students work.
The sections are drawn by app_pages/parts/continuum.py."""

from __future__ import annotations

import streamlit as st

from answers.continuum import coverage_sentences, grade_levels_sentence
from app_pages.parts import continuum as part
from ui import filters
from ui.data import query
from ui.layout import answer, method_footnote
from ui.text import md
from warehouse.config import district_config
from warehouse.labels import CONTENT_AREA_NAMES
from warehouse.roles import STUDENT_ROLES

# docs/access.md: views of one teacher's coverage are for the roles that may see their school's
# students and staff (leaders, principals, PLC facilitators), never for the board.
TEACHER_VIEW_ROLES = STUDENT_ROLES
COLUMN_NAMES = {"grade": "Grade", "course": "Course", "teacher": "Teacher"}

st.title("Continuum")
st.caption(
    "Which standards of the learning continuum have we assessed, do we have enough evidence to call a "
    "student proficient, are some students assessed less than others, and where is each student working "
    "on the continuum?"
)
answer_slot = st.container()  # the page's answer, filled once the coverage is known
role = part.viewer_role()
config = district_config()
method = st.session_state.get("method")

top = st.columns(4)
year = filters.school_year(top[0], key="continuum_year")
area = filters.content_area(top[1], key="continuum_area")
school = filters.school(top[2], key="continuum_school")
grade = filters.grade(top[3], key="continuum_grade")
if year is None or area is None:
    st.info("No scored evidence yet: load a continuum, a roster and a gradebook.")
    st.stop()
area_name = CONTENT_AREA_NAMES.get(area, area)

second = st.columns(4)
views = ["grade"] if school is None else ["grade", "course"] + (["teacher"] if role in TEACHER_VIEW_ROLES else [])
if st.session_state.get("continuum_view") not in views:
    st.session_state.pop("continuum_view", None)
view = second[0].radio(
    "Columns",
    views,
    horizontal=True,
    key="continuum_view",
    format_func=COLUMN_NAMES.get,
    help="Choose a school to compare its courses" + (" or teachers." if role in TEACHER_VIEW_ROLES else "."),
)
min_evidence = int(
    second[3].number_input(
        "Sufficient evidence: pieces per student",
        min_value=1,
        max_value=10,
        value=config.min_evidence,
        key="continuum_min_evidence",
        help="A standard has sufficient evidence when its assessed students have at least "
        "this many pieces of evidence on it on average (one piece per day).",
    )
)
base = {
    "school_year": year,
    "content_area": area,
    "school_id": school,
    "grade_level": grade,
    "min_evidence": min_evidence,
}

# Drill from the school to one course (and, for the roles allowed, one teacher).
course = teacher = None
if school is not None:
    courses = query("continuum_coverage", {**base, "by": "course"})
    course = part.pick(second[1], "Course", sorted(courses["course_id"].dropna().unique()), "continuum_course")
    if role in TEACHER_VIEW_ROLES:
        teachers = query("continuum_coverage", {**base, "by": "teacher", "course_id": course})
        teacher = part.pick(second[2], "Teacher", sorted(teachers["teacher_id"].dropna().unique()), "continuum_teacher")
scoped = {**base, "course_id": course, "teacher_id": teacher}
by = "district" if school is None else {"grade": "school", "course": "course", "teacher": "teacher"}[view]
where = "all schools in view" if school is None else "this school"

# ---------------------------------------------------------------- coverage
st.subheader(f"Coverage of the {md(area_name)} continuum")
summary, whole = part.coverage(scoped, by, view, min_evidence)
if not summary.empty:
    with answer_slot:
        answer([*coverage_sentences(whole, area_name, min_evidence, where), grade_levels_sentence(summary)])

st.subheader("Never assessed this year")
part.never_assessed(scoped, by, year, where)

st.subheader("Opportunity to learn: are some students assessed less?")
group_by = filters.grouping(st, key="continuum_group")
part.opportunity_to_learn(scoped, group_by)

st.subheader("Where students work on the continuum")
position_params = {"school_year": year, "content_area": area, "school_id": school, "method": method}
part.positions(position_params, grade, group_by)

st.subheader("Growth within a standard")
growth_params = {"school_year": year, "content_area": area, "school_id": school, "grade_level": grade}
part.growth_within_a_standard(growth_params, group_by)
method_footnote(method)
