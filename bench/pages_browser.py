"""Pages as a person feels them, in Chromium: time to the first chart of a fresh visit, and time until a filter
change is idle (the script run finished, nothing stale, charts drawn), on the demo district or any warehouse.

    python -m bench.pages_browser [--db PATH] [--repeats 3]

A fresh visit is a new browser context (no cache, no session) opening the page's address; the first chart is the
first Plotly chart drawn in the main area. A filter change picks the next option of each of the page's first
select boxes in turn and waits for the app to be idle again. Targets (issue 17): first chart within 3 s, filter
change idle within 1 s (p95 over the pages' filters). The demo district is built in a temporary folder when no
--db is given.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from tests.browser_support import (
    MAIN,
    NAV_LINK,
    RUN_SEEN_JS,
    VIEWPORT,
    WATCH_RUNS_JS,
    launch_chromium,
    nav_links,
    streamlit_server,
    wait_for_app_idle,
)

FIRST_CHART_S, FILTER_IDLE_S = 3.0, 1.0
CHART = f"{MAIN} .js-plotly-plot .main-svg"
SELECT = f"{MAIN} [data-testid='stSelectbox']"


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))] if ordered else float("nan")


def first_chart_s(browser, url: str) -> tuple[float, float]:
    """(seconds to the first chart, seconds to idle) of a fresh visit to `url`."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(120_000)
    started = time.perf_counter()
    page.goto(url)
    chart = None
    try:
        page.wait_for_selector(CHART, timeout=60_000)
        chart = time.perf_counter() - started
    except Exception:  # a page without charts (Data loads)
        pass
    wait_for_app_idle(page, timeout_ms=120_000, settle_ms=100)
    idle = time.perf_counter() - started
    context.close()
    return (chart if chart is not None else float("nan")), idle


def filter_changes_s(browser, url: str, n_filters: int = 3) -> list[float]:
    """Seconds until idle after changing each of the page's first select boxes to its next option."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(120_000)
    page.goto(url)
    wait_for_app_idle(page, timeout_ms=120_000)
    timings = []
    for i in range(min(n_filters, page.locator(SELECT).count())):
        box = page.locator(SELECT).nth(i)
        box.click()
        options = page.locator("[role='option']")
        if options.count() < 2:
            page.keyboard.press("Escape")
            continue
        page.evaluate(WATCH_RUNS_JS)
        started = time.perf_counter()
        options.nth(1).click()
        try:
            page.wait_for_function(RUN_SEEN_JS, timeout=5_000, polling=20)
        except Exception:
            pass
        wait_for_app_idle(page, timeout_ms=120_000, settle_ms=100)
        timings.append(time.perf_counter() - started)
    context.close()
    return timings


def measure(db: Path, repeats: int) -> dict:
    from playwright.sync_api import sync_playwright

    results = {}
    with (
        tempfile.TemporaryDirectory(prefix="bench-pages-") as logs,
        streamlit_server(db, Path(logs)) as server,
        sync_playwright() as playwright,
    ):
        browser = launch_chromium(playwright)
        home = browser.new_page(viewport=VIEWPORT)
        home.goto(server.url)
        wait_for_app_idle(home, timeout_ms=120_000)
        home.wait_for_selector(NAV_LINK, timeout=120_000)  # a fresh server's first run can be slow
        pages = nav_links(home)
        home.close()
        for label, url in pages:
            visits = [first_chart_s(browser, url) for _ in range(repeats)]
            changes = [t for _ in range(repeats) for t in filter_changes_s(browser, url)]
            results[label] = {
                "first_chart_s": round(statistics.median(v[0] for v in visits), 2),
                "fresh_visit_idle_s": round(statistics.median(v[1] for v in visits), 2),
                "filter_idle_p95_s": round(p95(changes), 2),
                "filter_changes": len(changes),
            }
            print(
                f"{label:22} first chart {results[label]['first_chart_s']:5.2f} s   fresh visit idle "
                f"{results[label]['fresh_visit_idle_s']:5.2f} s   filter change idle p95 "
                f"{results[label]['filter_idle_p95_s']:5.2f} s ({len(changes)} changes)",
                flush=True,
            )
        browser.close()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pages_browser", description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a warehouse (default: the demo district, built in a temp folder)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-demo-") as folder:
        db = args.db
        if db is None:
            from etl.demo import build_demo

            db = Path(folder) / "demo.duckdb"
            print(build_demo(db, seed=42), flush=True)
        results = measure(db, args.repeats)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    slow = [
        f"{label}: first chart {r['first_chart_s']} s"
        for label, r in results.items()
        if r["first_chart_s"] == r["first_chart_s"] and r["first_chart_s"] > FIRST_CHART_S
    ]
    slow += [
        f"{label}: filter change {r['filter_idle_p95_s']} s"
        for label, r in results.items()
        if r["filter_idle_p95_s"] == r["filter_idle_p95_s"] and r["filter_idle_p95_s"] > FILTER_IDLE_S
    ]
    print("targets met" if not slow else "over target: " + "; ".join(slow))
    return 0


if __name__ == "__main__":
    sys.exit(main())
