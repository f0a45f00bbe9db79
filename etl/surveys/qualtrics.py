"""Qualtrics "Data & Analysis" CSV (or TSV) export.

Three header rows: the column ids (StartDate .. ResponseId, then Q1, Q2_1, Q2_2, Q3_4_TEXT and any
embedded data fields), the question texts ("How much do you agree ... - Teachers trust each other"
for a matrix row), and {"ImportId":"QID2_1"} JSON. The legacy export has two rows: V1..V10 with
the question ids, then ResponseID, ResponseSet, .. and the texts. Only columns whose ImportId names
a question (QID..) or whose id looks like one (Q2_1) are items; the rest are response metadata or
embedded data, used only when the item map names them as the school or role column. Preview and
spam responses are left out. Answers are choice texts or, with "use numeric values", 1..k.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from etl.errors import LoadRefused
from etl.surveys.detect import parse_timestamp, read_rows
from etl.surveys.stage import Column, WideSurvey

QUESTION_ID = re.compile(r"^(QID\d+|Q\d+|q\d+)")
MATRIX_ID = re.compile(r"^(?P<base>.+?)_(?P<row>\d+)$")
TEXT_ID = re.compile(r"_TEXT$|_text$")
EXCLUDED_STATUS = {"survey preview", "spam", "1", "8", "16"}  # legacy numeric: 1 preview, 8 spam, 16 offline preview
RESPONSE_ID_NAMES = {"responseid", "_recordid", "response id"}
STAMP_NAMES = ("recordeddate", "enddate", "startdate", "recorded date", "end date", "start date")


def read(path: Path) -> WideSurvey:
    rows = read_rows(path)
    first = [c.strip() for c in rows.rows[0]]
    second = [c.strip() for c in rows.rows[1]] if len(rows.rows) > 1 else []
    third = [c.strip() for c in rows.rows[2]] if len(rows.rows) > 2 else []
    width = len(first)
    if sum(1 for c in third if c.startswith("{")) >= 2:
        ids, texts, import_ids, skip, label = first, second, [_import_id(c) for c in third], 3, "Qualtrics"
    elif first and first[0] == "V1":
        ids, texts, import_ids, skip, label = first, second, [None] * width, 2, "Qualtrics (legacy two-row)"
    else:
        raise LoadRefused(
            f"{Path(path).name}: not a Qualtrics export (expected three header rows with "
            '{"ImportId": ...} in the third, or the legacy V1..Vn ids)'
        )
    ids, texts = (ids + [""] * width)[:width], (texts + [""] * width)[:width]
    data = [(r + [""] * width)[:width] for r in rows.rows[skip:]]
    lines = rows.line_numbers[skip:]
    notes = list(rows.notes)
    names = [(t if label.endswith("(legacy two-row)") and re.match(r"^V\d+$", i) else i) for i, t in zip(ids, texts)]
    status = _find(names, {"status"})
    if status is not None:
        keep = [r[status].strip().lower() not in EXCLUDED_STATUS for r in data]
        if not all(keep):
            notes.append(f"left out {keep.count(False)} preview or spam response(s)")
            data = [r for r, k in zip(data, keep) if k]
            lines = [n for n, k in zip(lines, keep) if k]
    response_col = _find(names, RESPONSE_ID_NAMES)
    stamp = next((i for n in STAMP_NAMES for i, name in enumerate(names) if name.lower() == n), None)
    columns = []
    for i, (column_id, text, import_id) in enumerate(zip(ids, texts, import_ids)):
        is_question = (
            bool(QUESTION_ID.match(import_id or "")) if import_id is not None else bool(QUESTION_ID.match(column_id))
        )
        if not is_question:
            columns.append(
                Column(
                    text=names[i] or text or column_id,
                    question=text or names[i],
                    column_id=column_id,
                    index=i,
                    kind="meta",
                )
            )
            continue
        question, sub_item = text, None
        matrix = MATRIX_ID.match(column_id)
        if TEXT_ID.search(column_id) or TEXT_ID.search(import_id or ""):
            columns.append(Column(text=text or column_id, question=text, column_id=column_id, index=i, kind="text"))
            continue
        if matrix and " - " in text:
            question, sub_item = (p.strip() for p in text.rsplit(" - ", 1))
        columns.append(
            Column(
                text=text or column_id,
                question=question,
                sub_item=sub_item,
                column_id=column_id,
                group=matrix.group("base") if matrix and sub_item else None,
                index=i,
            )
        )
    response_ids = [r[response_col] for r in data] if response_col is not None else None
    timestamps = [parse_timestamp(r[stamp]) for r in data] if stamp is not None else []
    return WideSurvey(label, data, lines, columns, response_ids, timestamps, notes)


def _import_id(cell: str) -> str | None:
    try:
        value = json.loads(cell)
    except (json.JSONDecodeError, TypeError):
        return None
    return str(value.get("ImportId")) if isinstance(value, dict) and value.get("ImportId") else None


def _find(names: list[str], wanted: set[str]) -> int | None:
    return next((i for i, n in enumerate(names) if n.strip().lower() in wanted), None)
