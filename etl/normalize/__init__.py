"""Pure, vectorized clean-up of the values school systems export: headers, flags, grades, race and
ethnicity, gender, ids, dates and school years.

Every `parse_*`/`map_*` function takes a pandas Series and returns the clean Series (same index)
plus a boolean mask of values it could not understand, so that the loader can report them rather
than guess. Blank input (NaN, None, "", whitespace) is never "unknown": it is missing, and only the
flags give it a meaning (blank = No, because exports leave program columns empty when a program
does not apply).

Exports hold few distinct values even when they hold many rows (a million rows of `Y`/`N`), so
each function classifies the distinct values once in plain Python and spreads the answers back
with `pandas.factorize` codes: no per-row Python loop. Dates, whose distinct values can be as many
as the rows (timestamps), are parsed with pandas' vectorized `to_datetime`, one format at a time.
"""

from __future__ import annotations

from etl.normalize.dates import DATE_RANGE, parse_dates, parse_school_year, school_year_of
from etl.normalize.flags import (
    FLAG_ACCEPTED,
    FLAG_NO,
    FLAG_UNKNOWN,
    FLAG_YES,
    flag_value,
    parse_flags,
    unrecognized_flags,
)
from etl.normalize.headers import SENSITIVE_HEADERS, find_header, header_matches, is_sensitive_header, normalize_header
from etl.normalize.people import (
    AMERICAN_INDIAN,
    ASIAN,
    BLACK,
    GENDER_LOOKUP,
    HISPANIC,
    PACIFIC_ISLANDER,
    RACE_ETHNICITY_CATEGORIES,
    RACE_LOOKUP,
    TWO_OR_MORE,
    WHITE,
    gender_of,
    local_race_codes,
    map_race_ethnicity,
    normalize_gender,
    normalize_student_ids,
    parse_grade_levels,
    race_ethnicity_of,
    student_id_of,
)
from etl.normalize.text import clean_texts

__all__ = [
    "AMERICAN_INDIAN",
    "ASIAN",
    "BLACK",
    "DATE_RANGE",
    "FLAG_ACCEPTED",
    "FLAG_NO",
    "FLAG_UNKNOWN",
    "FLAG_YES",
    "GENDER_LOOKUP",
    "HISPANIC",
    "PACIFIC_ISLANDER",
    "RACE_ETHNICITY_CATEGORIES",
    "RACE_LOOKUP",
    "SENSITIVE_HEADERS",
    "TWO_OR_MORE",
    "WHITE",
    "clean_texts",
    "find_header",
    "flag_value",
    "gender_of",
    "header_matches",
    "is_sensitive_header",
    "local_race_codes",
    "map_race_ethnicity",
    "normalize_gender",
    "normalize_header",
    "normalize_student_ids",
    "parse_dates",
    "parse_flags",
    "parse_grade_levels",
    "parse_school_year",
    "race_ethnicity_of",
    "school_year_of",
    "student_id_of",
    "unrecognized_flags",
]
