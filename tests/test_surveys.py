"""Staff surveys: the vendor readers on fixtures with their export quirks (and the real Google Forms
export), scale recognition, the item map, known answers of percent favorable with reverse coding and
N/A, the survey privacy rules (under 5 suppressed with the next-smallest sibling; comments for 10+),
invited counts and implementation ratings, and the Culture & Voice page.
"""

from __future__ import annotations

import textwrap
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from etl.__main__ import main as etl_main
from etl.errors import LoadRefused
from etl.surveys import scales
from etl.surveys.detect import EXCEL_EPOCH, detect_format, parse_timestamp, school_year_of
from etl.surveys.item_map import load_item_map, read_item_map_file
from queries.privacy import apply_gate
from queries.runner import Scope, load_query, run_query, run_raw
from tests.conftest import load

REPO = Path(__file__).resolve().parents[1]
GOOGLE_FORMS_REAL = "survey/google_forms_export_rcommunity_2019.csv"


def answers(con, survey_id: str) -> pd.DataFrame:
    return con.execute(
        "select * from survey_responses where survey_id = $s order by response_id, item_id", {"s": survey_id}
    ).df()


def items(con, survey_id: str) -> pd.DataFrame:
    return con.execute("select * from survey_items where survey_id = $s", {"s": survey_id}).df().set_index("item_id")


def add_schools(con) -> None:
    con.execute(
        "insert into schools values ('102', 'Riverside Elementary', 'elementary'), "
        "('202', 'Eastview Middle School', 'middle'), ('S1', 'School One', 'elementary'), "
        "('S2', 'School Two', 'middle')"
    )


# ================================================================ scales


@pytest.mark.parametrize(
    "family, labels",
    [
        ("agreement", ["Strongly disagree", "Disagree", "Agree", "Strongly agree"]),
        ("agreement", ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]),
        (
            "agreement",
            [
                "Strongly disagree",
                "Disagree",
                "Somewhat disagree",
                "Neither agree nor disagree",
                "Somewhat agree",
                "Agree",
                "Strongly agree",
            ],
        ),
        ("frequency", ["Never", "Sometimes", "Often", "Always"]),
        ("frequency", ["Never", "Rarely", "Sometimes", "Often", "Always"]),
        ("frequency", ["Never", "Rarely", "Occasionally", "Sometimes", "Frequently", "Usually", "Always"]),
        ("favorability", ["Very unfavorably", "Somewhat unfavorably", "Somewhat favorably", "Very favorably"]),
        (
            "favorability",
            [
                "Very unfavorably",
                "Somewhat unfavorably",
                "Neither favorably nor unfavorably",
                "Somewhat favorably",
                "Very favorably",
            ],
        ),
        (
            "favorability",
            [
                "Very unfavorably",
                "Unfavorably",
                "Somewhat unfavorably",
                "Neither favorably nor unfavorably",
                "Somewhat favorably",
                "Favorably",
                "Very favorably",
            ],
        ),
        ("quality", ["Poor", "Fair", "Good", "Excellent"]),
        ("quality", ["Poor", "Fair", "Good", "Very good", "Excellent"]),
        ("quality", ["Very poor", "Poor", "Fair", "Average", "Good", "Very good", "Excellent"]),
    ],
)
def test_label_scales_are_recognised_without_configuration(family, labels):
    # answers in any order and case, with curly quotes, numbering and N/A mixed in
    shuffled = [label.upper() if i % 3 == 0 else label for i, label in enumerate(reversed(labels))] + ["N/A"]
    reading = scales.classify(shuffled * 3)
    assert (reading.kind, reading.scale.family, reading.points) == ("label", family, len(labels))
    assert [reading.read(label) for label in labels] == [("value", v) for v in range(1, len(labels) + 1)]
    assert reading.read("N/A") == ("not_answered", None)


@pytest.mark.parametrize(
    "answer",
    [
        "N/A",
        "n/a",
        "NA",
        "Not applicable",
        "Don't know",
        "Don\u2019t know",
        "I don't know",
        "Unfamiliar",
        "Not sure",
        "I don't know what tidyverse is",
        "Prefer not to answer",
    ],
)
def test_not_answered(answer):
    assert scales.is_not_answered(answer)


@pytest.mark.parametrize("answer", ["No", "Never", "Disagree", "Nothing", "None"])
def test_answers_that_are_answers(answer):
    assert not scales.is_not_answered(answer)


def test_numbered_labels_and_numeric_scales():
    reading = scales.classify(["5 - Strongly agree", "4 - Agree", "2 - Disagree", "1 - Strongly disagree"])
    assert reading.scale.name == "agreement 4-point" and reading.read("4 - Agree") == ("value", 3)
    numeric = scales.classify(["3", "4", "3"], header="On a scale of 1 to 5, how difficult was it?")
    assert (numeric.kind, numeric.points) == ("numeric", 5)
    assert numeric.read("5") == ("value", 5) and numeric.read("6") == ("off_scale", None)
    assert scales.classify(["1", "4", "7", "2"]).points == 7
    assert not scales.classify(["0", "3", "10"]).is_scored  # 0-10 is not a 1..k scale
    assert not scales.classify(["2015", "2017", "2019"]).is_scored  # years


