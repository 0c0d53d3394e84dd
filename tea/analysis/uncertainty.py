"""How sure are we: a plan's figures on samples of its uncertain inputs.

The plan (the optimized one, or the model's fixed plan) is held: what moves is what its inputs
cost and fetch. Each sample is a set of multipliers (:mod:`tea.config.uncertainty`); the
levelized costs (:func:`tea.analysis.levelized.levelized_arrays`) and the after-tax cash flows
(:func:`tea.analysis.cashflows.run_ledger` with a :class:`~tea.analysis.cashflows.Scale`) are
computed once for all samples, on a leading sample axis. The figures:

- ``levelized_cost.<product>`` [USD of the base year per kg], with the probability that it is
  below the product's import price (both sampled);
- ``npv`` (the chain's, after tax, at the sampled hurdle rate) [reporting currency];
- ``irr`` [1/yr] and ``minimum_selling_price.<product>`` of the chain's main products
  [reporting currency per kg].

:func:`robustness` re-optimizes the build-out on sampled scenarios instead (the plan moves).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from tea.analysis.cashflows import (
    Scale,
    minimum_price,
    plant_books,
    product_members,
    run_ledger,
)
from tea.analysis.levelized import levelized_arrays, levelized_parts
from tea.analysis.sampling import draw, percentiles
from tea.finance import irr, npv

MAIN_PRODUCTS = ("NdPr_oxide", "N42_magnet")
"""Products whose chain minimum selling price is sampled (when the chain sells them)."""


@dataclass
class PlanSampler:
    """A plan prepared for sampling: its levelized-cost parts and its plants' ledger inputs."""

    run: object  # tea.analysis.run.ModelRun
    parts: object  # tea.analysis.levelized.LevelizedParts
    books: dict
    members: dict
    commodity_product: dict[str, str]

    @classmethod
    def of(cls, run) -> PlanSampler:
        members = product_members(run.data, run.scenario)
        owner = {c: p for p, m in members.items() for c in m.index}
        return cls(run, levelized_parts(run.solution, run.scenario),
                   plant_books(run.solution, run.scenario, run.info.musd_to_currency),
                   members, owner)

    def _multiplier(self, samples: dict, key: str, n: int) -> np.ndarray:
        return np.asarray(samples.get(key, np.ones(n)), dtype=float)

    def levelized(self, samples: dict, n: int) -> dict[str, np.ndarray]:
        """Levelized cost of each product per sample [USD/kg], and the import price per sample
        [USD/kg] under ``"import_price.<product>"``."""
        p = self.parts
        m = self._multiplier
        capital = np.stack([m(samples, f"capex.{t}", n) for t in p.technologies], axis=1) \
            if p.technologies else np.ones((n, 0))
        operating = np.stack([m(samples, f"opex.{t}", n) for t in p.technologies], axis=1) \
            if p.technologies else np.ones((n, 0))
        price = np.stack([m(samples, f"price.{q}", n) for q in p.products], axis=1)
        arrays = levelized_arrays(p, capital, operating, price, m(samples, "recovery", n),
                                  m(samples, "discount_rate", n))
        out = {}
        for k, product in enumerate(p.products):
            out[f"levelized_cost.{product}"] = arrays["levelized_cost"][:, k]
            out[f"import_price.{product}"] = p.price[k] * price[:, k] * 1e3
        return out

    def scale_of(self, books, samples: dict, n: int) -> Scale:
        m = self._multiplier
        prices = {c: m(samples, f"price.{self.commodity_product[c]}", n)
                  for c in books.prices if c in self.commodity_product}
        return Scale(m(samples, f"capex.{books.technology}", n),
                     m(samples, f"opex.{books.technology}", n), m(samples, "recovery", n), prices)

    def chain(self, samples: dict, n: int, prices: bool = True) -> dict[str, np.ndarray]:
        """The chain's after-tax NPV and IRR per sample, and (``prices``) the minimum selling
        price of :data:`MAIN_PRODUCTS` it sells [reporting currency, 1/yr, currency/kg]."""
        years = list(self.run.data.years)
        start = years[0] - self.run.scenario.base_year
        rate = self.run.finance.figures["chain"]["hurdle_rate"] * self._multiplier(
            samples, "discount_rate", n)
        scales = {name: self.scale_of(b, samples, n) for name, b in self.books.items()}

        def net_flows(override=None):
            total = np.zeros((n, len(years)))
            for name, b in self.books.items():
                lines = run_ledger(b, years, override, self.members, purchases_too=True,
                                   scale=scales[name])
                total = total + lines["net_cash_flow"]
            return total

        net = net_flows()
        out = {"npv": np.asarray(npv(rate, net, start=start)), "irr": np.asarray(irr(net))}
        if prices:
            for product in MAIN_PRODUCTS:
                if product not in self.run.finance.figures["chain"]["msp"]:
                    continue
                guess = float(self.run.finance.figures["chain"]["msp"][product] or 1.0) * 1e3

                def chain_npv(x, product=product):
                    return np.asarray(npv(rate, net_flows({product: x}), start=start))

                x = minimum_price(chain_npv, guess, n_samples=n)
                out[f"minimum_selling_price.{product}"] = (
                    np.full(n, np.nan) if x is None else np.asarray(x) / 1e3)
        return out

    def evaluate(self, samples: dict, n: int, finance: bool = True,
                 prices: bool = True) -> dict[str, np.ndarray]:
        """Every figure per sample (see the module docstring)."""
        out = self.levelized(samples, n)
        if finance:
            out.update(self.chain(samples, n, prices))
        return out


