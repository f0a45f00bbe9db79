"""Equity figures from gated frames: suppressed cells are drawn as absent and say n<10 in hovers."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from charts.theme import INK, MUTED, PALETTE, inert, styled
from warehouse.gated_cells import SUPPRESSED_N, numeric
from warehouse.labels import GROUP_NAMES, group_label


def focal_rows(frame: pd.DataFrame, group_by: str) -> pd.DataFrame:
    """For a yes/no grouping the 'no' row mirrors the 'yes' row: show the group the question is about."""
    if group_by in GROUP_NAMES and "group_value" in frame:
        return frame[frame["group_value"] == "true"]
    return frame


def _interval_text(row: pd.Series, value: str, low: str, high: str, unit: str = "") -> str:
    if pd.isna(numeric(row.to_frame().T, value).iloc[0]):
        shown = row[value] if isinstance(row[value], str) else "suppressed"
        return f"{shown}"
    return f"{float(row[value]):+.1f}{unit} (95% CI {float(row[low]):+.1f} to {float(row[high]):+.1f})"


@inert
def gap_heatmap(frame: pd.DataFrame, group_by: str, reference_label: str) -> go.Figure:
    """Gap (pp) by group x school. Gaps whose interval includes zero are muted, not hidden."""
    frame = frame.copy()
    frame["label"] = frame["group_value"].map(lambda v: group_label(group_by, v))
    gaps = numeric(frame, "gap_pp")
    significant = frame["is_significant"].map(lambda v: v is True)
    frame["shown"] = gaps.where(significant)
    frame["muted"] = gaps.where(~significant)
    schools = list(dict.fromkeys(frame["school_name"]))
    groups = list(dict.fromkeys(frame["label"]))
    figure = go.Figure()
    for column, scale, opacity in (("shown", "RdBu", 1.0), ("muted", [[0, "#eef1f4"], [1, "#d9dee4"]], 0.9)):
        pivot = frame.pivot_table(index="label", columns="school_name", values=column, aggfunc="first")
        pivot = pivot.reindex(index=groups, columns=schools)
        hover = _heatmap_hover(frame, groups, schools, reference_label)
        figure.add_trace(
            go.Heatmap(
                z=pivot.values,
                x=schools,
                y=groups,
                colorscale=scale,
                zmid=0 if column == "shown" else None,
                zmin=-40 if column == "shown" else None,
                zmax=40 if column == "shown" else None,
                showscale=column == "shown",
                opacity=opacity,
                text=hover,
                hoverinfo="text",
                colorbar=dict(title="gap (pp)") if column == "shown" else None,
                texttemplate="%{z:+.0f}",
                hoverongaps=False,
            )
        )
    figure.add_trace(_suppressed_markers(frame, groups, schools))
    figure.update_yaxes(autorange="reversed")
    return styled(figure, height=max(300, 140 + 48 * len(groups)))


def _heatmap_hover(frame, groups, schools, reference_label) -> list[list[str]]:
    lookup = {(r["label"], r["school_name"]): r for _, r in frame.iterrows()}
    text = []
    for group in groups:
        row_text = []
        for school in schools:
            row = lookup.get((group, school))
            if row is None:
                row_text.append("")
            elif row["suppressed"]:
                row_text.append(f"{group}, {school}: {SUPPRESSED_N}, not shown")
            else:
                row_text.append(
                    f"{group}, {school}<br>n = {row['n_students']}; {row['pct_proficient']}% proficient"
                    f"<br>gap vs {reference_label}: {_interval_text(row, 'gap_pp', 'gap_low', 'gap_high', ' pp')}"
                    f"<br>reference n = {row['reference_n']}"
                )
        text.append(row_text)
    return text


def _suppressed_markers(frame, groups, schools) -> go.Scatter:
    hidden = frame[frame["suppressed"] | numeric(frame, "gap_pp").isna()]
    return go.Scatter(
        x=hidden["school_name"],
        y=hidden["label"],
        mode="text",
        text=[r["n_students"] if isinstance(r["n_students"], str) else "—" for _, r in hidden.iterrows()],
        textfont=dict(color=MUTED, size=12),
        hoverinfo="skip",
        showlegend=False,
    )


@inert
def trend_with_band(frame: pd.DataFrame, group_by: str, x_column: str = "period") -> go.Figure:
    """Percent proficient over time per group, the Wilson interval drawn as a band."""
    figure = go.Figure()
    for i, (value, rows) in enumerate(frame.groupby("group_value", sort=True)):
        color = PALETTE[i % len(PALETTE)]
        label = group_label(group_by, value)
        pct, low, high = numeric(rows, "pct_proficient"), numeric(rows, "pct_low"), numeric(rows, "pct_high")
        x = rows[x_column].tolist()
        figure.add_trace(
            go.Scatter(
                x=x + x[::-1],
                y=high.tolist() + low.tolist()[::-1],
                fill="toself",
                mode="lines",
                fillcolor=_transparent(color),
                line=dict(width=0),
                hoverinfo="skip",
                showlegend=False,
                legendgroup=label,
            )
        )
        hover = [f"{label}, {p}<br>{_pct_text(r)}<br>n = {r['n_students']}" for p, (_, r) in zip(x, rows.iterrows())]
        figure.add_trace(
            go.Scatter(
                x=x,
                y=pct,
                mode="lines+markers",
                name=label,
                line=dict(color=color, width=3),
                legendgroup=label,
                hovertext=hover,
                hoverinfo="text",
                connectgaps=False,
            )
        )
    # the axis spans the data (with room for the bands), so a change from 43% to 48% is visible, not flattened
    values = pd.concat([numeric(frame, c) for c in ("pct_low", "pct_high", "pct_proficient")]).dropna()
    low, high = (max(0, values.min() - 5), min(100, values.max() + 5)) if not values.empty else (0, 100)
    figure.update_yaxes(range=[low, high], title="% proficient", ticksuffix="%")
    return styled(figure, height=420)


def _pct_text(row: pd.Series) -> str:
    if isinstance(row["pct_proficient"], str):
        return f"{row['pct_proficient']} proficient"
    if pd.isna(row["pct_proficient"]):
        return f"{SUPPRESSED_N}: not shown"
    return f"{float(row['pct_proficient']):.1f}% proficient (95% CI {float(row['pct_low']):.1f}-{float(row['pct_high']):.1f})"


@inert
def gap_trend_lines(frame: pd.DataFrame, group_by: str) -> go.Figure:
    """Each group's gap over school years with its interval; a dashed zero line marks parity."""
    figure = go.Figure()
    for i, (value, rows) in enumerate(frame.groupby("group_value", sort=True)):
        gap = numeric(rows, "gap_pp")
        low, high = numeric(rows, "gap_low"), numeric(rows, "gap_high")
        label = group_label(group_by, value)
        hover = [
            f"{label}, {r['school_year']}<br>gap {_interval_text(r, 'gap_pp', 'gap_low', 'gap_high', ' pp')}"
            f"<br>n = {r['n_students']}, others n = {r['reference_n']}"
            + ("<br><b>closing</b> since prior year" if r.get("is_closing") is True else "")
            for _, r in rows.iterrows()
        ]
        figure.add_trace(
            go.Scatter(
                x=rows["school_year"],
                y=gap,
                mode="lines+markers",
                name=label,
                line=dict(color=PALETTE[i % len(PALETTE)], width=3),
                error_y=dict(
                    type="data",
                    symmetric=False,
                    array=(high - gap).tolist(),
                    arrayminus=(gap - low).tolist(),
                    thickness=1.2,
                ),
                hovertext=hover,
                hoverinfo="text",
            )
        )
    figure.add_hline(y=0, line_dash="dash", line_color=MUTED)
    figure.update_yaxes(title="gap to all other students (pp)", ticksuffix=" pp")
    return styled(figure, height=400)


