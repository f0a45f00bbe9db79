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

import re
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from warehouse.cell_text import clean_text
from warehouse.grade_levels import PRE_K, grade_level_of

# --------------------------------------------------------------------------------------------------
# shared helpers


def _per_distinct(
    series: pd.Series, classify: Callable[[Any], tuple[Any, bool]], blank: tuple[Any, bool]
) -> tuple[np.ndarray, np.ndarray]:
    """Apply `classify(value) -> (result, is_invalid)` once per distinct value of `series`.

    Returns object array of results and bool array of invalid flags, aligned with the series.
    Missing values (NaN/None) get `blank` without calling `classify`.
    """
    codes, distinct = pd.factorize(series, use_na_sentinel=True)
    answers = [classify(value) for value in distinct]
    # The extra last slot answers code -1 (missing): numpy's index -1 picks it.
    results = np.empty(len(answers) + 1, dtype=object)
    results[:] = [a[0] for a in answers] + [blank[0]]
    invalid = np.array([a[1] for a in answers] + [blank[1]], dtype=bool)
    return results[codes], invalid[codes]


def _as_series(values: Any) -> pd.Series:
    return values if isinstance(values, pd.Series) else pd.Series(values, dtype="object")


# Characters `clean_text` treats as spaces, replaced literally before runs of spaces are collapsed:
# literal replaces and an ASCII-only pattern run natively in both pandas string engines.
_SPACE_LIKE = {"\ufeff": "", "\u00a0": " ", "\t": " ", "\r": " ", "\n": " "}


def clean_texts(values: Any) -> pd.Series:
    """`clean_text` over many values at once (pandas string dtype, NaN for blank): vectorized string
    operations when every value is text, which matters for the million distinct timestamps of a
    large gradebook; one Python call per value otherwise."""
    values = pd.Series(values, dtype="object") if not isinstance(values, pd.Series) else values
    if pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):
        text = values.astype("str")
        for character, replacement in _SPACE_LIKE.items():
            text = text.str.replace(character, replacement, regex=False)
        text = text.str.replace(" {2,}", " ", regex=True).str.strip()
        return text.where(text != "")
    return pd.Series([clean_text(v) for v in values], index=values.index, dtype="str")


def _lookup_key(text: str) -> str:
    """Case- and punctuation-insensitive key: `Black - African American` == `black/african-american`."""
    return re.sub(r"[^0-9a-z+]+", "", text.lower())


# --------------------------------------------------------------------------------------------------
# headers

# A gradebook tool appends its own assignment id: `Quiz 2.1 (12095681)`. Four digits or more, so that
# a meaningful short number such as `Attempt (2)` is kept.
_TRAILING_ID = re.compile(r"\s*\(\s*\d{4,}\s*\)$")


def normalize_header(text: Any) -> str:
    """Canonical column key of a header cell.

    Strips a byte-order mark and surrounding space, collapses inner whitespace, drops a trailing
    numeric id in parentheses, lowercases, and turns spaces and hyphens into single underscores.
    Other punctuation is kept (`Quiz 2.1 (12095681)` -> `quiz_2.1`). CamelCase is not split
    (`FederalRaceCategory` -> `federalracecategory`): aliases name those spellings.
    Blank -> "" (the reader names such a column by its position).
    """
    cleaned = clean_text(text)
    if cleaned is None:
        return ""
    cleaned = _TRAILING_ID.sub("", cleaned)
    key = re.sub(r"[\s\-]+", "_", cleaned.lower())
    return re.sub(r"_+", "_", key).strip("_")


def header_matches(text: Any, names: list[str] | tuple[str, ...]) -> bool:
    """True when the header means one of `names`, ignoring case, spaces, hyphens and underscores
    (`ELL Status`, `ell_status` and `ELLStatus` all match `ell_status`)."""
    compact = normalize_header(text).replace("_", "")
    return any(compact == normalize_header(name).replace("_", "") for name in names)


