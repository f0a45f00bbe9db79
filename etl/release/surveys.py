"""The public release of staff survey results: for each survey wave and construct, the share of respondents who
view it favorably, by scope (the district; each school) and role (all roles; each role district-wide).

Not school x role: that crossing let a school's few leaders be recovered from the district's leaders minus the
other schools'. A respondent views a construct favorably when at least half of their answers to its items are in
the favorable points of the scale (docs/numbers.md, "Survey favorability"), so a cell states people, not answers: n
respondents and k of them favorable, the same shape as students and proficient, audited the same way (fewer than
5 respondents hidden; every hidden count at least 5 wide). The constructs of a wave are answered by the same
people, so a cell hidden in one construct is hidden in all of them. Items tagged with a mode of professional
learning (the PLC system page's staff views) are not published: the PLC system is for staff only.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from etl.release import students
from etl.release.pattern import HIDDEN, SHOWN, Bounds, Linked, _withhold, primary, secondary

BOUNDS = Bounds(min_n=5, n_width=5, k_width=5)
DISTRICT = "district"
ALL_ROLES = "all roles"

ATOMS_SQL = """
with answers as (
    select
        r.survey_id,
        r.wave,
        r.response_id,
        coalesce(r.school_id, 'not reported') as school_id,
        coalesce(r.role, 'not reported') as role,
        i.construct,
        case when i.is_reverse_coded then i.scale_points + 1 - r.value else r.value end as value,
        i.scale_points,
        favorable_points(i.scale_points) as n_top
    from survey_responses as r
    join survey_items as i using (survey_id, item_id)
    where i.scale_points is not null and i.construct is not null and r.value is not null
      -- staff views of a mode of professional learning belong to the PLC system, which is staff-only
      and i.learning_mode is null
),

people as (
    select survey_id, wave, school_id, role, construct, response_id,
        avg(case when value > scale_points - n_top then 1.0 else 0.0 end) >= 0.5 as is_favorable
    from answers
    group by all
)

select survey_id, wave, construct, school_id, role, count(*) as n, count(*) filter (where is_favorable) as k
from people
group by all
order by all
"""


def read_atoms(con) -> pd.DataFrame:
    return con.execute(ATOMS_SQL).df()


def cells_of(atoms: pd.DataFrame) -> pd.DataFrame:
    rows = [(DISTRICT, None, ALL_ROLES, np.asarray(atoms.index))]
    for role in sorted(atoms["role"].unique()):
        rows.append((DISTRICT, None, role, np.asarray(atoms.index[atoms["role"] == role])))
    for school in sorted(atoms["school_id"].unique()):
        rows.append(("school", school, ALL_ROLES, np.asarray(atoms.index[atoms["school_id"] == school])))
    return pd.DataFrame(rows, columns=["scope", "school_id", "role", "members"])


def linked_set(atoms: pd.DataFrame, cells: pd.DataFrame) -> Linked:
    n = atoms["n"].to_numpy(dtype=float)
    members = list(cells["members"])
    cell_n = np.array([n[m].sum() for m in members])
    is_total = ((cells["scope"] == DISTRICT) & (cells["role"] == ALL_ROLES)).to_numpy()
    cost = cell_n + np.where(is_total, 1e7, 0.0)
    everything = list(range(len(members)))
    neighbours = [[x for x in everything if x != c] for c in everything]
    return Linked(atom_n=n, atom_k=atoms["k"].to_numpy(dtype=float), members=members, cost=cost, neighbours=neighbours)


def release_wave(atoms: pd.DataFrame) -> pd.DataFrame:
    """One survey wave: every construct's cells, with one hiding pattern for the counts of people."""
    constructs = {}
    for construct, group in atoms.groupby("construct", sort=True):
        group = group.reset_index(drop=True)
        cells = cells_of(group)
        linked = linked_set(group, cells)
        primary(linked, BOUNDS)
        constructs[construct] = (cells, linked)
    for _ in range(len(constructs) + 1):  # until every construct hides the same cells
        for _cells, linked in constructs.values():
            secondary(linked, BOUNDS)
        hidden = set().union(
            *(
                {_key(cells, c) for c, s in enumerate(linked.status) if s == HIDDEN}
                for cells, linked in constructs.values()
            )
        )
        changed = False
        for cells, linked in constructs.values():
            for c in range(len(linked.status)):
                if _key(cells, c) in hidden and linked.status[c] != HIDDEN:
                    _withhold(linked, c, "n")
                    changed = True
        if not changed:
            break
    frames = []
    for construct, (cells, linked) in constructs.items():
        out = cells.drop(columns="members").copy()
        out["construct"] = construct
        out["status"] = linked.status
        out["n_respondents"] = [None if s == HIDDEN else int(v) for s, v in zip(linked.status, linked.n)]
        out["n_favorable"] = [int(v) if s == SHOWN else None for s, v in zip(linked.status, linked.k)]
        out["pct_code"] = linked.code
        frames.append(out)
    return pd.concat(frames, ignore_index=True)


def _key(cells: pd.DataFrame, c: int) -> tuple:
    row = cells.iloc[c]
    return row["scope"], row["school_id"], row["role"]


def release(con, previous: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every survey wave's cells; a wave whose atoms are unchanged since the last build keeps its pattern."""
    atoms = read_atoms(con)
    frames = []
    for (survey, wave), group in atoms.groupby(["survey_id", "wave"], sort=True):
        digest = students.atoms_hash(group.drop(columns=["survey_id", "wave"]))
        kept = students._kept(previous, digest, survey_id=survey, wave=wave)
        if kept is None:
            kept = release_wave(group).assign(survey_id=survey, wave=wave, atoms_hash=digest)
        frames.append(kept)
    if not frames:
        return pd.DataFrame(
            {
                **{c: pd.Series(dtype="object") for c in COLUMNS},
                "n_respondents": pd.Series(dtype="Int64"),
                "n_favorable": pd.Series(dtype="Int64"),
                "pct_favorable": pd.Series(dtype="float64"),
            }
        )
    frame = pd.concat(frames, ignore_index=True)[COLUMNS]
    favorable = pd.to_numeric(frame["n_favorable"], errors="coerce")
    frame["pct_favorable"] = (100 * favorable / pd.to_numeric(frame["n_respondents"], errors="coerce")).round(1)
    return frame


COLUMNS = [
    "survey_id",
    "wave",
    "construct",
    "scope",
    "school_id",
    "role",
    "status",
    "n_respondents",
    "n_favorable",
    "pct_code",
    "atoms_hash",
]