def test_multi_select_free_text_and_choice_are_comments():
    multi = scales.classify(
        ["Coaching, PLC protocols", "Coaching", "PLC protocols, Peer observation", "Coaching"],
        header="Which supports have you used? (check all that apply)",
    )
    assert multi.kind == "multi_select" and multi.read("Coaching, PLC protocols") == ("comment", None)
    assert scales.classify(["Yes", "No", "Yes", "No", "Yes"]).kind == "choice"
    assert scales.classify(["More time.", "Clearer guidance, please", "Fewer initiatives"]).kind == "text"


def test_a_file_uses_one_scale_per_family():
    """Nobody chose the neutral point of one item: it is read on the 5-point scale the file uses."""
    four = scales.classify(["Strongly disagree", "Disagree", "Agree", "Strongly agree"])
    five = scales.classify(["Strongly disagree", "Neither agree nor disagree", "Agree"])
    assert four.points == 4
    harmonized = scales.harmonize({"a": four, "b": five})
    assert harmonized["a"].scale.name == harmonized["b"].scale.name == "agreement 5-point"
    assert harmonized["a"].read("Agree") == ("value", 4)


def test_timestamps_and_school_years():
    assert parse_timestamp("12/14/2019 12:29:47") == datetime(2019, 12, 14, 12, 29, 47)
    assert parse_timestamp("11/03/2025 08:06:10 AM") == datetime(2025, 11, 3, 8, 6, 10)
    assert parse_timestamp("2025-03-04 09:06:01") == datetime(2025, 3, 4, 9, 6, 1)
    assert parse_timestamp("45915.334166666667") == datetime(2025, 9, 15, 8, 1, 12)  # Excel serial date
    assert school_year_of(datetime(2019, 12, 14)) == "2019-20" and school_year_of(datetime(2020, 1, 9)) == "2019-20"
    assert school_year_of(datetime(2025, 8, 1)) == school_year_of(datetime(2025, 7, 1)) == "2025-26"


# ================================================================ detection and readers


@pytest.mark.parametrize(
    "name, expected",
    [
        ("survey_google_forms.csv", "google_forms"),
        ("survey_surveymonkey.csv", "surveymonkey"),
        ("survey_qualtrics.csv", "qualtrics"),
        ("survey_qualtrics_legacy.csv", "qualtrics"),
        ("survey_invited.csv", "invited"),
    ],
)
def test_formats_are_detected(fixtures_dir, name, expected):
    assert detect_format(fixtures_dir / name) == expected


