"""The app as a viewer meets it (Streamlit AppTest): every page renders, the Overview's figures are the
right ones, and the app says plainly why it has nothing to show.

Warehouses are built from CSV files by the real loader (etl.load.load_file, as `python -m etl load`
does). The Overview's percent proficient is checked against an independent known answer: the marks
below are generated here, and the decaying average, the same-day rule and the content-area mean are
recomputed from the warehouse's raw tables (scores, enrollments, standards) with pandas and exact
fractions, not from the marts.
"""

from __future__ import annotations

import base64
import json
import random
import subprocess
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from streamlit.testing.v1 import AppTest

import warehouse
from etl.load import load_file
from ui.navigation import PAGES, pages_for
from warehouse.config import CONFIG_PATH
from warehouse.config import METHODS as CALCULATION_METHODS

REPO_ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
LATEST, PRIOR = "2025-26", "2024-25"
WEIGHT = Fraction(13, 20)  # decaying average: 0.65 on the newest piece of evidence
CUT = Fraction(3)
SUPPRESSED = "n<10"
# Every page a district leader may open (the local-mode viewer), from the app's own page registry, so a
# page added to ui/navigation.py is covered here without editing this file.
LEADER_PAGES = [p.path for p in pages_for("district_leader")]


# ------------------------------------------------------------------ the known-answer district


@dataclass(frozen=True)
class District:
    db: Path
    roster: pd.DataFrame
    gradebook: pd.DataFrame


STANDARDS = pd.DataFrame(
    [
        ("KA.M.3.1", "KA", "math", "OA", 3, "Multiply within 100"),
        ("KA.M.3.2", "KA", "math", "NF", 3, "Fractions as numbers"),
        ("KA.M.3.3", "KA", "math", "MD", 3, "Area of rectangles"),
        ("KA.E.3.1", "KA", "ela", "RL", 3, "Ask and answer questions"),
        ("KA.E.3.2", "KA", "ela", "RI", 3, "Main idea"),
        ("KA.E.3.3", "KA", "ela", "W", 3, "Opinion pieces"),
        ("KA.S.3.1", "KA", "science", "LS", 3, "Life cycles"),
    ],
    columns=["standard_code", "framework", "content_area", "strand", "continuum_level", "description"],
)
MARKS = {"1": 1.0, "2": 2.0, "2+": 2.33, "3-": 2.67, "3": 3.0, "4": 4.0}
NOT_EVIDENCE = ["IE", "NY"]
RACES = ["White", "Hispanic or Latino", "Black or African American", "Asian", "Two or more races"]


