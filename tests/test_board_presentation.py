"""The Board page's presentation mode in a real browser, at a 1280x720 projector and a 1920x1080 screen.

One finding per screen: headline, chart and the evidence line all inside the window, nothing overlapping,
no scrollbar, the sidebar and the banners hidden. A clicker's keys (Right, Page Down, Space; Left, Page Up)
move between findings and Escape leaves. The ordinary page keeps its position line, its download labels and
its headline's school years on one line each.

Runs in CI (.ci/run installs Debian's Chromium); a missing /usr/bin/chromium fails, never skips.
"""

from __future__ import annotations

import os
import shutil
import time

import pytest

from tests.browser_support import chromium_missing_message, launch_chromium, start_server, wait_for_app_idle

pytestmark = pytest.mark.browser
IDLE_MS = 90_000
SIZES = [
    pytest.param({"width": 1280, "height": 720}, id="1280x720"),
    pytest.param({"width": 1920, "height": 1080}, id="1920x1080"),
]

# Where each part of the slide is, and whether anything scrolls.
LAYOUT_JS = """() => {
    const box = (selector) => {
        const element = document.querySelector(selector);
        if (!element) { return null; }
        const r = element.getBoundingClientRect();
        return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, width: r.width, height: r.height,
                visible: r.width > 0 && r.height > 0 && getComputedStyle(element).visibility !== 'hidden'};
    };
    const main = document.querySelector('[data-testid="stMain"]');
    const scrolls = [document.documentElement, document.body, main].filter(Boolean)
        .filter((e) => e.scrollHeight > e.clientHeight + 1 || e.scrollWidth > e.clientWidth + 1)
        .map((e) => e.getAttribute('data-testid') || e.tagName);
    return {
        width: window.innerWidth, height: window.innerHeight, scrolls,
        meta: box('.board-meta'), headline: box('.board-headline'),
        chart: box('.st-key-present_chart [data-testid="stPlotlyChart"] .main-svg'),
        evidence: box('.board-evidence'), controls: box('.st-key-present_controls'),
        sidebar: box('[data-testid="stSidebar"]'),
        alerts: [...document.querySelectorAll('[data-testid="stAlert"]')]
            .filter((e) => e.getBoundingClientRect().height > 0).length,
    };
}"""

# Each school year (2023-24) in an element, and whether it is drawn on one line.
YEARS_ON_ONE_LINE_JS = """(selector) => {
    const element = document.querySelector(selector);
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    const found = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const match of node.textContent.matchAll(/\\d{4}-\\d{2}/g)) {
            const range = document.createRange();
            range.setStart(node, match.index);
            range.setEnd(node, match.index + match[0].length);
            const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
            found.push([match[0], tops.size]);
        }
    }
    return found;
}"""

LINES_JS = """(selector) => {
    const element = document.querySelector(selector);
    const range = document.createRange();
    range.selectNodeContents(element);
    return new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.bottom))).size;
}"""


