"""From a wide survey export (a row per respondent) to the staged long shape of the warehouse.

Every vendor reader returns a `WideSurvey`; `stage_wide` then
  1. finds the columns that say who answered (school, role, response id) through the item map,
     and drops columns that identify people (names, e-mail and IP addresses);
  2. recognises each item's answer scale (etl/surveys/scales.py; a matrix question's columns share one);
  3. names each item from the item map (item_id, construct, reverse coding), or from its own column id
     or text when the map does not know it (those are listed in the load notes);
  4. writes temp tables `staged_items` (survey_id, item_id, item_text, construct, is_reverse_coded,
     scale_points) and `staged_responses` (survey_id, wave, response_id, item_id, school_id, role, value,
     comment), exactly as the generic long adapter does, and answers off their item's scale to
     `load_rejects`.
Scored answers get a value 1..k; "N/A", "Don't know" and the like a NULL value; free text, single
choices that are not a scale and multi-select answers are kept as the comment, never scored.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd

from etl.adapters.common import LoadOptions, Staged, reject_frame
from etl.errors import LoadRefused
from etl.surveys import scales
from etl.surveys.detect import school_year_of
from etl.surveys.item_map import ItemMap, generated_item_id, load_item_map, match_key

IDENTIFYING = {
    "email address",
    "email",
    "e-mail",
    "e-mail address",
    "username",
    "user name",
    "name",
    "your name",
    "full name",
    "first name",
    "last name",
    "ip address",
    "ipaddress",
    "recipientemail",
    "recipientfirstname",
    "recipientlastname",
    "recipient email",
    "recipient first name",
    "recipient last name",
    "locationlatitude",
    "locationlongitude",
    "location latitude",
    "location longitude",
    "externalreference",
    "external data reference",
    "externaldatareference",
    "emailaddress",
    "respondent email",
    "recipient_email",
}
META, TEXT_KIND, MULTI_KIND = "meta", "text", "multi_select"


@dataclass
class Column:
    """One answer column of a wide export (or one synthesized from several, e.g. a multi-select)."""

    text: str  # the item's text: the question, or "question - sub-item" for a matrix row
    question: str
    sub_item: str | None = None
    column_id: str | None = None  # the vendor's id (Qualtrics Q2_1)
    group: str | None = None  # columns of one matrix question share a scale
    kind: str | None = None  # known from the export: meta (not an item), text, multi_select
    index: int | None = None  # position in each data row
    values: list[str] | None = None  # or the values themselves

    def answers(self, data: list[list[str]]) -> list[str]:
        if self.values is not None:
            return self.values
        return [(row[self.index] if self.index < len(row) else "") or "" for row in data]

    def names(self) -> list[str]:
        return [
            n for n in (self.column_id, self.text, self.question if not self.sub_item else None, self.sub_item) if n
        ]


@dataclass
class WideSurvey:
    file_format: str  # for the load report, e.g. "Google Forms"
    data: list[list[str]]
    line_numbers: list[int]
    columns: list[Column]
    response_ids: list[str] | None = None  # the vendor's own ids
    timestamps: list[datetime | None] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def stage_wide(con, path: Path, wide: WideSurvey, options: LoadOptions) -> Staged:
    path = Path(path)
    item_map = load_item_map(options.mapping)
    notes = list(wide.notes)
    n_rows = len(wide.data)
    if not n_rows:
        raise LoadRefused(f"{path.name}: the export has header rows but no responses")
    columns = [c for c in wide.columns]
    dropped = [c for c in columns if match_key(c.text) in IDENTIFYING or match_key(c.column_id) in IDENTIFYING]
    columns = [c for c in columns if c not in dropped]
    if dropped:
        notes.append(f"not stored (they identify people): {', '.join(c.text for c in dropped)}")

    _mark_vendor_columns(wide, columns)
    headers = {id(c): c.names() for c in columns}
    by_id = {id(c): c for c in columns}
    meta = {}
    for key in ("response_id", "school_id", "role"):
        found = item_map.meta_column(key, headers)
        if found is not None:
            meta[key] = by_id.pop(found)
            headers.pop(found)
    items = [c for c in by_id.values() if c.kind != META]

    survey_id = item_map.survey_id or _slug(path.stem)
    wave, wave_note = _wave(item_map, options, wide.timestamps, path)
    notes.append(
        f"survey_id '{survey_id}'"
        + ("" if item_map.survey_id else " (from the file name; set `survey_id:` in a mapping file to name it)")
        + f", wave '{wave}' {wave_note}"
    )
    response_ids = _response_ids(wide, meta.get("response_id"), notes)
    roles = _roles(wide, meta.get("role"), item_map, options, notes)
    school_ids = _schools(con, wide, meta.get("school_id"), item_map, options, notes)

    readings, specs = _classify(items, wide.data, item_map)
    item_rows, answer_parts, reject_parts = [], [], []
    used_ids: Counter = Counter()
    unmatched = []
    for column in items:
        reading, spec = readings[id(column)], specs[id(column)]
        if reading.kind == scales.EMPTY and not any(a.strip() for a in column.answers(wide.data)):
            continue
        item_id = spec.item_id if spec else generated_item_id(column.text, column.column_id)
        used_ids[item_id] += 1
        if used_ids[item_id] > 1:
            notes.append(
                f"two columns map to item '{item_id}': the second is loaded as '{item_id}_{used_ids[item_id]}'"
            )
            item_id = f"{item_id}_{used_ids[item_id]}"
        if spec is None:
            unmatched.append(column.text)
        item_rows.append(
            {
                "survey_id": survey_id,
                "item_id": item_id,
                "item_text": column.text,
                "construct": spec.construct if spec else None,
                "is_reverse_coded": bool(spec.is_reverse_coded) if spec else False,
                "scale_points": reading.points if reading.is_scored else None,
                "reading": reading.name,
                "kind": reading.kind,
            }
        )
        answers, rejects = _answers(column, reading, wide, item_id)
        answer_parts.append(answers)
        reject_parts.append(rejects)
    if not item_rows:
        raise LoadRefused(f"{path.name}: no question column has any answer")

    items_frame = pd.DataFrame(item_rows)
    answers = pd.concat(answer_parts, ignore_index=True)
    rejects = pd.concat(reject_parts, ignore_index=True)
    answers = answers.assign(
        survey_id=survey_id,
        wave=wave,
        response_id=[response_ids[i] for i in answers["row"]],
        school_id=[school_ids[i] for i in answers["row"]],
        role=[roles[i] for i in answers["row"]],
    )
    # A response id given twice (a respondent's edited answers): the later row wins, as in the long format.
    answers = answers.sort_values("row", kind="stable").drop_duplicates(["response_id", "item_id"], keep="last")
    notes += _summary(items_frame, answers, n_rows, unmatched, wide.file_format, item_map)
    _write(con, items_frame, answers)
    reject_frame(con, rejects)
    return Staged(
        {"survey_items": ("staged_items", "replace"), "survey_responses": ("staged_responses", "replace")},
        "survey_responses",
        n_rows,
        wide.file_format,
        notes,
    )


# ---------------------------------------------------------------- who answered, which wave


def _wave(item_map: ItemMap, options: LoadOptions, timestamps: list, path: Path) -> tuple[str, str]:
    if item_map.wave:
        return item_map.wave, "(from the mapping)"
    if options.school_year:
        return options.school_year, "(from --school-year)"
    years = Counter(school_year_of(t) for t in timestamps if t is not None)
    if years:
        year, n = years.most_common(1)[0]
        spread = f"; {sum(years.values()) - n} response(s) fall in other school years" if len(years) > 1 else ""
        return year, f"(the school year of the responses' timestamps{spread}; --school-year sets it)"
    raise LoadRefused(
        f"{path.name}: the export has no timestamps to tell its wave: give it with --school-year "
        "(e.g. 2025-26) or `wave:` in a mapping file"
    )


def _response_ids(wide: WideSurvey, column: Column | None, notes: list[str]) -> list[str]:
    if column is not None:
        ids = [a.strip() for a in column.answers(wide.data)]
        source = f"column '{column.text}'"
    elif wide.response_ids is not None:
        ids = [a.strip() for a in wide.response_ids]
        source = None
    else:
        ids, seen = [], Counter()
        for line, moment in zip(wide.line_numbers, wide.timestamps or [None] * len(wide.data)):
            base = moment.isoformat(timespec="seconds") if moment else f"line-{line}"
            seen[base] += 1
            ids.append(base if seen[base] == 1 else f"{base}#{seen[base]}")
        source = "the timestamps (a repeated timestamp gets #2, #3 in file order)"
    blank = [i for i, v in enumerate(ids) if not v]
    for i in blank:
        ids[i] = f"line-{wide.line_numbers[i]}"
    if source:
        notes.append(f"response ids from {source}")
    repeated = len(ids) - len(set(ids))
    if repeated:
        notes.append(f"{repeated} response id(s) appear twice: the later row's answers are kept")
    return ids


def _roles(wide: WideSurvey, column: Column | None, item_map: ItemMap, options: LoadOptions, notes: list[str]):
    given = (getattr(options, "role", None) or "").strip().lower() or None
    if column is None:
        notes.append(
            f"role '{given}' for every response (--role)"
            if given
            else "no role column and no --role: role is blank (the role gap needs roles)"
        )
        return [given] * len(wide.data)
    roles = [item_map.role_for(a) or given for a in column.answers(wide.data)]
    counts = Counter(r for r in roles if r)
    shown = ", ".join(f"{r} {n}" for r, n in counts.most_common(6))
    notes.append(f"roles from column '{column.text}': {shown or 'none given'}")
    return roles


def _schools(con, wide, column: Column | None, item_map: ItemMap, options: LoadOptions, notes) -> list[str | None]:
    given = (options.school_id or "").strip() or None
    if column is None:
        notes.append(
            f"school '{given}' for every response (--school-id)"
            if given
            else "no school column and no --school-id: school is blank"
        )
        return [given] * len(wide.data)
    known = {}
    for school_id, name in con.execute("select school_id, school_name from schools").fetchall():
        known[match_key(school_id)] = school_id
        known.setdefault(match_key(name), school_id)
    out, unknown = [], Counter()
    for answer in column.answers(wide.data):
        key = match_key(answer)
        if not key:
            out.append(given)
            continue
        school = item_map.schools.get(key) or known.get(key)
        if school is None:
            unknown[answer.strip()] += 1
            school = answer.strip()
        out.append(school)
    notes.append(f"schools from column '{column.text}'")
    if unknown:
        listed = ", ".join(f"'{s}'" for s, _ in unknown.most_common(5))
        notes.append(
            f"{sum(unknown.values())} answer(s) name schools not in the warehouse (kept as given: {listed}); "
            "map them with `schools:` in a mapping file"
        )
    return out


# ---------------------------------------------------------------- scales and answers


def _classify(items: list[Column], data, item_map: ItemMap):
    specs = {id(c): item_map.lookup(*c.names()) for c in items}
    groups: dict[str, list[Column]] = {}
    for column in items:
        groups.setdefault(column.group or f"column:{id(column)}", []).append(column)
    readings: dict[int, scales.ColumnScale] = {}
    by_group: dict[str, scales.ColumnScale] = {}
    for key, members in groups.items():
        forced = [specs[id(c)] for c in members if specs[id(c)] is not None]
        points = next((s.scale_points for s in forced if s.scale_points), None)
        pooled = [a for c in members if c.kind not in (TEXT_KIND, MULTI_KIND) for a in c.answers(data)]
        by_group[key] = _unscored_shape(members, data, pooled, points) or scales.classify(
            pooled, members[0].question, points
        )
    by_group = scales.harmonize(by_group)
    for key, members in groups.items():
        for column in members:
            spec = specs[id(column)]
            if column.kind == MULTI_KIND:
                readings[id(column)] = scales.ColumnScale(scales.MULTI_SELECT)
            elif column.kind == TEXT_KIND or (spec and spec.type == "text"):
                readings[id(column)] = scales.ColumnScale(scales.TEXT)
            else:
                readings[id(column)] = by_group[key]
    return readings, specs


def _unscored_shape(members: list[Column], data, pooled: list[str], points) -> scales.ColumnScale | None:
    """A rank-order question (distinct ranks 1..n per respondent) or a typed number (years, hours):
    kept as comments, never read as a scale (an item map's scale_points still wins)."""
    from etl.surveys import shapes

    if points:
        return None
    columns = [c for c in members if c.kind not in (TEXT_KIND, MULTI_KIND)]
    if len(columns) >= 2 and shapes.is_rank_order([list(row) for row in zip(*(c.answers(data) for c in columns))]):
        return scales.ColumnScale(scales.RANK_ORDER)
    if shapes.is_numeric_entry(pooled, members[0].question):
        return scales.ColumnScale(scales.NUMERIC_ENTRY)
    return None


def _mark_vendor_columns(wide: WideSurvey, columns: list[Column]) -> None:
    """RespondentID, CollectorID, ResponseId, StartDate ...: who answered and when, never items. The
    vendor's response id names the responses when the reader found none."""
    from etl.vocabulary import compact, survey_meta_columns

    vendor = survey_meta_columns()
    for column in columns:
        role = vendor.get(compact(column.column_id or "")) or (
            vendor.get(compact(column.question)) if not column.sub_item else None
        )
        if role and column.kind != META:
            column.kind = META
            if role == "response_id" and wide.response_ids is None:
                wide.response_ids = column.answers(wide.data)


def _answers(column: Column, reading: scales.ColumnScale, wide: WideSurvey, item_id: str):
    rows, values, comments, na = [], [], [], []
    rejected = []
    for row, answer in enumerate(column.answers(wide.data)):
        text = (answer or "").strip()
        if not text:
            continue
        status, value = reading.read(text)
        if status == "off_scale":
            rejected.append(
                (wide.line_numbers[row], item_id, text[:200], f"answer is not on the item's scale ({reading.name})")
            )
            continue
        rows.append(row)
        values.append(value)
        comments.append(text if status == "comment" else None)
        na.append(status == "not_answered")
    answers = pd.DataFrame(
        {
            "row": pd.array(rows, dtype="int64"),
            "item_id": item_id,
            "value": pd.array(values, dtype="Int64"),
            "comment": pd.array(comments, dtype="object"),
            "not_answered": pd.array(na, dtype="bool"),
        }
    )
    rejects = pd.DataFrame(rejected, columns=["line_number", "column", "value", "reason"])
    return answers, rejects


def _summary(
    items: pd.DataFrame, answers: pd.DataFrame, n_rows: int, unmatched: list[str], label: str, item_map: ItemMap
) -> list[str]:
    n_respondents = answers["response_id"].nunique()
    kinds = Counter(items["kind"])
    scored = items[items["kind"].isin(scales.SCORED)]
    comment_kinds = [
        (scales.MULTI_SELECT, "multi-select"),
        (scales.CHOICE, "single choice"),
        (scales.TEXT, "free text"),
        (scales.EMPTY, "only N/A answers"),
    ]
    kept = ", ".join(f"{kinds[k]} {name}" for k, name in comment_kinds if kinds[k])
    lines = [
        f"{label}: {n_respondents} respondents of {n_rows} rows, {len(items)} items: {len(scored)} scored, "
        f"{len(items) - len(scored)} kept as comments ({kept or 'none'})"
    ]
    if len(scored):
        readings = Counter(scored["reading"])
        lines.append(
            "scales recognised: " + ", ".join(f"{name} ({n} item{'s' * (n > 1)})" for name, n in readings.most_common())
        )
    else:
        lines.append("scales recognised: none (no item's answers fit a label scale or 1..k)")
    n_na = int(answers["not_answered"].sum())
    if n_na:
        lines.append(f"{n_na} answer(s) such as N/A or Don't know are stored as not answered (no value)")
    if unmatched:
        shown = "; ".join(f"'{_short(t)}'" for t in unmatched[:5])
        more = f" and {len(unmatched) - 5} more" if len(unmatched) > 5 else ""
        lines.append(
            f"{len(unmatched)} item(s) not in the item map, loaded as their own items with no construct: {shown}{more}"
        )
    matched = len(items) - len(unmatched)
    if matched:
        constructs = Counter(c for c in items["construct"] if isinstance(c, str) and c)
        lines.append(
            f"{matched} item(s) matched the item map"
            + (f" (constructs: {', '.join(f'{c} {n}' for c, n in sorted(constructs.items()))})" if constructs else "")
        )
    return lines


def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 3] + "..."


def _write(con, items: pd.DataFrame, answers: pd.DataFrame) -> None:
    con.register(
        "survey_items_frame",
        items[["survey_id", "item_id", "item_text", "construct", "is_reverse_coded", "scale_points"]].astype(
            {"scale_points": "Int64"}
        ),
    )
    con.execute("""create or replace temp table staged_items as
        select survey_id::varchar as survey_id, item_id::varchar as item_id, item_text::varchar as item_text,
               construct::varchar as construct, is_reverse_coded::boolean as is_reverse_coded,
               scale_points::integer as scale_points
        from survey_items_frame""")
    con.unregister("survey_items_frame")
    frame = answers[["survey_id", "wave", "response_id", "item_id", "school_id", "role", "value", "comment"]]
    con.register("survey_answers_frame", frame)
    con.execute("""create or replace temp table staged_responses as
        select survey_id::varchar as survey_id, wave::varchar as wave, response_id::varchar as response_id,
               item_id::varchar as item_id, school_id::varchar as school_id, role::varchar as role,
               value::integer as value, comment::varchar as comment
        from survey_answers_frame""")
    con.unregister("survey_answers_frame")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "survey"
