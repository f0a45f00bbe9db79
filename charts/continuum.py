"""Continuum figures: coverage, opportunity to learn, continuum position and growth (no Streamlit).

Every function takes a frame that has already passed the privacy gate: suppressed cells arrive as None
(drawn as absent and labelled n<10), and top/bottom coded shares as text such as `<=5%` (drawn as absent
and labelled with the bound).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from charts.theme import INK, MUTED, PALETTE, inert, styled
from warehouse.gated_cells import hidden_label, numeric
from warehouse.labels import group_label

POSITIONS = ("below", "at", "above", "none")
POSITION_NAMES = {
    "below": "below grade level",
    "at": "at grade level",
    "above": "above grade level",
    "none": "no level proficient yet",
}
POSITION_COLORS = {"below": "#d1495b", "at": "#2f6690", "above": "#3a7d44", "none": "#c9d1d9"}
NO_LEVEL = "none yet"


def grade_name(grade) -> str:
    """K for kindergarten (level 0), the number otherwise; blank for a missing grade."""
    if grade is None or pd.isna(grade):
        return ""
    return "K" if int(grade) == 0 else str(int(grade))


def _text(raw, value: float, fmt: str) -> str:
    """A cell's label: the figure, or what the gate left in its place."""
    if pd.isna(value):
        return hidden_label(raw)
    return fmt.format(value)


def _column_labels(frame: pd.DataFrame, by: str) -> pd.Series:
    """The x label of each coverage row: grade, course or teacher (with the grade when a course spans several,
    and the school when rows come from several schools)."""
    if by == "grade":
        labels = "Grade " + frame["grade_level"].map(grade_name)
    else:
        column = "course_id" if by == "course" else "teacher_id"
        labels = frame[column].fillna("(none)").astype(str)
        grades_per_label = frame.groupby(labels)["grade_level"].transform("nunique")
        labels = labels.where(grades_per_label <= 1, labels + " · gr " + frame["grade_level"].map(grade_name))
    if "school_id" in frame and frame["school_id"].nunique(dropna=True) > 1:
        labels = frame["school_name"].fillna(frame["school_id"]).astype(str) + " · " + labels
    return labels


@inert
def coverage_heatmap(frame: pd.DataFrame, by: str = "grade") -> go.Figure:
    """Strands (rows) against grades, courses or teachers (columns), coloured by pieces of evidence per
    student per standard; each cell says how many of its standards were assessed."""
    frame = frame.copy()
    frame["column"] = _column_labels(frame, by)
    frame["strand"] = frame["strand"].fillna("(all strands)")
    evidence = numeric(frame, "evidence_per_student_standard")
    frame["evidence"] = evidence
    order = frame.sort_values(["grade_level", "column"])["column"]
    columns = list(dict.fromkeys(order))
    # strands in the order they first appear along the columns (a strand that starts in grade 6 sits below K's)
    first_column = frame.assign(position=frame["column"].map({c: i for i, c in enumerate(columns)}))
    strands = list(first_column.sort_values(["position", "strand"]).drop_duplicates("strand")["strand"])
    lookup = {(r["strand"], r["column"]): r for _, r in frame.iterrows()}
    z, text, hover = [], [], []
    for strand in strands:
        z_row: list[float | None] = []
        text_row: list[str] = []
        hover_row: list[str] = []
        for column in columns:
            row = lookup.get((strand, column))
            if row is None:
                z_row.append(None)
                text_row.append("")
                hover_row.append(f"{strand}, {column}: no standards at this level")
                continue
            z_row.append(row["evidence"])
            if pd.isna(row["evidence"]):
                text_row.append(hidden_label(row["n_students"]))
                hover_row.append(f"{strand}, {column}: fewer than 10 students, not shown")
            else:
                text_row.append(f"{int(row['n_assessed'])}/{int(row['n_standards'])}")
                hover_row.append(_coverage_hover(strand, column, row))
        z.append(z_row)
        text.append(text_row)
        hover.append(hover_row)
    top = max(1.0, float(evidence.max())) if evidence.notna().any() else 1.0
    figure = go.Figure(
        go.Heatmap(
            z=z,
            x=columns,
            y=strands,
            text=text,
            texttemplate="%{text}",
            hovertext=hover,
            hoverinfo="text",
            colorscale=[[0, "#f4f6f8"], [0.35, "#9ecae1"], [1, "#08519c"]],
            zmin=0,
            zmax=top,
            hoverongaps=False,
            colorbar=dict(title="evidence per<br>student per<br>standard"),
            xgap=2,
            ygap=2,
        )
    )
    figure.update_yaxes(autorange="reversed", title="strand")
    figure.update_xaxes(side="top", type="category")
    return styled(figure, height=140 + 34 * len(strands))


