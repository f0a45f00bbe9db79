"""A student's grade level, race and ethnicity, gender and id, from the many ways the systems write them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from etl.normalize.text import as_series, clean_texts, lookup_key, per_distinct
from warehouse.cell_text import clean_text
from warehouse.grade_levels import grade_level_of


def parse_grade_levels(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Grade levels as `Int64` (K=0, 1..12, pre-K=-1) plus a mask of invalid values.

    K, KG, 0K, 00, 0, K5, Kindergarten -> 0. PK, Pre-K, Prekindergarten, TK (transitional
    kindergarten), K4, PK3, PK4, PS, Preschool -> -1 (one step below K on the continuum). `01`..`12`,
    `1st`, `Grade 3`, `3rd Grade`, `Grade 08`, `Gr. 3`, `G3`, `Third grade` -> the number.
    Anything else (13, UG/Ungraded, Adult, 2st, 3.5) is NA and flagged: never coerced. Blank -> NA,
    not flagged (the caller decides whether a grade is required).
    """
    series = as_series(series)

    def classify(value: Any) -> tuple[int | None, bool]:
        grade = grade_level_of(value)
        return grade, grade is None and clean_text(value) is not None

    values, invalid = per_distinct(series, classify, blank=(None, False))
    grades = pd.Series(pd.array(values, dtype="Int64"), index=series.index, name=series.name)
    return grades, pd.Series(invalid, index=series.index, name=series.name)


HISPANIC = "Hispanic or Latino"


AMERICAN_INDIAN = "American Indian or Alaska Native"


ASIAN = "Asian"


BLACK = "Black or African American"


PACIFIC_ISLANDER = "Native Hawaiian or Other Pacific Islander"


WHITE = "White"


TWO_OR_MORE = "Two or more races"


RACE_ETHNICITY_CATEGORIES = (
    HISPANIC,
    AMERICAN_INDIAN,
    ASIAN,
    BLACK,
    PACIFIC_ISLANDER,
    WHITE,
    TWO_OR_MORE,
)


_RACE_SPELLINGS = {
    HISPANIC: [
        "Hispanic or Latino",
        "Hispanic/Latino",
        "Hispanic",
        "Latino",
        "Latina",
        "Latinx",
        "Latine",
        "Hispanic or Latino/a",
        "Hispanic Latino",
        "Hispanic or Latinx",
        "HI7",  # EDFacts permitted value
    ],
    AMERICAN_INDIAN: [
        "American Indian or Alaska Native",
        "American Indian or Alaskan Native",
        "American Indian - Alaska Native",  # Ed-Fi RaceDescriptor
        "American Indian/Alaska Native",
        "American Indian",
        "Alaska Native",
        "Alaskan Native",
        "Native American",
        "Native American or Alaska Native",
        "AI/AN",
        "AIAN",
        "AM7",
    ],
    ASIAN: ["Asian", "Asian American", "AS7"],
    BLACK: [
        "Black or African American",
        "Black - African American",  # Ed-Fi
        "Black/African American",
        "Black",
        "African American",
        "African-American",
        "BL7",
    ],
    PACIFIC_ISLANDER: [
        "Native Hawaiian or Other Pacific Islander",
        "Native Hawaiian - Pacific Islander",  # Ed-Fi
        "Native Hawaiian/Other Pacific Islander",
        "Native Hawaiian/Pacific Islander",
        "Native Hawaiian or Pacific Islander",
        "Pacific Islander",
        "Native Hawaiian",
        "Hawaiian",
        "NHPI",
        "NH/PI",
        "PI7",
    ],
    WHITE: ["White", "Caucasian", "WH7"],
    TWO_OR_MORE: [
        "Two or more races",
        "Two or more",
        "Two or More Races",
        "2 or more races",
        "2 or more",
        "2+",
        "2+ races",
        "Multiracial",
        "Multi-racial",
        "Multi racial",
        "Multiple",
        "Multiple races",
        "Multi",
        "MU7",
    ],
}


RACE_LOOKUP = {lookup_key(s): category for category, spellings in _RACE_SPELLINGS.items() for s in spellings}


# Answers that carry no category: stored as missing like a blank, not reported as unrecognized.
_RACE_NOT_GIVEN = {
    lookup_key(s)
    for s in [
        "Unknown",
        "Not specified",
        "Not reported",
        "Declined",
        "Declined to state",
        "Decline to state",
        "Choose not to respond",
        "Prefer not to say",
        "Prefer not to answer",
        "Refused",
        "N/A",
        "NA",
    ]
}


# `White, Non-Hispanic` and `Black (not Hispanic or Latino)` name a race and deny the ethnicity.
_NOT_HISPANIC = re.compile(r"\(?\b(non|not)[\s-]*hispanic(\s*(or|/)\s*latin[oax]s?)?\b\)?", re.I)


_RACE_LIST_SEPARATORS = re.compile(r"\s*[,;|]\s*|\s+and\s+")


def _descriptor_value(text: str) -> str:
    """`uri://ed-fi.org/RaceDescriptor#White` -> `White`."""
    return text.rsplit("#", 1)[1] if "#" in text else text


def race_ethnicity_of(value: Any, local: Mapping[str, str] | None = None) -> tuple[str | None, bool]:
    """(federal category or None, is_unrecognized) for one cell. `local` maps a district's own
    codes, already keyed by `lookup_key`, to categories (see `local_race_codes`)."""
    text = clean_text(value)
    if text is None:
        return None, False
    key = lookup_key(_descriptor_value(text))
    local = local or {}
    if key in local:
        return local[key], False
    if key in RACE_LOOKUP:
        return RACE_LOOKUP[key], False
    if key in _RACE_NOT_GIVEN:
        return None, False
    return _race_from_list(_descriptor_value(text), local)


