"""Helpers for the real-browser tests: serve the app with `streamlit run`, drive Debian's Chromium.

Used by tests/test_browser.py, and runnable to refresh the README's screenshot from the demo district:

    .venv/bin/python -m tests.browser_support          # writes docs/screenshot.png and docs/screenshots/*.png

Playwright must launch Debian's /usr/bin/chromium (Playwright's own browser download is not used);
.ci/run installs it when it is missing.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1400, "height": 900}

# The app's own markers (Streamlit's frontend sets these data-testid / data-* attributes).
NAV_LINK = '[data-testid="stSidebarNavLink"]'
NAV_LABEL = '[data-testid="stMarkdownContainer"]'  # a nav link's text, without its icon's ligature name
EXCEPTION = '[data-testid="stException"]'
ERROR_ALERT = '[data-testid="stAlertContentError"]'
MAIN = '[data-testid="stMain"]'

# True once the script run that drew the page has finished and nothing on screen is left over from
# an earlier run: the script state is "notRunning" (it is "initial" before the first run), the
# status widget shows no running icon, and no element is marked stale.
APP_IDLE_JS = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return !!app
        && app.getAttribute('data-test-script-state') === 'notRunning'
        && !document.querySelector('[data-testid="stStatusWidgetRunningIcon"]')
        && !document.querySelector('[data-stale="true"]');
}"""


