"""make bench runs to the end: every query it times exists for the audience the page asked with.

The whole bench at 100,000 scores takes about three minutes here, too long for `make test`; its failure on
main (issue 27: `no query named 'public_proficiency'`) was in the page half, which this runs on the demo.
"""

from __future__ import annotations

import shutil

import pytest

from bench import pages


@pytest.fixture
def demo_copy(demo_db, tmp_path):
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, path)
    return path


def test_the_bench_times_every_query_a_page_ran_for_the_audience_that_asked(demo_copy, monkeypatch):
    monkeypatch.setattr(pages, "WARM_RUNS", 1)
    monkeypatch.setenv("DASHBOARD_DB", str(demo_copy))
    renders, calls = pages.page_renders(demo_copy)
    assert "public_release" in renders and "plc_meeting" in renders
    assert ("public_proficiency", "board") in {(name, audience) for name, _, audience in calls}
    p50, p95 = pages.query_timings(demo_copy, calls)
    assert "board:public_proficiency" in p95 and "gap_trend" in p95
    assert set(p95) == {f"board:{n}" if a == "board" else n for n, _, a in calls}
    assert all(p50[name] <= p95[name] for name in p95)
