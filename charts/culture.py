"""Culture and voice figures: pure functions from gated frames to Plotly figures (no Streamlit).

Suppressed cells arrive as None (their n as "n<5"); they are drawn as absent and say so in labels
and hovers, never as zero.
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from charts.theme import INK, MUTED, PALETTE, inert, styled
from warehouse.favorable import favorable_points
from warehouse.gated_cells import numeric

CONSTRUCT_NAMES = {
    "trust": "Trust",
    "shared_vision": "Shared vision",
    "educator_voice": "Educator voice",
    "collaborative_learning": "Collaborative learning",
    "beliefs": "Beliefs",
    "norms": "Norms",
    "open_response": "Open response",
}
ROLE_NAMES = {"teacher": "Teachers", "leader": "Leaders", "staff": "Other staff", "all": "All staff"}
STAGES = ["Exploring", "Emerging", "Proficient", "Breakthrough"]
STAGE_COLORS = ["#d9e6f2", "#9ec2e0", "#4f8fc0", "#1f5a8a"]
UNFAVORABLE = "#c8553d"
FAVORABLE = "#2f6690"
NEUTRAL = "#c9cfd6"


def construct_label(construct) -> str:
    if construct is None or (isinstance(construct, float) and np.isnan(construct)):
        return "No construct"
    return CONSTRUCT_NAMES.get(construct, str(construct).replace("_", " ").capitalize())


def role_label(role) -> str:
    return ROLE_NAMES.get(role, str(role).capitalize() if role else "Role not given")


def _pct_text(value, raw) -> str:
    if pd.isna(value):
        return raw if isinstance(raw, str) and raw.startswith("n<") else "suppressed"
    return f"{value:.0f}%"


def _wrap(text: str, width: int = 48, lines: int = 2) -> str:
    parts = textwrap.wrap(" ".join(str(text).split()), width)
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = parts[-1][: width - 3] + "..."
    return "<br>".join(parts)


# ---------------------------------------------------------------- constructs by school


@inert
def construct_heatmap(frame: pd.DataFrame) -> go.Figure:
    """Schools (rows) x constructs (columns), coloured by percent favorable; suppressed cells blank."""
    if frame.empty:
        return styled(go.Figure())
    data = frame.assign(pct=numeric(frame, "pct_favorable"), construct_name=frame["construct"].map(construct_label))
    schools = list(dict.fromkeys(data.sort_values("school_id", na_position="last")["school_name"]))
    constructs = list(dict.fromkeys(data.sort_values("construct")["construct_name"]))
    z = data.pivot_table(index="school_name", columns="construct_name", values="pct", aggfunc="first", dropna=False)
    z = z.reindex(index=schools, columns=constructs)
    text = pd.DataFrame("", index=schools, columns=constructs)
    hover = pd.DataFrame("", index=schools, columns=constructs)
    for _, row in data.iterrows():
        shown = _pct_text(row["pct"], row["n_respondents"])
        text.loc[row["school_name"], row["construct_name"]] = shown
        hover.loc[row["school_name"], row["construct_name"]] = (
            f"{row['school_name']}<br>{row['construct_name']}: {shown} favorable<br>n = {row['n_respondents']}"
        )
    figure = go.Figure(
        go.Heatmap(
            z=z.values,
            x=constructs,
            y=schools,
            text=text.values,
            texttemplate="%{text}",
            hovertext=hover.values,
            hovertemplate="%{hovertext}<extra></extra>",
            zmin=0,
            zmax=100,
            colorscale="Blues",
            colorbar=dict(title="% favorable", ticksuffix="%"),
            xgap=2,
            ygap=2,
        )
    )
    figure.update_yaxes(autorange="reversed", showgrid=False)
    return styled(figure, height=max(260, 44 * len(schools) + 90))


@inert
def construct_trend(frame: pd.DataFrame) -> go.Figure:
    """One construct's score by wave, a line per school; a suppressed wave leaves a gap in the line."""
    figure = go.Figure()
    if frame.empty:
        return styled(figure)
    data = frame.assign(pct=numeric(frame, "pct_favorable")).sort_values(["school_id", "wave"])
    for i, (school, rows) in enumerate(data.groupby("school_name", sort=False)):
        figure.add_trace(
            go.Scatter(
                x=rows["wave"],
                y=rows["pct"],
                mode="lines+markers",
                name=school,
                connectgaps=False,
                # the district line stands out (ink, thick, drawn as a square marker); schools are thinner
                line=dict(
                    color=INK if school == "All schools" else PALETTE[i % len(PALETTE)],
                    width=5 if school == "All schools" else 2,
                ),
                marker=dict(
                    symbol="square" if school == "All schools" else "circle", size=10 if school == "All schools" else 6
                ),
                opacity=1 if school == "All schools" else 0.8,
                customdata=np.stack([rows["n_respondents"].astype(str)], axis=-1),
                hovertemplate=f"{school}<br>%{{x}}: %{{y:.0f}}% favorable<br>n = %{{customdata[0]}}<extra></extra>",
            )
        )
    figure.update_yaxes(range=[0, 100], title="% favorable", ticksuffix="%")
    figure.update_xaxes(title="wave", type="category")
    return styled(figure)


