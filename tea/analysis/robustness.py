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
from tea.optimize.pool import default_workers, submit_all, warm_pool
from tea.optimize.solve import solve


def solve_one(kind: str, data, plan: dict, time_limit: float, threads: int | None) -> dict:
    """One solve of a sample (a task of :func:`start_robustness`): ``"free"``, that sample's
    optimum warm-started from ``plan`` (a MIP start; ``feasible`` False when no plan meets the
    targets within the budget at that sample's costs), or ``"held"``, the deterministic plan's
    builds ``plan`` fixed and the budget lifted (the plan is held whatever it costs) [MUSD]."""
    if kind == "held":
        held = solve(dataclasses.replace(data, budget_total=None, budget_per_year=None),
                     time_limit=time_limit, duals=False, threads=threads, fixed_builds=plan)
        return {"objective": float(held.objective)}
    try:
        best = solve(data, time_limit=time_limit, mip_rel_gap=1e-3, duals=False,
                     threads=threads, start=plan)
    except InfeasibleError:
        return {"feasible": False, "objective": None, "builds": {}}
    built = r.build_plan(best)
    return {"feasible": True, "objective": float(best.objective),
            "builds": {(o, int(y)): int(n) for o, y, n in zip(built["option"], built["year"],
                                                              built["modules"], strict=True)}}


def start_robustness(run, k: int, seed: int | None = None, pool=None,
                     time_limit: float = 120.0):
    """Submit the re-solves of :func:`robustness` to ``pool`` (a
    :func:`tea.optimize.pool.warm_pool`; default one worker per core) and return a function that
    waits for them and gives the result, so the caller can compute something else meanwhile."""
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
        data = sampled_data(run.data, run.scenario, {key: float(v[i]) for key, v in drawn.items()})
        tasks += [("free", data, start, time_limit, 1), ("held", data, fixed, time_limit, 1)]
    wait = submit_all(pool or warm_pool(default_workers()), solve_one, tasks)

    def result() -> dict:
        done = wait()
        return _summarize(run, k, seed, fixed, done[0::2], done[1::2])

    return result


def _summarize(run, k: int, seed: int, fixed: dict, free: list, held: list) -> dict:
    counts: dict = {}  # builds of the feasible samples
    feasible = [f for f in free if f["feasible"]]
    for result in feasible:
        for build, n in result["builds"].items():
            counts.setdefault(build, []).append(n)
    rows = [{"option": o, "year": y, "modules (median)": float(pd.Series(n).median()),
             "share of samples": len(n) / max(1, len(feasible)),
             "in the deterministic plan": fixed.get((o, y), 0)}
            for (o, y), n in sorted(counts.items(), key=lambda item: (item[0][1], item[0][0]))]
    for (o, y), n in fixed.items():
        if (o, y) not in counts:
            rows.append({"option": o, "year": y, "modules (median)": 0.0,
                         "share of samples": 0.0, "in the deterministic plan": n})
    to_currency = run.info.musd_to_currency
    regret = pd.Series([(h["objective"] - f["objective"]) * to_currency
                        for f, h in zip(free, held, strict=True) if f["feasible"]], dtype=float)
    return {"samples": k, "seed": seed, "builds": pd.DataFrame(rows),
            "infeasible_share": 1.0 - len(feasible) / k,
            "regret": {"unit": run.scenario.currency, "values": regret.tolist(),
                       "p50": float(regret.median()) if len(regret) else None,
                       "p90": float(regret.quantile(0.9)) if len(regret) else None,
                       "max": float(regret.max()) if len(regret) else None}}


def robustness(run, k: int, seed: int | None = None, pool=None,
               time_limit: float = 120.0) -> dict:
    """Re-optimize the build-out on ``k`` samples (in parallel processes).

    Returns
    -------
    dict
        ``samples``, ``seed``; ``builds``: table (option, year, modules (median), share of the
        feasible samples building it, in the deterministic plan); ``infeasible_share``;
        ``regret``: per feasible sample, the deterministic plan's cost minus the sample's
        optimum [reporting currency], with its P50, P90, max and ``unit``.
    """
    return start_robustness(run, k, seed, pool, time_limit)()


__all__ = ["solve_one", "start_robustness", "robustness"]
