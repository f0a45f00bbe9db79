"""A name from a file (a header, a column key) written into SQL as an identifier: the one quoting helper.
Values are always bound as parameters; only names, which SQL cannot bind, pass through here."""

from __future__ import annotations


def identifier(name: str) -> str:
    """`name` as a double-quoted SQL identifier, any double quote in it doubled (never trusted)."""
    return '"' + str(name).replace('"', '""') + '"'
