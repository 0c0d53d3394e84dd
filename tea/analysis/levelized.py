"""Levelized costs of products from a solved build-out plan, and the plan's chain cash flows.

Levelized cost of a product p (USD of the base year per kg) over the horizon:

    LC_p = sum_y d_y C_p,y / sum_y d_y Q_p,y,     d_y = (1 + r)^-(y - base_year)

with Q the domestic output of p and C the costs allocated to p (the levelized cost is the price that
makes the chain's NPV zero for that product, i.e. the ratio of present values).  Allocation rule,
stated: each plant's costs (capex in its build year less the straight-line salvage of the remaining
life at the horizon's end, fixed opex of modules online, variable opex of its activity, transport)
are shared among the chain's oxide products in proportion to their value at import prices (the
usual co-product rule for rare-earth separation, where one cut yields several products).  Magnets
carry the metal and magnet plants' own costs plus the oxide they consume at the oxide's levelized
cost (or its import price where the chain makes none).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tea.optimize import results as r

MUSD_PER_T_TO_USD_PER_KG = 1e6 / 1e3
"""1 MUSD/t = 1,000 USD/kg."""
UPSTREAM = ("mine", "cracking", "separation", "recycling")
COST_COLUMNS = ("capex", "salvage", "fixed_opex", "variable_opex", "transport")
"""Cost columns of :func:`option_costs`, in the order the cash-flow tables show them."""
DOWNSTREAM = ("metal", "magnet")


def discount(data, years) -> np.ndarray:
    """Year-end discount factors to the base year for ``years`` [-] (see
    :meth:`tea.chain.data.ChainData.discount_factors`)."""
    factors = data.discount_factors()
    return np.array([factors[y] for y in years])


def product_prices(data, product: str) -> pd.Series:
    """Import price of a product by year, per unit of the product [MUSD/t REO or MUSD/t]
    (empty when the product has no import price)."""
    members = data.demand_groups[data.demand_groups["group"] == product]
    rows = data.imports[data.imports["commodity"].isin(members["commodity"])]
    if rows.empty:
        return pd.Series(dtype=float)
    weight = float(members.set_index("commodity").loc[rows.iloc[0]["commodity"], "weight"])
    return rows.groupby("year")["price"].first() / weight


def _cash_flow_table(years, value, costs: pd.DataFrame, d, cur: str, to_currency: float
                     ) -> pd.DataFrame:
    """Cash-flow table: value of output less capex, salvage credit and opex [MUSD] -> currency."""
    table = pd.DataFrame({"year": years})
    table[f"value of output [{cur}]"] = np.asarray(value) * to_currency
    for col in COST_COLUMNS:
        table[f"{col.replace('_', ' ')} [{cur}]"] = -costs[col].to_numpy() * to_currency
    money_cols = [c for c in table.columns if c != "year"]
    table[f"net cash flow [{cur}]"] = table[money_cols].sum(axis=1)
    table["discount factor"] = d
    table["discounted net cash flow"] = table[f"net cash flow [{cur}]"] * d
    return table


def transport_by_option(sol) -> pd.DataFrame:
    """Transport cost of each option and year [MUSD/yr] (columns option, year, transport).

    Each leg of :func:`tea.optimize.results.transport` is charged to the plants at the site it
    leaves that make the commodity (legs to the market and along routes), or to the plants at
    the site it reaches that use it (legs from the market), in proportion to what each makes or
    uses that year; a leg with no such plant (a commodity only passing through) is charged to the
    plants at that site that run that year, in proportion to their activity.
    """
    legs = r.transport(sol)
    empty = pd.DataFrame(columns=["option", "year", "transport"])
    if legs.empty:
        return empty
    acts = r.activities(sol)
    f = sol.prepared["flows"][["option", "mode", "commodity", "year", "coef"]]
    f = f.merge(acts, on=["option", "mode", "year"])
    f["amount"] = f["coef"] * f["activity"]
    made = f[f["amount"] > 0].groupby(["commodity", "site", "year", "option"])["amount"].sum()
    used = (-f[f["amount"] < 0].set_index(["commodity", "site", "year", "option"])["amount"]
            ).groupby(level=[0, 1, 2, 3]).sum()
    running = acts.groupby(["site", "year", "option"])["activity"].sum()
    rows = []
    for c, site, leg, year, cost in zip(legs["commodity"], legs["site"], legs["leg"],
                                        legs["year"], legs["musd"], strict=True):
        table = used if leg == "from market" else made
        try:
            w = table.loc[(c, site, year)]
        except KeyError:
            w = running.loc[(site, year)] if (site, year) in running.index else None
        if w is None or w.sum() <= 0:
            continue
        rows += [(o, year, cost * v / w.sum()) for o, v in w.items()]
    if not rows:
        return empty
    out = pd.DataFrame(rows, columns=["option", "year", "transport"])
    return out.groupby(["option", "year"], as_index=False)["transport"].sum()


@r.per_solution
def option_costs(sol) -> pd.DataFrame:
    """Costs of each option by year [MUSD]: capex, salvage, fixed and variable opex, transport
    (:func:`transport_by_option`), and their total."""
    data = sol.data
    years = list(data.years)
    rows = []
    plan = r.build_plan(sol)
    caps = r.capacities(sol)
    acts = r.activities(sol)
    modes = data.modes.set_index(["option", "mode"])["variable_opex"]
    for option, row in data.options.iterrows():
        capex = np.zeros(len(years))
        salvage = np.zeros(len(years))
        for _, b in plan[plan["option"] == option].iterrows():
            capex[years.index(int(b["year"]))] += b["capex"]
            online = int(b["online_year"])
            used = max(0, years[-1] - online + 1)
            remaining = max(0.0, 1.0 - used / row["lifetime"])
            salvage[-1] += b["capex"] * remaining
        online = caps[caps["option"] == option].set_index("year")["modules_online"]
        fixed = np.array([online.get(y, 0.0) for y in years]) * row["fixed_opex_per_module"]
        act = acts[acts["option"] == option]
        var = np.zeros(len(years))
        for (mode, year), a in act.groupby(["mode", "year"])["activity"].sum().items():
            var[years.index(int(year))] += a * modes.get((option, mode), 0.0)
        for y, cap_, sal, fix, v in zip(years, capex, salvage, fixed, var, strict=True):
            rows.append({"option": option, "technology": row["technology"], "site": row["site"],
                         "year": y, "capex": cap_, "salvage": -sal, "fixed_opex": fix,
                         "variable_opex": v})
    out = pd.DataFrame(rows)
    moved = transport_by_option(sol).set_index(["option", "year"])["transport"]
    out["transport"] = moved.reindex(pd.MultiIndex.from_frame(out[["option", "year"]])
                                     ).fillna(0.0).to_numpy()
    out["total"] = out[list(COST_COLUMNS)].sum(axis=1)
    return out


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
    d = discount(data, years)
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


def chain_cash_flow(sol, scenario, to_currency: float) -> pd.DataFrame:
    """Year-by-year cash flow of the plan in the reporting currency: costs, value of domestic
    output at import prices, net and discounted net cash flow (their sum is the plan's NPV)."""
    data = sol.data
    years = list(data.years)
    costs = option_costs(sol).groupby("year")[list(COST_COLUMNS)].sum()
    output = product_output(sol, scenario)
    revenue = np.zeros(len(years))
    for pid in scenario.products:
        per_year = product_prices(data, pid)
        if per_year.empty:
            continue
        out = output[output["product"] == pid].set_index("year")["output"]
        revenue += np.array([out.get(y, 0.0) * per_year.get(y, 0.0) for y in years])
    return _cash_flow_table(years, revenue, costs.reindex(years).fillna(0.0),
                            discount(data, years), scenario.currency, to_currency)


def plant_cash_flows(sol, scenario, to_currency: float) -> dict[str, pd.DataFrame]:
    """Year-by-year cash flow of each plant with capacity in the plan, in the reporting currency.

    Columns as :func:`chain_cash_flow`; a plant's output is valued at import prices where the
    product is traded (oxides, magnets); intermediates passed along the chain are not priced, so
    the plants' tables add up to the chain's.
    """
    data = sol.data
    years = list(data.years)
    costs = option_costs(sol)
    acts = r.activities(sol)
    coefs = data.coefficients[data.coefficients["coef"] > 0]
    prices = data.imports.set_index(["commodity", "year"])["price"]
    d = discount(data, years)
    out = {}
    for option, frame in costs.groupby("option", sort=True):
        frame = frame.set_index("year").reindex(years).fillna(0.0)
        made = acts[acts["option"] == option].merge(coefs, on=["option", "mode"])
        made["value"] = [a * c * prices.get((k, y), 0.0) for a, c, k, y in
                         zip(made["activity"], made["coef"], made["commodity"], made["year"],
                             strict=True)]
        value = made.groupby("year")["value"].sum().reindex(years).fillna(0.0).to_numpy()
        if not (frame["total"].abs().sum() > 0 or value.sum() > 0):
            continue
        out[option] = _cash_flow_table(years, value, frame, d, scenario.currency, to_currency)
    return out