def find_header(columns: list[str], canonical: str, aliases: Mapping[str, list[str]]) -> str | None:
    """The first of `columns` that means `canonical` or one of its aliases, in alias order."""
    for name in [canonical, *aliases.get(canonical, [])]:
        for column in columns:
            if header_matches(column, [name]):
                return column
    return None


# Columns that must never be stored, whatever a mapping says (a SIS roster carries passwords).
SENSITIVE_HEADERS = ("password", "passwd", "pwd", "passcode", "pin", "ssn", "social_security_number")


def is_sensitive_header(text: Any) -> bool:
    return header_matches(text, SENSITIVE_HEADERS)


# --------------------------------------------------------------------------------------------------
# yes/no flags

# Exact spellings (compared after lowercasing and collapsing whitespace).
FLAG_YES = frozenset(
    {
        "y",
        "yes",
        "1",
        "true",
        "t",
        "x",
        "checked",
        "check",
        "on",
        "active",
        "✓",
        "✔",
        "☑",
    }
)
FLAG_NO = frozenset(
    {
        "n",
        "no",
        "0",
        "false",
        "f",
        "none",
        "off",
        "n/a",
        "na",
        "n.a.",
        "not applicable",
        "inactive",
        "ineligible",
        "dismissed",
        "never",
        # English-language status: only a current English learner counts as ELL.
        "ifep",
        "rfep",
        "fep",
        "eo",
        "english only",
        "english proficient",
    }
)
# Spellings that say "we do not know": never guessed, reported to the user.
FLAG_UNKNOWN = frozenset(
    {
        "unknown",
        "unk",
        "u",
        "?",
        "tbd",
        "pending",
        "not reported",
        "not specified",
        "missing",
        "declined",
        "refused",
        "waived",
        "error",
        "-",
        "--",
        ".",
    }
)
# No-words: `Not ELL`, `Non-LEP`, `No services`, `None identified`, `N/A - not served`, `Inactive IEP`,
# and former/exited/redesignated learners (a student who exited, or is monitored after exiting, is
# not currently ELL; federal counts exclude them).
_FLAG_NO_PATTERN = re.compile(
    r"^(not|non|none|no|n/a|na)\b|\b(inactive|ineligible|dismissed|exited|exit|former(ly)?|"
    r"redesignated|reclassified|monitor(ed|ing)?|fluent english proficient)\b"
)
# Unknown-words inside longer text: `Parent declined services`, `Eligibility pending`.
_FLAG_UNKNOWN_PATTERN = re.compile(r"\b(unknown|pending|declined|refused|waived|tbd)\b")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


# Words that say "not sure" are never read as a program's name: `maybe` is not yes.
_FLAG_HEDGE_PATTERN = re.compile(
    r"\b(maybe|possibly|probably|perhaps|unsure|unclear|sometimes|likely|unlikely|"
    r"not sure|idk|dunno|whatever|sort of|kind of)\b"
)
# One word alone is a program's name only when it is one of these (an acronym or a program word):
# `IEP`, `ESL`, `Resource`; any other single word (`maybe`, `blue`) is not recognized. Two or more words
# with a letter are a program's name (`Resource Specialty Program`, `Special Day Class`).
_PROGRAM_WORDS = frozenset(
    {
        "ell",
        "el",
        "els",
        "esl",
        "esol",
        "eld",
        "lep",
        "ml",
        "mll",
        "emergent",
        "bilingual",
        "learner",
        "iep",
        "sped",
        "swd",
        "idea",
        "resource",
        "inclusion",
        "speech",
        "autism",
        "rsp",
        "sdc",
        "dis",
        "504",
        "frl",
        "frpl",
        "frm",
        "free",
        "reduced",
        "lunch",
        "snap",
        "tanf",
        "econ",
        "disadvantaged",
        "low-income",
        "eligible",
        "identified",
        "served",
        "enrolled",
        "participating",
        "qualified",
        "qualifies",
        "current",
        "program",
        "services",
        "plan",
        "title",
        "titlei",
        "gifted",
    }
)
# What the roster's refusal of a flag says is accepted.
FLAG_ACCEPTED = (
    "Y, Yes, 1, TRUE, X or a program's name (ESL, Section 504) for yes; N, No, 0, FALSE or blank "
    "for no; Unknown (or Pending, Declined) for not known"
)


