"""Text from data is inert on every page (issue 15, item 4): school names, course ids, standard descriptions,
survey items and comments, PLC notes and file names reach the screen as the characters they hold, never as
Markdown (images, links), HTML or scripts, and in charts never as Plotly's HTML labels.

The app runs (AppTest) on a copy of the demo district with hostile text planted (tests/hostile_data.py).
Every element Streamlit renders as Markdown is checked for the raw markup; every chart's spec for raw HTML.
The same warehouse is opened in Chromium by tests/test_browser.py, which checks that nothing was fetched
from the planted address and no link to it is live.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from exports.plc import Team
from tests import hostile_data
from ui.navigation import pages_for
from ui.text import md
from warehouse.config import CONFIG_PATH

REPO_ROOT = Path(__file__).resolve().parents[1]
LEADER_PAGES = [p.path for p in pages_for("district_leader")]
# Fields Streamlit shows as plain text: select box and multiselect options, typed values, table cells.
PLAIN_FIELDS = {
    ("selectbox", "options"),
    ("multiselect", "options"),
    ("selectbox", "raw_value"),
    ("multiselect", "raw_values"),
    ("text_area", "default"),
    ("text_area", "value"),
    ("text", "body"),
    ("download_button", "url"),
}
SKIPPED_TYPES = {"plotly_chart", "dataframe", "arrow_data_frame"}  # charts are checked on their own below


@pytest.fixture(scope="module")
def hostile_db(demo_db, tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("hostile") / "hostile.duckdb"
    hostile_data.make_hostile_copy(demo_db, db)
    return db


@pytest.fixture
def hostile_app(hostile_db, monkeypatch, tmp_path):
    config = yaml.safe_load(CONFIG_PATH.read_text()) or {}
    config["auth"] = {"mode": "local"}
    (tmp_path / "district.yaml").write_text(yaml.safe_dump(config))
    monkeypatch.setenv("DASHBOARD_CONFIG", str(tmp_path / "district.yaml"))
    monkeypatch.delenv("DASHBOARD_AUTH", raising=False)
    monkeypatch.setenv("DASHBOARD_DB", str(hostile_db))
    return hostile_db


def strings(message, prefix: str = ""):
    """(field name, text) of every string field in a protobuf message, nested ones included."""
    for field, value in message.ListFields():
        if isinstance(value, (str, bytes)) or hasattr(value, "ListFields"):
            values = [value]
        elif hasattr(value, "__iter__"):
            values = list(value)  # a repeated field
        else:
            continue
        for item in values:
            if isinstance(item, str):
                yield field.name, item
            elif hasattr(item, "ListFields"):
                yield from strings(item, field.name)


def nodes(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from nodes(child)


def markup_problems(at: AppTest, where: str) -> list[str]:
    """Raw markup from data in a Markdown field, or raw HTML from data in a chart."""
    problems = []
    for node in [*nodes(at.main), *nodes(at.sidebar)]:
        kind, proto = getattr(node, "type", None), getattr(node, "proto", None)
        if proto is None or not hasattr(proto, "ListFields"):
            continue
        if kind == "plotly_chart":
            text = json.dumps(json.loads(proto.spec))
            for raw in (
                '<img src=\\"http://127.0.0.1:9',
                "<script>window",
                '<a href=\\"http://127.0.0.1:9',
                "<b>your</b>",
            ):
                if raw in text:
                    problems.append(f"{where}: chart {proto.id[-30:]} holds raw HTML from data: {raw}")
            continue
        if kind in SKIPPED_TYPES:
            continue
        for field, text in strings(proto):
            if (kind, field) in PLAIN_FIELDS or hostile_data.TRAP.replace(".", "") not in text.replace(
                "\\", ""
            ).replace(".", ""):
                continue
            raw = [m for m in (*hostile_data.MARKUP, "http://127.0.0.1:9") if unescaped(text, m)]
            if raw:
                problems.append(f"{where}: {kind}.{field} renders data as Markdown ({raw}): {text[:160]!r}")
    return problems


def unescaped(text: str, markup: str) -> bool:
    """`markup` occurs in `text` with its first character not backslash-escaped (Markdown would read it)."""
    start = text.find(markup)
    while start != -1:
        if start == 0 or text[start - 1] != "\\":
            return True
        start = text.find(markup, start + 1)
    return False


def shown_escaped(at: AppTest, value: str) -> bool:
    """The value appears somewhere as escaped Markdown: it is on the page, as text."""
    return any(
        md(value) in text
        for node in nodes(at.main)
        if getattr(node, "proto", None) is not None and hasattr(node.proto, "ListFields")
        for _, text in strings(node.proto)
    )


def run(page: str) -> AppTest:
    at = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=120).run()
    at.switch_page(page).run()
    assert not at.exception, f"{page}: {[e.value for e in at.exception]}"
    return at


def test_md_escape_shows_the_text_and_nothing_else():
    escaped = md(hostile_data.SCHOOL_IMAGE)
    assert "![" not in escaped and "](" not in escaped and "http://" not in escaped
    assert escaped.replace("\\", "").replace("\u2060", "") == hostile_data.SCHOOL_IMAGE
    assert md("line one\nline two") == "line one  \nline two"
    assert md(None) == ""


@pytest.mark.parametrize("page", LEADER_PAGES)
def test_hostile_text_from_data_is_inert_on_every_page(hostile_app, page):
    at = run(page)
    assert not markup_problems(at, page)


def test_hostile_school_names_and_course_ids_are_shown_as_text_on_the_continuum(hostile_app):
    at = run("app_pages/continuum.py")
    at.selectbox(key="continuum_school").set_value("101").run()
    at.radio(key="continuum_view").set_value("course").run()
    assert not at.exception
    assert not markup_problems(at, "continuum, school 101 by course")


def test_hostile_meeting_notes_and_school_names_are_shown_as_text_in_the_plc_meeting(hostile_app):
    at = run("app_pages/plc_meeting.py")
    state = at.session_state
    _year, school = state["plc_year"], state["plc_school"]
    assert school == "101"
    grade, area = state["plc_grade"], state["plc_area"]
    team = Team(school, "grade", area, 0, grade_level=grade)
    as_of = next(at.session_state[k] for k in at.session_state if str(k).startswith(f"plc_as_of_{school}_"))
    hostile_data.plant_meeting_note(hostile_app, school, team.key, as_of - timedelta(days=1))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Last meeting" in m.value for m in at.markdown), "the planted meeting is not shown"
    assert shown_escaped(at, hostile_data.NOTE), "the planted notes are not shown as text"
    assert not markup_problems(at, "PLC meeting with hostile notes")
