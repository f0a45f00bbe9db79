"""Professional-learning offerings (`python -m etl load learning FILE`, issue 19): loaded through the real
loader into a throwaway warehouse, bad rows rejected with their line numbers, bad files refused in one line,
and nothing lost either way."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from etl.errors import LoadRefused
from tests.conftest import load

REPO_ROOT = Path(__file__).resolve().parents[1]
GOOD = """date,school_id,mode,title,hours,teachers,coaches
2025-09-10,S1,PLC time,Grade 3 data meeting,1,4,1
2025-09-17,S1,coaching,Coaching cycle: feedback,2.5,2,1
2025-10-01,S2,Workshop,Proficiency scales,3,18,
2025-10-08,S2,peer-observation,Learning walk,1.5,6,2
"""
BAD_ROWS = """date,school_id,mode,title,hours,teachers,coaches
2025-09-10,S1,PLC time,Grade 3 data meeting,1,4,1
2025-13-40,S1,coaching,Bad date,2,2,1
2025-09-24,S1,book club,Unknown mode,1,5,0
2025-10-01,S2,Workshop,Negative hours,-3,18,0
2025-10-08,S2,workshop,Half a teacher,1,2.5,1
2025-10-15,,workshop,No school,1,3,0
10/22/2025,S2,online course,Online module,4,7,0
"""


def offerings(con) -> list[tuple]:
    return con.execute(
        "select offered_on::varchar, school_id, mode, title, hours, role, n_participants "
        "from learning_offerings order by all"
    ).fetchall()


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_offerings_load_one_row_per_offering_and_role(con, tmp_path):
    report = load(con, "learning", write(tmp_path, "offerings.csv", GOOD))
    assert (report.status, report.rows_read, report.rows_rejected) == ("loaded", 4, 0), report.lines()
    assert offerings(con) == [
        ("2025-09-10", "S1", "plc", "Grade 3 data meeting", 1.0, "coach", 1),
        ("2025-09-10", "S1", "plc", "Grade 3 data meeting", 1.0, "teacher", 4),
        ("2025-09-17", "S1", "coaching", "Coaching cycle: feedback", 2.5, "coach", 1),
        ("2025-09-17", "S1", "coaching", "Coaching cycle: feedback", 2.5, "teacher", 2),
        ("2025-10-01", "S2", "workshop", "Proficiency scales", 3.0, "teacher", 18),
        ("2025-10-08", "S2", "peer_observation", "Learning walk", 1.5, "coach", 2),
        ("2025-10-08", "S2", "peer_observation", "Learning walk", 1.5, "teacher", 6),
    ]
    assert load(con, "learning", tmp_path / "offerings.csv").status == "already loaded"


def test_bad_rows_are_rejected_with_their_line_numbers(con, tmp_path):
    report = load(con, "learning", write(tmp_path, "bad_rows.csv", BAD_ROWS))
    assert (report.status, report.rows_read, report.rows_rejected) == ("loaded", 7, 5), report.lines()
    rejects = con.execute(
        'select line_number, "column", value, reason from rejects where load_id = $id order by line_number',
        {"id": report.load_id},
    ).fetchall()
    assert [(line, column) for line, column, _, _ in rejects] == [
        (3, "offered_on"),
        (4, "mode"),
        (5, "hours"),
        (6, "participants"),
        (7, "school_id"),
    ]
    assert rejects[1][2] == "book club" and "plc, coaching, workshop" in rejects[1][3]
    assert "extra_modes" in rejects[1][3]
    # the good rows are in, whole; the row with half a teacher left with its coach
    assert {(o[3], o[5]) for o in offerings(con)} == {
        ("Grade 3 data meeting", "teacher"),
        ("Grade 3 data meeting", "coach"),
        ("Online module", "teacher"),
    }


def test_long_form_role_and_participants_columns(con, tmp_path):
    text = (
        "date,school,type,name,duration,role,participants\n2025-11-05,S1,coaching,Co-teaching,1,teacher,3\n"
        "2025-11-05,S1,coaching,Co-teaching,1,Paraprofessional,2\n"
    )
    report = load(con, "learning", write(tmp_path, "long.csv", text))
    assert report.rows_rejected == 0
    assert [(o[5], o[6]) for o in offerings(con)] == [("paraprofessional", 2), ("teacher", 3)]


@pytest.mark.parametrize(
    "text, says",
    [
        ("date,school_id,title,hours,teachers\n2025-09-10,S1,PLC,1,4\n", r"missing required column\(s\) mode"),
        ("date,school_id,mode,title,hours\n2025-09-10,S1,plc,PLC,1\n", "no participants"),
    ],
    ids=["no-mode-column", "no-participants"],
)
def test_a_file_without_the_needed_columns_is_refused_and_nothing_is_lost(con, tmp_path, text, says):
    load(con, "learning", write(tmp_path, "good.csv", GOOD))
    before = offerings(con)
    loads_before = con.execute("select count(*) from loads").fetchone()[0]
    with pytest.raises(LoadRefused, match=says) as refused:
        load(con, "learning", write(tmp_path, "broken.csv", text))
    assert "broken.csv" in str(refused.value) and "\n" not in str(refused.value)
    assert offerings(con) == before
    assert con.execute("select count(*) from loads").fetchone()[0] == loads_before


def test_a_district_adds_its_own_mode(con, tmp_path, monkeypatch):
    from warehouse.config import CONFIG_PATH

    config = tmp_path / "district.yaml"
    config.write_text(CONFIG_PATH.read_text().replace("extra_modes: []", "extra_modes: [Instructional rounds]"))
    monkeypatch.setenv("DASHBOARD_CONFIG", str(config))
    text = "date,school_id,mode,title,hours,teachers\n2025-09-10,S1,instructional rounds,Rounds,2,8\n"
    report = load(con, "learning", write(tmp_path, "rounds.csv", text))
    assert report.rows_rejected == 0 and offerings(con)[0][2] == "instructional_rounds"


def test_the_command_line_refuses_in_one_line(tmp_path):
    db = tmp_path / "cli.duckdb"
    broken = write(tmp_path, "broken.csv", "date,school_id,title,hours,teachers\n2025-09-10,S1,PLC,1,4\n")
    out = subprocess.run(
        [sys.executable, "-m", "etl", "load", "learning", str(broken), "--db", str(db)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 1
    assert out.stderr.strip().count("\n") == 0 and "broken.csv" in out.stderr and "mode" in out.stderr
    assert "Traceback" not in out.stderr
    good = write(tmp_path, "good.csv", BAD_ROWS)
    out = subprocess.run(
        [sys.executable, "-m", "etl", "load", "learning", str(good), "--db", str(db)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0 and "7 rows read, 3 loaded, 5 rejected" in out.stdout, out.stdout + out.stderr


# ---------------------------------------------------------------- re-exports replace what they cover

RE_EXPORT_S1 = """date,school_id,mode,title,hours,teachers,coaches
2025-09-10,S1,PLC time,Grade 3 data meeting,1,5,1
2025-11-12,S1,workshop,Grading for learning,2,9,
"""


def test_a_re_export_replaces_the_offerings_of_its_school_years_and_schools(con, tmp_path):
    load(con, "learning", write(tmp_path, "offerings.csv", GOOD))
    report = load(con, "learning", write(tmp_path, "s1_again.csv", RE_EXPORT_S1))
    # S1's coaching cycle is gone from the district's system, its PLC meeting had a fifth teacher, a workshop is new
    assert report.replacement.line() == (
        "replaced 4 participant counts (offering x role) for 2025-26, school S1: 1 added, 1 changed, 2 removed"
    )
    assert [o for o in offerings(con) if o[1] == "S1"] == [
        ("2025-09-10", "S1", "plc", "Grade 3 data meeting", 1.0, "coach", 1),
        ("2025-09-10", "S1", "plc", "Grade 3 data meeting", 1.0, "teacher", 5),
        ("2025-11-12", "S1", "workshop", "Grading for learning", 2.0, "teacher", 9),
    ]
    assert len([o for o in offerings(con) if o[1] == "S2"]) == 3, "another school's offerings are untouched"
    statuses = con.execute("select status from loads order by load_id").fetchall()
    assert statuses == [("partly replaced",), ("loaded",)], "the first file's S2 rows are still in"


@pytest.mark.parametrize("flag, n_s2_left", [("year", 0), ("append", 3)], ids=["replace-year", "append"])
def test_the_replace_scope_of_a_learning_load(con, tmp_path, flag, n_s2_left):
    from etl.adapters import LoadOptions
    from etl.load import load_file

    load(con, "learning", write(tmp_path, "offerings.csv", GOOD))
    options = LoadOptions(replace="year") if flag == "year" else LoadOptions(append=True)
    load_file(con, "learning", write(tmp_path, "s1_again.csv", RE_EXPORT_S1), options)
    assert len([o for o in offerings(con) if o[1] == "S2"]) == n_s2_left


def test_undo_puts_back_the_offerings_a_re_export_replaced(con, tmp_path):
    from etl.undo import undo_load

    load(con, "learning", write(tmp_path, "offerings.csv", GOOD))
    before = offerings(con)
    report = load(con, "learning", write(tmp_path, "s1_again.csv", RE_EXPORT_S1))
    assert offerings(con) != before
    undo_load(con, report.load_id)
    assert offerings(con) == before
    assert con.execute("select status from loads order by load_id").fetchall() == [("loaded",), ("undone",)]


def test_etl_detect_names_an_offerings_file_and_its_command(tmp_path):
    from etl.formats.detect import detect_file

    found = detect_file(write(tmp_path, "offerings.csv", GOOD))
    assert (found.kind, found.format) == ("learning", "canonical"), found.lines()
    assert found.command().startswith("python -m etl load learning ")
    long_form = detect_file(write(tmp_path, "long.csv", "date,school,type,name,duration,role,participants\n"))
    assert long_form.kind == "learning" and "role and participants" in long_form.reason
    roster = detect_file(REPO_ROOT / "tests" / "fixtures" / "roster_canonical.csv")
    assert roster.kind == "roster", "an offerings detector that takes every file would be no detector"


def test_a_gradebook_load_of_an_offerings_file_says_what_it_is(con, tmp_path):
    with pytest.raises(LoadRefused, match=r"looks like a learning file .*python -m etl load learning"):
        load(con, "gradebook", write(tmp_path, "offerings.csv", GOOD))


# ---------------------------------------------------------------- survey items about a mode of learning


def test_survey_items_are_tagged_with_a_mode_by_the_item_map_or_the_file(con, tmp_path):
    long = (
        "survey_id,wave,response_id,school_id,role,item_id,item_text,construct,scale_points,value,learning_mode\n"
        "pl,2025-26,r1,S1,teacher,U1,Coaching is useful to my practice,,5,4,coaching\n"
        "pl,2025-26,r1,S1,teacher,W1,I want more PLC time,,5,5,\n"
        "pl,2025-26,r2,S1,teacher,U1,Coaching is useful to my practice,,5,2,coaching\n"
        "pl,2025-26,r2,S1,teacher,X1,Book clubs help,,5,3,book club\n"
    )
    item_map = write(tmp_path, "items.csv", "match,item_id,construct,mode\nI want more PLC time,W1,,PLC\n")
    from etl.surveys.item_map import read_item_map_file

    report = load(con, "survey", write(tmp_path, "pl.csv", long), mapping=read_item_map_file(item_map))
    assert report.rows_rejected == 1, report.lines()  # book club is not a mode this district knows
    reason = con.execute("select reason from rejects where load_id = $id", {"id": report.load_id}).fetchone()[0]
    assert reason.startswith("mode is not one of plc, coaching")
    assert con.execute("select item_id, learning_mode from survey_items order by item_id").fetchall() == [
        ("U1", "coaching"),
        ("W1", "plc"),
    ]


def test_an_item_map_naming_an_unknown_mode_is_refused(con, tmp_path):
    from etl.surveys.item_map import read_item_map_file

    item_map = write(tmp_path, "items.csv", "match,item_id,mode\nBook clubs help,B1,book club\n")
    long = "survey_id,wave,response_id,item_id,item_text,value\npl,2025-26,r1,B1,Book clubs help,4\n"
    with pytest.raises(LoadRefused, match="names mode 'book club', not one of plc"):
        load(con, "survey", write(tmp_path, "pl.csv", long), mapping=read_item_map_file(item_map))
    assert con.execute("select count(*) from survey_items").fetchone()[0] == 0


# ---------------------------------------------------------------- the PLC system page's learning figures


def test_participation_by_school_month_and_mode(con, tmp_path):
    from queries.runner import run_raw

    load(con, "learning", write(tmp_path, "offerings.csv", GOOD))
    rows = run_raw(con, "plc_system_learning_participation", {"school_year": "2025-26"})
    got = {
        (r.school_id, str(r.month)[:10], r.mode): (
            r.n_offerings,
            r.hours,
            r.n_participants,
            r.n_teachers,
            r.participant_hours,
        )
        for r in rows.itertuples()
    }
    assert got == {
        ("S1", "2025-09-01", "plc"): (1, 1.0, 5, 4, 5.0),
        ("S1", "2025-09-01", "coaching"): (1, 2.5, 3, 2, 7.5),
        ("S2", "2025-10-01", "workshop"): (1, 3.0, 18, 18, 54.0),
        ("S2", "2025-10-01", "peer_observation"): (1, 1.5, 8, 6, 12.0),
    }
    assert run_raw(con, "plc_system_learning_participation", {"school_year": "2024-25"}).empty


def test_staff_views_of_each_mode_are_favorability_by_mode(con, tmp_path):
    from queries.runner import Scope, run_query

    header = "survey_id,wave,response_id,school_id,role,item_id,item_text,construct,scale_points,value,learning_mode\n"
    lines = [
        f"pl,2025-26,r{i},S1,teacher,U1,Coaching is useful,learning_useful,5,{v},coaching"
        for i, v in enumerate([4, 5, 4, 2, 1, 5], start=1)
    ]
    lines += [
        f"pl,2025-26,r{i},S2,teacher,U1,Coaching is useful,learning_useful,5,{v},coaching"
        for i, v in enumerate([5, 5, 1], start=10)
    ]
    lines += [f"pl,2025-26,r{i},S3,teacher,U1,Coaching is useful,learning_useful,5,4,coaching" for i in range(20, 25)]
    load(con, "survey", write(tmp_path, "views.csv", header + "\n".join(lines) + "\n"))
    views = run_query(con, "plc_system_learning_views", {"by": "school"}, Scope(), "leader").set_index("school_id")
    assert views.loc["S1", ["mode", "question", "n_respondents", "n_favorable", "pct_favorable"]].tolist() == [
        "coaching",
        "learning_useful",
        6,
        4,
        66.7,
    ]
    assert views.loc["S2", "n_respondents"] == "n<5" and pd.isna(views.loc["S2", "pct_favorable"])  # survey minimum
    assert pd.isna(views.loc["S3", "pct_favorable"])  # hidden with it, so S2 cannot be had by subtraction
    scoped = run_query(con, "plc_system_learning_views", {"by": "school"}, Scope("principal", ("S2",)), "leader")
    assert scoped["school_id"].tolist() == ["S2"]