@pytest.fixture(scope="module")
def server(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp("presentation")
    db = folder / "demo.duckdb"
    started = start_server(db, folder, {"DASHBOARD_DECK_PREBUILD": "1"})  # as served: the deck drawn ahead
    try:
        demo_db = request.getfixturevalue("demo_db")
        try:
            os.link(demo_db, db)
        except OSError:
            shutil.copyfile(demo_db, db)
        yield started.wait_healthy()
    finally:
        started.stop()


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


def open_page(browser, url: str, viewport: dict):
    page = browser.new_page(viewport=viewport)
    page.set_default_timeout(IDLE_MS)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    wait_for_app_idle(page, timeout_ms=IDLE_MS)
    if "present=" in url:
        wait_for_keys(page)
    return page, errors


def wait_for_keys(page) -> None:
    """Streamlit loads its button code on demand and a shortcut listens only once its button is mounted: at
    the first idle the buttons may still be on their way, and a key pressed then is lost."""
    page.wait_for_selector(".st-key-present_next button", state="visible", timeout=IDLE_MS)
    page.wait_for_function(
        "() => document.querySelectorAll('.st-key-present_hidden_keys button').length >= 3", timeout=IDLE_MS
    )
    page.wait_for_timeout(200)  # the listeners are added in an effect after the buttons are drawn


def wait_for_chart(page) -> None:
    page.wait_for_selector('.st-key-present_chart [data-testid="stPlotlyChart"] .main-svg', timeout=IDLE_MS)
    page.wait_for_timeout(300)  # plotly's own resize to the box it was given


def position(page) -> str:
    return page.locator(".board-meta").inner_text().rsplit("·", 1)[-1].strip()


def press(page, key: str) -> None:
    page.keyboard.press(key)
    page.wait_for_timeout(200)
    wait_for_app_idle(page, timeout_ms=IDLE_MS)


def layout_problems(layout: dict) -> list[str]:
    problems = []
    if layout["scrolls"]:
        problems.append(f"scrollbars on {layout['scrolls']}")
    if layout["sidebar"] and layout["sidebar"]["visible"]:
        problems.append("the sidebar is on screen")
    if layout["alerts"]:
        problems.append(f"{layout['alerts']} banner(s) on screen")
    parts = ["meta", "headline", "chart", "evidence", "controls"]
    for name in parts:
        part = layout[name]
        if part is None or not part["visible"]:
            problems.append(f"no {name} on screen")
        elif part["top"] < 0 or part["bottom"] > layout["height"] + 0.5 or part["right"] > layout["width"] + 0.5:
            problems.append(f"the {name} runs off the screen: {part}")
    shown = [layout[n] for n in parts if layout[n]]
    for upper, lower in zip(shown, shown[1:]):
        if upper["bottom"] > lower["top"] + 0.5:
            problems.append(f"parts overlap: {upper} and {lower}")
    chart = layout["chart"]
    if chart and (chart["height"] < 0.5 * layout["height"] or chart["width"] < 0.8 * layout["width"]):
        problems.append(f"the chart is small for the screen: {chart['width']:.0f}x{chart['height']:.0f}")
    return problems


@pytest.mark.parametrize("viewport", SIZES)
def test_presentation_mode_fits_one_finding_per_screen(browser, server, viewport):
    page, errors = open_page(browser, server.url + "/board?present=1", viewport)
    try:
        problems = []
        for _step in range(4):  # the first findings: a trend, two gaps and a gap change in the demo
            wait_for_chart(page)
            problems += [f"{position(page)}: {p}" for p in layout_problems(page.evaluate(LAYOUT_JS))]
            problems += [
                f"{position(page)}: {year} is broken over {lines} lines"
                for year, lines in page.evaluate(YEARS_ON_ONE_LINE_JS, ".board-headline")
                if lines != 1
            ]
            press(page, "ArrowRight")
        assert not problems and not errors, problems + errors
    finally:
        page.close()


@pytest.mark.parametrize("viewport", SIZES)
def test_a_clickers_keys_move_between_findings_and_escape_leaves(browser, server, viewport):
    page, errors = open_page(browser, server.url + "/board?present=1", viewport)
    try:
        total = int(position(page).split(" of ")[1])
        assert position(page) == f"finding 1 of {total}"
        seen = []
        for key in ("ArrowRight", "PageDown", "Space", "ArrowLeft", "PageUp"):
            press(page, key)
            seen.append(position(page))
        assert seen == [f"finding {n} of {total}" for n in (2, 3, 4, 3, 2)], seen
        headline = page.locator(".board-headline").inner_text()
        press(page, "Escape")
        assert "present" not in page.url
        assert page.locator('[data-testid="stSidebar"]').is_visible()
        assert page.locator('[data-testid="stMain"] h1').inner_text().strip() == "Board presentation"
        assert page.locator(".st-key-board_view .board-headline").inner_text() == headline  # same finding
        assert not errors, errors
    finally:
        page.close()


def test_the_presenter_view_has_the_speaker_notes_below_the_fold(browser, server):
    page, errors = open_page(browser, server.url + "/board?present=presenter", {"width": 1280, "height": 720})
    try:
        wait_for_chart(page)
        notes = page.locator(".board-notes")
        assert "Speaker notes" in notes.inner_text() and "Next:" in notes.inner_text()
        assert notes.bounding_box()["y"] >= 720 - 1, "the notes belong below the audience's screen"
        press(page, "n")  # N leaves the notes
        assert page.locator(".board-notes").count() == 0 and "present=1" in page.url
        assert not errors, errors
    finally:
        page.close()


def test_the_ordinary_page_keeps_its_lines_whole_at_1280x720(browser, server):
    page, errors = open_page(browser, server.url + "/board", {"width": 1280, "height": 720})
    try:
        page.wait_for_selector(".st-key-board_pdf button", timeout=IDLE_MS)  # the page's last element
        assert page.evaluate(LINES_JS, ".board-position") == 1, page.locator(".board-position").inner_text()
        labels = page.locator(".st-key-board_deck button, .st-key-board_pdf button")
        assert labels.count() == 2
        for i in range(2):
            label = labels.nth(i).locator('[data-testid="stMarkdownContainer"]')
            clipped = label.evaluate(
                "(e) => e.scrollWidth > e.clientWidth + 1 || "
                "[...e.querySelectorAll('*')].some((c) => c.scrollWidth > c.clientWidth + 1)"
            )
            assert not clipped, f"the download label {label.inner_text()!r} is cut short"
        for _ in range(5):
            broken = [
                y
                for y, lines in page.evaluate(YEARS_ON_ONE_LINE_JS, ".st-key-board_view .board-headline")
                if lines != 1
            ]
            assert not broken, page.locator(".st-key-board_view .board-headline").inner_text()
            page.locator(".st-key-board_next button").click()
            wait_for_app_idle(page, timeout_ms=IDLE_MS)
        assert not errors, errors
    finally:
        page.close()


def test_the_deck_downloads_from_the_page(browser, server):
    """The deck is drawn in the background when the page opens; the click only fetches it (the time from
    click to file is printed: `pytest -s`)."""
    page, errors = open_page(browser, server.url + "/board", {"width": 1280, "height": 720})
    try:
        page.wait_for_timeout(15_000)  # the background drawing, as during a presenter's first minutes
        started = time.perf_counter()
        with page.expect_download(timeout=IDLE_MS) as download:
            page.locator(".st-key-board_deck button").click()
        path = download.value.path()
        print(f"\ndeck download: {time.perf_counter() - started:.2f} s from the click")
        with open(path, "rb") as deck:
            assert deck.read(4) == b"PK\x03\x04"  # a PowerPoint file is a zip
        assert download.value.suggested_filename.endswith(".pptx")
        assert not errors, errors
    finally:
        page.close()