def make_district_files(folder: Path, seed: int = 20251124) -> dict[str, Path]:
    """Sixty students in two schools this year (45 of them also last year), with known marks.

    Planted on purpose: same-day scores (one piece of evidence), IE/NY marks (counted, never averaged),
    rows out of date order, three students at exactly the cut (all 3s), a student with no evidence and
    one with only IE marks (enrolled, but not in any percent's denominator), and science assessed for
    only six students (a group under 10: n<10 and no figure).
    """
    rng = random.Random(seed)
    roster_rows, score_rows = [], []
    math_ela = STANDARDS[STANDARDS["content_area"] != "science"]["standard_code"].tolist()
    for year, ids, grade, strength in ((LATEST, range(2001, 2061), 3, 0.0), (PRIOR, range(2011, 2056), 2, -0.4)):
        start = date(int(year[:4]), 9, 2)
        for number in ids:
            student = str(number).zfill(5)  # leading zeros must survive the loader
            i = number - 2001
            school = "S1" if i < 30 else "S2"
            roster_rows.append(
                {
                    "school_year": year,
                    "student_id": student,
                    "last_name": f"Student{i:02d}",
                    "first_name": "Test",
                    "school_id": school,
                    "school_name": "North Elementary" if school == "S1" else "South Elementary",
                    "grade_level": grade,
                    "gender": "Female" if i % 2 else "Male",
                    "race_ethnicity": RACES[i % 5],
                    "is_ell": i % 5 == 0,
                    "is_iep": i % 7 == 0,
                    "is_504": i % 15 == 0,
                    "is_econ_disadv": i % 2 == 0,
                }
            )

            def add(standard: str, day: int, mark: str, term: str | None = None) -> None:
                on = start + timedelta(days=day)
                score_rows.append(
                    {
                        "student_id": student,
                        "school_year": year,
                        "term": term or ("T1" if day < 90 else "T2" if day < 180 else "T3"),
                        "assessed_on": on.isoformat(),
                        "school_id": school,
                        "course_id": f"G{grade}",
                        "section_id": f"{school}-{grade}",
                        "teacher_id": f"T{school}",
                        "standard_code": standard,
                        "score": MARKS.get(mark),
                        "mark": mark,
                        "assessment_type": rng.choice(["formative", "summative"]),
                    }
                )

            if year == LATEST and number == 2058:
                continue  # enrolled, no evidence at all
            if year == LATEST and number == 2059:
                for standard in math_ela[:3]:
                    add(standard, 20, rng.choice(NOT_EVIDENCE))
                continue
            if year == LATEST and number in (2001, 2002, 2003):
                for standard in math_ela:  # exactly at the cut: proficient, with 1 to 7 pieces of evidence
                    for day in sorted(rng.sample(range(0, 250), rng.randint(1, 7))):
                        add(standard, day, "3")
                continue
            for standard in math_ela:
                if year == LATEST and number == 2060 and standard.startswith("KA.E"):
                    continue  # math only
                if rng.random() < 0.15:
                    continue  # this standard not assessed for this student
                ability = strength + rng.uniform(-1.2, 1.2)
                for day in sorted(rng.sample(range(0, 250), rng.randint(1, 4))):
                    mark = _draw_mark(rng, ability + day / 250)
                    add(standard, day, mark)
                    if rng.random() < 0.2:  # a second score the same day: one piece, their mean
                        add(standard, day, _draw_mark(rng, ability))
                    if rng.random() < 0.1:
                        add(standard, day + 1, rng.choice(NOT_EVIDENCE))
            if year == LATEST and number in range(2004, 2010):
                for day in sorted(rng.sample(range(0, 250), 2)):
                    add("KA.S.3.1", day, _draw_mark(rng, 0.5))
    rng.shuffle(score_rows)  # the loader, not the file, must put evidence in date order
    files = {
        "continuum": folder / "continuum.csv",
        "roster": folder / "roster.csv",
        "gradebook": folder / "gradebook.csv",
    }
    STANDARDS.to_csv(files["continuum"], index=False)
    pd.DataFrame(roster_rows).to_csv(files["roster"], index=False)
    pd.DataFrame(score_rows).to_csv(files["gradebook"], index=False)
    return files


def _draw_mark(rng: random.Random, ability: float) -> str:
    level = 2.6 + ability + rng.gauss(0, 0.6)
    return min(MARKS, key=lambda m: abs(MARKS[m] - level))


def build_warehouse(db: Path, files: dict[str, Path]) -> Path:
    """Load continuum, roster and gradebook through the real loader, then let go of the file."""
    con = warehouse.connect(db)
    try:
        for kind in ("continuum", "roster", "gradebook"):
            report = load_file(con, kind, files[kind])
            assert report.status == "loaded" and report.rows_rejected == 0, report.lines()
    finally:
        con.close()
    return db


@pytest.fixture(scope="module")
def district(tmp_path_factory) -> District:
    folder = tmp_path_factory.mktemp("known-answer")
    files = make_district_files(folder)
    db = build_warehouse(folder / "district.duckdb", files)
    return District(
        db,
        pd.read_csv(files["roster"], dtype={"student_id": str}),
        pd.read_csv(files["gradebook"], dtype={"student_id": str, "mark": str}),
    )


