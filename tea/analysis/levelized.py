"""Levelized costs of products from a solved build-out plan (pre-tax, at the planning rate).

Levelized cost of a product p (USD of the base year per kg) over the horizon:

    LC_p = sum_y d_y C_p,y / sum_y d_y Q_p,y,     d_y = (1 + r)^-(y - base_year)

with Q the domestic output of p and C the costs allocated to p (the levelized cost is the price that
makes the chain's NPV zero for that product, i.e. the ratio of present values).  Allocation rule,
stated: each plant's costs (capex in its build year less the straight-line salvage of the remaining
life at the horizon's end, fixed opex of modules online, variable opex of its activity, transport,
from :func:`tea.optimize.plan_costs.option_costs`, discounted with the plan's factors) are
shared among the chain's oxide products in proportion to their value at import prices (the
usual co-product rule for rare-earth separation, where one cut yields several products).  Magnets
carry the metal and magnet plants' own costs plus the oxide they consume at the oxide's levelized
cost (or its import price where the chain makes none). The after-tax view of the same plan (each
plant's investor, minimum selling prices) is :mod:`tea.analysis.cashflows`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from tea.finance import discount_factors
from tea.optimize import results as r
from tea.optimize.plan_costs import option_costs

MUSD_PER_T_TO_USD_PER_KG = 1e6 / 1e3
"""1 MUSD/t = 1,000 USD/kg."""
UPSTREAM = ("mine", "cracking", "separation", "recycling")
DOWNSTREAM = ("metal", "magnet")


def product_prices(data, product: str) -> pd.Series:
    """Import price of a product by year, per unit of the product [MUSD/t REO or MUSD/t]
    (empty when the product has no import price)."""
    members = data.demand_groups[data.demand_groups["group"] == product]
    rows = data.imports[data.imports["commodity"].isin(members["commodity"])]
    if rows.empty:
        return pd.Series(dtype=float)
    weight = float(members.set_index("commodity").loc[rows.iloc[0]["commodity"], "weight"])
    return rows.groupby("year")["price"].first() / weight


def product_output(sol, scenario) -> pd.DataFrame:
    """Domestic output of each product by year, in the product's unit (t REO/yr or t/yr)."""
    flows = r.flows(sol)
    prod = flows[flows["kind"] == "production"]
    rows = []
    groups = sol.data.demand_groups
    for pid in scenario.products:
        members = groups[groups["group"] == pid].set_index("commodity")["weight"]
        sub = prod[prod["commodity"].isin(members.index)]
        by_year = (sub["amount"] * sub["commodity"].map(members)).groupby(sub["year"]).sum()
        for y in sol.data.years:
            rows.append({"product": pid, "year": y, "output": float(by_year.get(y, 0.0))})
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class LevelizedParts:
    """What a plan's levelized costs are computed from, by technology and product and year.

    Attributes
    ----------
    years : numpy.ndarray
        Calendar years [calendar year].
    base_year : int
        Year of the money and of discounting.
    rate : float
        Discount rate [fraction per year].
    technologies : tuple of str
        Rows of ``capital`` and ``operating``.
    capital, operating : numpy.ndarray
        ``(technologies, years)``: capex less salvage; fixed and variable opex and transport [MUSD].
    products : tuple of str
        Rows of ``output`` and ``oxide_use``.
    oxide : numpy.ndarray
        Whether each product is an oxide (its cost shared by value) [bool].
    output, oxide_use : numpy.ndarray
        ``(products, years)``: domestic output, and oxide taken by the chain's metal plants
        [t/yr of product].
    price : numpy.ndarray
        First import price of each product [MUSD per t of product] (0 without one).
    """

    years: np.ndarray
    base_year: int
    rate: float
    technologies: tuple[str, ...]
    capital: np.ndarray
    operating: np.ndarray
    products: tuple[str, ...]
    oxide: np.ndarray
    output: np.ndarray
    oxide_use: np.ndarray
    price: np.ndarray


def levelized_parts(sol, scenario) -> LevelizedParts:
    """Decompose a solved plan into :class:`LevelizedParts`."""
    data = sol.data
    years = list(data.years)
    costs = option_costs(sol)
    techs = tuple(t for t in (*UPSTREAM, *DOWNSTREAM) if t in set(costs["technology"]))
    by = costs.assign(capital=costs["capex"] + costs["salvage"],
                      operating=costs["fixed_opex"] + costs["variable_opex"] + costs["transport"])
    grid = by.groupby(["technology", "year"])[["capital", "operating"]].sum()
    full = pd.MultiIndex.from_product([techs, years])
    grid = grid.reindex(full, fill_value=0.0)
    capital = grid["capital"].to_numpy().reshape(len(techs), len(years))
    operating = grid["operating"].to_numpy().reshape(len(techs), len(years))
    products = tuple(scenario.products)
    output = product_output(sol, scenario).pivot_table(
        index="product", columns="year", values="output").reindex(index=list(products),
                                                                   columns=years).fillna(0.0)
    prices = {pid: product_prices(data, pid) for pid in products}
    return LevelizedParts(
        np.asarray(years), int(data.base_year), float(data.discount_rate), techs,
        np.asarray(capital, dtype=float), np.asarray(operating, dtype=float), products,
        np.array([scenario.products[p].material == "oxide" for p in products], dtype=bool),
        output.to_numpy(dtype=float), _oxide_use(sol, scenario, products, years),
        np.array([float(v.iloc[0]) if not v.empty else 0.0 for v in prices.values()],
                 dtype=float))