def test_generic_long_is_detected(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("survey_id,wave,response_id,item_id,value\ns,2025-26,r1,A,4\n")
    assert detect_format(path) == "long"


def test_google_forms_csv(con, fixtures_dir):
    add_schools(con)
    report = load(con, "survey", fixtures_dir / "survey_google_forms.csv")
    assert report.status == "loaded" and report.file_format == "Google Forms" and report.rows_rejected == 0
    notes = "\n".join(report.notes)
    assert "format google_forms (detected" in notes
    assert "7 respondents of 8 rows, 7 items: 5 scored" in notes  # a row with only a timestamp is no respondent
    assert "agreement 5-point (2 items)" in notes and "quality 5-point (2 items)" in notes
    assert "frequency 5-point (1 item)" in notes
    assert "not stored (they identify people): Email Address" in notes
    assert "wave '2025-26'" in notes and "roles from column 'What is your role?': teacher 5, leader 2" in notes
    assert "5 item(s) not in the item map" in notes
    rows = answers(con, "survey-google-forms")
    assert not rows["comment"].fillna("").str.contains("@district.org").any()
    assert rows["response_id"].nunique() == 7
    assert {"2025-09-16T14:30:00", "2025-09-16T14:30:00#2"} <= set(rows["response_id"])  # same second, two people
    assert set(rows["school_id"]) == {"102", "202"}  # school names matched to the warehouse
    found = items(con, "survey-google-forms")
    assert found.loc["TR1", "construct"] == "trust" and not found.loc["TR1", "is_reverse_coded"]
    assert found.loc["TR3", "construct"] == "trust" and found.loc["TR3", "is_reverse_coded"]
    # a grid question: one item per row, sharing the scale
    grid = found[found["item_text"].str.startswith("Rate each of the following as it is now - ")]
    assert sorted(grid["item_text"].str.split(" - ").str[1]) == ["Grading practices", "Reassessment policy"]
    assert set(grid["scale_points"]) == {5}
    first = rows[rows["response_id"] == "2025-09-15T08:01:12"].set_index("item_id")
    assert first.loc["TR1", "value"] == 5 and first.loc["TR3", "value"] == 2
    multi = found.index[found["item_text"].str.startswith("Which supports")][0]
    text = found.index[found["item_text"].str.startswith("In your own words")][0]
    assert pd.isna(found.loc[multi, "scale_points"]) and pd.isna(found.loc[text, "scale_points"])
    assert first.loc[multi, "comment"] == "Coaching, PLC protocols" and pd.isna(first.loc[multi, "value"])
    assert first.loc[text, "comment"] == "More time\nwith my team, please"  # a line break inside the cell
    # N/A and Don't know: the item was seen, but has no value
    na = rows[(rows["item_id"] == "TR3") & (rows["response_id"] == "2025-09-16T14:30:00")]
    assert len(na) == 1 and pd.isna(na["value"].iloc[0]) and pd.isna(na["comment"].iloc[0])
    assert load(con, "survey", fixtures_dir / "survey_google_forms.csv").status == "already loaded"


def test_google_forms_xlsx_with_excel_serial_dates(con, fixtures_dir, tmp_path):
    from openpyxl import Workbook

    frame = pd.read_csv(fixtures_dir / "survey_google_forms.csv", dtype=str, keep_default_na=False)
    book = Workbook()
    sheet = book.active
    sheet.title = "Form Responses 1"
    sheet.append(list(frame.columns))
    for i, row in enumerate(frame.itertuples(index=False)):
        moment = parse_timestamp(row[0])
        serial = (moment - EXCEL_EPOCH).total_seconds() / 86400
        sheet.append([moment if i == 0 else serial, *row[1:]])  # one real date cell, the rest serial numbers
    path = tmp_path / "responses.xlsx"
    book.save(path)
    report = load(con, "survey", path)
    assert report.file_format == "Google Forms XLSX"
    notes = "\n".join(report.notes)
    assert "7 timestamp(s) were Excel serial dates; converted" in notes and "wave '2025-26'" in notes
    rows = answers(con, "responses")
    assert rows["response_id"].nunique() == 7 and "2025-10-01T16:20:55" in set(rows["response_id"])
    assert rows["item_id"].isin(["TR1", "TR3"]).any()


def test_surveymonkey_windows_1252_two_header_rows(con, fixtures_dir):
    raw = (fixtures_dir / "survey_surveymonkey.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    mapping = read_item_map_file(fixtures_dir / "survey_item_map.csv")
    report = load(con, "survey", fixtures_dir / "survey_surveymonkey.csv", mapping=mapping)
    notes = "\n".join(report.notes)
    assert report.file_format == "SurveyMonkey" and "Windows-1252" in notes
    assert "4 respondents of 4 rows, 5 items: 3 scored" in notes and "agreement 5-point (3 items)" in notes
    found = items(con, "survey-surveymonkey")
    # the matrix: one item per sub-item, matched by sub-item text or by "question - sub-item"
    assert {"TR1", "TR3", "PLC1"} <= set(found.index)
    assert found.loc["PLC1", "construct"] == "collaborative_learning"
    assert found.loc["TR3", "is_reverse_coded"]
    rows = answers(con, "survey-surveymonkey")
    assert set(rows["response_id"]) == {"11400000001", "11400000002", "11400000003", "11400000004"}
    by = rows.set_index(["response_id", "item_id"])
    assert by.loc[("11400000001", "TR1"), "value"] == 5  # "Strongly Agree"
    # the multiple-answer question's option columns are one answer again, with "Other (please specify)"
    assert by.loc[("11400000002", "SUPPORTS"), "comment"] == "Peer observation, Visits to other schools"
    assert pd.isna(found.loc["SUPPORTS", "scale_points"])
    comments = set(rows["comment"].dropna())
    assert "The caf\u00e9 meeting was great \u2013 thanks" in comments
    assert "Na\u00efve question: when is the next PLC day?" in comments
    assert set(rows["school_id"]) == {"101", "102"}  # Custom Data 1, named as the school column by the item map
    assert rows.set_index("response_id").loc["11400000003", "role"].iloc[0] == "leader"  # Principal


def test_qualtrics_three_header_rows(con, fixtures_dir):
    report = load(con, "survey", fixtures_dir / "survey_qualtrics.csv")
    notes = "\n".join(report.notes)
    assert report.file_format == "Qualtrics" and "left out 1 preview or spam response(s)" in notes
    assert "favorability 4-point (1 item)" in notes and "numeric 1-5 (1 item)" in notes
    assert "agreement 5-point (3 items)" in notes
    found = items(con, "survey-qualtrics")
    assert {"TR1", "EV2", "CL3", "Q2", "Q3", "Q4_TEXT"} == set(found.index)  # unmapped items keep their Qualtrics id
    assert found.loc["CL3", "is_reverse_coded"] and found.loc["Q2", "scale_points"] == 4
    rows = answers(con, "survey-qualtrics")
    assert "R_preview01" not in set(rows["response_id"])
    assert rows["wave"].unique().tolist() == ["2024-25"]
    by = rows.set_index(["response_id", "item_id"])
    assert by.loc[("R_1a2b3c4d5e6f7g8", "Q2"), "value"] == 3  # Somewhat favorably
    assert by.loc[("R_4d5e6f7g8h9i0j1", "Q4_TEXT"), "comment"] == "Peer visits"
    assert by.loc[("R_4d5e6f7g8h9i0j1", "TR1"), "role"] == "leader"  # embedded data Role = Principal
    assert by.loc[("R_5e6f7g8h9i0j1k2", "TR1"), "value"] == 2  # an unfinished response keeps what it answered


def test_qualtrics_legacy_two_rows_and_role_from_the_command_line(db_path, fixtures_dir, capsys):
    code = etl_main(
        ["load", "survey", str(fixtures_dir / "survey_qualtrics_legacy.csv"), "--db", str(db_path), "--role", "Teacher"]
    )
    out = capsys.readouterr().out
    assert code == 0 and "Qualtrics (legacy two-row)" in out and "left out 1 preview" in out
    import duckdb

    con = duckdb.connect(str(db_path), read_only=True)
    rows = answers(con, "survey-qualtrics-legacy")
    assert set(rows["role"]) == {"teacher"} and set(rows["school_id"]) == {"201", "202"}
    assert len(rows) == 12 and "R_0preview" not in set(rows["response_id"])
    found = items(con, "survey-qualtrics-legacy")
    assert found.loc["TR1", "scale_points"] == 5 and found.loc["Q2", "scale_points"] == 5  # numeric 1-5; satisfaction
    con.close()


def test_cli_takes_a_csv_item_map(db_path, fixtures_dir, capsys):
    code = etl_main(
        [
            "load",
            "survey",
            str(fixtures_dir / "survey_surveymonkey.csv"),
            "--db",
            str(db_path),
            "--mapping",
            str(fixtures_dir / "survey_item_map.csv"),
            "--school-year",
            "2025-26",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0 and "schools from column 'Custom Data 1'" in out and "wave '2025-26' (from --school-year)" in out


def test_format_option_overrides_detection(con, fixtures_dir):
    report = load(con, "survey", fixtures_dir / "survey_google_forms.csv", file_format="google_forms")
    assert "format google_forms (given with --format" in report.notes[0]
    with pytest.raises(LoadRefused, match="not a Qualtrics export"):
        load(con, "survey", fixtures_dir / "survey_surveymonkey.csv", file_format="qualtrics")
    with pytest.raises(LoadRefused, match="missing required column"):
        load(con, "survey", fixtures_dir / "survey_qualtrics.csv", file_format="long")
    assert con.execute("select count(*) from loads").fetchone()[0] == 1  # refused loads leave nothing


def test_answers_off_the_scale_are_rejected_not_guessed(con, tmp_path):
    lines = ["Timestamp,Teachers in this school trust each other."]
    labels = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
    lines += [f"9/{1 + i // 10}/2025 8:{i % 60:02d}:00,{labels[i % 5]}" for i in range(25)]
    lines.append("9/20/2025 9:00:00,Kind of agree")
    path = tmp_path / "form.csv"
    path.write_text("\n".join(lines) + "\n")
    report = load(con, "survey", path)
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (26, 25, 1)
    line, value, reason = con.execute("select line_number, value, reason from rejects").fetchone()
    assert (line, value) == (27, "Kind of agree") and "not on the item's scale (agreement 5-point)" in reason


def test_a_wide_export_without_timestamps_needs_a_wave(con, tmp_path):
    path = tmp_path / "form.csv"
    path.write_text("Timestamp,Teachers in this school trust each other.\n,Agree\n,Disagree\n")
    with pytest.raises(LoadRefused, match="--school-year"):
        load(con, "survey", path)
    assert load(con, "survey", path, school_year="2025-26", role="leader", school_id="S1").rows_loaded == 2
    assert set(answers(con, "form")["role"]) == {"leader"}


def test_yaml_item_map_names_survey_wave_roles_and_schools(con, fixtures_dir, tmp_path):
    mapping = tmp_path / "map.yaml"
    mapping.write_text(
        textwrap.dedent("""\
        survey_id: staff-culture
        wave: 2025-fall
        roles: {Instructional coach: teacher}
        schools: {Riverside Elementary: R-102}
        items:
          - {match: "In a typical month, how often does your team look at student work together", item_id: CL4,
             construct: collaborative_learning, is_reverse_coded: false}
          - {match: "Teachers in this school trust each other.", item_id: T1, construct: trust}
        """)
    )
    report = load(con, "survey", fixtures_dir / "survey_google_forms.csv", mapping=read_item_map_file(mapping))
    assert "wave '2025-fall' (from the mapping)" in "\n".join(report.notes)
    found = items(con, "staff-culture")
    assert found.loc["CL4", "construct"] == "collaborative_learning"
    assert "T1" in found.index and "TR1" not in found.index  # the given map wins over the default
    assert "TR3" in found.index  # ... and the default still names the items it knows
    rows = answers(con, "staff-culture")
    assert set(rows["school_id"]) == {"R-102", "Eastview Middle School"}  # no schools in this warehouse
    assert rows.loc[rows["response_id"] == "2025-09-16T14:30:00#2", "role"].iloc[0] == "teacher"
    assert load_item_map({}).lookup("teachers in this school TRUST each other").item_id == "TR1"


def test_generic_long_still_loads_and_takes_constructs_from_the_item_map(con, tmp_path):
    path = tmp_path / "long.csv"
    path.write_text(
        "survey_id,wave,response_id,school_id,item_id,item_text,value\n"
        "s,2025-26,r1,S1,TR3,Staff here are reluctant to admit mistakes to colleagues.,2\n"
        "s,2025-26,r1,S1,X9,Something else,N/A\n"
    )
    report = load(con, "survey", path, role="Teacher")
    assert report.file_format == "generic long" and report.rows_loaded == 2
    found = items(con, "s")
    assert found.loc["TR3", "construct"] == "trust" and found.loc["TR3", "is_reverse_coded"]
    assert pd.isna(found.loc["X9", "construct"])
    assert set(answers(con, "s")["role"]) == {"teacher"}


def test_real_google_forms_export(con, realdata):
    report = load(con, "survey", realdata / GOOGLE_FORMS_REAL)
    notes = "\n".join(report.notes)
    assert report.file_format == "Google Forms" and report.rows_read == 1838 and report.rows_rejected == 0
    assert "1807 respondents of 1838 rows, 51 items: 7 scored" in notes  # 31 rows hold only a timestamp
    assert "numeric 1-5 (4 items)" in notes and "numeric 1-10 (2 items)" in notes
    assert "frequency 4-point (1 item)" in notes  # Never / Rarely / Occasionally / Usually
    assert "wave '2019-20'" in notes
    survey_id = "google-forms-export-rcommunity-2019"
    found = items(con, survey_id)
    assert len(found) == 51 and found["scale_points"].notna().sum() == 7
    rows = answers(con, survey_id)
    assert rows["response_id"].nunique() == 1807
    comments = rows["comment"].dropna()
    assert comments.str.contains(", ").any() and comments.str.contains("\n").any()
    tidyverse = found.index[found["item_text"] == "Do you use tidyverse packages when you use R now?"][0]
    used = rows[rows["item_id"] == tidyverse]
    assert used["value"].isna().sum() == 23  # "I don't know what tidyverse is": not answered
    assert set(used["value"].dropna()) == {1, 2, 3, 4}
    frame = run_query(con, "survey_favorability", {"survey_id": survey_id, "by": "district"})
    assert len(frame) == 7 and not frame["suppressed"].any()


# ================================================================ known answers


def hand_survey(folder: Path) -> Path:
    """A small long-format survey with answers chosen so every figure can be worked out by hand.

    Items: A (trust, 5-point), B (trust, 5-point, reverse-coded), C (beliefs, 7-point), D (beliefs,
    4-point), OPEN (a comment). S1: 8 teachers, 3 leaders; S2: 10 teachers, 6 leaders (2025-26), and
    10 teachers in 2024-25 who answered A only.
    """
    item = {"A": ("trust", False, 5), "B": ("trust", True, 5), "C": ("beliefs", False, 7), "D": ("beliefs", False, 4)}
    rows = []

    def answer(wave, rid, school, role, item_id, value):
        construct, reverse, points = item[item_id]
        rows.append((wave, rid, school, role, item_id, construct, str(reverse).lower(), points, value, ""))

    s1_teachers = {
        "A": [5, 4, 4, 3, 2, 1, "N/A", "N/A"],
        "B": [1, 1, 2, 4, 5, "N/A", 3, 3],
        "C": [7, 6, 5, 4, 3, 2, 1, 6],
        "D": [4, 3, 2, 1, 1, "Don't know", 4, 4],
    }
    for i in range(8):
        for item_id, values in s1_teachers.items():
            answer("2025-26", f"s1t{i}", "S1", "teacher", item_id, values[i])
        rows.append(("2025-26", f"s1t{i}", "S1", "teacher", "OPEN", "open_response", "false", "", "", f"S1 note {i}"))
    for i, values in enumerate([(5, 1, 7, 4), (5, 2, 7, 4), (4, 2, 6, 3)]):
        for item_id, value in zip("ABCD", values):
            answer("2025-26", f"s1l{i}", "S1", "leader", item_id, value)
    for i in range(10):
        for item_id, value in zip("ABCD", (4, 2, 5, 3)):
            answer("2025-26", f"s2t{i}", "S2", "teacher", item_id, value)
        rows.append(("2025-26", f"s2t{i}", "S2", "teacher", "OPEN", "open_response", "false", "", "", f"S2 note {i}"))
        answer("2024-25", f"s2t-prior{i}", "S2", "teacher", "A", 2)
    for i in range(6):
        for item_id, value in zip("ABCD", (2, 4, 3, 2)):
            answer("2025-26", f"s2l{i}", "S2", "leader", item_id, value)
        rows.append(
            ("2025-26", f"s2l{i}", "S2", "leader", "OPEN", "open_response", "false", "", "", f"leader note {i}")
        )
    frame = pd.DataFrame(
        rows,
        columns=[
            "wave",
            "response_id",
            "school_id",
            "role",
            "item_id",
            "construct",
            "is_reverse_coded",
            "scale_points",
            "value",
            "comment",
        ],
    )
    frame.insert(0, "survey_id", "hand-survey")
    path = folder / "hand_survey.csv"
    frame.to_csv(path, index=False)
    return path


@pytest.fixture
def hand(con, tmp_path, fixtures_dir):
    add_schools(con)
    load(con, "survey", hand_survey(tmp_path))
    load(con, "survey", fixtures_dir / "survey_invited.csv")
    return con


def row(frame: pd.DataFrame, **where) -> pd.Series:
    match = frame
    for key, value in where.items():
        match = match[match[key] == value]
    assert len(match) == 1, f"{where}: {len(match)} rows"
    return match.iloc[0]


def test_favorability_known_answers_with_reverse_coding_and_na(hand):
    frame = run_raw(hand, "survey_favorability", {"wave": "2025-26"})
    a = row(frame, school_id="S1", role="teacher", item_id="A")
    assert (a["n_respondents"], a["n_favorable"], a["pct_favorable"], a["mean_value"]) == (6, 3, 50.0, 3.17)
    b = row(frame, school_id="S1", role="teacher", item_id="B")  # flipped: 5 5 4 2 1 3 3
    assert (b["n_respondents"], b["n_favorable"], b["pct_favorable"], b["mean_value"]) == (7, 3, 42.9, 3.29)
    c = row(frame, school_id="S1", role="teacher", item_id="C")  # 7-point: the top three count
    assert (c["n_respondents"], c["n_favorable"], c["pct_favorable"], c["mean_value"]) == (8, 4, 50.0, 4.25)
    d = row(frame, school_id="S1", role="teacher", item_id="D")  # 4-point: the top two
    assert (d["n_respondents"], d["n_favorable"], d["pct_favorable"]) == (7, 4, 57.1)
    constructs = run_raw(hand, "survey_favorability", {"wave": "2025-26", "level": "construct"})
    trust = row(constructs, school_id="S1", role="teacher", construct="trust")
    assert (trust["n_items"], trust["n_respondents"], trust["pct_favorable"]) == (2, 8, 46.4)  # (50 + 42.86) / 2
    beliefs = row(constructs, school_id="S1", role="teacher", construct="beliefs")
    assert beliefs["pct_favorable"] == 53.6  # (50 + 57.14) / 2
    school = run_raw(hand, "survey_favorability", {"wave": "2025-26", "by": "school", "level": "construct"})
    s1 = row(school, school_id="S1", construct="trust")  # A 6/9, B 6/10
    assert (s1["role"], s1["n_respondents"], s1["pct_favorable"]) == ("all", 11, 63.3)


def test_construct_trend_and_change_between_waves(hand):
    trend = run_raw(hand, "survey_construct_trend", {"construct": "trust"})
    s2 = trend[trend["school_id"] == "S2"].set_index("wave")
    assert s2.loc["2024-25", "pct_favorable"] == 0.0 and s2.loc["2024-25", "n_respondents"] == 10
    assert s2.loc["2025-26", "pct_favorable"] == 62.5 and s2.loc["2025-26", "n_respondents"] == 16
    change = run_query(hand, "survey_wave_change", {"construct": "trust"})
    s2 = row(change, school_id="S2")
    assert (s2["wave"], s2["prior_wave"], s2["prior_pct"], s2["pct_favorable"], s2["change_pp"]) == (
        "2025-26",
        "2024-25",
        0.0,
        62.5,
        62.5,
    )
    assert (s2["prior_n"], s2["n_respondents"]) == (10, 16)
    assert "S1" not in set(change["school_id"])  # no earlier wave to compare with


def test_role_gap_known_answer(hand):
    gap = row(run_query(hand, "survey_role_gap", {"construct": "trust"}), school_id="all")
    # leaders (9): A 3/9, B 3/9 -> 33.3; teachers (18): A 13/16 = 81.25, B 13/17 = 76.47 -> 78.86
    assert (gap["n_leaders"], gap["leader_pct"], gap["n_teachers"], gap["teacher_pct"]) == (9, 33.3, 18, 78.9)
    assert gap["gap_pp"] == -45.5 and not gap["suppressed"]


def test_answer_distribution_known_answer(hand):
    frame = run_raw(hand, "survey_answer_distribution", {"school_id": "S1", "role": "teacher", "by": "school_role"})
    a, b = row(frame, item_id="A"), row(frame, item_id="B")
    assert list(a["answer_counts"]) == [1, 1, 1, 2, 1] and a["n_not_answered"] == 2
    assert list(b["answer_counts"]) == [1, 1, 2, 1, 2] and b["n_not_answered"] == 1  # flipped
    assert list(row(frame, item_id="C")["answer_counts"]) == [1, 1, 1, 1, 1, 2, 1]


def test_response_rates_known_answer(hand):
    frame = run_query(hand, "survey_response_rates", {"wave": "2025-26"})
    assert row(frame, school_id="S1", role="teacher")["response_rate"] == 80.0
    assert row(frame, school_id="S2", role="teacher")["response_rate"] == 83.3
    s1_leaders = row(frame, school_id="S1", role="leader")  # 3 of 4: under 5 respondents
    assert s1_leaders["suppressed"] and s1_leaders["n_respondents"] == "n<5" and s1_leaders["response_rate"] is None
    s2_leaders = row(frame, school_id="S2", role="leader")  # the invited count was rejected
    assert pd.isna(s2_leaders["n_invited"]) and pd.isna(s2_leaders["response_rate"])
    district = run_query(hand, "survey_response_rates", {"wave": "2025-26", "by": "district"})
    assert row(district, school_id="all")["n_invited"] == 26  # 10 + 4 + 12: the rejected row is not counted


# ================================================================ privacy


def test_small_roles_are_suppressed_with_their_sibling(hand):
    frame = run_query(hand, "survey_favorability", {"wave": "2025-26"})
    s1 = frame[frame["school_id"] == "S1"]
    # 3 leaders: suppressed; the teachers beside them too, or the school total would give the leaders away
    assert s1["suppressed"].all() and set(s1["n_respondents"]) == {"n<5"}
    assert s1[["pct_favorable", "mean_value", "n_favorable"]].isna().all().all()
    s2 = frame[frame["school_id"] == "S2"]
    assert not s2["suppressed"].any() and s2["pct_favorable"].notna().all()
    school = run_query(hand, "survey_favorability", {"wave": "2025-26", "by": "school"})
    assert not school["suppressed"].any()  # 11 and 16 respondents
    gaps = run_query(hand, "survey_role_gap", {"wave": "2025-26", "by": "school"})
    assert gaps["suppressed"].all() and gaps["gap_pp"].isna().all()  # S1 leaders, and S2 as the next smallest
    distribution = run_query(hand, "survey_answer_distribution", {"wave": "2025-26", "by": "school_role"})
    small = distribution[distribution["school_id"] == "S1"]
    assert small["suppressed"].all() and small["answer_counts"].isna().all()


def test_three_roles_suppress_the_small_one_and_the_next_smallest(con, tmp_path):
    lines = ["survey_id,wave,response_id,school_id,role,item_id,construct,scale_points,value"]
    for role, n in (("leader", 3), ("staff", 7), ("teacher", 20)):
        lines += [f"s,2025-26,{role}{i},S1,{role},A,trust,5,4" for i in range(n)]
    path = tmp_path / "roles.csv"
    path.write_text("\n".join(lines) + "\n")
    load(con, "survey", path)
    frame = run_query(con, "survey_favorability", {}).set_index("role")
    assert frame.loc["leader", "suppressed"] and frame.loc["staff", "suppressed"]
    assert not frame.loc["teacher", "suppressed"] and frame.loc["teacher", "pct_favorable"] == 100.0


def test_comments_only_for_groups_of_ten_or_more(hand):
    frame = run_query(hand, "survey_comments", {"wave": "2025-26", "by": "school_role"})
    s2_teachers = frame[(frame["school_id"] == "S2") & (frame["role"] == "teacher")]
    assert len(s2_teachers) == 10 and s2_teachers["comment"].notna().all()  # exactly 10: shown
    s2_leaders = frame[(frame["school_id"] == "S2") & (frame["role"] == "leader")]
    assert len(s2_leaders) == 6 and s2_leaders["comment"].isna().all() and not s2_leaders["suppressed"].any()
    s1 = frame[frame["school_id"] == "S1"]  # 8 teachers: under 10, so hidden
    assert s1["comment"].isna().all()
    by_school = run_query(hand, "survey_comments", {"wave": "2025-26", "school_id": "S1", "by": "school"})
    assert by_school["comment"].notna().all() and set(by_school["n_respondents"]) == {11}  # 8 + 3 staff at S1


def test_every_survey_query_keeps_to_the_viewers_schools(hand):
    principal = Scope("principal", ("S2",))
    for name, params in [
        ("survey_favorability", {}),
        ("survey_construct_trend", {}),
        ("survey_response_rates", {}),
        ("survey_answer_distribution", {"by": "school"}),
        ("survey_role_gap", {"by": "school"}),
        ("survey_comments", {}),
        ("survey_wave_change", {}),
    ]:
        frame = run_raw(hand, name, params, principal)
        assert set(frame["school_id"]) == {"S2"}, name
        assert run_raw(
            hand,
            name,
            {**params, "school_id": "S1"} if name != "survey_wave_change" else params,
            Scope("principal", ("S9",)),
        ).empty, name
    district = run_raw(hand, "survey_favorability", {"by": "district"}, principal)
    assert set(district["n_respondents"]) == {16, 10}  # S2's 16 in 2025-26 (and 10 in 2024-25), never S1's
    assert run_raw(hand, "survey_waves", {}, Scope("principal", ("S1",)))["wave"].tolist() == ["2025-26"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=30), min_size=1, max_size=5))
def test_survey_gate_never_shows_a_small_group_or_a_lone_suppressed_sibling(sizes):
    """Property: for any role sizes at one school, no figure of a group under 5 is shown, and no grouping
    has exactly one suppressed cell (it could be recovered from the school's total)."""
    frame = pd.DataFrame(
        {
            "survey_id": "s",
            "wave": "w",
            "school_id": "S1",
            "role": [f"r{i}" for i in range(len(sizes))],
            "item_id": "A",
            "n_respondents": sizes,
            "n_favorable": [n // 2 for n in sizes],
            "pct_favorable": [50.0] * len(sizes),
            "mean_value": [3.0] * len(sizes),
            "sibling_group": "s|w|A|S1",
        }
    )
    gated = apply_gate(frame, load_query("survey_favorability").privacy, "leader")
    small = pd.Series(sizes) < 5
    assert gated.loc[small, "pct_favorable"].isna().all() and gated.loc[small, "suppressed"].all()
    assert gated["suppressed"].sum() != 1 or len(sizes) == 1
    assert (gated.loc[~gated["suppressed"], "pct_favorable"] == 50.0).all()


# ================================================================ invited counts, implementation, results


def test_invited_counts_load_with_a_reject(con, fixtures_dir):
    report = load(con, "survey", fixtures_dir / "survey_invited.csv")
    assert (report.file_format, report.rows_read, report.rows_loaded, report.rows_rejected) == (
        "invited counts",
        4,
        3,
        1,
    )
    assert con.execute("select sum(n_invited) from survey_invited").fetchone()[0] == 26


def test_implementation_ratings(con, fixtures_dir):
    add_schools(con)
    report = load(con, "rubric", fixtures_dir / "survey_implementation_ratings.csv")
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (6, 4, 2)
    reasons = {r for (r,) in con.execute("select reason from rejects").fetchall()}
    assert reasons == {
        "school year is not like 2025-26",
        "stage is not Exploring, Emerging, Proficient or Breakthrough",
    }
    frame = run_query(con, "implementation_stages", {})
    s1 = frame[frame["school_id"] == "S1"]
    assert s1["stage"].tolist() == ["Exploring", "Emerging", "Proficient"] and s1["stage_rank"].tolist() == [1, 2, 3]
    assert row(frame, school_id="S2")["stage"] == "Breakthrough" and set(frame["school_name"]) == {
        "School One",
        "School Two",
    }


def test_culture_and_results_against_the_raw_tables(demo_con):
    frame = run_raw(demo_con, "culture_and_results", {"construct": "trust", "content_area": "math"})
    assert len(frame) == 7 and set(frame["wave"]) == {"2025-26"} and set(frame["school_year"]) == {"2025-26"}
    # construct score recomputed from survey_responses and survey_items with pandas
    r = demo_con.execute("select * from survey_responses where wave = '2025-26'").df()
    i = demo_con.execute("select * from survey_items").df()
    data = r.merge(i, on=["survey_id", "item_id"])
    data = data[(data["construct"] == "trust") & data["value"].notna()]
    value = data["value"].where(~data["is_reverse_coded"], data["scale_points"] + 1 - data["value"])
    data = data.assign(favorable=value >= 4)
    expected = data.groupby(["school_id", "item_id"])["favorable"].mean().groupby("school_id").mean() * 100
    got = frame.set_index("school_id").sort_index()
    assert (got["construct_score"] - expected.sort_index()).abs().max() <= 0.0501
    assert got["n_respondents"].tolist() == data.groupby("school_id")["response_id"].nunique().sort_index().tolist()
    status = demo_con.execute(
        "select * from mart_content_status where school_year = '2025-26' and term is null "
        "and method = 'decaying_average' and content_area = 'math'"
    ).df()
    pct = status.groupby("school_id")["content_score"].apply(lambda s: round(100 * (s >= 3.0).mean(), 1))
    assert got["pct_proficient"].tolist() == pct.sort_index().tolist()
    gated = run_query(demo_con, "culture_and_results", {})
    assert not gated["suppressed"].any() and gated["construct_score"].notna().all()


def test_demo_pattern_leaders_see_more_trust(demo_con):
    gaps = run_query(demo_con, "survey_role_gap", {"wave": "2025-26"}).set_index("construct")
    assert gaps.loc["trust", "gap_pp"] > 15 and gaps.loc["trust", "gap_pp"] == gaps["gap_pp"].max()


# ================================================================ the page

PAGE = REPO / "app_pages" / "culture.py"
WRAPPER = """
import runpy
import streamlit as st
from queries.runner import FULL_SCOPE
from ui.data import warehouse_state

st.session_state["warehouse_state"] = warehouse_state()
st.session_state["viewer_scope"] = FULL_SCOPE
try:  # who is looking, as dashboard.py decides it (ui/auth.py), here a district leader on this computer
    from ui import auth
    st.session_state[auth.VIEWER_KEY] = auth.Viewer("district_leader", mode="local")
except ImportError:
    pass
runpy.run_path({page!r}, run_name="__main__")
"""


def run_page(tmp_path, monkeypatch, db: Path) -> AppTest:
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    monkeypatch.syspath_prepend(str(REPO))
    script = tmp_path / "culture_app.py"
    script.write_text(WRAPPER.format(page=str(PAGE)))
    return AppTest.from_file(str(script), default_timeout=60).run()


def plotly_charts(node) -> list:
    found = [node] if getattr(node, "type", None) == "plotly_chart" else []
    for child in getattr(node, "children", {}).values():
        found.extend(plotly_charts(child))
    return found


TABS = {  # each tab of the page: its section headings and its charts
    "Constructs": (["Constructs by school"], 2),
    "Items": (["How staff answered each item"], 1),
    "Leaders vs teachers": (["Do leaders and teachers see the same school?"], 1),
    "Response rates": (["Response rates"], 1),
    "Implementation": (["Implementation stage by school"], 1),
    "Culture and results": (["Culture and results"], 1),
}


def test_culture_page_renders_on_the_demo(tmp_path, monkeypatch, demo_db):
    at = run_page(tmp_path, monkeypatch, demo_db)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert at.title[0].value == "Culture & voice"
    for tab, (headings, charts) in TABS.items():
        at.session_state["culture_tab"] = tab
        at.run()
        assert not at.exception and not at.error, tab
        assert [s.value for s in at.subheader] == headings, tab  # only the open tab is computed
        assert len(plotly_charts(at.main)) == charts, tab
    at.session_state["culture_tab"] = "Leaders vs teachers"
    at.run()
    assert any("Widest gap: **Trust**" in m.value for m in at.markdown)
    at.radio(key="culture_gap_by").set_value("school").run()
    at.selectbox(key="culture_wave").set_value("2023-24").run()
    at.selectbox(key="culture_role").set_value("teacher").run()
    at.session_state["culture_tab"] = "Implementation"
    at.run()
    at.selectbox(key="culture_domain").set_value("culture").run()
    assert not at.exception and not at.error


def test_culture_page_without_a_survey_says_what_to_load(tmp_path, monkeypatch, small_district, db_path):
    small_district.close()
    at = run_page(tmp_path, monkeypatch, db_path)
    assert not at.exception
    assert any("No staff survey is loaded yet" in i.value for i in at.info)
