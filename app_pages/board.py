"""Board presentation: a few findings shown in public, one per view (DESIGN.md sections 1, 5 and 6).

Findings are chosen from the data by exports/findings.py (largest gaps, biggest changes, coverage, culture),
every query run with the board audience's gate (`query(..., audience="board")`: the board's minimum n, never
a student list), whoever is presenting. Each view: the finding stated in words as the title, its chart, and a
footnote with n, the calculation method and the suppression rule; the last view is the methods appendix.
The deck (PowerPoint) and the PDF of the same findings download from here, drawn when the button is clicked.
"""
from __future__ import annotations

from html import escape

import streamlit as st

from exports.board import PDF_MIME, PPTX_MIME, download_bytes
from exports.findings import choose_findings
from ui import filters
from ui.auth import current_viewer
from ui.data import query

SLIDE_KEY = "board_slide"
LARGE_TYPE = """<style>
.st-key-board_view h2 { font-size: 2.7rem; line-height: 1.2; }
.st-key-board_view p, .st-key-board_view li { font-size: 1.3rem; line-height: 1.5; }
.st-key-board_footnote p { font-size: 1.0rem; color: #5f6b7a; }
</style>"""


def board_fetch(name: str, params: dict):
    return query(name, params, audience="board")


def move(step: int, total: int) -> None:
    st.session_state[SLIDE_KEY] = min(max(st.session_state.get(SLIDE_KEY, 0) + step, 0), total - 1)


viewer = current_viewer()
method = st.session_state.get("method")
st.title("Board presentation")
controls = st.columns([1, 1, 3, 1, 1])
year = filters.school_year(controls[0], key="board_year")
report = choose_findings(board_fetch, school_year=year, method=method)
if viewer.scope.school_ids is not None:
    report.title = "Findings for " + ("your school" if len(viewer.scope.school_ids) == 1 else "your schools")
views = len(report.findings) + 1  # the findings, then the methods appendix
index = min(st.session_state.get(SLIDE_KEY, 0), views - 1)
st.session_state[SLIDE_KEY] = index

controls[1].button("Previous", icon=":material/arrow_back:", key="board_previous", on_click=move, args=(-1, views),
                   disabled=index == 0, width="stretch")
controls[2].markdown(f"<div style='text-align:center;padding-top:0.4rem'>{escape(report.title)}, "
                     f"{escape(report.subtitle)} · "
                     f"{'finding ' + str(index + 1) + ' of ' + str(views - 1) if index < views - 1 else 'methods'}"
                     "</div>", unsafe_allow_html=True)  # data-derived text is escaped
controls[3].button("Next", icon=":material/arrow_forward:", key="board_next", on_click=move, args=(1, views),
                   disabled=index >= views - 1, width="stretch")

st.markdown(LARGE_TYPE, unsafe_allow_html=True)
with st.container(key="board_view"):
    if index < len(report.findings):
        finding = report.findings[index]
        st.header(finding.headline)  # the finding stated in words, in large type
        st.plotly_chart(finding.figure, width="stretch", key=f"board_chart_{index}",
                        config={"displayModeBar": False}, theme=None)  # the board theme's large type, as exported
        with st.container(key="board_footnote"):
            st.markdown(finding.footnote)
    else:
        st.header("Methods and privacy" if report.findings else "Nothing to present yet")
        if not report.findings:
            st.markdown("No finding can be shown: the warehouse has no scored evidence or survey answers for the "
                        "board yet, or every group is too small to show.")
        for heading, text in report.appendix:
            st.markdown(f"**{heading}.** {text}")

with st.expander("All findings"):
    for number, finding in enumerate(report.findings, start=1):
        st.markdown(f"{number}. {finding.headline}")

if report.findings:
    key = (st.session_state["warehouse_state"].version, viewer.scope, report.school_year, method, report.title)
    downloads = st.columns([1, 1, 3])
    stem = f"board_findings_{report.school_year}"
    downloads[0].download_button("Deck (PowerPoint)", lambda: download_bytes(key, report, "pptx"),
                                 file_name=f"{stem}.pptx", mime=PPTX_MIME, key="board_deck", on_click="ignore",
                                 icon=":material/slideshow:", width="stretch")
    downloads[1].download_button("PDF", lambda: download_bytes(key, report, "pdf"), file_name=f"{stem}.pdf",
                                 mime=PDF_MIME, key="board_pdf", on_click="ignore", icon=":material/picture_as_pdf:",
                                 width="stretch")
    downloads[2].caption("Drawn when clicked (a few seconds): one slide per finding with its chart and footnote, "
                         "then the methods appendix. Aggregates only; no student is named.")