def _coverage_hover(strand: str, column: str, row: pd.Series) -> str:
    pct = numeric(row.to_frame().T, "pct_standards_assessed").iloc[0]
    return (
        f"{strand}, {column}<br>{int(row['n_assessed'])} of {int(row['n_standards'])} standards assessed "
        f"({pct:.0f}%)<br>{int(row['n_sufficient'])} with sufficient evidence "
        f"(>= {int(row['min_evidence'])} pieces per assessed student)"
        f"<br>{row['evidence']:.2f} pieces of evidence per student per standard"
        f"<br>{row['n_students']} students"
    )


@inert
def coverage_bars(frame: pd.DataFrame, by: str = "grade") -> go.Figure:
    """Percent of the grade-level standards assessed, and with sufficient evidence, per grade/course/teacher."""
    frame = frame.copy()
    frame["column"] = _column_labels(frame, by)
    frame = frame.sort_values(["grade_level", "column"])
    figure = go.Figure()
    for column, name, color in (
        ("pct_standards_assessed", "assessed at least once", PALETTE[0]),
        ("pct_standards_sufficient", "sufficient evidence", PALETTE[2]),
    ):
        values = numeric(frame, column)
        figure.add_trace(
            go.Bar(
                x=frame["column"],
                y=values.fillna(0),
                name=name,
                marker_color=color,
                text=[_text(raw, v, "{:.0f}%") for raw, v in zip(frame[column], values)],
                textposition="outside",
                hovertext=[
                    f"{c}: {t} of {n} standards {name}"
                    for c, t, n in zip(
                        frame["column"],
                        [_text(r, v, "{:.0f}%") for r, v in zip(frame[column], values)],
                        frame["n_standards"],
                    )
                ],
                hoverinfo="text",
            )
        )
    figure.update_yaxes(range=[0, 110], title="% of grade-level standards", ticksuffix="%")
    figure.update_xaxes(type="category")
    styled(figure, height=400)
    figure.update_layout(
        barmode="group", margin=dict(t=70), legend=dict(orientation="h", yanchor="bottom", y=1.05, x=0)
    )
    return figure


@inert
def evidence_by_group_bars(frame: pd.DataFrame, group_by: str, min_evidence: int = 2) -> go.Figure:
    """Opportunity to learn: evidence per student per standard and the % of a student's grade-level standards
    with at least `min_evidence` pieces of their own (a per-student figure, not the coverage cards' "sufficient
    evidence", which averages over a standard's assessed students), one bar per group; hovers give the gap to
    all other students with its interval."""
    frame = frame.reset_index(drop=True)
    labels = frame["group_value"].map(lambda v: group_label(group_by, v))
    figure = make_subplots(
        rows=1,
        cols=2,
        shared_yaxes=True,
        horizontal_spacing=0.08,
        subplot_titles=(
            "pieces of evidence per student per standard",
            f"% of a student's grade-level standards with {min_evidence}+ pieces of their own",
        ),
    )
    panels = (
        ("evidence_per_student_standard", "{:.2f}", "evidence_gap", ""),
        ("pct_standards_sufficient", "{:.1f}%", "sufficient_gap", " pp"),
    )
    for col, (value, fmt, gap, unit) in enumerate(panels, start=1):
        values = numeric(frame, value)
        gap_value = f"{gap}_pp" if unit else gap
        text = [_text(raw, v, fmt) for raw, v in zip(frame[value], values)]
        hover = [
            f"{label}<br>{t}<br>n = {row['n_students']}<br>gap to other students: "
            f"{_gap_text(row, gap_value, f'{gap}_low', f'{gap}_high', unit)}"
            for label, t, (_, row) in zip(labels, text, frame.iterrows())
        ]
        # a group whose gap to the other students is beyond chance stands out
        colors = [PALETTE[1] if _flag(row.get(f"{gap}_significant")) else PALETTE[0] for _, row in frame.iterrows()]
        figure.add_trace(
            go.Bar(
                y=labels,
                x=values.fillna(0),
                orientation="h",
                text=text,
                textposition="outside",
                marker_color=colors,
                hovertext=hover,
                hoverinfo="text",
                showlegend=False,
            ),
            row=1,
            col=col,
        )
    figure.update_yaxes(autorange="reversed", type="category", categoryorder="array", categoryarray=list(labels))
    top = numeric(frame, "evidence_per_student_standard").max()
    figure.update_xaxes(range=[0, 1.2 * top if pd.notna(top) and top > 0 else 1], row=1, col=1)
    figure.update_xaxes(range=[0, 115], ticksuffix="%", row=1, col=2)
    figure.update_layout(margin=dict(t=60))
    return styled(figure, height=140 + 44 * len(frame))