def _flag_kind(value: Any, program_names_mean_yes: bool = True) -> tuple[bool | None, str]:
    """(True/False/None, kind) for one cell; kind is yes, no, unknown (a spelling that says so) or
    unrecognized (nothing we read as a flag)."""
    text = clean_text(value)
    if text is None:
        return False, "no"
    key = text.lower()
    if key in FLAG_YES:
        return True, "yes"
    if key in FLAG_NO:
        return False, "no"
    if key in FLAG_UNKNOWN:
        return None, "unknown"
    if _NUMBER.match(key):
        number = float(key)
        if number in (0.0, 1.0):  # `1.0` / `0.00` from a spreadsheet
            return bool(number), "yes" if number else "no"
        return None, "unrecognized"
    if _FLAG_NO_PATTERN.search(key):
        return False, "no"
    if _FLAG_UNKNOWN_PATTERN.search(key):
        return None, "unknown"
    if _FLAG_HEDGE_PATTERN.search(key):
        return None, "unrecognized"
    words = re.findall(r"[a-z0-9-]+", key)
    is_program_name = len(words) > 1 or (len(words) == 1 and words[0] in _PROGRAM_WORDS)
    if program_names_mean_yes and re.search(r"[a-z]", key) and is_program_name:
        return True, "yes"  # a program name: `Resource Specialty Program`, `ESL`, `Section 504`
    return None, "unrecognized"


def flag_value(value: Any, program_names_mean_yes: bool = True) -> tuple[bool | None, bool]:
    """(True/False/None, is_unparseable) for one cell; see `parse_flags` for the rules."""
    flag, kind = _flag_kind(value, program_names_mean_yes)
    return flag, kind in ("unknown", "unrecognized")


def unrecognized_flags(series: pd.Series) -> pd.Series:
    """Mask of the cells that are no flag spelling at all (`maybe`, `2`, `blue`): a roster rejects
    those rows rather than guess. Spellings that say "unknown" are recognized (kept as unknown)."""
    series = _as_series(series)
    _, unrecognized = _per_distinct(series, lambda v: (None, _flag_kind(v)[1] == "unrecognized"), blank=(None, False))
    return pd.Series(unrecognized, index=series.index, name=series.name)


def parse_flags(series: pd.Series, program_names_mean_yes: bool = True) -> tuple[pd.Series, pd.Series]:
    """Yes/no program flags (is_ell, is_iep, is_504, is_econ_disadv) as a nullable boolean Series.

    Returns (flags as `boolean` dtype, mask of unparseable cells). The rules, in order:
      - blank (NaN, None, "", spaces) -> False: exports leave a program column empty when the
        program does not apply;
      - yes spellings: Y, Yes, 1, 1.0, TRUE, T, X, checked, check, on, Active, ✓ -> True;
      - no spellings: N, No, 0, 0.0, FALSE, F, None, off, N/A, NA, Not Applicable, Never, any
        text starting with the word not/non/none/no/N/A (`Not ELL`, `Non-LEP`, `No services`,
        `None identified`) or containing inactive/ineligible/dismissed (`Inactive IEP`) -> False;
      - English-language status: exited, former, monitored, redesignated, reclassified, and the
        CALPADS codes IFEP/RFEP/FEP/EO (`Initially Fluent English Proficient`, `Redesignated
        Fluent English Proficient`, `English Only`) -> False: only current learners are ELL;
      - unknown spellings: Unknown, U, ?, TBD, Pending, Not reported, Declined, Refused, Waived,
        dashes, and text containing unknown/pending/declined/refused/waived/tbd (`Parent declined
        services`: the student may still qualify) -> NA and flagged;
      - any other number (2, -1, 0.5) -> NA and flagged;
      - text of two or more words with a letter, or one program word or acronym (`IEP`, `ESL`, `LEP`,
        `Resource`), is a program name meaning yes (`Resource Specialty Program`, `Limited English`,
        `Section 504`, `English Learner`) -> True. With `program_names_mean_yes=False` such text is NA
        and flagged instead;
      - anything else (`maybe`, `possibly ELL`, a single word that names no program) -> NA and flagged;
        `unrecognized_flags` tells these from the spellings that say unknown.
    """
    series = _as_series(series)
    values, invalid = _per_distinct(series, lambda v: flag_value(v, program_names_mean_yes), blank=(False, False))
    flags = pd.Series(pd.array(values, dtype="boolean"), index=series.index, name=series.name)
    return flags, pd.Series(invalid, index=series.index, name=series.name)


