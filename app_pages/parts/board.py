"""The views of the Board presentation page (app_pages/board.py): a finding on the ordinary page, its controls
and downloads, and presentation mode (one finding filling the screen, the keys as the buttons' shortcuts)."""

from __future__ import annotations

import streamlit as st

from exports.board import PDF_MIME, PPTX_MIME, download_bytes
from ui.data import query
from ui.presentation import FULL_SCREEN_JS, PRESENTATION_CSS, inert_html

SLIDE_KEY = "board_slide"
LARGE_TYPE = """<style>
.st-key-board_view .board-headline { font-size: 2.5rem; line-height: 1.2; font-weight: 700; margin: 0.5rem 0; }
.st-key-board_view p, .st-key-board_view li { font-size: 1.3rem; line-height: 1.5; }
.st-key-board_footnote p { font-size: 1.0rem; color: #5f6b7a; }
.board-position { white-space: nowrap; text-align: center; padding-top: 0.4rem; }
</style>"""
NEXT_KEYS = ("Right", "PageDown", "Space")
PREVIOUS_KEYS = ("Left", "PageUp")


def board_fetch(name: str, params: dict):
    return query(name, params, audience="board")


def move(step: int, total: int) -> None:
    st.session_state[SLIDE_KEY] = min(max(st.session_state.get(SLIDE_KEY, 0) + step, 0), total - 1)


def present(mode: str | None) -> None:
    if mode is None:
        st.query_params.pop("present", None)
    else:
        st.query_params["present"] = mode


def position(index: int, views: int) -> str:
    return f"finding {index + 1} of {views - 1}" if index < views - 1 else "methods"


def methods_view(report) -> None:
    if not report.findings:
        st.markdown(
            "No finding can be shown: the warehouse has no scored evidence or survey answers for the "
            "board yet, or every group is too small to show."
        )
    for heading, text in [*report.appendix, *report.considered]:
        st.markdown(f"<p><b>{inert_html(heading)}.</b> {inert_html(text)}</p>", unsafe_allow_html=True)


def presentation(report, index: int, views: int, presenter: bool) -> None:
    """One finding filling the screen; the keys are the buttons' shortcuts."""
    st.html(PRESENTATION_CSS)
    st.html(FULL_SCREEN_JS, unsafe_allow_javascript=True)
    with st.container(key="present_slide"):
        st.markdown(
            f"<p class='board-meta'>{inert_html(report.title)} · {inert_html(report.subtitle)} · "
            f"{position(index, views)}</p>",
            unsafe_allow_html=True,
        )
        if index < len(report.findings):
            finding = report.findings[index]
            st.markdown(f"<h2 class='board-headline'>{inert_html(finding.headline)}</h2>", unsafe_allow_html=True)
            with st.container(key="present_chart"):
                figure = finding.figure.to_dict()  # a copy: the chart takes the screen's height, not its own
                figure["layout"].pop("height", None)
                st.plotly_chart(
                    figure,
                    height="stretch",
                    key=f"present_chart_{index}",
                    theme=None,
                    config={"displayModeBar": False, "responsive": True},
                    alt=finding.alt_text,
                )
            st.markdown(f"<p class='board-evidence'>{inert_html(finding.evidence_line)}</p>", unsafe_allow_html=True)
        else:
            st.markdown("<h2 class='board-headline'>Methods and privacy</h2>", unsafe_allow_html=True)
            with st.container(key="present_chart"), st.container(key="present_methods", height="stretch"):
                methods_view(report)
        with st.container(key="present_controls", horizontal=True, gap="small"):
            st.button(
                "Previous",
                key="present_previous",
                on_click=move,
                args=(-1, views),
                shortcut="Left",
                disabled=index == 0,
            )
            st.button(
                "Next",
                key="present_next",
                on_click=move,
                args=(1, views),
                shortcut="Right",
                disabled=index >= views - 1,
            )
            st.button("Leave (Esc)", key="present_leave", on_click=present, args=(None,), shortcut="Esc")
            st.button(
                "Notes (N)",
                key="present_notes",
                on_click=present,
                args=("1" if presenter else "presenter",),
                shortcut="N",
            )
            st.caption("Right, Page Down or Space: next · Left or Page Up: back")
    with st.container(key="present_hidden_keys"):  # a clicker's other keys, as buttons no one sees
        for key in NEXT_KEYS[1:]:
            st.button(f"Next ({key})", key=f"present_next_{key}", on_click=move, args=(1, views), shortcut=key)
        for key in PREVIOUS_KEYS[1:]:
            st.button(f"Previous ({key})", key=f"present_previous_{key}", on_click=move, args=(-1, views), shortcut=key)
    if presenter:
        notes = report.findings[index].notes if index < len(report.findings) else report.method_label
        following = report.findings[index + 1].headline if index + 1 < len(report.findings) else "Methods"
        st.markdown(
            f"<div class='board-notes'><p><b>Speaker notes.</b> {inert_html(notes)}</p>"
            f"<p><b>Next:</b> {inert_html(following)}</p></div>",
            unsafe_allow_html=True,
        )


