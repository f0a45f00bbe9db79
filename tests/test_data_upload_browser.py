"""The Data page in Chromium on a real export: upload -> preview -> fix a mapping -> dry run -> load -> undo.

The file is the Mastery Connect standard-scores specimen (../shared/realdata). Its format maps
student_id to `student_number`, but this district's roster uses the state number: the person picks
`state_student_number` for student_id, the dry run then finds all three students on the roster, the load
writes their three scores, and the undo leaves every table of the warehouse as it was before.

Runs in CI (.ci/run installs Debian's Chromium); a missing /usr/bin/chromium fails, never skips.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import warehouse
from tests.browser_support import (
    NAV_LABEL,
    NAV_LINK,
    RUN_SEEN_JS,
    VIEWPORT,
    WATCH_RUNS_JS,
    chromium_missing_message,
    launch_chromium,
    page_problems,
    streamlit_server,
    wait_for_app_idle,
)
from tests.conftest import load
from tests.test_dry_run_and_undo import every_table

pytestmark = pytest.mark.browser
IDLE_MS = 120_000
SPECIMEN = Path("gradebook") / "masteryconnect_sc_long_standard_scores.csv"


@pytest.fixture
def district_db(tmp_path, fixtures_dir):
    """A district's own (not demo) warehouse: the small continuum and a roster keyed by state numbers."""
    roster = tmp_path / "roster_state_numbers.csv"
    roster.write_text(
        "student_id,school_id,grade_level,school_year,last_name,first_name\n"
        "7747706098,100,3,2023-24,Beedy,Lucinda\n9630287783,100,3,2023-24,Laghari,Lucas\n"
        "7156042712,100,3,2023-24,Three,Student\n"
    )
    db = tmp_path / "district.duckdb"
    con = warehouse.connect(db)
    load(con, "continuum", fixtures_dir / "continuum_small.csv")
    load(con, "roster", roster)
    con.close()
    config = tmp_path / "district.yaml"
    text = (Path(__file__).resolve().parents[1] / "config" / "district.yaml").read_text()
    config.write_text(re.sub(r"mode: sign_in", "mode: local", text, count=1))
    return db, config


def _tables(db: Path) -> dict:
    con = warehouse.connect(db, read_only=True)
    try:
        return every_table(con), con.execute("select load_id, status from loads order by 1").fetchall()
    finally:
        con.close()


def _open_data_page(page) -> None:
    """Its sidebar link, by its exact label."""
    page.evaluate(WATCH_RUNS_JS)
    page.locator(NAV_LINK).filter(
        has=page.locator(NAV_LABEL, has_text=re.compile(r"^\s*Upload data\s*$"))
    ).first.click()
    page.wait_for_function(RUN_SEEN_JS, timeout=IDLE_MS, polling=50)
    wait_for_app_idle(page, IDLE_MS)
    page.get_by_role("heading", name="Upload data", exact=True).wait_for(timeout=IDLE_MS)


def _main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def test_upload_fix_mapping_dry_run_load_undo(district_db, realdata, tmp_path, monkeypatch):
    message = chromium_missing_message()
    if message:
        pytest.fail(message, pytrace=False)
    from playwright.sync_api import sync_playwright

    db, config = district_db
    before, history = _tables(db)
    monkeypatch.setenv("DASHBOARD_CONFIG", str(config))
    with streamlit_server(db, tmp_path) as server, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page(viewport=VIEWPORT)
        page.goto(server.url)
        wait_for_app_idle(page, IDLE_MS)
        _open_data_page(page)

        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(realdata / SPECIMEN))
        page.get_by_text("Looks like: looks like Mastery Connect standard scores").wait_for(timeout=IDLE_MS)
        wait_for_app_idle(page, IDLE_MS)
        assert "3 row(s) shown; columns: id, classroom_id" in _main_text(page)  # the preview, as the loader reads it
        assert page.locator('[data-testid="stDataFrame"]').count() >= 1

        student = page.get_by_role("combobox", name="student_id", exact=True)
        assert student.input_value() == "student_number"  # what the format proposes
        student.click()
        student.fill("state_student")  # the list is long: typing narrows it, as a person does
        page.get_by_role("option", name="state_student_number", exact=True).click()
        wait_for_app_idle(page, IDLE_MS)
        assert page.get_by_role("combobox", name="student_id", exact=True).input_value() == "state_student_number"

        page.get_by_role("button", name="Dry run").click()
        page.get_by_text("Dry run: nothing was written").wait_for(timeout=IDLE_MS)
        wait_for_app_idle(page, IDLE_MS)
        text = page.locator('[data-testid="stCode"]').first.inner_text()
        assert "roster match: 3 of 3 students are on a roster (100%)" in text
        assert "rows that would load: 3" in text
        assert _tables(db) == (before, history)  # a dry run writes nothing

        page.get_by_role("button", name="Load", exact=True).click()
        page.get_by_text("Load report").wait_for(timeout=IDLE_MS)
        wait_for_app_idle(page, IDLE_MS)
        assert re.search(r"load \d+: 3 rows read, 3 loaded, 0 rejected", _main_text(page))
        con = warehouse.connect(db, read_only=True)
        assert sorted(con.execute("select student_id from scores").fetchall()) == [
            ("7156042712",),
            ("7747706098",),
            ("9630287783",),
        ]
        con.close()

        page.get_by_role("button", name="Undo this load").click()
        page.locator('[data-testid="stCode"]').filter(has_text="rows changed back").wait_for(timeout=IDLE_MS)
        wait_for_app_idle(page, IDLE_MS)
        undone = page.locator('[data-testid="stCode"]').filter(has_text="rows changed back").first.inner_text()
        assert "undone: rows changed back: scores 3" in undone, undone
        wait_for_app_idle(page, IDLE_MS)
        assert page_problems(page) == []
        browser.close()
    tables, after_history = _tables(db)
    assert tables == before
    assert after_history == history + [(history[-1][0] + 1, "undone")]
