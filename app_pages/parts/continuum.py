"""The sections of the Continuum page (app_pages/continuum.py): coverage of the continuum, the standards never
assessed, opportunity to learn by group, where students work on the continuum, and growth within a standard.
`scoped` is the page's selection as query parameters (school year, content area, school, grade, course,
teacher, sufficient evidence)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from charts.continuum import (
    coverage_bars,
    coverage_heatmap,
    evidence_by_group_bars,
    grade_name,
    growth_dumbbells,
    position_bars,
    position_heatmap,
)
from ui.data import query
from ui.figures import chart
from ui.tables import table
from ui.text import md
from warehouse.gated_cells import SUPPRESSED_N
from warehouse.labels import GROUPING_NAMES, group_label


def viewer_role() -> str:
    """The role dashboard.py decided for this run."""
    try:
        from ui.auth import current_viewer
    except ImportError:  # before sign-in: dashboard.py put the scope in session state
        return st.session_state["viewer_scope"].role
    return current_viewer().role


def pick(column, label: str, options: list, key: str, names: dict | None = None):
    """A select box whose first choice is None ('All ...'), kept valid when the options change."""
    choices = [None, *options]
    if st.session_state.get(key) not in choices:
        st.session_state.pop(key, None)
    return column.selectbox(
        label, choices, key=key, format_func=lambda v: f"All {label.lower()}s" if v is None else (names or {}).get(v, v)
    )


def coverage(scoped: dict, by: str, view: str, min_evidence: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The coverage cards, by strand and by column; returns (the rows by column, the selection as a whole)."""
    summary = query("continuum_coverage", {**scoped, "by": by})
    whole = summary
    if summary.empty:
        st.info("No grade-level standards or students for this selection.")
    else:
        # the cards describe the selection as a whole, whichever columns the charts split it into
        whole = summary if by in ("district", "school") else query("continuum_coverage", {**scoped, "by": "school"})
        shown = whole[~whole["suppressed"].astype(bool)]
        cards = st.columns(4)
        n_standards = int(shown["n_standards"].sum()) if not shown.empty else None
        cards[0].metric(
            "Grade-level standards",
            n_standards if n_standards is not None else SUPPRESSED_N,
            help="Standards of the continuum level each grade is taught from, summed over the grades.",
        )
        if not shown.empty:
            assessed = pd.to_numeric(shown["n_assessed"]).sum()
            sufficient = pd.to_numeric(shown["n_sufficient"]).sum()
            cards[1].metric("Assessed at least once", f"{100 * assessed / n_standards:.0f}%")
            cards[2].metric(
                "With sufficient evidence",
                f"{100 * sufficient / n_standards:.0f}%",
                help=f"At least {min_evidence} pieces of evidence per assessed student on average.",
            )
            evidence = (
                pd.to_numeric(shown["n_evidence"]).sum()
                / (pd.to_numeric(shown["n_students"]) * shown["n_standards"]).sum()
            )
            cards[3].metric("Evidence per student per standard", f"{evidence:.2f}")
        hidden = int(whole["suppressed"].astype(bool).sum())
        if hidden:
            st.caption(f"The cards leave out {hidden} grade(s) of fewer than 10 students, whose figures are not shown.")

        by_strand = query("continuum_coverage", {**scoped, "by": by, "detail": "strand"})
        st.markdown(
            "**Standards by strand.** Each cell: standards assessed / grade-level standards in the strand; "
            "the colour is the pieces of evidence per student per standard."
        )
        chart(coverage_heatmap(by_strand, view), by_strand, key="continuum_coverage_heatmap")
        chart(coverage_bars(summary, view), summary, key="continuum_coverage_bars")
        if (summary["continuum_level"] != summary["grade_level"]).any():
            st.caption(
                "Grades with no standards at their own level (high school ELA bands) are measured against the "
                "band's standards at the level below."
            )
    return summary, whole


