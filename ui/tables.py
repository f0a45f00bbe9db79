"""Tables: every table a page shows, with its own formula-safe download, and the ones that carry reading aids
(reliability markers, method agreement).

Streamlit's own table toolbar would download a table's cells as they are, so a survey comment or school name
such as `=HYPERLINK(...)` would reach a spreadsheet as a formula. That toolbar download is switched off
(`client.disableDataExport` in .streamlit/config.toml, and again in dashboard.py) and `table` offers the
project's formula-safe CSV (warehouse/csv_safe.py) beside each table instead."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from warehouse.config import METHODS
from warehouse.csv_safe import to_safe_csv
from warehouse.gated_cells import SUPPRESSED_N, numeric
from warehouse.labels import group_label


def table(
    frame: pd.DataFrame,
    key: str,
    *,
    column_config: dict | None = None,
    hide_index: bool = True,
    file_name: str | None = None,
    first_rows: int | None = None,
    **options,
) -> None:
    """Show `frame` (st.dataframe) with a formula-safe CSV download of it, headers as labelled. A long list
    (more than `first_rows`) shows its first rows and says how many there are; the download holds them all."""
    shown = frame.head(first_rows) if first_rows is not None else frame
    st.dataframe(shown, hide_index=hide_index, width="stretch", column_config=column_config, **options)
    if len(shown) < len(frame):
        st.caption(f"The first {len(shown):,} of {len(frame):,} rows; the download below holds all {len(frame):,}.")
    if frame.empty:
        return
    st.download_button(
        "Download as CSV",
        to_safe_csv(download_frame(frame, column_config, hide_index)),
        file_name=f"{file_name or key}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        icon=":material/download:",
        type="tertiary",
        on_click="ignore",
    )


def download_frame(frame: pd.DataFrame, column_config: dict | None, hide_index: bool = True) -> pd.DataFrame:
    """The table as downloaded: the shown columns under their shown labels (the index too when it is shown)."""
    shown = frame if hide_index else frame.reset_index()
    labels = {}
    for column, config in (column_config or {}).items():
        if config is None:
            continue
        label = config if isinstance(config, str) else (config.get("label") if isinstance(config, dict) else None)
        if label:
            labels[column] = label
    hidden = [c for c, config in (column_config or {}).items() if config is None and c in shown.columns]
    return shown.drop(columns=hidden).rename(columns=labels)


def reliability(row: pd.Series) -> str:
    """How far to trust a rate: suppressed, a small group (coded), or the width of its interval."""
    if row["suppressed"]:
        return f"suppressed ({SUPPRESSED_N})"
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
    shown = pd.DataFrame(
        {
            "group": frame["group_value"].map(lambda v: group_label(group_by, v)),
            # gated columns mix numbers with labels such as n<10: show them all as text
            "students": frame["n_students"].map(_text),
            "% proficient": frame["pct_proficient"].map(_text),
            "gap (pp)": frame["gap_pp"].map(_text),
            "gap 95% CI": [_ci(r) for _, r in frame.iterrows()],
            "reliability": [reliability(r) for _, r in frame.iterrows()],
        }
    )
    table(shown, key="crossed_groups", file_name="crossed_groups")


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
            rows.append(
                {
                    "group": group_label(group_by, row["group_value"]),
                    "method": METHODS[method],
                    "gap": numeric(row.to_frame().T, "gap_pp").iloc[0],
                    "significant": row["is_significant"],
                }
            )
    gaps = pd.DataFrame(rows)
    if gaps.empty:
        st.info("No scored evidence for this selection.")
        return
    wide = gaps.pivot_table(index="group", columns="method", values="gap", aggfunc="first")
    verdicts = gaps.dropna(subset=["gap"]).groupby("group")["significant"].agg(lambda s: len(set(map(bool, s))) > 1)
    wide["methods disagree?"] = verdicts.reindex(wide.index).map(lambda v: "yes: check before acting" if v else "no")
    table(wide.round(1), key="method_comparison", hide_index=False)
    if (wide["methods disagree?"] != "no").any():
        st.warning("For some groups the choice of calculation method decides whether the gap is beyond chance.")
