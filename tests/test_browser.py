"""Every page in a real browser: `streamlit run dashboard.py` on the demo district, driven by Chromium.

The pages are found in the app's own sidebar navigation, so a page added to the app is covered here
without editing this file. Each page is opened by clicking its link, as a person does, and must finish
its script run and show its heading, with no exception box, no error alert and no uncaught JavaScript
error. A full-page screenshot of each page is written to a temporary folder (its path is printed;
`pytest -s` shows it). A second check opens a page by its address as the first request of a newly
started server (a bookmark after a restart).

Runs in CI (.ci/run installs Debian's Chromium); a missing /usr/bin/chromium fails, never skips.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.browser_support import (
    NAV_LABEL,
    NAV_LINK,
    VIEWPORT,
    chromium_missing_message,
    click_nav_link,
    full_page_screenshot,
    launch_chromium,
    nav_links,
    page_problems,
    start_server,
    wait_for_app_idle,
)
from tests.test_accessibility import serious_violations

pytestmark = pytest.mark.browser
IDLE_MS = 90_000  # a page's script run; generous for a busy CI machine (each takes 1-3 s on a quiet one)


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


@pytest.fixture(scope="module")
def servers(request, tmp_path_factory):
    """Two servers on the demo district (the richest data every page can show): `main` for the page
    walk, and `fresh`, which answers no page before the bookmark test. Both start while the demo
    district is being built, which is most of this module's time."""
    folder = tmp_path_factory.mktemp("browser")
    db = folder / "demo.duckdb"
    with ExitStack() as stack:
        started = {name: start_server(db, folder) for name in ("main", "fresh")}
        for server in started.values():
            stack.callback(server.stop)
        demo_db = request.getfixturevalue("demo_db")  # conftest: `etl demo`'s own build, once per session
        try:
            os.link(demo_db, db)
        except OSError:
            shutil.copyfile(demo_db, db)
        yield {name: server.wait_healthy() for name, server in started.items()}


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("screenshots")
    print(f"\nscreenshots: {folder}")
    return folder


def new_tab(browser, url: str):
    """A tab on `url` (its script run may still be going); returns (page, uncaught JS errors)."""
    page = browser.new_page(viewport=VIEWPORT)
    page.set_default_timeout(IDLE_MS)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    return page, errors


@pytest.fixture(scope="module")
def app_pages(browser, servers) -> list[tuple[str, str]]:
    """(label, url) of every page in the app's sidebar navigation, found by opening the home page."""
    page, errors = new_tab(browser, servers["main"].url)
    try:
        wait_for_app_idle(page, timeout_ms=IDLE_MS)
        problems = page_problems(page) + [f"JavaScript error: {e}" for e in errors]
        assert not problems, f"the home page is broken, so its navigation cannot be read: {problems}"
        links = nav_links(page)
    finally:
        page.close()
    labels = [label for label, _ in links]
    assert len(links) >= 2 and all(labels) and len(set(labels)) == len(labels), links
    assert all(url.startswith(servers["main"].url) for _, url in links), links
    return links


def check_page(page, errors: list[str], label: str) -> list[str]:
    problems = page_problems(page) + [f"JavaScript error: {e}" for e in errors]
    current = page.locator(f'{NAV_LINK}[aria-current="page"]')
    shown = current.first.locator(NAV_LABEL).inner_text().strip() if current.count() else None
    if shown != label:
        problems.append(f"the navigation marks {shown!r} as the current page, not {label!r}")
    return problems


def test_every_page_in_the_navigation_opens_without_error(browser, servers, app_pages, shots):
    """Walk the sidebar as a person does, one click per page, in one browser session."""
    page, errors = new_tab(browser, servers["main"].url)
    failures, timings = [], []
    try:
        wait_for_app_idle(page, timeout_ms=IDLE_MS)
        for label, url in app_pages:
            started, errors_before = time.perf_counter(), len(errors)
            click_nav_link(page, label, timeout_ms=IDLE_MS)
            timings.append(f"{label} {time.perf_counter() - started:.1f} s")
            problems = check_page(page, errors[errors_before:], label)
            page.wait_for_timeout(300)  # charts drawn
            problems += [
                f"accessibility: {v['impact']} {v['id']} ({v['help']}): " + " | ".join(v["nodes"])
                for v in serious_violations(page)
            ]  # axe-core, tests/test_accessibility.py
            if urlsplit(page.url).path != urlsplit(url).path:
                problems.append(f"the address is {page.url}, not the link's {url}")
            shot = full_page_screenshot(page, shots / f"{_slug(label)}.png")
            if shot.stat().st_size < 10_000:
                problems.append(f"the screenshot {shot} is nearly empty")
            failures += [f"{label} ({url}): {p}" for p in problems]
    finally:
        page.close()
    print("page runs: " + ", ".join(timings))
    assert not failures, "\n".join(failures)


def test_a_bookmarked_page_opens_on_a_freshly_started_server(browser, servers, app_pages):
    """A link to a page other than the home page (a bookmark, a link in an e-mail) must open that page
    even when it is the first request the server process answers, e.g. right after a restart."""
    label, url = next((label, url) for label, url in reversed(app_pages) if urlsplit(url).path.strip("/"))
    page, errors = new_tab(browser, servers["fresh"].url + urlsplit(url).path)
    try:
        wait_for_app_idle(page, timeout_ms=IDLE_MS)
        problems = check_page(page, errors, label)
        labels = [text for text, _ in nav_links(page)]
        if labels != [text for text, _ in app_pages]:
            problems.append(
                f"the sidebar lists {labels}, not the app's pages {[t for t, _ in app_pages]}: "
                "Streamlit ran the page file by itself, without dashboard.py (it does so on a new "
                "server's first request when a folder named `pages/` sits beside dashboard.py)"
            )
        assert not problems, f"{label} opened first on a new server: {problems}"
    finally:
        page.close()


def _slug(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_") or "page"