@pytest.fixture(scope="module")
def tiny_db(tmp_path_factory) -> Path:
    """The four-student district of tests/fixtures: every group is under 10."""
    folder = tmp_path_factory.mktemp("tiny")
    files = {
        k: FIXTURES / f
        for k, f in (
            ("continuum", "continuum_small.csv"),
            ("roster", "roster_canonical.csv"),
            ("gradebook", "gradebook_canonical.csv"),
        )
    }
    return build_warehouse(folder / "tiny.duckdb", files)


@pytest.fixture(scope="module")
def no_gradebook_db(tmp_path_factory) -> Path:
    """A district's first loads: the continuum and a roster, no evidence yet."""
    folder = tmp_path_factory.mktemp("no-gradebook")
    files = {"continuum": FIXTURES / "continuum_small.csv", "roster": FIXTURES / "roster_canonical.csv"}
    con = warehouse.connect(folder / "first.duckdb")
    try:
        for kind, path in files.items():
            assert load_file(con, kind, path).status == "loaded"
    finally:
        con.close()
    return folder / "first.duckdb"


@pytest.fixture(scope="module")
def demo_flagged_db(district, tmp_path_factory) -> Path:
    """The known-answer warehouse marked as the demo district (warehouse_info is_demo = true)."""
    db = tmp_path_factory.mktemp("flagged") / "demo.duckdb"
    db.write_bytes(district.db.read_bytes())
    con = warehouse.connect(db)
    try:
        warehouse.set_info(con, "is_demo", "true")
    finally:
        con.close()
    return db


def raw_tables(db: Path) -> dict[str, pd.DataFrame]:
    con = warehouse.connect(db, read_only=True)
    try:
        return {t: con.execute(f"select * from {t}").df() for t in ("scores", "enrollments", "standards")}
    finally:
        con.close()


# ------------------------------------------------------------------ the independent computation


def decaying_average(pieces: list[Fraction]) -> Fraction:
    """D1 = x1, Dk = w xk + (1 - w) D(k-1), oldest first."""
    value = pieces[0]
    for piece in pieces[1:]:
        value = WEIGHT * piece + (1 - WEIGHT) * value
    return value


METHODS = {"decaying_average": decaying_average, "most_recent": lambda pieces: pieces[-1]}


def expected_by_content_area(tables: dict[str, pd.DataFrame], year: str, method: str = "decaying_average") -> dict:
    """content_area -> (students with a scored standard, proficient students), from the raw tables."""
    scores = tables["scores"]
    scored = scores[(scores["school_year"] == year) & scores["score"].notna()]
    enrolled = set(tables["enrollments"].query("school_year == @year")["student_id"])
    scored = scored[scored["student_id"].isin(enrolled)]
    area_of = dict(zip(tables["standards"]["standard_code"], tables["standards"]["content_area"]))
    # Same-day scores are one piece of evidence: their mean (exact: the stored doubles as written).
    scored = scored.assign(exact=scored["score"].map(lambda s: Fraction(repr(float(s)))))
    days = (
        scored.groupby(["student_id", "standard_code", "assessed_on"])["exact"]
        .agg(lambda v: sum(v, Fraction(0)) / len(v))
        .reset_index()
        .sort_values("assessed_on")
    )
    standard_scores = (
        days.groupby(["student_id", "standard_code"])["exact"].agg(lambda v: METHODS[method](list(v))).reset_index()
    )
    standard_scores["content_area"] = standard_scores["standard_code"].map(area_of)
    content = (
        standard_scores.groupby(["student_id", "content_area"])["exact"]
        .agg(lambda v: sum(v, Fraction(0)) / len(v))
        .reset_index()
    )
    return {area: (len(rows), int((rows["exact"] >= CUT).sum())) for area, rows in content.groupby("content_area")}


# ------------------------------------------------------------------ running the app