def _flag(value) -> bool:
    """A gated boolean cell: True only when it holds a real true (None after suppression)."""
    return isinstance(value, (bool, np.bool_)) and bool(value)


def _gap_text(row: pd.Series, gap: str, low: str, high: str, unit: str) -> str:
    value = numeric(row.to_frame().T, gap).iloc[0]
    if pd.isna(value):
        return "not shown (a side under 10 students)"
    lo, hi = (numeric(row.to_frame().T, c).iloc[0] for c in (low, high))
    if pd.isna(lo):
        return f"{value:+.2f}{unit}"
    return f"{value:+.2f}{unit} (95% CI {lo:+.2f} to {hi:+.2f})"


@inert
def position_heatmap(frame: pd.DataFrame) -> go.Figure:
    """Students by grade (rows) and the highest continuum level they are proficient on (columns); outlined
    cells are each grade's own level, so the cells left of the outline are below grade level."""
    frame = frame.copy()
    frame["level"] = frame["position_level"].map(lambda v: NO_LEVEL if pd.isna(v) else grade_name(v))
    frame["grade"] = "Grade " + frame["grade_level"].map(grade_name)
    levels_present = sorted(
        {int(v) for v in frame["position_level"].dropna()} | {int(v) for v in frame["grade_continuum_level"].dropna()}
    )
    columns = [NO_LEVEL] + [
        grade_name(v) for v in range(min(levels_present, default=0), max(levels_present, default=0) + 1)
    ]
    grades = list(dict.fromkeys(frame.sort_values("grade_level")["grade"]))
    share = numeric(frame, "pct_of_grade")
    frame["share"] = share
    lookup = {(r["grade"], r["level"]): r for _, r in frame.iterrows()}
    z, text, hover = [], [], []
    for grade in grades:
        z_row: list[float | None] = []
        text_row: list[str] = []
        hover_row: list[str] = []
        for level in columns:
            row = lookup.get((grade, level))
            if row is None:
                z_row.append(None)
                text_row.append("")
                hover_row.append("")
                continue
            z_row.append(row["share"])
            count = numeric(row.to_frame().T, "n_students").iloc[0]
            if pd.isna(count):
                label = hidden_label(row["pct_of_grade"])
                text_row.append(label)
                hover_row.append(f"{grade}, level {level}: {label} (small group, no count shown)")
            else:
                text_row.append(f"{int(count)}")
                where = POSITION_NAMES.get(row["position"], "")
                reach = (
                    "not yet proficient on most standards at any level assessed"
                    if level == NO_LEVEL
                    else f"highest level proficient: {level}"
                )
                hover_row.append(
                    f"{grade}: {int(count)} students ({row['share']:.1f}% of {row['n_grade']})<br>{reach}<br>{where}"
                )
        z.append(z_row)
        text.append(text_row)
        hover.append(hover_row)
    figure = go.Figure(
        go.Heatmap(
            z=z,
            x=columns,
            y=grades,
            text=text,
            texttemplate="%{text}",
            hovertext=hover,
            hoverinfo="text",
            colorscale=[[0, "#f4f6f8"], [1, "#2f6690"]],
            zmin=0,
            zmax=100,
            hoverongaps=False,
            xgap=2,
            ygap=2,
            colorbar=dict(title="% of grade", ticksuffix="%"),
        )
    )
    own = frame.drop_duplicates("grade")
    figure.add_trace(
        go.Scatter(
            x=own["grade_continuum_level"].map(grade_name),
            y=own["grade"],
            mode="markers",
            hoverinfo="skip",
            marker=dict(symbol="square-open", size=30, color=INK, line=dict(width=2)),
            name="the grade's own level",
            showlegend=True,
        )
    )
    figure.update_yaxes(autorange="reversed", title="grade", type="category")
    figure.update_xaxes(
        title="highest continuum level proficient on most assessed standards",
        type="category",
        categoryorder="array",
        categoryarray=columns,
    )
    figure.update_layout(legend=dict(orientation="h", y=-0.15))
    return styled(figure, height=160 + 36 * len(grades))


