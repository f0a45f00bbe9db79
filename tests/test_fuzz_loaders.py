"""Fuzz: generated malformed CSV, XLSX and JSON files fed to every loader through `python -m etl load`'s own
main(). Whatever the file, the command either loads it (rows read, loaded, rejected) or refuses it with one
line naming the file, a non-zero exit and every table of the warehouse exactly as it was; never a traceback.
Bounded (a fixed number of examples, each a small file) so that it runs in well under a minute."""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import warehouse
from etl import __main__ as etl_cli
from tests.conftest import FIXTURES
from tests.test_load_safety import snapshot

SEEDS = {  # a real file of each kind, to be broken
    "roster": FIXTURES / "roster_sis_quirks.csv",
    "gradebook": FIXTURES / "gradebook_canonical.csv",
    "continuum": FIXTURES / "continuum_small.csv",
    "survey": FIXTURES / "survey_google_forms.csv",
}
FUZZ = settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
NASTY = [
    '"',
    "\r",
    "\n",
    "\r\n",
    ",",
    ";",
    "\t",
    "\x00",
    "\ufeff",
    "\u00e9",
    "=cmd()",
    "9999-12-31",
    "0202-01-15",
    "maybe",
    "x" * 300,
    "-",
    "'",
    "\\",
    "\u202e",
    "NaN",
    "1e999",
]


@pytest.fixture(scope="module")
def fuzz_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("fuzz") / "fuzz.duckdb"
    for kind, name in (
        ("continuum", "continuum_small.csv"),
        ("roster", "roster_canonical.csv"),
        ("gradebook", "gradebook_canonical.csv"),
    ):
        assert etl_cli.main(["load", kind, str(FIXTURES / name), "--db", str(path)]) == 0
    return path


def tables(path: Path) -> dict:
    con = warehouse.connect(path, read_only=True)
    try:
        return snapshot(con)
    finally:
        con.close()


_LAST: dict[Path, dict] = {}  # the warehouse's tables after the previous example


def check_load(db: Path, kind: str, file: Path) -> None:
    before = _LAST.get(db) or tables(db)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = etl_cli.main(["load", kind, str(file), "--db", str(db)])
    problems = [line for line in err.getvalue().splitlines() if line.strip()]
    assert "Traceback" not in err.getvalue() + out.getvalue()
    after = _LAST[db] = tables(db)
    if os.environ.get("FUZZ_REPORT"):
        print(
            f"FUZZ {kind} {file.suffix} {'refused' if status else 'loaded'}: "
            f"{(problems or out.getvalue().splitlines())[0][:200]}",
            file=sys.__stdout__,
        )
    if status != 0:
        assert len(problems) == 1 and problems[0].startswith(f"refused: {file.name}"), problems
        assert after == before  # a refused file changes nothing
        return
    assert problems == [], problems
    first = out.getvalue().splitlines()[0]
    assert first.startswith(f"{file.name}: ") and ("rows read" in first or "already loaded" in first), first


def mutate(data: bytes, rng: random.Random, n: int) -> bytes:
    """Break a file the ways exports break: stray bytes, quotes and line ends, cut rows, extra cells."""
    data = bytearray(data)
    for _ in range(n):
        at = rng.randrange(len(data) + 1)
        action = rng.randrange(6)
        if action == 0:
            data[at:at] = rng.choice(NASTY).encode("utf-8")
        elif action == 1:
            del data[at : at + rng.randrange(1, 40)]
        elif action == 2:
            data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 8)))
        elif action == 3:
            data = data[:at] or data
        elif action == 4:
            data[at:at] = b"," * rng.randrange(1, 5)
        else:
            lines = bytes(data).split(b"\n")
            i = rng.randrange(len(lines))
            lines.insert(i, lines[i])
            data = bytearray(b"\n".join(lines))
    return bytes(data)


@FUZZ
@given(kind=st.sampled_from(sorted(SEEDS)), seed=st.integers(0, 2**32 - 1), n=st.integers(1, 12))
def test_fuzz_malformed_csv_is_loaded_or_refused_in_one_line(fuzz_db, tmp_path_factory, kind, seed, n):
    file = tmp_path_factory.mktemp("csv") / f"{kind}.csv"
    file.write_bytes(mutate(SEEDS[kind].read_bytes(), random.Random(seed), n))
    check_load(fuzz_db, kind, file)


cells = st.one_of(
    st.none(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(NASTY),
    st.booleans(),
    st.dates(),
    st.datetimes(),
)


@FUZZ
@given(
    kind=st.sampled_from(["roster", "gradebook", "continuum"]),
    header=st.lists(
        st.one_of(
            st.sampled_from(
                [
                    "student_id",
                    "school_id",
                    "grade_level",
                    "school_year",
                    "standard_code",
                    "mark",
                    "content_area",
                    "continuum_level",
                    "is_ell",
                    "assessed_on",
                ]
            ),
            st.text(max_size=12),
        ),
        min_size=1,
        max_size=8,
    ),
    rows=st.lists(st.lists(cells, max_size=9), max_size=12),
    truncate=st.one_of(st.none(), st.integers(0, 4000)),
)
def test_fuzz_malformed_xlsx_is_loaded_or_refused_in_one_line(fuzz_db, tmp_path_factory, kind, header, rows, truncate):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in [header, *rows]:
        try:
            sheet.append([_xlsx_safe(v) for v in row])
        except Exception:  # openpyxl refuses some values itself (illegal characters); the file still differs
            sheet.append(["?"] * len(row))
    file = tmp_path_factory.mktemp("xlsx") / f"{kind}.xlsx"
    workbook.save(file)
    if truncate is not None:
        file.write_bytes(file.read_bytes()[:truncate])
    check_load(fuzz_db, kind, file)


def _xlsx_safe(value):
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return str(value)  # openpyxl writes no NaN or infinity
    return value


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20)),
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(
            st.sampled_from(["code", "statement", "gradeLevels", "id", "depth", "parentId", "children", "title"])
            | st.text(max_size=6),
            children,
            max_size=6,
        ),
    ),
    max_leaves=30,
)


@FUZZ
@given(data=json_values, garble=st.one_of(st.none(), st.integers(0, 200)))
def test_fuzz_malformed_json_is_loaded_or_refused_in_one_line(fuzz_db, tmp_path_factory, data, garble):
    text = json.dumps(data)
    if garble is not None:
        text = text[:garble] + "}{" + text[garble:]
    file = tmp_path_factory.mktemp("json") / "standards.json"
    file.write_text(text)
    check_load(fuzz_db, "continuum", file)
