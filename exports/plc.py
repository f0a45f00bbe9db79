"""PLC data meetings: what a team is, "what changed since" the last meeting, and the one-page summary.

A team is a school's grade (working on one content area) or one course, with the continuum level it is
taught from (queries/plc_teams.sql). Its key (`grade:3:math`, `course:ALG1`) is what `meeting_notes.team`
stores. Meeting figures are computed as of a date by the plc_* queries; this module compares two such sets of
figures (the last meeting's as-of date and now) and writes the printable summary. Plain functions, no
Streamlit, so they are tested directly.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date

import pandas as pd

from warehouse.gated_cells import SUPPRESSED_N, as_text, hidden_label, numeric
from warehouse.labels import CONTENT_AREA_NAMES
from warehouse.school_years import school_year_bounds, school_year_of_date


@dataclass(frozen=True)
class Team:
    school_id: str
    kind: str  # grade | course
    content_area: str
    continuum_level: int
    grade_level: int | None = None
    course_id: str | None = None

    @property
    def key(self) -> str:
        if self.kind == "course":
            return f"course:{self.course_id}"
        return f"grade:{self.grade_level}:{self.content_area}"

    @property
    def label(self) -> str:
        area = CONTENT_AREA_NAMES.get(self.content_area, self.content_area)
        if self.kind == "course":
            return f"Course {self.course_id} ({area})"
        grade = "K" if self.grade_level == 0 else str(self.grade_level)
        return f"Grade {grade} {area}"

    def params(self, as_of: date) -> dict:
        """The parameters every plc_* figure query takes, for the figures as they stood on `as_of`."""
        return {
            "school_id": self.school_id,
            "school_year": school_year_of_date(as_of),
            "as_of": as_of.isoformat(),
            "content_area": self.content_area,
            "continuum_level": int(self.continuum_level),
            "grade_level": self.grade_level if self.kind == "grade" else None,
            "course_id": self.course_id if self.kind == "course" else None,
        }


def default_as_of(school_year: str, last_evidence: date | None, today: date | None = None) -> date:
    """Today when it falls in the school year and after its last evidence; else the last evidence (a past
    year reviewed later), else the end of the year."""
    today = today or date.today()
    start, end = school_year_bounds(school_year)
    if last_evidence is not None and not pd.isna(last_evidence):
        last = pd.Timestamp(last_evidence).date()
        return min(max(today, start), last) if today >= start else last
    return min(max(today, start), end)


def focus_default(focus: pd.DataFrame, count: int = 3) -> list[str]:
    """The standards to start a meeting on: the assessed ones with the lowest percent proficient (shown
    figures only), then the ones with the most students not yet proficient."""
    shown = focus.assign(pct=numeric(focus, "pct_proficient"))
    shown = shown[shown["pct"].notna()].sort_values(["pct", "standard_code"])
    return shown["standard_code"].head(count).tolist()


# ---------------------------------------------------------------- what changed since


def _value(frame: pd.DataFrame, column: str, where: dict | None = None):
    """(number or NaN, text as shown) of one cell of a gated frame."""
    rows = frame
    for key, value in (where or {}).items():
        rows = rows[rows[key] == value]
    if rows.empty or column not in rows:
        return float("nan"), "–"
    raw = rows.iloc[0][column]
    number = pd.to_numeric(pd.Series([raw]), errors="coerce").iloc[0]
    if pd.isna(number):
        return float("nan"), hidden_label(raw)
    return float(number), None


def what_changed(then: dict[str, pd.DataFrame], now: dict[str, pd.DataFrame], focus_codes: list[str]) -> pd.DataFrame:
    """The same figures at the last meeting and now: one row per measure, with the change when both are shown.

    `then` and `now` hold the gated frames `focus` (plc_focus_standards), `coverage` (plc_coverage) and
    `position` (plc_continuum_position)."""
    measures = []
    for code in focus_codes:
        where = {"standard_code": code}
        measures += [
            (f"{code}: % proficient", "focus", "pct_proficient", where, "{:.1f}%", " pts"),
            (f"{code}: students assessed", "focus", "n_students_assessed", where, "{:.0f}", ""),
            (f"{code}: pieces of evidence", "focus", "n_evidence", where, "{:.0f}", ""),
        ]
    measures += [
        ("Level standards assessed", "coverage", "n_assessed", None, "{:.0f}", ""),
        ("Level standards with sufficient evidence", "coverage", "n_sufficient", None, "{:.0f}", ""),
        ("Evidence per student per standard", "coverage", "evidence_per_student_standard", None, "{:.2f}", ""),
        ("Students below grade level", "position", "n_below", None, "{:.0f}", ""),
        ("Students at grade level", "position", "n_at", None, "{:.0f}", ""),
        ("Students above grade level", "position", "n_above", None, "{:.0f}", ""),
        ("Students with no level proficient yet", "position", "n_none", None, "{:.0f}", ""),
    ]
    rows = []
    for label, part, column, where, fmt, unit in measures:
        before, before_text = _value(then.get(part, pd.DataFrame()), column, where)
        after, after_text = _value(now.get(part, pd.DataFrame()), column, where)
        change = after - before if not (pd.isna(before) or pd.isna(after)) else float("nan")
        rows.append(
            {
                "measure": label,
                "then": before_text if before_text is not None else fmt.format(before),
                "now": after_text if after_text is not None else fmt.format(after),
                "change": _change_text(change, fmt, unit),
                "change_value": change,
            }
        )
    return pd.DataFrame(rows)


def _change_text(change: float, fmt: str, unit: str) -> str:
    if pd.isna(change):
        return ""
    if change == 0:
        return "no change"
    return ("+" if change > 0 else "-") + fmt.replace("%", "").format(abs(change)) + unit


# ---------------------------------------------------------------- one-page summary


def summary_html(
    *,
    school_name: str,
    team: Team,
    as_of: date,
    method_label: str,
    focus: pd.DataFrame,
    coverage: pd.DataFrame,
    position: pd.DataFrame,
    notes: dict[str, str],
    changes: pd.DataFrame | None = None,
    last_as_of: date | None = None,
    last_next_steps: str | None = None,
    reviewed_last: bool | None = None,
) -> str:
    """A printable one-page summary of the meeting: figures (aggregates only: no student is named here), what
    the team committed to last time and whether it reviewed that, and the team's notes. Every text is
    HTML-escaped."""
    e = html.escape

    def cell(frame: pd.DataFrame, column: str) -> str:
        number, text = _value(frame, column)
        return e(str(text)) if text is not None else (f"{number:.1f}" if number % 1 else f"{number:.0f}")

    focus_rows = "".join(
        f"<tr><td>{e(str(r['standard_code']))}</td><td>{e(str(r.get('description') or ''))[:160]}</td>"
        f"<td>{e(str(r['n_students_assessed']))}</td><td>{e(_pct(r['pct_proficient']))}</td>"
        f"<td>{e(str(r['n_evidence'] if r['n_evidence'] is not None else SUPPRESSED_N))}</td></tr>"
        for _, r in focus.iterrows()
    )
    change_rows = (
        ""
        if changes is None or changes.empty
        else "".join(
            f"<tr><td>{e(str(r['measure']))}</td><td>{e(str(r['then']))}</td><td>{e(str(r['now']))}</td>"
            f"<td>{e(str(r['change']))}</td></tr>"
            for _, r in changes.iterrows()
        )
    )
    note_blocks = "".join(
        f"<h3>{e(title)}</h3><p>{e(notes.get(key) or '(none recorded)').replace(chr(10), '<br>')}</p>"
        for key, title in (
            ("notice", "What do we notice?"),
            ("wonder", "What do we wonder?"),
            ("next_steps", "Next steps"),
        )
    )
    changed = (
        (
            f"<h2>What changed since {e(last_as_of.isoformat())}</h2><table><tr><th>measure</th><th>then</th>"
            f"<th>now</th><th>change</th></tr>{change_rows}</table>"
        )
        if change_rows and last_as_of
        else ""
    )
    commitments = (
        f"<h2>Last meeting's commitments ({e(last_as_of.isoformat())})</h2>"
        f"<p>{e(last_next_steps or '(none recorded)').replace(chr(10), '<br>')}</p>"
        f'<p class="muted">Reviewed at this meeting: '
        f"{'yes' if reviewed_last else 'no' if reviewed_last is False else 'not recorded'}.</p>"
        if last_as_of
        else ""
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>PLC data meeting: {e(school_name)}, {e(team.label)}, as of {e(as_of.isoformat())}</title>
<style>
@page {{ size: letter; margin: 0.5in; }}
body {{ font-family: Helvetica, Arial, sans-serif; color: #1f2a37; font-size: 10.5pt; max-width: 7.5in; margin: auto; }}
h1 {{ font-size: 16pt; margin: 0 0 2pt; }} h2 {{ font-size: 12pt; margin: 10pt 0 4pt; }}
h3 {{ font-size: 10.5pt; margin: 6pt 0 2pt; }} p {{ margin: 0 0 4pt; }}
table {{ border-collapse: collapse; width: 100%; font-size: 9pt; }}
th, td {{ border-bottom: 1px solid #d9dee4; padding: 2pt 4pt; text-align: left; vertical-align: top; }}
.muted {{ color: #5f6b7a; font-size: 8.5pt; }}
.cards td {{ border: none; font-size: 10pt; }}
</style></head><body>
<h1>PLC data meeting: {e(team.label)}, {e(school_name)}</h1>
<p class="muted">Figures as they stood on {e(as_of.isoformat())} (school year {e(school_year_of_date(as_of))}).
Calculation: {e(method_label)}. Groups under 10 students show n&lt;10 and no figure. No student is named on this page.</p>
<h2>What does the data show?</h2>
<table class="cards"><tr>
<td>Team students: <b>{cell(coverage, "n_students")}</b></td>
<td>Level standards assessed: <b>{cell(coverage, "n_assessed")}</b> of {cell(coverage, "n_standards")}</td>
<td>With sufficient evidence: <b>{cell(coverage, "n_sufficient")}</b></td>
<td>Below / at / above grade level: <b>{cell(position, "n_below")} / {cell(position, "n_at")} / {cell(position, "n_above")}</b></td>
</tr></table>
<h3>Focus standards</h3>
<table><tr><th>standard</th><th>description</th><th>students assessed</th><th>% proficient</th><th>pieces of evidence</th></tr>
{focus_rows}</table>
{commitments}
{changed}
{note_blocks}
</body></html>
"""


def _pct(raw) -> str:
    return as_text(raw, "{:.0f}%")
