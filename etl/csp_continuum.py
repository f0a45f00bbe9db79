"""Read a Common Standards Project (CSP) "clean-data" JSON file into rows of the standards table.

The file is a flat list of nodes of one standards tree (Common Core math or ELA/literacy). Nodes are
either folders (a domain, a cluster, a grade: `cls: folder`, at the top or inside `ASN`) or
standards. Each node lists its grades (`gradeLevels`: `KG`, `01`..`12`, often several), a `code` and,
under `CCSS`, a `dotNotation`.

What we keep and why:
  - every non-folder node with a code, and the folder nodes that are themselves standards with
    lettered parts (`K.CC.4` above `K.CC.4a`..`4c`, `W.3.1` above `W.3.1a`..): teachers grade
    against those too. Domains, clusters and grades are not standards and are left out.
  - continuum_level = the lowest of the node's grades (K=0): a standard belongs to the grade where it
    is first expected (high-school standards, listed for 09..12, sit at 9; the K-12 anchor and
    practice standards sit at 0). `grade_levels` keeps the whole list (`09,10,11,12`).
  - standard_code: ELA uses the file's CCSS dot notation (`CCSS.ELA-Literacy.RI.3.8`). The math file
    carries only the older notation (`Math.4.NF.1`, no cluster letter), so we rebuild the official
    identifier with the cluster letter found in the tree (`CCSS.Math.Content.4.NF.A.1`,
    `CCSS.Math.Content.HSA.REI.B.4`, `CCSS.Math.Practice.MP1`) and keep the file's code in
    `alt_code`. A math code whose cluster cannot be found keeps the file's code (counted).
  - `short_code` is the notation teachers write (`4.NF.1`, `RI.3.8`, `A-REI.4`); `parent_code` links a
    lettered part to its standard so coverage can avoid counting both.
  - a code seen twice (the ELA file has `CCRA.L.6` twice) is kept once, the first; counted.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from warehouse.cell_text import clean_text
from warehouse.grade_levels import grade_level_of

STANDARD_COLUMNS = [
    "standard_code",
    "framework",
    "content_area",
    "strand",
    "continuum_level",
    "description",
    "grade_levels",
    "alt_code",
    "short_code",
    "parent_code",
]

_MATH_GRADE_CODE = re.compile(r"^Math\.(?P<grade>K|\d{1,2})\.(?P<domain>[A-Z]+)\.(?P<number>\d+)(?P<part>[a-z]?)$")
_MATH_HS_CODE = re.compile(r"^Math\.HS(?P<category>[A-Z])-(?P<domain>[A-Z]+)\.(?P<number>\d+)(?P<part>[a-z]?)$")
_MATH_PRACTICE_CODE = re.compile(r"^Math\.MP\.(?P<number>\d+)$")
_MATH_CLUSTER_CODE = re.compile(r"^(?P<prefix>Math\..+)\.(?P<letter>[A-Z])$")
_ELA_CODE = re.compile(r"^CCSS\.ELA-Literacy\.(?P<strand>[A-Z]+)\.")
# Prefixes stripped before judging whether a folder's code names a standard (`W.3.1`) or a group.
_CODE_PREFIXES = ("CCSS.ELA-Literacy.", "CCSS.Math.Content.", "CCSS.Math.Practice.", "Math.", "Literacy.")
_LETTERED_PART = re.compile(r"^(?P<parent>.*\d)[a-z]$")

# CSP 0.8.0 files 2.OA.1 and 2.OA.2 under the grade-1 progression folders (1.OA.A, 1.OA.C) and leaves
# the grade-2 cluster folders unlinked; the published standards place them in clusters A and B.
_CLUSTER_FIXES = {"Math.2.OA.1": "A", "Math.2.OA.2": "B"}

_ELA_SUBJECTS = {
    "reading",
    "writing",
    "language",
    "speaking and listening",
    "english language arts",
    "ela",
    "ela-literacy",
    "literacy",
    "english",
}


@dataclass(frozen=True)
class CspReport:
    """What the reader kept and left out of one file, for the load report."""

    file_name: str
    nodes: int
    folders: int
    standards: int
    parent_standards: int  # folder nodes kept because they are standards with lettered parts
    without_code: int  # standard nodes with no code (ELA's `(Begins in grade 3)` placeholders)
    without_grade: int
    duplicates_dropped: int
    duplicate_examples: tuple[str, ...] = ()
    math_codes_kept_as_is: tuple[str, ...] = ()  # no cluster letter found

    def lines(self) -> list[str]:
        out = [
            f"{self.file_name}: {self.nodes} nodes, {self.folders} folders, {self.standards} standards "
            f"({self.parent_standards} of them parents of lettered parts)"
        ]
        if self.without_code:
            out.append(f"{self.without_code} standard node(s) without a code left out")
        if self.without_grade:
            out.append(f"{self.without_grade} standard node(s) without a grade level left out")
        if self.duplicates_dropped:
            out.append(f"{self.duplicates_dropped} duplicated code(s) kept once: " + ", ".join(self.duplicate_examples))
        if self.math_codes_kept_as_is:
            out.append(
                f"{len(self.math_codes_kept_as_is)} math code(s) without a cluster letter kept as "
                "written: " + ", ".join(self.math_codes_kept_as_is[:5])
            )
        return out


def read_csp_json(path: str | Path) -> pd.DataFrame:
    """The standards in a CSP JSON file as a DataFrame with `STANDARD_COLUMNS`; the `CspReport` is
    in `frame.attrs["report"]`. Raises ValueError naming the file when it is not a CSP node list."""
    frame, report = read_csp_json_with_report(path)
    frame.attrs["report"] = report
    return frame


def read_csp_json_with_report(path: str | Path) -> tuple[pd.DataFrame, CspReport]:
    path = Path(path)
    nodes = _load_nodes(path)
    tree = _Tree(nodes)
    rows: list[dict[str, Any]] = []
    counts = {"parents": 0, "without_code": 0, "without_grade": 0}
    for position, node in enumerate(nodes, start=1):
        code = _text_field(node, "code", path, position)
        if not _is_standard(node, code, counts):
            continue
        grades = _grades_of(node, path, position)
        if not grades:
            counts["without_grade"] += 1
            continue
        rows.append(_standard_row(node, code, grades, tree))
    if not rows:
        raise ValueError(f"{path.name}: no standard nodes with a code and a grade level among {len(nodes)} nodes")
    frame = pd.DataFrame(rows, columns=STANDARD_COLUMNS)
    duplicated = frame.duplicated("standard_code", keep="first")
    examples = tuple(sorted(frame.loc[duplicated, "standard_code"].unique())[:5])
    frame = frame[~duplicated].reset_index(drop=True)
    frame["parent_code"] = _parent_codes(frame["standard_code"])
    frame["continuum_level"] = frame["continuum_level"].astype("int64")
    report = CspReport(
        file_name=path.name,
        nodes=len(nodes),
        folders=sum(_is_folder(n) for n in nodes),
        standards=len(frame),
        parent_standards=counts["parents"],
        without_code=counts["without_code"],
        without_grade=counts["without_grade"],
        duplicates_dropped=int(duplicated.sum()),
        duplicate_examples=examples,
        math_codes_kept_as_is=_math_codes_kept_as_is(frame),
    )
    return frame, report


def _is_standard(node: dict, code: str | None, counts: dict[str, int]) -> bool:
    """Standard nodes with a code, and folders that are standards with lettered parts."""
    if _is_folder(node):
        is_parent = bool(code and _names_a_standard(code))
        counts["parents"] += is_parent
        return is_parent
    if not code:
        counts["without_code"] += 1
        return False
    return True


def _math_codes_kept_as_is(frame: pd.DataFrame) -> tuple[str, ...]:
    """Math rows still in the file's old notation: no cluster letter was found for them."""
    old_style = frame["standard_code"].str.startswith("Math.") & (frame["content_area"] == "math")
    return tuple(frame.loc[old_style, "standard_code"])


