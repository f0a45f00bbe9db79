"""Choosing what a linked set of tables hides: primary suppression, top/bottom coding, then secondary
suppression chosen across every table of the set at once and checked by the attacker (etl/release/audit.py).

A `Linked` set is one school year x content area of student figures (or one survey wave): `atoms` (the smallest
groups any released cell adds up: a count and a count proficient or favorable each) and `cells` (each a sum of
atoms, with its true count and count proficient). A cell shows its count and rate, shows its count with a coded
rate (`<=5%`), shows its count only (rate withheld), or is hidden.

Secondary suppression is greedy and correct by construction: each hidden or coded cell is audited; while the
attacker can pin it more narrowly than the bound, the cheapest linked released figure (a sibling in its grouping,
the same group in another school or the district; totals last) whose removal widens the range is withheld too.
Withholding never narrows another cell's range, so one pass over every hidden and coded cell (including those
hidden on the way) leaves a pattern that passes. The final check is integer (mixed-integer programmes): the
attacker knows counts are whole numbers. docs/privacy.md states the rules and bounds.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

from etl.release.audit import Model, integer_ranges

SHOWN, CODED, RATE_HIDDEN, HIDDEN = "shown", "coded", "rate_withheld", "hidden"


@dataclass(frozen=True)
class Bounds:
    """The attacker's range must stay at least this wide for every hidden count."""

    min_n: int  # primary suppression: fewer people than this are hidden
    n_width: int  # a hidden count of people
    k_width: int  # a hidden count proficient (or favorable)


@dataclass
class Linked:
    atom_n: np.ndarray  # people per atom
    atom_k: np.ndarray  # proficient (favorable) per atom
    members: list  # per cell: the atom indices it adds up
    cost: np.ndarray  # per cell: how much the publication loses by hiding it (smaller first)
    neighbours: list  # per cell: indices of the cells an attacker would subtract it from, nearest first
    k_upper_per_n: float = 1.0  # k of an atom is at most this times its n (1 proficient per student)
    status: list = field(default_factory=list)
    band: list = field(default_factory=list)  # per coded cell: (low, high) of k its code admits
    code: list = field(default_factory=list)  # per coded cell: the text shown ('<=5%')

    @property
    def n(self) -> np.ndarray:
        return np.array([self.atom_n[m].sum() for m in self.members])

    @property
    def k(self) -> np.ndarray:
        return np.array([self.atom_k[m].sum() for m in self.members])


# A coded band always admits at least this many counts: `<=10%` of 6 respondents would admit only 0, and tell
# the public that nobody in the group answered favorably (issue 29's breach).
MIN_CODED_COUNTS = 2
WIDER_BANDS = (2.0, 5.0, 10.0, 20.0, 25.0, 50.0)


def coding_fraction(n: int) -> float:
    """Top/bottom coding band in percent for a group of n (NCES SLDS Technical Brief 3: the smaller the group,
    the wider the band a rate near 0% or 100% is shown as), widened until the band admits at least
    MIN_CODED_COUNTS counts: for 41-49 students 5% (2% of 45 would admit only 0), for 5-9 respondents 20%."""
    base = 10.0 if n <= 20 else 5.0 if n <= 40 else 2.0 if n <= 100 else 1.0
    for band in (base, *(b for b in WIDER_BANDS if b > base)):
        if admitted_counts(n, band) >= MIN_CODED_COUNTS:
            return band
    return WIDER_BANDS[-1]


def admitted_counts(n: int, band: float) -> int:
    """How many counts a bottom band `<=band%` of a group of n admits (the top band admits as many)."""
    return math.floor(band * n / 100 + 1e-9) + 1


def primary(linked: Linked, bounds: Bounds, code_rates: bool = True) -> None:
    """Hide cells under the minimum; code rates near 0% or 100%."""
    n, k = linked.n, linked.k
    linked.status = [SHOWN] * len(n)
    linked.band = [None] * len(n)
    linked.code = [None] * len(n)
    for c, (cell_n, cell_k) in enumerate(zip(n, k)):
        if cell_n < bounds.min_n:
            linked.status[c] = HIDDEN
            continue
        if not code_rates:
            continue
        fraction = coding_fraction(int(cell_n))
        rate = 100.0 * cell_k / cell_n
        if rate <= fraction:
            linked.status[c], linked.code[c] = CODED, f"<={fraction:g}%"
            linked.band[c] = (0, math.floor(fraction * cell_n / 100 + 1e-9))
        elif rate >= 100 - fraction:
            linked.status[c], linked.code[c] = CODED, f">={100 - fraction:g}%"
            linked.band[c] = (math.ceil((100 - fraction) * cell_n / 100 - 1e-9), int(cell_n))


