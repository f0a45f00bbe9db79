"""Text from data stays text in a real browser, and every download a person can click is formula-safe
(issue 15, items 4 and 5).

Chromium walks every page of the app served on the hostile copy of the demo district (tests/hostile_data.py):
no request may leave for the planted address (a Markdown image or HTML <img> from data would fetch it), no
link to it may be live, no planted script may run, no table offers Streamlit's own toolbar download, and the
app's own table download writes the planted formula file name as text.
"""

from __future__ import annotations

import csv
import io

import pytest

from tests import hostile_data
from tests.browser_support import (
    MAIN,
    VIEWPORT,
    chromium_missing_message,
    click_nav_link,
    launch_chromium,
    nav_links,
    page_problems,
    streamlit_server,
    wait_for_app_idle,
)

pytestmark = pytest.mark.browser
IDLE_MS = 90_000
TOOLBAR_DOWNLOAD = '[data-testid="stElementToolbar"] button[aria-label="Download as CSV"]'


@pytest.fixture(scope="module")
def hostile_server(demo_db, tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile-browser")
    db = folder / "hostile.duckdb"
    hostile_data.make_hostile_copy(demo_db, db)
    with streamlit_server(db, folder) as server:
        yield server


@pytest.fixture(scope="module")
def browser():
    message = chromium_missing_message()
    if message:
        pytest.fail(message, pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


def live_markup(page) -> list[str]:
    """Links, images and frames on the page that point at the planted address."""
    return page.evaluate(
        """(trap) => [...document.querySelectorAll('a[href], img[src], iframe[src], source[src]')]
        .map(e => e.getAttribute('href') || e.getAttribute('src'))
        .filter(address => address.includes(trap))""",
        hostile_data.TRAP,
    )


def test_hostile_text_is_shown_as_text_in_chromium(browser, hostile_server):
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(IDLE_MS)
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url) if hostile_data.TRAP in request.url else None)
    failures = []
    try:
        page.goto(hostile_server.url)
        wait_for_app_idle(page, timeout_ms=IDLE_MS)
        for label, _ in nav_links(page):
            click_nav_link(page, label, timeout_ms=IDLE_MS)
            # open every expander, so what they hold is drawn too (comments, long lists)
            for summary in page.locator(f"{MAIN} [data-testid='stExpander'] summary").all():
                summary.click()
            page.wait_for_timeout(300)
            problems = page_problems(page)
            problems += [f"live link or image to the planted address: {a}" for a in live_markup(page)]
            if page.evaluate("() => window.__injected !== undefined"):
                problems.append("a script from data ran")
            for frame in page.locator(f"{MAIN} [data-testid='stDataFrame']").all()[:3]:
                frame.hover()
                if page.locator(TOOLBAR_DOWNLOAD).count():
                    problems.append("a table offers Streamlit's own CSV download (not formula-safe)")
                    break
            failures += [f"{label}: {p}" for p in problems]
        failures += [f"the browser fetched {url}" for url in fetched]
        assert "Calculation method" in page.locator("[data-testid='stSidebar']").inner_text()
        assert not failures, "\n".join(failures)
    finally:
        context.close()


def test_table_downloads_are_formula_safe_in_chromium(browser, hostile_server):
    """The Data loads page lists the planted file name `=HYPERLINK(...)`: its download writes it as text."""
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(IDLE_MS)
    try:
        page.goto(hostile_server.url)
        wait_for_app_idle(page, timeout_ms=IDLE_MS)
        click_nav_link(page, "Data loads", timeout_ms=IDLE_MS)
        with page.expect_download() as download:
            page.locator(f"{MAIN} [data-testid='stDownloadButton'] button").first.click()
        text = open(download.value.path(), encoding="utf-8").read()
        cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
        assert "'" + hostile_data.FILE_NAME in cells, cells[:40]
        assert not any(c.lstrip().startswith(("=", "+", "@")) for c in cells), [
            c for c in cells if c.lstrip()[:1] in "=+@"
        ]
    finally:
        context.close()
