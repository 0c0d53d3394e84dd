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

import numpy as np
import pandas as pd

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


def levelized_costs(sol, scenario) -> pd.DataFrame:
    """Levelized cost of each product of the plan [USD of the base year per kg] (see module)."""
    data = sol.data
    years = list(data.years)
    factors = data.discount_factors()
    d = np.array([factors[y] for y in years])
    costs = option_costs(sol)
    output = product_output(sol, scenario)
    series = {pid: product_prices(data, pid) for pid in scenario.products}
    price = {pid: float(prices.iloc[0]) if not prices.empty else 0.0
             for pid, prices in series.items()}
    pv_out = {p: float((output[output["product"] == p]["output"].to_numpy() * d).sum())
              for p in scenario.products}
    oxides = [p for p, prod in scenario.products.items() if prod.material == "oxide"]
    value = {p: pv_out[p] * price[p] for p in oxides}
    total_value = sum(value.values())
    pv = costs.assign(d=costs["year"].map(dict(zip(years, d, strict=True))))
    pv["pv"] = pv["total"] * pv["d"]
    upstream = float(pv[pv["technology"].isin(UPSTREAM)]["pv"].sum())
    rows = []
    lc = {}
    for p in oxides:
        share = value[p] / total_value if total_value > 0 else 0.0
        cost = upstream * share
        lc[p] = cost / pv_out[p] if pv_out[p] > 0 else np.nan  # MUSD/t
        rows.append({"product": p, "unit": "t_REO", "pv_output": pv_out[p],
                     "pv_cost_musd": cost, "levelized_cost_usd_per_kg": lc[p] * MUSD_PER_T_TO_USD_PER_KG,
                     "allocation_share": share})
    downstream = float(pv[pv["technology"].isin(DOWNSTREAM)]["pv"].sum())
    oxide_in = _oxide_input_cost(sol, scenario, lc, price, d)
    for p, prod in scenario.products.items():
        if prod.material == "oxide":
            continue
        cost = downstream + oxide_in
        out = pv_out[p]
        rows.append({"product": p, "unit": "t", "pv_output": out, "pv_cost_musd": cost,
                     "levelized_cost_usd_per_kg": cost / out * MUSD_PER_T_TO_USD_PER_KG
                     if out > 0 else np.nan,
                     "allocation_share": 1.0})
    return pd.DataFrame(rows)


def _oxide_input_cost(sol, scenario, lc, price, d) -> float:
    """PV of the oxide the metal plants consume, at the oxide's levelized cost or import price."""
    flows = r.flows(sol)
    use = flows[(flows["kind"] == "consumption") & (flows["material"] == "oxide")]
    total = 0.0
    years = list(sol.data.years)
    for pid, prod in scenario.products.items():
        if prod.material != "oxide":
            continue
        members = sol.data.demand_groups.query("group == @pid").set_index("commodity")["weight"]
        sub = use[use["commodity"].isin(members.index)]
        amount = (sub["amount"].abs() * sub["commodity"].map(members)).groupby(sub["year"]).sum()
        unit_cost = lc.get(pid, np.nan)
        if not np.isfinite(unit_cost):
            unit_cost = price[pid]
        for y, a in amount.items():
            total += a * unit_cost * d[years.index(int(y))]
    return total


