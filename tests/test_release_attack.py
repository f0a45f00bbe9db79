"""Proof by attack (docs/privacy.md): everything the board audience can obtain, harvested through the public
queries with every parameter value the release allows, solved in whole numbers for every count it does not show.
Every hidden count of students must keep a range at least 10 wide, every hidden count proficient at least 5,
every coded rate its whole band; survey cells at least 5 respondents and 5 favorable."""

from __future__ import annotations

import pandas as pd
import pytest

from tests import release_attacker as attacker
from tests import small_schools as small_schools_files
from tests.conftest import kept_between_runs
from warehouse.config import district_config


@pytest.fixture(scope="module")
def demo_harvest(demo_db):
    import warehouse

    con = warehouse.connect(demo_db, read_only=True)
    harvested, count = attacker.harvest(con)
    yield con, attacker.facts_of(harvested, con), count
    con.close()


def _report(label: str, result: attacker.Attack, queries: int) -> str:
    return (
        f"{label}: {queries} board queries harvested; attacked {result.attacked_n} hidden counts of people "
        f"(narrowest range {result.narrowest_n:g}), {result.attacked_k} hidden counts proficient/favorable "
        f"(narrowest {result.narrowest_k:g}), {result.attacked_bands} coded rates; {len(result.broken)} broken"
    )


def test_attack_on_the_demo_release_recovers_no_hidden_count(demo_harvest, capsys):
    con, facts, queries = demo_harvest
    config = district_config()
    students = attacker.attack_students(con, facts, config.calculation_method, config.proficiency_cut)
    surveys = attacker.attack_surveys(con, facts)
    with capsys.disabled():
        print("\n" + _report("demo students", students, queries) + "\n" + _report("demo surveys", surveys, queries))
    assert students.attacked_n > 100 and students.attacked_k > 100  # the demo has many small groups
    assert students.broken == []
    assert surveys.broken == []


@pytest.fixture(scope="module")
def small_schools():
    import warehouse

    built = kept_between_runs("small-schools", small_schools_files.build, ("tests/small_schools.py", "tests/fixtures"))
    con = warehouse.connect(built, read_only=True)
    yield con
    con.close()


def test_attack_on_a_district_of_many_small_schools_recovers_no_hidden_count(small_schools, capsys):
    con = small_schools
    harvested, queries = attacker.harvest(con)
    facts = attacker.facts_of(harvested, con)
    config = district_config()
    students = attacker.attack_students(con, facts, config.calculation_method, config.proficiency_cut)
    with capsys.disabled():
        print("\n" + _report("small schools", students, queries))
    assert students.attacked_n > 50 and students.attacked_bands > 0  # small groups, and rates coded near 0/100%
    assert students.broken == []


def test_the_attack_catches_a_release_that_publishes_one_secondary_cell(demo_harvest):
    """Negative control: publish the count and count proficient of one cell the pattern withheld on purpose
    (secondary suppression), and the attacker pins a hidden small group."""
    con, facts, _ = demo_harvest
    config = district_config()
    secondary = con.execute("""
        select school_year, content_area, school_id, group_by, group_value from release_proficiency
        where status = 'hidden' and scope = 'school' and school_year = (select max(school_year) from release_proficiency)
          and content_area = 'math'
        """).fetchall()
    atoms = attacker.student_atoms(con, config.calculation_method, config.proficiency_cut)
    year = secondary[0][0]
    group = atoms[(atoms.school_year == year) & (atoms.content_area == "math")].reset_index(drop=True)
    cells = attacker.student_cells(group)
    big = [(s, g, v) for _, _, s, g, v in secondary if group.loc[cells[(s, g, v)], "n"].sum() >= 10]
    assert big, "the demo's math release has withheld cells of 10 or more students (secondary suppression)"
    for cell in big:
        extra = {((year, "math"), cell, "n"), ((year, "math"), cell, "k")}
        result = attacker.attack_students(
            con, facts, config.calculation_method, config.proficiency_cut, extra_known=extra, only={(year, "math")}
        )
        if result.broken:
            return
    pytest.fail("publishing a withheld secondary cell should let the attacker pin a hidden group")


def test_coded_rates_are_not_undone_by_neighbouring_columns(small_schools):
    """A rate shown as a band (`<=10%`) carries no interval, gap, reference rate, ratio or effect size that
    would give its count back, and its group's count is a number, not `n<10`."""
    from queries.runner import Scope, run_query

    coded = small_schools.execute("select * from release_proficiency where status = 'coded'").df()
    assert not coded.empty  # the generated district plants 0% and 100% groups
    for row in coded.itertuples():
        rows = run_query(
            small_schools,
            "public_proficiency",
            {
                "school_year": row.school_year,
                "content_area": row.content_area,
                "group_by": row.group_by,
                "by": "district" if row.scope == "district" else "school",
            },
            Scope(role="board"),
            audience="board",
        )
        shown = rows[(rows["group_value"] == row.group_value) & (rows["school_name"] == row.school_name)].iloc[0]
        assert isinstance(shown["pct_proficient"], str) and shown["pct_proficient"].endswith("%")
        assert shown["n_students"] == row.n_students  # a coded group's count is shown as it is
        for column in ("pct_low", "pct_high", "gap_pp", "gap_low", "gap_high"):
            assert pd.isna(shown[column]), column
        assert pd.isna(row.reference_pct) and pd.isna(row.risk_ratio) and pd.isna(row.cohens_h)


def pinned_bands(con) -> list[str]:
    """Released coded rates whose band admits a single count (`<=10%` of 6 respondents: exactly 0)."""
    import re

    from etl.release.pattern import MIN_CODED_COUNTS

    cells = con.execute(
        "select 'students' as kind, n_students as n, pct_code from release_proficiency_cells where pct_code is not null "
        "union all select 'survey', n_respondents, pct_code from release_survey where pct_code is not null"
    ).fetchall()
    pinned = []
    for kind, n, code in cells:
        side, band = re.fullmatch(r"([<>]=)(\d+(?:\.\d+)?)%", code).groups()
        bottom = float(band) if side == "<=" else 100 - float(band)
        admitted = int(bottom * n / 100 + 1e-9) + 1  # counts 0 .. floor(band x n), and as many at the top
        if admitted < MIN_CODED_COUNTS:
            pinned.append(f"{kind} n={n} {code}")
    return pinned


def test_a_coded_rate_never_pins_its_count_on_the_demo_or_small_schools(demo_harvest, small_schools):
    """Issue 29: a school's 6 respondents shown as `<=10%` told the public that none of them viewed trust
    favorably. Every coded band admits at least two counts."""
    con, _, _ = demo_harvest
    coded = con.execute("select count(*) from release_proficiency_cells where pct_code is not null").fetchone()[0]
    assert coded > 0
    assert pinned_bands(con) == []
    assert pinned_bands(small_schools) == []


def test_the_pin_check_catches_a_band_of_one_count():
    import warehouse

    con = warehouse.scratch()
    con.execute("create table release_proficiency_cells as select 45 as n_students, '<=2%' as pct_code")
    con.execute("create table release_survey as select 6 as n_respondents, '<=10%' as pct_code")
    assert pinned_bands(con) == ["students n=45 <=2%", "survey n=6 <=10%"]
