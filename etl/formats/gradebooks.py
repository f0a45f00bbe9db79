"""Gradebook exports whose shape the mapping file cannot describe, rewritten as long canonical rows.

    canvas_mastery_gradebook   Canvas Learning Mastery Gradebook export: `Student name, Student ID,
                               Student SIS ID, <group> > <outcome> result, ... mastery points`
    canvas_outcome_results     Canvas "Outcome Results" report: a row per student x outcome x assignment
    masteryconnect_items       Mastery Connect item-level export: `question_N_standard` and the points of
                               each question; the questions of one standard are that standard's evidence
    oneroster_results          OneRoster 1.1 gradebook: lineItems.csv + results.csv (and users.csv for
                               the district's ids), a folder, a zip, or results.csv beside the others

Each becomes rows of (student_id, assessed_on, section_id, ..., standard_code, mark, score), the
mark as the export wrote it and the score on the warehouse's 0-4 scale; the reasoning for each
score rule is beside it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from etl.errors import LoadRefused
from etl.formats.converted import Converted, write_canonical
from etl.formats.sample import read_bundle
from etl.vocabulary import compact

LONG_MAPPING = {
    "kind": "gradebook",
    "shape": "long",
    "school_year_from_date": True,
    "scale": {
        "type": "numeric",
        "min": 0,
        "max": 4,
        "codes": {"exempt": "excused", "not submitted": "missing", "excused": "excused"},
    },
}
# Mastery Connect's own tracker bands: mastery from 80%, near mastery from 60%, remediation below,
# onto the 1-4 scale as etl/presets/masteryconnect_long.yaml maps its three levels (3 / 2 / 1).
MASTERY_CONNECT_BANDS = ((80.0, 3.0, "mastery"), (60.0, 2.0, "near_mastery"), (0.0, 1.0, "remediation"))
# Percent of points on the project's conversion chart (etl/presets/README.md, `chart`).
PERCENT_BANDS = ((90.0, 4.0), (70.0, 3.0), (60.0, 2.0), (0.0, 1.0))
RESULT_SUFFIX = re.compile(r"\s+result\s*$", re.I)
MASTERY_SUFFIX = re.compile(r"\s+mastery points\s*$", re.I)
QUESTION_STANDARD = re.compile(r"^question_?(\d+)_?standard$", re.I)


def _read(path: Path) -> pd.DataFrame:
    from etl.surveys.detect import read_rows

    rows = read_rows(path)
    header = [c.strip() for c in rows.rows[0]]
    width = len(header)
    data = [(r + [""] * width)[:width] for r in rows.rows[1:]]
    frame = pd.DataFrame(data, columns=_unique(header), dtype="object")
    frame.insert(0, "_line", rows.line_numbers[1:])
    return frame


def _unique(header: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for h in header:
        seen[h] = seen.get(h, 0) + 1
        out.append(h if seen[h] == 1 else f"{h}_{seen[h]}")
    return out


def _col(frame: pd.DataFrame, *names: str) -> str | None:
    lookup = {compact(c): c for c in frame.columns}
    return next((lookup[compact(n)] for n in names if compact(n) in lookup), None)


def _number(text) -> float | None:
    try:
        return float(str(text).strip().replace(",", "."))
    except (TypeError, ValueError):
        return None


def score_from_mastery(result: float | None, mastery: float | None) -> float | None:
    """Canvas outcome points onto 0-4: the outcome's mastery points are the proficiency cut (3), so
    a result at mastery is 3, zero is 0, and results above mastery rise to at most 4."""
    if result is None:
        return None
    if not mastery or mastery <= 0:
        return round(min(max(result, 0.0), 4.0), 2)
    return round(min(4.0, max(0.0, 3.0 * result / mastery)), 2)


def _frame(rows: list[dict]) -> pd.DataFrame:
    columns = [
        "student_id",
        "school_year",
        "assessed_on",
        "school_id",
        "course_id",
        "section_id",
        "teacher_id",
        "standard_code",
        "mark",
        "score",
        "assessment_name",
    ]
    return pd.DataFrame(rows, columns=columns)


def _converted(rows: list[dict], path: Path, notes: list[str], **mapping_overrides) -> Converted:
    if not rows:
        raise LoadRefused(f"{path.name}: no marks found in the export")
    frame = _frame(rows)
    mapping = {**LONG_MAPPING, **mapping_overrides}
    return Converted(write_canonical(frame, path), mapping, notes)


# ---------------------------------------------------------------- Canvas Learning Mastery Gradebook


def canvas_mastery_gradebook(con, path: Path, options) -> Converted:
    frame = _read(path)
    student = _col(frame, "Student SIS ID", "SIS User ID") or _col(frame, "Student ID")
    section = _col(frame, "Section", "Section SIS ID")
    results = [c for c in frame.columns if RESULT_SUFFIX.search(c)]
    rows = []
    for column in results:
        outcome = RESULT_SUFFIX.sub("", column)
        mastery_column = _col(frame, f"{outcome} mastery points")
        code = outcome.split(" > ")[-1].strip()
        for _, row in frame.iterrows():
            mark = str(row[column]).strip()
            if not mark:
                continue
            mastery = _number(row[mastery_column]) if mastery_column else None
            rows.append(
                {
                    "student_id": row[student],
                    "section_id": row[section] if section else None,
                    "standard_code": code,
                    "mark": mark,
                    "score": score_from_mastery(_number(mark), mastery),
                    "assessment_name": "Learning Mastery Gradebook",
                }
            )
    notes = [
        f"Canvas Learning Mastery Gradebook: {len(results)} outcomes x {len(frame)} students; a result at the "
        "outcome's mastery points is 3 (proficient), zero is 0, above mastery at most 4"
    ]
    return _converted(rows, path, notes, school_year_from_date=False)


# ---------------------------------------------------------------- Canvas outcome results report


def canvas_outcome_results(con, path: Path, options) -> Converted:
    frame = _read(path)
    get = lambda *names: _col(frame, *names)  # noqa: E731
    student = get("student sis id") or get("student id")
    outcome, score = get("learning outcome name"), get("outcome score")
    mastery, date = get("learning outcome mastery score"), get("submission date")
    rows = []
    for _, row in frame.iterrows():
        mark = str(row[score]).strip()
        if not mark and not str(row[outcome]).strip():
            continue
        rows.append(
            {
                "student_id": row[student],
                "assessed_on": row[date] if date else None,
                "course_id": row[get("course sis id")] if get("course sis id") else None,
                "section_id": (row[get("section sis id")] or row[get("section id")]) if get("section sis id") else None,
                "standard_code": str(row[outcome]).strip(),
                "mark": mark,
                "score": score_from_mastery(_number(mark), _number(row[mastery]) if mastery else None),
                "assessment_name": row[get("assignment title")] if get("assignment title") else None,
            }
        )
    notes = [
        "Canvas outcome results report: outcome score against the outcome's mastery score "
        "(at mastery = 3, zero = 0, above mastery at most 4); school year from each submission date"
    ]
    return _converted(rows, path, notes)


# ---------------------------------------------------------------- Mastery Connect, item level


def _band(percent: float) -> tuple[float, str]:
    return next((score, label) for cut, score, label in MASTERY_CONNECT_BANDS if percent >= cut)


def masteryconnect_items(con, path: Path, options) -> Converted:
    frame = _read(path)
    questions = sorted((int(m.group(1)), c) for c in frame.columns if (m := QUESTION_STANDARD.match(c.strip())))
    if not questions:
        raise LoadRefused(f"{path.name}: no question_N_standard columns")
    student = _col(frame, "student_number", "student_sis_id", "sis_id") or _col(frame, "student_id")
    date = _col(frame, "date_taken", "given_on", "test_date", "date", "submitted_at")
    rows = []
    for _, row in frame.iterrows():
        per_standard: dict[str, list[float]] = {}
        for n, standard_column in questions:
            code = str(row[standard_column]).strip()
            if not code:
                continue
            earned = _number(
                row.get(
                    _col(frame, f"question_{n}_points", f"question_{n}_points_earned", f"question_{n}_score") or "",
                    None,
                )
            )
            possible = _number(
                row.get(_col(frame, f"question_{n}_points_possible", f"question_{n}_max_points") or "", None)
            )
            if earned is None:
                correct = str(row.get(_col(frame, f"question_{n}_correct") or "", "")).strip().lower()
                if correct not in ("true", "false", "1", "0", "yes", "no"):
                    continue  # not answered: no evidence
                earned, possible = (1.0 if correct in ("true", "1", "yes") else 0.0), 1.0
            for part in re.split(r"\s*[;|]\s*", code):  # a question may be aligned to two standards
                totals = per_standard.setdefault(part, [0.0, 0.0, 0])
                totals[0] += earned
                totals[1] += possible if possible is not None else 1.0
                totals[2] += 1
        for code, (earned, possible, _n) in per_standard.items():
            if possible <= 0:
                continue
            percent = 100.0 * earned / possible
            score, label = _band(percent)
            rows.append(
                {
                    "student_id": row[student],
                    "assessed_on": row[date] if date else None,
                    "school_id": _cell(frame, row, "school_id", "school"),
                    "section_id": _cell(frame, row, "section_id", "section"),
                    "teacher_id": _cell(frame, row, "teacher_id", "teacher"),
                    "standard_code": code,
                    "mark": f"{earned:g}/{possible:g} ({percent:.0f}%, {label})",
                    "score": score,
                    "assessment_name": _cell(frame, row, "assessment_name", "assessment", "tracker"),
                }
            )
    notes = [
        f"Mastery Connect item level: {len(questions)} questions x {len(frame)} students; the questions of "
        "one standard are one piece of evidence, its percent of points on Mastery Connect's bands "
        "(mastery from 80% = 3, near mastery from 60% = 2, remediation = 1)"
    ]
    return _converted(rows, path, notes)


def _cell(frame: pd.DataFrame, row, *names: str):
    column = _col(frame, *names)
    return row[column] if column else None


# ---------------------------------------------------------------- OneRoster 1.1 gradebook results


def oneroster_results(con, path: Path, options) -> Converted:
    bundle = read_bundle(path)
    if "lineitems.csv" not in bundle or "results.csv" not in bundle:
        raise LoadRefused(
            f"{Path(path).name}: a OneRoster gradebook needs lineItems.csv and results.csv "
            f"side by side (found: {', '.join(sorted(bundle)) or 'no OneRoster files'})"
        )
    items = _table(bundle["lineitems.csv"])
    results = _table(bundle["results.csv"])
    users = _table(bundle["users.csv"]) if "users.csv" in bundle else pd.DataFrame()
    identifiers = {}
    if len(users) and "identifier" in users:
        identifiers = {s: (i or s) for s, i in zip(users["sourcedId"], users["identifier"])}
    by_item = {row["sourcedId"]: row for _, row in items.iterrows()}
    rows, n_deleted = [], 0
    for _, result in results.iterrows():
        if result.get("status", "").lower() == "tobedeleted":
            n_deleted += 1
            continue
        item = by_item.get(result["lineItemSourcedId"])
        if item is None:
            continue
        low, high = _number(item.get("resultValueMin")), _number(item.get("resultValueMax"))
        value = _number(result.get("score"))
        status = (result.get("scoreStatus") or "").strip()
        mark = result.get("score", "").strip() or status
        rows.append(
            {
                "student_id": identifiers.get(result["studentSourcedId"], result["studentSourcedId"]),
                "assessed_on": (result.get("scoreDate") or item.get("dueDate") or "")[:10] or None,
                "section_id": item.get("classSourcedId"),
                "standard_code": item.get("title", "").strip(),
                "mark": mark,
                "score": _result_score(value, low, high),
                "assessment_name": item.get("title"),
            }
        )
    notes = [
        "OneRoster 1.1 gradebook (lineItems.csv + results.csv): each line item is a standard; a score "
        "within 0-4 on a line item whose range is 0-4 is kept, any other range is charted as a percent "
        "(>=60 -> 2, >=70 -> 3, >=90 -> 4)" + (", students by users.csv identifier" if identifiers else "")
    ]
    if n_deleted:
        notes.append(f"{n_deleted} result(s) with status tobedeleted were passed over")
    return _converted(rows, Path(path).with_name("results.csv") if Path(path).is_dir() else Path(path), notes)


def _table(rows: list[list[str]]) -> pd.DataFrame:
    header = [c.strip() for c in rows[0]]
    width = len(header)
    return pd.DataFrame([(r + [""] * width)[:width] for r in rows[1:]], columns=header, dtype="object").fillna("")


def _result_score(value: float | None, low: float | None, high: float | None) -> float | None:
    if value is None:
        return None
    low = low if low is not None else 0.0
    if high is not None and low >= 0 and high <= 4:
        return value if low <= value <= high else None
    if high is None or high <= low:
        return value if 0 <= value <= 4 else None
    percent = 100.0 * (value - low) / (high - low)
    return next(score for cut, score in PERCENT_BANDS if percent >= cut) if percent >= 0 else None
