"""PLC data meeting figures: the team's focus standards and where its students work on the continuum.

Pure functions from gated frames (no Streamlit). Suppressed cells arrive as None (their n as `n<10`) and
top/bottom coded rates as text (`<=5%`, `>=95%`): both are drawn as absent and labelled, never as zero.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from charts.continuum import POSITION_COLORS, POSITION_NAMES, POSITIONS
from charts.theme import MUTED, PALETTE, inert, styled
from warehouse.gated_cells import hidden_label, numeric


def _label(raw, value: float, fmt: str = "{:.0f}%") -> str:
    if pd.isna(value):
        return hidden_label(raw)
    return fmt.format(value)


@inert
def focus_standards_chart(
    now: pd.DataFrame, then: pd.DataFrame | None = None, then_label: str = "then", now_label: str = "now"
) -> go.Figure:
    """Percent proficient of the assessed students on each focus standard (plc_focus_standards rows); with
    `then`, the same standards at the last meeting's as-of date beside them."""
    figure = go.Figure()
    codes = list(now["standard_code"])
    short = [c.split(".", 2)[-1] if c.count(".") >= 2 else c for c in codes]
    frames = (
        [(then_label, then.set_index("standard_code").reindex(codes).reset_index(), MUTED)]
        if then is not None and not then.empty
        else []
    )
    frames.append((now_label, now, PALETTE[0]))
    for label, frame, color in frames:
        pct = numeric(frame, "pct_proficient")
        n = frame["n_students_assessed"]
        figure.add_trace(
            go.Bar(
                y=short,
                x=pct.fillna(0),
                orientation="h",
                name=label,
                marker_color=color,
                text=[_label(raw, v) for raw, v in zip(frame["pct_proficient"], pct)],
                textposition="outside",
                hovertext=[
                    f"{code}: {_label(raw, v)} proficient of {count} assessed students"
                    for code, raw, v, count in zip(codes, frame["pct_proficient"], pct, n.fillna("no"))
                ],
                hoverinfo="text",
            )
        )
    figure.update_xaxes(range=[0, 110], ticksuffix="%", title="% of assessed students proficient")
    figure.update_yaxes(autorange="reversed", type="category")
    figure.update_layout(barmode="group", legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0))
    return styled(figure, height=max(260, 120 + (55 if then is not None else 38) * len(codes)))


@inert
def position_chart(frame: pd.DataFrame) -> go.Figure:
    """100% stacked bars of the team's students below, at and above their grade's level (plc_continuum_position
    rows, one per as-of date, labelled by a `label` column)."""
    frame = frame.reset_index(drop=True)
    labels = frame["label"] + frame["n_students"].map(lambda n: f" ({n})" if isinstance(n, str) else f" (n={n})")
    figure = go.Figure()
    for position in POSITIONS:
        column = f"pct_{position}"
        values = numeric(frame, column)
        figure.add_trace(
            go.Bar(
                y=labels,
                x=values.fillna(0),
                orientation="h",
                name=POSITION_NAMES[position],
                marker_color=POSITION_COLORS[position],
                textposition="inside",
                insidetextanchor="middle",
                text=[
                    raw if isinstance(raw, str) else ("" if pd.isna(v) or v < 4 else f"{v:.0f}%")
                    for raw, v in zip(frame[column], values)
                ],
                hovertext=[
                    f"{label}: {_label(raw, v, '{:.1f}%')} {POSITION_NAMES[position]}"
                    for label, raw, v in zip(labels, frame[column], values)
                ],
                hoverinfo="text",
            )
        )
    for label, hidden in zip(labels, frame["suppressed"].astype(bool)):
        if hidden:
            figure.add_annotation(
                y=label,
                x=2,
                text="fewer than 10 students: not shown",
                showarrow=False,
                xanchor="left",
                font=dict(color=MUTED),
            )
    figure.update_xaxes(range=[0, 100], ticksuffix="%", title="% of the team's students")
    figure.update_yaxes(autorange="reversed")
    styled(figure, height=max(220, 170 + 40 * len(frame)))
    figure.update_layout(
        barmode="stack", margin=dict(t=90), legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0)
    )
    return figure
