"""The names people read for the warehouse's codes: content areas, the student groupings and their values.
One home for every page, chart, sentence and export (docs/numbers.md, "Equity gaps"); the warehouse macro
`group_value` (schema/02_macros.sql) computes the same groupings' values, and tests/test_labels.py holds the
query parameters' choices to this list."""

from __future__ import annotations

CONTENT_AREA_NAMES = {"math": "Math", "ela": "ELA", "science": "Science"}

# The student groupings an equity figure can be split by, in the order the pages offer them.
GROUPINGS = ("is_ell", "is_iep", "is_econ_disadv", "is_504", "race_ethnicity", "gender")
GROUPING_NAMES = {
    "all": "All students",
    "gender": "Gender",
    "race_ethnicity": "Race/ethnicity",
    "is_ell": "English learners",
    "is_iep": "IEP",
    "is_504": "504 plan",
    "is_econ_disadv": "Economically disadvantaged",
}
# The two values of a yes/no grouping, as a person says them (other groupings' values are their own names).
GROUP_NAMES = {
    "is_ell": {"true": "English learners", "false": "Not English learners"},
    "is_iep": {"true": "Students with IEPs", "false": "Students without IEPs"},
    "is_504": {"true": "Students with 504 plans", "false": "Students without 504 plans"},
    "is_econ_disadv": {"true": "Economically disadvantaged", "false": "Not economically disadvantaged"},
}


def group_label(group_by: str, value: str) -> str:
    """A group's value in words; crossed groupings (`is_ell x gender`) name each part."""
    if " x " in str(value):
        parts = str(value).split(" x ")
        keys = group_by.split(" x ")
        return " x ".join(group_label(k, v) for k, v in zip(keys, parts))
    return GROUP_NAMES.get(group_by, {}).get(str(value), str(value))