# --------------------------------------------------------------------------------------------------
# reading and checking the file


def _load_nodes(path: Path) -> list[dict[str, Any]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValueError(
            f"{path.name}: not UTF-8 text ({error.reason} at byte {error.start}); "
            "expected Common Standards Project JSON"
        ) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(
            f"{path.name}: not valid JSON ({error.msg} at line {error.lineno} column {error.colno})"
        ) from None
    if not isinstance(data, list):
        found = f"an object with keys {', '.join(list(data)[:5])}" if isinstance(data, dict) else type(data).__name__
        raise ValueError(f"{path.name}: expected a JSON list of Common Standards Project nodes, found {found}")
    if not data:
        raise ValueError(f"{path.name}: the list of standards nodes is empty")
    for position, node in enumerate(data, start=1):
        if not isinstance(node, dict):
            raise ValueError(
                f"{path.name}: node {position} is {type(node).__name__}, expected an object "
                "with code, statement and gradeLevels"
            )
    if not any("code" in node and ("statement" in node or "gradeLevels" in node) for node in data):
        raise ValueError(
            f"{path.name}: no node has the Common Standards Project fields code, statement "
            "and gradeLevels; is this a CSP clean-data export?"
        )
    return data


def _text_field(node: dict, key: str, path: Path, position: int) -> str | None:
    value = node.get(key)
    if value is not None and not isinstance(value, str):
        raise ValueError(f"{path.name}: node {position} has a {key} that is not text: {value!r}")
    return clean_text(value)


def _is_folder(node: dict) -> bool:
    asn = node.get("ASN") if isinstance(node.get("ASN"), dict) else {}
    return node.get("cls") == "folder" or asn.get("cls") == "folder"


def _names_a_standard(code: str) -> bool:
    """`Math.K.CC.4`, `CCSS.ELA-Literacy.W.3.1`, `Math.HSA-REI.4` name standards; `Math.4.NF.A`
    (cluster), `Math.4.NF` (domain) and `Math.4` (grade) name groups of them."""
    rest = code
    for prefix in _CODE_PREFIXES:
        if rest.startswith(prefix):
            rest = rest[len(prefix) :]
            break
    segments = rest.split(".")
    return len(segments) >= 2 and re.fullmatch(r"\d+[a-z]?", segments[-1]) is not None


def _grades_of(node: dict, path: Path, position: int) -> list[int]:
    """Sorted grades of a node from `gradeLevels` (the math file also spells it `gradelevels`),
    else from the `gradeLevel` label (`Grade 4`, `High School`, `Grades 9-10`, `K-12`)."""
    listed = node.get("gradeLevels", node.get("gradelevels"))
    if listed is not None:
        if not isinstance(listed, list):
            raise ValueError(f"{path.name}: node {position} has gradeLevels that is not a list: {listed!r}")
        grades = {grade_level_of(label) for label in listed}
        return sorted(g for g in grades if g is not None)
    return _grades_from_label(node.get("gradeLevel"))


def _grades_from_label(label: Any) -> list[int]:
    text = clean_text(label)
    if text is None:
        return []
    if text.lower() == "high school":
        return list(range(9, 13))
    span = re.fullmatch(r"(?:grades?\s*)?(\w+)\s*-\s*(?:grade\s*)?(\w+)", text, re.I)
    if span:
        low, high = grade_level_of(span.group(1)), grade_level_of(span.group(2))
        return list(range(low, high + 1)) if low is not None and high is not None and low <= high else []
    single = grade_level_of(text)
    return [single] if single is not None else []


# --------------------------------------------------------------------------------------------------
# one standard


def _standard_row(node: dict, code: str, grades: list[int], tree: _Tree) -> dict[str, Any]:
    ccss = node.get("CCSS") if isinstance(node.get("CCSS"), dict) else {}
    dot = clean_text(ccss.get("dotNotation")) or code
    area = _content_area(node, dot)
    if area == "math":
        standard_code = _official_math_code(dot, tree.cluster_letter(node, dot))
        alt_code = dot if standard_code != dot else None
    else:
        standard_code = dot
        alt_code = clean_text(ccss.get("dotNotationV1")) or (code if code != dot else None)
    return {
        "standard_code": standard_code,
        "framework": _framework(node),
        "content_area": area,
        "strand": _strand(dot),
        "continuum_level": grades[0],
        "description": clean_text(node.get("statement")),
        "grade_levels": ",".join(_grade_label(g) for g in grades),
        "alt_code": alt_code,
        "short_code": clean_text(node.get("shortCode")),
        "parent_code": None,
    }


def _content_area(node: dict, code: str) -> str | None:
    subject = (clean_text(node.get("subject")) or "").lower()
    if code.startswith(("Math.", "CCSS.Math")) or subject in {"math", "mathematics"}:
        return "math"
    if code.startswith(("CCSS.ELA-Literacy", "Literacy.")) or subject in _ELA_SUBJECTS:
        return "ela"
    return subject or None


def _framework(node: dict) -> str | None:
    jurisdiction = clean_text(node.get("jurisdiction")) or ""
    abbreviation = clean_text(node.get("jurisdictionAbbreviation"))
    if "common core" in jurisdiction.lower() or abbreviation in {"CC", "CCSS"}:
        return "CCSS"
    return abbreviation or jurisdiction or None


def _strand(code: str) -> str | None:
    """Domain abbreviation: `NF` (grade math), `A-REI` (high-school math: category-domain, since
    `S-MD` is not `MD`), `MP`, and for ELA the strand `RI`, `W`, `L`, `CCRA` (anchors), `WHST`..."""
    for pattern, strand in [
        (_MATH_GRADE_CODE, lambda m: m["domain"]),
        (_MATH_HS_CODE, lambda m: f"{m['category']}-{m['domain']}"),
        (_MATH_PRACTICE_CODE, lambda m: "MP"),
        (_ELA_CODE, lambda m: m["strand"]),
    ]:
        match = pattern.match(code)
        if match:
            return strand(match)
    return None


def _official_math_code(code: str, cluster: str | None) -> str:
    """`Math.4.NF.1` + cluster `A` -> `CCSS.Math.Content.4.NF.A.1` (the corestandards.org identifier)."""
    practice = _MATH_PRACTICE_CODE.match(code)
    if practice:
        return f"CCSS.Math.Practice.MP{practice['number']}"
    if cluster is None:
        return code
    grade = _MATH_GRADE_CODE.match(code)
    if grade:
        return f"CCSS.Math.Content.{grade['grade']}.{grade['domain']}.{cluster}.{grade['number']}{grade['part']}"
    high_school = _MATH_HS_CODE.match(code)
    if high_school:
        return (
            f"CCSS.Math.Content.HS{high_school['category']}.{high_school['domain']}.{cluster}."
            f"{high_school['number']}{high_school['part']}"
        )
    return code


def _grade_label(grade: int) -> str:
    return {0: "KG", -1: "PK"}.get(grade, f"{grade:02d}")


def _parent_codes(codes: pd.Series) -> pd.Series:
    """`...K.CC.B.4a` -> `...K.CC.B.4` when that standard is in the file, else None."""
    known = set(codes)
    parent = codes.str.extract(_LETTERED_PART, expand=False)
    return parent.where(parent.isin(known))


class _Tree:
    """Parent links of the CSP tree. Nodes name their parent three ways (`ASN.parent`, `asnParent`,
    `ccsiParent`) and themselves three ways (`ASN.id`, `asnIdentifier`, `id`); we follow all."""

    def __init__(self, nodes: list[dict]):
        self._by_id: dict[str, list[dict]] = {}
        for node in nodes:
            for key in self._own_ids(node):
                self._by_id.setdefault(key, []).append(node)

    @staticmethod
    def _own_ids(node: dict) -> list[str]:
        asn = node.get("ASN") if isinstance(node.get("ASN"), dict) else {}
        return [k for k in (asn.get("id"), node.get("asnIdentifier"), node.get("id")) if isinstance(k, str)]

    def _parents(self, node: dict) -> list[dict]:
        asn = node.get("ASN") if isinstance(node.get("ASN"), dict) else {}
        keys = [asn.get("parent"), node.get("asnParent"), node.get("ccsiParent")]
        return [parent for k in keys if isinstance(k, str) for parent in self._by_id.get(k, [])]

    def cluster_letter(self, node: dict, code: str) -> str | None:
        """The letter of the cluster folder above a math standard, of the same grade and domain."""
        prefix = code.rsplit(".", 1)[0]
        letters, seen, stack = set(), set(), self._parents(node)
        while stack:
            ancestor = stack.pop()
            if id(ancestor) in seen:
                continue
            seen.add(id(ancestor))
            cluster = _MATH_CLUSTER_CODE.match(ancestor.get("code") or "")
            if cluster and cluster["prefix"] == prefix:
                letters.add(cluster["letter"])
            stack.extend(self._parents(ancestor))
        if len(letters) == 1:
            return letters.pop()
        return _CLUSTER_FIXES.get(code) if not letters else None