def chromium_missing_message() -> str | None:
    if CHROMIUM.exists():
        return None
    return (
        f"{CHROMIUM} is missing: the browser tests drive Debian's Chromium (Playwright's own browser "
        "download is not used). Install it with `apt-get install -y chromium` (.ci/run does this in CI)."
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    """A `streamlit run dashboard.py` process we started, on its own port and process group."""

    url: str
    process: subprocess.Popen
    log_path: Path

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def wait_healthy(self, timeout: float = 60.0) -> Server:
        """Wait for /_stcore/health to answer `ok`; fail with the server's log if it exits or stalls."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited with code {self.process.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                    if response.status == 200 and response.read().strip() == b"ok":
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        raise RuntimeError(
            f"streamlit did not answer {self.url}/_stcore/health within {timeout:.0f} s:\n{self.log_tail()}"
        )

    def stop(self) -> None:
        """Stop this server: its own process group (start_new_session), by id, nothing else."""
        if self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process.wait(timeout=10)


def start_server(db_path: Path, log_dir: Path, extra_env: dict | None = None) -> Server:
    """Start `streamlit run dashboard.py` on a free port with DASHBOARD_DB=db_path, without waiting.

    The warehouse need not exist yet: the app reads it on each script run, so the server can start
    while the warehouse is being built.
    """
    port = free_port()
    log_path = Path(log_dir) / f"streamlit-{port}.log"
    env = {**os.environ, "DASHBOARD_DB": str(db_path), "PYTHONUNBUFFERED": "1", **(extra_env or {})}
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "dashboard.py",
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    return Server(f"http://127.0.0.1:{port}", process, log_path)


@contextmanager
def streamlit_server(db_path: Path, log_dir: Path, timeout: float = 60.0):
    """A server on db_path, healthy, for the length of the with-block."""
    server = start_server(db_path, log_dir)
    try:
        yield server.wait_healthy(timeout)
    finally:
        server.stop()


def launch_chromium(playwright):
    message = chromium_missing_message()
    if message:
        raise RuntimeError(message)
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def wait_for_app_idle(page, timeout_ms: float = 30_000, settle_ms: int = 250) -> None:
    """Wait until the script run has finished, then make sure no rerun follows right after it."""
    page.wait_for_function(APP_IDLE_JS, timeout=timeout_ms, polling=100)
    page.wait_for_timeout(settle_ms)
    page.wait_for_function(APP_IDLE_JS, timeout=timeout_ms, polling=100)


# Every script state the app passes through from now on. The observer watches the whole document, not one
# element: Streamlit may remount its app element, and an observer on the old one would see nothing.
WATCH_RUNS_JS = """() => {
    window.__scriptStates = [];
    if (window.__scriptStateObserver) window.__scriptStateObserver.disconnect();
    const record = () => {
        const now = document.querySelector('[data-testid="stApp"]');
        window.__scriptStates.push(now ? now.getAttribute('data-test-script-state') : null);
    };
    window.__scriptStateObserver = new MutationObserver(record);
    window.__scriptStateObserver.observe(document.documentElement, {
        attributes: true, attributeFilter: ['data-test-script-state'], subtree: true, childList: true,
    });
}"""
RUN_SEEN_JS = "() => (window.__scriptStates || []).includes('running')"
CLICK_TAKEN_MS = 15_000  # a click on a link drawn during a rerun can be lost; then the link is clicked again


def click_nav_link(page, label: str, timeout_ms: float = 30_000) -> None:
    """Open a page the way a person does, by its sidebar link, and wait for the run it starts to finish.

    The script state is watched from before the click, so an idle page left over from the previous run
    is never taken for the new one."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    link = page.locator(NAV_LINK).filter(has=page.locator(NAV_LABEL, has_text=label)).first
    page.evaluate(WATCH_RUNS_JS)
    link.click()
    try:
        page.wait_for_function(RUN_SEEN_JS, timeout=min(CLICK_TAKEN_MS, timeout_ms), polling=50)
    except PlaywrightTimeout:
        wait_for_app_idle(page, timeout_ms)
        page.evaluate(WATCH_RUNS_JS)
        link.click()
        page.wait_for_function(RUN_SEEN_JS, timeout=timeout_ms, polling=50)
    wait_for_app_idle(page, timeout_ms)


def nav_links(page) -> list[tuple[str, str]]:
    """(label, href) of every page in the app's sidebar navigation, in the order shown."""
    page.wait_for_selector(NAV_LINK, timeout=15_000)
    links = page.locator(NAV_LINK)
    found = []
    for i in range(links.count()):
        link = links.nth(i)
        found.append((link.locator(NAV_LABEL).inner_text().strip(), link.get_attribute("href")))
    return found


def page_problems(page) -> list[str]:
    """What is wrong with the page as drawn: exceptions, error alerts, no heading, no title."""
    problems = []
    for element in page.locator(EXCEPTION).all():
        problems.append(f"exception shown: {element.inner_text()[:800]}")
    for element in page.locator(ERROR_ALERT).all():
        problems.append(f"error alert shown: {element.inner_text()[:800]}")
    headings = [h.strip() for h in page.locator(f"{MAIN} h1").all_inner_texts() if h.strip()]
    if not headings:
        problems.append("no page heading (h1) in the main area")
    if not page.title().strip():
        problems.append("the document has no title")
    return problems


def full_page_screenshot(page, path: Path) -> Path:
    """Streamlit scrolls inside its main container, so a plain full-page shot stops at the viewport:
    grow the viewport to the content's height first, then restore it."""
    height = page.evaluate(
        """() => {
            const main = document.querySelector('[data-testid="stMain"]');
            return Math.max(document.documentElement.scrollHeight, main ? main.scrollHeight : 0);
        }"""
    )
    original = page.viewport_size
    page.set_viewport_size({"width": original["width"], "height": min(max(int(height), original["height"]), 8000)})
    page.wait_for_timeout(400)  # let plotly re-layout to the new size
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(original)
    return path


def readme_screenshot(out: Path = REPO_ROOT / "docs" / "screenshot.png") -> Path:
    """Build the demo district in a temporary folder, serve it, and capture the Overview."""
    from playwright.sync_api import sync_playwright

    from etl.demo import build_demo

    with tempfile.TemporaryDirectory(prefix="readme-shot-") as folder:
        db = Path(folder) / "demo.duckdb"
        print(build_demo(db, seed=42))
        with streamlit_server(db, Path(folder)) as server, sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.goto(server.url)
            wait_for_app_idle(page)
            problems = page_problems(page)
            if problems:
                raise RuntimeError("; ".join(problems))
            page.screenshot(path=str(out))  # the first screen is what a reader sees first
            browser.close()
    return out


def page_screenshots(folder: Path = REPO_ROOT / "docs" / "screenshots") -> list[Path]:
    """Every page of the demo district as a district leader sees it, one PNG per page (the README links them)."""
    import re

    from playwright.sync_api import sync_playwright

    from etl.demo import build_demo

    shots = []
    with tempfile.TemporaryDirectory(prefix="page-shots-") as scratch:
        db = Path(scratch) / "demo.duckdb"
        print(build_demo(db, seed=42))
        with streamlit_server(db, Path(scratch)) as server, sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.set_default_timeout(90_000)
            page.goto(server.url)
            wait_for_app_idle(page, timeout_ms=90_000)
            for label, _ in nav_links(page):
                click_nav_link(page, label, timeout_ms=90_000)
                problems = page_problems(page)
                if problems:
                    raise RuntimeError(f"{label}: {'; '.join(problems)}")
                slug = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")
                shots.append(full_page_screenshot(page, folder / f"{slug}.png"))
            browser.close()
    return shots


if __name__ == "__main__":
    print(readme_screenshot())
    print(*page_screenshots(), sep="\n")
