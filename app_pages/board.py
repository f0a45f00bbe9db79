"""Board presentation: a few findings shown in public, one per view (docs: README, "Board deck").

Findings are chosen from the data by exports/findings/, every query run with the board audience's gate
(`query(..., audience="board")`), whoever is presenting. Each view: the finding stated in words as the title,
its chart, one line of evidence and a footnote; the last view is the methods appendix. The deck (PowerPoint)
and the PDF of the same findings download from here; they are drawn in the background as soon as the page
has its findings, so a click returns them at once.

Presentation mode (the Present button, or `?present=1` in the address) fills the screen with one finding:
the sidebar and banners hidden, laid out in viewport units for a 1280x720 projector and a 1920x1080 screen.
Right, Page Down and Space move forward, Left and Page Up back, Escape leaves (ui/presentation.py); the
presenter view (`?present=presenter`, or the N key) adds the speaker notes below the fold. The views are
drawn by app_pages/parts/board.py.
"""

from __future__ import annotations

import streamlit as st

from app_pages.parts import board as part
from app_pages.parts.board import SLIDE_KEY, board_fetch
from exports.board import prebuild
from exports.findings import choose_findings
from ui import filters
from ui.auth import current_viewer

viewer = current_viewer()
method = st.session_state.get("method")
mode = st.query_params.get("present")
if mode is None:
    st.title("Board presentation")
    controls = st.columns([1, 1, 4, 1, 1.2], vertical_alignment="center")
    year = filters.school_year(controls[0], key="board_year")
    st.session_state["board_year_shown"] = year  # kept while presenting, when the select box is not drawn
else:
    year = st.session_state.get("board_year_shown")
# The findings read the public release, computed once with the district's method (docs/privacy.md), whatever
# method the sidebar shows.
report = choose_findings(board_fetch, school_year=year)
if viewer.scope.school_ids is not None:
    report.title = "Findings for " + ("your school" if len(viewer.scope.school_ids) == 1 else "your schools")
views = len(report.findings) + 1  # the findings, then the methods appendix
index = min(st.session_state.get(SLIDE_KEY, 0), views - 1)
st.session_state[SLIDE_KEY] = index
deck_key = (st.session_state["warehouse_state"].version, viewer.scope, report.school_year, method, report.title)
if report.findings:
    prebuild(deck_key, report)  # the deck and the PDF, drawn in the background before anyone clicks

if mode is not None:
    part.presentation(report, index, views, presenter=mode == "presenter")
    st.stop()

st.html(
    "<script>if (document.fullscreenElement) { document.exitFullscreen().catch(() => {}); }</script>",
    unsafe_allow_javascript=True,
)
part.slide_controls(controls, report, index, views)
part.finding_view(report, index)
if report.findings:
    part.downloads(report, deck_key)
