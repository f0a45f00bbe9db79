"""The PLC system (issue 19): richer meeting records and their migration, the team figures across meetings
(known answers), the page's sentence, scope, the gate and the page (AppTest).

The fixture district is written here and loaded by the real loader; its meetings are saved by
warehouse/meeting_notes.py as the meeting page saves them. District leader decaying average (w = 0.65), cut 3.

School S1, grade 3 math (students 1-12), level-3 standard M3.A:
    2025-09-10  students 1-12: 2
    2025-09-20  students 1-6: 4     -> 0.65*4 + 0.35*2 = 3.30, proficient
    2025-10-20  students 7-12: 4    -> 3.30, proficient
  meetings held Sep 15 (as of Sep 15, focus M3.A, next steps, 3 teachers + 1 coach),
               Sep 29 (as of Sep 29, focus M3.A, no next steps, reviewed the last: yes),
               Oct 27 (as of Oct 27, next steps, reviewed the last: no)
  -> days between 14, 28 (median 21); Sep-Oct: 3 meetings / 2 months = 1.5 a month; next steps at 2 of 3
     meetings (66.7%); of those with a later meeting (Sep 15), its next meeting reviewed them: 100%.
     Focus M3.A: Sep 15 0% -> Sep 29 50% (+50); Sep 29 50% -> Oct 27 100% (+50).
School S1, grade 4 math (students 21-32), level-4 standard M4.A:
    2025-09-10  students 21-32: 3   (all proficient)
    2025-11-10  students 21-26: 2   -> 0.65*2 + 0.35*3 = 2.35, not proficient
  meetings Sep 12 (focus M4.A, next steps) and Nov 14 (next steps, reviewed the last: no)
  -> 63 days; Sep-Nov: 2 / 3 = 0.67 a month; next steps 100%; reviewed 0 of 1 (0%). M4.A 100% -> 50% (-50).
School S2, grade 3 math (students 41-45, five students): meetings Sep 15 and Sep 29 on M3.A (too few to show).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

import warehouse
from answers.plc_system import CAVEAT, answer_sentence, meeting_sentence
from etl.load import load_file
from queries.runner import FULL_SCOPE, Scope, run_query, run_raw
from warehouse.meeting_notes import NoteError, build_note, save_meeting_note

YEAR = "2025-26"
CALC = {"method": "decaying_average", "decaying_weight": 0.65, "most_recent_n": 3}


def _ids(numbers) -> list[str]:
    return [f"9{n:04d}" for n in numbers]


def write_district(folder: Path) -> dict[str, Path]:
    standards = pd.DataFrame(
        [
            ("M3.A", "T", "math", "OA", 3, "Level three A"),
            ("M3.B", "T", "math", "NF", 3, "Level three B"),
            ("M4.A", "T", "math", "OA", 4, "Level four A"),
        ],
        columns=["standard_code", "framework", "content_area", "strand", "continuum_level", "description"],
    )
    base = {
        "school_year": YEAR,
        "gender": "Female",
        "race_ethnicity": "White",
        "is_ell": False,
        "is_iep": False,
        "is_504": False,
        "is_econ_disadv": False,
    }
    roster = (
        [
            {
                **base,
                "student_id": s,
                "last_name": "Zephyrine",
                "first_name": "Quill",
                "school_id": "S1",
                "school_name": "North Elementary",
                "grade_level": 3,
            }
            for s in _ids(range(1, 13))
        ]
        + [
            {
                **base,
                "student_id": s,
                "last_name": "Ambrose",
                "first_name": "Wren",
                "school_id": "S1",
                "school_name": "North Elementary",
                "grade_level": 4,
            }
            for s in _ids(range(21, 33))
        ]
        + [
            {
                **base,
                "student_id": s,
                "last_name": "Other",
                "first_name": "School",
                "school_id": "S2",
                "school_name": "South Elementary",
                "grade_level": 3,
            }
            for s in _ids(range(41, 46))
        ]
    )
    marks = []

    def add(numbers, code, day, score, school="S1"):
        for sid in _ids(numbers):
            marks.append(
                {
                    "student_id": sid,
                    "school_year": YEAR,
                    "term": "T1",
                    "assessed_on": day,
                    "school_id": school,
                    "course_id": "MATH",
                    "section_id": f"{school}-{code}",
                    "teacher_id": "T1",
                    "standard_code": code,
                    "score": score,
                    "mark": str(int(score)),
                    "assessment_type": "formative",
                }
            )

    add(range(1, 13), "M3.A", "2025-09-10", 2.0)
    add(range(1, 7), "M3.A", "2025-09-20", 4.0)
    add(range(7, 13), "M3.A", "2025-10-20", 4.0)
    add(range(21, 33), "M4.A", "2025-09-10", 3.0)
    add(range(21, 27), "M4.A", "2025-11-10", 2.0)
    add(range(41, 46), "M3.A", "2025-09-10", 2.0, school="S2")
    add(range(41, 46), "M3.A", "2025-09-20", 4.0, school="S2")
    files = {"continuum": folder / "continuum.csv", "roster": folder / "roster.csv", "gradebook": folder / "gb.csv"}
    standards.to_csv(files["continuum"], index=False)
    pd.DataFrame(roster).to_csv(files["roster"], index=False)
    pd.DataFrame(marks).to_csv(files["gradebook"], index=False)
    return files


GRADE3, GRADE4 = "grade:3:math", "grade:4:math"
MEETINGS = [
    (
        "S1",
        GRADE3,
        "2025-09-15",
        "reteach M3.A",
        {"focus_standards": ["M3.A"], "participants": {"teacher": 3, "coach": 1}},
    ),
    (
        "S1",
        GRADE3,
        "2025-09-29",
        "",
        {"focus_standards": ["M3.A"], "reviewed_last_next_steps": True, "participants": {"teacher": 3}},
    ),
    ("S1", GRADE3, "2025-10-27", "reassess", {"reviewed_last_next_steps": False}),
    ("S1", GRADE4, "2025-09-12", "small groups", {"focus_standards": ["M4.A"]}),
    ("S1", GRADE4, "2025-11-14", "again", {"reviewed_last_next_steps": False}),
    ("S2", GRADE3, "2025-09-15", "x", {"focus_standards": ["M3.A"]}),
    ("S2", GRADE3, "2025-09-29", "y", {"focus_standards": ["M3.A"], "reviewed_last_next_steps": True}),
]


@pytest.fixture(scope="module")
def system_db(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("plc_system")
    files = write_district(folder)
    db = folder / "system.duckdb"
    con = warehouse.connect(db)
    try:
        for kind in ("continuum", "roster", "gradebook"):
            report = load_file(con, kind, files[kind])
            assert report.status == "loaded" and report.rows_rejected == 0, report.lines()
    finally:
        con.close()
    for school, team, day, next_steps, record in MEETINGS:
        save_meeting_note(
            db, school, team, day, "noticed", "wondered", next_steps, continuum_level=int(team[6]), **record
        )
    return db


def raw(db: Path, name: str, params: dict | None = None, scope: Scope = FULL_SCOPE) -> pd.DataFrame:
    con = warehouse.connect(db, read_only=True)
    try:
        return run_raw(con, name, params, scope)
    finally:
        con.close()


def gated(
    db: Path, name: str, params: dict | None = None, scope: Scope = FULL_SCOPE, audience: str = "leader"
) -> pd.DataFrame:
    con = warehouse.connect(db, read_only=True)
    try:
        return run_query(con, name, params, scope, audience)
    finally:
        con.close()


# ---------------------------------------------------------------- 1. the richer meeting record


def test_a_saved_meeting_keeps_its_whole_record(system_db):
    con = warehouse.connect(system_db, read_only=True)
    try:
        row = con.execute("select * from meeting_notes where meeting_id = 'S1|grade:3:math|2025-09-15'").df().iloc[0]
    finally:
        con.close()
    assert (
        row["school_id"],
        row["team"],
        row["school_year"],
        row["team_type"],
        row["grade_level"],
        row["content_area"],
        row["continuum_level"],
    ) == ("S1", GRADE3, YEAR, "grade", 3, "math", 3)
    assert pd.Timestamp(row["held_on"]).date() == date(2025, 9, 15) == pd.Timestamp(row["as_of"]).date()
    assert list(row["focus_standards"]) == ["M3.A"]
    assert dict(row["participants"]) == {"teacher": 3, "coach": 1}
    assert row["next_steps"] == "reteach M3.A" and row["notice"] == "noticed"
    assert pd.isna(row["reviewed_last_next_steps"])
    assert row["participant_names"] is pd.NA or row["participant_names"] is None  # names not wanted here


def test_a_meeting_held_on_another_day_than_its_data(system_db, tmp_path):
    db = tmp_path / "held.duckdb"
    db.write_bytes(system_db.read_bytes())
    note = save_meeting_note(
        db, "S1", "course:ALG1", "2025-10-01", held_on="2025-10-03", content_area="math", continuum_level=9
    )
    assert (note.held_on, note.as_of, note.team_type, note.course_id) == (
        date(2025, 10, 3),
        date(2025, 10, 1),
        "course",
        "ALG1",
    )


@pytest.mark.parametrize(
    "record, message",
    [
        ({"participants": {"teacher": -1}}, "whole number"),
        ({"participants": {"teacher": 2.5}}, "whole number"),
        ({"participants": {"": 2}}, "role is blank"),
        ({"participant_names": ["Ana Ruiz"]}, "count by role, not by name"),
        ({"held_on": "the 3rd"}, "not a date"),
    ],
    ids=["negative-count", "fractional-count", "blank-role", "names-not-wanted", "bad-date"],
)
def test_a_meeting_record_is_refused_with_a_reason(record, message):
    with pytest.raises(NoteError, match=message):
        build_note("S1", GRADE3, "2025-09-15", **record)


def test_names_are_kept_when_the_district_wants_them(monkeypatch, tmp_path):
    from warehouse.config import CONFIG_PATH

    config = tmp_path / "district.yaml"
    config.write_text(
        CONFIG_PATH.read_text().replace("record_participant_names: false", "record_participant_names: true")
    )
    monkeypatch.setenv("DASHBOARD_CONFIG", str(config))
    note = build_note("S1", GRADE3, "2025-09-15", participant_names=["Ana Ruiz", " ", "Bo Li"])
    assert note.participant_names == ("Ana Ruiz", "Bo Li")


OLD_MEETING_NOTES = """create table meeting_notes (meeting_id varchar primary key, school_id varchar, team varchar,
    as_of date, notice varchar, wonder varchar, next_steps varchar, created_at timestamp)"""


def test_an_old_warehouse_is_migrated_and_its_notes_still_load(system_db, tmp_path):
    """A warehouse whose meeting_notes has the first version's eight columns (and notes in it) gains the new
    columns on the next write connection; the old notes read back, by the meeting page's query and on the PLC
    system page, with their team read from its key."""
    db = tmp_path / "old.duckdb"
    db.write_bytes(system_db.read_bytes())
    con = duckdb.connect(str(db))
    con.execute("drop table meeting_notes")
    con.execute(OLD_MEETING_NOTES)
    con.execute(
        "insert into meeting_notes values ('S1|grade:3:math|2025-09-15', 'S1', 'grade:3:math', "
        "'2025-09-15', 'n', 'w', 'reteach', '2025-09-15 16:00'), "
        "('S1|grade:3:math|2025-10-13', 'S1', 'grade:3:math', '2025-10-13', 'n', 'w', '', "
        "'2025-10-13 16:00')"
    )
    con.close()
    warehouse.connect(db).close()  # any write connection migrates (make run's `etl rebuild` opens one)
    con = warehouse.connect(db, read_only=True)
    try:
        columns = {r[0] for r in con.execute("describe meeting_notes").fetchall()}
        notes = run_raw(con, "plc_meeting_notes", {"school_id": "S1", "team": GRADE3})
    finally:
        con.close()
    assert {"held_on", "focus_standards", "participants", "reviewed_last_next_steps"} <= columns
    assert notes["next_steps"].tolist() == ["", "reteach"]
    teams = raw(db, "plc_system_teams", {"school_year": YEAR}).set_index("team")
    old = teams.loc[GRADE3]
    assert (old["grade_level"], old["content_area"], old["n_meetings"], old["median_days_between"]) == (
        3,
        "math",
        2,
        28,
    )
    assert old["pct_with_next_steps"] == 50.0 and pd.isna(old["pct_next_reviewed"])  # the old notes did not say
    # and a meeting saved now joins them
    save_meeting_note(db, "S1", GRADE3, "2025-10-27", "n", "w", "", reviewed_last_next_steps=False)
    assert raw(db, "plc_system_teams", {"school_year": YEAR}).set_index("team").loc[GRADE3, "n_meetings"] == 3


# ---------------------------------------------------------------- 2. the figures (known answers)


def test_team_cadence_regularity_and_follow_through(system_db):
    teams = raw(system_db, "plc_system_teams", {"school_year": YEAR}).set_index(["school_id", "team"])
    three, four = teams.loc[("S1", GRADE3)], teams.loc[("S1", GRADE4)]
    assert (three["n_meetings"], three["n_months"], three["meetings_per_month"]) == (3, 2, 1.5)
    assert three["median_days_between"] == 21
    assert (three["pct_with_next_steps"], three["n_followed_up"], three["pct_next_reviewed"]) == (66.7, 1, 100.0)
    assert three["median_participants"] == 3.5
    assert (four["n_meetings"], four["n_months"], four["meetings_per_month"]) == (2, 3, 0.67)
    assert four["median_days_between"] == 63
    assert (four["pct_with_next_steps"], four["n_followed_up"], four["pct_next_reviewed"]) == (100.0, 1, 0.0)


def test_focus_standards_between_one_meeting_and_the_next(system_db):
    change = raw(system_db, "plc_system_focus_change", {"school_year": YEAR, **CALC}).set_index("meeting_id")
    first, second = change.loc["S1|grade:3:math|2025-09-15"], change.loc["S1|grade:3:math|2025-09-29"]
    assert (first["pct_proficient_at"], first["pct_proficient_next"], first["change_points"]) == (0.0, 50.0, 50.0)
    assert (first["n_evidence_at"], first["n_evidence_next"], first["days_to_next"]) == (12, 18, 14)
    assert (second["pct_proficient_at"], second["pct_proficient_next"], second["change_points"]) == (50.0, 100.0, 50.0)
    assert second["n_evidence_next"] == 24
    four = change.loc["S1|grade:4:math|2025-09-12"]
    assert (four["pct_proficient_at"], four["pct_proficient_next"], four["change_points"]) == (100.0, 50.0, -50.0)
    assert four["n_students"] == 12
    # a meeting with no focus standards, or no next meeting, has no between-meeting figure
    assert "S1|grade:3:math|2025-10-27" not in change.index and "S1|grade:4:math|2025-11-14" not in change.index


def test_the_between_meeting_figures_are_the_meeting_pages(system_db):
    """The same as-of calculation as the meeting page: its plc_focus_standards on each date gives these."""
    from exports.plc import Team

    team = Team("S1", "grade", "math", 3, grade_level=3)
    for as_of, pct in ((date(2025, 9, 15), 0.0), (date(2025, 9, 29), 50.0), (date(2025, 10, 27), 100.0)):
        focus = raw(system_db, "plc_focus_standards", {**team.params(as_of), **CALC}).set_index("standard_code")
        assert focus.loc["M3.A", "pct_proficient"] == pct


@pytest.mark.parametrize(
    "group_by, rows",
    [
        ("grade", {"3": (2, 5, 14.0, 17, 3, 66.7), "4": (1, 2, 63.0, 12, 1, -50.0)}),
        ("grade_band", {"3-5": (3, 7, 21.0, 29, 4, 37.5)}),
        ("school", {"S1": (2, 5, 28.0, 24, 3, 16.7), "S2": (1, 2, 14.0, 5, 1, 100.0)}),
        ("content_area", {"math": (3, 7, 21.0, 29, 4, 37.5)}),
    ],
    ids=["grade", "grade-band", "school", "content-area"],
)
def test_teams_compared_by_group(system_db, group_by, rows):
    groups = raw(system_db, "plc_system_by_group", {"school_year": YEAR, "group_by": group_by, **CALC})
    got = {
        r.group_value: (
            r.n_teams,
            r.n_meetings,
            r.median_days_between,
            r.n_students,
            r.n_meeting_pairs,
            r.mean_change_points,
        )
        for r in groups.itertuples()
    }
    assert got == rows


def test_the_gate_hides_small_teams_and_scope_keeps_to_the_viewers_schools(system_db):
    change = gated(system_db, "plc_system_focus_change", {"school_year": YEAR, **CALC}).set_index("meeting_id")
    small = change.loc["S2|grade:3:math|2025-09-15"]
    assert small["n_students"] == "n<10" and pd.isna(small["pct_proficient_at"]) and pd.isna(small["change_points"])
    # 12 students at 100%: top coded, and the change derived from it hidden with it
    coded = change.loc["S1|grade:4:math|2025-09-12"]
    assert coded["pct_proficient_at"] == ">=95%" and pd.isna(coded["change_points"])
    by_school = gated(system_db, "plc_system_by_group", {"school_year": YEAR, "group_by": "school", **CALC})
    by_school = by_school.set_index("group_value")
    assert pd.isna(by_school.loc["S2", "mean_change_points"]) and by_school.loc["S1", "mean_change_points"] == 16.7
    # the defences can fail: unscoped, S2's meetings are there; with the minimum at 1, its small team shows
    assert "S2" in set(raw(system_db, "plc_system_focus_change", {"school_year": YEAR})["school_id"])
    from queries.privacy import PrivacySpec, apply_gate
    from queries.runner import load_query

    assert load_query("plc_system_focus_change").privacy.n == "n_students"
    unprotected = apply_gate(
        raw(system_db, "plc_system_focus_change", {"school_year": YEAR, **CALC}), PrivacySpec(kind="none"), "leader"
    ).set_index("meeting_id")
    assert unprotected.loc["S2|grade:3:math|2025-09-15", ["n_students", "change_points"]].tolist() == [5, 100.0]
    principal = Scope("principal", ("S1",))
    for name in ("plc_system_teams", "plc_system_focus_change"):
        seen = gated(system_db, name, {"school_year": YEAR}, principal)
        assert set(seen["school_id"]) == {"S1"}, name
    scoped = gated(system_db, "plc_system_by_group", {"school_year": YEAR, "group_by": "school"}, principal)
    assert scoped["group_value"].tolist() == ["S1"]


def test_no_student_is_named_by_the_system_queries(system_db):
    for name in ("plc_system_teams", "plc_system_focus_change", "plc_system_by_group"):
        frame = raw(system_db, name, {"school_year": YEAR})
        text = frame.astype(str).to_string()
        assert "Zephyrine" not in text and "Quill" not in text and "90001" not in text, name
        assert "student_ids" not in frame.columns


# ---------------------------------------------------------------- the page's answer in words


def test_the_sentence_says_how_often_teams_met_and_how_their_focus_standards_moved(system_db):
    groups = gated(system_db, "plc_system_by_group", {"school_year": YEAR, "group_by": "grade", **CALC})
    sentence = answer_sentence(groups, "grade")
    assert sentence == (
        "Grade 3 teams met every 14 days and their focus standards rose 67 points between "
        "meetings; grade 4 teams met every 63 days and their focus standards fell 50 points "
        "between meetings."
    )
    assert "not what" in CAVEAT and "caused" in CAVEAT


@pytest.mark.parametrize(
    "row, expected",
    [
        (
            {
                "group_value": "9-12",
                "n_meetings": 1,
                "median_days_between": None,
                "mean_change_points": None,
                "n_meeting_pairs": 0,
                "n_students": 0,
            },
            "Grades 9-12 teams met once",
        ),
        (
            {
                "group_value": "K-2",
                "n_meetings": 4,
                "median_days_between": 20.5,
                "mean_change_points": None,
                "n_meeting_pairs": 2,
                "n_students": "n<10",
            },
            "Grades K-2 teams met every 20 days (too few students to show how their focus standards moved)",
        ),
        (
            {
                "group_value": "6-8",
                "n_meetings": 3,
                "median_days_between": 30,
                "mean_change_points": 0.2,
                "n_meeting_pairs": 2,
                "n_students": 40,
            },
            "Grades 6-8 teams met every 30 days and their focus standards held level between meetings",
        ),
    ],
    ids=["one-meeting", "suppressed-change", "level"],
)
def test_sentence_edge_cases(row, expected):
    assert answer_sentence(pd.DataFrame([row]), "grade_band") == expected + "."


def test_the_opening_sentence_says_whether_teams_meet_regularly_and_follow_through():
    # two teams: 4 meetings every 14 days (3 with next steps, 2 followed up, both reviewed) and 2 meetings 63 days
    # apart (1 with next steps, followed up, not reviewed): median team 38.5 days; 4/6 with next steps; 2/3 reviewed
    teams = pd.DataFrame(
        [
            {
                "n_meetings": 4,
                "median_days_between": 14,
                "n_with_next_steps": 3,
                "n_followed_up": 2,
                "pct_next_reviewed": 100.0,
            },
            {
                "n_meetings": 2,
                "median_days_between": 63,
                "n_with_next_steps": 1,
                "n_followed_up": 1,
                "pct_next_reviewed": 0.0,
            },
        ]
    )
    assert meeting_sentence(teams, "2025-26") == (
        "In 2025-26, 2 teams met 6 times, every 38 days at the median team; 67% of meetings recorded next steps, "
        "and the next meeting reviewed them 67% of the time."
    )
    assert meeting_sentence(teams.iloc[:0], "2025-26") == "No PLC meetings are saved for 2025-26 yet."
    unknown = teams.assign(pct_next_reviewed=None, n_followed_up=0)
    assert meeting_sentence(unknown, "2025-26").endswith("67% of meetings recorded next steps.")


# ---------------------------------------------------------------- the meeting page saves the whole record


from tests.test_plc_meeting import _choose_team, app  # noqa: E402,F401  (the AppTest fixture and team chooser)


def test_the_meeting_page_saves_focus_participants_and_review(app, system_db, tmp_path):  # noqa: F811
    db = tmp_path / "page.duckdb"
    db.write_bytes(system_db.read_bytes())
    day = date(2025, 11, 3)
    at = _choose_team(app(db, "app_pages/plc_meeting.py"), day)
    form = f"plc_notes_S1_{GRADE3}_{day.isoformat()}"
    at.multiselect(key=f"plc_focus_S1_{GRADE3}").set_value(["M3.B"]).run()
    at.number_input(key=f"{form}_n_teacher").set_value(4)
    at.number_input(key=f"{form}_n_coach").set_value(1)
    at.checkbox(key=f"{form}_reviewed").check()
    at.text_area(key=f"{form}_next_steps").input("Assess M3.B by Nov 20")
    next(b for b in at.button if b.label == "Save meeting notes").click().run()
    assert not at.exception and any("Notes saved" in s.value for s in at.success)
    con = warehouse.connect(db, read_only=True)
    try:
        row = con.execute("select * from meeting_notes where as_of = '2025-11-03'").df().iloc[0]
    finally:
        con.close()
    assert list(row["focus_standards"]) == ["M3.B"] and dict(row["participants"]) == {"teacher": 4, "coach": 1}
    assert bool(row["reviewed_last_next_steps"]) and row["content_area"] == "math" and row["continuum_level"] == 3
    # reopened, the meeting starts on the focus standards it was saved with (not the suggested ones)
    again = _choose_team(app(db, "app_pages/plc_meeting.py"), day)
    assert again.multiselect(key=f"plc_focus_S1_{GRADE3}_{day.isoformat()}").value == ["M3.B"]


# ---------------------------------------------------------------- the demo district tells the planted story


def test_the_demo_shows_the_planted_contrast_in_the_pages_sentence(demo_db):
    """data/demo/README.md pattern 6: grade 3-4 teams at 101 and 102 meet every 14 days and their focus standards
    move more between meetings than those of the teams that meet about monthly (6-8) or every six weeks (9-12)."""
    groups = gated(demo_db, "plc_system_by_group", {"school_year": "2025-26", "group_by": "grade_band"})
    by_band = groups.set_index("group_value")
    assert by_band.loc["3-5", "median_days_between"] == 14
    assert by_band.loc["6-8", "median_days_between"] >= 26 and by_band.loc["9-12", "median_days_between"] >= 40
    regular = by_band.loc["3-5", "mean_change_points"]
    assert regular >= 5
    assert regular - max(by_band.loc["6-8", "mean_change_points"], by_band.loc["9-12", "mean_change_points"]) >= 5
    assert by_band.loc["3-5", "pct_next_reviewed"] > 80 > by_band.loc["9-12", "pct_next_reviewed"] + 40
    sentence = answer_sentence(groups, "grade_band")
    assert sentence.startswith("Grades 3-5 teams met every 14 days and their focus standards rose")
    assert "grades 9-12 teams met every 4" in sentence


def test_the_system_page_answers_in_words_for_a_leader(app, demo_db):  # noqa: F811
    at = app(demo_db, "app_pages/plc_system.py")
    assert at.title[0].value == "PLC system"
    opening = at.markdown[0].value.replace("\\", "")  # the answer box, first on the page (ui/layout.answer)
    assert opening.startswith("In 2025-26, 13 teams met ") and "Grades 3-5 teams met every 14 days" in opening
    assert any("not what the meetings caused" in c.value for c in at.caption)
    teams = next(d.value for d in at.dataframe if "team_name" in d.value.columns and "n_meetings" in d.value.columns)
    assert len(teams) == 13 and any("Maple Grove" in t for t in teams["team_name"])
    text = " ".join(str(d.value.to_string()) for d in at.dataframe)
    assert "student_id" not in text
    # professional learning beside staff views of each mode and the culture constructs of the same schools
    assert "Professional learning: who took part, and how staff rate each mode" in [h.value for h in at.header]
    frames = {d.value.columns.name: d.value for d in at.dataframe if d.value.columns.name}
    assert {"plc", "coaching", "workshop"} <= set(frames["mode"].columns)
    assert "trust" in set(next(d.value for d in at.dataframe if d.value.columns.name == "construct").columns)


def test_the_demo_plants_offerings_and_views_of_each_mode(demo_db):
    participation = gated(demo_db, "plc_system_learning_participation", {"school_year": "2025-26"})
    plc = participation[participation["mode"] == "plc"].groupby("school_id")["n_offerings"].sum()
    assert plc["101"] >= 30 and plc["102"] >= 30 and plc["301"] <= 10
    views = gated(demo_db, "plc_system_learning_views", {"by": "school"})
    useful = views[(views["question"] == "learning_useful") & (views["mode"] == "plc")].set_index("school_id")
    pct = pd.to_numeric(useful["pct_favorable"], errors="coerce")
    assert min(pct["101"], pct["102"]) > max(pct.drop(["101", "102"])) + 10


def test_the_board_and_plc_facilitators_never_get_the_system_page():
    from ui.navigation import pages_for

    for role in ("board", "plc_facilitator"):
        assert "app_pages/plc_system.py" not in [p.path for p in pages_for(role)], role
    for role in ("district_leader", "principal"):
        assert "app_pages/plc_system.py" in [p.path for p in pages_for(role)], role
