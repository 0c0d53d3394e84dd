"""Runs on the ``highspy.Highs`` object itself: MILP with or without a MIP start, and the dual LPs.

Pyomo's persistent HiGHS interface builds the HiGHS model once (``set_instance``); every run after
that goes to the ``highspy.Highs`` object it holds (:class:`Direct`), not through ``opt.solve``:

- **MIP starts reach HiGHS.** ``opt.solve`` first pushes Pyomo's view of the model into HiGHS,
  which drops any solution set before it, so a ``Highs.setSolution`` followed by ``opt.solve``
  was never used. Here the start is set right before ``Highs.run`` and HiGHS logs
  ``MIP start solution is feasible: objective value is ...`` (:attr:`HighsResult.start_used`).
- **Dual LPs by changing the HiGHS model in place.** Integrality off and the builds' bounds set
  with ``changeColsIntegrality`` and ``changeColsBounds`` (and restored after); no Pyomo update,
  whose variable removal costs O(columns) per column (minutes on the 30-site synthetic chain).
- **Every run sets its own time limit**, the dual LPs none, so an LP after a MILP stopped by its
  time limit does not inherit the limit (its duals used to be empty).
- **Sub-MIP heuristics** (RINS, RENS, root reduced cost) run on a cold solve and are off when a
  start is given (``heuristics=None`` chooses so); see :mod:`tea.optimize.solve` for the
  measurements behind the choice.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import highspy
import numpy as np

from tea.errors import SolverError, TimeLimitError
from tea.optimize.highs import solver_errors

SUB_MIP = ("mip_heuristic_run_rins", "mip_heuristic_run_rens",
           "mip_heuristic_run_root_reduced_cost")
"""HiGHS options of the sub-MIP heuristics: on for a cold solve, off when a start is known."""

_MS = highspy.HighsModelStatus
_INFEASIBLE = (_MS.kInfeasible, _MS.kUnboundedOrInfeasible, _MS.kUnbounded)
_LIMITS = (_MS.kTimeLimit, _MS.kIterationLimit, _MS.kInterrupt, _MS.kSolutionLimit,
           _MS.kObjectiveBound, _MS.kObjectiveTarget)
_START_LINE = "MIP start solution is feasible"


@dataclass
class HighsResult:
    """Outcome of one :meth:`Direct.run`.

    Attributes
    ----------
    status : str or None
        ``"optimal"``, ``"feasible"`` (a limit stopped the run with a plan), ``"infeasible"`` or
        None (no plan and no proof).
    model_status : highspy.HighsModelStatus
    objective : float or None
        HiGHS objective [MUSD], None without a plan.
    bound : float or None
        Best proven bound [MUSD] (MIP dual bound; the objective for an LP).
    seconds : float
        Wall time of the run [s].
    log : str
        HiGHS log of the run.
    start_used : bool
        HiGHS accepted the MIP start (its log says the start is feasible).
    """

    status: str | None
    model_status: object
    objective: float | None
    bound: float | None
    seconds: float
    log: str
    start_used: bool = False

    def no_plan_error(self, time_limit: float | None) -> Exception:
        """The error of a run without a plan that is not proven infeasible."""
        if self.model_status in _LIMITS:
            limit = (f"time limit of {time_limit:g} s" if self.model_status == _MS.kTimeLimit
                     and time_limit is not None else f"solver limit ({self.model_status.name})")
            return TimeLimitError(f"{limit} reached before any plan was found (not a proof that "
                                  "the model is infeasible)", hint="raise --time-limit")
        return SolverError(f"the solver stopped without a plan and without proving the model "
                           f"infeasible (status {self.model_status.name}); check for very large "
                           "or very small numbers in the model", detail=self.model_status.name)


class Direct:
    """The HiGHS model of a Pyomo model handed over with ``opt.set_instance(m)``.

    Parameters
    ----------
    opt : pyomo.contrib.solver highs persistent solver
        After ``set_instance``; its ``highspy.Highs`` object and column/row maps are used.
    model : pyomo.environ.ConcreteModel
    """

    def __init__(self, opt, model):
        self.highs = opt._solver_model
        self.model = model
        self.col = opt._pyomo_var_to_solver_var_map  # id(var) -> column
        self.row = opt._pyomo_con_to_solver_con_map  # constraint -> row
        self.vars = [opt._vars[i][0] for i in self.col]
        self.index = np.array(list(self.col.values()), dtype=np.int32)
        self.highs.setOptionValue("log_to_console", False)
        self._log: list[str] = []
        self.highs.cbLogging.subscribe(lambda event: self._log.append(event.message))

    def columns(self, var) -> np.ndarray:
        """Columns of the data objects of an indexed Pyomo variable, in its order."""
        return np.array([self.col[id(v)] for v in var.values()], dtype=np.int32)

    def values(self) -> np.ndarray:
        """Column values of the last solution [model units], indexed by column."""
        return np.asarray(self.highs.getSolution().col_value, dtype=float)

    def keyed_values(self) -> dict:
        """``{(component name, index): value}`` of the Pyomo variables (the loaded plan): a
        start for another model built by the same builder (:meth:`start_from_keys`)."""
        return {(v.parent_component().local_name, v.index()): float(v.value or 0.0)
                for v in self.vars}

    def start_from_model(self) -> np.ndarray:
        """A start vector from the Pyomo variables' current values (0 where None)."""
        x = np.zeros(self.highs.getNumCol())
        for v in self.vars:
            x[self.col[id(v)]] = v.value or 0.0
        return x

    def start_from_keys(self, keyed: dict) -> np.ndarray:
        """A start vector from :meth:`keyed_values` of another model (0 where a key is new)."""
        x = np.zeros(self.highs.getNumCol())
        for v in self.vars:
            x[self.col[id(v)]] = keyed.get((v.parent_component().local_name, v.index()), 0.0)
        return x

    def load(self) -> None:
        """Copy the last solution into the Pyomo variables' values."""
        x = self.values()
        for v in self.vars:
            v.set_value(float(x[self.col[id(v)]]), skip_validation=True)

    def run(self, time_limit: float | None = None, mip_rel_gap: float | None = None,
            threads: int | None = None, start=None, heuristics: bool | None = None,
            **options) -> HighsResult:
        """One HiGHS run.

        Parameters
        ----------
        time_limit : float, optional
            [s]; None: no limit (every run sets it, so no limit is inherited).
        mip_rel_gap : float, optional
            [fraction]
        threads : int, optional
        start : array of float, optional
            A MIP start, one value per column.
        heuristics : bool, optional
            Sub-MIP heuristics on or off; default on without a start, off with one.
        options
            Further HiGHS options.
        """
        h = self.highs
        heuristics = start is None if heuristics is None else heuristics
        settings = {"time_limit": math.inf if time_limit is None else float(time_limit),
                    **{name: bool(heuristics) for name in SUB_MIP}, **options}
        if mip_rel_gap is not None:
            settings["mip_rel_gap"] = float(mip_rel_gap)
        if threads is not None:
            settings["threads"] = int(threads)
        with solver_errors("solving the model"):
            for key, value in settings.items():
                h.setOptionValue(key, value)
            if start is not None:
                x = np.asarray(start, dtype=float)
                h.setSolution(len(x), np.arange(len(x), dtype=np.int32), x)
            self._log.clear()
            t0 = time.perf_counter()
            h.run()
            seconds = time.perf_counter() - t0
            status = h.getModelStatus()
            info = h.getInfo()
        log = "".join(self._log)
        has_plan = info.primal_solution_status == 2  # kSolutionStatusFeasible
        if status == _MS.kOptimal:
            name = "optimal"
        elif status in _INFEASIBLE:
            name = "infeasible"
        else:
            name = "feasible" if has_plan else None
        objective = info.objective_function_value if has_plan else None
        bound = info.mip_dual_bound if math.isfinite(info.mip_dual_bound) else None
        return HighsResult(name, status, objective, bound, seconds, log, _START_LINE in log)

    def fixed_plan_duals(self, build, built, rows_sets):
        """Row duals of two LPs around the last MILP solution, the HiGHS model restored after.

        Parameters
        ----------
        build : Pyomo indexed variable
            The yearly module starts: fixed to the plan in the first LP, bounded below by it in
            the second (upper bounds: the variables' own, even where the model fixes them).
        built : Pyomo indexed variable
            The integer module counts, made continuous for both LPs.
        rows_sets : (list, list)
            Constraints whose duals are read from the first and from the second LP.

        Returns
        -------
        (dict or None, dict or None)
            ``{constraint: dual}`` of each LP [objective units per row unit], None when that LP
            did not solve to optimality.
        """
        h = self.highs
        x = self.values()
        cols_b, cols_i = self.columns(build), self.columns(built)
        lp = h.getLp()
        lower, upper = np.array(lp.col_lower_), np.array(lp.col_upper_)
        plan = np.round(x[cols_b])
        declared = np.array([math.inf if v.ub is None else v.ub for v in build.values()])
        kinds = np.array(lp.integrality_) if len(lp.integrality_) else None
        cont = highspy.HighsVarType.kContinuous
        out = []
        with solver_errors("solving the dual LPs"):
            try:
                h.changeColsIntegrality(len(cols_i), cols_i, np.full(len(cols_i), cont))
                for lb, ub, rows in ((plan, plan, rows_sets[0]),
                                     (plan, np.maximum(declared, plan), rows_sets[1])):
                    h.changeColsBounds(len(cols_b), cols_b, lb, ub)
                    h.clearSolver()  # from scratch, as a fresh LP: the same duals each time
                    res = self.run(None)
                    if res.status != "optimal" or not rows:
                        out.append(None)
                        continue
                    dual = h.getSolution().row_dual
                    out.append({c: float(dual[self.row[c]]) for c in rows})
            finally:
                h.changeColsBounds(len(cols_b), cols_b, lower[cols_b], upper[cols_b])
                if kinds is not None:
                    h.changeColsIntegrality(len(cols_i), cols_i, kinds[cols_i])
        return tuple(out)


__all__ = ["SUB_MIP", "Direct", "HighsResult"]
