"""The layers and what each may import (docs/architecture.md), read from the code itself: every module's imports,
every DuckDB connection opened, every literal of the suppressed label. Each rule is shown to catch a breach."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
APP = {"warehouse", "etl", "queries", "answers", "charts", "exports", "ui", "app_pages", "bench", "dashboard"}

# package: the packages of the app it may import. The warehouse is the foundation every layer stands on; queries
# read and gate and know no loader and no screen; answers put gated frames into words and charts draw them;
# exports and ui serve pages; pages are glue; bench times everything.
MAY_IMPORT = {
    "warehouse": set(),
    "etl": {"warehouse"},
    "queries": {"warehouse"},
    "answers": {"warehouse"},
    "charts": {"warehouse"},
    "exports": {"warehouse", "queries", "answers", "charts"},
    "ui": {"warehouse", "queries", "answers", "charts", "exports"},
    "app_pages": {"warehouse", "queries", "answers", "charts", "exports", "ui", "etl"},
    "dashboard": {"warehouse", "ui"},
    "bench": APP - {"bench"},
}

# Arrows the layers forbid that are still in the code, each with the step of the house (issue 26) that removes
# it. A new arrow fails the test; so does an entry here that is no longer true.
KNOWN = {
    (
        "etl/release/__init__.py",
        "queries",
    ): "the standards release publishes what the named queries continuum_coverage and never_assessed compute (one home for those definitions)",
}


def modules(root: Path = REPO) -> list[Path]:
    files = [root / "dashboard.py"] if (root / "dashboard.py").exists() else []
    for package in sorted(APP - {"dashboard"}):
        files += sorted((root / package).rglob("*.py"))
    return files


def layer_of(path: Path, root: Path = REPO) -> str:
    parts = path.relative_to(root).parts
    return parts[0] if len(parts) > 1 else path.stem


def imported(path: Path) -> set[str]:
    """The app's packages this module imports (at the top or inside a function)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        found |= {name.split(".")[0] for name in names} & APP
    return found


def forbidden_arrows(root: Path = REPO) -> set[tuple[str, str]]:
    arrows = set()
    for path in modules(root):
        layer = layer_of(path, root)
        for target in imported(path) - {layer} - MAY_IMPORT[layer]:
            arrows.add((path.relative_to(root).as_posix(), target))
    return arrows


def duckdb_connects(root: Path = REPO) -> list[str]:
    """Modules that open a DuckDB connection themselves: `duckdb.connect(...)` or `connect` imported from duckdb."""
    found = []
    for path in modules(root):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            is_call = isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            if is_call and node.func.attr == "connect" and getattr(node.func.value, "id", None) == "duckdb":
                found.append(path.relative_to(root).as_posix())
            if isinstance(node, ast.ImportFrom) and node.module == "duckdb":
                if any(alias.name == "connect" for alias in node.names):
                    found.append(path.relative_to(root).as_posix())
    return sorted(set(found))


def suppressed_label_literals(root: Path = REPO) -> list[str]:
    """Modules that write the suppressed label themselves instead of taking it from warehouse/gated_cells.py."""
    found = []
    for path in modules(root):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith("n<10"):
                found.append(f"{path.relative_to(root).as_posix()}:{node.lineno}")
    return [f for f in found if not f.startswith("warehouse/gated_cells.py:")]


def hand_quoted_identifiers(root: Path = REPO) -> list[str]:
    """Modules that wrap a name in double quotes for SQL themselves instead of warehouse/sql_names.py."""
    found = []
    for path in modules(root):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if "f'\"{" in line or """.replace('"', '""')""" in line:
                found.append(f"{path.relative_to(root).as_posix()}:{number}")
    return [f for f in found if not f.startswith("warehouse/sql_names.py:")]


def test_no_module_imports_a_layer_above_its_own():
    arrows = forbidden_arrows()
    new = sorted(arrows - set(KNOWN))
    assert not new, "imports the layers forbid (docs/architecture.md): " + ", ".join(f"{m} -> {t}" for m, t in new)
    gone = sorted(set(KNOWN) - arrows)
    assert not gone, f"no longer true, take them out of KNOWN: {gone}"


def test_no_module_outside_the_warehouse_opens_a_duckdb_connection():
    assert duckdb_connects() == ["warehouse/connection.py"]


def test_the_suppressed_label_is_written_in_one_place():
    assert suppressed_label_literals() == []


def test_names_are_quoted_for_sql_in_one_place():
    assert hand_quoted_identifiers() == []


@pytest.fixture
def copy_of_the_code(tmp_path) -> Path:
    for path in modules():
        target = tmp_path / path.relative_to(REPO)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(path.read_text())
    return tmp_path


def _append(root: Path, module: str, code: str) -> None:
    path = root / module
    path.write_text(path.read_text() + "\n" + code + "\n")


def test_a_chart_importing_a_query_is_caught(copy_of_the_code):
    assert forbidden_arrows(copy_of_the_code) == set(KNOWN)
    _append(copy_of_the_code, "charts/equity.py", "from queries.runner import run_query")
    assert forbidden_arrows(copy_of_the_code) - set(KNOWN) == {("charts/equity.py", "queries")}


def test_the_warehouse_importing_a_loader_inside_a_function_is_caught(copy_of_the_code):
    _append(copy_of_the_code, "warehouse/config.py", "def f():\n    from etl.load import load_file")
    assert ("warehouse/config.py", "etl") in forbidden_arrows(copy_of_the_code)


def test_a_page_opening_duckdb_itself_is_caught(copy_of_the_code):
    _append(copy_of_the_code, "app_pages/overview.py", "import duckdb\ncon = duckdb.connect('x.duckdb')")
    assert "app_pages/overview.py" in duckdb_connects(copy_of_the_code)


def test_a_chart_writing_the_label_itself_is_caught(copy_of_the_code):
    _append(copy_of_the_code, "charts/plc.py", 'HIDDEN = "n<10"')
    assert [f.split(":")[0] for f in suppressed_label_literals(copy_of_the_code)] == ["charts/plc.py"]


def test_a_loader_quoting_a_column_itself_is_caught(copy_of_the_code):
    _append(copy_of_the_code, "etl/undo.py", "COLUMNS = \", \".join(f'\"{c}\"' for c in ['a'])")
    assert [f.split(":")[0] for f in hand_quoted_identifiers(copy_of_the_code)] == ["etl/undo.py"]
