"""Yes/no program flags (ELL, IEP, 504, economically disadvantaged) in every spelling the systems write."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from etl.normalize.text import as_series, per_distinct
from warehouse.cell_text import clean_text

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
    series = as_series(series)
    _, unrecognized = per_distinct(series, lambda v: (None, _flag_kind(v)[1] == "unrecognized"), blank=(None, False))
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
    series = as_series(series)
    values, invalid = per_distinct(series, lambda v: flag_value(v, program_names_mean_yes), blank=(False, False))
    flags = pd.Series(pd.array(values, dtype="boolean"), index=series.index, name=series.name)
    return flags, pd.Series(invalid, index=series.index, name=series.name)