def model_of(linked: Linked) -> Model:
    """Every figure the set could state, as rows over variables n (per atom) then k: row 2c is cell c's count,
    row 2c+1 its count proficient; then, per atom, k <= n (times the items each person answers, for surveys).
    `sync` sets the rows' bounds from the cells' statuses."""
    atoms = len(linked.atom_n)
    rows, cols, data = [], [], []
    for c, members in enumerate(linked.members):
        rows += [2 * c] * len(members) + [2 * c + 1] * len(members)
        cols += list(members) + list(members + atoms)
        data += [1.0] * (2 * len(members))
    base = 2 * len(linked.members)
    for a in range(atoms):
        rows += [base + a, base + a]
        cols += [atoms + a, a]
        data += [1.0, -linked.k_upper_per_n]
    matrix = sparse.csr_matrix((data, (rows, cols)), shape=(base + atoms, 2 * atoms))
    model = Model(matrix, *_bounds(linked))
    return model


def sync(linked: Linked, model: Model) -> Model:
    model.set_bounds(*_bounds(linked))
    return model


def _bounds(linked: Linked):
    """Row and column bounds for the cells' statuses: a shown figure is an equality, a coded rate a band, a
    withheld one no row at all (infinite bounds)."""
    atoms = len(linked.atom_n)
    cells = len(linked.members)
    n, k = linked.n, linked.k
    lower = np.full(2 * cells + atoms, -np.inf)
    upper = np.full(2 * cells + atoms, np.inf)
    upper[2 * cells :] = 0.0
    col_upper = np.full(2 * atoms, np.inf)
    for c, status in enumerate(linked.status):
        members = linked.members[c]
        if status != HIDDEN:
            lower[2 * c] = upper[2 * c] = n[c]
            # no atom holds more than a released count it is part of (implied, but it keeps searches small)
            col_upper[members] = np.minimum(col_upper[members], n[c])
        if status == SHOWN:
            lower[2 * c + 1] = upper[2 * c + 1] = k[c]
            col_upper[members + atoms] = np.minimum(col_upper[members + atoms], k[c])
        elif status == CODED:
            lower[2 * c + 1], upper[2 * c + 1] = linked.band[c]
    col_upper[atoms:] = np.minimum(col_upper[atoms:], col_upper[:atoms] * linked.k_upper_per_n)
    return lower, upper, col_upper


def audit_targets_of(linked: Linked, bounds: Bounds, cell: int) -> list:
    """What the attacker must not pin about one cell: (cell, side, atom indices, width needed), for a hidden
    count of people ('n') and of proficient ('k'), and a coded rate ('k', width None: its whole band)."""
    atoms = len(linked.atom_n)
    members = linked.members[cell]
    status = linked.status[cell]
    targets = []
    if status == HIDDEN:
        targets.append((cell, "n", members, bounds.n_width))
    if status in (HIDDEN, RATE_HIDDEN):
        targets.append((cell, "k", members + atoms, bounds.k_width))
    elif status == CODED:
        targets.append((cell, "k", members + atoms, None))
    return targets


def audit_targets(linked: Linked, bounds: Bounds) -> list:
    return [t for c in range(len(linked.members)) for t in audit_targets_of(linked, bounds, c)]


def passes(linked: Linked, cell: int, width, low: float, high: float) -> bool:
    if width is None:
        band_low, band_high = linked.band[cell]
        return low <= band_low + 1e-6 and high >= band_high - 1e-6
    return high - low >= width - 1e-6


def failures(linked: Linked, bounds: Bounds, model: Model | None = None, integer: bool = True) -> list:
    """Every (cell, side) the attacker can pin beyond the bounds, by whole numbers (or the relaxation)."""
    model = sync(linked, model) if model is not None else model_of(linked)
    targets = audit_targets(linked, bounds)
    if integer:
        need = [np.inf if w is None else w for _, _, _, w in targets]
        known = np.concatenate([linked.atom_n, linked.atom_k])
        ranges = integer_ranges(model, [t for _, _, t, _ in targets], known, need)
    else:
        ranges = [model.range_of(t) for _, _, t, _ in targets]
    return [(c, side) for (c, side, _, w), (low, high) in zip(targets, ranges) if not passes(linked, c, w, low, high)]


def secondary(linked: Linked, bounds: Bounds) -> int:
    """Withhold released figures until every hidden and coded cell passes the whole-number audit; returns how
    many figures were withheld.

    Each cell is audited with the linear relaxation first (fast; its range is never narrower than the
    whole-number one, so a cell it fails is truly pinned) and protected until it passes; then the whole pattern
    is audited with whole numbers and any cell still pinned is protected again, with a wider target."""
    model = model_of(linked)
    withheld, extra = 0, 0
    while True:
        withheld += _protect_relaxed(linked, bounds, model, extra)
        pinned = failures(linked, bounds, model, integer=True)
        if not pinned:
            return withheld
        extra += 2
        for cell, side in pinned:
            chosen = _protection(linked, bounds, model, cell, side, extra) or [
                (_cheapest_neighbour(linked, cell, side), side)
            ]
            for other, other_side in chosen:
                _withhold(linked, other, other_side)
            withheld += len(chosen)