@pytest.fixture
def app_env(monkeypatch, tmp_path):
    """Point the app at a warehouse, as one person on their own computer (auth mode local)."""
    config = yaml.safe_load(CONFIG_PATH.read_text()) or {}
    config["auth"] = {"mode": "local"}
    config_path = tmp_path / "district.yaml"
    config_path.write_text(yaml.safe_dump(config))
    monkeypatch.setenv("DASHBOARD_CONFIG", str(config_path))
    monkeypatch.delenv("DASHBOARD_AUTH", raising=False)

    def use(db: Path) -> None:
        monkeypatch.setenv("DASHBOARD_DB", str(db))

    return use


def run_app(page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=60).run()
    if page is not None:
        at.switch_page(page).run()
    return at


def assert_clean(at: AppTest, where: str) -> None:
    assert not at.exception, f"{where}: {[e.value for e in at.exception]}"
    assert not at.error, f"{where}: error shown: {[e.value for e in at.error]}"


def elements(node, kind: str) -> list:
    """Every element of a type in the tree (AppTest has no accessor for plotly charts)."""
    found = []
    if getattr(node, "type", None) == kind:
        found.append(node)
    for child in getattr(node, "children", {}).values():
        found.extend(elements(child, kind))
    return found


def plotly_bars(at: AppTest) -> pd.DataFrame:
    """The Overview's bar chart as drawn: category, bar height, label and hover text."""
    charts = [c for c in elements(at.main, "plotly_chart") if c.proto.id.endswith("overview_proficiency")]
    assert len(charts) == 1, f"expected one content-area chart on the Overview, found {len(charts)}"
    trace = json.loads(charts[0].proto.spec)["data"][0]
    return pd.DataFrame({"x": trace["x"], "y": _array(trace["y"]), "text": trace["text"], "hover": trace["hovertext"]})


def _array(value) -> list[float]:
    if isinstance(value, dict) and "bdata" in value:  # plotly's typed-array encoding
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"])).tolist()
    return list(value)


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def is_demo_banner(text: str) -> bool:
    return "Demo district" in text


# ------------------------------------------------------------------ every page renders


def test_every_page_file_is_in_the_navigation():
    registered = {p.path for p in PAGES}
    folders = {Path(p.path).parent for p in PAGES}
    on_disk = {
        f"{folder.as_posix()}/{f.name}"
        for folder in folders
        for f in (REPO_ROOT / folder).glob("*.py")
        if not f.name.startswith("_")
    }
    assert on_disk <= registered, f"page files missing from ui/navigation.py PAGES: {sorted(on_disk - registered)}"


def test_every_page_runs_inside_the_entrypoint(app_env, district):
    """Opening a page runs dashboard.py around it: sidebar, viewer, notices. Streamlit runs a page file
    on its own instead (old multipage mode) when a folder named `pages/` sits beside dashboard.py, for
    AppTest's page switches and for the first request of a new server."""
    app_env(district.db)
    at = run_app()
    for page in LEADER_PAGES:
        at.switch_page(page).run()
        assert_clean(at, page)
        assert "Calculation method" in [s.label for s in at.sidebar.selectbox], (
            f"{page} ran without dashboard.py (its sidebar is missing); is there a pages/ folder beside it?"
        )


@pytest.mark.parametrize("page", LEADER_PAGES)
@pytest.mark.parametrize("which", ["known_answer", "tiny", "no_gradebook"])
def test_page_renders_without_exception(app_env, request, page, which):
    app_env(
        {
            "known_answer": lambda: request.getfixturevalue("district").db,
            "tiny": lambda: request.getfixturevalue("tiny_db"),
            "no_gradebook": lambda: request.getfixturevalue("no_gradebook_db"),
        }[which]()
    )
    at = run_app(page)
    assert_clean(at, page)
    titles = [t.value for t in at.title]
    assert titles and all(titles), f"{page} shows no title"
    expected_title = next(p.title for p in PAGES if p.path == page)
    assert expected_title.casefold() in [t.casefold() for t in titles], (
        f"{page}: expected the page's own title {expected_title!r}, got {titles}"
    )
    assert not any(is_demo_banner(i.value) for i in at.info), "demo banner on a warehouse that is not the demo"


