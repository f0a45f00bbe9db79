"""The glossary lives in one place (ui/glossary.py); docs/glossary.md is written from it and the pages use it."""

from __future__ import annotations

from pathlib import Path

from ui import glossary

REPO = Path(__file__).resolve().parents[1]


def test_docs_glossary_is_written_from_the_one_table():
    assert glossary.GLOSSARY_FILE.read_text(encoding="utf-8") == glossary.markdown(), (
        "docs/glossary.md is stale: run `python -m ui.glossary`"
    )


def test_every_term_the_pages_ask_for_is_defined():
    import re

    asked = {
        m
        for f in [*(REPO / "app_pages").rglob("*.py"), REPO / "dashboard.py"]
        for m in re.findall(r'help_for\("([^"]+)"\)', f.read_text())
    }
    assert asked and asked <= set(glossary.TERMS), sorted(asked - set(glossary.TERMS))


def test_no_page_cites_a_file_outside_the_repository():
    for page in [*(REPO / "app_pages").rglob("*.py"), REPO / "dashboard.py", *(REPO / "ui").glob("*.py")]:
        for line in page.read_text().splitlines():
            if "help=" in line or "st.caption" in line or "st.markdown" in line:
                assert "DESIGN" + ".md" not in line, f"{page.name}: {line.strip()}"
