"""PLC data meetings: figures as of a date (known answers), the SQL calculation against the marts, meeting
notes that survive a restart, "what changed since", and the page itself (AppTest).

The fixture district is written here and loaded by the real loader. School S1's grade 3 (12 students) works
on level-3 math standards M3.A, M3.B, M3.C; level-2 standards M2.A and M2.B exist for the continuum position.
Evidence, with the district's decaying average (w = 0.65) and cut 3:

    M2.A, M2.B  2025-09-15  students 1-3: 4                     (proficient at level 2)
    M3.A        2025-09-10  students 1-6: 3, students 7-12: 2
                2025-09-20  student 5: IE (a mark, not evidence)
                2025-10-20  students 1-3: 1 -> 0.65*1 + 0.35*3 = 1.70
                            students 7-11: 4 -> 0.65*4 + 0.35*2 = 3.30
                            student 12: 4 and 2 the same day (one piece, 3) -> 0.65*3 + 0.35*2 = 2.65
    M3.B        2025-10-15  students 1-12: 3
    M3.C        never

As of 2025-09-30: M3.A 12 assessed, 6 proficient (50%), 12 pieces; M3.B not assessed; 1 of 3 level standards
assessed; positions: 6 at grade level (students 1-6), 6 with no level yet.
As of 2025-10-31: M3.A 12 assessed, 8 proficient (4-11: 66.7%), 21 pieces; M3.B 12 of 12; 2 of 3 assessed;
positions: students 1-3 below (level 3: 1 of 2 proficient, level 2: 2 of 2), 4-11 at, 12 none.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date, datetime
from functools import partial
from pathlib import Path

import pandas as pd
import pytest
import yaml
from streamlit.testing.v1 import AppTest

import warehouse
from etl.load import load_file
from exports.plc import Team, default_as_of, summary_html, what_changed
from queries.runner import FULL_SCOPE, QUERY_DIR, NotInRelease, Scope, run_query, run_raw
from ui.text import md
from warehouse.config import CONFIG_PATH, METHODS
from warehouse.meeting_notes import NoteError, save_meeting_note
from warehouse.roles import PUBLIC_ROLES, STUDENT_ROLES
from warehouse.school_years import school_year_of_date

REPO_ROOT = Path(__file__).resolve().parents[1]
YEAR = "2025-26"
SEPT, OCT = date(2025, 9, 30), date(2025, 10, 31)
TEAM = Team("S1", "grade", "math", 3, grade_level=3)
CALC = {"method": "decaying_average", "decaying_weight": 0.65, "most_recent_n": 3}


def _ids(numbers) -> list[str]:
    return [f"9{n:04d}" for n in numbers]


@pytest.fixture(scope="module")
def plc_db(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("plc")
    standards = pd.DataFrame(
        [
            ("M2.A", "T", "math", "OA", 2, "Level two A"),
            ("M2.B", "T", "math", "NBT", 2, "Level two B"),
            ("M3.A", "T", "math", "OA", 3, "Level three A"),
            ("M3.B", "T", "math", "NF", 3, "Level three B"),
            ("M3.C", "T", "math", "MD", 3, "Level three C"),
        ],
        columns=["standard_code", "framework", "content_area", "strand", "continuum_level", "description"],
    )
    roster = [
        {
            "school_year": YEAR,
            "student_id": sid,
            "last_name": f"Zephyrine{i}",
            "first_name": f"Quill{i}",
            "school_id": "S1",
            "school_name": "North Elementary",
            "grade_level": 3,
            "gender": "Female",
            "race_ethnicity": "White",
            "is_ell": False,
            "is_iep": False,
            "is_504": False,
            "is_econ_disadv": False,
        }
        for i, sid in enumerate(_ids(range(1, 13)), start=1)
    ]
    roster += [
        {
            **roster[0],
            "student_id": sid,
            "school_id": "S2",
            "school_name": "South Elementary",
            "last_name": "Other",
            "first_name": "School",
        }
        for sid in _ids(range(13, 16))
    ]
    marks = []

    def add(numbers, code, day, mark, score, course="MATH3"):
        for sid in _ids(numbers):
            marks.append(
                {
                    "student_id": sid,
                    "school_year": YEAR,
                    "term": "T1",
                    "assessed_on": day,
                    "school_id": "S1",
                    "course_id": course,
                    "section_id": "S1-3",
                    "teacher_id": "T1",
                    "standard_code": code,
                    "score": score,
                    "mark": mark,
                    "assessment_type": "formative",
                }
            )

    add(range(1, 4), "M2.A", "2025-09-15", "4", 4.0)
    add(range(1, 4), "M2.B", "2025-09-15", "4", 4.0)
    add(range(1, 7), "M3.A", "2025-09-10", "3", 3.0)
    add(range(7, 13), "M3.A", "2025-09-10", "2", 2.0)
    add([5], "M3.A", "2025-09-20", "IE", None)
    add(range(1, 4), "M3.A", "2025-10-20", "1", 1.0)
    add(range(7, 13), "M3.A", "2025-10-20", "4", 4.0)
    add([12], "M3.A", "2025-10-20", "2", 2.0)
    add(range(1, 13), "M3.B", "2025-10-15", "3", 3.0)
    files = {"continuum": folder / "continuum.csv", "roster": folder / "roster.csv", "gradebook": folder / "gb.csv"}
    standards.to_csv(files["continuum"], index=False)
    pd.DataFrame(roster).to_csv(files["roster"], index=False)
    pd.DataFrame(marks).to_csv(files["gradebook"], index=False)
    db = folder / "plc.duckdb"
    con = warehouse.connect(db)
    try:
        for kind in ("continuum", "roster", "gradebook"):
            report = load_file(con, kind, files[kind])
            assert report.status == "loaded" and report.rows_rejected == 0, report.lines()
    finally:
        con.close()
    return db


def raw(db: Path, name: str, as_of: date, team: Team = TEAM, **extra) -> pd.DataFrame:
    con = warehouse.connect(db, read_only=True)
    try:
        return run_raw(con, name, {**team.params(as_of), **extra})
    finally:
        con.close()


def gated(db: Path, name: str, params: dict, audience: str = "plc", scope: Scope = FULL_SCOPE) -> pd.DataFrame:
    con = warehouse.connect(db, read_only=True)
    try:
        return run_query(con, name, params, scope, audience)
    finally:
        con.close()


# ---------------------------------------------------------------- figures as of a date


def test_focus_standards_as_of_two_dates(plc_db):
    sept = raw(plc_db, "plc_focus_standards", SEPT, **CALC).set_index("standard_code")
    octo = raw(plc_db, "plc_focus_standards", OCT, **CALC).set_index("standard_code")
    assert list(sept.index) == ["M3.C", "M3.B", "M3.A"]  # by strand: MD, NF, OA
    assert (sept.loc["M3.A", "n_students_assessed"], sept.loc["M3.A", "n_proficient"]) == (12, 6)
    assert sept.loc["M3.A", "pct_proficient"] == 50.0 and sept.loc["M3.A", "n_evidence"] == 12
    assert sept.loc["M3.B", "n_students_assessed"] == 0 and not sept.loc["M3.B", "is_assessed"]
    assert (octo.loc["M3.A", "n_students_assessed"], octo.loc["M3.A", "n_proficient"]) == (12, 8)
    assert octo.loc["M3.A", "pct_proficient"] == 66.7
    assert octo.loc["M3.A", "n_evidence"] == 21  # 12 + 3 + 6: student 12's two same-day scores are one piece
    assert (octo.loc["M3.B", "n_students_assessed"], octo.loc["M3.B", "n_proficient"]) == (12, 12)
    assert octo.loc["M3.C", "n_students_assessed"] == 0
    assert str(octo.loc["M3.A", "latest_assessed_on"])[:10] == "2025-10-20"


def test_students_scores_and_marks_as_of(plc_db):
    octo = raw(plc_db, "plc_student_standards", OCT, **CALC)
    a = octo[octo["standard_code"] == "M3.A"].set_index("student_id")
    assert a.loc[_ids([1]), "score"].tolist() == [1.7]
    assert a.loc[_ids([7]), "score"].tolist() == [3.3]
    assert a.loc[_ids([12]), "score"].tolist() == [2.65] and a.loc[_ids([12]), "n_evidence"].tolist() == [2]
    assert a.loc[_ids([5]), "marks"].tolist() == ["3 (Sep 10), IE (Sep 20)"]
    not_yet = sorted(a[(a["n_evidence"] > 0) & ~a["is_proficient"]].index)
    assert not_yet == _ids([1, 2, 3, 12])
    sept = raw(plc_db, "plc_student_standards", SEPT, **CALC)
    assert sept[sept["standard_code"] == "M3.B"]["n_evidence"].eq(0).all()
    assert set(octo["student_id"]) == set(_ids(range(1, 13)))  # the team: grade 3 of S1, not S2's students


def test_coverage_and_position_as_of(plc_db):
    sept, octo = raw(plc_db, "plc_coverage", SEPT).iloc[0], raw(plc_db, "plc_coverage", OCT).iloc[0]
    assert (sept["n_students"], sept["n_standards"], sept["n_assessed"], sept["n_evidence"]) == (12, 3, 1, 12)
    assert (octo["n_assessed"], octo["n_evidence"]) == (2, 33)
    assert octo["n_sufficient"] == 0  # fewer than 3 pieces per assessed student on every standard
    p_sept = raw(plc_db, "plc_continuum_position", SEPT, **CALC).iloc[0]
    p_oct = raw(plc_db, "plc_continuum_position", OCT, **CALC).iloc[0]
    assert [p_sept[c] for c in ("n_students", "n_below", "n_at", "n_above", "n_none")] == [12, 0, 6, 0, 6]
    assert [p_oct[c] for c in ("n_students", "n_below", "n_at", "n_above", "n_none")] == [12, 3, 8, 0, 1]
    listed = raw(plc_db, "plc_student_positions", OCT, **CALC).set_index("student_id")
    assert listed.loc[_ids([1, 2, 3]), "position"].tolist() == ["below"] * 3
    assert listed.loc[_ids([1]), "position_level"].tolist() == [2]


def test_a_course_team_is_the_students_marked_in_the_course(plc_db):
    course = Team("S1", "course", "math", 3, course_id="MATH3")
    octo = raw(plc_db, "plc_focus_standards", OCT, team=course, **CALC).set_index("standard_code")
    assert octo.loc["M3.A", "n_proficient"] == 8
    teams = gated(plc_db, "plc_teams", {"school_id": "S1", "school_year": YEAR})
    assert {"grade", "course"} == set(teams["team_type"])
    row = teams[teams["course_id"] == "MATH3"].iloc[0]
    assert (row["content_area"], row["continuum_level"]) == ("math", 3)


def test_the_gate_applies_to_meeting_figures(plc_db):
    """Twelve students: shown, but a rate of 100% in a group of 10-39 is a bound; under 10 shows n<10."""
    focus = gated(plc_db, "plc_focus_standards", {**TEAM.params(OCT), **CALC}).set_index("standard_code")
    assert focus.loc["M3.A", "pct_proficient"] == 66.7
    assert focus.loc["M3.B", "pct_proficient"] == ">=95%" and focus.loc["M3.B", "n_proficient"] is None
    assert focus.loc["M3.C", "n_students_assessed"] == "n<10"
    with pytest.raises(NotInRelease):  # the board reads only the public release, which lists no student
        gated(plc_db, "plc_student_standards", {**TEAM.params(OCT), **CALC}, audience="board")
    with pytest.raises(NotInRelease):
        gated(plc_db, "plc_student_positions", {**TEAM.params(OCT), **CALC}, audience="board")
    other_school = Scope("plc_facilitator", ("S2",))
    assert gated(plc_db, "plc_student_standards", {**TEAM.params(OCT), **CALC}, scope=other_school).empty


def test_the_as_of_calculation_is_written_once():
    """Every plc_* query that calculates scores reads the one macro (etl/marts/plc_as_of.sql)."""
    calculating = [p.stem for p in sorted(QUERY_DIR.glob("plc_*.sql")) if "plc_scores_as_of(" in p.read_text()]
    assert len(calculating) >= 4, calculating
    for path in QUERY_DIR.glob("*.sql"):
        assert "decaying_weight * pow" not in path.read_text(), f"{path.name} re-implements the calculation"


@pytest.mark.parametrize("method", list(METHODS))
def test_as_of_after_the_last_evidence_equals_the_marts(demo_db, method):
    """Every method in SQL gives the marts' (numpy) scores once all the year's evidence is in."""
    con = warehouse.connect(demo_db, read_only=True)
    try:
        mart = con.execute(
            "select student_id, standard_code, n_evidence, score_" + method + " as mart_score "
            "from mart_standard_scores where school_year = '2025-26' and term is null"
        ).df()
        for team in (
            Team("102", "grade", "math", 3, grade_level=3),
            Team("301", "course", "math", 9, course_id="ALG1"),
        ):
            params = {**team.params(date(2026, 6, 30)), "method": method, "decaying_weight": 0.65, "most_recent_n": 3}
            mine = run_raw(con, "plc_student_standards", params)
            mine = mine[mine["n_evidence"] > 0].merge(mart, on=["student_id", "standard_code"], suffixes=("", "_mart"))
            assert len(mine) > 500
            assert (mine["n_evidence"] == mine["n_evidence_mart"]).all()
            assert (mine["score"] - mine["mart_score"]).abs().max() <= 0.005 + 1e-9
            assert (mine["is_proficient"] == (mine["mart_score"] >= 3.0)).all()
    finally:
        con.close()


# ---------------------------------------------------------------- notes and what changed since


def test_notes_are_saved_replaced_and_read_by_a_new_process(plc_db, tmp_path):
    db = tmp_path / "notes.duckdb"
    db.write_bytes(plc_db.read_bytes())
    save_meeting_note(db, "S1", TEAM.key, SEPT, "first draft", "why?", "reteach", now=datetime(2025, 10, 1, 15))
    save_meeting_note(
        db,
        "S1",
        TEAM.key,
        SEPT,
        "Most students =not yet= on M3.A",
        "Is it the task?",
        "Reteach M3.A; reassess by Oct 20",
        now=datetime(2025, 10, 1, 16),
    )
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "queries",
            "run",
            "plc_meeting_notes",
            "--db",
            str(db),
            "--param",
            "school_id=S1",
            "--param",
            f"team={TEAM.key}",
            "--format",
            "json",
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    rows = rows if isinstance(rows, list) else rows.get("rows", rows)
    assert len(rows) == 1 and rows[0]["next_steps"] == "Reteach M3.A; reassess by Oct 20"
    assert rows[0]["notice"] == "Most students =not yet= on M3.A"
    with pytest.raises(NotInRelease):
        gated(db, "plc_meeting_notes", {"school_id": "S1", "team": TEAM.key}, audience="board")
    with pytest.raises(NoteError):
        save_meeting_note(db, "", TEAM.key, SEPT)


def test_what_changed_since_the_last_meeting(plc_db):
    def snapshot(as_of):
        params = TEAM.params(as_of)
        return {
            "focus": gated(plc_db, "plc_focus_standards", {**params, **CALC}),
            "coverage": gated(plc_db, "plc_coverage", params),
            "position": gated(plc_db, "plc_continuum_position", {**params, **CALC}),
        }

    changes = what_changed(snapshot(SEPT), snapshot(OCT), ["M3.A", "M3.B"]).set_index("measure")
    assert changes.loc["M3.A: % proficient", ["then", "now", "change"]].tolist() == ["50.0%", "66.7%", "+16.7 pts"]
    assert changes.loc["M3.A: pieces of evidence", ["then", "now", "change"]].tolist() == ["12", "21", "+9"]
    assert changes.loc["M3.B: % proficient", "then"] == "n<10"  # not assessed yet then: no figure, no change
    assert changes.loc["M3.B: % proficient", "change"] == ""
    assert changes.loc["Level standards assessed", ["then", "now", "change"]].tolist() == ["1", "2", "+1"]


def test_school_years_and_default_dates():
    assert school_year_of_date(date(2025, 8, 20)) == school_year_of_date(date(2026, 6, 5)) == "2025-26"
    assert school_year_of_date(date(2026, 7, 1)) == "2026-27"
    assert default_as_of("2025-26", date(2026, 6, 5), today=date(2026, 11, 24)) == date(2026, 6, 5)
    assert default_as_of("2025-26", date(2026, 6, 5), today=date(2025, 11, 2)) == date(2025, 11, 2)


def test_the_printable_summary_is_one_escaped_page_without_students(plc_db):
    params = TEAM.params(OCT)
    html = summary_html(
        school_name="North <Elementary>",
        team=TEAM,
        as_of=OCT,
        method_label="decaying average",
        focus=gated(plc_db, "plc_focus_standards", {**params, **CALC}),
        coverage=gated(plc_db, "plc_coverage", params),
        position=gated(plc_db, "plc_continuum_position", {**params, **CALC}),
        notes={"notice": "<script>x</script>", "wonder": "", "next_steps": "reteach"},
    )
    assert "<script>x" not in html and "&lt;script&gt;" in html and "North &lt;Elementary&gt;" in html
    assert "Zephyrine" not in html and "Quill" not in html and "90001" not in html
    assert "66.7" in html or "67%" in html


def test_the_printable_summary_carries_last_meeting_s_commitments_and_their_review(plc_db):
    params = TEAM.params(OCT)
    summary = partial(
        summary_html,
        school_name="North Elementary",
        team=TEAM,
        as_of=OCT,
        method_label="decaying average",
        focus=gated(plc_db, "plc_focus_standards", {**params, **CALC}),
        coverage=gated(plc_db, "plc_coverage", params),
        position=gated(plc_db, "plc_continuum_position", {**params, **CALC}),
        notes={"notice": "", "wonder": "", "next_steps": ""},
        last_as_of=SEPT,
        last_next_steps="Reteach M3.A <with visuals>",
    )
    reviewed = summary(reviewed_last=True)
    assert (
        "Last meeting&#x27;s commitments (2025-09-30)" in reviewed
        or "Last meeting's commitments (2025-09-30)" in reviewed
    )
    assert "Reteach M3.A &lt;with visuals&gt;" in reviewed and "Reviewed at this meeting: yes." in reviewed
    assert "Reviewed at this meeting: no." in summary(reviewed_last=False)
    assert "Reviewed at this meeting: not recorded." in summary(reviewed_last=None)
    assert "commitments" not in summary(last_as_of=None)  # a first meeting has none


# ---------------------------------------------------------------- the pages (AppTest)


@pytest.fixture
def app(monkeypatch, tmp_path):
    """Run the app on a warehouse as one person on their own computer, with the two pages registered."""
    config = yaml.safe_load(CONFIG_PATH.read_text()) or {}
    config["auth"] = {"mode": "local"}
    config_path = tmp_path / "district.yaml"
    config_path.write_text(yaml.safe_dump(config))
    monkeypatch.setenv("DASHBOARD_CONFIG", str(config_path))
    monkeypatch.delenv("DASHBOARD_AUTH", raising=False)
    from ui import navigation

    pages = list(navigation.PAGES)
    known = {Path(p.path).name for p in pages}
    if "plc_meeting.py" not in known:  # until ui/navigation.py lists the page
        pages.append(
            navigation.PageEntry(
                "app_pages/plc_meeting.py", "PLC data meeting", ":material/groups:", STUDENT_ROLES, shows_students=True
            )
        )
    if "board.py" not in known:
        pages.append(
            navigation.PageEntry("app_pages/board.py", "Board presentation", ":material/co_present:", PUBLIC_ROLES)
        )
    monkeypatch.setattr(navigation, "PAGES", pages)
    import ui.auth

    monkeypatch.setattr(ui.auth, "PAGES", pages)
    paths = {Path(p.path).name: p.path for p in pages}

    def run(db: Path, page: str) -> AppTest:
        monkeypatch.setenv("DASHBOARD_DB", str(db))
        at = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=120).run()
        at.switch_page(paths[Path(page).name]).run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return run


def _choose_team(at: AppTest, as_of: date) -> AppTest:
    at.selectbox(key="plc_school").set_value("S1").run()
    at.selectbox(key="plc_grade").set_value(3).run()
    at.selectbox(key="plc_area").set_value("math").run()
    at.date_input(key=f"plc_as_of_S1_{YEAR}_{TEAM.key}").set_value(as_of).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_meeting_notes_survive_a_restart_and_open_the_next_meeting(app, plc_db, tmp_path):
    db = tmp_path / "meeting.duckdb"
    db.write_bytes(plc_db.read_bytes())
    at = _choose_team(app(db, "app_pages/plc_meeting.py"), SEPT)
    assert [h.value for h in at.header] == [
        "1. What does the data show?",
        "2. What do we notice?",
        "3. What do we wonder?",
        "4. Next steps",
    ]
    form = f"plc_notes_S1_{TEAM.key}_{SEPT.isoformat()}"
    at.text_area(key=f"{form}_notice").input("Half the team is not yet proficient on M3.A")
    at.text_area(key=f"{form}_wonder").input("Is the September task too hard?")
    at.text_area(key=f"{form}_next_steps").input("Reteach M3.A with visuals; reassess by Oct 20")
    next(b for b in at.button if b.label == "Save meeting notes").click().run()
    assert not at.exception and any("Notes saved" in s.value for s in at.success)

    # A new session (as after a restart): the same meeting opens with its notes filled in.
    again = _choose_team(app(db, "app_pages/plc_meeting.py"), SEPT)
    assert again.text_area(key=f"{form}_next_steps").value == "Reteach M3.A with visuals; reassess by Oct 20"

    # The next meeting opens with the last notes and what changed since.
    later = _choose_team(app(db, "app_pages/plc_meeting.py"), OCT)
    shown = " ".join(m.value for m in later.markdown)
    assert "Last meeting: data as of September 30, 2025" in shown
    assert md("Reteach M3.A with visuals; reassess by Oct 20") in shown  # notes are text, never Markdown
    table = next(d.value for d in later.dataframe if "measure" in d.value.columns).set_index("measure")
    assert table.loc["M3.A: % proficient", "change"] == "+16.7 pts"


def test_a_new_visit_opens_on_the_last_meeting_saved(app, plc_db, tmp_path):
    """A facilitator comes back to their own team and the date they met on, not the first school's first grade."""
    db = tmp_path / "meeting.duckdb"
    db.write_bytes(plc_db.read_bytes())
    first = app(db, "app_pages/plc_meeting.py")
    assert first.date_input(key=f"plc_as_of_S1_{YEAR}_{TEAM.key}").value != SEPT  # no meeting yet: the default
    save_meeting_note(db, "S1", TEAM.key, SEPT, "noticed", "wondered", "Reteach M3.A", wait_seconds=5.0)
    again = app(db, "app_pages/plc_meeting.py")
    assert (again.selectbox(key="plc_school").value, again.selectbox(key="plc_grade").value) == ("S1", 3)
    assert again.selectbox(key="plc_area").value == "math"
    assert again.date_input(key=f"plc_as_of_S1_{YEAR}_{TEAM.key}").value == SEPT
    assert again.text_area(key=f"plc_notes_S1_{TEAM.key}_{SEPT.isoformat()}_next_steps").value == "Reteach M3.A"


