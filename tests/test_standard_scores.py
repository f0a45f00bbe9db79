"""The numpy build of the marts (etl/standard_scores.py, etl/score_keys.py, etl/continuum_levels.py) against
plain definitions and through the real loader: sorting, chunking, majority scores, and rows that fall
outside the roster or the continuum."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etl import standard_scores
from etl.continuum_levels import _majority_scores
from etl.score_keys import sort_with_order
from tests.conftest import load

HEADER = "student_id,school_year,term,assessed_on,school_id,standard_code,mark,assessment_type\n"


@pytest.mark.parametrize("key_bits", [20, 60], ids=["position-packed-under-key", "argsort-when-bits-run-out"])
def test_sort_with_order_matches_argsort(key_bits):
    rng = np.random.default_rng(3)
    key = rng.integers(0, 1 << min(key_bits, 40), 5000)
    key[::7] = key[0]  # ties
    sorted_key, order = sort_with_order(key, key_bits)
    assert np.array_equal(sorted_key, np.sort(key))
    assert np.array_equal(key[order], sorted_key)
    assert sorted(order.tolist()) == list(range(len(key)))


@settings(max_examples=150, deadline=None)
@given(
    runs=st.lists(
        st.lists(st.integers(0, 4000).map(lambda u: u / 1000), min_size=1, max_size=15), min_size=1, max_size=30
    )
)
def test_majority_score_is_the_middle_rank_from_the_top(runs):
    scores = np.concatenate([np.array(r) for r in runs])
    lengths = np.array([len(r) for r in runs])
    starts = np.r_[0, np.cumsum(lengths)[:-1]]
    result = _majority_scores(scores, starts, starts + lengths)
    for i, run in enumerate(runs):
        assert result[i] == sorted(run, reverse=True)[len(run) // 2], run


def test_chunks_give_the_same_marts_as_one_chunk(small_district, monkeypatch):
    whole = dict(standard_scores.build(small_district, 0.65, 3, ["2025-26"]))
    monkeypatch.setattr(standard_scores, "PIECES_PER_CHUNK", 2)
    chunked = dict(standard_scores.build(small_district, 0.65, 3, ["2025-26"]))
    for name, table in whole.items():
        assert _sorted_rows(chunked[name]) == _sorted_rows(table), name


def _sorted_rows(table: pa.Table) -> list:
    rows = table.to_pylist()
    return sorted(rows, key=lambda row: repr(sorted(row.items())))


def test_evidence_outside_roster_and_continuum(con, fixtures_dir, tmp_path):
    """A student missing from the roster and a standard missing from the continuum keep their standard
    scores and evidence; content-area status counts only enrolled students on known standards."""
    load(con, "continuum", fixtures_dir / "continuum_small.csv")
    load(con, "roster", fixtures_dir / "roster_canonical.csv")
    gradebook = tmp_path / "gradebook.csv"
    gradebook.write_text(
        HEADER
        + "\n".join(
            [
                "0001,2025-26,T1,2025-09-02,S1,M.3.NF.1,3,formative",
                "0001,2025-26,T1,2025-09-02,S1,M.3.NF.1,4,formative",  # same day: one piece, 3.5
                "0001,2025-26,T1,,S1,M.3.NF.1,2,formative",  # undated: first, and not a date
                "0001,2025-26,T1,2025-09-05,S1,X.NOT.IN.CONTINUUM,2,formative",
                "9999,2025-26,T1,2025-09-03,S1,M.3.NF.1,1,formative",  # not on the roster
            ]
        )
        + "\n"
    )
    load(con, "gradebook", gradebook)
    evidence = con.execute(
        "select student_id, standard_code, assessed_on, day_score, n_scores, school_id "
        "from mart_evidence order by student_id, standard_code, assessed_on nulls first"
    ).fetchall()
    assert [(s, c, str(d) if d else None, v, n) for s, c, d, v, n, _ in evidence] == [
        ("0001", "M.3.NF.1", None, 2.0, 1),
        ("0001", "M.3.NF.1", "2025-09-02", 3.5, 2),
        ("0001", "X.NOT.IN.CONTINUUM", "2025-09-05", 2.0, 1),
        ("9999", "M.3.NF.1", "2025-09-03", 1.0, 1),
    ]
    assert evidence[-1][-1] is None  # 9999 has no enrollment, so no school
    scores = con.execute(
        "select student_id, standard_code, content_area, n_evidence, score_first, score_most_recent, "
        "first_assessed_on::varchar from mart_standard_scores order by student_id, standard_code"
    ).fetchall()
    assert scores == [
        ("0001", "M.3.NF.1", "math", 2, 2.0, 3.5, "2025-09-02"),
        ("0001", "X.NOT.IN.CONTINUUM", None, 1, 2.0, 2.0, "2025-09-05"),
        ("9999", "M.3.NF.1", "math", 1, 1.0, 1.0, "2025-09-03"),
    ]
    status = con.execute(
        "select student_id, content_area, term, content_score, n_standards_scored from mart_content_status "
        "where method = 'most_recent' order by term nulls first"
    ).fetchall()
    assert status == [("0001", "math", None, 3.5, 1), ("0001", "math", "T1", 3.5, 1)]


def test_an_old_warehouse_with_mart_tables_rebuilds_them_as_views(small_district):
    from etl import marts

    small_district.execute("drop view mart_evidence")
    small_district.execute("create table mart_evidence as select 1 as old")
    marts.rebuild(small_district)
    kinds = dict(
        small_district.execute(
            "select table_name, table_type from information_schema.tables where table_name like 'mart_%'"
        ).fetchall()
    )
    assert kinds["mart_evidence"] == "VIEW" and kinds["mart_content_status"] == "VIEW"
    assert small_district.execute("select count(*) from mart_evidence").fetchone()[0] > 0


def test_rebuild_command_rebuilds_only_outdated_marts(small_district, db_path, capsys):
    from etl import marts
    from etl.__main__ import main

    small_district.execute("update warehouse_info set value = '1' where key = 'marts_version'")
    small_district.close()
    assert main(["rebuild", "--db", str(db_path), "--if-outdated"]) == 0
    assert f"rebuilt (version {marts.MARTS_VERSION})" in capsys.readouterr().out
    assert main(["rebuild", "--db", str(db_path), "--if-outdated"]) == 0
    assert capsys.readouterr().out == ""  # up to date: nothing done
