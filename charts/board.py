"""Board figures: one clear chart per finding, large type for a projector and a slide (no Streamlit).

Every function takes frames that have already passed the privacy gate for the board audience: suppressed
cells arrive as None (drawn as absent and labelled n<10) and top/bottom coded rates as text such as
`<=5%` (drawn as absent and labelled with the bound). No chart carries a student's name or id; hovers say
only what the labels say.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from charts.culture import construct_label
from charts.theme import INK, MUTED, inert, styled
from warehouse.gated_cells import hidden_label, numeric
from warehouse.labels import CONTENT_AREA_NAMES

BOARD_FONT = 20
EXPORT_WIDTH, EXPORT_HEIGHT = (
    1170,
    450,
)  # layout pixels of the static export (drawn at scale 2): 2.6:1, the slide's picture box
# Okabe and Ito's colour-blind-safe palette: blue and vermillion stay apart for every common colour vision
# deficiency and in greyscale (different lightness); the quiet grey is for context lines.
OKABE_ITO = ["#0072B2", "#D55E00", "#009E73", "#E69F00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
PALETTE = OKABE_ITO
HIGHLIGHT = OKABE_ITO[0]
CONTRAST = OKABE_ITO[1]
QUIET = "#b8c2cc"


def board_styled(figure: go.Figure, height: int = 520) -> go.Figure:
    """The shared theme, with type large enough to read from the back of a board room."""
    styled(figure, height=height)
    figure.update_layout(
        colorway=OKABE_ITO,
        font=dict(size=BOARD_FONT, color=INK),
        margin=dict(l=100, r=30, t=30, b=40),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0, font=dict(size=BOARD_FONT)),
        hoverlabel=dict(font_size=16),
    )
    # large tick labels need room: let the axes push the margins out rather than clip the numbers
    figure.update_yaxes(automargin=True, title_standoff=12)
    figure.update_xaxes(automargin=True)
    return figure


def area_name(area: str) -> str:
    return CONTENT_AREA_NAMES.get(area, str(area))


def _label(raw, value: float, fmt: str = "{:.0f}%") -> str:
    if pd.isna(value):
        return hidden_label(raw)
    return fmt.format(value)


def _empty(message: str) -> go.Figure:
    figure = go.Figure()
    figure.add_annotation(
        text=message, showarrow=False, font=dict(size=BOARD_FONT, color=MUTED), xref="paper", yref="paper", x=0.5, y=0.5
    )
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    return board_styled(figure)


# ---------------------------------------------------------------- proficiency over time


@inert  # text from data drawn as the characters it holds (charts/theme.py)
def proficiency_trend_chart(frame: pd.DataFrame, highlight: str | None = None, decimals: int = 0) -> go.Figure:
    """Percent proficient by school year, one line per content area (proficiency_trend rows, group_by all,
    with a content_area column); the finding's content area drawn strong, the others quiet."""
    if frame.empty:
        return _empty("No calculated scores yet")
    figure = go.Figure()
    areas = sorted(frame["content_area"].unique(), key=lambda a: (a == highlight, a))
    for area in areas:
        rows = frame[frame["content_area"] == area].sort_values("school_year")
        pct = numeric(rows, "pct_proficient")
        strong = highlight is None or area == highlight
        figure.add_trace(
            go.Scatter(
                x=rows["school_year"],
                y=pct,
                name=area_name(area),
                mode="lines+markers+text",
                line=dict(
                    color=HIGHLIGHT if area == highlight else QUIET if not strong else PALETTE[2],
                    width=5 if strong else 3,
                ),
                marker=dict(size=12 if strong else 8),
                text=[_label(raw, v, f"{{:.{decimals}f}}%") for raw, v in zip(rows["pct_proficient"], pct)]
                if strong
                else None,
                textposition="top center",
                textfont=dict(size=BOARD_FONT, color=INK),
                hovertemplate="%{x}: %{y:.1f}% proficient<extra>" + area_name(area) + "</extra>",
            )
        )
    figure.update_yaxes(range=[0, 100], title="% of students proficient", ticksuffix="%")
    figure.update_xaxes(type="category", title=None)
    return board_styled(figure)


# ---------------------------------------------------------------- gaps