# --------------------------------------------------------------------------------------------------
# grade levels (one cell's grade is warehouse/grade_levels.py: query parameters read grades too)


def parse_grade_levels(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Grade levels as `Int64` (K=0, 1..12, pre-K=-1) plus a mask of invalid values.

    K, KG, 0K, 00, 0, K5, Kindergarten -> 0. PK, Pre-K, Prekindergarten, TK (transitional
    kindergarten), K4, PK3, PK4, PS, Preschool -> -1 (one step below K on the continuum). `01`..`12`,
    `1st`, `Grade 3`, `3rd Grade`, `Grade 08`, `Gr. 3`, `G3`, `Third grade` -> the number.
    Anything else (13, UG/Ungraded, Adult, 2st, 3.5) is NA and flagged: never coerced. Blank -> NA,
    not flagged (the caller decides whether a grade is required).
    """
    series = _as_series(series)

    def classify(value: Any) -> tuple[int | None, bool]:
        grade = grade_level_of(value)
        return grade, grade is None and clean_text(value) is not None

    values, invalid = _per_distinct(series, classify, blank=(None, False))
    grades = pd.Series(pd.array(values, dtype="Int64"), index=series.index, name=series.name)
    return grades, pd.Series(invalid, index=series.index, name=series.name)


# --------------------------------------------------------------------------------------------------
# race and ethnicity

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
RACE_LOOKUP = {_lookup_key(s): category for category, spellings in _RACE_SPELLINGS.items() for s in spellings}
# Answers that carry no category: stored as missing like a blank, not reported as unrecognized.
_RACE_NOT_GIVEN = {
    _lookup_key(s)
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
    codes, already keyed by `_lookup_key`, to categories (see `local_race_codes`)."""
    text = clean_text(value)
    if text is None:
        return None, False
    key = _lookup_key(_descriptor_value(text))
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
        federal = RACE_LOOKUP.get(_lookup_key(str(category)))
        if federal is None:
            raise ValueError(
                f"race code {code!r} maps to {category!r}, which is not one of the seven "
                f"federal categories ({', '.join(RACE_ETHNICITY_CATEGORIES)})"
            )
        local[_lookup_key(str(code))] = federal
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
        key = _lookup_key(_descriptor_value(part))
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
    series = _as_series(series)
    local = local_race_codes(extra)
    values, invalid = _per_distinct(series, lambda v: race_ethnicity_of(v, local), blank=(None, False))
    return (
        pd.Series(values, index=series.index, name=series.name, dtype="object"),
        pd.Series(invalid, index=series.index, name=series.name),
    )


# --------------------------------------------------------------------------------------------------
# gender

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
GENDER_LOOKUP = {_lookup_key(s): g for g, spellings in _GENDER_SPELLINGS.items() for s in spellings}
_GENDER_NOT_GIVEN = {
    _lookup_key(s)
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
    key = _lookup_key(_descriptor_value(text))  # Ed-Fi: uri://ed-fi.org/SexDescriptor#Female
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
    series = _as_series(series)
    values, invalid = _per_distinct(series, gender_of, blank=(None, False))
    return (
        pd.Series(values, index=series.index, name=series.name, dtype="object"),
        pd.Series(invalid, index=series.index, name=series.name),
    )


# --------------------------------------------------------------------------------------------------
# ids

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
    series = _as_series(series)
    codes, distinct = pd.factorize(series, use_na_sentinel=True)
    ids = clean_texts(pd.Series(distinct, dtype="object")).str.replace(_EXCEL_WHOLE_FLOAT.pattern, r"\1", regex=True)
    values = np.empty(len(ids) + 1, dtype=object)
    values[:] = [*ids.astype("object").where(ids.notna(), None), None]
    return pd.Series(values[codes], index=series.index, name=series.name, dtype="object")


# --------------------------------------------------------------------------------------------------
# dates

# Text shapes we accept without being told, each with the strptime format that reads it. US
# month-first order: `3/4/2024` is March 4. A day-first file must say so with `fmt`; a value like
# `25/12/2023` does not fit and is flagged, never swapped.
_DATE_SHAPES: list[tuple[re.Pattern[str], list[str]]] = [
    (re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$"), ["%Y-%m-%d"]),
    (re.compile(r"^\d{4}/\d{1,2}/\d{1,2}$"), ["%Y/%m/%d"]),
    (re.compile(r"^\d{1,2}/\d{1,2}/\d{4}$"), ["%m/%d/%Y"]),
    (re.compile(r"^\d{1,2}-\d{1,2}-\d{4}$"), ["%m-%d-%Y"]),
    (re.compile(r"^\d{1,2}/\d{1,2}/\d{2}$"), ["%m/%d/%y"]),  # Python's pivot: 00-68 -> 20xx
    (re.compile(r"^\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}$"), ["%m/%d/%Y %H:%M"]),
    (re.compile(r"^\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}:\d{2}$"), ["%m/%d/%Y %H:%M:%S"]),
    (
        re.compile(r"^\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}(:\d{2})? ?[AaPp][Mm]$"),
        ["%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %I:%M %p", "%m/%d/%Y %I:%M:%S%p", "%m/%d/%Y %I:%M%p"],
    ),
    (re.compile(r"^\d{8}$"), ["%Y%m%d"]),
]
_ISO_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
_SERIAL = re.compile(r"^\d{1,7}(\.\d+)?$")
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")  # Excel's day 0, given its 1900 leap-year bug
# Dates a school's records can hold. Outside them a date is a typo (`0202-01-15`, `9999-12-31`) and is
# invalid like any other bad date; inside them it also fits pandas' nanosecond timestamps (1677-2262).
DATE_RANGE = (pd.Timestamp("1900-01-01"), pd.Timestamp("2199-12-31"))
# 1900-03-01 .. the last date of DATE_RANGE: below 61 the bug makes days ambiguous
_EXCEL_SERIALS = (61, (DATE_RANGE[1] - _EXCEL_EPOCH).days)


def parse_dates(
    series: pd.Series, fmt: str | None = None, excel_serial: bool = False, timezone: str | None = None
) -> tuple[pd.Series, pd.Series]:
    """Dates as a Series of `datetime.date` (NaT when blank or invalid), plus a mask of invalid values.

    Without `fmt`: ISO `2023-08-25`, ISO timestamps (`2023-08-25T17:34:09.000Z`, `+02:00`),
    `8/25/2023`, `08-25-2023`, `8/25/23`, `8/25/2023 17:34:09`, `8/25/2023 5:34 PM`, `2023/08/25`,
    `20230825`. Month first: `25/12/2023` is invalid unless `fmt="%d/%m/%Y"` says so.
    A timestamp's date is the calendar date as written; give `timezone` (e.g. "America/Chicago")
    to take the local date of a zoned timestamp instead (`...T03:00Z` is the day before in Chicago).
    `excel_serial=True` also reads spreadsheet day numbers (`45123`, `45123.5` -> 2023-07-16);
    otherwise numbers are invalid. An explicit `fmt` (strptime codes) is the only format tried.
    """
    series = _as_series(series)
    codes, distinct = pd.factorize(series, use_na_sentinel=True)
    texts = clean_texts(pd.Series(distinct, dtype="object"))
    parsed = _parse_date_texts(texts, fmt, excel_serial, timezone)
    results = np.empty(len(texts) + 1, dtype=object)
    results[:] = [*parsed, pd.NaT]
    invalid = np.array([*(texts.notna() & parsed.isna()), False], dtype=bool)
    return (
        pd.Series(results[codes], index=series.index, name=series.name, dtype="object"),
        pd.Series(invalid[codes], index=series.index, name=series.name),
    )


def _parse_date_texts(texts: pd.Series, fmt: str | None, excel_serial: bool, timezone: str | None) -> pd.Series:
    """Parse each distinct text, vectorized one format at a time; NaT where nothing fits."""
    stamps = pd.Series(pd.NaT, index=texts.index, dtype="datetime64[ns]")
    present = texts.notna()
    if not present.any():
        return pd.Series(pd.NaT, index=texts.index, dtype="object")
    if fmt:
        stamps[present] = _bounded(_to_datetime(texts[present], fmt))
        return _as_dates(stamps)
    _parse_iso_timestamps(texts[present], stamps, timezone)
    for shape, shape_formats in _DATE_SHAPES:
        for candidate in shape_formats:
            todo = _still_unparsed(texts, stamps, shape)
            if todo.any():
                stamps[todo] = _bounded(_to_datetime(texts[todo], candidate))
    if excel_serial:
        todo = _still_unparsed(texts, stamps, _SERIAL)
        days = pd.to_numeric(texts[todo], errors="coerce")
        days = days.where(days.between(*_EXCEL_SERIALS))
        stamps[todo] = _EXCEL_EPOCH + pd.to_timedelta(np.floor(days), unit="D")
    return _as_dates(stamps)


def _still_unparsed(texts: pd.Series, stamps: pd.Series, shape: re.Pattern[str]) -> pd.Series:
    """Mask of texts not parsed yet that have `shape` (matched only on those, to stay fast)."""
    todo = stamps.isna() & texts.notna()
    if todo.any():
        todo[todo] = texts[todo].str.match(shape.pattern).fillna(False).astype(bool)
    return todo


def _parse_iso_timestamps(texts: pd.Series, stamps: pd.Series, timezone: str | None) -> None:
    """Fill `stamps` for ISO timestamps: validated whole, dated as written unless `timezone`."""
    iso_texts = texts[texts.str.match(_ISO_TIMESTAMP.pattern).fillna(False).astype(bool)]
    if iso_texts.empty:
        return
    whole = pd.to_datetime(iso_texts, format="ISO8601", errors="coerce", utc=True)  # validity
    whole = whole.where(whole.dt.tz_localize(None).between(*DATE_RANGE))
    dates = _bounded(_to_datetime(iso_texts.str.slice(0, 10), "%Y-%m-%d"))
    dates = dates.where(whole.notna())
    if timezone:
        zoned = iso_texts.str.contains(r"(?:Z|[+-]\d{2}:?\d{2})$", regex=True)
        dates = dates.where(~zoned, _naive(whole.dt.tz_convert(timezone)))
    stamps[iso_texts.index] = dates


def _to_datetime(texts: pd.Series, fmt: str) -> pd.Series:
    """pd.to_datetime, NaT where the text does not fit; at second resolution, so that a year such as
    0202 or 9999 parses (to be refused by _bounded) instead of overflowing nanoseconds."""
    try:
        parsed = pd.to_datetime(texts, format=fmt, errors="coerce")
        if getattr(parsed.dt, "tz", None) is not None:
            parsed = parsed.dt.tz_localize(None)
        return parsed.astype("datetime64[s]")
    except (OverflowError, ValueError, pd.errors.OutOfBoundsDatetime):
        return pd.Series([_one_datetime(t, fmt) for t in texts], index=texts.index, dtype="datetime64[s]")


def _one_datetime(text, fmt: str):
    try:
        return pd.to_datetime(text, format=fmt).tz_localize(None).to_datetime64().astype("datetime64[s]")
    except (OverflowError, ValueError, TypeError, pd.errors.OutOfBoundsDatetime):
        return np.datetime64("NaT", "s")


def _bounded(stamps: pd.Series) -> pd.Series:
    """Timestamps outside DATE_RANGE become NaT, and the rest nanosecond timestamps."""
    inside = stamps.between(*DATE_RANGE)
    return stamps.where(inside).astype("datetime64[ns]")


def _naive(stamps: pd.Series) -> pd.Series:
    if getattr(stamps.dt, "tz", None) is not None:
        stamps = stamps.dt.tz_localize(None)
    return stamps.astype("datetime64[ns]")


def _as_dates(stamps: pd.Series) -> pd.Series:
    dates = stamps.dt.date.astype("object")
    return dates.where(stamps.notna(), pd.NaT)


# --------------------------------------------------------------------------------------------------
# school years

_SCHOOL_YEAR = re.compile(r"^(?:sy|school\s*year)?\s*(\d{4}|\d{2})\s*[-/–—_ ]\s*(\d{4}|\d{2})(?:\s*school\s*year)?$")
_ENDING_YEAR = re.compile(r"^(?:sy|school\s*year)?\s*(\d{4})(?:\.0+)?$")  # `2026.0`: Excel
_YEARS = (1990, 2100)


def school_year_of(value: Any) -> str | None:
    """`2025-26` for one cell, or None when it is not a school year."""
    text = clean_text(value)
    if text is None:
        return None
    key = text.lower()
    span = _SCHOOL_YEAR.match(key)
    if span:
        start = int(span.group(1)) if len(span.group(1)) == 4 else 2000 + int(span.group(1))
        end_digits = span.group(2)
        # The end is the next year, written whole (`2025-2026`) or by its last two digits (`1999-00`).
        follows = (int(end_digits) == start + 1) if len(end_digits) == 4 else (int(end_digits) == (start + 1) % 100)
        return _canonical_year(start) if follows and _YEARS[0] <= start < _YEARS[1] else None
    ending = _ENDING_YEAR.match(key)
    if ending:
        end = int(ending.group(1))
        return _canonical_year(end - 1) if _YEARS[0] < end <= _YEARS[1] else None
    return None


def _canonical_year(start: int) -> str:
    return f"{start}-{(start + 1) % 100:02d}"


def parse_school_year(values: Any) -> Any:
    """School years in the canonical `2025-26` form.

    `2025-26`, `2025-2026`, `2025/26`, `2025–26`, `SY2025-26`, `SY 25-26`, `25-26`, and a single
    year meaning the year that ends then (`2026` -> `2025-26`, as Ed-Fi's SchoolYear does).
    The end must be the start plus one. Given a Series: returns (Series of text or None, mask of
    invalid values; blank is None and not invalid). Given one value: returns the text and raises
    ValueError when it is not a school year.
    """
    if not isinstance(values, (pd.Series, list, tuple, np.ndarray, pd.Index)):
        year = school_year_of(values)
        if year is None:
            raise ValueError(f"not a school year: {values!r} (write it like 2025-26)")
        return year
    series = _as_series(values)

    def classify(value: Any) -> tuple[str | None, bool]:
        year = school_year_of(value)
        return year, year is None and clean_text(value) is not None

    years, invalid = _per_distinct(series, classify, blank=(None, False))
    return (
        pd.Series(years, index=series.index, name=series.name, dtype="object"),
        pd.Series(invalid, index=series.index, name=series.name),
    )


__all__ = [
    "RACE_ETHNICITY_CATEGORIES",
    "PRE_K",
    "SENSITIVE_HEADERS",
    "clean_text",
    "clean_texts",
    "normalize_header",
    "header_matches",
    "find_header",
    "is_sensitive_header",
    "flag_value",
    "parse_flags",
    "unrecognized_flags",
    "FLAG_ACCEPTED",
    "grade_level_of",
    "parse_grade_levels",
    "race_ethnicity_of",
    "map_race_ethnicity",
    "local_race_codes",
    "gender_of",
    "normalize_gender",
    "student_id_of",
    "normalize_student_ids",
    "parse_dates",
    "school_year_of",
    "parse_school_year",
]
