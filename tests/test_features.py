"""The tripwire (docs/features.md): every capability a person relies on is listed with the tests that prove it,
and this suite fails when a listed page, command, export or test is gone, or when the app has a page or a
command that is not listed. A merge that drops a capability (as one dropped the PLC system) fails here.

Each check is shown to catch what it guards: the same functions run on a copy of the list with one thing
removed or renamed, and must object.
"""

from __future__ import annotations

import ast
import re
import shlex
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
FEATURES = REPO_ROOT / "docs" / "features.md"
CLI_MODULES = ("etl", "queries", "exports")


@dataclass(frozen=True)
class Feature:
    line_number: int
    capability: str
    who: tuple[str, ...] | None  # pages only
    where: str
    proved_by: tuple[str, ...]

    def __str__(self) -> str:
        return f"docs/features.md line {self.line_number} ({self.capability})"


def read_features(text: str) -> list[Feature]:
    """The rows of every table whose header starts with `capability`."""
    features, columns = [], None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("|"):
            columns = None
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells[0] == "capability":
            columns = cells
            continue
        if columns is None or set(cells[0]) <= {"-", " "}:
            continue
        row = dict(zip(columns, cells))
        features.append(
            Feature(
                number,
                row["capability"],
                tuple(r.strip() for r in row["who"].split(",")) if "who" in row else None,
                _code(row["where"])[0],
                tuple(_code(row["proved by"])),
            )
        )
    return features


def _code(cell: str) -> list[str]:
    return re.findall(r"`([^`]+)`", cell)


# ---------------------------------------------------------------- the checks, one per kind of "where"


def page_problems(feature: Feature) -> list[str]:
    from ui.navigation import PAGES

    entry = next((p for p in PAGES if p.path == feature.where), None)
    if not (REPO_ROOT / feature.where).is_file():
        return [f"{feature}: no page file {feature.where}"]
    if entry is None:
        return [f"{feature}: {feature.where} is not in the navigation (ui/navigation.py PAGES)"]
    if feature.who is not None and set(feature.who) != set(entry.roles):
        return [f"{feature}: the page is open to {', '.join(entry.roles)}, the list says {', '.join(feature.who)}"]
    return []


def command_problems(feature: Feature) -> list[str]:
    words = shlex.split(feature.where)
    if words[0] == "make":
        targets = re.findall(r"^([a-z][\w-]*):", (REPO_ROOT / "Makefile").read_text(), flags=re.M)
        return [] if words[1] in targets else [f"{feature}: the Makefile has no target {words[1]}"]
    if words[:2] != ["python", "-m"] or words[2] not in CLI_MODULES:
        return [f"{feature}: not a command of this project: {feature.where}"]
    args = [word.lower() + ".csv" if word.isupper() else word for word in words[3:]]  # FILE -> file.csv
    args = ["1" if a == "load_id.csv" else a for a in args]
    try:
        import_module(f"{words[2]}.__main__").parser().parse_args(args)
    except SystemExit:
        return [f"{feature}: `{feature.where}` is refused by the command line"]
    return []


def export_problems(feature: Feature) -> list[str]:
    module, _, name = feature.where.partition(":")
    if not (REPO_ROOT / module).is_file():
        return [f"{feature}: no module {module}"]
    found = import_module(module.removesuffix(".py").replace("/", "."))
    return [] if callable(getattr(found, name, None)) else [f"{feature}: {module} has no function {name}"]


def proof_problems(feature: Feature, root: Path = REPO_ROOT) -> list[str]:
    if not feature.proved_by:
        return [f"{feature}: names no test"]
    problems = []
    for reference in feature.proved_by:
        path, _, name = reference.partition("::")
        file = root / path
        if not (path.startswith("tests/test_") and file.is_file()):
            problems.append(f"{feature}: no test file {path}")
            continue
        tests = {
            node.name
            for node in ast.walk(ast.parse(file.read_text()))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test_")
        }
        if not tests:
            problems.append(f"{feature}: {path} holds no test")
        elif name and name not in tests:
            problems.append(f"{feature}: {path} has no test {name}")
    return problems


