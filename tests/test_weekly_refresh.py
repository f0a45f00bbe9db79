"""The weekly refresh (issue 14): a re-export replaces the evidence it covers instead of adding to it,
loading the same bytes twice changes nothing, and the report says what was replaced (docs/commands.md)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from etl.errors import LoadRefused
from tests.conftest import load

REPO = Path(__file__).resolve().parents[1]
YEAR = "2025-26"


def gradebook_frame(
    n_students: int = 100,
    n_standards: int = 20,
    n_days: int = 5,
    year: str = YEAR,
    sections: tuple[str, ...] = ("3A", "3B"),
) -> pd.DataFrame:
    """A canonical gradebook of n_students x n_standards x n_days rows (10,000 by default); students alternate
    between the sections, each section has its own course and teacher."""
    start = pd.Timestamp(f"{year[:4]}-09-01")
    rows = []
    for s in range(n_students):
        section = sections[s % len(sections)]
        for k in range(n_standards):
            for d in range(n_days):
                rows.append(
                    {
                        "student_id": f"{s:04d}",
                        "school_year": year,
                        "term": "T1" if d < 3 else "T2",
                        "assessed_on": (start + pd.Timedelta(days=7 * d)).date().isoformat(),
                        "school_id": "S1",
                        "course_id": f"MATH-{section}",
                        "section_id": section,
                        "teacher_id": f"T-{section}",
                        "standard_code": f"M.X.{k:02d}",
                        "mark": str(1 + (s + k + d) % 4),
                        "assessment_type": "formative",
                        "assessment_name": f"Check {d + 1}",
                    }
                )
    return pd.DataFrame(rows)


def write(frame: pd.DataFrame, path: Path, line_ending: str = "\n") -> Path:
    path.write_bytes(frame.to_csv(index=False, lineterminator=line_ending).encode())
    return path


def n_scores(con, where: str = "true") -> int:
    return con.execute(f"select count(*) from scores where {where}").fetchall()[0][0]


def marks_of(con, student: str, standard: str, day: str) -> list[str]:
    return [
        m
        for (m,) in con.execute(
            "select mark from scores where student_id = $s and standard_code = $c and assessed_on = $d order by mark",
            {"s": student, "c": standard, "d": day},
        ).fetchall()
    ]


def loads_row(con, load_id: int) -> dict:
    frame = con.execute("select * from loads where load_id = $id", {"id": load_id}).df()
    return frame.iloc[0].to_dict()


@pytest.fixture
def first_export(tmp_path):
    frame = gradebook_frame()
    return frame, write(frame, tmp_path / "gradebook_week1.csv")


# ---------------------------------------------------------------- gradebooks


def test_a_corrected_re_export_replaces_the_old_evidence_instead_of_doubling_it(con, first_export, tmp_path):
    frame, path = first_export
    assert load(con, "gradebook", path).rows_loaded == 10_000
    corrected = frame.copy()
    row = corrected.index[
        (corrected["student_id"] == "0007")
        & (corrected["standard_code"] == "M.X.03")
        & (corrected["assessed_on"] == "2025-09-01")
    ][0]
    old_mark = corrected.loc[row, "mark"]
    corrected.loc[row, "mark"] = "1" if old_mark != "1" else "4"
    report = load(con, "gradebook", write(corrected, tmp_path / "gradebook_week1_corrected.csv"))

    assert report.status == "loaded"
    assert n_scores(con) == 10_000  # today: 20,000, every piece of evidence counted twice
    assert marks_of(con, "0007", "M.X.03", "2025-09-01") == [corrected.loc[row, "mark"]]
    day_score = con.execute(
        "select piece.day_score from (select unnest(pieces) as piece from mart_standard_scores "
        "where student_id = '0007' and standard_code = 'M.X.03') where piece.assessed_on = date '2025-09-01'"
    ).fetchall()
    assert day_score == [(float(corrected.loc[row, "mark"]),)]  # not the mean of the stale and the corrected mark
    replaced = report.replacement
    assert (replaced.n_replaced, replaced.n_added, replaced.n_changed, replaced.n_removed) == (10_000, 0, 1, 0)
    assert (
        "replaced 10,000 pieces of evidence for 2025-26, sections 3A, 3B: 0 added, 1 changed, 0 removed"
        in "\n".join(report.lines())
    )
    recorded = loads_row(con, report.load_id)
    assert (recorded["rows_replaced"], recorded["rows_added"], recorded["rows_changed"], recorded["rows_removed"]) == (
        10_000,
        0,
        1,
        0,
    )
    assert recorded["replace_scope"] == "2025-26, sections 3A, 3B"


def test_a_re_export_with_new_changed_and_removed_rows_reports_each(con, first_export, tmp_path):
    frame, path = first_export
    load(con, "gradebook", path)
    later = frame.drop(index=[0, 1, 2]).copy()  # three marks removed by the teacher
    later.loc[[10, 11], "mark"] = ["E", "E"]  # two changed (a code, kept with its mark)
    extra = frame.iloc[[0, 5, 10, 15, 20]].assign(assessed_on="2025-10-27", assessment_name="Check 9")  # five new
    report = load(
        con,
        "gradebook",
        write(pd.concat([later, extra]), tmp_path / "week2.csv"),
        mapping={"scale": {"type": "numeric", "min": 1, "max": 4, "codes": {"E": "excused"}}},
    )
    replaced = report.replacement
    assert (replaced.n_replaced, replaced.n_added, replaced.n_changed, replaced.n_removed) == (10_000, 5, 2, 3)
    assert n_scores(con) == 10_000 - 3 + 5
    assert n_scores(con, "mark = 'E' and score is null") == 2


def test_the_same_rows_with_other_line_endings_replace_rather_than_double(con, first_export, tmp_path):
    frame, path = first_export
    load(con, "gradebook", path)
    report = load(con, "gradebook", write(frame, tmp_path / "gradebook_week1_windows.csv", line_ending="\r\n"))
    assert report.status == "loaded"  # other bytes: not "already loaded"
    assert n_scores(con) == 10_000
    replaced = report.replacement
    assert (replaced.n_replaced, replaced.n_added, replaced.n_changed, replaced.n_removed) == (10_000, 0, 0, 0)


def test_identical_bytes_still_change_nothing(con, first_export):
    _, path = first_export
    first = load(con, "gradebook", path)
    again = load(con, "gradebook", path)
    assert (again.status, again.load_id) == ("already loaded", first.load_id)
    assert n_scores(con) == 10_000


def test_append_adds_the_rows_to_those_already_loaded(con, first_export, tmp_path):
    frame, path = first_export
    load(con, "gradebook", path)
    report = load(con, "gradebook", write(frame, tmp_path / "same_rows.csv", "\r\n"), append=True)
    assert n_scores(con) == 20_000
    assert report.replacement.scope == "append" and report.replacement.n_replaced == 0
    assert "appended: nothing replaced" in "\n".join(report.lines())


def test_a_file_of_one_section_replaces_that_section_only(con, first_export, tmp_path):
    frame, path = first_export
    load(con, "gradebook", path)
    section_a = frame[frame["section_id"] == "3A"].head(100)
    report = load(con, "gradebook", write(section_a, tmp_path / "section_3a.csv"))
    assert n_scores(con, "section_id = '3A'") == 100
    assert n_scores(con, "section_id = '3B'") == 5_000
    assert report.replacement.scope == "2025-26, section 3A"
    assert (report.replacement.n_replaced, report.replacement.n_removed) == (5_000, 4_900)


def test_replace_year_replaces_every_section_of_the_year(con, first_export, tmp_path):
    frame, path = first_export
    load(con, "gradebook", path)
    other_year = write(gradebook_frame(n_students=4, n_standards=2, n_days=1, year="2024-25"), tmp_path / "y.csv")
    load(con, "gradebook", other_year)
    section_a = frame[frame["section_id"] == "3A"].head(100)
    report = load(con, "gradebook", write(section_a, tmp_path / "section_3a.csv"), replace="year")
    assert n_scores(con, "school_year = '2025-26'") == 100
    assert n_scores(con, "school_year = '2024-25'") == 8  # another year is not in the scope
    assert report.replacement.scope == "2025-26"


@pytest.mark.parametrize(
    "kept, expected_scope",
    [
        (("course_id", "teacher_id"), "2025-26, course MATH-3A"),
        (("teacher_id",), "2025-26, teacher T-3A"),
        ((), "2025-26"),
    ],
    ids=["courses-when-no-sections", "teachers-when-no-courses", "the-year-when-nothing-names-a-class"],
)
def test_without_sections_the_scope_is_the_courses_or_teachers_of_the_file(con, tmp_path, kept, expected_scope):
    dropped = [c for c in ("section_id", "course_id", "teacher_id") if c not in kept]
    frame = gradebook_frame(n_students=10, n_standards=2, n_days=2).drop(columns=dropped)
    load(con, "gradebook", write(frame, tmp_path / "all.csv"))
    first_class = frame[frame["student_id"] == "0000"]  # 4 rows of a student of section 3A
    report = load(con, "gradebook", write(first_class, tmp_path / "one_class.csv"))
    assert report.replacement.scope == expected_scope
    remaining = 4 + (0 if expected_scope == "2025-26" else 20)  # the other class's 20 rows stay
    assert n_scores(con) == remaining


def test_the_mapping_file_can_say_append_or_replace_year(con, first_export, tmp_path):
    frame, path = first_export
    load(con, "gradebook", path)
    section_a = write(frame[frame["section_id"] == "3A"].head(10), tmp_path / "a.csv")
    load(con, "gradebook", section_a, mapping={"append": True})
    assert n_scores(con) == 10_010
    load(con, "gradebook", write(frame.head(3), tmp_path / "b.csv"), mapping={"replace": "year"})
    assert n_scores(con) == 3


def test_the_command_line_wins_over_the_mapping(con, first_export, tmp_path):
    frame, path = first_export
    load(con, "gradebook", path)
    load(con, "gradebook", write(frame.head(10), tmp_path / "a.csv"), mapping={"replace": "year"}, append=True)
    assert n_scores(con) == 10_010


def test_an_unknown_replace_scope_is_refused_with_the_choices(con, first_export):
    _, path = first_export
    with pytest.raises(LoadRefused, match="replace 'school'.*year, section, course, teacher"):
        load(con, "gradebook", path, replace="school")


def test_reloading_an_export_after_it_was_replaced_restores_it(con, first_export, tmp_path):
    frame, path = first_export
    first = load(con, "gradebook", path)
    load(con, "gradebook", write(frame.head(10), tmp_path / "partial.csv"), replace="year")
    assert con.execute("select status from loads where load_id = $id", {"id": first.load_id}).fetchall() == [
        ("replaced",)
    ]
    again = load(con, "gradebook", path)
    assert again.status == "loaded"  # its evidence is no longer in the warehouse: not "already loaded"
    assert n_scores(con) == 10_000


def test_cli_replace_and_append(tmp_path, first_export):
    frame, path = first_export
    db = tmp_path / "cli.duckdb"

    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "etl", "load", "gradebook", *args, "--db", str(db)],
            capture_output=True,
            text=True,
            cwd=REPO,
            timeout=300,
        )

    assert run(str(path)).returncode == 0
    out = run(str(write(frame.head(10), tmp_path / "part.csv")), "--replace", "year")
    assert out.returncode == 0, out.stderr
    assert "replaced 10,000 pieces of evidence for 2025-26: 0 added, 0 changed, 9,990 removed" in out.stdout
    both = run(str(path), "--replace", "year", "--append")
    assert both.returncode == 2 and "not allowed with" in both.stderr


# ---------------------------------------------------------------- rosters


ROSTER_COLUMNS = [
    "school_year",
    "student_id",
    "school_id",
    "grade_level",
    "gender",
    "race_ethnicity",
    "is_ell",
    "is_iep",
    "is_504",
    "is_econ_disadv",
]


def roster_frame() -> pd.DataFrame:
    rows = [
        (YEAR, f"{i:04d}", "S1" if i < 6 else "S2", 3, "Female", "White", False, False, False, False) for i in range(10)
    ]
    rows.append(("2024-25", "0001", "S1", 2, "Female", "White", False, False, False, False))
    return pd.DataFrame(rows, columns=ROSTER_COLUMNS)


def test_a_roster_of_a_year_replaces_that_years_enrollments_of_the_schools_it_lists(con, tmp_path):
    load(con, "roster", write(roster_frame(), tmp_path / "roster.csv"))
    s1 = roster_frame().query("school_year == @YEAR and school_id == 'S1'").copy()
    s1 = s1[s1["student_id"] != "0005"]  # left the school
    s1.loc[s1["student_id"] == "0001", ["is_ell", "race_ethnicity"]] = [True, "Asian"]
    s1.loc[s1["student_id"] == "0002", ["is_iep", "is_econ_disadv"]] = [True, True]
    s1.loc[s1["student_id"] == "0003", "is_504"] = True
    new_student = s1.head(1).assign(student_id="0100")
    report = load(con, "roster", write(pd.concat([s1, new_student]), tmp_path / "roster_s1.csv"))

    enrolled = con.execute(
        "select school_year, school_id, count(*) from enrollments group by all order by all"
    ).fetchall()
    assert enrolled == [("2024-25", "S1", 1), (YEAR, "S1", 6), (YEAR, "S2", 4)]  # S2 and 2024-25 untouched
    replaced = report.replacement
    assert (replaced.n_replaced, replaced.n_added, replaced.n_changed, replaced.n_removed) == (6, 1, 3, 1)
    assert replaced.demographics == {
        "race_ethnicity": 1,
        "is_ell": 1,
        "is_iep": 1,
        "is_504": 1,
        "is_econ_disadv": 1,
        "gender": 0,
    }
    text = "\n".join(report.lines())
    assert "replaced 6 enrollments for 2025-26, school S1: 1 added, 3 changed, 1 removed" in text
    assert "demographics changed: race/ethnicity 1 student, ELL 1, IEP 1, 504 1, economic status 1" in text
    changes = con.execute(
        "select school_year, demographic, n_students from load_demographic_changes "
        "where load_id = $id and n_students > 0 order by demographic",
        {"id": report.load_id},
    ).fetchall()
    assert changes == [(YEAR, d, 1) for d in ("is_504", "is_econ_disadv", "is_ell", "is_iep", "race_ethnicity")]


# ---------------------------------------------------------------- surveys


def survey_csv(path: Path, respondents: dict[str, list[str]]) -> Path:
    lines = ["survey_id,wave,response_id,school_id,role,item_id,construct,value"]
    for wave, ids in respondents.items():
        lines += [
            f"climate,{wave},{rid},S1,teacher,{item},trust,{1 + i % 4}"
            for i, rid in enumerate(ids)
            for item in ("A", "B")
        ]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_a_re_export_of_a_survey_wave_replaces_the_wave(con, tmp_path):
    load(con, "survey", survey_csv(tmp_path / "s.csv", {"fall": ["r1", "r2", "r3"], "spring": ["p1", "p2"]}))
    report = load(con, "survey", survey_csv(tmp_path / "fall_again.csv", {"fall": ["r1", "r3", "r4"]}))
    answers = con.execute(
        "select wave, list(distinct response_id order by response_id) from survey_responses group by wave order by wave"
    ).fetchall()
    assert answers == [("fall", ["r1", "r3", "r4"]), ("spring", ["p1", "p2"])]  # r2 gone, spring untouched
    replaced = report.replacement
    assert (replaced.n_replaced, replaced.n_added, replaced.n_removed) == (6, 2, 2)
    assert "replaced 6 answers for survey climate wave fall" in "\n".join(report.lines())


def test_the_data_loads_page_shows_what_a_roster_changed(db_path, tmp_path, monkeypatch):
    import yaml
    from streamlit.testing.v1 import AppTest

    import warehouse
    from warehouse.config import CONFIG_PATH

    con = warehouse.connect(db_path)
    load(con, "roster", write(roster_frame(), tmp_path / "roster.csv"))
    changed = roster_frame()
    changed.loc[changed["student_id"].isin(["0001", "0002"]), "is_ell"] = True
    load(con, "roster", write(changed, tmp_path / "roster_again.csv"))
    con.close()
    config = yaml.safe_load(CONFIG_PATH.read_text()) or {}
    config["auth"] = {"mode": "local"}
    (tmp_path / "district.yaml").write_text(yaml.safe_dump(config))
    monkeypatch.setenv("DASHBOARD_CONFIG", str(tmp_path / "district.yaml"))
    monkeypatch.setenv("DASHBOARD_DB", str(db_path))
    monkeypatch.delenv("DASHBOARD_AUTH", raising=False)
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60).run()
    at.switch_page("app_pages/data_loads.py").run()
    assert not at.exception
    assert "Students whose demographics changed, by roster load" in [h.value for h in at.subheader]
    # the page opens with the data freshness table (latest load of each kind); the full history follows
    history = next(d.value for d in at.dataframe if "rows_replaced" in d.value.columns)
    changes = next(d.value for d in at.dataframe if "ell" in d.value.columns)
    assert history.loc[history["load_id"] == 2, ["rows_replaced", "rows_changed"]].values.tolist() == [
        [11, 3]
    ]  # 0001 in both years
    row = changes[changes["school_year"] == YEAR].iloc[0]
    assert (row["load_id"], row["ell"], row["iep"]) == (2, 2, 0)
