"""HiGHS through Pyomo: the solver, one run, its status, the gap, and fixing a plan's builds.

The pieces :mod:`tea.optimize.solve`, :mod:`tea.optimize.diagnose` and :mod:`tea.optimize.pareto`
share. The solver is Pyomo's persistent HiGHS interface of ``pyomo.contrib.solver``
(``SolverFactory("highs")`` from ``pyomo.contrib.solver.common.factory``), which hands the model
to ``highspy`` in memory; ``time_limit`` and ``mip_rel_gap`` map to its ``time_limit`` and
``rel_gap`` options.

Whatever HiGHS or Pyomo raise while the model is handed over or solved becomes a
:class:`~tea.errors.SolverError` with a one-line message in words (the solver's own text is kept
in its ``detail``), so that no raw solver line reaches the user; a run that stops at its time
limit without a plan becomes a :class:`~tea.errors.TimeLimitError` (see :func:`no_plan_error`).
"""

from __future__ import annotations

import contextlib

from pyomo.contrib.solver.common.factory import SolverFactory
from pyomo.contrib.solver.common.results import SolutionStatus, TerminationCondition

from tea.errors import InputError, SolverError, TimeLimitError

INFEASIBLE = (TerminationCondition.provenInfeasible, TerminationCondition.infeasibleOrUnbounded,
              TerminationCondition.unbounded)
"""Termination conditions that mean the model has no solution (not a limit hit first)."""

LIMITS = (TerminationCondition.maxTimeLimit, TerminationCondition.iterationLimit,
          TerminationCondition.objectiveLimit, TerminationCondition.interrupted)
"""Termination conditions of a run stopped by a limit before it proved anything."""


@contextlib.contextmanager
def solver_errors(what: str):
    """Turn any exception of HiGHS or Pyomo inside the block into a :class:`SolverError` whose
    message says in words what failed (``what``: e.g. "handing the model to HiGHS")."""
    try:
        yield
    except (KeyboardInterrupt, SystemExit, InputError, SolverError, TimeLimitError):
        raise
    except Exception as exc:  # noqa: BLE001 - HiGHS and Pyomo raise many kinds
        detail = " ".join(f"{type(exc).__name__}: {exc}".split())
        raise SolverError(f"the solver failed while {what} (HiGHS could not work with the "
                          "model's numbers; check for very large or very small capacities, "
                          "demands, costs or limits)", detail=detail) from exc


def hand_over(opt, model) -> None:
    """``opt.set_instance(model)``, a solver failure reported in words."""
    with solver_errors("handing the model to HiGHS"):
        opt.set_instance(model)


def make_solver():
    """A fresh persistent HiGHS solver of ``pyomo.contrib.solver``."""
    return SolverFactory("highs")


def run(opt, model, time_limit=None, mip_rel_gap=None, threads=None, **options):
    """Solve ``model`` with ``opt``, never raising on a non-optimal status; return the results.

    Raises
    ------
    SolverError
        If HiGHS or Pyomo raise during the solve.
    """
    with solver_errors("solving the model"):
        return opt.solve(model, time_limit=time_limit, rel_gap=mip_rel_gap, threads=threads,
                         load_solutions=False, raise_exception_on_nonoptimal_result=False,
                         solver_options=options)


def no_plan_error(res, time_limit=None) -> Exception:
    """The error for a run without a solution that is not proven infeasible: a
    :class:`TimeLimitError` when a limit stopped it, otherwise a :class:`SolverError`."""
    tc = res.termination_condition
    if tc in LIMITS:
        limit = (f"time limit of {time_limit:g} s" if tc == TerminationCondition.maxTimeLimit
                 and time_limit is not None else f"solver limit ({tc.name})")
        return TimeLimitError(f"{limit} reached before any plan was found (not a proof that the "
                              "model is infeasible)", hint="raise --time-limit")
    return SolverError(f"the solver stopped without a plan and without proving the model "
                       f"infeasible (status {tc.name}); check for very large or very small "
                       "numbers in the model", detail=tc.name)


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


__all__ = ["INFEASIBLE", "LIMITS", "fix_builds", "hand_over", "make_solver", "no_plan_error",
           "relative_gap", "run", "solver_errors", "status_of"]