def test_switching_pages_in_one_session(app_env, district):
    """One viewer walks through every page and back, as the sidebar does."""
    app_env(district.db)
    at = run_app()
    for page in [*LEADER_PAGES, LEADER_PAGES[0]]:
        at.switch_page(page).run()
        assert_clean(at, page)
        title = next(p.title for p in PAGES if p.path == page)
        assert title.casefold() in [t.value.casefold() for t in at.title], f"{page}: {[t.value for t in at.title]}"


# ------------------------------------------------------------------ the Overview's figures


def test_overview_counts(app_env, district):
    app_env(district.db)
    at = run_app()
    assert_clean(at, "overview")
    assert at.selectbox(key="overview_year").value == LATEST  # the newest year first
    tables = raw_tables(district.db)
    latest = district.gradebook[district.gradebook["school_year"] == LATEST]
    assert len(tables["scores"].query("school_year == @LATEST")) == len(latest)
    shown = metrics(at)
    assert shown["Students"] == "60"  # enrolled, with or without evidence
    assert shown["Schools"] == "2"
    assert shown["Standards assessed"] == str(latest.loc[latest["score"].notna(), "standard_code"].nunique()) == "7"
    assert shown["Scores recorded"] == f"{len(latest):,}"  # IE and NY marks are recorded too


@pytest.mark.parametrize("year", [LATEST, PRIOR])
def test_overview_percent_proficient_matches_independent_computation(app_env, district, year):
    app_env(district.db)
    at = run_app()
    at.selectbox(key="overview_year").set_value(year).run()
    assert_clean(at, f"overview {year}")
    expected = expected_by_content_area(raw_tables(district.db), year)
    bars = plotly_bars(at).set_index("x")
    names = {"math": "Math", "ela": "ELA", "science": "Science"}
    assert set(bars.index) == {names[a] for a in expected}
    for area, (n, proficient) in expected.items():
        bar = bars.loc[names[area]]
        if n < 10:
            continue
        pct = 100 * proficient / n
        assert abs(bar["y"] - pct) <= 0.05 + 1e-9, (
            f"{year} {area}: shown {bar['y']}, expected {pct:.2f} ({proficient}/{n})"
        )
        assert bar["text"] == f"{pct:.0f}%"
        assert bar["hover"] == f"n = {n}"
    # The denominators are the students with a scored standard, read from the generated file itself:
    # the student without evidence and the one with only IE/NY marks are in no denominator.
    written = district.gradebook[(district.gradebook["school_year"] == year) & district.gradebook["score"].notna()]
    for area, prefix in (("math", "KA.M."), ("ela", "KA.E.")):
        scored = set(written.loc[written["standard_code"].str.startswith(prefix), "student_id"])
        assert expected[area][0] == len(scored) >= 40
        assert 0 < expected[area][1] < expected[area][0]
        if year == LATEST:
            assert not {"02058", "02059"} & scored
            assert ("02060" in scored) == (area == "math")


@pytest.mark.parametrize("method", list(CALCULATION_METHODS))
def test_students_at_the_cut_are_proficient_by_every_method(district, method):
    """Students 02001-02003 have only 3s (1 to 7 per standard): every method's score is exactly the cut,
    so they are proficient (>= 3.0) in math and ELA whichever method the district picks."""
    tables = raw_tables(district.db)
    at_cut = tables["scores"][tables["scores"]["student_id"].isin(["02001", "02002", "02003"])]
    assert set(at_cut["score"]) == {3.0}
    assert at_cut.groupby(["student_id", "standard_code"])["assessed_on"].nunique().max() >= 6
    con = warehouse.connect(district.db, read_only=True)
    try:
        status = con.execute(
            "select student_id, content_area, content_score from mart_content_status "
            "where method = $method and term is null and student_id in ('02001', '02002', '02003')",
            {"method": method},
        ).df()
    finally:
        con.close()
    assert len(status) == 6
    below = status[status["content_score"] < 3.0]
    assert below.empty, f"{method}: all-3 students scored below the cut: {below.to_dict('records')}"


