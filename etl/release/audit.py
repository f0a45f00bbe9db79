"""The attacker's view of a publication: how narrowly can a hidden count be pinned by everything released?

A released figure is a linear fact about small "atoms" (students of one school x gender x race x program
combination): a cell's count is the sum of its atoms' counts. For a hidden cell the attacker's best knowledge is
the range [min, max] of its count over every non-negative whole-number solution of all released facts. That
range is two optimisation problems, solved here with HiGHS (highspy; the solver behind scipy's linprog and
milp): as a linear programme (fast; its range is never narrower than the whole-number one) or as a
mixed-integer programme (the attacker who knows counts are whole numbers: the range that decides).

A `Model` holds every fact a publication could state as a row `lower <= A x <= upper`; a withheld figure is a
row with infinite bounds. Withholding changes bounds only, so each new solve starts from the last basis.
docs/privacy.md explains the threat model and the bounds.
"""

from __future__ import annotations

import highspy
import numpy as np
from scipy import sparse

INF = highspy.kHighsInf


def _quiet_first_solver() -> None:
    """HiGHS prints its banner on stdout when the first solver of a process is made; a load's output is for
    people, so make that first one with stdout pointed elsewhere."""
    import os
    import sys

    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)


_quiet_first_solver()


class Model:
    def __init__(self, matrix: sparse.csr_matrix, lower: np.ndarray, upper: np.ndarray, col_upper: np.ndarray):
        self.matrix = sparse.csr_matrix(matrix)
        self.n_vars = self.matrix.shape[1]
        self.lower = np.asarray(lower, dtype=float).copy()
        self.upper = np.asarray(upper, dtype=float).copy()
        self.col_upper = np.asarray(col_upper, dtype=float).copy()
        self._solvers: dict = {}
        self._stale: dict = {}
        self.integer_solves = 0  # mixed-integer programmes run (the costly ones)

    def set_bounds(self, lower: np.ndarray, upper: np.ndarray, col_upper: np.ndarray) -> None:
        self.lower, self.upper, self.col_upper = (np.asarray(a, dtype=float).copy() for a in (lower, upper, col_upper))
        self._stale = {key: True for key in self._solvers}

    def _solver(self, integer: bool):
        if integer not in self._solvers:
            lp = highspy.HighsLp()
            lp.num_col_ = self.n_vars
            lp.num_row_ = self.matrix.shape[0]
            lp.col_cost_ = np.zeros(self.n_vars)
            lp.col_lower_ = np.zeros(self.n_vars)
            lp.col_upper_ = _finite(self.col_upper)
            lp.row_lower_ = _finite(self.lower)
            lp.row_upper_ = _finite(self.upper)
            lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
            lp.a_matrix_.start_ = self.matrix.indptr
            lp.a_matrix_.index_ = self.matrix.indices
            lp.a_matrix_.value_ = self.matrix.data
            if integer:
                lp.integrality_ = [highspy.HighsVarType.kInteger] * self.n_vars
            highs = highspy.Highs()
            highs.setOptionValue("output_flag", False)
            if integer:
                # The objective is a sum of whole counts: an incumbent within 1 of the bound is the optimum.
                highs.setOptionValue("mip_abs_gap", 0.999)
            else:
                # Only objectives and bounds change between solves, so primal simplex from the last basis
                # (presolve would start every re-solve from scratch).
                highs.setOptionValue("presolve", "off")
                highs.setOptionValue("simplex_strategy", 4)
            highs.passModel(lp)
            self._solvers[integer] = highs
            self._stale[integer] = False
        highs = self._solvers[integer]
        if self._stale.get(integer):
            rows = np.arange(self.matrix.shape[0], dtype=np.int32)
            highs.changeRowsBounds(len(rows), rows, _finite(self.lower), _finite(self.upper))
            cols = np.arange(self.n_vars, dtype=np.int32)
            highs.changeColsBounds(len(cols), cols, np.zeros(self.n_vars), _finite(self.col_upper))
            self._stale[integer] = False
        return highs

    def range_of(self, indices, integer: bool = False) -> tuple[float, float]:
        """(min, max) of the sum of x[indices] over every solution (every whole-number one if `integer`)."""
        cost = np.zeros(self.n_vars)
        cost[np.asarray(indices)] = 1.0
        if integer:
            self.integer_solves += 2
        return (self._optimum(cost, False, integer), self._optimum(cost, True, integer))

    def solution(self, cost: np.ndarray, maximize: bool) -> np.ndarray | None:
        """A whole-number solution optimising `cost`: one of the truths the attacker cannot rule out (None when
        nothing bounds it: then no count in it is pinned)."""
        self.integer_solves += 1
        highs = self._run(cost, maximize, True)
        return None if highs is None else np.round(np.asarray(highs.getSolution().col_value))

    def _optimum(self, cost: np.ndarray, maximize: bool, integer: bool) -> float:
        highs = self._run(cost, maximize, integer)
        if highs is None:
            return np.inf if maximize else -np.inf
        return float(highs.getInfo().objective_function_value)

    def _run(self, cost: np.ndarray, maximize: bool, integer: bool):
        highs = self._solver(integer)
        highs.changeColsCost(self.n_vars, np.arange(self.n_vars, dtype=np.int32), cost)
        highs.changeObjectiveSense(highspy.ObjSense.kMaximize if maximize else highspy.ObjSense.kMinimize)
        highs.run()
        status = highs.getModelStatus()
        if status == highspy.HighsModelStatus.kOptimal:
            return highs
        if status in (highspy.HighsModelStatus.kUnbounded, highspy.HighsModelStatus.kUnboundedOrInfeasible):
            return None
        raise RuntimeError(f"the released figures admit no solution ({highs.modelStatusToString(status)})")


def _finite(values: np.ndarray) -> np.ndarray:
    return np.clip(np.asarray(values, dtype=float), -INF, INF)


def integer_ranges(model: Model, targets: list, known: np.ndarray, need: list) -> list[tuple[float, float]]:
    """The whole-number range of each target (an index array), or a part of it at least `need[i]` wide.

    Every whole-number solution bounds each target's range from inside, so solutions that push many targets up
    (or down) at once, with random weights so that successive pushes favour different targets, plus the truth (`known`), settle most targets with a few mixed-integer programmes; only
    targets still narrower than both their need and their relaxed range get programmes of their own. Returns
    (low, high) per target: the exact whole-number range, or solutions spanning at least its need.
    """
    pool = [np.asarray(known, dtype=float)]
    relaxed = [model.range_of(t) for t in targets]

    def seen(i):
        values = [solution[targets[i]].sum() for solution in pool]
        return min(values), max(values)

    def settled(i):
        low, high = seen(i)
        reaches_relaxed = low <= relaxed[i][0] + 1e-6 and high >= relaxed[i][1] - 1e-6
        return high - low >= need[i] - 1e-6 or reaches_relaxed

    pending = list(range(len(targets)))
    rng = np.random.default_rng(0)  # seeded: the same warehouse gives the same release
    for _ in range(8):  # joint pushes with random weights (one push's winners differ from the next's)
        pending = [i for i in pending if not settled(i)]
        if not pending:
            break
        cost = np.zeros(model.n_vars)
        for i in pending:
            cost[targets[i]] += rng.uniform(0.5, 1.5)
        pool += [
            x for x in (model.solution(cost, maximize=True), model.solution(cost, maximize=False)) if x is not None
        ]
    return [seen(i) if settled(i) else model.range_of(targets[i], integer=True) for i in range(len(targets))]
