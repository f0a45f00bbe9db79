"""SurveyMonkey "All responses data" export (CSV, expanded).

Two header rows. The first holds the respondent columns (Respondent ID, Collector ID, Start Date,
End Date, IP Address, Email Address, First Name, Last Name, Custom Data 1) and each question's
text, written once over its first column and left blank over the continuation columns of a matrix
or a multiple-answer question. The second row says what each column holds: `Response` (one
answer), `Open-Ended Response` (text), a matrix row (the sub-item: one item each) or an option of
a multiple-answer question (the cell then holds the option's label when chosen; those columns are
joined back into one multi-select answer, kept as a comment). Files are often Windows-1252.
"""

from __future__ import annotations

from pathlib import Path

from etl.errors import LoadRefused
from etl.surveys.detect import parse_timestamp, read_rows
from etl.surveys.stage import Column, WideSurvey
from etl.vocabulary import compact

RESPONSE = {"response", ""}
OPEN = {
    "open-ended response",
    "open ended response",
    "other (please specify)",
    "other",
    "comment",
    "comments",
    "other (please specify):",
}
META_NAMES = {
    "respondent id",
    "collector id",
    "start date",
    "end date",
    "ip address",
    "email address",
    "first name",
    "last name",
    "custom data 1",
    "custom data 2",
    "custom data",
    "custom variable 1",
}


# Compared without case, spaces or punctuation: older exports write `RespondentID`, `CollectorID`, `StartDate`.
_META_KEYS = {compact(name): name for name in META_NAMES}


def read(path: Path) -> WideSurvey:
    rows = read_rows(path)
    if len(rows.rows) < 3:
        raise LoadRefused(f"{Path(path).name}: a SurveyMonkey export has two header rows and then responses")
    width = max(len(rows.rows[0]), len(rows.rows[1]))
    questions = (rows.rows[0] + [""] * width)[:width]
    subheads = (rows.rows[1] + [""] * width)[:width]
    data = [(r + [""] * width)[:width] for r in rows.rows[2:]]
    lines = rows.line_numbers[2:]
    notes = list(rows.notes)
    columns, response_ids, stamp = [], None, None
    groups: list[tuple[str, list[int]]] = []
    for i, (question, sub) in enumerate(zip(questions, subheads)):
        question, sub = question.strip(), sub.strip()
        name = _META_KEYS.get(compact(question))
        if name:
            if name == "respondent id":
                response_ids = [r[i] for r in data]
            elif name in ("end date", "start date") and (stamp is None or name == "end date"):
                stamp = i
            columns.append(Column(text=question, question=question, index=i, kind="meta"))
        elif question or not groups:
            groups.append((question or f"column {i + 1}", [i]))
        else:
            groups[-1][1].append(i)
    for question, members in groups:
        columns += _group_columns(question, members, subheads, data)
    timestamps = [parse_timestamp(r[stamp]) for r in data] if stamp is not None else []
    return WideSurvey("SurveyMonkey", data, lines, columns, response_ids, timestamps, notes)


def _group_columns(question: str, members: list[int], subheads: list[str], data: list[list[str]]) -> list[Column]:
    if len(members) == 1:
        sub = subheads[members[0]].strip()
        if sub.lower() in RESPONSE:
            return [Column(text=question, question=question, index=members[0])]
        kind = "text" if sub.lower() in OPEN else None
        text = question if kind else f"{question} - {sub}"
        return [Column(text=text, question=question, sub_item=None if kind else sub, index=members[0], kind=kind)]
    options = [i for i in members if subheads[i].strip().lower() not in OPEN]
    others = [i for i in members if i not in options]
    if options and all(_is_option_column(i, subheads[i], data) for i in options):
        # A multiple-answer question: one answer, the chosen options joined as Google Forms joins them.
        values = []
        for row in data:
            chosen = [row[i].strip() for i in options if row[i].strip()]
            chosen += [row[i].strip() for i in others if row[i].strip()]
            values.append(", ".join(chosen))
        return [Column(text=question, question=question, kind="multi_select", values=values)]
    columns = [
        Column(
            text=f"{question} - {subheads[i].strip()}",
            question=question,
            sub_item=subheads[i].strip(),
            group=question,
            index=i,
        )
        for i in options
    ]
    columns += [
        Column(text=f"{question} - {subheads[i].strip() or 'other'}", question=question, index=i, kind="text")
        for i in others
    ]
    return columns


def _is_option_column(index: int, label: str, data: list[list[str]]) -> bool:
    """An option of a multiple-answer question holds nothing but its own label."""
    values = {row[index].strip() for row in data if row[index].strip()}
    return values <= {label.strip()}
