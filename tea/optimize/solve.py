"""Solve the build-out model with HiGHS through Pyomo, and read dual values.

The solver and its runs are in :mod:`tea.optimize.highs` (Pyomo's persistent HiGHS interface of
``pyomo.contrib.solver``; ``time_limit`` and ``mip_rel_gap`` map to its ``time_limit`` and
``rel_gap`` options); an infeasible model is handed to :mod:`tea.optimize.diagnose`.

Runs and starts
---------------
The MILP and the dual LPs run on the ``highspy.Highs`` object (:mod:`tea.optimize.direct`), so
that a MIP start (``start``: another solution's :meth:`Solution.start`) reaches HiGHS and the
dual LPs neither inherit the MILP's time limit nor pay for a Pyomo update. HiGHS's sub-MIP
heuristics (RINS, RENS, root reduced cost) run on a cold solve and are off when a start is
given. Measured on the Siberian model (2 cores, HiGHS 1.16): a cold solve takes 0.70 s with them
(they find the plans the branching then proves) and the synthetic large case ends at 1.3 %
instead of 0.65-0.8 % without them; re-solving with one ``max_modules`` raised and the plan as
the start takes 0.57 s with them off, 0.95 s with them on and 0.84 s cold. The duals take 0.02 s
(0.6 s through Pyomo's update).

Duals
-----
- **Marginal cost of demand**: the integer builds are fixed at their MILP values (and made
  continuous), the LP is re-solved and the dual of each demand row is read. It is the present
  value [MUSD per t/yr] of one more t in that year given the plan; divided by the year's discount
  factor it is the year's marginal cost [MUSD/t, x 1000 = USD/kg].
- **Marginal value of the budget**: with builds fixed, the budget row holds constants only and its
  dual is zero by construction. We therefore read it from the *plan-anchored relaxation*: builds
  continuous, bounded below by the MILP plan (what is built stays built) and above by
  ``max_modules``. Its budget dual is the value [MUSD of objective per MUSD of budget] of spending
  one more MUSD on fractional modules at the margin of the chosen plan: a linear estimate of what
  the next billion buys (the Pareto curve gives the integer answer).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import pyomo.environ as pyo

from tea.chain.data import ChainData
from tea.errors import InfeasibleError
from tea.optimize.diagnose import diagnose
from tea.optimize.direct import Direct, HighsResult
from tea.optimize.highs import (
    fix_builds,
    hand_over,
    make_solver,
    relative_gap,
    run,
    status_of,
)
from tea.optimize.model import build_model

__all__ = ["Solution", "fix_builds", "make_solver", "read_duals", "relative_gap", "run",
           "run_highs", "solve", "status_of"]


@dataclass
class Solution:
    """Outcome of one optimization.

    Attributes
    ----------
    status : str
        ``"optimal"`` (within ``mip_rel_gap``) or ``"feasible"`` (a limit was hit first).
    objective : float
        Discounted total cost [MUSD] (``min_cost``) or NPV [MUSD] (``max_npv``).
    bound : float or None
        Best proven bound on the objective [MUSD].
    gap : float or None
        Relative gap ``|objective - bound| / max(|objective|, 1e-9)`` [fraction].
    timings : dict[str, float]
        ``build`` (Pyomo), ``handover`` (to HiGHS), ``solve`` (HiGHS run time), ``duals`` [s].
    data : ChainData
    model : pyomo.environ.ConcreteModel
        Holding the MILP solution values.
    demand_duals : dict[tuple[str, int], float]
        (group, year) -> present-value dual [MUSD per t/yr], sign: d(cost)/d(amount).
    budget_dual : float or None
        Marginal value of the total budget [MUSD objective per MUSD budget], >= 0.
    log : str
        HiGHS log of the MILP solve.
    start_used : bool
        HiGHS accepted the MIP start it was given.
    highs : Direct
        The HiGHS model (re-solves and duals run on it).
    cache : dict
        Tables derived from the plan, kept by :func:`tea.optimize.results.per_solution`.
    """

    status: str
    objective: float
    bound: float | None
    gap: float | None
    timings: dict[str, float]
    data: ChainData
    model: pyo.ConcreteModel
    demand_duals: dict = field(default_factory=dict)
    budget_dual: float | None = None
    log: str = ""
    start_used: bool = False
    highs: Direct | None = field(default=None, repr=False)
    cache: dict = field(default_factory=dict, repr=False)

    def start(self) -> dict:
        """The plan as a MIP start for a model built from similar data
        (``{(variable name, index): value}``, see :func:`solve`)."""
        return self.highs.keyed_values()

    @property
    def prepared(self) -> dict:
        """The index sets and coefficient tables the model was built from (see
        :func:`tea.optimize.tables.prepare`): ``window``, ``existing``, ``flows``, ..."""
        return self.model.prepared


def check_solver_limits(time_limit: float | None, mip_rel_gap: float) -> None:
    """Refuse a time limit that is not a finite number > 0 [s] and a MIP gap outside [0, 1)
    (HiGHS would raise, or stop at once and call the first plan optimal)."""
    import math

    from tea.errors import InputError

    if time_limit is not None and not (math.isfinite(time_limit) and time_limit > 0):
        raise InputError(f"{time_limit} is not a time limit (expected a finite number of "
                         "seconds > 0)", key="time_limit")
    if not (math.isfinite(mip_rel_gap) and 0 <= mip_rel_gap < 1):
        raise InputError(f"{mip_rel_gap} is not a relative MIP gap (expected a fraction in "
                         "[0, 1), e.g. 1e-4)", key="mip_rel_gap")


def solve(data: ChainData, time_limit: float | None = None, mip_rel_gap: float = 1e-4,
          duals: bool = True, threads: int | None = None, fixed_builds: dict | None = None,
          start: dict | None = None, heuristics: bool | None = None) -> Solution:
    """Build, solve and (optionally) read duals of the build-out model.

    Parameters
    ----------
    data : ChainData
    time_limit : float, optional
        HiGHS time limit of the MILP [s] (the dual LPs run without one).
    mip_rel_gap : float
        Relative MIP gap at which HiGHS stops [fraction].
    duals : bool
        Re-solve the fixed-plan LP and the plan-anchored relaxation for duals.
    threads : int, optional
    fixed_builds : dict, optional
        A fixed plan ``{(option, year): modules}``: the model then only dispatches it (no build
        decisions), as ``tea evaluate`` does.
    start : dict, optional
        A MIP start, ``{(variable name, index): value}`` (:meth:`Solution.start` of a solution of
        a model built from similar data); keys the model lacks are ignored.
    heuristics : bool, optional
        HiGHS's sub-MIP heuristics; default on for a cold solve and off with a ``start``.

    Returns
    -------
    Solution

    Raises
    ------
    InfeasibleError
        If the model has no solution; ``diagnosis`` says what cannot be met and by how much.
    TimeLimitError
        If the time limit ends the solve before any plan is found.
    SolverError
        If HiGHS or Pyomo fail (reported in words, the solver's text in ``detail``).
    """
    check_solver_limits(time_limit, mip_rel_gap)
    t0 = time.perf_counter()
    m = build_model(data)
    if fixed_builds is not None:
        fix_builds(m, fixed_builds)
    t1 = time.perf_counter()
    opt = make_solver()
    hand_over(opt, m)
    highs = Direct(opt, m)
    t2 = time.perf_counter()
    res = run_highs(highs, time_limit, mip_rel_gap, threads,
                    None if start is None else highs.start_from_keys(start), heuristics)
    if res.status in (None, "infeasible"):
        if res.status == "infeasible":
            lines = diagnose(data, time_limit=time_limit, mip_rel_gap=mip_rel_gap,
                             fixed_builds=fixed_builds)
            raise InfeasibleError("the build-out model is infeasible", diagnosis=lines)
        raise res.no_plan_error(time_limit)
    highs.load()
    obj = pyo.value(m.obj)
    sol = Solution(status=res.status, objective=obj, bound=res.bound,
                   gap=relative_gap(obj, res.bound),
                   timings={"build": t1 - t0, "handover": t2 - t1, "solve": res.seconds},
                   data=data, model=m, log=res.log, start_used=res.start_used)
    sol.highs = highs
    if duals:
        t4 = time.perf_counter()
        read_duals(sol)
        sol.timings["duals"] = time.perf_counter() - t4
    return sol


def run_highs(highs: Direct, time_limit, mip_rel_gap, threads=None, start=None,
              heuristics=None) -> HighsResult:
    """One MILP run on the HiGHS object (:meth:`tea.optimize.direct.Direct.run`)."""
    return highs.run(time_limit, mip_rel_gap, threads, start=start, heuristics=heuristics)


def read_duals(sol: Solution) -> None:
    """Fill ``sol.demand_duals`` and ``sol.budget_dual`` from two LPs on the solution's HiGHS
    model (builds fixed; builds anchored at the plan), restored to the MILP after."""
    m = sol.model
    highs = sol.highs
    sign = -1.0 if m.obj.sense == pyo.maximize else 1.0
    budget_rows = [m.budget_total_row] if sol.data.budget_total is not None else []
    demand, budget = highs.fixed_plan_duals(m.build, m.built,
                                            (list(m.demand.values()), budget_rows))
    if demand is not None:
        sol.demand_duals = {k: sign * demand[c] for k, c in m.demand.items()}
    if budget is not None and budget_rows:
        sol.budget_dual = max(0.0, -sign * budget[m.budget_total_row])
