"""Which inputs decide a figure: tornado, Sobol and Morris sensitivity of a plan's figures.

- **Tornado**: each uncertain input at its 10th and 90th percentile, the others at the model's
  values; the swing is the change of the figure between the two.
- **Sobol** first-order and total indices (Saltelli's estimators as SALib implements them:
  Saltelli et al., Comput. Phys. Commun. 181, 2010, 259) on the inputs' marginal distributions;
  the copula's correlations are left out (Sobol indices assume independent inputs).
- **Morris** elementary effects (mu*, sigma; Campolongo et al., Environ. Model. Softw. 22, 2007).

The plan is held, as in :mod:`tea.analysis.uncertainty`; every evaluation runs on the sample axis.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from SALib.analyze import morris as morris_analyze
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as sobol_sample

from tea.analysis.sampling import quantile
from tea.analysis.uncertainty import (
    PlanSampler,
    deterministic,
    percentile_table,
    uncertainty,
    units,
)
from tea.errors import InputError

FIGURES = ("levelized_cost.NdPr_oxide", "levelized_cost.N42_magnet", "npv")
"""Figures whose drivers are ranked (those the plan has)."""
METHODS = ("tornado", "sobol", "morris")


def _figures(values: dict) -> list[str]:
    return [f for f in FIGURES if f in values]


def tornado(run, sampler: PlanSampler | None = None) -> pd.DataFrame:
    """Each input at its P10 and P90, the others at base: the figure's value at both ends.

    Returns
    -------
    pandas.DataFrame
        figure, unit, input, at P10, at P90, swing (|P90 - P10| of the figure), base; ranked by
        swing within each figure.
    """
    spec = run.scenario.uncertainty
    keys = list(spec.distributions)
    sampler = sampler or PlanSampler.of(run)
    n = 2 * len(keys)
    samples = {k: np.ones(n) for k in keys}
    for i, k in enumerate(keys):
        dist = spec.distributions[k]
        samples[k][2 * i] = float(quantile(dist, 0.10))
        samples[k][2 * i + 1] = float(quantile(dist, 0.90))
    values = sampler.evaluate(samples, n, prices=False)
    base, unit = deterministic(run), units(run)
    rows = []
    for figure in _figures(values):
        for i, k in enumerate(keys):
            low, high = values[figure][2 * i], values[figure][2 * i + 1]
            rows.append({"figure": figure, "unit": unit.get(figure, ""), "input": k,
                         "at P10": float(low), "at P90": float(high),
                         "swing": float(abs(high - low)), "base": base.get(figure)})
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    return table.sort_values(["figure", "swing"], ascending=[True, False], ignore_index=True)


def sobol_indices(names: list[str], func: Callable[[np.ndarray], dict], n: int, seed: int
                  ) -> pd.DataFrame:
    """Sobol first-order and total indices of ``func``'s outputs over independent inputs.

    Parameters
    ----------
    names : list of str
        Input names.
    func : callable
        ``func(u)`` with ``u`` of shape ``(samples, inputs)`` in the unit hypercube returns
        figure -> values ``(samples,)``.
    n : int
        Base sample size (a power of 2; SALib evaluates ``n (inputs + 2)`` points).
    seed : int

    Returns
    -------
    pandas.DataFrame
        figure, input, S1, S1_conf, ST, ST_conf.
    """
    if n < 8 or n & (n - 1):
        raise InputError(f"Sobol base samples must be a power of 2 >= 8, got {n}",
                         key="samples")
    problem = {"num_vars": len(names), "names": list(names), "bounds": [[0.0, 1.0]] * len(names)}
    u = sobol_sample.sample(problem, n, calc_second_order=False, seed=seed)
    outputs = func(np.clip(u, 1e-9, 1 - 1e-9))
    rows = []
    for figure, y in outputs.items():
        y = np.asarray(y, dtype=float)
        if not np.all(np.isfinite(y)) or np.ptp(y) == 0:
            continue
        si = sobol_analyze.analyze(problem, y, calc_second_order=False, seed=seed)
        for i, name in enumerate(names):
            rows.append({"figure": figure, "input": name, "S1": float(si["S1"][i]),
                         "S1_conf": float(si["S1_conf"][i]), "ST": float(si["ST"][i]),
                         "ST_conf": float(si["ST_conf"][i])})
    return pd.DataFrame(rows)


def _plan_function(run, sampler: PlanSampler):
    spec = run.scenario.uncertainty
    keys = list(spec.distributions)

    def func(u: np.ndarray) -> dict:
        samples = {k: quantile(spec.distributions[k], u[:, i]) for i, k in enumerate(keys)}
        values = sampler.evaluate(samples, u.shape[0], prices=False)
        return {f: values[f] for f in _figures(values)}

    return keys, func


def sobol(run, n: int = 256, seed: int | None = None) -> pd.DataFrame:
    """Sobol indices of the plan's :data:`FIGURES` over the scenario's uncertain inputs."""
    keys, func = _plan_function(run, PlanSampler.of(run))
    seed = run.scenario.uncertainty.seed if seed is None else seed
    return sobol_indices(keys, func, n, seed).sort_values(
        ["figure", "ST"], ascending=[True, False], ignore_index=True)


def morris(run, trajectories: int = 20, seed: int | None = None) -> pd.DataFrame:
    """Morris elementary effects (mu*, sigma) of the plan's :data:`FIGURES`."""
    keys, func = _plan_function(run, PlanSampler.of(run))
    seed = run.scenario.uncertainty.seed if seed is None else seed
    problem = {"num_vars": len(keys), "names": keys, "bounds": [[0.0, 1.0]] * len(keys)}
    u = morris_sample.sample(problem, trajectories, num_levels=4, seed=seed)
    outputs = func(np.clip(u, 1e-9, 1 - 1e-9))
    rows = []
    for figure, y in outputs.items():
        result = morris_analyze.analyze(problem, u, np.asarray(y, dtype=float), num_levels=4,
                                        seed=seed)
        for i, name in enumerate(keys):
            rows.append({"figure": figure, "input": name, "mu_star": float(result["mu_star"][i]),
                         "sigma": float(result["sigma"][i])})
    return pd.DataFrame(rows).sort_values(["figure", "mu_star"], ascending=[True, False],
                                          ignore_index=True)


