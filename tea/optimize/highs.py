"""HiGHS through Pyomo: the solver, one run, its status, the gap, and fixing a plan's builds.

The pieces :mod:`tea.optimize.solve`, :mod:`tea.optimize.diagnose` and :mod:`tea.optimize.pareto`
share. The solver is Pyomo's persistent HiGHS interface of ``pyomo.contrib.solver``
(``SolverFactory("highs")`` from ``pyomo.contrib.solver.common.factory``), which hands the model
to ``highspy`` in memory; ``time_limit`` and ``mip_rel_gap`` map to its ``time_limit`` and
``rel_gap`` options.
"""

from __future__ import annotations

from pyomo.contrib.solver.common.factory import SolverFactory
from pyomo.contrib.solver.common.results import SolutionStatus, TerminationCondition

from tea.errors import InputError

INFEASIBLE = (TerminationCondition.provenInfeasible, TerminationCondition.infeasibleOrUnbounded,
              TerminationCondition.unbounded)
"""Termination conditions that mean the model has no solution (not a limit hit first)."""


def make_solver():
    """A fresh persistent HiGHS solver of ``pyomo.contrib.solver``."""
    return SolverFactory("highs")


def run(opt, model, time_limit=None, mip_rel_gap=None, threads=None, **options):
    """Solve ``model`` with ``opt``, never raising on a non-optimal status; return the results."""
    return opt.solve(model, time_limit=time_limit, rel_gap=mip_rel_gap, threads=threads,
                     load_solutions=False, raise_exception_on_nonoptimal_result=False,
                     solver_options=options)


def status_of(res) -> str | None:
    """``"optimal"``, ``"feasible"`` or None (no solution) from a results object."""
    if res.termination_condition == TerminationCondition.convergenceCriteriaSatisfied:
        return "optimal"
    if res.solution_status in (SolutionStatus.feasible, SolutionStatus.optimal):
        return "feasible"
    return None


def relative_gap(objective, bound) -> float | None:
    """``|objective - bound| / max(|objective|, 1e-9)``, None without a bound."""
    if objective is None or bound is None or abs(bound) == float("inf"):
        return None
    return abs(objective - bound) / max(abs(objective), 1e-9)


def fix_builds(m, plan: dict) -> None:
    """Fix every build decision to a given plan ``{(option, year): modules}`` (0 elsewhere).

    Raises
    ------
    InputError
        If the plan builds an option in a year the model does not allow (before its first build
        year, or too late to come online within the horizon).
    """
    allowed = set(m.build.index_set())
    for (option, year), modules in plan.items():
        if modules and (option, year) not in allowed:
            raise InputError(f"cannot start {option} in {year} (before its first build year or "
                             "too late to come online in the horizon)", key=f"plants.{option}.builds")
    for index in allowed:
        m.build[index].fix(plan.get(index, 0))


__all__ = ["INFEASIBLE", "fix_builds", "make_solver", "relative_gap", "run", "status_of"]
