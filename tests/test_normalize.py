"""Known answers for the value normalizers in etl/normalize/, spelling by spelling."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from etl.normalize import (
    RACE_ETHNICITY_CATEGORIES,
    find_header,
    is_sensitive_header,
    map_race_ethnicity,
    normalize_gender,
    normalize_header,
    normalize_student_ids,
    parse_dates,
    parse_flags,
    parse_grade_levels,
    parse_school_year,
)
from tests.conftest import skip_without_realdata

REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"
CONTOSO_ROSTER = REALDATA / "roster" / "oea_contoso_sis_students.csv"


def one(function, value, **kwargs):
    """Run a Series normalizer on a single cell: (result, flagged)."""
    result = function(pd.Series([value], dtype="object"), **kwargs)
    if isinstance(result, tuple):
        values, flagged = result
        return values.iloc[0], bool(flagged.iloc[0])
    return result.iloc[0], False


# --------------------------------------------------------------------------------------------------
# headers


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("SIS ID", "sis_id", id="space-to-underscore"),
        pytest.param("\ufeffSIS ID", "sis_id", id="bom-stripped"),
        pytest.param("  Points  Possible ", "points_possible", id="leading-spaces-and-double-space"),
        pytest.param("Quiz 2.1 (12095681)", "quiz_2.1", id="canvas-assignment-id-dropped"),
        pytest.param("Final  Exam (Remote)  (4414522)", "final_exam_(remote)", id="only-the-numeric-id-dropped"),
        pytest.param("Attempt (2)", "attempt_(2)", id="short-number-in-parentheses-kept"),
        pytest.param("First-Name", "first_name", id="hyphen-to-underscore"),
        pytest.param("a - b", "a_b", id="underscores-collapsed"),
        pytest.param("FederalRaceCategory", "federalracecategory", id="camelcase-just-lowercased"),
        pytest.param("n_invited", "n_invited", id="already-canonical"),
        pytest.param("Student\u00a0Number", "student_number", id="non-breaking-space"),
        pytest.param("", "", id="blank-header"),
        pytest.param(None, "", id="missing-header"),
    ],
)
def test_normalize_header(text, expected):
    assert normalize_header(text) == expected


def test_find_header_ignores_case_spaces_and_underscores():
    columns = ["sis_id", "ellstatus", "lowincome"]
    aliases = {"is_ell": ["ell_status", "lep"], "is_econ_disadv": ["low_income"]}
    assert find_header(columns, "is_ell", aliases) == "ellstatus"
    assert find_header(columns, "is_econ_disadv", aliases) == "lowincome"
    assert find_header(columns, "gender", aliases) is None


@pytest.mark.parametrize(
    "text, sensitive",
    [
        pytest.param("Password", True, id="password"),
        pytest.param("SSN", True, id="ssn"),
        pytest.param("Username", False, id="username-is-not-secret"),
    ],
)
def test_sensitive_headers(text, sensitive):
    assert is_sensitive_header(text) is sensitive


# --------------------------------------------------------------------------------------------------
# flags


@pytest.mark.parametrize(
    "value, expected",
    [
        pytest.param(None, False, id="none-means-no"),
        pytest.param(np.nan, False, id="nan-means-no"),
        pytest.param("", False, id="blank-means-no"),
        pytest.param("   ", False, id="spaces-mean-no"),
        *[
            pytest.param(v, True, id=f"yes-{v}")
            for v in ["Y", "y", "Yes", "YES", "1", "1.0", "TRUE", "true", "T", "X", "x", "checked", "On", "Active", "✓"]
        ],
        *[
            pytest.param(v, False, id=f"no-{v}")
            for v in [
                "N",
                "No",
                "0",
                "0.0",
                "FALSE",
                "F",
                "None",
                "Off",
                "N/A",
                "NA",
                "Not Applicable",
                "Inactive",
                "Ineligible",
            ]
        ],
        pytest.param("Not ELL", False, id="not-prefix-means-no"),
        pytest.param("Non-LEP", False, id="non-prefix-means-no"),
        pytest.param("No services", False, id="no-prefix-means-no"),
        pytest.param("None identified", False, id="none-prefix-means-no"),
        pytest.param("N/A - not served", False, id="n-a-prefix-means-no"),
        pytest.param("Inactive IEP", False, id="inactive-program-means-no"),
        pytest.param("Active IEP", True, id="active-program-means-yes"),
        pytest.param("Exited", False, id="exited-ell-is-not-current"),
        pytest.param("Former ELL", False, id="former-ell-is-not-current"),
        pytest.param("Monitored", False, id="monitored-ell-is-not-current"),
        pytest.param("Redesignated Fluent English Proficient", False, id="rfep-is-not-ell"),
        pytest.param("Initially Fluent English Proficient", False, id="ifep-is-not-ell"),
        pytest.param("RFEP", False, id="rfep-code"),
        pytest.param("EO", False, id="english-only-code"),
        pytest.param("English Learner", True, id="english-learner"),
        pytest.param("Resource Specialty Program", True, id="program-name-means-yes"),
        pytest.param("Designated Instruction Service", True, id="sped-service-means-yes"),
        pytest.param("ESL", True, id="esl"),
        pytest.param("LEP", True, id="lep"),
        pytest.param("Limited English", True, id="limited-english"),
        pytest.param("Section 504", True, id="section-504"),
        pytest.param(1, True, id="integer-one"),
        pytest.param(0, False, id="integer-zero"),
        pytest.param(1.0, True, id="float-one-from-excel"),
        pytest.param(True, True, id="python-true"),
        pytest.param(False, False, id="python-false"),
    ],
)
def test_parse_flags_known_spellings(value, expected):
    assert one(parse_flags, value) == (expected, False)


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("2", id="number-two"),
        pytest.param("-1", id="negative-number"),
        pytest.param("0.5", id="fraction"),
        pytest.param(3, id="integer-three"),
        pytest.param("Unknown", id="unknown"),
        pytest.param("U", id="u"),
        pytest.param("?", id="question-mark"),
        pytest.param("Pending", id="pending"),
        pytest.param("Declined", id="declined"),
        pytest.param("Parent declined services", id="declined-inside-text"),
        pytest.param("Eligibility pending", id="pending-inside-text"),
        pytest.param("-", id="dash"),
        pytest.param("***", id="no-letters"),
    ],
)
def test_parse_flags_unparseable_is_na_and_flagged(value):
    flag, flagged = one(parse_flags, value)
    assert flag is pd.NA and flagged


def test_parse_flags_strict_mode_refuses_program_names():
    flags, flagged = parse_flags(pd.Series(["Resource Specialty Program", "Yes", ""]), program_names_mean_yes=False)
    assert flags.tolist() == [pd.NA, True, False]
    assert flagged.tolist() == [True, False, False]


def test_parse_flags_keeps_index_and_dtype():
    series = pd.Series(["Y", "N", None], index=[10, 20, 30], name="is_ell")
    flags, flagged = parse_flags(series)
    assert str(flags.dtype) == "boolean" and flagged.dtype == bool
    assert list(flags.index) == [10, 20, 30] and flags.name == "is_ell"


# --------------------------------------------------------------------------------------------------
# grade levels


@pytest.mark.parametrize(
    "value, expected",
    [
        *[
            pytest.param(v, 0, id=f"kindergarten-{v}")
            for v in ["K", "k", "KG", "0K", "00", "0", "Kindergarten", "K5", "Grade K", 0]
        ],
        *[
            pytest.param(v, -1, id=f"pre-k-{v}")
            for v in ["PK", "Pre-K", "PreK", "Pre-Kindergarten", "TK", "K4", "Preschool"]
        ],
        pytest.param("01", 1, id="zero-padded-01"),
        pytest.param("08", 8, id="zero-padded-08"),
        pytest.param("12", 12, id="twelve"),
        pytest.param("1st", 1, id="1st"),
        pytest.param("2nd", 2, id="2nd"),
        pytest.param("3rd", 3, id="3rd"),
        pytest.param("11th", 11, id="11th"),
        pytest.param("Grade 3", 3, id="grade-3"),
        pytest.param("3rd Grade", 3, id="3rd-grade"),
        pytest.param("Grade 08", 8, id="grade-08"),
        pytest.param("Gr. 5", 5, id="gr-dot-5"),
        pytest.param("Third grade", 3, id="ed-fi-third-grade"),
        pytest.param(9, 9, id="integer-9"),
        pytest.param(10.0, 10, id="float-10-from-excel"),
        pytest.param("9.0", 9, id="text-9.0-from-excel"),
    ],
)
def test_parse_grade_levels_known(value, expected):
    assert one(parse_grade_levels, value) == (expected, False)


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("13", id="thirteen"),
        pytest.param("-1", id="negative"),
        pytest.param("UG", id="ungraded"),
        pytest.param("Adult", id="adult"),
        pytest.param("2st", id="wrong-ordinal-suffix"),
        pytest.param("3.5", id="fraction"),
        pytest.param("K-12", id="range"),
        pytest.param("Year 3", id="uk-year"),
    ],
)
def test_parse_grade_levels_invalid_never_coerced(value):
    grade, flagged = one(parse_grade_levels, value)
    assert grade is pd.NA and flagged


def test_parse_grade_levels_blank_is_missing_not_invalid():
    grades, invalid = parse_grade_levels(pd.Series(["", None, "3"]))
    assert str(grades.dtype) == "Int64"
    assert grades.isna().tolist() == [True, True, False] and not invalid.any()


# --------------------------------------------------------------------------------------------------
# race and ethnicity

HISPANIC, AIAN, ASIAN, BLACK, NHPI, WHITE, TWO = RACE_ETHNICITY_CATEGORIES


@pytest.mark.parametrize(
    "value, expected",
    [
        *[pytest.param(c, c, id=f"federal-{c}") for c in RACE_ETHNICITY_CATEGORIES],
        pytest.param("Hispanic", HISPANIC, id="hispanic"),
        pytest.param("Latino", HISPANIC, id="latino"),
        pytest.param("Latinx", HISPANIC, id="latinx"),
        pytest.param("Hispanic/Latino", HISPANIC, id="hispanic-slash-latino"),
        pytest.param("American Indian", AIAN, id="american-indian"),
        pytest.param("American Indian - Alaska Native", AIAN, id="ed-fi-american-indian"),
        pytest.param("Native American", AIAN, id="native-american"),
        pytest.param("Black", BLACK, id="black"),
        pytest.param("Black - African American", BLACK, id="ed-fi-black"),
        pytest.param("African American", BLACK, id="african-american"),
        pytest.param("Pacific Islander", NHPI, id="pacific-islander"),
        pytest.param("Native Hawaiian - Pacific Islander", NHPI, id="ed-fi-nhpi"),
        pytest.param("Caucasian", WHITE, id="caucasian"),
        pytest.param("WHITE", WHITE, id="upper-case"),
        pytest.param("uri://ed-fi.org/RaceDescriptor#White", WHITE, id="ed-fi-descriptor-uri"),
        pytest.param("uri://ed-fi.org/RaceDescriptor#Black - African American", BLACK, id="ed-fi-uri-black"),
        pytest.param("Multiracial", TWO, id="multiracial"),
        pytest.param("Two or More Races", TWO, id="two-or-more-races"),
        pytest.param("Multiple", TWO, id="multiple"),
        pytest.param("2+", TWO, id="2-plus"),
        pytest.param("HI7", HISPANIC, id="edfacts-HI7"),
        pytest.param("AM7", AIAN, id="edfacts-AM7"),
        pytest.param("AS7", ASIAN, id="edfacts-AS7"),
        pytest.param("BL7", BLACK, id="edfacts-BL7"),
        pytest.param("PI7", NHPI, id="edfacts-PI7"),
        pytest.param("WH7", WHITE, id="edfacts-WH7"),
        pytest.param("MU7", TWO, id="edfacts-MU7"),
        pytest.param("Asian, White", TWO, id="list-of-two-races"),
        pytest.param("White; Hispanic", HISPANIC, id="hispanic-wins-in-a-list"),
        pytest.param("White, Non-Hispanic", WHITE, id="non-hispanic-white"),
        pytest.param("Black (not Hispanic or Latino)", BLACK, id="black-not-hispanic"),
        pytest.param("White, White", WHITE, id="same-race-twice-is-one"),
        pytest.param("Black and White", TWO, id="two-races-joined-by-and"),
        pytest.param("American Indian and Alaska Native", AIAN, id="and-inside-one-category"),
    ],
)
def test_map_race_ethnicity_known(value, expected):
    assert one(map_race_ethnicity, value) == (expected, False)


@pytest.mark.parametrize(
    "value, flagged",
    [
        pytest.param("", False, id="blank-is-none-not-unknown"),
        pytest.param(None, False, id="missing-is-none"),
        pytest.param("Declined to state", False, id="declined-is-none-not-unknown"),
        pytest.param("Unknown", False, id="unknown-answer-is-none-not-flagged"),
        pytest.param("Other", True, id="other-is-flagged"),
        pytest.param("A", True, id="single-letter-code-not-guessed"),
        pytest.param("Martian", True, id="nonsense-is-flagged"),
        pytest.param("White, Martian", True, id="list-with-unknown-part-is-flagged"),
    ],
)
def test_map_race_ethnicity_none(value, flagged):
    assert one(map_race_ethnicity, value) == (None, flagged)


def test_map_race_ethnicity_local_codes_from_mapping():
    assert one(map_race_ethnicity, "A", extra={"A": ASIAN}) == (ASIAN, False)
    assert one(map_race_ethnicity, "4", extra={"4": "Caucasian"}) == (WHITE, False)  # any known spelling


def test_map_race_ethnicity_local_code_outside_the_seven_is_refused():
    with pytest.raises(ValueError, match="not one of the seven federal categories"):
        map_race_ethnicity(pd.Series(["O"]), extra={"O": "Other"})


# --------------------------------------------------------------------------------------------------
# gender


@pytest.mark.parametrize(
    "value, expected, flagged",
    [
        *[pytest.param(v, "Female", False, id=f"female-{v}") for v in ["F", "f", "Female", "FEMALE", "Woman", "Girl"]],
        *[pytest.param(v, "Male", False, id=f"male-{v}") for v in ["M", "Male", "Man", "Boy"]],
        *[
            pytest.param(v, "Nonbinary", False, id=f"nonbinary-{v}")
            for v in ["X", "N", "Nonbinary", "Non-binary", "Non Binary", "Genderqueer"]
        ],
        pytest.param("uri://ed-fi.org/SexDescriptor#Female", "Female", False, id="ed-fi-descriptor"),
        pytest.param("", None, False, id="blank-is-none"),
        pytest.param("Not Selected", None, False, id="not-selected-is-none"),
        pytest.param("Other", None, True, id="other-is-flagged"),
        pytest.param("1", None, True, id="numeric-code-is-flagged"),
    ],
)
def test_normalize_gender(value, expected, flagged):
    assert one(normalize_gender, value) == (expected, flagged)


# --------------------------------------------------------------------------------------------------
# ids


@pytest.mark.parametrize(
    "value, expected",
    [
        pytest.param(" 12345 ", "12345", id="stripped"),
        pytest.param("00123", "00123", id="leading-zeros-kept"),
        pytest.param("123.0", "123", id="excel-float-text"),
        pytest.param(123.0, "123", id="excel-float-number"),
        pytest.param(45, "45", id="integer"),
        pytest.param("st1", "st1", id="letters-kept"),
        pytest.param("12.5", "12.5", id="non-whole-float-text-kept"),
        pytest.param("", None, id="blank-is-none"),
        pytest.param(np.nan, None, id="nan-is-none"),
    ],
)
def test_normalize_student_ids(value, expected):
    assert one(normalize_student_ids, value) == (expected, False)


# --------------------------------------------------------------------------------------------------
# dates


@pytest.mark.parametrize(
    "value, expected",
    [
        pytest.param("2023-08-25", dt.date(2023, 8, 25), id="iso-date"),
        pytest.param("2023-08-25T17:34:09.000Z", dt.date(2023, 8, 25), id="iso-timestamp-z-masteryconnect"),
        pytest.param("2023-08-25T23:30:00-05:00", dt.date(2023, 8, 25), id="iso-offset-date-as-written"),
        pytest.param("2023-08-25 08:15:00", dt.date(2023, 8, 25), id="iso-space-timestamp"),
        pytest.param("4/2/2004", dt.date(2004, 4, 2), id="m-d-yyyy-contoso"),
        pytest.param("09-27-2019", dt.date(2019, 9, 27), id="mm-dd-yyyy-mastery-tn"),
        pytest.param("3/14/2019 10:03:22", dt.date(2019, 3, 14), id="google-forms-timestamp"),
        pytest.param("3/14/2019 10:03", dt.date(2019, 3, 14), id="no-seconds"),
        pytest.param("3/14/2019 5:03 PM", dt.date(2019, 3, 14), id="am-pm"),
        pytest.param("8/25/23", dt.date(2023, 8, 25), id="two-digit-year"),
        pytest.param("2023/08/25", dt.date(2023, 8, 25), id="y-m-d-slashes"),
        pytest.param("20230825", dt.date(2023, 8, 25), id="yyyymmdd"),
    ],
)
def test_parse_dates_known_shapes(value, expected):
    assert one(parse_dates, value) == (expected, False)


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("25/12/2023", id="day-first-not-guessed"),
        pytest.param("2023-02-30", id="impossible-date"),
        pytest.param("45123", id="serial-without-the-flag"),
        pytest.param("yesterday", id="words"),
        pytest.param("2023-08-25T25:00:00Z", id="impossible-time"),
    ],
)
def test_parse_dates_invalid(value):
    date, flagged = one(parse_dates, value)
    assert date is pd.NaT and flagged


@pytest.mark.parametrize(
    "value, expected",
    [
        pytest.param("45123", dt.date(2023, 7, 16), id="serial-text"),
        pytest.param("45123.5", dt.date(2023, 7, 16), id="serial-with-time"),
        pytest.param(45123, dt.date(2023, 7, 16), id="serial-number"),
        pytest.param("2023-08-25", dt.date(2023, 8, 25), id="text-dates-still-read"),
    ],
)
def test_parse_dates_excel_serials_when_asked(value, expected):
    assert one(parse_dates, value, excel_serial=True) == (expected, False)


def test_parse_dates_explicit_format_wins():
    dates, invalid = parse_dates(pd.Series(["25/12/2023", "12/25/2023"]), fmt="%d/%m/%Y")
    assert dates.iloc[0] == dt.date(2023, 12, 25)
    assert dates.iloc[1] is pd.NaT and invalid.tolist() == [False, True]


def test_parse_dates_timezone_gives_local_date_of_zoned_stamps_only():
    dates, _ = parse_dates(pd.Series(["2023-08-25T03:00:00Z", "2023-08-25T03:00:00"]), timezone="America/Chicago")
    assert dates.tolist() == [dt.date(2023, 8, 24), dt.date(2023, 8, 25)]


def test_parse_dates_blank_is_nat_not_invalid_and_loads_as_date():
    dates, invalid = parse_dates(pd.Series(["", None, "2024-01-02"], index=[5, 6, 7]))
    assert dates.iloc[0] is pd.NaT and dates.iloc[1] is pd.NaT and not invalid.any()
    assert list(dates.index) == [5, 6, 7]
    assert pd.to_datetime(dates).iloc[2] == pd.Timestamp("2024-01-02")


# --------------------------------------------------------------------------------------------------
# school years


@pytest.mark.parametrize(
    "value, expected",
    [
        pytest.param("2025-26", "2025-26", id="canonical"),
        pytest.param("2025-2026", "2025-26", id="four-digit-end"),
        pytest.param("2025/26", "2025-26", id="slash"),
        pytest.param("2025–26", "2025-26", id="en-dash"),
        pytest.param("SY2025-26", "2025-26", id="sy-prefix"),
        pytest.param("SY 2025-2026", "2025-26", id="sy-space-prefix"),
        pytest.param("25-26", "2025-26", id="two-digit-years"),
        pytest.param("2026", "2025-26", id="ending-year"),
        pytest.param(2026, "2025-26", id="ending-year-number"),
        pytest.param("2026.0", "2025-26", id="ending-year-from-excel"),
        pytest.param("1999-00", "1999-00", id="century-turn"),
    ],
)
def test_parse_school_year_known(value, expected):
    assert one(parse_school_year, value) == (expected, False)
    assert parse_school_year(value) == expected  # one value in, one text out


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("2025-27", id="two-years-apart"),
        pytest.param("2026-25", id="backwards"),
        pytest.param("Fall 2025", id="a-term"),
        pytest.param("1850", id="out-of-range"),
        pytest.param("2025-08-01", id="a-date"),
    ],
)
def test_parse_school_year_invalid(value):
    assert one(parse_school_year, value) == (None, True)
    with pytest.raises(ValueError, match="not a school year"):
        parse_school_year(value)


def test_parse_school_year_blank_is_none_not_invalid():
    years, invalid = parse_school_year(pd.Series([None, ""]))
    assert years.tolist() == [None, None] and not invalid.any()


# --------------------------------------------------------------------------------------------------
# many rows: classified once per distinct value


def test_large_series_is_classified_per_distinct_value():
    series = pd.Series(["Y", "N", "", "Resource Specialty Program"] * 250_000)
    flags, flagged = parse_flags(series)
    assert flags.sum() == 500_000 and not flagged.any()


# --------------------------------------------------------------------------------------------------
# a real SIS roster export (Microsoft OpenEduAnalytics' Contoso test data)


@pytest.fixture(scope="module")
def contoso() -> pd.DataFrame:
    skip_without_realdata(CONTOSO_ROSTER)
    frame = pd.read_csv(CONTOSO_ROSTER, dtype=str, keep_default_na=False)
    frame.columns = [normalize_header(c) for c in frame.columns]
    return frame


def test_contoso_headers(contoso):
    assert {
        "sis_id",
        "school_sis_id",
        "grade",
        "federalracecategory",
        "ellstatus",
        "specialeducation",
        "lowincome",
        "birthdate",
    } <= set(contoso.columns)
    assert is_sensitive_header("password") and "password" in contoso.columns


def test_contoso_ell_blank_means_no_and_fluent_students_are_not_ell(contoso):
    ell, flagged = parse_flags(contoso["ellstatus"])
    assert not flagged.any()
    assert int(ell.sum()) == int((contoso["ellstatus"] == "English Learner").sum()) == 44
    fluent = contoso["ellstatus"].str.contains("Fluent English Proficient")
    assert fluent.sum() == 33 and not ell[fluent].any()
    assert not ell[contoso["ellstatus"] == ""].any()


def test_contoso_special_education_program_names_mean_yes(contoso):
    iep, flagged = parse_flags(contoso["specialeducation"])
    assert not flagged.any()
    assert int(iep.sum()) == int((contoso["specialeducation"] != "").sum()) == 68


def test_contoso_low_income_zero_one(contoso):
    econ, flagged = parse_flags(contoso["lowincome"])
    assert not flagged.any() and int(econ.sum()) == 157


def test_contoso_grades_race_gender_dates_ids(contoso):
    grades, bad_grade = parse_grade_levels(contoso["grade"])
    assert not bad_grade.any() and set(grades.unique()) == {9, 10, 11, 12}
    race, unknown_race = map_race_ethnicity(contoso["federalracecategory"])
    assert not unknown_race.any() and set(race) <= set(RACE_ETHNICITY_CATEGORIES)
    assert (race == "American Indian or Alaska Native").sum() == 87
    gender, unknown_gender = normalize_gender(contoso["gender"])
    assert not unknown_gender.any() and set(gender) == {"Female", "Male"}
    births, bad_birth = parse_dates(contoso["birthdate"])
    assert not bad_birth.any() and set(births) == {dt.date(2004, 4, 2)}
    ids = normalize_student_ids(contoso["sis_id"])
    assert ids.is_unique and ids.iloc[0] == "st1"