@inert  # text from data drawn as the characters it holds (charts/theme.py)
def gap_bars_chart(frame: pd.DataFrame, group_name: str, highlight: str | None = None, decimals: int = 0) -> go.Figure:
    """The group's percent proficient beside all other students', per content area (equity_gaps focal rows,
    one per content area), with the gap written above each pair."""
    if frame.empty:
        return _empty("No scored evidence")
    frame = frame.sort_values("content_area")
    names = [area_name(a) for a in frame["content_area"]]
    group_pct, other_pct = numeric(frame, "pct_proficient"), numeric(frame, "reference_pct")
    figure = go.Figure()
    figure.add_trace(
        go.Bar(
            x=names,
            y=group_pct.fillna(0),
            name=group_name,
            marker_color=CONTRAST,
            text=[_label(raw, v, f"{{:.{decimals}f}}%") for raw, v in zip(frame["pct_proficient"], group_pct)],
            textposition="outside",
            textfont=dict(size=BOARD_FONT),
            hovertemplate="%{x}: %{text}<extra>" + group_name + "</extra>",
        )
    )
    figure.add_trace(
        go.Bar(
            x=names,
            y=other_pct.fillna(0),
            name="All other students",
            marker_color=HIGHLIGHT,
            text=[_label(raw, v, f"{{:.{decimals}f}}%") for raw, v in zip(frame["reference_pct"], other_pct)],
            textposition="outside",
            textfont=dict(size=BOARD_FONT),
            hovertemplate="%{x}: %{text}<extra>All other students</extra>",
        )
    )
    gaps = numeric(frame, "gap_pp")
    for name, gap, area, significant in zip(names, gaps, frame["content_area"], frame["is_significant"]):
        if pd.isna(gap):
            continue
        note = f"gap {gap:+.0f} pts" + ("" if significant is True else " (could be chance)")
        figure.add_annotation(
            x=name,
            y=108,
            text=f"<b>{note}</b>" if area == highlight else note,
            showarrow=False,
            font=dict(size=BOARD_FONT - 2, color=INK if area == highlight else MUTED),
        )
    figure.update_layout(barmode="group", bargap=0.3)
    figure.update_yaxes(range=[0, 115], title="% proficient", ticksuffix="%", tickvals=[0, 25, 50, 75, 100])
    return board_styled(figure)


@inert  # text from data drawn as the characters it holds (charts/theme.py)
def gap_trend_chart(frame: pd.DataFrame, group_name: str, decimals: int = 0) -> go.Figure:
    """One group's gap to all other students by school year (gap_trend focal rows of one content area), with
    its 95% interval; the dashed line at zero is no gap."""
    if frame.empty:
        return _empty("No scored evidence")
    rows = frame.sort_values("school_year")
    gap, low, high = numeric(rows, "gap_pp"), numeric(rows, "gap_low"), numeric(rows, "gap_high")
    figure = go.Figure(
        go.Scatter(
            x=rows["school_year"],
            y=gap,
            mode="lines+markers+text",
            name=group_name,
            line=dict(color=CONTRAST, width=5),
            marker=dict(size=14),
            error_y=dict(
                type="data",
                symmetric=False,
                array=(high - gap).tolist(),
                arrayminus=(gap - low).tolist(),
                thickness=2,
                width=10,
                color=MUTED,
            ),
            text=[_label(raw, v, f"{{:+.{decimals}f}}") for raw, v in zip(rows["gap_pp"], gap)],
            textposition="middle right",
            textfont=dict(size=BOARD_FONT + 2, color=INK),
            hovertemplate="%{x}: gap %{y:+.1f} points<extra></extra>",
        )
    )
    figure.add_hline(
        y=0,
        line_dash="dash",
        line_color=MUTED,
        annotation_text="no gap",
        annotation_font=dict(size=BOARD_FONT - 4, color=MUTED),
    )
    lowest = min(-5.0, float(low.min()) if low.notna().any() else -5.0)
    highest = max(5.0, float(high.max()) if high.notna().any() else 5.0)
    figure.update_yaxes(range=[lowest - 5, highest + 5], title="gap to all other students (points)")
    figure.update_xaxes(type="category", title=None)
    figure.update_layout(showlegend=False)
    return board_styled(figure)


# ---------------------------------------------------------------- coverage


