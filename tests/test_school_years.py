"""The school year of a date has one rule (warehouse/school_years.py), the same in SQL and in every loader."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from etl.surveys.detect import school_year_of
from warehouse import connection as warehouse
from warehouse.school_years import school_year_bounds, school_year_of_date


@pytest.mark.parametrize(
    "day, year",
    [
        pytest.param(date(2025, 7, 1), "2025-26", id="july-1-starts-a-year"),
        pytest.param(date(2026, 6, 30), "2025-26", id="june-30-ends-it"),
        pytest.param(date(2025, 8, 20), "2025-26", id="first-day-of-school"),
        pytest.param(date(1999, 12, 31), "1999-00", id="century"),
    ],
)
def test_school_year_of_a_date(day, year):
    assert school_year_of_date(day) == year
    first, last = school_year_bounds(year)
    assert first <= day <= last


def test_the_warehouse_macro_and_the_python_rule_agree_on_every_day_of_two_years():
    con = warehouse.scratch()
    con.execute((warehouse.SCHEMA_DIR / "02_macros.sql").read_text())
    days = [date(2024, 6, 1) + timedelta(days=i) for i in range(731)]
    in_sql = con.execute("select school_year_of(d) from unnest(?::date[]) as t(d)", [days]).fetchall()
    assert [row[0] for row in in_sql] == [school_year_of_date(d) for d in days]


def test_a_survey_response_takes_the_same_rule():
    assert school_year_of(datetime(2025, 7, 15, 9)) == school_year_of_date(date(2025, 7, 15)) == "2025-26"
