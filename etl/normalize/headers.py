"""Column headers as the loaders match them: normalized, matched against aliases, sensitive ones refused."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from warehouse.cell_text import clean_text

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
