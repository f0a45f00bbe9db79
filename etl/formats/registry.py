"""Every format the loader knows, how each is recognised, and how it is loaded.

A format is either a preset (etl/presets/NAME.yaml, read by the kind's own adapter) or a converter
(etl/formats/*.py) that rewrites the export in the warehouse's own columns first. `detect` looks at a
sample of the file and says why it is that format, or returns None.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from etl.formats import continua, gradebooks, rosters
from etl.formats.sample import Sample
from etl.vocabulary import column_aliases, compact

POINTS_POSSIBLE = re.compile(r"^\s*points\s+possible\s*$", re.I)
ASSIGNMENT_ID = re.compile(r"\(\s*\d{4,}\s*\)\s*$")
SBG_MARK = re.compile(r"^([1-4](\.\d+)?[+-]?|u|pp|p|e|ie|ny|)$", re.I)
STANDARD_HEADER = re.compile(r"^[A-Z]{1,3}\.[A-Z]{1,4}(\.[0-9A-Za-z]+)*$")


@dataclass(frozen=True)
class Format:
    name: str
    kind: str
    description: str
    detect: Callable[[Sample], str | None]
    convert: Callable | None = None  # (con, path, options) -> Converted; None: a preset of that name
    needs: str = ""  # what the command line must add, e.g. "--school-year 2025-26"
    is_canonical: bool = False

    @property
    def is_preset(self) -> bool:
        return self.convert is None and not self.is_canonical


def _found(sample: Sample, kind: str, canonical: str, base: dict | None = None) -> str | None:
    """The header of `sample` that means a warehouse column, by the vocabulary."""
    lookup = {compact(h): h for h in sample.header}
    for name in [canonical, *column_aliases(kind, base).get(canonical, [])]:
        if compact(name) in lookup:
            return lookup[compact(name)]
    return None


def _points_row(sample: Sample) -> bool:
    return any(POINTS_POSSIBLE.match(cell) for r in sample.rows[:3] for cell in r[:3])


# ---------------------------------------------------------------- gradebooks


def _canvas_gradebook(sample: Sample) -> str | None:
    ids = sample.headers_matching(ASSIGNMENT_ID.pattern)
    if _points_row(sample) and ids and sample.has("Student"):
        identity = [
            h
            for h in ("Student", "ID", "SIS User ID", "SIS Login ID", "Integration ID", "Root Account", "Section")
            if sample.has(h)
        ]
        return (
            f"looks like a Canvas gradebook export: Points Possible row, assignment ids in parentheses "
            f"({len(ids)} assignments, e.g. '{ids[0]}'), identity columns {', '.join(identity)}"
        )
    if _points_row(sample) and sample.has("Student", "ID"):
        return (
            "looks like an older Canvas gradebook export: Points Possible row under `Student, ID, Section`, "
            "no SIS columns and no assignment ids"
        )
    return None


def _canvas_gradebook_full(sample: Sample) -> str | None:
    reason = _canvas_gradebook(sample)
    return reason if reason and "older" not in reason else None


def _canvas_gradebook_legacy(sample: Sample) -> str | None:
    reason = _canvas_gradebook(sample)
    return reason if reason and "older" in reason else None


def _canvas_mastery(sample: Sample) -> str | None:
    results = sample.headers_matching(r"\sresult$")
    mastery = sample.headers_matching(r"\smastery points$")
    if results and sample.has("Student name") and (sample.has("Student ID") or sample.has("Student SIS ID")):
        return (
            f"looks like a Canvas Learning Mastery Gradebook export: Student name, Student ID, Student SIS ID, "
            f"{len(results)} `<outcome> result` columns" + (f" with {len(mastery)} `mastery points`" if mastery else "")
        )
    return None


def _canvas_outcome_results(sample: Sample) -> str | None:
    if sample.has("learning outcome name", "outcome score"):
        return (
            "looks like a Canvas outcome results report: a row per student x outcome x assignment "
            "(learning outcome name, outcome score, learning outcome mastery score)"
        )
    return None


def _mc_items(sample: Sample) -> str | None:
    questions = sample.headers_matching(gradebooks.QUESTION_STANDARD.pattern)
    if questions:
        return (
            f"looks like a Mastery Connect item-level export: {len(questions)} question_N_standard columns "
            f"beside each question's points"
        )
    return None


def _mc_long(sample: Sample) -> str | None:
    if sample.has("score_state", "standard_name"):
        return "looks like Mastery Connect standard scores (long): score_state mastery / near_mastery / remediation"
    return None


def _mc_wide(sample: Sample) -> str | None:
    standards = [h for h in sample.header if STANDARD_HEADER.match(h.strip())]
    if standards and (sample.has("test_id") or sample.has("perc_cor")):
        return (
            f"looks like a Mastery Connect tracker (wide): {len(standards)} standard columns "
            f"({', '.join(standards[:3])}), test_id, perc_cor"
        )
    return None


def _oneroster_results(sample: Sample) -> str | None:
    if sample.bundle and "lineitems.csv" in sample.bundle and "results.csv" in sample.bundle:
        return "looks like a OneRoster 1.1 gradebook: lineItems.csv and results.csv"
    if sample.has("lineItemSourcedId", "studentSourcedId"):
        return "looks like OneRoster 1.1 results.csv (lineItemSourcedId, studentSourcedId, score)"
    if sample.has("sourcedId", "classSourcedId", "resultValueMax"):
        return "looks like OneRoster 1.1 lineItems.csv (resultValueMin, resultValueMax)"
    return None


def _sbg_spreadsheet(sample: Sample) -> str | None:
    if not sample.header or sample.header[0].strip():
        return None
    data = [r for r in sample.rows if r and not (r[0].strip() == "" and any(c.strip() == "100" for c in r))]
    cells = [c.strip() for r in data for c in r[1:] if c.strip()]
    if cells and sum(1 for c in cells if SBG_MARK.match(c)) >= 0.9 * len(cells):
        return (
            "looks like a teacher's standards-based spreadsheet: first column without a header, "
            "marks 1-4 with +/- and codes"
        )
    return None


def _canonical_gradebook(sample: Sample) -> str | None:
    from etl.adapters.gradebook import ALIASES

    has = {c: _found(sample, "gradebook", c, ALIASES) for c in ("student_id", "standard_code", "mark", "score")}
    if has["student_id"] and has["standard_code"] and (has["mark"] or has["score"]):
        return (
            f"has the warehouse's gradebook columns (student {has['student_id']}, standard "
            f"{has['standard_code']}, mark {has['mark'] or has['score']})"
        )
    return None


# ---------------------------------------------------------------- rosters


def _oneroster_roster(sample: Sample) -> str | None:
    if sample.bundle and "users.csv" in sample.bundle:
        files = ", ".join(sorted(sample.bundle))
        return f"looks like a OneRoster 1.1 bulk roster: {files}"
    if sample.has("sourcedId", "role") and (sample.has("givenName") or sample.has("familyName")):
        return "looks like OneRoster 1.1 users.csv (sourcedId, role, givenName, familyName)"
    return None


def _roster_columns(sample: Sample) -> dict[str, str | None]:
    from etl.adapters.roster import ALIASES

    return {c: _found(sample, "roster", c, ALIASES) for c in ("student_id", "school_id", "grade_level")}


def _program_rows(sample: Sample) -> str | None:
    program = rosters.program_column(sample.header)
    found = _roster_columns(sample)
    if program and found["student_id"] and (found["school_id"] or found["grade_level"]):
        return (
            f"looks like a roster with one program per row (the `{program}` column), Ed-Fi style: "
            f"{found['student_id']}, {found['school_id']}, {found['grade_level']}"
        )
    return None


def _program_flags(sample: Sample) -> str | None:
    found = _roster_columns(sample)
    flags = rosters.flag_columns(sample.header)
    program = rosters.program_column(sample.header)
    if found["student_id"] and (flags or program) and not found["school_id"] and not found["grade_level"]:
        what = ", ".join(flags.values()) if flags else f"the `{program}` column"
        return f"looks like program flags in a file of their own: {found['student_id']} and {what}, no school or grade"
    return None


def _canonical_roster(sample: Sample) -> str | None:
    found = _roster_columns(sample)
    if found["student_id"] and found["school_id"] and found["grade_level"]:
        return f"has a roster's columns ({found['student_id']}, {found['school_id']}, {found['grade_level']})"
    return None


# ---------------------------------------------------------------- continua


def _case(sample: Sample) -> str | None:
    if isinstance(sample.json, dict) and "CFItems" in sample.json:
        title = (sample.json.get("CFDocument") or {}).get("title", "")
        return f"looks like a 1EdTech CASE package ('{title}', {len(sample.json['CFItems'])} CFItems)"
    return None


def _csp(sample: Sample) -> str | None:
    nodes = sample.json
    if isinstance(nodes, dict):
        nodes = nodes.get("standards") or nodes.get("data")
        nodes = list(nodes.values()) if isinstance(nodes, dict) else nodes
    if isinstance(nodes, list) and nodes and isinstance(nodes[0], dict) and "gradeLevels" in nodes[0]:
        return f"looks like a Common Standards Project JSON node list ({len(nodes)} nodes with gradeLevels)"
    return None


def _canvas_outcomes_import(sample: Sample) -> str | None:
    if sample.has("vendor_guid", "object_type", "parent_guids"):
        return (
            "looks like a Canvas outcomes import file (outcome definitions: vendor_guid, object_type, "
            "parent_guids, ratings), which holds no student's marks and no grade levels"
        )
    return None


def _nested(sample: Sample) -> str | None:
    if sample.json is not None and not _case(sample) and not _csp(sample):
        return "a JSON tree that is neither CASE nor Common Standards Project: read as grade -> strand -> standard"
    return None


def _ngss(sample: Sample) -> str | None:
    for i, header in enumerate(sample.header):
        cells = [r[i].strip() for r in sample.rows if i < len(r) and r[i].strip()]
        codes = [c for c in cells if continua.NGSS_CODE.match(c)]
        if cells and len(codes) >= 0.5 * len(cells) and not _canonical_continuum(sample):
            return f"looks like NGSS performance expectations (`{codes[0]}` in column {header or i + 1})"
    return None


def _canonical_continuum(sample: Sample) -> str | None:
    from etl.adapters.continuum import ALIASES

    found = {c: _found(sample, "continuum", c, ALIASES) for c in ("standard_code", "content_area", "continuum_level")}
    if all(found.values()):
        return f"has the continuum's columns ({', '.join(found.values())})"
    return None


def _learning_offerings(sample: Sample) -> str | None:
    from etl.adapters.learning import looks_like_offerings  # etl.adapters imports this module

    return looks_like_offerings(sample.header)


FORMATS: tuple[Format, ...] = (
    # gradebooks, most specific first
    Format(
        "canvas_mastery_gradebook",
        "gradebook",
        "Canvas Learning Mastery Gradebook export (outcomes, wide)",
        _canvas_mastery,
        gradebooks.canvas_mastery_gradebook,
        "--school-year 2025-26",
    ),
    Format(
        "canvas_outcome_results",
        "gradebook",
        "Canvas outcome results report (long)",
        _canvas_outcome_results,
        gradebooks.canvas_outcome_results,
    ),
    Format(
        "masteryconnect_items",
        "gradebook",
        "Mastery Connect item-level export (question_N_standard)",
        _mc_items,
        gradebooks.masteryconnect_items,
    ),
    Format(
        "oneroster_results",
        "gradebook",
        "OneRoster 1.1 gradebook (lineItems.csv + results.csv)",
        _oneroster_results,
        gradebooks.oneroster_results,
    ),
    Format(
        "canvas_gradebook",
        "gradebook",
        "Canvas gradebook export (points, wide)",
        _canvas_gradebook_full,
        needs="--school-year 2025-26",
    ),
    Format(
        "canvas_gradebook_legacy",
        "gradebook",
        "older Canvas gradebook export (no SIS columns)",
        _canvas_gradebook_legacy,
        needs="--school-year 2025-26",
    ),
    Format("masteryconnect_long", "gradebook", "Mastery Connect standard scores (long)", _mc_long),
    Format("masteryconnect_wide", "gradebook", "Mastery Connect tracker (wide)", _mc_wide),
    Format(
        "eld_sbg_plusminus",
        "gradebook",
        "a teacher's standards-based spreadsheet (1-4 with +/-)",
        _sbg_spreadsheet,
        needs="--school-year 2025-26",
    ),
    Format("canonical", "gradebook", "the warehouse's own gradebook columns", _canonical_gradebook, is_canonical=True),
    # rosters
    Format(
        "oneroster_roster",
        "roster",
        "OneRoster 1.1 bulk roster (folder or zip)",
        _oneroster_roster,
        rosters.oneroster_roster,
    ),
    Format(
        "program_rows",
        "roster",
        "roster with one program per row (Flag column, Ed-Fi style)",
        _program_rows,
        rosters.program_rows,
    ),
    Format("program_flags", "roster", "program flags in a file of their own", _program_flags, rosters.program_flags),
    Format(
        "canonical",
        "roster",
        "a roster (SIS, Ed-Fi, Clever, ClassLink column names)",
        _canonical_roster,
        is_canonical=True,
    ),
    # continua
    Format("case_json", "continuum", "1EdTech CASE package (JSON)", _case, continua.case_json),
    Format("common_standards_project", "continuum", "Common Standards Project JSON", _csp, is_canonical=True),
    Format(
        "canvas_outcomes_import",
        "continuum",
        "Canvas outcomes import (definitions only)",
        _canvas_outcomes_import,
        continua.canvas_outcomes_import,
    ),
    Format("nested_json", "continuum", "grade -> strand -> standard JSON", _nested, continua.nested_json),
    Format("ngss_csv", "continuum", "NGSS performance expectations (CSV)", _ngss, continua.ngss_csv),
    Format("canonical", "continuum", "the continuum's own columns (CSV)", _canonical_continuum, is_canonical=True),
    # professional learning
    Format(
        "canonical",
        "learning",
        "professional-learning offerings (a row per offering)",
        _learning_offerings,
        is_canonical=True,
    ),
)


def converter(kind: str, name: str | None) -> Format | None:
    return next((f for f in FORMATS if f.kind == kind and f.name == name and f.convert), None)


def by_name(kind: str, name: str) -> Format | None:
    return next((f for f in FORMATS if f.kind == kind and f.name == name), None)
