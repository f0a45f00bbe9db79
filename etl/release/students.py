"""The public release of student figures: percent proficient by school year x content area x scope (the district,
each school) x grouping (all students, gender, race/ethnicity, English learner, IEP, 504, economically
disadvantaged), with the district's calculation method only.

What a board needs and no more: no grade within a school, no crossed groups, no term, no other method, no mean
score (none of these is in any public view, and every table left out removes equations an attacker could use).
Each school year x content area is one linked set (etl/release/pattern.py): its cells share atoms, the students
of one school x gender x race x program combination. Different years and content areas are different students'
records, so they are audited separately.
"""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd

from etl.release.pattern import CODED, HIDDEN, RATE_HIDDEN, SHOWN, Bounds, Linked, primary, secondary

GROUPINGS = ("gender", "race_ethnicity", "is_ell", "is_iep", "is_504", "is_econ_disadv")
ALL = "all"
DISTRICT = "district"
BOUNDS = Bounds(min_n=10, n_width=10, k_width=5)
PATTERN_VERSION = "2"  # bumped when the choice of pattern changes: every set is audited again

ATOMS_SQL = """
select
    school_year,
    content_area,
    school_id,
    coalesce(gender, 'not reported') as gender,
    coalesce(race_ethnicity, 'not reported') as race_ethnicity,
    coalesce(cast(is_ell as varchar), 'not reported') as is_ell,
    coalesce(cast(is_iep as varchar), 'not reported') as is_iep,
    coalesce(cast(is_504 as varchar), 'not reported') as is_504,
    coalesce(cast(is_econ_disadv as varchar), 'not reported') as is_econ_disadv,
    count(*) as n,
    count(*) filter (where content_score >= $cut) as k
from mart_content_status
where method = $method and term is null and content_score is not null
group by all
order by all
"""


def read_atoms(con, method: str, cut: float) -> pd.DataFrame:
    return con.execute(ATOMS_SQL, {"method": method, "cut": cut}).df()


def cells_of(atoms: pd.DataFrame) -> pd.DataFrame:
    """Every cell a release table holds for one linked set: scope x grouping x value, with its atoms."""
    rows = []
    scopes = [(DISTRICT, None)] + [("school", s) for s in sorted(atoms["school_id"].dropna().unique())]
    for scope, school_id in scopes:
        in_scope = atoms.index if school_id is None else atoms.index[atoms["school_id"] == school_id]
        rows.append((scope, school_id, ALL, "all students", np.asarray(in_scope)))
        for grouping in GROUPINGS:
            values = atoms.loc[in_scope, grouping]
            for value in sorted(values.unique()):
                rows.append((scope, school_id, grouping, value, np.asarray(in_scope[values == value])))
    return pd.DataFrame(rows, columns=["scope", "school_id", "group_by", "group_value", "members"])


def linked_set(atoms: pd.DataFrame, cells: pd.DataFrame) -> Linked:
    n = atoms["n"].to_numpy(dtype=float)
    members = list(cells["members"])
    cell_n = np.array([n[m].sum() for m in members])
    is_total = (cells["group_by"] == ALL).to_numpy()
    is_district = (cells["scope"] == DISTRICT).to_numpy()
    # Hide small school cells before district ones, and totals only when nothing else will do.
    cost = cell_n * np.where(is_district, 3.0, 1.0) + np.where(is_total, 1e7, 0.0)
    keys = list(zip(cells["scope"], cells["school_id"], cells["group_by"], cells["group_value"]))
    by_row: dict = {}
    by_column: dict = {}
    for c, (scope, school, grouping, value) in enumerate(keys):
        by_row.setdefault((scope, school, grouping), []).append(c)
        by_column.setdefault((grouping, value), []).append(c)
    neighbours = []
    for c, (scope, school, grouping, value) in enumerate(keys):
        near = [x for x in by_row[(scope, school, grouping)] if x != c]
        near += [x for x in by_column[(grouping, value)] if x != c]
        neighbours.append(near)
    return Linked(atom_n=n, atom_k=atoms["k"].to_numpy(dtype=float), members=members, cost=cost, neighbours=neighbours)


def release_one(atoms: pd.DataFrame) -> tuple[pd.DataFrame, Linked]:
    """The released cells of one school year x content area, and the linked set behind them."""
    atoms = atoms.reset_index(drop=True)
    cells = cells_of(atoms)
    linked = linked_set(atoms, cells)
    primary(linked, BOUNDS)
    secondary(linked, BOUNDS)
    n, k = linked.n, linked.k
    out = cells.drop(columns="members").copy()
    out["status"] = linked.status
    out["n_students"] = [None if s == HIDDEN else int(v) for s, v in zip(linked.status, n)]
    out["n_proficient"] = [int(v) if s == SHOWN else None for s, v in zip(linked.status, k)]
    out["pct_code"] = linked.code
    return out, linked


def release(atoms: pd.DataFrame, previous: pd.DataFrame | None = None) -> pd.DataFrame:
    """The released cells of every school year x content area. A set whose atoms are unchanged since the last
    build (same `atoms_hash` in `previous`) keeps its pattern: a load of one year re-audits that year only."""
    frames, todo = [], []
    for (year, area), group in atoms.groupby(["school_year", "content_area"], sort=True):
        digest = atoms_hash(group)
        kept = _kept(previous, digest, school_year=year, content_area=area)
        if kept is None:
            todo.append((len(frames), year, area, digest, group))
        frames.append(kept)
    # Sets are independent and HiGHS releases the interpreter while it solves: two at a time on two cores.
    with ThreadPoolExecutor(max_workers=2) as pool:
        built = pool.map(lambda job: release_one(job[4])[0], todo)
        for (index, year, area, digest, _), cells in zip(todo, built):
            frames[index] = cells.assign(school_year=year, content_area=area, atoms_hash=digest)
    frame = (
        pd.concat(frames, ignore_index=True)[COLUMNS]
        if frames
        else pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS})
    )
    return frame


COLUMNS = [
    "school_year",
    "content_area",
    "scope",
    "school_id",
    "group_by",
    "group_value",
    "status",
    "n_students",
    "n_proficient",
    "pct_code",
    "atoms_hash",
]


def atoms_hash(atoms: pd.DataFrame) -> str:
    """What a set's pattern depends on: its atoms, the bounds and the pattern code's version."""
    text = atoms.drop(columns=["school_year", "content_area"], errors="ignore").to_csv(index=False)
    return hashlib.sha256(f"{PATTERN_VERSION}|{BOUNDS}|{text}".encode()).hexdigest()


def _kept(previous: pd.DataFrame | None, digest: str, **where) -> pd.DataFrame | None:
    if previous is None or previous.empty or "atoms_hash" not in previous:
        return None
    rows = previous[previous["atoms_hash"] == digest]
    for column, value in where.items():
        rows = rows[rows[column] == value]
    return rows.copy() if not rows.empty else None


STATUSES = (SHOWN, CODED, RATE_HIDDEN, HIDDEN)
