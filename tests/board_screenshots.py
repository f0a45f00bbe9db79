"""Retake the Board page's screenshots in docs/ from the demo district:

    .venv/bin/python -m tests.board_screenshots

writes docs/board_present_1.png and docs/board_present_4.png (findings 1 and 4 in presentation mode at a
1280x720 projector, as Chromium draws them) and docs/board_pdf_page_2.png, docs/board_pdf_page_5.png (pages
of the board PDF, drawn by pdftoppm: Debian's poppler-utils).
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from tests.browser_support import REPO_ROOT, launch_chromium, streamlit_server, wait_for_app_idle

DOCS = REPO_ROOT / "docs"


def main() -> list[Path]:
    from playwright.sync_api import sync_playwright

    from etl.demo import build_demo
    from exports.board import board_report_from_db, pdf_bytes, render

    written = []
    with tempfile.TemporaryDirectory(prefix="board-shots-") as folder:
        db = Path(folder) / "demo.duckdb"
        build_demo(db, seed=42)
        with streamlit_server(db, Path(folder)) as server, sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.goto(server.url + "/board?present=1")
            for number in range(1, 5):
                wait_for_app_idle(page, 90_000)
                page.wait_for_selector('.st-key-present_chart [data-testid="stPlotlyChart"] .main-svg')
                page.wait_for_timeout(600)
                if number in (1, 4):
                    path = DOCS / f"board_present_{number}.png"
                    page.screenshot(path=str(path))
                    written.append(path)
                page.keyboard.press("ArrowRight")
                page.wait_for_timeout(300)
            browser.close()
        pdf = Path(folder) / "deck.pdf"
        pdf.write_bytes(pdf_bytes(render(board_report_from_db(db))))
        for number in (2, 5):
            stem = DOCS / f"board_pdf_page_{number}"
            subprocess.run(
                [
                    "pdftoppm",
                    "-png",
                    "-r",
                    "60",
                    "-f",
                    str(number),
                    "-l",
                    str(number),
                    "-singlefile",
                    str(pdf),
                    str(stem),
                ],
                check=True,
            )
            written.append(stem.with_suffix(".png"))
    return written


if __name__ == "__main__":
    for path in main():
        print(path)