def levelized_arrays(parts: LevelizedParts, capital=None, operating=None, price=None,
                     output=None, rate=None) -> dict[str, np.ndarray]:
    """Levelized costs of a plan's products for samples of multipliers (see the module rule).

    Parameters
    ----------
    parts : LevelizedParts
    capital, operating : numpy.ndarray, optional
        Multipliers ``(samples, technologies)`` of the capital and operating costs [-].
    price : numpy.ndarray, optional
        Multipliers ``(samples, products)`` of the import prices [-].
    output : numpy.ndarray, optional
        Multiplier ``(samples,)`` of the plan's output and oxide use (a recovery factor) [-].
    rate : numpy.ndarray, optional
        Multiplier ``(samples,)`` of the discount rate [-].

    Returns
    -------
    dict[str, numpy.ndarray]
        ``levelized_cost`` [USD of the base year per kg of product], ``pv_output`` [t],
        ``pv_cost`` [MUSD] and ``share`` [-], each ``(samples, products)``.
    """
    n_s = max(np.shape(v)[0] for v in (capital, operating, price, output, rate, [0])
              if v is not None)
    n_s = max(n_s, 1)
    ones = np.ones
    capital = ones((n_s, len(parts.technologies))) if capital is None else capital
    operating = ones((n_s, len(parts.technologies))) if operating is None else operating
    price = ones((n_s, len(parts.products))) if price is None else price
    output = ones(n_s) if output is None else output
    rate = ones(n_s) if rate is None else rate
    d = discount_factors(parts.rate * rate, parts.years.size,
                         int(parts.years[0]) - parts.base_year).reshape(n_s, -1)
    pv_tech = capital * (d @ parts.capital.T) + operating * (d @ parts.operating.T)
    upstream_rows = [t in UPSTREAM for t in parts.technologies]
    upstream = pv_tech[:, upstream_rows].sum(axis=1)
    downstream = pv_tech[:, [not u for u in upstream_rows]].sum(axis=1)
    pv_out = output[:, None] * (d @ parts.output.T)
    unit_price = parts.price[None, :] * price
    value = np.where(parts.oxide[None, :], pv_out * unit_price, 0.0)
    total = value.sum(axis=1, keepdims=True)
    share = np.divide(value, total, out=np.zeros_like(value), where=total > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        lc = np.where(pv_out > 0, upstream[:, None] * share / pv_out, np.nan)  # MUSD/t
        unit_cost = np.where(np.isfinite(lc), lc, unit_price)
        oxide_in = (output[:, None] * (d @ parts.oxide_use.T) * unit_cost)[:, parts.oxide].sum(1)
        down_cost = downstream + oxide_in
        lc_down = np.where(pv_out > 0, down_cost[:, None] / pv_out, np.nan)
    cost = np.where(parts.oxide[None, :], upstream[:, None] * share, down_cost[:, None])
    lc = np.where(parts.oxide[None, :], lc, lc_down)
    return {"levelized_cost": lc * MUSD_PER_T_TO_USD_PER_KG, "pv_output": pv_out,
            "pv_cost": cost, "share": np.where(parts.oxide[None, :], share, 1.0)}


def levelized_costs(sol, scenario) -> pd.DataFrame:
    """Levelized cost of each product of the plan [USD of the base year per kg] (see module):
    :func:`levelized_arrays` at the model's values (one sample)."""
    parts = levelized_parts(sol, scenario)
    arrays = levelized_arrays(parts)
    rows = []
    for k, p in enumerate(parts.products):
        oxide = bool(parts.oxide[k])
        rows.append({"product": p, "unit": "t_REO" if oxide else "t",
                     "pv_output": float(arrays["pv_output"][0, k]),
                     "pv_cost_musd": float(arrays["pv_cost"][0, k]),
                     "levelized_cost_usd_per_kg": float(arrays["levelized_cost"][0, k]),
                     "allocation_share": float(arrays["share"][0, k])})
    order = [r for r in rows if r["unit"] == "t_REO"] + [r for r in rows if r["unit"] == "t"]
    return pd.DataFrame(order)


def _oxide_use(sol, scenario, products, years) -> np.ndarray:
    """Oxide the chain's plants consume by product and year [t/yr of product]."""
    flows = r.flows(sol)
    use = flows[(flows["kind"] == "consumption") & (flows["material"] == "oxide")]
    out = np.zeros((len(products), len(years)))
    for k, pid in enumerate(products):
        if scenario.products[pid].material != "oxide":
            continue
        members = sol.data.demand_groups.query("group == @pid").set_index("commodity")["weight"]
        sub = use[use["commodity"].isin(members.index)]
        amount = (sub["amount"].abs() * sub["commodity"].map(members)).groupby(sub["year"]).sum()
        out[k] = amount.reindex(years, fill_value=0.0).to_numpy()
    return out