def _transparent(hex_color: str, alpha: float = 0.15) -> str:
    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


@inert
def gap_bars(frame: pd.DataFrame, group_by: str, title: str = "") -> go.Figure:
    """One group's gap in each school as sorted horizontal bars with their 95% ranges; a school whose range
    excludes zero is drawn solid, one that could be chance is hatched, so the meaning is not carried by colour."""
    data = frame.assign(gap=numeric(frame, "gap_pp"), low=numeric(frame, "gap_low"), high=numeric(frame, "gap_high"))
    data = data.assign(significant=data["is_significant"].map(lambda v: v is True or str(v) == "True"))
    hidden = data[data["gap"].isna()]
    data = data.dropna(subset=["gap"]).sort_values("gap")
    labels = [f"{s} (n={n})" for s, n in zip(data["school_name"], data["n_students"])]
    figure = go.Figure(
        go.Bar(
            y=labels,
            x=data["gap"],
            orientation="h",
            marker_color=[PALETTE[0] if g < 0 else PALETTE[2] for g in data["gap"]],
            marker_pattern_shape=["" if s else "/" for s in data["significant"]],
            error_x=dict(
                type="data",
                symmetric=False,
                array=(data["high"] - data["gap"]).tolist(),
                arrayminus=(data["gap"] - data["low"]).tolist(),
                color=INK,
                thickness=1.5,
            ),
            text=[f"{g:+.0f}" for g in data["gap"]],
            textposition="outside",
            hovertext=[
                f"{lab}<br>gap {g:+.1f} percentage points (95% range {lo:+.1f} to {hi:+.1f})"
                + ("" if sig else "<br>could be chance")
                for lab, g, lo, hi, sig in zip(labels, data["gap"], data["low"], data["high"], data["significant"])
            ],
            hoverinfo="text",
            showlegend=False,
        )
    )
    figure.add_vline(x=0, line_color=INK, line_width=1)
    figure.update_xaxes(title="gap to other students in the school (percentage points)", ticksuffix="")
    figure.update_yaxes(type="category", automargin=True)
    if title:
        figure.update_layout(title=title)
    figure = styled(figure, height=max(260, 110 + 44 * len(data)))
    if not hidden.empty:
        figure.add_annotation(
            text="Not shown (fewer than 10 students): " + ", ".join(map(str, hidden["school_name"])),
            xref="paper",
            yref="paper",
            x=0,
            y=-0.25,
            showarrow=False,
            xanchor="left",
            font=dict(color=INK, size=12),
        )
        figure.update_layout(margin=dict(b=80))
    return figure
