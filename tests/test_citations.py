"""The repository stands on its own: every document the code, the help texts and the docs cite is in it.

Code cites `docs/*.md` (and its headings as anchors) for the definitions it implements; a citation of a
document outside the repository, or of a page or heading that does not exist, is a dead end for whoever
clones it. Each rule is shown catching a planted breach in a copy of the files.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
TEXT_SUFFIXES = {".py", ".sql", ".md", ".yaml", ".yml", ".toml", ".txt", ".ini"}
SKIPPED = {".venv", ".git", "vendor", "node_modules", "__pycache__", "data", "bench"}
# The team's documents outside the clone (the real export specimens beside it are data for tests, not citations).
OUTSIDE = re.compile(r"DESIGN\.md|\.\./shared/(?:notes|DESIGN)")
CITED_DOC = re.compile(r"\bdocs/([A-Za-z0-9_-]+\.md)(?:#([a-z0-9_-]+))?")


def text_files(root: Path) -> list[Path]:
    found = [root / "Makefile", root / ".ci" / "run", *root.glob("bench/*.py"), *root.glob("data/demo/*.md")]
    for path in root.rglob("*"):
        parts = set(path.relative_to(root).parts[:-1])
        if path.suffix in TEXT_SUFFIXES and path.is_file() and not parts & SKIPPED:
            found.append(path)
    this_file = root / "tests" / Path(__file__).name  # its planted breaches are examples, not citations
    return [p for p in dict.fromkeys(found) if p.is_file() and p != this_file]


def slug(heading: str) -> str:
    """A Markdown heading's anchor, as GitHub writes it."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(doc: Path) -> set[str]:
    return {slug(line.lstrip("#")) for line in doc.read_text().splitlines() if line.startswith("#")}


def outside_citations(root: Path = REPO) -> list[str]:
    return [
        f"{path.relative_to(root)}:{number}"
        for path in text_files(root)
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1)
        if OUTSIDE.search(line)
    ]


def dead_citations(root: Path = REPO) -> list[str]:
    dead = []
    for path in text_files(root):
        for name, anchor in CITED_DOC.findall(path.read_text(errors="replace")):
            doc = root / "docs" / name
            if not doc.is_file() or (anchor and anchor not in anchors(doc)):
                dead.append(f"{path.relative_to(root)}: docs/{name}{'#' + anchor if anchor else ''}")
    return sorted(set(dead))


def test_nothing_cites_a_document_outside_the_repository():
    assert outside_citations() == []


def test_every_cited_docs_page_and_heading_exists():
    assert dead_citations() == []


def test_the_docs_answer_what_the_code_cites():
    for page in ("architecture.md", "warehouse.md", "numbers.md", "privacy.md", "access.md", "commands.md"):
        assert (REPO / "docs" / page).is_file(), page
    assert {"calculation-methods", "closing-gaps", "school-year-of-a-date"} <= anchors(REPO / "docs" / "numbers.md")


@pytest.fixture
def copy_of_the_files(tmp_path) -> Path:
    for path in text_files(REPO):
        target = tmp_path / path.relative_to(REPO)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    return tmp_path


def test_a_citation_of_the_team_s_outside_contract_is_caught(copy_of_the_files):
    chart = copy_of_the_files / "charts" / "plc.py"
    chart.write_text(chart.read_text() + "\n# favorable as in DESIGN.md section 4\n")
    assert outside_citations(copy_of_the_files) == [f"charts/plc.py:{len(chart.read_text().splitlines())}"]


def test_a_citation_of_a_missing_page_or_heading_is_caught(copy_of_the_files):
    query = copy_of_the_files / "queries" / "schools.sql"
    query.write_text(query.read_text() + "\n-- see docs/definitions.md and docs/numbers.md#nowhere\n")
    assert dead_citations(copy_of_the_files) == [
        "queries/schools.sql: docs/definitions.md",
        "queries/schools.sql: docs/numbers.md#nowhere",
    ]
