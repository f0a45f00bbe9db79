"""Incremental marts (issue 14): a load rebuilds only the marts of the school years it touched, and a warehouse
rebuilt that way, load after load, holds exactly the marts of one rebuilt from scratch."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pandas as pd
import pytest

import warehouse
from etl import marts
from tests.conftest import FIXTURES, load

YEARS = ("2024-25", "2025-26")
STANDARDS = {3: ["M.3.NF.1", "M.3.NF.2", "M.3.OA.1", "E.3.RL.1", "E.3.RL.2"], 4: ["M.4.NF.1", "M.3.NF.2"]}


def roster(year_grades: dict[str, int], n_students: int = 40, seed: int = 1) -> pd.DataFrame:
    rng = random.Random(seed)
    rows = []
    for year, grade in year_grades.items():
        for i in range(n_students):
            rows.append(
                {
                    "school_year": year,
                    "student_id": f"{i:04d}",
                    "school_id": "S1" if i % 2 else "S2",
                    "grade_level": grade,
                    "gender": rng.choice(["Female", "Male"]),
                    "race_ethnicity": rng.choice(["White", "Asian", "Hispanic or Latino"]),
                    "is_ell": rng.random() < 0.3,
                    "is_iep": rng.random() < 0.2,
                    "is_504": False,
                    "is_econ_disadv": rng.random() < 0.4,
                }
            )
    return pd.DataFrame(rows)


def gradebook(year: str, grade: int, n_students: int = 40, seed: int = 2) -> pd.DataFrame:
    rng = random.Random(seed)
    start = pd.Timestamp(f"{year[:4]}-09-01")
    rows = []
    for i in range(n_students):
        for code in STANDARDS[grade]:
            for d in range(rng.randint(1, 4)):
                day = start + pd.Timedelta(days=rng.randint(0, 200))
                rows.append(
                    {
                        "student_id": f"{i:04d}",
                        "school_year": year,
                        "term": "T1" if day.month >= 9 else "T2",
                        "assessed_on": day.date().isoformat(),
                        "school_id": "S1" if i % 2 else "S2",
                        "course_id": f"C{grade}",
                        "section_id": f"{grade}{'AB'[i % 2]}",
                        "teacher_id": f"T{i % 2}",
                        "standard_code": code,
                        "mark": rng.choice(["1", "2", "3", "3", "4", "IE"]),
                        "assessment_type": "formative",
                        "assessment_name": f"Check {d}",
                    }
                )
    return pd.DataFrame(rows)


def write(frame: pd.DataFrame, path: Path) -> Path:
    frame.to_csv(path, index=False)
    return path


def mart_rows(con) -> dict[str, list[str]]:
    """Every row of every mart table and view, in a stable order (values as repr: floats compared exactly)."""
    names = [
        n
        for (n,) in con.execute(
            "select table_name from duckdb_tables() where not temporary and table_name like 'mart_%' union "
            "select view_name from duckdb_views() where not temporary and view_name like 'mart_%' order by 1"
        ).fetchall()
    ]
    return {n: sorted(repr(r) for r in con.execute(f'select * from "{n}"').fetchall()) for n in names}


@pytest.fixture
def rebuilds(monkeypatch):
    """The Scope each rebuild actually rebuilt, in order."""
    done = []
    real = marts.rebuild

    def recording(con, scope=None):
        result = real(con, scope)
        done.append(result)
        return result

    monkeypatch.setattr(marts, "rebuild", recording)
    return done


def test_an_incrementally_rebuilt_warehouse_equals_one_rebuilt_from_scratch(db_path, tmp_path, rebuilds):
    con = warehouse.connect(db_path)
    load(con, "continuum", FIXTURES / "continuum_small.csv")
    load(con, "roster", write(roster({YEARS[0]: 3, YEARS[1]: 4}), tmp_path / "roster.csv"))
    load(con, "gradebook", write(gradebook(YEARS[0], 3), tmp_path / "gb_2024.csv"))
    latest = gradebook(YEARS[1], 4)
    load(con, "gradebook", write(latest, tmp_path / "gb_2025_week1.csv"))
    # The first evidence builds every year's marts afresh (marts of no evidence are not patched); then by year.
    assert [(r.school_years, r.is_full) for r in rebuilds[-2:]] == [(YEARS, True), ((YEARS[1],), False)]

    # The weekly refresh: the latest year re-exported, a mark corrected, rows added and removed.
    refreshed = latest.drop(index=latest.index[:7]).copy()
    refreshed.loc[refreshed.index[:5], "mark"] = "4"
    refreshed = pd.concat([refreshed, latest.head(9).assign(assessed_on=f"{YEARS[1][:4]}-12-15")])
    load(con, "gradebook", write(refreshed, tmp_path / "gb_2025_week2.csv"))
    # A roster re-export of one school: demographics changed, a student gone.
    school = roster({YEARS[1]: 4}, seed=5).query("school_id == 'S1' and student_id != '0003'")
    load(con, "roster", write(school, tmp_path / "roster_s1.csv"))
    # One section of the earlier year, corrected.
    section = gradebook(YEARS[0], 3, seed=9).query("section_id == '3B'")
    load(con, "gradebook", write(section, tmp_path / "gb_2024_3b.csv"))
    load(con, "survey", FIXTURES / "survey_invited.csv")
    assert [(r.school_years, r.is_full) for r in rebuilds[-4:]] == [
        ((YEARS[1],), False),
        ((YEARS[1],), False),
        ((YEARS[0],), False),
        ((), False),
    ]
    incremental = mart_rows(con)
    con.close()

    scratch_path = tmp_path / "scratch.duckdb"
    shutil.copy(db_path, scratch_path)
    scratch = warehouse.connect(scratch_path)
    assert scratch.execute("select count(*) from mart_standard_scores").fetchone()[0] > 0
    for table in marts.PER_YEAR + marts.BEFORE:  # nothing of the incremental marts is left to compare with
        scratch.execute(f"drop table {table}")
    assert marts.rebuild(scratch).is_full
    from_scratch = mart_rows(scratch)
    scratch.close()

    assert set(incremental) == set(from_scratch)
    assert {n: len(rows) for n, rows in incremental.items()} == {n: len(rows) for n, rows in from_scratch.items()}
    for name in from_scratch:
        assert incremental[name] == from_scratch[name], name
    assert len(incremental["mart_content_area_scores"]) > 0 and len(incremental["mart_plc_teams"]) > 0


def test_a_roster_with_a_new_grade_level_rebuilds_every_year(db_path, tmp_path, rebuilds):
    con = warehouse.connect(db_path)
    load(con, "continuum", FIXTURES / "continuum_small.csv")
    load(con, "roster", write(roster({YEARS[0]: 3, YEARS[1]: 3}), tmp_path / "roster.csv"))
    load(con, "gradebook", write(gradebook(YEARS[0], 3), tmp_path / "gb.csv"))
    # Grade 4 is new to the warehouse: the continuum level each grade is taught from changes for every year.
    load(con, "roster", write(roster({YEARS[1]: 4}), tmp_path / "roster_2025.csv"))
    assert rebuilds[-1].is_full and rebuilds[-1].school_years == YEARS
    con.close()


def test_a_change_of_calculation_settings_rebuilds_every_year(db_path, tmp_path, rebuilds, monkeypatch):
    con = warehouse.connect(db_path)
    load(con, "continuum", FIXTURES / "continuum_small.csv")
    load(con, "roster", write(roster({YEARS[0]: 3, YEARS[1]: 3}), tmp_path / "roster.csv"))
    load(con, "gradebook", write(gradebook(YEARS[0], 3), tmp_path / "gb.csv"))
    monkeypatch.setattr(marts, "mart_params", lambda: {"decaying_weight": 0.5, "most_recent_n": 3})
    load(con, "gradebook", write(gradebook(YEARS[1], 3), tmp_path / "gb_2025.csv"))
    assert rebuilds[-1].is_full  # the other year's marts were built with another decaying weight
    con.close()


def test_a_full_rebuild_in_passes_of_a_year_equals_one_pass(small_district, tmp_path, monkeypatch):
    con = small_district
    load(con, "roster", write(roster({YEARS[0]: 3}), tmp_path / "roster.csv"))
    load(con, "gradebook", write(gradebook(YEARS[0], 3), tmp_path / "gb.csv"))
    marts.rebuild(con)
    one_pass = mart_rows(con)
    monkeypatch.setattr(marts, "SCORES_PER_PASS", 1)
    assert marts._passes(con, list(YEARS), True) == [[YEARS[0]], [YEARS[1]]]
    marts.rebuild(con)
    assert mart_rows(con) == one_pass
