"""An attacker of the public release, written apart from the code that builds it (etl/release/).

It knows what any reader knows: every row the board audience can obtain, through every published query and
every parameter value the release allows (harvested through queries.runner.run_query, the path the Board page,
the deck and `queries run --audience board` take), and the categories of the district (schools, groups). It
also assumes the worst: that it knows which combinations of school x gender x race x programme exist (the
atoms). From each row it takes what the row reveals, conservatively: any figure that depends on a count
proficient (a rate, its interval, a gap, a ratio, a change) reveals that count exactly; a coded rate reveals
its band; a reference count reveals the total minus the group. Then, for every count not revealed, it solves
for the narrowest range consistent with all of it, in whole numbers (etl/release/audit.py's solver).
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse

from etl.release.audit import Model, integer_ranges
from queries.runner import Scope, list_queries, run_query

GROUPINGS = ("gender", "race_ethnicity", "is_ell", "is_iep", "is_504", "is_econ_disadv")
K_FIGURES = (
    "n_proficient",
    "pct_proficient",
    "pct_low",
    "pct_high",
    "gap_pp",
    "gap_low",
    "gap_high",
    "risk_ratio",
    "cohens_h",
    "mean_score",
    "pct_favorable",
    "mean_value",
)
REF_K_FIGURES = ("reference_pct", "gap_pp", "gap_low", "gap_high", "risk_ratio", "cohens_h")
CURRENT_AND_PRIOR = ("change_pp", "change_low", "change_high")  # a change reveals both years' counts proficient
CHANGE_FIGURES = (*CURRENT_AND_PRIOR, "prior_pct")  # what reveals the prior year's
BAND = re.compile(r"^([<>]=)(\d+(?:\.\d+)?)%$")


@dataclass
class Facts:
    """What the harvest revealed, per linked set: counts known, bands, complements."""

    n: set = field(default_factory=set)  # (set key, cell key)
    k: set = field(default_factory=set)
    bands: dict = field(default_factory=dict)  # (set key, cell key) -> (sign, percent)
    ref_n: set = field(default_factory=set)  # total minus the cell
    ref_k: set = field(default_factory=set)
    rows: int = 0
    queries: int = 0


def _number(value) -> bool:
    if value is None or isinstance(value, str) or isinstance(value, (bool, np.bool_)):
        return False
    try:
        return not math.isnan(float(value))
    except (TypeError, ValueError):
        return False


def parameter_grid(con) -> dict:
    """Every value each published parameter can take (the release's own years, areas, schools, groupings)."""
    years = [r[0] for r in con.execute("select distinct school_year from release_proficiency").fetchall()]
    areas = [r[0] for r in con.execute("select distinct content_area from release_proficiency").fetchall()]
    schools = [
        r[0]
        for r in con.execute(
            "select distinct school_id from release_proficiency where school_id is not null"
        ).fetchall()
    ]
    surveys = [r[0] for r in con.execute("select distinct survey_id from release_survey").fetchall()]
    waves = [r[0] for r in con.execute("select distinct wave from release_survey").fetchall()]
    constructs = [r[0] for r in con.execute("select distinct construct from release_survey").fetchall()]
    return {
        "school_year": [None, *years],
        "from_year": [None, *years],
        "to_year": [None, *years],
        "content_area": [None, *areas],
        "school_id": [None, *schools],
        "survey_id": [None, *surveys],
        "wave": [None, *waves],
        "construct": [None, *constructs],
    }


def harvest(con, scope: Scope = Scope(role="board")) -> tuple[list, int]:
    """Every (query, params, rows) the board audience can obtain: each published query with every combination
    of the parameters that change what is computed (groupings, `by`, periods) and, for each of those, every value
    of each filter parameter (year, content area, school, survey, wave, construct) in turn, the others left at
    their defaults. (A filter only selects rows of the same release table, so crossing filters with one another
    shows no row that one filter at a time does not.)"""
    grid = parameter_grid(con)
    results, count = [], 0
    for query in list_queries(release=True):
        choices = {k: list(v) for k, v in query.choices.items()}
        filters = [k for k in query.defaults if k in grid and k not in choices]
        for values in itertools.product(*choices.values()):
            chosen = dict(zip(choices, values))
            variants = [{}] + [{name: value} for name in filters for value in grid[name] if value is not None]
            for variant in variants:
                params = {**chosen, **variant}
                frame = run_query(con, query.name, params, scope, audience="board")
                count += 1
                effective = {**{k: v for k, v in query.defaults.items() if v is not None}, **params}
                results.append((query.name, effective, frame))
    return results, count


def facts_of(harvested: list, con) -> Facts:
    facts = Facts()
    previous_year = _previous_years(con)
    for name, params, frame in harvested:
        facts.queries += 1
        for row in frame.to_dict("records"):
            facts.rows += 1
            _read_row(facts, name, params, row, previous_year)
    return facts


def _previous_years(con) -> dict:
    years = sorted(r[0] for r in con.execute("select distinct school_year from release_proficiency").fetchall())
    return {b: a for a, b in zip(years, years[1:])}


def _student_cell(row: dict, params: dict, group_by: str, school_id) -> tuple:
    value = row.get("group_value")
    if group_by == "all":
        value = "all students"
    return ("district" if school_id is None else school_id, group_by, value)


def _scope_school(row: dict, params: dict):
    school = row.get("school_id") or params.get("school_id")
    return None if school in (None, "all") else school


def _read_row(facts: Facts, name: str, params: dict, row: dict, previous_year: dict) -> None:
    if name in ("school_years", "content_areas", "survey_waves", "never_assessed", "continuum_coverage", "latest_load"):
        return  # lists and standards: no count of people (continuum_coverage's n_students is always null)
    if name.startswith("survey_"):
        _read_survey_row(facts, name, params, row)
        return
    group_by = row.get("group_by") or params.get("group_by") or "all"
    school = _scope_school(row, params)
    if name in ("board_proficiency_change", "board_gap_change"):
        for side in ("from", "to"):
            year = row[f"{side}_year"]
            key = (year, row["content_area"])
            cell = _student_cell(row, params, "all" if name == "board_proficiency_change" else group_by, school)
            if _number(row.get(f"n_{side}")):
                facts.n.add((key, cell))
            if (
                _number(row.get(f"{side}_pct"))
                or _number(row.get(f"{side}_gap_pp"))
                or any(_number(row.get(c)) for c in ("change_pp", "change_low", "gap_change_pp", "gap_change_low"))
            ):
                facts.k.add((key, cell))
            _band(facts, key, cell, row.get(f"{side}_pct"))
            if name == "board_gap_change" and (
                _number(row.get(f"{side}_reference_pct")) or _number(row.get(f"{side}_gap_pp"))
            ):
                facts.ref_k.add((key, cell))
        if name == "board_gap_change" and _number(row.get("reference_n")):
            pass  # the smaller of two years' reference counts: an inequality, weaker than the rows themselves
        return
    year = row.get("school_year") or params.get("school_year")
    key = (year, row.get("content_area") or params.get("content_area"))
    cell = _student_cell(row, params, group_by, school)
    if _number(row.get("n_students")):
        facts.n.add((key, cell))
    if any(_number(row.get(c)) for c in K_FIGURES) or any(_number(row.get(c)) for c in CURRENT_AND_PRIOR):
        facts.k.add((key, cell))
    _band(facts, key, cell, row.get("pct_proficient"))
    if _number(row.get("reference_n")):
        facts.ref_n.add((key, cell))
    if any(_number(row.get(c)) for c in REF_K_FIGURES):
        facts.ref_k.add((key, cell))
    prior = previous_year.get(year)
    if prior is not None:
        prior_key = (prior, key[1])
        if _number(row.get("prior_n")):
            facts.n.add((prior_key, cell))
        if any(_number(row.get(c)) for c in CHANGE_FIGURES):
            facts.k.add((prior_key, cell))
        if any(_number(row.get(c)) for c in ("prior_gap_pp", "gap_change_pp", "gap_change_low")):
            facts.k.add((prior_key, cell))
            facts.ref_k.add((prior_key, cell))


def _band(facts: Facts, key, cell, value) -> None:
    if isinstance(value, str) and (match := BAND.match(value)):
        facts.bands[(key, cell)] = (match.group(1), float(match.group(2)))


def _read_survey_row(facts: Facts, name: str, params: dict, row: dict) -> None:
    key = (row["survey_id"], row["wave"], row["construct"])
    if name == "survey_role_gap":
        for role, n_column, pct_column in (
            ("leader", "n_leaders", "leader_pct"),
            ("teacher", "n_teachers", "teacher_pct"),
        ):
            cell = ("district", role)
            if _number(row.get(n_column)):
                facts.n.add((key, cell))
            if _number(row.get(pct_column)) or _number(row.get("gap_pp")):
                facts.k.add((key, cell))
            _band(facts, key, cell, row.get(pct_column))
        return
    school = _scope_school(row, params)
    cell = ("district" if school is None else school, "all roles")
    if _number(row.get("n_respondents")):
        facts.n.add((key, cell))
    if _number(row.get("pct_favorable")) or _number(row.get("mean_value")):
        facts.k.add((key, cell))
    _band(facts, key, cell, row.get("pct_favorable"))


# ------------------------------------------------------------------ the linear system of one linked set


def student_atoms(con, method: str, cut: float) -> pd.DataFrame:
    return con.execute(
        """
        select school_year, content_area, school_id,
            coalesce(gender, 'not reported') as gender,
            coalesce(race_ethnicity, 'not reported') as race_ethnicity,
            coalesce(cast(is_ell as varchar), 'not reported') as is_ell,
            coalesce(cast(is_iep as varchar), 'not reported') as is_iep,
            coalesce(cast(is_504 as varchar), 'not reported') as is_504,
            coalesce(cast(is_econ_disadv as varchar), 'not reported') as is_econ_disadv,
            count(*) as n, count(*) filter (where content_score >= $cut) as k
        from mart_content_status
        where method = $method and term is null and content_score is not null
        group by all order by all""",
        {"method": method, "cut": cut},
    ).df()


def student_cells(atoms: pd.DataFrame) -> dict:
    """Cell key -> atom indices: (scope, grouping, value) for the district and each school."""
    cells = {}
    for school in [None, *sorted(atoms["school_id"].unique())]:
        rows = atoms if school is None else atoms[atoms["school_id"] == school]
        scope = "district" if school is None else school
        cells[(scope, "all", "all students")] = rows.index.to_numpy()
        for grouping in GROUPINGS:
            for value, part in rows.groupby(grouping):
                cells[(scope, grouping, value)] = part.index.to_numpy()
    return cells


def survey_atoms(con) -> pd.DataFrame:
    return con.execute("""
        with answers as (
            select r.survey_id, r.wave, r.response_id, coalesce(r.school_id, 'not reported') as school_id,
                coalesce(r.role, 'not reported') as role, i.construct,
                case when i.is_reverse_coded then i.scale_points + 1 - r.value else r.value end as value,
                i.scale_points, favorable_points(i.scale_points) as n_top
            from survey_responses as r join survey_items as i using (survey_id, item_id)
            where i.scale_points is not null and i.construct is not null and r.value is not null
        ),
        people as (
            select survey_id, wave, construct, school_id, role, response_id,
                avg(case when value > scale_points - n_top then 1.0 else 0.0 end) >= 0.5 as is_favorable
            from answers group by all
        )
        select survey_id, wave, construct, school_id, role, count(*) as n, count(*) filter (where is_favorable) as k
        from people group by all order by all""").df()


def survey_cells(atoms: pd.DataFrame) -> dict:
    cells = {("district", "all roles"): atoms.index.to_numpy()}
    for role, part in atoms.groupby("role"):
        cells[("district", role)] = part.index.to_numpy()
    for school, part in atoms.groupby("school_id"):
        cells[(school, "all roles")] = part.index.to_numpy()
    return cells


@dataclass
class Attack:
    attacked_n: int = 0
    attacked_k: int = 0
    attacked_bands: int = 0
    narrowest_n: float = math.inf
    narrowest_k: float = math.inf
    broken: list = field(default_factory=list)  # (set key, cell key, side, low, high)


def attack_set(
    key,
    atoms: pd.DataFrame,
    cells: dict,
    facts: Facts,
    n_width: float,
    k_width: float,
    result: Attack,
    total_key: tuple | None = None,
    extra_known: set = frozenset(),
) -> None:
    """Solve every unrevealed count of one linked set; record the ones pinned narrower than the bounds."""
    atoms = atoms.reset_index(drop=True)
    n_atoms = len(atoms)
    true_n = atoms["n"].to_numpy(dtype=float)
    true_k = atoms["k"].to_numpy(dtype=float)
    rows, lower, upper = [], [], []

    def add(indices, coefficients, value_low, value_high):
        rows.append((np.asarray(indices), np.asarray(coefficients, dtype=float)))
        lower.append(value_low)
        upper.append(value_high)

    known_n = {c for (k, c) in facts.n if k == key} | {c for (k, c, s) in extra_known if k == key and s == "n"}
    known_k = {c for (k, c) in facts.k if k == key} | {c for (k, c, s) in extra_known if k == key and s == "k"}
    for cell, members in cells.items():
        ones = np.ones(len(members))
        if cell in known_n:
            add(members, ones, true_n[members].sum(), true_n[members].sum())
        if cell in known_k:
            add(members + n_atoms, ones, true_k[members].sum(), true_k[members].sum())
        band = facts.bands.get((key, cell))
        if band is not None and cell in known_n:
            n_cell = true_n[members].sum()
            if band[0] == "<=":
                add(members + n_atoms, ones, 0, math.floor(band[1] * n_cell / 100 + 1e-9))
            else:
                add(members + n_atoms, ones, math.ceil(band[1] * n_cell / 100 - 1e-9), n_cell)
    total = total_key(cells) if total_key else None
    for k, cell in facts.ref_n:
        if k == key and cell in cells and total is not None:
            rest = np.setdiff1d(cells[total(cell)], cells[cell])
            add(rest, np.ones(len(rest)), true_n[rest].sum(), true_n[rest].sum())
    for k, cell in facts.ref_k:
        if k == key and cell in cells and total is not None:
            rest = np.setdiff1d(cells[total(cell)], cells[cell])
            add(rest + n_atoms, np.ones(len(rest)), true_k[rest].sum(), true_k[rest].sum())
    for a in range(n_atoms):  # a count proficient never exceeds the count
        add([n_atoms + a, a], [1.0, -1.0], -np.inf, 0.0)
    data = np.concatenate([c for _, c in rows])
    cols = np.concatenate([i for i, _ in rows])
    index = np.concatenate([np.full(len(i), r) for r, (i, _) in enumerate(rows)])
    matrix = sparse.csr_matrix((data, (index, cols)), shape=(len(rows), 2 * n_atoms))
    model = Model(matrix, np.array(lower), np.array(upper), np.full(2 * n_atoms, np.inf))
    targets, needs, labels = [], [], []
    for cell, members in cells.items():
        if cell not in known_n:
            targets.append(members)
            needs.append(n_width)
            labels.append((cell, "n"))
        if cell not in known_k:
            targets.append(members + n_atoms)
            needs.append(k_width if (key, cell) not in facts.bands else np.inf)
            labels.append((cell, "band" if (key, cell) in facts.bands else "k"))
    if not targets:
        return
    ranges = integer_ranges(model, targets, np.concatenate([true_n, true_k]), needs)
    for (cell, side), members, (low, high) in zip(labels, targets, ranges):
        width = high - low
        if side == "n":
            result.attacked_n += 1
            result.narrowest_n = min(result.narrowest_n, width)
            if width < n_width - 1e-6:
                result.broken.append((key, cell, side, low, high))
        elif side == "k":
            result.attacked_k += 1
            result.narrowest_k = min(result.narrowest_k, width)
            if width < k_width - 1e-6:
                result.broken.append((key, cell, side, low, high))
        else:
            result.attacked_bands += 1
            sign, percent = facts.bands[(key, cell)]
            n_cell = true_n[members - n_atoms].sum()
            band = (
                (0, math.floor(percent * n_cell / 100 + 1e-9))
                if sign == "<="
                else (math.ceil(percent * n_cell / 100 - 1e-9), n_cell)
            )
            if low > band[0] + 1e-6 or high < band[1] - 1e-6:
                result.broken.append((key, cell, side, low, high))


def _student_total(cells: dict):
    return lambda cell: (cell[0], "all", "all students")


def attack_students(
    con, facts: Facts, method: str, cut: float, extra_known: set = frozenset(), only: set | None = None
) -> Attack:
    result = Attack()
    atoms = student_atoms(con, method, cut)
    for (year, area), group in atoms.groupby(["school_year", "content_area"]):
        if only is not None and (year, area) not in only:
            continue
        group = group.reset_index(drop=True)
        attack_set((year, area), group, student_cells(group), facts, 10, 5, result, _student_total, extra_known)
    return result


def attack_surveys(con, facts: Facts) -> Attack:
    result = Attack()
    atoms = survey_atoms(con)
    for (survey, wave, construct), group in atoms.groupby(["survey_id", "wave", "construct"]):
        group = group.reset_index(drop=True)
        attack_set((survey, wave, construct), group, survey_cells(group), facts, 5, 5, result)
    return result