def units(run) -> dict[str, str]:
    """Unit of each figure of :meth:`PlanSampler.evaluate`."""
    s = run.scenario
    out = {"npv": s.currency, "irr": "1/yr"}
    for p, prod in s.products.items():
        per = "/kg_REO" if prod.material == "oxide" else "/kg"
        out[f"levelized_cost.{p}"] = f"USD_{s.base_year}{per}"
        out[f"minimum_selling_price.{p}"] = f"{s.currency}{per}"
    return out


def deterministic(run) -> dict[str, float]:
    """The run's own figures, keyed as :meth:`PlanSampler.evaluate` keys them."""
    out = {f"levelized_cost.{row['product']}": float(row["levelized_cost_usd_per_kg"])
           for _, row in run.levelized.iterrows()}
    chain = run.finance.figures["chain"]
    out["npv"] = chain["npv"]
    out["irr"] = chain["irr"] if chain["irr"] is not None else float("nan")
    for p, v in chain["msp"].items():
        out[f"minimum_selling_price.{p}"] = float("nan") if v is None else v
    return out


def uncertainty(run, samples: int | None = None, seed: int | None = None,
                keep_values: bool = False) -> dict:
    """Percentiles, mean, probability below the import price and a convergence check of every
    figure over Latin-hypercube samples of the scenario's uncertain inputs.

    Returns
    -------
    dict
        ``samples``, ``seed``, ``inputs`` (the keys sampled) and ``figures``: figure ->
        ``unit``, ``deterministic``, ``p5``, ``p10``, ``p50``, ``p90``, ``p95``, ``mean``,
        ``probability_below_import`` (levelized costs), ``convergence`` (P50 and P90 of the
        first and second halves of the samples); with ``keep_values``, ``values``: figure ->
        the samples (not JSON).
    """
    spec = run.scenario.uncertainty
    n = int(samples or spec.samples)
    seed = int(spec.seed if seed is None else seed)
    drawn = draw(spec, n, seed)
    values = PlanSampler.of(run).evaluate(drawn, n)
    base = deterministic(run)
    unit = units(run)
    figures = {}
    for key, sample in values.items():
        if key.startswith("import_price.") or not np.isfinite(sample).any():
            continue
        entry = {"unit": unit.get(key, ""), "deterministic": base.get(key)}
        entry.update(percentiles(sample))
        half = n // 2
        entry["convergence"] = {f"{part}_{q}": percentiles(chunk)[q]
                                for part, chunk in (("first", sample[:half]),
                                                    ("second", sample[half:]))
                                for q in ("p50", "p90")}
        product = key.partition(".")[2]
        if key.startswith("levelized_cost.") and f"import_price.{product}" in values:
            below = sample < values[f"import_price.{product}"]
            entry["probability_below_import"] = float(np.mean(below[np.isfinite(sample)]))
        figures[key] = entry
    out = {"samples": n, "seed": seed, "inputs": sorted(drawn), "figures": figures,
           "plan": "held (the plan's builds and flows; its costs and prices sampled)"}
    if keep_values:
        out["values"] = values
    return out


def sampled_data(data, scenario, multipliers: dict):
    """The optimizer's data with one sample's multipliers applied (capex, fixed and variable
    opex by technology, import and export prices by product, the discount rate)."""
    tech = data.options["technology"]

    def by_option(key_prefix):
        return tech.map(lambda t: multipliers.get(f"{key_prefix}.{t}", 1.0))

    options = data.options.assign(
        capex_per_module=data.options["capex_per_module"] * by_option("capex"),
        fixed_opex_per_module=data.options["fixed_opex_per_module"] * by_option("opex"))
    modes = data.modes.assign(variable_opex=data.modes["variable_opex"]
                              * data.modes["option"].map(by_option("opex")))
    owner = {c: g for g, c in zip(data.demand_groups["group"], data.demand_groups["commodity"],
                                  strict=True)}

    def priced(table):
        factor = table["commodity"].map(lambda c: multipliers.get(f"price.{owner.get(c)}", 1.0))
        return table.assign(price=table["price"] * factor)

    return dataclasses.replace(data, options=options, modes=modes, imports=priced(data.imports),
                               exports=priced(data.exports),
                               discount_rate=data.discount_rate
                               * multipliers.get("discount_rate", 1.0))


def percentile_table(result: dict):
    """The figures of :func:`uncertainty` as rows (figure, unit, deterministic, P5..P95, mean,
    probability below the import price)."""
    import pandas as pd

    rows = []
    for key, f in result["figures"].items():
        rows.append({"figure": key, "unit": f["unit"], "deterministic": f["deterministic"],
                     **{q: f[q] for q in ("p5", "p10", "p50", "p90", "p95", "mean")},
                     "P(below import price)": f.get("probability_below_import")})
    return pd.DataFrame(rows)


__all__ = ["MAIN_PRODUCTS", "PlanSampler", "units", "deterministic", "uncertainty",
           "sampled_data", "percentile_table"]