def never_assessed(scoped: dict, by: str, year: str, where: str) -> None:
    never = query("never_assessed", {k: v for k, v in scoped.items() if k != "min_evidence"} | {"by": by})
    if never.empty:
        st.success(f"Every grade-level standard was assessed at least once in {where}.")
    else:
        st.caption(
            f"{len(never):,} grade-level standard(s) with no evidence in {md(year)} from the students of {where}; "
            "`last assessed` is the latest earlier year with evidence from the same grades and schools."
        )
        columns = ["school_name", "course_id", "teacher_id"][
            : {"district": 0, "school": 1, "course": 2, "teacher": 3}[by]
        ]
        columns = [c for c in columns if never[c].notna().any()]
        table(
            never[[*columns, "grade_levels", "standard_code", "strand", "description", "last_assessed_year"]],
            key="never_assessed",
            first_rows=10,
            column_config={
                "school_name": "school",
                "course_id": "course",
                "teacher_id": "teacher",
                "grade_levels": "grade(s)",
                "standard_code": "standard",
                "description": st.column_config.TextColumn("description", width="large"),
                "last_assessed_year": "last assessed",
            },
        )


def opportunity_to_learn(scoped: dict, group_by: str) -> None:
    otl = query("opportunity_to_learn", {**scoped, "group_by": group_by})
    if otl.empty:
        st.info("No students for this selection.")
    else:
        chart(evidence_by_group_bars(otl, group_by, scoped["min_evidence"]), otl, key="continuum_otl")
        st.caption(
            "Means over each group's students, on the standards of their own grade level: the right panel counts, "
            f"for each student, the standards on which they have {scoped['min_evidence']} or more pieces of "
            "evidence themselves (the cards above ask it of a standard's assessed students on average). A red "
            "bar marks a gap "
            "to all other students whose 95% interval excludes zero; hover for the gap. The interval treats "
            "students as independent, but classmates share their assessments, so judge a small gap by its size "
            "too. Groups under 10 students show no figure."
        )


def positions(position_params: dict, grade, group_by: str) -> None:
    """Each student's highest level proficient against their grade's level, by grade and by group."""
    st.caption(
        "A student's position is the highest continuum level at which they are proficient on most (more than "
        "half) of that level's assessed standards, compared with their grade's level. \"No level proficient "
        'yet": not proficient on most standards of any level they were assessed on. Whole school year; '
        "course and teacher choices do not apply here."
    )
    heat = query("continuum_position_heatmap", position_params)
    if heat.empty:
        st.info("No calculated standard scores for this selection.")
    else:
        if grade is not None:
            heat = heat[heat["grade_level"] == grade]
        chart(position_heatmap(heat), heat, key="continuum_position_heatmap")
        st.caption(
            "Cells count students; the outlined cell in each row is the grade's own level, so cells to its left "
            "are students working below grade level and cells to its right above it."
        )
        by_grade = query(
            "continuum_position_distribution", {**position_params, "grade_level": grade, "group_by": "all"}
        )
        by_group = query(
            "continuum_position_distribution",
            {**position_params, "grade_level": grade, "group_by": group_by, "grades": "pooled"},
        )
        left, right = st.columns(2)
        left.markdown("**By grade**")
        chart(position_bars(by_grade, "grade_level"), by_grade, key="continuum_position_grades", column=left)
        right.markdown(
            f"**By {GROUPING_NAMES[group_by].lower()}**"
            + (f", grade {grade_name(grade)}" if grade is not None else ", all grades")
        )
        chart(position_bars(by_group, "group_value", group_by), by_group, key="continuum_position_groups", column=right)


def growth_within_a_standard(params: dict, group_by: str) -> None:
    growth = query("standard_growth", {**params, "group_by": group_by})
    if growth.empty:
        st.info("No standard has two or more pieces of evidence for this selection.")
    else:
        chart(growth_dumbbells(growth, group_by), growth, key="continuum_growth")
        significant = growth[growth["growth_gap_significant"].map(lambda v: v is True)]
        for _, row in significant.iterrows():
            st.info(
                f"{md(group_label(group_by, row['group_value']))}: growth {float(row['mean_growth']):+.2f} vs "
                f"{float(row['reference_growth']):+.2f} for other students (a gap beyond chance)."
            )
        st.caption(
            "First and latest piece of evidence on each standard a student was assessed on at least twice, "
            "on the 0-4 scale; means over the group's students."
        )