def _protect_relaxed(linked: Linked, bounds: Bounds, model: Model, extra: int) -> int:
    withheld = 0
    sync(linked, model)
    queue = deque(c for c, s in enumerate(linked.status) if s != SHOWN)
    while queue:
        cell = queue.popleft()
        stuck = 0
        while True:
            found = [
                side
                for c, side, t, w in audit_targets_of(linked, bounds, cell)
                if not passes(linked, c, w, *model.range_of(t))
            ]
            if not found:
                break
            chosen = _protection(linked, bounds, model, cell, found[0], extra + 2 * stuck)
            if not chosen:
                chosen = [(_cheapest_neighbour(linked, cell, found[0]), found[0])]
            for other, side in chosen:
                _withhold(linked, other, side)
                queue.append(other)
            withheld += len(chosen)
            stuck += 1
            sync(linked, model)
    return withheld


def _target(linked: Linked, bounds: Bounds, cell: int, side: str, extra: int) -> tuple[float, float]:
    """The range this cell's count must be able to take: a band of the bound's width around the true value
    (as far below it as zero allows), or, for a coded rate, the whole band its code admits."""
    if side == "k" and linked.status[cell] == CODED:
        return linked.band[cell]
    true = float(linked.n[cell] if side == "n" else linked.k[cell])
    width = (bounds.n_width if side == "n" else bounds.k_width) + extra
    low = max(0.0, true - math.ceil(width / 2))
    return low, low + width


def _protection(linked: Linked, bounds: Bounds, model: Model, cell: int, side: str, extra: int = 0) -> list:
    """The cheapest released figures whose removal lets this cell reach both ends of its target range.

    For each end, a linear programme finds counts that reach it while departing as little as possible (weighted
    by each figure's cost) from the released figures; the figures it departed from are the ones to withhold:
    without them that solution is consistent with everything still released, so the attacker cannot rule it out.
    """
    atoms = len(linked.atom_n)
    sync(linked, model)
    low_target, high_target = _target(linked, bounds, cell, side, extra)
    members = linked.members[cell] + (atoms if side == "k" else 0)
    chosen: dict = {}
    for sign, target in ((1.0, high_target), (-1.0, low_target)):
        for row in _departures(model, members, sign, target, linked.cost) or []:
            other, row_side = row // 2, ("n" if row % 2 == 0 else "k")
            if other != cell:
                chosen[other] = "n" if "n" in (row_side, chosen.get(other)) else "k"
    return list(chosen.items())


def _departures(model: Model, members, sign: float, target: float, cell_cost: np.ndarray):
    """Rows (released equalities) that a cheapest solution reaching sign * sum(x[members]) >= sign * target
    departs from; None when no solution reaches it even so."""
    is_equal = np.isfinite(model.lower) & (model.lower == model.upper)
    is_inequality = ~is_equal & (np.isfinite(model.lower) | np.isfinite(model.upper))
    equal_rows = np.flatnonzero(is_equal)
    a_eq, b_eq = model.matrix[equal_rows], model.lower[equal_rows]
    ineq = np.flatnonzero(is_inequality)
    a_ineq = model.matrix[ineq]
    goal = np.zeros(model.n_vars)
    goal[np.asarray(members)] = -sign
    a_ub = sparse.vstack(
        [a_ineq[np.isfinite(model.upper[ineq])], -a_ineq[np.isfinite(model.lower[ineq])], sparse.csr_matrix(goal)]
    )
    b_ub = np.concatenate(
        [
            model.upper[ineq][np.isfinite(model.upper[ineq])],
            -model.lower[ineq][np.isfinite(model.lower[ineq])],
            [-sign * target],
        ]
    )
    rows = len(equal_rows)
    weights = cell_cost[equal_rows // 2] / (np.abs(b_eq) + 10.0)
    eye = sparse.identity(rows, format="csr")
    result = linprog(
        np.concatenate([np.zeros(model.n_vars), weights, weights]),
        A_ub=sparse.hstack([a_ub, sparse.csr_matrix((a_ub.shape[0], 2 * rows))]),
        b_ub=b_ub,
        A_eq=sparse.hstack([a_eq, eye, -eye]),
        b_eq=b_eq,
        bounds=[(0, u if np.isfinite(u) else None) for u in np.full(model.n_vars, np.inf)] + [(0, None)] * (2 * rows),
        method="highs",
    )
    if result.x is None:
        return None
    slack = result.x[model.n_vars : model.n_vars + rows] + result.x[model.n_vars + rows :]
    return [int(equal_rows[r]) for r in np.flatnonzero(slack > 1e-7)]


def _cheapest_neighbour(linked: Linked, cell: int, side: str) -> int:
    near = [c for c in linked.neighbours[cell] if _releases(linked, c, side)]
    pool = near or [c for c in range(len(linked.members)) if c != cell and _releases(linked, c, side)]
    if not pool:
        raise RuntimeError("nothing left to withhold, yet a cell is pinned: the publication contradicts itself")
    return min(pool, key=lambda c: linked.cost[c])


def _withhold(linked: Linked, cell: int, side: str) -> None:
    if side == "n":
        linked.status[cell] = HIDDEN
    elif linked.status[cell] != HIDDEN:
        linked.status[cell] = RATE_HIDDEN
    linked.band[cell] = None
    linked.code[cell] = None


def _releases(linked: Linked, cell: int, side: str) -> bool:
    status = linked.status[cell]
    return status != HIDDEN if side == "n" else status in (SHOWN, CODED)