def problems_of(feature: Feature) -> list[str]:
    if feature.where.startswith("app_pages/"):
        found = page_problems(feature)
    elif feature.where.startswith(("python ", "make ")):
        found = command_problems(feature)
    else:
        found = export_problems(feature)
    return found + proof_problems(feature)


def unlisted(features: list[Feature]) -> list[str]:
    """Pages, subcommands and load kinds the app has that no line lists."""
    from etl.load import KINDS
    from ui.navigation import PAGES

    listed_pages = {f.where for f in features}
    commands = [shlex.split(f.where)[2:5] for f in features if f.where.startswith("python -m ")]
    missing = [f"page {p.path} ({p.title})" for p in PAGES if p.path not in listed_pages]
    for module in CLI_MODULES:
        subparsers = import_module(f"{module}.__main__").parser()._subparsers._group_actions[0].choices
        missing += [
            f"python -m {module} {name}" for name in subparsers if [module, name] not in [c[:2] for c in commands]
        ]
    missing += [f"python -m etl load {kind}" for kind in KINDS if ["etl", "load", kind] not in commands]
    return missing


FEATURE_LIST = read_features(FEATURES.read_text())


def test_the_list_is_read():
    kinds = {
        ("page" if f.where.startswith("app_pages/") else "command" if " " in f.where else "export")
        for f in FEATURE_LIST
    }
    assert kinds == {"page", "command", "export"} and len(FEATURE_LIST) >= 30


@pytest.mark.parametrize("feature", FEATURE_LIST, ids=lambda f: f.capability[:50])
def test_every_listed_capability_is_there_with_its_tests(feature):
    assert problems_of(feature) == []


def test_every_page_and_command_of_the_app_is_listed():
    assert unlisted(FEATURE_LIST) == []


# ---------------------------------------------------------------- each check catches what it guards


def _changed(listed: str, **change) -> Feature:
    feature = next(f for f in FEATURE_LIST if f.where == listed)
    return Feature(**{**feature.__dict__, **change})


@pytest.mark.parametrize(
    "feature, says",
    [
        (_changed("app_pages/plc_system.py", where="app_pages/plc_systems.py"), "no page file"),
        (_changed("app_pages/plc_system.py", who=("district_leader", "principal", "board")), "open to"),
        (_changed("python -m etl load learning FILE", where="python -m etl load lessons FILE"), "refused by"),
        (_changed("python -m etl load learning FILE", where="python -m etl unload FILE"), "refused by"),
        (_changed("exports/plc.py:summary_html", where="exports/plc.py:summary_pdf"), "has no function"),
        (_changed("python -m etl load learning FILE", proved_by=("tests/test_learning_loads.py",)), "no test file"),
        (
            _changed("python -m etl load learning FILE", proved_by=("tests/test_learning_load.py::test_nothing",)),
            "has no test",
        ),
        (_changed("python -m etl load learning FILE", proved_by=("tests/conftest.py",)), "no test file"),
        (_changed("python -m etl load learning FILE", proved_by=()), "names no test"),
    ],
    ids=[
        "page-gone",
        "page-roles",
        "load-kind-gone",
        "subcommand-gone",
        "export-gone",
        "test-file-gone",
        "test-gone",
        "not-a-test-file",
        "no-test",
    ],
)
def test_a_removed_capability_is_caught(feature, says):
    problems = problems_of(feature)
    assert problems and says in problems[0], problems


def test_a_test_file_with_no_test_is_caught(tmp_path):
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_emptied.py").write_text('"""Its tests were deleted in a merge."""\nimport pytest\n')
    feature = _changed("python -m etl load learning FILE", proved_by=("tests/test_emptied.py",))
    assert proof_problems(feature, root=tmp_path) == [f"{feature}: tests/test_emptied.py holds no test"]


def test_a_line_removed_from_the_list_is_caught():
    for gone in ("app_pages/plc_system.py", "python -m etl load learning FILE", "python -m exports pdf --out PDF"):
        missing = unlisted([f for f in FEATURE_LIST if f.where != gone])
        assert len(missing) == 1 and gone.split(" FILE")[0].split(" --out")[0] in missing[0], (gone, missing)
