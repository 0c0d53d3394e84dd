"""What the plan's binding ``max_modules`` limits cost: the optimum with one module more.

Most ``max_modules`` values in a model are assumptions (room at a site, a deposit's second line),
and the optimum often sits on some of them. For each option whose modules online reach its
``max_modules`` in some year of the solved plan, the MILP is solved again with that limit raised
by one module, all else equal; the difference of the two optima is what the limit costs [MUSD of
the objective], an integer answer where a dual value would only give the slope of the LP at the
plan. A limit that costs nothing binds without mattering: another option does the same job as
cheaply.

The re-solves run with the same gap as the plan; a difference smaller than the two gaps together
(``gap x objective``) is within solver tolerance and reported as such. Raising a limit keeps the
plan feasible, so each re-solve starts from it (a MIP start, sub-MIP heuristics off: see
:mod:`tea.optimize.solve`), and the re-solves run in parallel processes
(:mod:`tea.optimize.pool`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pandas as pd

from tea.optimize import results as r
from tea.optimize.pool import default_workers, run_tasks
from tea.optimize.solve import Solution, solve


def binding_options(sol: Solution) -> list[str]:
    """Options whose modules online reach ``max_modules`` in some year of the plan."""
    caps = r.capacities(sol)
    most = caps.groupby("option")["modules_online"].max()
    limit = sol.data.options["max_modules"].astype(float)
    return sorted(o for o, n in most.items() if n >= limit[o] - 1e-6 and limit[o] > 0)


def plus_one(data, option: str, start: dict | None, time_limit: float | None,
             mip_rel_gap: float, threads: int | None) -> dict:
    """Solve ``data`` with ``max_modules`` of ``option`` raised by one (a task of
    :func:`limit_values`); returns objective [MUSD], status, modules_used (most online) and
    start_used."""
    options = data.options.copy()
    options.loc[option, "max_modules"] = int(options.loc[option, "max_modules"]) + 1
    more = solve(dataclasses.replace(data, options=options), time_limit=time_limit,
                 mip_rel_gap=mip_rel_gap, duals=False, threads=threads, start=start)
    used = r.capacities(more)
    return {"objective": more.objective, "status": more.status, "start_used": more.start_used,
            "modules_used": float(used.loc[used["option"] == option, "modules_online"].max())}


def limit_values(sol: Solution, time_limit: float | None = None, mip_rel_gap: float = 1e-4,
                 progress: Callable[[str], None] | None = None, workers: int | None = None,
                 warm_start: bool = True, pool=None) -> pd.DataFrame:
    """Re-solve with each binding ``max_modules`` raised by one.

    Parameters
    ----------
    sol : Solution
        The solved plan (its ``data`` is re-used; nothing in it changes).
    time_limit : float, optional
        HiGHS time limit of each re-solve [s].
    mip_rel_gap : float
        Relative gap of each re-solve [fraction].
    progress : callable, optional
        Called with the option name after each re-solve.
    workers : int, optional
        Parallel processes (default one per core; 1: one after another in this process).
    warm_start : bool
        Start each re-solve from the plan.
    pool : ProcessPoolExecutor, optional
        A started pool (:func:`tea.optimize.pool.process_pool`) to run the re-solves on.

    Returns
    -------
    DataFrame
        One row per binding option: option, technology, site, max_modules, objective [MUSD],
        objective_plus_one [MUSD], saving [MUSD] (objective - objective_plus_one; > 0 when one
        more module would lower the cost or raise the NPV), modules_used_plus_one (modules
        online at most, with the raised limit), within_gap (bool), status, start_used (bool).
    """
    data = sol.data
    sign = -1.0 if data.objective == "max_npv" else 1.0  # objective is an NPV to maximize
    binding = binding_options(sol)
    start = sol.start() if warm_start else None
    workers = min(workers or default_workers(), max(len(binding), 1))
    threads = None if workers == 1 and pool is None else 1  # one HiGHS thread per process
    done = run_tasks(plus_one, [(data, o, start, time_limit, mip_rel_gap, threads)
                                for o in binding], workers,
                     progress=(lambda i: progress(binding[i])) if progress else None, pool=pool)
    rows = []
    for option, more in zip(binding, done, strict=True):
        saving = sign * (sol.objective - more["objective"])
        tolerance = mip_rel_gap * (abs(sol.objective) + abs(more["objective"]))
        rows.append({"option": option, "technology": data.options.at[option, "technology"],
                     "site": data.options.at[option, "site"],
                     "max_modules": int(data.options.at[option, "max_modules"]),
                     "objective": sol.objective, "objective_plus_one": more["objective"],
                     "saving": saving, "modules_used_plus_one": more["modules_used"],
                     "within_gap": abs(saving) <= tolerance, "status": more["status"],
                     "start_used": more["start_used"]})
    columns = ["option", "technology", "site", "max_modules", "objective", "objective_plus_one",
               "saving", "modules_used_plus_one", "within_gap", "status", "start_used"]
    return pd.DataFrame(rows, columns=columns)