def slide_controls(controls: list, report, index: int, views: int) -> None:
    """Previous, where we are, Next and Present, in the page's top row."""
    controls[1].button(
        "Previous",
        icon=":material/arrow_back:",
        key="board_previous",
        on_click=move,
        args=(-1, views),
        disabled=index == 0,
        width="stretch",
    )
    controls[2].markdown(
        f"<div class='board-position'>{inert_html(report.title)}, {inert_html(report.subtitle)} · "
        f"{position(index, views)}</div>",
        unsafe_allow_html=True,
    )
    controls[3].button(
        "Next",
        icon=":material/arrow_forward:",
        key="board_next",
        on_click=move,
        args=(1, views),
        disabled=index >= views - 1,
        width="stretch",
    )
    controls[4].button(
        "Present",
        icon=":material/slideshow:",
        key="board_present",
        on_click=present,
        args=("1",),
        type="primary",
        width="stretch",
        help="Full screen, one finding per screen; the arrow keys, Page Down/Up and Space move, Escape leaves.",
    )


def finding_view(report, index: int) -> None:
    """The finding (or the methods) in large type, and the list of all findings."""
    st.markdown(LARGE_TYPE, unsafe_allow_html=True)
    with st.container(key="board_view"):
        if index < len(report.findings):
            finding = report.findings[index]
            st.markdown(f"<h2 class='board-headline'>{inert_html(finding.headline)}</h2>", unsafe_allow_html=True)
            st.plotly_chart(
                finding.figure,
                width="stretch",
                key=f"board_chart_{index}",
                alt=finding.alt_text,
                config={"displayModeBar": False},
                theme=None,
            )  # the board theme's large type, as exported
            with st.container(key="board_footnote"):
                st.markdown(f"<p>{inert_html(finding.footnote)}</p>", unsafe_allow_html=True)
        else:
            st.markdown(
                f"<h2 class='board-headline'>{'Methods and privacy' if report.findings else 'Nothing to present yet'}</h2>",
                unsafe_allow_html=True,
            )
            methods_view(report)

    with st.expander("All findings"):
        for number, finding in enumerate(report.findings, start=1):
            st.markdown(f"<p>{number}. {inert_html(finding.headline)}</p>", unsafe_allow_html=True)


def downloads(report, deck_key: tuple) -> None:
    """The deck and the PDF of the same findings, built in the background before anyone clicks."""
    downloads = st.columns([1.3, 1, 3], vertical_alignment="center")
    stem = f"board_findings_{report.school_year}"
    downloads[0].download_button(
        "PowerPoint deck",
        lambda: download_bytes(deck_key, report, "pptx"),
        file_name=f"{stem}.pptx",
        mime=PPTX_MIME,
        key="board_deck",
        on_click="ignore",
        icon=":material/slideshow:",
        width="stretch",
        wrap=True,
    )
    downloads[1].download_button(
        "PDF",
        lambda: download_bytes(deck_key, report, "pdf"),
        file_name=f"{stem}.pdf",
        mime=PDF_MIME,
        key="board_pdf",
        on_click="ignore",
        icon=":material/picture_as_pdf:",
        width="stretch",
        wrap=True,
    )
    downloads[2].caption(
        "A cover slide, one slide per finding with its chart and footnote, then the methods. "
        "Aggregates only; no student is named."
    )