def test_the_meeting_page_lists_students_only_for_allowed_roles(app, plc_db):
    at = _choose_team(app(plc_db, "app_pages/plc_meeting.py"), OCT)
    frames = [d.value for d in at.dataframe]
    listed = next(f for f in frames if "student" in f.columns and "marks" in f.columns)
    assert sorted(listed["student_id"].unique()) == _ids([1, 2, 3, 12])  # focus default: lowest % proficient
    summary = next(b for b in at.get("download_button"))
    assert summary is not None


def test_the_focus_picker_shows_each_standard_s_description_proficiency_and_evidence(app, plc_db):
    at = _choose_team(app(plc_db, "app_pages/plc_meeting.py"), OCT)
    options = at.multiselect(key=f"plc_focus_S1_{TEAM.key}").options
    assert options and all(re.search(r"\(\d+% proficient, \d+ pieces\)$|n<", o) for o in options), options
    assert any(o.startswith("M3.A: ") for o in options), options  # the code, then its description


def _board_headline(at) -> str:
    """The view's headline: escaped HTML in an h2 (app_pages/board.py writes data text inert)."""
    import html

    shown = [m.value for m in at.markdown if "class='board-headline'" in m.value]
    assert shown, "no headline on the board page"
    return html.unescape(re.sub(r"<[^>]+>", "", shown[0]))


