"""Pieces every page shares: the demo banner, KPI cards, footnotes and empty states."""

from __future__ import annotations

import streamlit as st

from ui.text import md
from warehouse.config import district_config
from warehouse.gated_cells import SUPPRESSED_N


def demo_banner(sign_in_off: bool = True) -> None:
    st.info(
        "**Demo district.** Every name and number on this page is generated; no real student is shown."
        + (" Sign-in is off in demo mode." if sign_in_off else ""),
        icon=":material/science:",
    )


def local_mode_notice() -> None:
    st.warning(
        "**Single-user local mode: sign-in is off.** Whoever opens this address sees every school "
        "(`auth: {mode: local}` in config/district.yaml). Keep it on this computer; to share the "
        "dashboard, set up sign-in (README, Sign-in).",
        icon=":material/lock_open:",
    )


def mode_notice(mode: str, is_demo: bool) -> None:
    """Every page says how the viewer got in when it was not by signing in (ui/auth.py modes)."""
    if is_demo:
        demo_banner(sign_in_off=mode != "sign_in")
    elif mode == "local":
        local_mode_notice()


def method_footnote(method: str | None = None) -> None:
    config = district_config()
    st.caption(
        f"Calculation method: {config.method_label(method)}. Groups under {config.min_n} students "
        f"show n<{config.min_n} and no figure."
    )


def kpi(column, label: str, value, help_text: str | None = None) -> None:
    column.metric(label, SUPPRESSED_N if value is None else value, help=help_text)


def empty_state(state) -> None:
    """Say plainly why there is nothing to show, and what to run."""
    if state.status == "missing":
        st.warning(f"No warehouse yet at `{state.path}`.")
        st.markdown(
            "Build the demo district with `python -m etl demo`, or load your own exports with "
            "`python -m etl load roster FILE` (see the README)."
        )
    elif state.status == "busy":
        st.warning(
            "**Data refresh in progress.** A load is updating the warehouse; this page will show the "
            "new figures when it finishes. Reload in a moment.",
            icon=":material/sync:",
        )
    else:
        st.warning("The warehouse is empty: load a roster, a continuum and a gradebook to see figures.")


def answer(sentences: list[str]) -> None:
    """The page's answer, first on the page: plain sentences (answers/), shown as text since they name groups and
    schools from data."""
    sentences = [s for s in sentences if s]
    if sentences:
        with st.container(border=True, key="page_answer"):
            st.markdown(" ".join(md(s) for s in sentences))
