"""Public data: the public release as published, the only figures the board audience sees (docs/privacy.md).

Every row comes from the release tables rebuilt with the marts (queries/release/), whoever is looking, so a
leader previews exactly what a board member can obtain. Nothing here is computed from live data.
"""

from __future__ import annotations

import streamlit as st

from ui.data import query
from ui.tables import table
from warehouse.labels import CONTENT_AREA_NAMES, GROUPING_NAMES

STATUS_WORDS = {"shown": "shown", "coded": "rate shown as a band", "rate_withheld": "rate withheld", "hidden": "hidden"}

st.title("Public data")
st.caption(
    "The public release: percent proficient by school year, content area, school and student group, and "
    "staff survey results, with small groups hidden so that no comparison of these tables can single out "
    "a student or a respondent. docs/privacy.md in the repository explains the rules and how they are "
    "checked."
)
controls = st.columns(4)
years = query("school_years", audience="board")["school_year"].tolist()
areas = query("content_areas", audience="board")["content_area"].tolist()
if not years or not areas:
    st.info("Nothing is published yet: the warehouse has no scored evidence.")
    st.stop()
year = controls[0].selectbox("School year", years, key="public_year")
area = controls[1].selectbox(
    "Content area", areas, key="public_area", format_func=lambda a: CONTENT_AREA_NAMES.get(a, a)
)
group_by = controls[2].selectbox(
    "Student group",
    ["all", "is_ell", "is_iep", "is_econ_disadv", "is_504", "race_ethnicity", "gender"],
    key="public_group",
    format_func=lambda g: GROUPING_NAMES[g],
)
by = controls[3].radio(
    "Scope",
    ["district", "school"],
    key="public_by",
    horizontal=True,
    format_func=lambda b: "District" if b == "district" else "Each school",
)

rows = query(
    "public_proficiency", {"school_year": year, "content_area": area, "group_by": group_by, "by": by}, audience="board"
)
rows = rows.assign(status=rows["status"].map(STATUS_WORDS))
table(
    rows[["school_name", "group_value", "n_students", "pct_proficient", "pct_low", "pct_high", "gap_pp", "status"]],
    key="public_rows",
    column_config={
        "school_name": "School",
        "group_value": "Group",
        "n_students": "Students",
        "pct_proficient": "% proficient",
        "pct_low": "95% range from",
        "pct_high": "95% range to",
        "gap_pp": "Gap to other students (percentage points)",
        "status": "Published as",
    },
)

st.subheader("Staff survey")
culture = query("survey_construct_trend", {"by": by}, audience="board")
if culture.empty:
    st.info("No staff survey is published.")
else:
    table(
        culture[["wave", "school_name", "construct", "n_respondents", "pct_favorable"]],
        key="public_survey",
        column_config={
            "wave": "Wave",
            "school_name": "School",
            "construct": "Construct",
            "n_respondents": "Respondents",
            "pct_favorable": "% who view it favorably",
        },
    )