def test_the_board_page_presents_one_finding_at_a_time(app, demo_db):
    at = app(demo_db, "app_pages/board.py")
    assert at.title[0].value == "Board presentation"
    first = _board_headline(at)
    assert re.search(r"\d", first) and "finding 1 of" in " ".join(m.value for m in at.markdown)
    at.button(key="board_next").click().run()
    assert _board_headline(at) != first and not at.exception
    for _ in range(12):
        if at.button(key="board_next").disabled:
            break
        at.button(key="board_next").click().run()
    assert _board_headline(at) == "Methods and privacy"
    assert any("Privacy." in m.value for m in at.markdown)
    assert len(at.get("download_button")) == 2


def test_the_board_role_never_gets_the_meeting_page():
    from ui.navigation import PAGES, PageEntry, pages_for

    entries = {Path(p.path).name: p for p in PAGES}
    plc = entries.get(
        "plc_meeting.py",
        PageEntry("app_pages/plc_meeting.py", "PLC data meeting", "", STUDENT_ROLES, shows_students=True),
    )
    board = entries.get("board.py", PageEntry("app_pages/board.py", "Board presentation", "", PUBLIC_ROLES))
    assert "board" not in plc.roles and plc.shows_students
    assert "board" in board.roles and not board.shows_students
    assert plc.path not in [p.path for p in pages_for("board")]