# ---------------------------------------------------------------- items


def point_names(k: int) -> list[str]:
    """Scale points from least to most favorable, named by position (the labels differ by scale)."""
    names = [str(p) for p in range(1, k + 1)]
    names[0] += " least favorable"
    names[-1] += " most favorable"
    if k % 2 == 1 and k >= 3:
        names[k // 2] += " neutral"
    return names


def point_sides(k: int) -> list[str]:
    """unfavorable | neutral | favorable for each point 1..k."""
    top = favorable_points(k)
    sides = []
    for p in range(1, k + 1):
        if p > k - top:
            sides.append("favorable")
        elif k % 2 == 1 and p == (k + 1) // 2:
            sides.append("neutral")
        else:
            sides.append("unfavorable")
    return sides


def _point_color(p: int, k: int, side: str) -> str:
    if side == "neutral":
        return NEUTRAL
    sides = point_sides(k)
    same = [q for q in range(1, k + 1) if sides[q - 1] == side]
    # the extreme point is the darkest
    strength = (same.index(p) + 1) / len(same) if side == "favorable" else (len(same) - same.index(p)) / len(same)
    base = (
        np.array([int(FAVORABLE[i : i + 2], 16) for i in (1, 3, 5)])
        if side == "favorable"
        else np.array([int(UNFAVORABLE[i : i + 2], 16) for i in (1, 3, 5)])
    )
    mixed = (255 - (255 - base) * (0.35 + 0.65 * strength)).astype(int)
    return "#" + "".join(f"{c:02x}" for c in mixed)


def item_label(row: pd.Series) -> str:
    label = _wrap(row["item_text"])
    if bool(row.get("is_reverse_coded")):
        label += " <i>(reversed)</i>"
    if row.get("suppressed"):
        label += f" <b>{row['n_respondents']}</b>"
    return label


@inert
def diverging_bars(frame: pd.DataFrame) -> go.Figure:
    """Each item's answers as a bar centred on neutral: unfavorable points left, favorable right.

    Reverse-coded items are flipped so right is always favorable. The neutral point of an odd scale
    is split across the centre. Suppressed items keep their row, with no bar and their n<5 label.
    """
    figure = go.Figure()
    if frame.empty:
        return styled(figure)
    data = frame.copy()
    data["pct_fav"] = numeric(data, "pct_favorable")
    data = data.sort_values("pct_fav", na_position="first", kind="stable")
    data["label"] = [item_label(r) for _, r in data.iterrows()]
    groups = data[["school_name", "role"]].astype(str).agg(" - ".join, axis=1) if "school_name" in data else None
    if groups is not None and groups.nunique() > 1:  # several schools or roles: one bar each, named
        data["label"] = (
            "<b>" + data["school_name"].astype(str) + ", " + data["role"].map(role_label) + "</b>: " + data["label"]
        )
        data = data.sort_values(["school_name", "role", "pct_fav"], na_position="first", kind="stable")
    ks = sorted({int(k) for k in data["scale_points"].dropna()})
    for k in ks:
        rows = data[data["scale_points"] == k]
        shares = []
        for _, row in rows.iterrows():
            counts = row["answer_counts"]
            if counts is None or (isinstance(counts, float) and np.isnan(counts)):
                shares.append([None] * k)
                continue
            counts = np.asarray(list(counts), dtype=float)
            total = counts.sum()
            shares.append(list(100 * counts / total) if total else [None] * k)
        matrix = np.array(shares, dtype=float) if shares else np.zeros((0, k))
        names, sides = point_names(k), point_sides(k)
        prefix = f"{k}-point: " if len(ks) > 1 else ""
        order = _stack_order(sides)
        for p, half in order:
            side = sides[p - 1]
            share = matrix[:, p - 1] / (2 if side == "neutral" else 1)
            sign = -1 if side == "unfavorable" or (side == "neutral" and half == "left") else 1
            hover = [
                f"{_strip(t)}<br>{names[p - 1]}: {s * (2 if side == 'neutral' else 1):.0f}%<br>n = {n}"
                if not np.isnan(s)
                else ""
                for t, s, n in zip(rows["item_text"], share, rows["n_respondents"])
            ]
            figure.add_trace(
                go.Bar(
                    y=rows["label"],
                    x=sign * np.nan_to_num(share),
                    orientation="h",
                    name=prefix + names[p - 1],
                    marker_color=_point_color(p, k, side),
                    legendgroup=f"{k}-{p}",
                    legendrank=100 * k + p,
                    showlegend=not (side == "neutral" and half == "right"),
                    hovertext=hover,
                    hovertemplate="%{hovertext}<extra></extra>",
                )
            )
    figure.add_vline(x=0, line_color=INK, line_width=1)
    figure.update_layout(barmode="relative", legend=dict(orientation="h", y=-0.15, traceorder="normal"))
    figure.update_xaxes(
        range=[-100, 100],
        tickvals=[-100, -50, 0, 50, 100],
        ticktext=["100%", "50%", "0", "50%", "100%"],
        title="<- unfavorable        share of answers        favorable ->",
    )
    figure.update_yaxes(categoryorder="array", categoryarray=list(data["label"]), automargin=True)
    return styled(figure, height=max(300, 52 * len(data) + 140))


def _stack_order(sides: list[str]) -> list[tuple[int, str]]:
    """Traces from the centre outwards on each side, so the stacks meet at zero."""
    k = len(sides)
    neutral = [p for p in range(1, k + 1) if sides[p - 1] == "neutral"]
    left = [p for p in range(k, 0, -1) if sides[p - 1] == "unfavorable"]
    right = [p for p in range(1, k + 1) if sides[p - 1] == "favorable"]
    order = [(p, "left") for p in neutral] + [(p, "") for p in left]
    order += [(p, "right") for p in neutral] + [(p, "") for p in right]
    return order


def _strip(text: str) -> str:
    return " ".join(str(text).split())


# ---------------------------------------------------------------- roles


@inert
def role_gap_chart(frame: pd.DataFrame) -> go.Figure:
    """Leaders' and teachers' percent favorable per construct, joined by a line; the gap labelled."""
    figure = go.Figure()
    if frame.empty:
        return styled(figure)
    data = frame.assign(
        leader=numeric(frame, "leader_pct"), teacher=numeric(frame, "teacher_pct"), gap=numeric(frame, "gap_pp")
    )
    multi_school = data["school_id"].nunique() > 1
    data["label"] = data["construct"].map(construct_label) + (" - " + data["school_name"] if multi_school else "")
    data = data.sort_values("gap", ascending=True, na_position="first")
    for _, row in data.iterrows():
        if not (pd.isna(row["leader"]) or pd.isna(row["teacher"])):
            figure.add_trace(
                go.Scatter(
                    x=[row["teacher"], row["leader"]],
                    y=[row["label"]] * 2,
                    mode="lines",
                    line=dict(color=MUTED, width=4),
                    showlegend=False,
                    hoverinfo="skip",
                )
            )
    for role, column, n_column, color in (
        ("Teachers", "teacher", "n_teachers", PALETTE[1]),
        ("Leaders", "leader", "n_leaders", PALETTE[0]),
    ):
        figure.add_trace(
            go.Scatter(
                x=data[column],
                y=data["label"],
                mode="markers",
                name=role,
                marker=dict(size=14, color=color),
                customdata=np.stack([data[n_column].astype(str)], axis=-1),
                hovertemplate=f"{role}: %{{x:.0f}}% favorable<br>n = %{{customdata[0]}}<extra>%{{y}}</extra>",
            )
        )
    gaps = [
        f"{g:+.0f} pp" if not pd.isna(g) else f"suppressed ({r['n_leaders']} leaders)"
        for g, (_, r) in zip(data["gap"], data.iterrows())
    ]
    figure.add_trace(
        go.Scatter(
            x=[102] * len(data),
            y=data["label"],
            mode="text",
            text=gaps,
            textposition="middle right",
            showlegend=False,
            hoverinfo="skip",
            textfont=dict(color=INK),
        )
    )
    figure.update_xaxes(range=[0, 125], title="% favorable", ticksuffix="%", tickvals=[0, 25, 50, 75, 100])
    figure.update_layout(legend=dict(orientation="h", y=1.08))
    return styled(figure, height=max(280, 40 * len(data) + 120))


@inert
def response_rate_bars(frame: pd.DataFrame) -> go.Figure:
    """Respondents over invited by school, a bar per role; suppressed bars absent with their n<5 label."""
    figure = go.Figure()
    if frame.empty:
        return styled(figure)
    data = frame.assign(rate=numeric(frame, "response_rate"))
    for i, (role, rows) in enumerate(data.groupby("role", sort=True, dropna=False)):
        text = [_pct_text(v, n) for v, n in zip(rows["rate"], rows["n_respondents"])]
        figure.add_trace(
            go.Bar(
                x=rows["school_name"],
                y=rows["rate"].fillna(0),
                name=role_label(role),
                text=text,
                textposition="outside",
                marker_color=PALETTE[i % len(PALETTE)],
                customdata=np.stack([rows["n_respondents"].astype(str), rows["n_invited"].astype(str)], axis=-1),
                hovertemplate="%{x}<br>%{text} responded<br>%{customdata[0]} of %{customdata[1]} invited<extra></extra>",
            )
        )
    figure.update_layout(barmode="group", legend=dict(orientation="h", y=1.1))
    figure.update_yaxes(range=[0, 110], title="response rate", ticksuffix="%")
    return styled(figure)


# ---------------------------------------------------------------- implementation and results


def overall_stage(frame: pd.DataFrame) -> pd.DataFrame:
    """A school's stage in a year across domains: the median domain's stage, rounded down."""
    ranked = frame.dropna(subset=["stage_rank"])
    out = (
        ranked.groupby(["school_id", "school_name", "school_year"], as_index=False)["stage_rank"]
        .median()
        .assign(stage_rank=lambda d: np.floor(d["stage_rank"]).astype(int))
    )
    out["stage"] = out["stage_rank"].map(lambda r: STAGES[r - 1])
    out["domain"] = "overall"
    return out


@inert
def stage_grid(frame: pd.DataFrame, domain: str | None = None) -> go.Figure:
    """Schools x school years coloured by implementation stage (one domain, or overall)."""
    if frame.empty:
        return styled(go.Figure())
    data = overall_stage(frame) if domain in (None, "overall") else frame[frame["domain"] == domain]
    schools = list(dict.fromkeys(data.sort_values("school_id")["school_name"]))
    years = sorted(data["school_year"].unique())
    z = data.pivot_table(index="school_name", columns="school_year", values="stage_rank", aggfunc="first")
    z = z.reindex(index=schools, columns=years)
    text = data.pivot_table(index="school_name", columns="school_year", values="stage", aggfunc="first")
    text = text.reindex(index=schools, columns=years).fillna("")
    scale = []
    for i, color in enumerate(STAGE_COLORS):
        scale += [(i / 4, color), ((i + 1) / 4, color)]
    figure = go.Figure(
        go.Heatmap(
            z=z.values,
            x=years,
            y=schools,
            text=text.values,
            texttemplate="%{text}",
            zmin=0.5,
            zmax=4.5,
            colorscale=scale,
            xgap=3,
            ygap=3,
            hovertemplate="%{y}<br>%{x}: %{text}<extra></extra>",
            colorbar=dict(tickvals=[1, 2, 3, 4], ticktext=STAGES, title="stage"),
        )
    )
    figure.update_yaxes(autorange="reversed", showgrid=False)
    figure.update_xaxes(type="category")
    return styled(figure, height=max(240, 44 * len(schools) + 90))


@inert
def culture_results_scatter(frame: pd.DataFrame, construct: str, content_area: str) -> go.Figure:
    """Each school by its construct score (x) and percent proficient (y), sized by students; n in the hover."""
    figure = go.Figure()
    if frame.empty:
        return styled(figure)
    data = frame.assign(
        x=numeric(frame, "construct_score"),
        y=numeric(frame, "pct_proficient"),
        students=pd.to_numeric(frame["n_students"], errors="coerce"),
    )
    shown = data.dropna(subset=["x", "y"])
    largest = max(shown["students"].max() if len(shown) else 1, 1)
    for i, (_, row) in enumerate(shown.iterrows()):
        size = 14 + 26 * np.sqrt((0 if pd.isna(row["students"]) else row["students"]) / largest)
        figure.add_trace(
            go.Scatter(
                x=[row["x"]],
                y=[row["y"]],
                mode="markers+text",
                text=[row["school_name"]],
                textposition="top center",
                textfont=dict(color=INK, size=12),
                name=f"{row['school_name']} (n = {row['n_respondents']} staff, {row['n_students']} students)",
                marker=dict(
                    size=size, color=PALETTE[i % len(PALETTE)], opacity=0.85, line=dict(color="white", width=1)
                ),
                hovertemplate=(
                    f"{row['school_name']}<br>{construct_label(construct)}: %{{x:.0f}}% favorable "
                    f"(n = {row['n_respondents']} staff)<br>{content_area}: %{{y:.0f}}% proficient "
                    f"(n = {row['n_students']} students)<extra></extra>"
                ),
            )
        )
    if len(shown) >= 3 and shown["x"].std() > 0:
        slope, intercept = np.polyfit(shown["x"], shown["y"], 1)
        xs = np.array([shown["x"].min(), shown["x"].max()])
        figure.add_trace(
            go.Scatter(
                x=xs,
                y=slope * xs + intercept,
                mode="lines",
                name="straight-line fit",
                line=dict(color=MUTED, dash="dot"),
                hoverinfo="skip",
            )
        )
    figure.update_xaxes(title=f"{construct_label(construct)}: % favorable", ticksuffix="%", range=[0, 100])
    figure.update_yaxes(title=f"{content_area}: % of students proficient", ticksuffix="%", range=[0, 105])
    return styled(figure, height=440)
