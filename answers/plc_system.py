"""The PLC system page's answer in words (app_pages/plc_system.py): whether teams are meeting, regularly and
following through (queries/plc_system_teams.sql), then how often each group's teams met and how their focus
standards moved between meetings (queries/plc_system_by_group.sql), from the gated rows the page shows.
Plain functions, no Streamlit, so they are tested directly (tests/test_plc_system.py).
"""

from __future__ import annotations

import pandas as pd

from answers.words import count
from warehouse.labels import CONTENT_AREA_NAMES

CAVEAT = (
    "This describes what happened around the meetings, not what the meetings caused: teams choose their "
    "focus standards, evidence keeps arriving between meetings whether a team meets or not, and teams that "
    "meet often may differ in other ways from those that do not."
)
GROUPINGS = {"grade_band": "grade band", "grade": "grade", "school": "school", "content_area": "content area"}


def group_label(group_by: str, value, school_names: dict | None = None) -> str:
    """How a group is named at the start of a sentence: `Grade 3`, `Grades 3-5`, `Maple Grove Elementary`."""
    value = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    if group_by == "grade_band":
        return f"Grades {value}" if value else "Ungraded"
    if group_by == "grade":
        if value.startswith("course "):
            return f"Course {value.removeprefix('course ')}"
        return "Kindergarten" if value == "0" else f"Grade {value}"
    if group_by == "content_area":
        return CONTENT_AREA_NAMES.get(value, value.capitalize() or "Other")
    return (school_names or {}).get(value, value)


def _number(value) -> float | None:
    number = pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0]
    return None if pd.isna(number) else float(number)


def group_clause(row: dict, group_by: str, school_names: dict | None = None) -> str:
    label = group_label(group_by, row.get("group_value"), school_names)
    days = _number(row.get("median_days_between"))
    if days is None:
        meetings = int(_number(row.get("n_meetings")) or 0)
        clause = f"{label} teams met once" if meetings <= 1 else f"{label} teams met {meetings} times"
    else:
        clause = f"{label} teams met every {days:.0f} days"
    pairs = int(_number(row.get("n_meeting_pairs")) or 0)
    change = _number(row.get("mean_change_points"))
    if pairs == 0 and change is None:
        return clause
    if change is None:
        return clause + " (too few students to show how their focus standards moved)"
    points = round(abs(change))
    if points == 0:
        return clause + " and their focus standards held level between meetings"
    verb = "rose" if change > 0 else "fell"
    return clause + f" and their focus standards {verb} {points} point{'s' if points != 1 else ''} between meetings"


def meeting_sentence(teams: pd.DataFrame, school_year: str) -> str:
    """Are teams meeting, how regularly, and do they follow through? Over the teams of plc_system_teams."""
    if teams.empty:
        return f"No PLC meetings are saved for {school_year} yet."
    n_meetings = int(pd.to_numeric(teams["n_meetings"], errors="coerce").sum())
    days = pd.to_numeric(teams["median_days_between"], errors="coerce").dropna()
    sentence = (
        f"In {school_year}, {count(len(teams))} team{'s' if len(teams) != 1 else ''} met {count(n_meetings)} times"
    )
    if not days.empty:
        sentence += f", every {days.median():.0f} days at the median team"
    with_steps = int(pd.to_numeric(teams["n_with_next_steps"], errors="coerce").sum())
    sentence += f"; {100 * with_steps / n_meetings:.0f}% of meetings recorded next steps" if n_meetings else ""
    reviewed = pd.to_numeric(teams.get("pct_next_reviewed"), errors="coerce")
    weights = pd.to_numeric(teams.get("n_followed_up"), errors="coerce")  # pct_next_reviewed's denominator
    known = reviewed.notna() & (weights > 0)
    if known.any():
        share = (reviewed[known] * weights[known]).sum() / weights[known].sum()
        sentence += f", and the next meeting reviewed them {share:.0f}% of the time"
    return sentence + "."


def answer_sentence(groups: pd.DataFrame, group_by: str, school_names: dict | None = None) -> str:
    """One sentence over the groups, the most regular first (fewest days between meetings)."""
    if groups.empty:
        return ""
    rows = groups.assign(_days=pd.to_numeric(groups["median_days_between"], errors="coerce"))
    rows = rows.sort_values(["_days", "group_value"], na_position="last")
    clauses = [group_clause(row, group_by, school_names) for row in rows.to_dict("records")]
    clauses = [clauses[0]] + [_lower_first(c) for c in clauses[1:]]
    return "; ".join(clauses) + "."


def _lower_first(clause: str) -> str:
    """`Grade 4 teams` in the middle of a sentence is `grade 4 teams`; a school's name keeps its capitals."""
    for word in ("Grades ", "Grade ", "Kindergarten", "Course ", "Ungraded"):
        if clause.startswith(word):
            return clause[0].lower() + clause[1:]
    return clause


def team_label(row: dict, school_names: dict | None = None) -> str:
    """`Grade 3 Math` or `Course ALG1 (Math)`, with the school's name when given."""
    area = CONTENT_AREA_NAMES.get(row.get("content_area"), row.get("content_area") or "")
    if row.get("team_type") == "course" or not _is_number(row.get("grade_level")):
        label = f"Course {row.get('course_id') or row.get('team')}" + (f" ({area})" if area else "")
    else:
        grade = int(row["grade_level"])
        label = f"Grade {'K' if grade == 0 else grade} {area}".strip()
    school = (school_names or {}).get(row.get("school_id"))
    return f"{label}, {school}" if school else label


def _is_number(value) -> bool:
    return _number(value) is not None