@inert  # text from data drawn as the characters it holds (charts/theme.py)
def never_assessed_chart(frame: pd.DataFrame) -> go.Figure:
    """Grade-level standards with no evidence anywhere that year, counted by content area and grade
    (never_assessed rows, one per standard; no figure about students)."""
    if frame.empty:
        return _empty("Every grade-level standard was assessed")
    grades = frame["grade_levels"].astype(str)
    labels = frame["content_area"].map(area_name) + ", grade" + grades.map(lambda g: "s " if "," in g else " ") + grades
    counted = frame.assign(label=labels).groupby("label", sort=False).size().sort_values()
    figure = go.Figure(
        go.Bar(
            y=counted.index,
            x=counted.values,
            orientation="h",
            marker_color=CONTRAST,
            text=counted.values,
            textposition="outside",
            textfont=dict(size=BOARD_FONT),
            hovertemplate="%{y}: %{x} standard(s) never assessed<extra></extra>",
        )
    )
    figure.update_xaxes(
        title="grade-level standards with no evidence",
        range=[0, max(counted.values) * 1.25 + 0.5],
        dtick=1 if max(counted.values) <= 10 else None,
    )
    return board_styled(figure, height=max(360, 110 + 60 * len(counted)))


# ---------------------------------------------------------------- culture


@inert  # text from data drawn as the characters it holds (charts/theme.py)
def role_gap_chart(frame: pd.DataFrame, highlight: str | None = None, decimals: int = 0) -> go.Figure:
    """Leaders' and teachers' percent favorable on each construct (survey_role_gap rows of one wave)."""
    if frame.empty:
        return _empty("No survey answers")
    frame = frame.assign(name=frame["construct"].map(construct_label)).sort_values("name", ascending=False)
    leader, teacher = numeric(frame, "leader_pct"), numeric(frame, "teacher_pct")
    figure = go.Figure()
    for label, values, raw, color in (
        ("Teachers", teacher, frame["teacher_pct"], CONTRAST),
        ("Leaders", leader, frame["leader_pct"], HIGHLIGHT),
    ):
        figure.add_trace(
            go.Bar(
                y=frame["name"],
                x=values.fillna(0),
                name=label,
                orientation="h",
                marker_color=color,
                text=[_label(r, v, f"{{:.{decimals}f}}%") for r, v in zip(raw, values)],
                textposition="outside",
                textfont=dict(size=BOARD_FONT - 2),
                hovertemplate="%{y}: %{text} favorable<extra>" + label + "</extra>",
            )
        )
    if highlight is not None:
        name = construct_label(highlight)
        figure.update_yaxes(
            tickvals=list(frame["name"]), ticktext=[f"<b>{n}</b>" if n == name else n for n in frame["name"]]
        )
    figure.update_layout(barmode="group", bargap=0.25, legend=dict(traceorder="reversed"))
    figure.update_xaxes(range=[0, 112], title="% favorable", ticksuffix="%", tickvals=[0, 25, 50, 75, 100])
    return board_styled(figure, height=max(420, 120 + 80 * len(frame)))


@inert  # text from data drawn as the characters it holds (charts/theme.py)
def construct_trend_chart(frame: pd.DataFrame, highlight: str | None = None, decimals: int = 0) -> go.Figure:
    """Percent favorable by survey wave, one line per construct (survey_construct_trend rows, district)."""
    if frame.empty:
        return _empty("No survey answers")
    figure = go.Figure()
    constructs = sorted(frame["construct"].unique(), key=lambda c: (c == highlight, str(c)))
    for i, construct in enumerate(constructs):
        rows = frame[frame["construct"] == construct].sort_values("wave")
        pct = numeric(rows, "pct_favorable")
        strong = highlight is None or construct == highlight
        figure.add_trace(
            go.Scatter(
                x=rows["wave"],
                y=pct,
                name=construct_label(construct),
                mode="lines+markers+text" if strong else "lines+markers",
                line=dict(
                    color=HIGHLIGHT if construct == highlight else QUIET if not strong else PALETTE[i % len(PALETTE)],
                    width=5 if strong else 3,
                ),
                marker=dict(size=12 if strong else 8),
                text=[_label(raw, v, f"{{:.{decimals}f}}%") for raw, v in zip(rows["pct_favorable"], pct)]
                if strong
                else None,
                textposition="top center",
                textfont=dict(size=BOARD_FONT),
                hovertemplate="%{x}: %{y:.0f}% favorable<extra>" + construct_label(construct) + "</extra>",
            )
        )
    figure.update_yaxes(range=[0, 100], title="% favorable", ticksuffix="%")
    figure.update_xaxes(type="category", title="survey wave")
    return board_styled(figure)
