"""Filters that several pages share; choices come from the warehouse, values live in session state."""

from __future__ import annotations

import streamlit as st

from ui.data import query
from warehouse.labels import CONTENT_AREA_NAMES, GROUPING_NAMES, GROUPINGS

EQUITY_GROUPINGS = list(GROUPINGS)


def school_year(column=st, key: str = "school_year") -> str | None:
    years = query("school_years")["school_year"].tolist()
    return column.selectbox("School year", years, key=key) if years else None


def content_area(column=st, key: str = "content_area") -> str | None:
    areas = query("content_areas")["content_area"].tolist()
    return (
        column.selectbox("Content area", areas, key=key, format_func=lambda a: CONTENT_AREA_NAMES.get(a, a))
        if areas
        else None
    )


def grouping(column=st, key: str = "group_by", with_all: bool = False, label: str = "Student group") -> str:
    options = (["all"] if with_all else []) + EQUITY_GROUPINGS
    return column.selectbox(label, options, key=key, format_func=lambda g: GROUPING_NAMES[g])


def school(column=st, key: str = "school_id") -> str | None:
    schools = query("schools")
    names = dict(zip(schools["school_id"], schools["school_name"]))
    options = [None, *names]
    return column.selectbox("School", options, key=key, format_func=lambda s: "All schools" if s is None else names[s])


def grade(column=st, key: str = "grade_level") -> int | None:
    grades = query("grade_levels")["grade_level"].tolist()
    return column.selectbox(
        "Grade",
        [None, *grades],
        key=key,
        format_func=lambda g: "All grades" if g is None else ("K" if g == 0 else str(g)),
    )