@inert
def position_bars(frame: pd.DataFrame, label_column: str, group_by: str | None = None) -> go.Figure:
    """100% stacked bars: the share of students below, at and above grade level, and with no level yet,
    one bar per grade (label_column grade_level) or per group (label_column group_value)."""
    frame = frame.reset_index(drop=True)
    if label_column == "grade_level":
        labels = frame["grade_level"].map(lambda g: "All grades" if pd.isna(g) else f"Grade {grade_name(g)}")
    else:
        labels = frame["group_value"].map(lambda v: group_label(group_by or "", v))
    labels = labels + frame["n_students"].map(lambda n: f" (n={n})" if not isinstance(n, str) else f" ({n})")
    figure = go.Figure()
    for position in POSITIONS:
        column = f"pct_{position}"
        values = numeric(frame, column)
        # a segment too narrow for its label stays unlabelled (the hover has it); coded bounds show as text
        text = [
            raw if isinstance(raw, str) else ("" if pd.isna(v) or v < 4 else f"{v:.0f}%")
            for raw, v in zip(frame[column], values)
        ]
        figure.add_trace(
            go.Bar(
                y=labels,
                x=values.fillna(0),
                orientation="h",
                name=POSITION_NAMES[position],
                marker_color=POSITION_COLORS[position],
                text=text,
                textposition="inside",
                insidetextanchor="middle",
                hovertext=[
                    f"{label}: {_text(raw, v, '{:.1f}%')} {POSITION_NAMES[position]}"
                    for label, raw, v in zip(labels, frame[column], values)
                ],
                hoverinfo="text",
            )
        )
    hidden = frame["suppressed"].astype(bool) if "suppressed" in frame else pd.Series(False, index=frame.index)
    for label, is_hidden in zip(labels, hidden):
        if is_hidden:
            figure.add_annotation(
                y=label,
                x=2,
                text="fewer than 10 students: not shown",
                showarrow=False,
                xanchor="left",
                font=dict(color=MUTED),
            )
    figure.update_xaxes(range=[0, 100], ticksuffix="%", title="% of students")
    figure.update_yaxes(autorange="reversed")
    styled(figure, height=max(300, 190 + 30 * len(frame)))
    # the legend sits above the plot area in its own margin, so that it never covers a bar in a narrow column
    figure.update_layout(
        barmode="stack",
        margin=dict(t=110),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0, traceorder="normal"),
    )
    return figure


@inert
def growth_dumbbells(frame: pd.DataFrame, group_by: str) -> go.Figure:
    """Mean first and latest evidence on the 0-4 scale per group (standards with two or more pieces);
    hovers give the growth and its gap to all other students."""
    frame = frame.reset_index(drop=True)
    labels = frame["group_value"].map(lambda v: group_label(group_by, v))
    first, latest = numeric(frame, "mean_first"), numeric(frame, "mean_latest")
    figure = go.Figure()
    for label, a, b, (_, _row) in zip(labels, first, latest, frame.iterrows()):
        if pd.isna(a) or pd.isna(b):
            continue
        figure.add_trace(
            go.Scatter(
                x=[a, b],
                y=[label, label],
                mode="lines",
                line=dict(color=MUTED, width=4),
                hoverinfo="skip",
                showlegend=False,
            )
        )
    hover = [
        f"{label}<br>n = {row['n_students']}<br>first {_text(row['mean_first'], f, '{:.2f}')}, latest "
        f"{_text(row['mean_latest'], lt, '{:.2f}')}<br>growth {_text(row['mean_growth'], g, '{:+.2f}')}"
        f"<br>gap to other students: {_gap_text(row, 'growth_gap', 'growth_gap_low', 'growth_gap_high', '')}"
        for label, f, lt, g, (_, row) in zip(labels, first, latest, numeric(frame, "mean_growth"), frame.iterrows())
    ]
    figure.add_trace(
        go.Scatter(
            x=first,
            y=labels,
            mode="markers",
            name="first evidence",
            marker=dict(size=14, color="white", line=dict(color=PALETTE[0], width=3)),
            hovertext=hover,
            hoverinfo="text",
        )
    )
    figure.add_trace(
        go.Scatter(
            x=latest,
            y=labels,
            mode="markers",
            name="latest evidence",
            marker=dict(size=14, color=PALETTE[0]),
            hovertext=hover,
            hoverinfo="text",
        )
    )
    for label, is_hidden in zip(labels, frame.get("suppressed", pd.Series(False, index=frame.index))):
        if bool(is_hidden):
            figure.add_annotation(
                y=label,
                x=0.1,
                text="fewer than 10 students: not shown",
                showarrow=False,
                xanchor="left",
                font=dict(color=MUTED),
            )
    shown = pd.concat([first, latest]).dropna()
    low, high = (max(0.0, shown.min() - 0.25), min(4.0, shown.max() + 0.25)) if not shown.empty else (0.0, 4.0)
    figure.update_xaxes(range=[low, high], title="mean score (0-4 scale)")
    figure.update_yaxes(autorange="reversed", type="category", categoryorder="array", categoryarray=list(labels))
    styled(figure, height=190 + 44 * len(frame))
    figure.update_layout(margin=dict(t=70), legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0))
    return figure