def local_race_codes(extra: Mapping[str, str] | None) -> dict[str, str]:
    """A district's own codes ({"A": "Asian"}) as a lookup; each must name a federal category."""
    local = {}
    for code, category in (extra or {}).items():
        federal = RACE_LOOKUP.get(lookup_key(str(category)))
        if federal is None:
            raise ValueError(
                f"race code {code!r} maps to {category!r}, which is not one of the seven "
                f"federal categories ({', '.join(RACE_ETHNICITY_CATEGORIES)})"
            )
        local[lookup_key(str(code))] = federal
    return local


def _race_from_list(text: str, local: Mapping[str, str]) -> tuple[str | None, bool]:
    """`Asian, White` -> Two or more races; `White, Hispanic` -> Hispanic or Latino (the federal
    rule: Hispanic ethnicity comes first, whatever the race); `White, Non-Hispanic` -> White."""
    stripped = _NOT_HISPANIC.sub(" ", text)
    parts = [p for p in _RACE_LIST_SEPARATORS.split(stripped) if p and p.strip(" ()-")]
    if not parts:
        return None, True
    found = set()
    for part in parts:
        key = lookup_key(_descriptor_value(part))
        category = local.get(key) or RACE_LOOKUP.get(key)
        if category is None:
            return None, True
        found.add(category)
    if HISPANIC in found:
        return HISPANIC, False
    if len(found) > 1:
        return TWO_OR_MORE, False
    return found.pop(), False


def map_race_ethnicity(series: pd.Series, extra: Mapping[str, str] | None = None) -> tuple[pd.Series, pd.Series]:
    """Race/ethnicity mapped to the seven federal categories, plus a mask of unrecognized values.

    Accepts the usual spellings, Ed-Fi descriptors (`uri://ed-fi.org/RaceDescriptor#White`,
    `Black - African American`), EDFacts codes (HI7, AM7, AS7, BL7, PI7, WH7, MU7), lists
    (`Asian, White` -> Two or more races; any Hispanic -> Hispanic or Latino) and `..., Non-Hispanic`.
    Blank and "declined/unknown" answers -> None, not flagged. Anything else -> None and flagged.
    Single-letter SIS codes differ between systems (is `A` Asian or American Indian?), so they
    are not guessed: a district names them in `extra` ({"A": "Asian", ...}; any spelling above
    names the category; a category outside the seven raises ValueError).
    """
    series = as_series(series)
    local = local_race_codes(extra)
    values, invalid = per_distinct(series, lambda v: race_ethnicity_of(v, local), blank=(None, False))
    return (
        pd.Series(values, index=series.index, name=series.name, dtype="object"),
        pd.Series(invalid, index=series.index, name=series.name),
    )


_GENDER_SPELLINGS = {
    "Female": ["f", "female", "woman", "girl", "fem", "feminine"],
    "Male": ["m", "male", "man", "boy", "masculine"],
    "Nonbinary": [
        "x",
        "n",
        "nonbinary",
        "non-binary",
        "non binary",
        "nb",
        "enby",
        "genderqueer",
        "gender queer",
        "genderfluid",
        "gender fluid",
        "agender",
        "two-spirit",
        "two spirit",
    ],
}


GENDER_LOOKUP = {lookup_key(s): g for g, spellings in _GENDER_SPELLINGS.items() for s in spellings}


_GENDER_NOT_GIVEN = {
    lookup_key(s)
    for s in [
        "Unknown",
        "U",
        "Not selected",
        "Not specified",
        "Not reported",
        "Declined",
        "Decline to state",
        "Prefer not to say",
        "Prefer not to answer",
        "Choose not to respond",
    ]
}


def gender_of(value: Any) -> tuple[str | None, bool]:
    text = clean_text(value)
    if text is None:
        return None, False
    key = lookup_key(_descriptor_value(text))  # Ed-Fi: uri://ed-fi.org/SexDescriptor#Female
    if key in GENDER_LOOKUP:
        return GENDER_LOOKUP[key], False
    if key in _GENDER_NOT_GIVEN:
        return None, False
    return None, True


def normalize_gender(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Gender as `Female`, `Male`, `Nonbinary` or None, plus a mask of unrecognized values.

    F/Female/Woman/Girl -> Female; M/Male/Man/Boy -> Male; X/N/Non-binary/Genderqueer -> Nonbinary.
    Blank, Unknown, U, Not selected, Declined -> None (not flagged). Anything else -> None and
    flagged, including `Other` and numeric codes (their meaning differs between systems).
    """
    series = as_series(series)
    values, invalid = per_distinct(series, gender_of, blank=(None, False))
    return (
        pd.Series(values, index=series.index, name=series.name, dtype="object"),
        pd.Series(invalid, index=series.index, name=series.name),
    )


_EXCEL_WHOLE_FLOAT = re.compile(r"^(\d+)\.0+$")


def student_id_of(value: Any) -> str | None:
    text = clean_text(value)
    if text is None:
        return None
    whole = _EXCEL_WHOLE_FLOAT.match(text)
    return whole.group(1) if whole else text


def normalize_student_ids(series: pd.Series) -> pd.Series:
    """Ids as text: stripped, leading zeros kept (`00123` stays `00123`), Excel's `123.0` -> `123`,
    blank -> None. Also right for school, teacher and section ids."""
    series = as_series(series)
    codes, distinct = pd.factorize(series, use_na_sentinel=True)
    ids = clean_texts(pd.Series(distinct, dtype="object")).str.replace(_EXCEL_WHOLE_FLOAT.pattern, r"\1", regex=True)
    values = np.empty(len(ids) + 1, dtype=object)
    values[:] = [*ids.astype("object").where(ids.notna(), None), None]
    return pd.Series(values[codes], index=series.index, name=series.name, dtype="object")
