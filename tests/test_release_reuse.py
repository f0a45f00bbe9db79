"""A linked set keeps its release pattern while its atoms are unchanged (etl/release/students.py), and the
demo ships its patterns so that a fresh build reuses them (etl/demo.py RELEASE_PATTERNS)."""

from __future__ import annotations

import pandas as pd
import pytest

from etl.demo import RELEASE_PATTERNS
from etl.release import students
from warehouse.config import district_config


@pytest.fixture
def atoms(demo_con) -> pd.DataFrame:
    config = district_config()
    return students.read_atoms(demo_con, config.calculation_method, config.proficiency_cut).assign(
        cut=config.proficiency_cut
    )


@pytest.fixture
def shipped() -> pd.DataFrame:
    return pd.read_parquet(RELEASE_PATTERNS)


def test_the_shipped_demo_patterns_are_the_demo_s_own(demo_con, shipped):
    built = demo_con.execute(
        "select distinct school_year, content_area, atoms_hash from release_proficiency_cells"
    ).df()
    ours = set(map(tuple, built.to_numpy()))
    assert (
        set(map(tuple, shipped[["school_year", "content_area", "atoms_hash"]].drop_duplicates().to_numpy())) == ours
    ), (
        "data/demo/release_patterns.parquet is stale (the demo or the pattern code changed): run "
        "`python -m etl demo --db /tmp/demo.duckdb --refresh-release-patterns` and commit the file"
    )


def solved_sets(monkeypatch, atoms: pd.DataFrame, previous: pd.DataFrame) -> list[tuple]:
    """The (school year, content area) sets that `release` solved again, with the solver replaced by a stub."""
    solved = []

    def stub(group: pd.DataFrame):
        solved.append(1)
        return previous.iloc[:1].drop(columns=["school_year", "content_area", "atoms_hash"]), None

    monkeypatch.setattr(students, "release_one", stub)
    students.release(atoms, previous)
    return solved


def test_unchanged_atoms_reuse_every_pattern(monkeypatch, atoms, shipped):
    assert solved_sets(monkeypatch, atoms, shipped) == []


def test_a_set_whose_atoms_changed_is_solved_again_and_only_it(monkeypatch, atoms, shipped):
    changed = atoms.copy()
    one = changed.index[(changed["school_year"] == "2025-26") & (changed["content_area"] == "math")][0]
    changed.loc[one, "n"] = changed.loc[one, "n"] + 1
    assert len(solved_sets(monkeypatch, changed, shipped)) == 1


def test_a_pattern_built_by_other_code_is_not_reused(monkeypatch, atoms, shipped):
    monkeypatch.setattr(students, "PATTERN_VERSION", "another version")
    assert len(solved_sets(monkeypatch, atoms, shipped)) == atoms.groupby(["school_year", "content_area"]).ngroups
