"""One home for the groupings and their names (warehouse/labels.py) and for the favorable rule
(warehouse/favorable.py), held to the SQL that computes the same things."""

from __future__ import annotations

import re

import pytest

from queries.runner import list_queries
from warehouse import connection as warehouse
from warehouse.favorable import favorable_points
from warehouse.labels import GROUP_NAMES, GROUPING_NAMES, GROUPINGS, group_label


@pytest.fixture(scope="module")
def macros():
    con = warehouse.scratch()
    con.execute((warehouse.SCHEMA_DIR / "02_macros.sql").read_text())
    return con


def grouping_choices() -> dict[str, set[str]]:
    """Every query's `param group_by` choices, live and released."""
    found = {}
    for query in [*list_queries(), *list_queries(release=True)]:
        match = re.search(r"-- param group_by: default \S+ choices (\S+)", query.sql)
        if match:
            found[query.name] = set(match.group(1).split(","))
    return found


def test_every_query_offers_the_groupings_the_labels_name():
    choices = {name: c for name, c in grouping_choices().items() if "grade_band" not in c}
    assert len(choices) >= 10
    for name, offered in choices.items():
        assert offered - {"all"} == set(GROUPINGS), name
    assert set(GROUPING_NAMES) == {"all", *GROUPINGS}


@pytest.mark.parametrize("grouping", GROUPINGS)
def test_the_warehouse_macro_computes_every_grouping(macros, grouping):
    sql = "select group_value(?, 'Female', 'Asian', true, false, true, false)"
    value = macros.execute(sql, [grouping]).fetchone()[0]
    assert value is not None
    assert group_label(grouping, value) == GROUP_NAMES.get(grouping, {}).get(value, value)


def test_crossed_groups_name_each_part():
    assert group_label("is_ell x gender", "true x Female") == "English learners x Female"


@pytest.mark.parametrize("points", range(2, 12))
def test_the_favorable_rule_is_the_same_in_python_and_sql(macros, points):
    assert macros.execute("select favorable_points(?)", [points]).fetchone()[0] == favorable_points(points)
