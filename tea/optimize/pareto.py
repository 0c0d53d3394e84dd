"""Budget Pareto curve: least cost (and import share) as the total capital budget varies.

Epsilon-constraint method: the model is built once per process, handed to HiGHS, and re-solved
for each budget by changing the mutable ``budget_total`` parameter (Pyomo's
``update_parameters`` changes only that row bound). Budgets are solved in increasing order, so
each plan stays feasible for the next budget and is handed to HiGHS as a MIP start (set on the
``highspy.Highs`` object right before its run, :mod:`tea.optimize.direct`; sub-MIP heuristics off
then). The grid is cut into consecutive runs of budgets, one per worker process
(:mod:`tea.optimize.pool`), each warm-started point from its lower neighbour; a point at the
budget of an already solved plan (``base``: the optimization of the model itself) is that plan.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyomo.environ as pyo

from tea.chain.data import ChainData
from tea.optimize.direct import Direct
from tea.optimize.highs import hand_over, make_solver, relative_gap
from tea.optimize.model import build_model
from tea.optimize.pool import default_workers, process_pool, run_tasks, submit_all
from tea.optimize.results import share_table


def _point(data: ChainData, m, budget: float, status: str | None, objective, bound,
           warm: bool) -> dict:
    """One row of the curve from a model holding the point's plan (when ``status``)."""
    capex = data.options["capex_per_module"].where(data.in_budget(), 0.0)  # counted in the budget
    row = {"budget": budget, "budget_in_unit": data.to_budget_unit(budget), "warm": warm,
           "status": status or "infeasible", "objective": np.nan, "gap": np.nan,
           "capex": np.nan}
    if status in ("optimal", "feasible"):
        row.update(objective=objective, gap=relative_gap(objective, bound),
                   capex=float(sum(capex[o] * round(v.value or 0)
                                   for (o, _), v in m.build.items())))
        share = share_table(data, m).set_index("year")["share"]
        row.update({f"share_{y}": share[y] for y in data.years})
    return row


def pareto_run(data: ChainData, budgets, time_limit: float | None, mip_rel_gap: float,
               warm_start: bool = True, threads: int | None = None) -> list[dict]:
    """Rows of consecutive budgets [MUSD], solved in increasing order on one model (a task of
    :func:`pareto`); each point starts from the previous feasible one."""
    m = build_model(data)
    opt = make_solver()
    hand_over(opt, m)
    highs = Direct(opt, m)
    rows, start = [], None
    for b in sorted(float(x) for x in budgets):
        m.budget_total.value = b
        opt.update_parameters()
        res = highs.run(time_limit, mip_rel_gap, threads, start=start)
        objective = None
        if res.status in ("optimal", "feasible"):
            highs.load()
            objective = pyo.value(m.obj)
        rows.append(_point(data, m, b, res.status, objective, res.bound, res.start_used))
        if objective is not None and warm_start:
            start = highs.values()
    return rows


def pareto(data: ChainData, budgets, time_limit: float | None = None,
           mip_rel_gap: float = 1e-4, warm_start: bool = True, base=None,
           workers: int | None = None) -> pd.DataFrame:
    """Solve the build-out model over a grid of total budgets.

    Parameters
    ----------
    data : ChainData
    budgets : iterable of float
        Total budgets [MUSD].
    time_limit : float, optional
        Per solve [s].
    mip_rel_gap : float
    warm_start : bool
        Start each point from the plan of its lower neighbour.
    base : Solution, optional
        A plan of ``data`` itself: the point at its budget (``data.budget_total``) is taken from
        it instead of solved again.
    workers : int, optional
        Processes (default one per core; 1: all points in this process).

    Returns
    -------
    DataFrame
        Columns: budget [MUSD], budget_in_unit [budget's currency], objective [MUSD], gap,
        capex [MUSD, new builds counted against the budget], status (``optimal``, ``feasible`` or
        ``infeasible``), warm (HiGHS used the start), and ``share_<year>`` [fraction] per year;
        rows by increasing budget.
    """
    return start_pareto(data, budgets, time_limit, mip_rel_gap, warm_start, base, workers,
                        background=False)()


def start_pareto(data: ChainData, budgets, time_limit: float | None = None,
                 mip_rel_gap: float = 1e-4, warm_start: bool = True, base=None,
                 workers: int | None = None, background: bool = True, pool=None):
    """Start :func:`pareto` and return a function that waits for its DataFrame.

    With ``background`` the points are solved in worker processes (``workers`` of them, default
    one: its runs of budgets then overlap whatever this process does next, e.g. the rest of a
    report; ``pool``, e.g. from :func:`tea.optimize.pool.warm_pool`, is used and shut down);
    without, in this process (``workers`` 1) or a pool of ``workers`` processes, before the
    function returns.
    """
    grid = sorted(float(x) for x in budgets)
    rows = []
    if base is not None and data.budget_total is not None:
        own = [b for b in grid if np.isclose(b, data.budget_total, rtol=1e-9)]
        if own:
            grid = [b for b in grid if b not in own]
            rows += [_point(data, base.model, b, base.status, base.objective, base.bound,
                            False) for b in own]
    if not grid:
        if pool is not None:
            pool.shutdown()
        return lambda: pd.DataFrame(rows).sort_values("budget", ignore_index=True)
    n = max(1, min(workers or (1 if background else default_workers()), len(grid)))
    runs = [list(chunk) for chunk in np.array_split(np.array(grid), n) if len(chunk)]
    threads = None if n == 1 and not background else 1
    tasks = [(data, r, time_limit, mip_rel_gap, warm_start, threads) for r in runs]
    if not background:
        for part in run_tasks(pareto_run, tasks, n):
            rows.extend(part)
        return lambda: pd.DataFrame(rows).sort_values("budget", ignore_index=True)
    results = submit_all(pool or process_pool(n), pareto_run, tasks)

    def wait() -> pd.DataFrame:
        for part in results():
            rows.extend(part)
        return pd.DataFrame(rows).sort_values("budget", ignore_index=True)

    return wait
