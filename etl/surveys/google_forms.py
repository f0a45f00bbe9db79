"""Google Forms responses, downloaded as CSV or as the linked Google Sheet saved to XLSX.

One header row: `Timestamp`, then each question's whole text (commas and all). A multiple-choice
grid writes one column per row of the grid, headed `Question [Row]`: each becomes its own item,
and the grid's columns share one scale. Checkbox questions join the chosen options with ", " in
one cell (kept as comments, never scored); paragraph answers may hold line breaks. In XLSX the
timestamp may be an Excel serial number (43813.52) instead of a date.
"""

from __future__ import annotations

import re
from pathlib import Path

from etl.errors import LoadRefused
from etl.normalize import normalize_header
from etl.surveys.detect import excel_serial_to_datetime, parse_timestamp, read_rows
from etl.surveys.stage import Column, WideSurvey

GRID = re.compile(r"^(?P<question>.*\S)\s*\[(?P<row>[^\[\]]+)\]\s*$", re.S)
TIMESTAMP_KEYS = {"timestamp", "marca_temporal", "horodateur", "zeitstempel"}
NOT_ITEMS = {"score", "email_address", "username"}  # quiz score; identities are dropped by the stager


def read(path: Path) -> WideSurvey:
    rows = read_rows(path)
    header = [c.strip() for c in rows.rows[0]]
    keys = [normalize_header(c) for c in header]
    stamp = next((i for i, k in enumerate(keys) if k in TIMESTAMP_KEYS), None)
    if stamp is None:
        raise LoadRefused(
            f"{Path(path).name}: a Google Forms export starts with a Timestamp column; this file has none"
        )
    width = len(header)
    data = [(r + [""] * width)[:width] for r in rows.rows[1:]]
    timestamps = [parse_timestamp(r[stamp]) for r in data]
    notes = list(rows.notes)
    serials = sum(1 for r in data if excel_serial_to_datetime(r[stamp]) is not None)
    if serials:
        notes.append(f"{serials} timestamp(s) were Excel serial dates; converted")
    unreadable = sum(1 for r, t in zip(data, timestamps) if r[stamp].strip() and t is None)
    if unreadable:
        notes.append(f"{unreadable} timestamp(s) could not be read as dates")
    columns = []
    for i, text in enumerate(header):
        if i == stamp or not text:
            continue
        grid = GRID.match(text)
        if grid:
            question, sub_item = grid.group("question").strip(), grid.group("row").strip()
            columns.append(
                Column(text=f"{question} - {sub_item}", question=question, sub_item=sub_item, group=question, index=i)
            )
        else:
            kind = "meta" if keys[i] in NOT_ITEMS else None
            columns.append(Column(text=text, question=text, index=i, kind=kind))
    return WideSurvey(
        "Google Forms" + (" XLSX" if rows.is_xlsx else ""),
        data,
        rows.line_numbers[1:],
        columns,
        None,
        timestamps,
        notes,
    )
