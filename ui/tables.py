"""Tables that carry their own reading aids: reliability markers and method agreement."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from charts.equity import group_label
from etl.config import METHODS
from queries.privacy import numeric


def reliability(row: pd.Series) -> str:
    """How far to trust a rate: suppressed, a small group (coded), or the width of its interval."""
    if row["suppressed"]:
        return "suppressed (n<10)"
    width = numeric(row.to_frame().T, "pct_high").iloc[0] - numeric(row.to_frame().T, "pct_low").iloc[0]
    if pd.isna(width):
        return "small group: bounds only"
    if width > 30:
        return "low: wide interval"
    if width > 15:
        return "moderate"
    return "high"


def crossed_table(frame: pd.DataFrame, group_by: str) -> None:
    if frame.empty:
        st.info("No scored evidence for this selection.")
        return
    shown = pd.DataFrame({
        "group": frame["group_value"].map(lambda v: group_label(group_by, v)),
        # gated columns mix numbers with labels such as n<10: show them all as text
        "students": frame["n_students"].map(_text),
        "% proficient": frame["pct_proficient"].map(_text),
        "gap (pp)": frame["gap_pp"].map(_text),
        "gap 95% CI": [_ci(r) for _, r in frame.iterrows()],
        "reliability": [reliability(r) for _, r in frame.iterrows()],
    })
    st.dataframe(shown, hide_index=True, width="stretch")


def _text(value) -> str:
    if isinstance(value, str):
        return value
    if value is None or pd.isna(value):
        return ""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:.1f}"


def _ci(row: pd.Series) -> str:
    low, high = pd.to_numeric(pd.Series([row["gap_low"], row["gap_high"]]), errors="coerce")
    return "" if pd.isna(low) else f"{low:+.1f} to {high:+.1f}"


def method_sensitivity(by_method: dict[str, pd.DataFrame], group_by: str) -> None:
    """The headline gaps under every method; a row is flagged when methods disagree on significance."""
    rows = []
    for method, frame in by_method.items():
        for _, row in frame.iterrows():
            rows.append({"group": group_label(group_by, row["group_value"]), "method": METHODS[method],
                         "gap": numeric(row.to_frame().T, "gap_pp").iloc[0], "significant": row["is_significant"]})
    table = pd.DataFrame(rows)
    if table.empty:
        st.info("No scored evidence for this selection.")
        return
    wide = table.pivot_table(index="group", columns="method", values="gap", aggfunc="first")
    verdicts = table.dropna(subset=["gap"]).groupby("group")["significant"].agg(lambda s: len(set(map(bool, s))) > 1)
    wide["methods disagree?"] = verdicts.reindex(wide.index).map(lambda v: "yes: check before acting" if v else "no")
    st.dataframe(wide.round(1), width="stretch")
    if (wide["methods disagree?"] != "no").any():
        st.warning("For some groups the choice of calculation method decides whether the gap is beyond chance.")
