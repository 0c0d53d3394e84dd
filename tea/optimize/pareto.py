"""Budget Pareto curve: least cost (and import share) as the total capital budget varies.

Epsilon-constraint method: the model is built once, handed to one persistent HiGHS instance, and
re-solved for each budget of the grid by changing the mutable ``budget_total`` parameter (the
persistent interface updates only that row bound). Budgets are solved in increasing order, so each
plan stays feasible for the next budget; it is passed to HiGHS as a MIP start
(``Highs.setSolution`` of the HiGHS object the persistent interface holds: the public Pyomo
interface has no MIP-start option). If that object is not reachable the solve runs cold.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyomo.environ as pyo

from tea.chain.data import ChainData
from tea.optimize.highs import hand_over, make_solver, relative_gap, run, status_of
from tea.optimize.model import build_model
from tea.optimize.results import share_table


def _warm_start(opt, m) -> bool:
    """Pass the model's current variable values to HiGHS as a MIP start; True if it was."""
    highs = getattr(opt, "_solver_model", None)
    index = getattr(opt, "_pyomo_var_to_solver_var_map", None)
    if highs is None or index is None:
        return False
    cols, vals = [], []
    for v in m.component_data_objects(pyo.Var):
        if v.value is not None and id(v) in index:
            cols.append(index[id(v)])
            vals.append(v.value)
    if not cols:
        return False
    highs.setSolution(len(cols), np.array(cols, dtype=np.int32), np.array(vals, dtype=float))
    return True


def pareto(data: ChainData, budgets, time_limit: float | None = None,
           mip_rel_gap: float = 1e-4, warm_start: bool = True) -> pd.DataFrame:
    """Solve the build-out model over a grid of total budgets.

    Parameters
    ----------
    data : ChainData
    budgets : iterable of float
        Total budgets [MUSD], solved in increasing order.
    time_limit : float, optional
        Per solve [s].
    mip_rel_gap : float
    warm_start : bool
        Pass the previous plan as a MIP start.

    Returns
    -------
    DataFrame
        Columns: budget [MUSD], budget_in_unit [budget's currency], objective [MUSD], gap,
        capex [MUSD, new builds counted against the budget], status (``optimal``, ``feasible`` or ``infeasible``), warm (bool), and
        ``share_<year>`` [fraction] for each year.
    """
    m = build_model(data)
    opt = make_solver()
    hand_over(opt, m)
    rows = []
    warm = False
    capex = data.options["capex_per_module"].where(data.in_budget(), 0.0)  # counted in the budget
    for b in sorted(float(x) for x in budgets):
        m.budget_total.value = b
        res = run(opt, m, time_limit, mip_rel_gap)
        status = status_of(res)
        row = {"budget": b, "budget_in_unit": data.to_budget_unit(b), "warm": warm,
               "status": status or "infeasible", "objective": np.nan, "gap": np.nan,
               "capex": np.nan}
        if status is not None:
            res.solution_loader.load_vars()
            obj = pyo.value(m.obj)
            row.update(objective=obj, gap=relative_gap(obj, res.objective_bound),
                       capex=float(sum(capex[o] * round(v.value or 0)
                                       for (o, _), v in m.build.items())))
            share = share_table(data, m).set_index("year")["share"]
            row.update({f"share_{y}": share[y] for y in data.years})
            warm = warm_start and _warm_start(opt, m)
        rows.append(row)
    return pd.DataFrame(rows)
