"""The Common Standards Project reader: real CCSS files and small hand-written trees."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from etl.csp_continuum import STANDARD_COLUMNS, read_csp_json, read_csp_json_with_report
from tests.conftest import skip_without_realdata

CONTINUUM = Path(__file__).resolve().parents[2] / "shared" / "realdata" / "continuum"
MATH_JSON = CONTINUUM / "ccss_math_csp_0.8.0.json"
ELA_JSON = CONTINUUM / "ccss_ela_literacy_csp_0.8.0.json"


def _real(path: Path):
    skip_without_realdata(path)
    return read_csp_json_with_report(path)


@pytest.fixture(scope="module")
def math():
    return _real(MATH_JSON)


@pytest.fixture(scope="module")
def ela():
    return _real(ELA_JSON)


def _row(frame, code):
    rows = frame[frame["standard_code"] == code]
    assert len(rows) == 1, f"{code}: {len(rows)} rows"
    return rows.iloc[0]


# --------------------------------------------------------------------------------------------------
# the real files


def test_math_counts(math):
    frame, report = math
    assert (report.nodes, report.folders) == (759, 285)
    # 474 standard nodes + 43 folders that are standards with lettered parts (K.CC.4 above 4a..4c)
    assert len(frame) == report.standards == 517 and report.parent_standards == 43
    assert report.duplicates_dropped == 0 and report.math_codes_kept_as_is == ()
    assert frame["standard_code"].is_unique
    assert set(frame["content_area"]) == {"math"} and set(frame["framework"]) == {"CCSS"}


def test_ela_counts(ela):
    frame, report = ela
    assert (report.nodes, report.folders) == (1070, 171)
    # 899 standard nodes - 10 without a code + 111 parent standards - 1 duplicate (CCRA.L.6)
    assert len(frame) == report.standards == 999 and report.parent_standards == 111
    assert report.without_code == 10
    assert report.duplicates_dropped == 1 and report.duplicate_examples == ("CCSS.ELA-Literacy.CCRA.L.6",)
    assert frame["standard_code"].is_unique and set(frame["content_area"]) == {"ela"}


def test_columns_and_types(math):
    frame, _ = math
    assert list(frame.columns) == STANDARD_COLUMNS
    assert str(frame["continuum_level"].dtype) == "int64"
    assert frame["continuum_level"].between(0, 12).all()


def test_math_4_nf_a_1(math):
    row = _row(math[0], "CCSS.Math.Content.4.NF.A.1")
    assert row["continuum_level"] == 4 and row["strand"] == "NF" and row["grade_levels"] == "04"
    assert row["alt_code"] == "Math.4.NF.1" and row["short_code"] == "4.NF.1"
    assert row["description"].startswith(
        "Explain why a fraction a/b is equivalent to a fraction (n × a)/(n × b) by using visual fraction models"
    )
    assert row["description"].endswith("Use this principle to recognize and generate equivalent fractions.")


@pytest.mark.parametrize(
    "code, level, strand, alt_code",
    [
        pytest.param("CCSS.Math.Content.K.CC.A.1", 0, "CC", "Math.K.CC.1", id="kindergarten-KG-is-level-0"),
        pytest.param("CCSS.Math.Content.K.CC.B.4", 0, "CC", "Math.K.CC.4", id="parent-standard-kept"),
        pytest.param("CCSS.Math.Content.HSA.REI.B.4", 9, "A-REI", "Math.HSA-REI.4", id="high-school-lowest-grade-9"),
        pytest.param("CCSS.Math.Content.HSS.MD.A.1", 9, "S-MD", "Math.HSS-MD.1", id="hs-strand-keeps-category"),
        pytest.param("CCSS.Math.Practice.MP1", 0, "MP", "Math.MP.1", id="practice-standard"),
        pytest.param("CCSS.Math.Content.2.OA.A.1", 2, "OA", "Math.2.OA.1", id="cluster-fix-2-OA-1"),
        pytest.param("CCSS.Math.Content.2.OA.B.2", 2, "OA", "Math.2.OA.2", id="cluster-fix-2-OA-2"),
        pytest.param("CCSS.Math.Content.2.NBT.A.1a", 2, "NBT", "Math.2.NBT.1a", id="cluster-via-ccsi-parent"),
    ],
)
def test_known_math_standards(math, code, level, strand, alt_code):
    row = _row(math[0], code)
    assert (row["continuum_level"], row["strand"], row["alt_code"]) == (level, strand, alt_code)


def test_multi_grade_nodes_keep_their_grade_list(math):
    row = _row(math[0], "CCSS.Math.Content.HSA.REI.B.4")
    assert row["grade_levels"] == "09,10,11,12"
    practice = _row(math[0], "CCSS.Math.Practice.MP1")
    assert practice["grade_levels"] == "KG,01,02,03,04,05,06,07,08,09,10,11,12"


def test_lettered_parts_point_to_their_standard(math):
    row = _row(math[0], "CCSS.Math.Content.K.CC.B.4a")
    assert row["parent_code"] == "CCSS.Math.Content.K.CC.B.4"
    assert math[0].loc[math[0]["standard_code"] == "CCSS.Math.Content.4.NF.A.1", "parent_code"].isna().all()


def test_groups_are_not_standards(math):
    codes = set(math[0]["standard_code"]) | set(math[0]["alt_code"])
    assert not codes & {"Math.4.NF.A", "Math.4.NF", "Math.4", "Math.HSA-REI", "CCSS.Math.Content.4.NF.A"}


def test_ela_ri_3_8(ela):
    row = _row(ela[0], "CCSS.ELA-Literacy.RI.3.8")
    assert row["continuum_level"] == 3 and row["strand"] == "RI" and row["content_area"] == "ela"
    assert row["description"] == (
        "Describe the logical connection between particular sentences and paragraphs "
        "in a text (e.g., comparison, cause/effect, first/second/third in a sequence)."
    )
    assert row["alt_code"] == "Literacy.RI.3.8" and row["short_code"] == "RI.3.8"


@pytest.mark.parametrize(
    "code, level, strand, grades",
    [
        pytest.param("CCSS.ELA-Literacy.W.3.1", 3, "W", "03", id="writing-parent-standard-kept"),
        pytest.param("CCSS.ELA-Literacy.RL.9-10.1", 9, "RL", "09,10", id="grade-band-lowest-grade"),
        pytest.param(
            "CCSS.ELA-Literacy.CCRA.R.1", 0, "CCRA", "KG,01,02,03,04,05,06,07,08,09,10,11,12", id="anchor-standard-k-12"
        ),
        pytest.param("CCSS.ELA-Literacy.RF.K.1a", 0, "RF", "KG", id="kindergarten-lettered-part"),
    ],
)
def test_known_ela_standards(ela, code, level, strand, grades):
    row = _row(ela[0], code)
    assert (row["continuum_level"], row["strand"], row["grade_levels"]) == (level, strand, grades)


def test_read_csp_json_carries_its_report(tmp_path):
    path = _write(tmp_path, TINY_TREE)
    frame = read_csp_json(path)
    assert frame.attrs["report"].standards == len(frame)
    assert frame.attrs["report"].lines()[0].startswith("tiny.json: 8 nodes")


# --------------------------------------------------------------------------------------------------
# a tiny hand-written tree with the same quirks

TINY_TREE = [
    {
        "id": "G1",
        "cls": "folder",
        "subject": "Math",
        "statement": "Number and Operations - Fractions",
        "code": "Math.4.NF",
        "gradelevels": ["04"],
        "jurisdiction": "Common Core State Standards Initiative",
        "CCSS": {"dotNotation": "Math.4.NF"},
    },
    {
        "id": "C1",
        "cls": "folder",
        "subject": "Math",
        "statement": "Extend understanding of fraction equivalence.",
        "code": "Math.4.NF.A",
        "gradeLevels": ["04"],
        "asnIdentifier": "S1",
        "asnParent": "X",
        "jurisdiction": "Common Core State Standards Initiative",
        "CCSS": {"dotNotation": "Math.4.NF.A"},
    },
    {
        "id": "N1",
        "subject": "Math",
        "statement": "  Explain why a fraction a/b is equivalent.  ",
        "code": "Math.4.NF.1",
        "shortCode": "4.NF.1",
        "gradeLevels": ["04"],
        "ASN": {"id": "S2", "parent": "S1"},
        "jurisdiction": "Common Core State Standards Initiative",
        "CCSS": {"dotNotation": "Math.4.NF.1"},
    },
    {
        "id": "K1",
        "subject": "Math",
        "statement": "Count to 100 by ones and by tens.",
        "code": "Math.K.CC.1",
        "gradeLevels": ["KG"],
        "ccsiParent": "KC",
        "jurisdiction": "Common Core State Standards Initiative",
        "CCSS": {"dotNotation": "Math.K.CC.1"},
    },
    {
        "id": "KC",
        "cls": "folder",
        "subject": "Math",
        "statement": "Know number names.",
        "code": "Math.K.CC.A",
        "gradeLevels": ["KG"],
        "jurisdiction": "Common Core State Standards Initiative",
        "CCSS": {"dotNotation": "Math.K.CC.A"},
    },
    {
        "id": "H1",
        "subject": "Math",
        "statement": "Solve quadratic equations in one variable.",
        "code": "Math.HSA-REI.4",
        "gradeLevels": ["12", "09", "10", "11"],
        "jurisdiction": "Common Core State Standards Initiative",
        "CCSS": {"dotNotation": "Math.HSA-REI.4"},
    },
    {
        "id": "E1",
        "subject": "Reading",
        "statement": "Describe the logical connection.",
        "code": "CCSS.ELA-Literacy.RI.3.8",
        "gradeLevels": ["03"],
        "ASN": {"id": "S9", "cls": None},
        "jurisdiction": "Common Core State Standards Initiative",
        "CCSS": {"dotNotation": "CCSS.ELA-Literacy.RI.3.8", "dotNotationV1": "Literacy.RI.3.8"},
    },
    {
        "id": "E2",
        "subject": "Reading",
        "statement": "(Begins in grade 3)",
        "code": None,
        "gradeLevels": ["KG"],
        "ASN": {"cls": None},
        "CCSS": {},
    },
]


def _write(tmp_path: Path, content, name: str = "tiny.json") -> Path:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return path


def test_tiny_tree(tmp_path):
    frame, report = read_csp_json_with_report(_write(tmp_path, TINY_TREE))
    assert (report.nodes, report.folders, report.standards, report.without_code) == (8, 3, 4, 1)
    by_code = frame.set_index("standard_code")
    # 4.NF.1 finds its cluster through ASN.parent -> asnIdentifier, K.CC.1 through ccsiParent -> id;
    # the high-school node has no parent in the file, so it keeps the file's code (and is reported).
    assert list(by_code.index) == [
        "CCSS.Math.Content.4.NF.A.1",
        "CCSS.Math.Content.K.CC.A.1",
        "Math.HSA-REI.4",
        "CCSS.ELA-Literacy.RI.3.8",
    ]
    assert report.math_codes_kept_as_is == ("Math.HSA-REI.4",)
    assert by_code.loc["CCSS.Math.Content.4.NF.A.1", "description"] == "Explain why a fraction a/b is equivalent."
    assert by_code.loc["CCSS.Math.Content.K.CC.A.1", "continuum_level"] == 0
    assert by_code.loc["Math.HSA-REI.4", "continuum_level"] == 9
    assert by_code.loc["Math.HSA-REI.4", "grade_levels"] == "09,10,11,12"
    assert by_code.loc["Math.HSA-REI.4", "strand"] == "A-REI"
    assert by_code["content_area"].tolist() == ["math", "math", "math", "ela"]


@pytest.mark.parametrize(
    "grades, level, text",
    [
        pytest.param(["KG"], 0, "KG", id="kg-node-level-0"),
        pytest.param(["K"], 0, "KG", id="k-spelling-level-0"),
        pytest.param(["12", "09", "11", "10"], 9, "09,10,11,12", id="multi-grade-lowest-sorted"),
        pytest.param(["03", "04", "05"], 3, "03,04,05", id="grade-band"),
    ],
)
def test_grade_levels_of_a_node(tmp_path, grades, level, text):
    node = {
        "subject": "Reading",
        "statement": "S",
        "code": "CCSS.ELA-Literacy.RL.3.1",
        "gradeLevels": grades,
        "CCSS": {"dotNotation": "CCSS.ELA-Literacy.RL.3.1"},
    }
    row = read_csp_json(_write(tmp_path, [node])).iloc[0]
    assert (row["continuum_level"], row["grade_levels"]) == (level, text)


@pytest.mark.parametrize(
    "label, level",
    [
        pytest.param("Grade 4", 4, id="grade-label"),
        pytest.param("High School", 9, id="high-school-label"),
        pytest.param("Grades 9-10", 9, id="band-label"),
        pytest.param("Kindergarten", 0, id="kindergarten-label"),
    ],
)
def test_grade_label_used_when_no_list(tmp_path, label, level):
    node = {"subject": "Math", "statement": "S", "code": "Math.4.NF.2", "gradeLevel": label}
    assert read_csp_json(_write(tmp_path, [node])).iloc[0]["continuum_level"] == level


def test_folder_with_a_standard_code_is_kept_with_its_parts(tmp_path):
    nodes = [
        {
            "subject": "Reading",
            "statement": "Write opinion pieces.",
            "code": "CCSS.ELA-Literacy.W.3.1",
            "gradeLevels": ["03"],
            "ASN": {"cls": "folder"},
            "CCSS": {},
        },
        {
            "subject": "Reading",
            "statement": "Introduce the topic.",
            "code": "CCSS.ELA-Literacy.W.3.1a",
            "gradeLevels": ["03"],
            "ASN": {"cls": None},
            "CCSS": {"dotNotation": "CCSS.ELA-Literacy.W.3.1a"},
        },
        {
            "subject": "Reading",
            "statement": "Writing",
            "code": "CCSS.ELA-Literacy.W",
            "gradeLevels": ["03"],
            "ASN": {"cls": "folder"},
            "CCSS": {},
        },
    ]
    frame, report = read_csp_json_with_report(_write(tmp_path, nodes))
    assert list(frame["standard_code"]) == ["CCSS.ELA-Literacy.W.3.1", "CCSS.ELA-Literacy.W.3.1a"]
    assert list(frame["parent_code"].fillna("")) == ["", "CCSS.ELA-Literacy.W.3.1"]
    assert report.parent_standards == 1 and report.folders == 2


def test_duplicate_codes_kept_once_and_counted(tmp_path):
    node = {
        "subject": "Reading",
        "statement": "First",
        "code": "CCSS.ELA-Literacy.L.3.6",
        "gradeLevels": ["03"],
        "CCSS": {"dotNotation": "CCSS.ELA-Literacy.L.3.6"},
    }
    frame, report = read_csp_json_with_report(_write(tmp_path, [node, {**node, "statement": "Second"}]))
    assert list(frame["description"]) == ["First"]
    assert report.duplicates_dropped == 1 and "1 duplicated code(s) kept once" in " ".join(report.lines())


@pytest.mark.parametrize(
    "content, message",
    [
        pytest.param('[{"code": ', "not valid JSON", id="truncated-json"),
        pytest.param("code,statement\nA,B\n", "not valid JSON", id="a-csv-file"),
        pytest.param({"data": {"standards": {}}}, "expected a JSON list", id="an-object-not-a-list"),
        pytest.param([], "list of standards nodes is empty", id="empty-list"),
        pytest.param([1, 2], "node 1 is int", id="list-of-numbers"),
        pytest.param([{"name": "x"}], "no node has the Common Standards Project fields", id="other-json-list"),
        pytest.param(
            [{"code": 5, "statement": "S", "gradeLevels": ["03"]}], "code that is not text", id="numeric-code"
        ),
        pytest.param(
            [{"code": "Math.4.NF.1", "statement": "S", "gradeLevels": "04"}],
            "gradeLevels that is not a list",
            id="grade-levels-not-a-list",
        ),
        pytest.param(
            [{"code": "Math.4.NF.1", "statement": "S", "gradeLevels": ["HS"]}],
            "no standard nodes with a code and a grade level",
            id="no-readable-grade",
        ),
    ],
)
def test_malformed_file_raises_value_error_naming_the_file(tmp_path, content, message):
    path = _write(tmp_path, content, name="broken.json")
    with pytest.raises(ValueError, match=message) as error:
        read_csp_json(path)
    assert str(error.value).startswith("broken.json: ")


def test_non_utf8_file_is_refused(tmp_path):
    path = tmp_path / "latin.json"
    path.write_bytes('[{"code": "é"}]'.encode("latin-1"))
    with pytest.raises(ValueError, match="latin.json: not UTF-8"):
        read_csp_json(path)