def drivers(table: pd.DataFrame, measure: str, top: int = 5) -> dict[str, list[dict]]:
    """The ``top`` inputs of each figure by ``measure`` (a column of ``table``)."""
    out = {}
    for figure, rows in table.groupby("figure", sort=False):
        best = rows.sort_values(measure, ascending=False).head(top)
        out[figure] = [{"input": r["input"], measure: float(r[measure])}
                       for _, r in best.iterrows()]
    return out


SUMMARY_FIGURES = ("levelized_cost.NdPr_oxide", "levelized_cost.N42_magnet", "npv", "irr",
                   "minimum_selling_price.NdPr_oxide", "minimum_selling_price.N42_magnet")
"""Figures whose ranges the run's summary keeps."""


def report_uncertainty(run, sobol_samples: int = 256) -> tuple[dict, dict[str, pd.DataFrame]]:
    """What a report shows of the plan's uncertainty: the summary entry (ranges of
    :data:`SUMMARY_FIGURES`, the five largest drivers of each :data:`FIGURES` by tornado swing)
    and the tables (percentiles, tornado, Sobol indices, the headline product's samples)."""
    sampler = PlanSampler.of(run)
    result = uncertainty(run, keep_values=True)
    values = result.pop("values")
    swings = tornado(run, sampler)
    indices = sobol(run, sobol_samples)
    entry = {k: v for k, v in result.items() if k != "figures"}
    entry["figures"] = {k: v for k, v in result["figures"].items() if k in SUMMARY_FIGURES}
    entry["drivers"] = {f: [{"input": d["input"], "swing": d["swing"]} for d in rows]
                        for f, rows in drivers(swings, "swing").items()} if not swings.empty else {}
    frames = {"uncertainty": percentile_table(result), "tornado": swings, "sobol": indices}
    product = "NdPr_oxide" if "levelized_cost.NdPr_oxide" in values else None
    if product:
        unit = units(run)[f"levelized_cost.{product}"]
        frames["samples"] = pd.DataFrame({
            "product": product, "unit": unit,
            "levelized cost": values[f"levelized_cost.{product}"],
            "import price": values[f"import_price.{product}"]})
    return entry, frames


__all__ = ["FIGURES", "SUMMARY_FIGURES", "report_uncertainty", "METHODS", "tornado", "sobol_indices", "sobol", "morris", "drivers"]
