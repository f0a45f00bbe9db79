"""Standards frameworks in the shapes they are published in, rewritten as canonical continuum rows.

case_json      1EdTech CASE package (CFDocument, CFItems with humanCodingScheme, fullStatement,
               educationLevel; CFAssociations isChildOf), CASE 1.0 and the pre-1.0 OpenSALT shape
ngss_csv       NGSS performance expectations (`K-PS2-2`, `MS-LS1-1`, `HS-ESS3-5`): grade or band
               from the code, the disciplinary core idea as strand
nested_json    a grade -> strand -> standard tree, as districts and vendors write their own
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from etl import vocabulary
from etl.errors import LoadRefused
from etl.formats.converted import Converted, write_canonical
from warehouse.grade_levels import grade_level_of

NGSS_CODE = re.compile(r"^(K|[1-5]|MS|HS)-(PS\d|LS\d|ESS\d|ETS\d)-(\d+)$", re.I)
# A code that names its grade: `6.RP.A.1`, `CCSS.Math.Content.K.CC.A.1`, `RL.3.1`, `HSA.REI.B.4`.
GRADE_IN_CODE = re.compile(r"(?:^|\.)(K|[1-9]|1[0-2])\.[A-Z]{1,4}(?:\.|$)|^(?:[A-Z]{1,4})\.(K|[1-9]|1[0-2])\.\d", re.I)
HIGH_SCHOOL_CODE = re.compile(r"(?:^|\.)HS[A-Z]", re.I)
CONTENT_WORDS = (
    ("math", "math"),
    ("ela", "ela"),
    ("english", "ela"),
    ("literacy", "ela"),
    ("reading", "ela"),
    ("science", "science"),
    ("ngss", "science"),
    ("social studies", "social_studies"),
)
COLUMNS = ["standard_code", "framework", "content_area", "strand", "continuum_level", "description"]


def content_area_of(*texts) -> str | None:
    for text in texts:
        words = " ".join(t if isinstance(t, str) else " ".join(map(str, t)) for t in [text] if t).lower()
        for word, area in CONTENT_WORDS:
            if re.search(rf"\b{word}", words):
                return area
    return None


def grade_of_code(code: str) -> int | None:
    ngss = NGSS_CODE.match(code or "")
    if ngss:
        band = ngss.group(1).upper()
        return vocabulary.grade_band(band) if band in ("K", "MS", "HS") else int(band)
    found = GRADE_IN_CODE.search(code or "")
    if found:
        grade = found.group(1) or found.group(2)
        return 0 if grade.upper() == "K" else int(grade)
    return 9 if HIGH_SCHOOL_CODE.search(code or "") else None


def _level(value) -> int | None:
    """CASE educationLevel: a list (`["06"]`, `["09","10","11","12"]`) or, before 1.0, a string; the lowest."""
    values = value if isinstance(value, list) else re.split(r"\s*[,;]\s*", str(value)) if value else []
    grades = [
        g
        for g in (grade_level_of(v) if grade_level_of(v) is not None else vocabulary.grade_code(v) for v in values)
        if g is not None
    ]
    return min(grades) if grades else None


def _identifier(node) -> str | None:
    """A CASE link: `{title, identifier, uri}` in 1.0, a bare URI string before it."""
    if isinstance(node, dict):
        return node.get("identifier") or node.get("uri")
    return str(node).rstrip("/").rsplit("/", 1)[-1] if node else None


# ---------------------------------------------------------------- CASE


def case_json(con, path: Path, options) -> Converted:
    package = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    document = package.get("CFDocument") or {}
    items = package.get("CFItems") or []
    parents = {}
    for association in package.get("CFAssociations") or []:
        if association.get("associationType") == "isChildOf":
            parents.setdefault(
                _identifier(association.get("originNodeURI")), _identifier(association.get("destinationNodeURI"))
            )
    by_id = {item.get("identifier"): item for item in items}
    by_uri_tail = {str(item.get("uri", "")).rstrip("/").rsplit("/", 1)[-1]: item for item in items}
    area = content_area_of(document.get("subject"), document.get("title"))
    framework = document.get("title")
    children: dict[str, list[str]] = {}
    for child, parent_id in parents.items():
        children.setdefault(parent_id, []).append(child)
    rows, n_no_code, n_groups = [], 0, 0
    for item in items:
        code = (item.get("humanCodingScheme") or "").strip()
        if not code:
            n_no_code += 1
            continue
        if _is_grouping(item, code, [by_id.get(c) for c in children.get(item.get("identifier"), [])]):
            n_groups += 1
            continue
        parent = by_id.get(parents.get(item.get("identifier"))) or by_uri_tail.get(parents.get(item.get("identifier")))
        level = _level(item.get("educationLevel"))
        if level is None and parent is not None:
            level = _level(parent.get("educationLevel"))
        if level is None:
            level = grade_of_code(code)
        rows.append(
            {
                "standard_code": code,
                "framework": framework,
                "content_area": area or content_area_of(code, item.get("CFItemType")),
                "strand": (parent.get("abbreviatedStatement") or parent.get("humanCodingScheme")) if parent else None,
                "continuum_level": level,
                "description": item.get("fullStatement"),
            }
        )
    frame = pd.DataFrame(rows, columns=COLUMNS)
    if frame.empty:
        raise LoadRefused(f"{Path(path).name}: a CASE package with no CFItem that has a humanCodingScheme")
    if frame["continuum_level"].isna().all():
        raise LoadRefused(
            f"{Path(path).name}: looks like a CASE package ('{framework}', {len(items)} CFItems), "
            "but no CFItem has an educationLevel and no code names a grade, so no standard has a "
            "place on the continuum: add educationLevel to the items (or export the framework as "
            "the canonical CSV with a continuum_level column)"
        )
    if frame["content_area"].isna().all():
        raise LoadRefused(
            f"{Path(path).name}: a CASE package whose CFDocument names no subject: add `subject` to the CFDocument"
        )
    links = [a.get(k) for a in package.get("CFAssociations") or [] for k in ("CFDocumentURI", "originNodeURI")]
    version = "CASE before 1.0 (OpenSALT)" if any(isinstance(link, str) for link in links) else "CASE 1.0"
    notes = [
        f"{version} package '{framework}': {len(frame)} items with a code"
        + (f", {n_no_code} without one left out" if n_no_code else "")
        + (f", {n_groups} groupings (domains, clusters) left out" if n_groups else "")
        + "; grade from educationLevel, else the parent's, else the code (6.RP.A.1 -> 6)"
    ]
    return Converted(write_canonical(frame, path), {}, notes)


GROUPING_TYPES = {
    "domain",
    "cluster",
    "strand",
    "grade",
    "grade level",
    "category",
    "topic",
    "subject",
    "course",
    "standard category",
    "conceptual category",
    "section",
    "unit",
    "framework",
}


def _is_grouping(item: dict, code: str, children: list) -> bool:
    """Domains and clusters group standards; they are not graded. A standard with lettered parts
    (`K.CC.4` over `K.CC.4a`) is still a standard, as in etl/csp_continuum.py."""
    kind = str(item.get("CFItemType") or "").strip().lower()
    if kind in GROUPING_TYPES:
        return True
    if kind:
        return False
    child_codes = [str((c or {}).get("humanCodingScheme") or "") for c in children]
    if not child_codes:
        return False
    return not all(re.fullmatch(re.escape(code) + r"\.?[a-z]", c) for c in child_codes if c)


# ---------------------------------------------------------------- NGSS


def ngss_csv(con, path: Path, options) -> Converted:
    from etl.formats.gradebooks import _col, _read

    frame = _read(path)
    code_column = next(
        c
        for c in frame.columns
        if c != "_line" and frame[c].astype(str).str.strip().str.match(NGSS_CODE.pattern, case=False).mean() > 0.5
    )
    description = _col(
        frame, "description", "statement", "performance expectation text", "text", "title", "full_statement"
    )
    strands = vocabulary.codes("ngss_strands")
    rows = []
    for _, row in frame.iterrows():
        code = str(row[code_column]).strip()
        match = NGSS_CODE.match(code)
        dci = match.group(2).upper() if match else None
        rows.append(
            {
                "standard_code": code.upper() if match else code,
                "framework": "NGSS",
                "content_area": "science",
                "strand": strands.get(dci, dci) if dci else None,
                "continuum_level": grade_of_code(code),
                "description": row[description] if description else None,
            }
        )
    notes = [
        "NGSS performance expectations: grade from the code (K-5; MS = grade band 6-8 at 6, HS = 9-12 at 9), "
        "strand from the disciplinary core idea"
    ]
    return Converted(write_canonical(pd.DataFrame(rows, columns=COLUMNS), path), {}, notes)


# ---------------------------------------------------------------- grade -> strand -> standard JSON

CODE_KEYS = ("code", "standard_code", "standardcode", "id", "identifier", "humanCodingScheme")
TEXT_KEYS = ("description", "statement", "text", "title", "fullStatement", "name")
GRADE_KEYS = ("grade", "grade_level", "gradelevel", "level", "grade_band")
STRAND_KEYS = ("strand", "domain", "name", "title", "cluster")
AREA_KEYS = ("subject", "content_area", "contentarea", "discipline")
CHILD_KEYS = ("standards", "strands", "domains", "grades", "children", "items", "clusters")


def nested_json(con, path: Path, options) -> Converted:
    tree = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    rows: list[dict] = []
    _walk(tree, {"content_area": None, "continuum_level": None, "strand": None, "framework": None}, rows, 0)
    frame = pd.DataFrame(rows, columns=COLUMNS)
    if frame.empty:
        raise LoadRefused(f"{Path(path).name}: no standard (an object with a code) found in the JSON tree")
    if frame["content_area"].isna().all():
        area = content_area_of(Path(path).stem.replace("_", " "))
        if area is None:
            raise LoadRefused(
                f'{Path(path).name}: the standards tree names no subject: add "subject": "math" at its top'
            )
        frame["content_area"] = area
    notes = [f"a grade -> strand -> standard tree: {len(frame)} standards"]
    return Converted(write_canonical(frame, path), {}, notes)


def _pick(node: dict, keys) -> object:
    lowered = {k.lower(): v for k, v in node.items()}
    return next(
        (lowered[k.lower()] for k in keys if k.lower() in lowered and not isinstance(lowered[k.lower()], (list, dict))),
        None,
    )


def _walk(node, context: dict, rows: list[dict], depth: int) -> None:
    if depth > 12:
        return
    if isinstance(node, list):
        for child in node:
            _walk(child, context, rows, depth + 1)
        return
    if not isinstance(node, dict):
        return
    context = dict(context)
    area = _pick(node, AREA_KEYS)
    if area:
        context["content_area"] = content_area_of(area) or str(area).lower()
    if _pick(node, ("framework",)):
        context["framework"] = _pick(node, ("framework",))
    grade = _pick(node, GRADE_KEYS)
    if grade is not None:
        context["continuum_level"] = (
            grade_level_of(grade) if grade_level_of(grade) is not None else vocabulary.grade_band(grade)
        )
    code = _pick(node, CODE_KEYS)
    children = [v for k, v in node.items() if isinstance(v, (list, dict))]
    if code and not any(isinstance(node.get(k), list) for k in CHILD_KEYS):
        rows.append(
            {
                "standard_code": str(code).strip(),
                "framework": context["framework"],
                "content_area": context["content_area"],
                "strand": context["strand"],
                "continuum_level": context["continuum_level"]
                if context["continuum_level"] is not None
                else grade_of_code(str(code)),
                "description": _pick(node, TEXT_KEYS),
            }
        )
        return
    strand = _pick(node, STRAND_KEYS)
    if strand and grade is None or (strand and _pick(node, ("strand", "domain"))):
        context["strand"] = strand
    for key, value in node.items():
        if isinstance(value, (list, dict)):
            if (
                isinstance(value, dict)
                and key.lower() not in CHILD_KEYS
                and all(isinstance(v, (list, dict)) for v in value.values())
            ):
                pass
            child_context = dict(context)
            # `{"3": {"Number and Operations": [...]}}`: keys that are grades or strands.
            if key.lower() not in CHILD_KEYS:
                as_grade = grade_level_of(key)
                if as_grade is not None and context["continuum_level"] is None:
                    child_context["continuum_level"] = as_grade
                elif as_grade is None:
                    child_context["strand"] = key
            _walk(value, child_context, rows, depth + 1)
    del children


def canvas_outcomes_import(con, path: Path, options) -> Converted:
    """Refused with what it is: outcome definitions carry no grade level to place them on the continuum."""
    raise LoadRefused(
        f"{Path(path).name}: looks like a Canvas outcomes import file (outcome definitions for "
        "Canvas, not marks, and without grade levels): load the framework the outcomes come from "
        "(CASE JSON, Common Standards Project JSON or the canonical CSV with continuum_level), and "
        "the marks from a Canvas outcome results report or Learning Mastery Gradebook export"
    )