def test_overview_follows_the_calculation_method(app_env, district):
    app_env(district.db)
    at = run_app()
    at.sidebar.selectbox(key="method").set_value("most_recent").run()
    assert_clean(at, "overview, most recent")
    bars = plotly_bars(at).set_index("x")
    by_decay = expected_by_content_area(raw_tables(district.db), LATEST)
    by_recent = expected_by_content_area(raw_tables(district.db), LATEST, "most_recent")
    assert by_recent != by_decay, "the fixture should make the two methods disagree"
    for area, name in (("math", "Math"), ("ela", "ELA")):
        n, proficient = by_recent[area]
        assert abs(bars.loc[name, "y"] - 100 * proficient / n) <= 0.05 + 1e-9
    assert any("most recent" in c.value for c in at.caption), "the method in force is always shown"


def test_small_groups_show_n_under_10_and_no_figure(app_env, district, tiny_db):
    app_env(district.db)
    at = run_app()
    science = plotly_bars(at).set_index("x").loc["Science"]
    assert expected_by_content_area(raw_tables(district.db), LATEST)["science"][0] == 6
    assert science["text"] == SUPPRESSED and science["y"] == 0 and SUPPRESSED in science["hover"]

    app_env(tiny_db)  # four students: every count and figure is a group under 10
    at = run_app()
    assert_clean(at, "overview, tiny district")
    assert set(metrics(at).values()) == {SUPPRESSED}
    assert set(plotly_bars(at)["text"]) == {SUPPRESSED}


# ------------------------------------------------------------------ banners and empty states


def test_demo_banner_only_on_the_demo_warehouse(app_env, district, demo_flagged_db):
    app_env(demo_flagged_db)
    for page in LEADER_PAGES:
        at = run_app(page)
        assert_clean(at, page)
        assert sum(is_demo_banner(i.value) for i in at.info) == 1, f"{page}: no demo banner on the demo warehouse"
    app_env(district.db)
    at = run_app()
    assert not any(is_demo_banner(i.value) for i in at.info)
    assert metrics(at)["Students"] == "60"


def test_missing_warehouse_shows_how_to_build_one(app_env, tmp_path):
    missing = tmp_path / "nowhere" / "district.duckdb"
    app_env(missing)
    at = run_app()
    assert_clean(at, "missing warehouse")
    assert any("No warehouse yet" in w.value for w in at.warning)
    assert any("python -m etl demo" in m.value for m in at.markdown)
    assert "Overview" not in [t.value for t in at.title]  # no page ran
    assert not missing.exists(), "showing the empty state must not create a warehouse file"


LOCK_HOLDER = """
import sys, duckdb
con = duckdb.connect(sys.argv[1])  # a write connection: what `python -m etl load` holds while loading
print("locked", flush=True)
sys.stdin.readline()
con.close()
"""


def test_load_in_progress_shows_refresh_notice_then_recovers(app_env, district, tmp_path):
    db = tmp_path / "busy.duckdb"
    db.write_bytes(district.db.read_bytes())
    app_env(db)
    holder = subprocess.Popen(
        [sys.executable, "-c", LOCK_HOLDER, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        at = run_app()
        assert_clean(at, "busy warehouse")
        assert any("Data refresh in progress" in w.value for w in at.warning)
        assert "Overview" not in [t.value for t in at.title]
    finally:
        holder.communicate("done\n", timeout=30)
    at.run()  # the load has finished: the same session shows figures again
    assert_clean(at, "after the load")
    assert not any("Data refresh in progress" in w.value for w in at.warning)
    assert metrics(at)["Students"] == "60"
