"""How robust is the plan: the build-out re-optimized on sampled scenarios.

Each of K samples of the uncertain inputs (capex and opex by technology, prices, the discount
rate; the recovery multiplier is left out, since it would change the plants' coefficients) is
applied to the optimizer's data (:func:`tea.analysis.uncertainty.sampled_data`) and solved twice,
in parallel processes: freely (that sample's optimum, warm-started from the deterministic plan)
and with the deterministic plan's builds fixed. The regret of the deterministic plan in a sample
is its cost there minus that sample's optimum (>= 0 up to the MIP gap). A sample whose costs
put every plan meeting the targets over the budget counts as infeasible (its share is reported).
"""

from __future__ import annotations

import dataclasses

import pandas as pd

from tea.analysis.sampling import draw
from tea.analysis.uncertainty import sampled_data
from tea.errors import InfeasibleError
from tea.optimize import results as r
from tea.optimize.pool import run_tasks
from tea.optimize.solve import solve


def solve_sample(data, start: dict, fixed: dict, time_limit: float, threads: int | None) -> dict:
    """One sample: its optimum (builds, objective; ``feasible`` False when no plan meets the
    targets within the budget at that sample's costs) and the deterministic plan's cost there
    [MUSD], its budget lifted (the plan is held whatever it costs) (a task of
    :func:`robustness`)."""
    held = solve(dataclasses.replace(data, budget_total=None, budget_per_year=None),
                 time_limit=time_limit, duals=False, threads=threads, fixed_builds=fixed)
    try:
        best = solve(data, time_limit=time_limit, mip_rel_gap=1e-3, duals=False,
                     threads=threads, start=start)
    except InfeasibleError:
        return {"feasible": False, "objective": None, "held": float(held.objective),
                "builds": {}}
    plan = r.build_plan(best)
    return {"feasible": True, "objective": float(best.objective), "held": float(held.objective),
            "builds": {(o, int(y)): int(n) for o, y, n in zip(plan["option"], plan["year"],
                                                              plan["modules"], strict=True)}}


def robustness(run, k: int, seed: int | None = None, workers: int | None = None,
               time_limit: float = 120.0) -> dict:
    """Re-optimize the build-out on ``k`` samples.

    Returns
    -------
    dict
        ``samples``; ``builds``: table (option, year, modules, share of samples building it,
        in the deterministic plan); ``regret``: per sample, the deterministic plan's cost minus
        the sample's optimum [reporting currency], with its percentiles and ``unit``.
    """
    spec = run.scenario.uncertainty
    keys = [k_ for k_ in spec.distributions if k_ != "recovery"]
    seed = spec.seed if seed is None else seed
    drawn = draw(spec, max(k, 2), seed, keys)
    base = r.build_plan(run.solution)
    fixed = {(o, int(y)): int(n) for o, y, n in zip(base["option"], base["year"],
                                                    base["modules"], strict=True)}
    start = run.solution.start()
    tasks = []
    for i in range(k):
        multipliers = {key: float(values[i]) for key, values in drawn.items()}
        tasks.append((sampled_data(run.data, run.scenario, multipliers), start, fixed,
                      time_limit, 1))
    done = run_tasks(solve_sample, tasks, workers)
    counts: dict = {}  # builds of the feasible samples
    for result in done:
        for build, n in result["builds"].items():
            counts.setdefault(build, []).append(n)
    rows = [{"option": o, "year": y, "modules (median)": float(pd.Series(n).median()),
             "share of samples": len(n) / max(1, sum(d["feasible"] for d in done)), "in the deterministic plan": fixed.get((o, y), 0)}
            for (o, y), n in sorted(counts.items(), key=lambda item: (item[0][1], item[0][0]))]
    for (o, y), n in fixed.items():
        if (o, y) not in counts:
            rows.append({"option": o, "year": y, "modules (median)": 0.0,
                         "share of samples": 0.0, "in the deterministic plan": n})
    to_currency = run.info.musd_to_currency
    regret = pd.Series([(d["held"] - d["objective"]) * to_currency for d in done
                        if d["feasible"]], dtype=float)
    return {"samples": k, "seed": seed, "builds": pd.DataFrame(rows),
            "infeasible_share": sum(not d["feasible"] for d in done) / k,
            "regret": {"unit": run.scenario.currency, "values": regret.tolist(),
                       "p50": float(regret.median()) if len(regret) else None,
                       "p90": float(regret.quantile(0.9)) if len(regret) else None,
                       "max": float(regret.max()) if len(regret) else None}}


__all__ = ["solve_sample", "robustness"]
