"""Tidy result tables of a solved build-out model (units in column names or docstrings).

Every table is a pandas DataFrame in long form. Money is MUSD of the base year (real); ``_pv``
columns are discounted to the base year with the model's discount factors. Masses are t/yr of
element for element-resolved commodities, t/yr of product otherwise.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from tea.optimize.solve import Solution

_TOL = 1e-6


def per_solution(func):
    """Compute a table of a solution once: later calls with the same solution get a copy of it
    (kept in ``sol.cache``; a solution's plan does not change once solved)."""

    @functools.wraps(func)
    def wrapper(sol):
        key = f"{func.__module__}.{func.__qualname__}"
        if key not in sol.cache:
            sol.cache[key] = func(sol)
        return sol.cache[key].copy()

    return wrapper


def _values(var, names: list[str]) -> pd.DataFrame:
    """Values of an indexed Pyomo variable as a DataFrame with index columns ``names``.

    Values of a non-negative variable that the solver left a hair below zero (within its
    feasibility tolerance) read as zero.
    """
    rows = [(*(k if isinstance(k, tuple) else (k,)),
             max(v.value or 0.0, 0.0) if v.lb is not None and v.lb >= 0 else v.value or 0.0)
            for k, v in var.items()]
    return pd.DataFrame(rows, columns=[*names, "value"])


def build_plan(sol: Solution) -> pd.DataFrame:
    """Modules whose construction starts each year.

    Columns: option, technology, site, year (build year), online_year, modules, capacity_added
    [activity/yr], capex [MUSD overnight].
    """
    o = sol.data.options
    b = _values(sol.model.build, ["option", "year"])
    b["modules"] = b.pop("value").round().astype(int)
    b = b[b["modules"] > 0].reset_index(drop=True)
    b["technology"] = b["option"].map(o["technology"])
    b["site"] = b["option"].map(o["site"])
    b["online_year"] = b["year"] + b["option"].map(o["lead_time"]).astype(int)
    # float even when nothing is built (an empty map gives strings under pandas >= 3)
    b["capacity_added"] = b["modules"] * b["option"].map(o["capacity_per_module"]).astype(float)
    b["capex"] = b["modules"] * b["option"].map(o["capex_per_module"]).astype(float)
    return b[["option", "technology", "site", "year", "online_year", "modules", "capacity_added",
              "capex"]]


def capacities(sol: Solution) -> pd.DataFrame:
    """Modules online and capacity per option and year (existing modules in their service years).

    Columns: option, technology, site, year, modules_online, capacity [activity/yr], jobs.
    """
    o = sol.data.options
    w = sol.prepared["window"]
    plan = build_plan(sol).set_index(["option", "year"])["modules"]
    built = w.assign(modules=[plan.get((a, b), 0) for a, b in zip(w["option"], w["build_year"],
                                                                   strict=True)])
    built = built.groupby(["option", "year"])["modules"].sum()
    grid = pd.MultiIndex.from_product([o.index, list(sol.data.years)], names=["option", "year"])
    out = pd.DataFrame(index=grid).reset_index()
    ex = sol.prepared["existing"].set_index(["option", "year"])["modules"]
    out["modules_online"] = (built.reindex(grid, fill_value=0).to_numpy()
                             + ex.reindex(grid, fill_value=0).to_numpy()).astype(int)
    out["technology"] = out["option"].map(o["technology"])
    out["site"] = out["option"].map(o["site"])
    out["capacity"] = out["modules_online"] * out["option"].map(o["capacity_per_module"])
    out["jobs"] = out["modules_online"] * out["option"].map(o["jobs_per_module"])
    return out[["option", "technology", "site", "year", "modules_online", "capacity", "jobs"]]


def activities(sol: Solution) -> pd.DataFrame:
    """Activity per option, mode and year. Columns: option, mode, site, year, activity."""
    x = _values(sol.model.x, ["option", "mode", "year"]).rename(columns={"value": "activity"})
    x["activity"] *= x["option"].map(sol.model.activity_unit)  # module-years -> t/yr
    x["site"] = x["option"].map(sol.data.options["site"])
    return x[["option", "mode", "site", "year", "activity"]]


def flows(sol: Solution) -> pd.DataFrame:
    """Every flow into or out of a node balance, signed (+ into the node).

    Columns: kind (production, consumption, ship, receive, route, dispose, import, export,
    delivered), commodity, element, material, node (a site or ``"market"``), year, amount [t/yr,
    signed]. A shipment appears twice: out of its site (-) and into the market (+); a move along
    a direct route too: out of its first site (-) and into the other (+).
    """
    m = sol.model
    parts = []
    x = activities(sol).set_index(["option", "mode", "year"])["activity"]
    f = sol.prepared["flows"]
    act = x.reindex(pd.MultiIndex.from_frame(f[["option", "mode", "year"]])).to_numpy()
    amt = f["coef"].to_numpy() * act
    parts.append(pd.DataFrame({"kind": np.where(amt >= 0, "production", "consumption"),
                               "commodity": f["commodity"], "node": f["site"],
                               "year": f["year"], "amount": amt}))
    for var, kind, sign_site in ((m.ship, "ship", -1.0), (m.recv, "receive", 1.0)):
        v = _values(var, ["commodity", "node", "year"])
        parts.append(v.assign(kind=kind, amount=sign_site * v["value"]))
        parts.append(v.assign(kind=kind, node="market", amount=-sign_site * v["value"]))
    v = _values(m.move, ["commodity", "node", "to", "year"])
    parts.append(v.assign(kind="route", amount=-v["value"]))
    parts.append(v.assign(kind="route", node=v["to"], amount=v["value"]))
    v = _values(m.dispose, ["commodity", "node", "year"])
    parts.append(v.assign(kind="dispose", amount=-v["value"]))
    for var, kind, sign in ((m.imp, "import", 1.0), (m.exp, "export", -1.0),
                            (m.delivered, "delivered", -1.0)):
        v = _values(var, ["commodity", "year"])
        parts.append(v.assign(kind=kind, node="market", amount=sign * v["value"]))
    out = pd.concat([p.drop(columns=["value", "to"], errors="ignore") for p in parts],
                    ignore_index=True)
    com = sol.data.commodities
    out["element"] = out["commodity"].map(com["element"])
    out["material"] = out["commodity"].map(com["material"])
    out = out[out["amount"].abs() > 0]
    return out[["kind", "commodity", "element", "material", "node", "year", "amount"]].reset_index(
        drop=True)


def check_balances(sol: Solution, tol: float = _TOL) -> pd.DataFrame:
    """Residual of every (commodity, node, year) balance from ``flows``; rows above ``tol`` [t/yr].

    An empty result means every balance closes per element (commodity), site and year.
    """
    f = flows(sol)
    r = f.groupby(["commodity", "element", "node", "year"], as_index=False)["amount"].sum()
    scale = f.groupby(["commodity", "node", "year"])["amount"].apply(lambda a: a.abs().max())
    r["scale"] = scale.reindex(pd.MultiIndex.from_frame(r[["commodity", "node", "year"]])).to_numpy()
    return r[r["amount"].abs() > tol * np.maximum(1.0, r["scale"])].reset_index(drop=True)


def transport(sol: Solution) -> pd.DataFrame:
    """Every leg of transport and its cost.

    Columns: commodity, site (where the leg starts, or ends for a receipt from the market),
    leg (``"to market"``, ``"from market"``, ``"route to <site>"``), year, amount [t/yr of the
    commodity], mass [t/yr moved: amount x ``shipping_mass``], km, musd [MUSD/yr].
    """
    d, m = sol.data, sol.model
    dist = d.sites["distance_to_market_km"].astype(float)
    parts = []
    for var, leg in ((m.ship, "to market"), (m.recv, "from market")):
        v = _values(var, ["commodity", "site", "year"])
        parts.append(v.assign(leg=leg, km=v["site"].map(dist)))
    v = _values(m.move, ["commodity", "site", "to", "year"])
    km = [m.route_km[a, b] for a, b in zip(v["site"], v["to"], strict=True)]
    parts.append(v.assign(leg="route to " + v["to"], km=km))
    out = pd.concat([p.drop(columns="to", errors="ignore") for p in parts], ignore_index=True)
    out = out.rename(columns={"value": "amount"})
    out = out[out["amount"] > 0]
    out["mass"] = out["amount"] * out["commodity"].map(d.shipping_mass())
    out["musd"] = out["mass"] * out["km"].astype(float) * d.transport_cost_musd_per_tkm
    return out[["commodity", "site", "leg", "year", "amount", "mass", "km", "musd"]].reset_index(
        drop=True)


def trade(sol: Solution) -> pd.DataFrame:
    """Imports and exports. Columns: commodity, year, imports, exports [t/yr], import_price,
    export_price [MUSD/t]."""
    d, m = sol.data, sol.model
    i = _values(m.imp, ["commodity", "year"]).rename(columns={"value": "imports"})
    e = _values(m.exp, ["commodity", "year"]).rename(columns={"value": "exports"})
    out = i.merge(e, on=["commodity", "year"], how="outer")
    ip = d.imports.set_index(["commodity", "year"])["price"].rename("import_price")
    ep = d.exports.set_index(["commodity", "year"])["price"].rename("export_price")
    out = out.join(ip, on=["commodity", "year"]).join(ep, on=["commodity", "year"])
    return out.fillna(0.0)[["commodity", "year", "imports", "exports", "import_price",
                            "export_price"]]


def import_share(sol: Solution) -> pd.DataFrame:
    """REO-weighted import share by year (definition in ``tea.chain.data``).

    Columns: year, imports_reo, delivered_reo [t REO/yr], share [fraction], cap [fraction or NaN].
    """
    return share_table(sol.data, sol.model)


def share_table(d, m) -> pd.DataFrame:
    """:func:`import_share` from a ChainData and a solved model (also used by the Pareto loop)."""
    reo = d.commodities["reo_factor"]
    i = _values(m.imp, ["commodity", "year"])
    i = i[i["commodity"].isin(d.share_commodities())]
    dv = _values(m.delivered, ["commodity", "year"])
    out = pd.DataFrame({"year": list(d.years)})
    out["imports_reo"] = out["year"].map((i["value"] * i["commodity"].map(reo)).groupby(
        i["year"]).sum()).fillna(0.0)
    out["delivered_reo"] = out["year"].map((dv["value"] * dv["commodity"].map(reo)).groupby(
        dv["year"]).sum()).fillna(0.0)
    out["share"] = out["imports_reo"] / out["delivered_reo"].where(out["delivered_reo"] > 0)
    out["cap"] = out["year"].map(d.import_share_cap).astype(float)
    return out


def jobs(sol: Solution) -> pd.DataFrame:
    """Jobs by year (modules online x jobs per module). Columns: year, jobs."""
    return capacities(sol).groupby("year", as_index=False)["jobs"].sum()


def marginal_costs(sol: Solution) -> pd.DataFrame:
    """Marginal cost of each demand group by year, from the fixed-plan LP duals.

    Columns: group, year, dual_pv [MUSD per t/yr, present value], marginal_cost [MUSD/t of the
    year], marginal_cost_usd_per_kg.
    """
    df = sol.data.discount_factors()
    rows = [(g, y, v, v / df[y]) for (g, y), v in sol.demand_duals.items()]
    out = pd.DataFrame(rows, columns=["group", "year", "dual_pv", "marginal_cost"])
    out["marginal_cost_usd_per_kg"] = out["marginal_cost"] * 1e3  # 1 MUSD/t = 1000 USD/kg
    return out


def budget_summary(sol: Solution) -> dict:
    """Capex total and budget in MUSD and in the budget's unit, with the budget's marginal value.

    Keys: capex_total_musd, capex_total (budget unit): capex of new builds counted against the
    budget (options with ``in_budget``); capex_outside_budget_musd (funded outside it) and
    capex_all_musd (both); budget_musd, budget (budget unit), budget_unit, budget_dual [MUSD objective / MUSD budget], value_per_bn_musd [MUSD of objective
    per extra billion of the budget's currency], value_per_bn (same, in the budget's currency).
    """
    d = sol.data
    plan = build_plan(sol)
    inside = plan["option"].map(d.in_budget()).astype(bool)
    capex = float(plan.loc[inside, "capex"].sum())
    outside = float(plan.loc[~inside, "capex"].sum())
    per_bn_musd = None if sol.budget_dual is None else sol.budget_dual * 1e9 / \
        d.budget_currency_per_musd
    return {
        "capex_total_musd": capex, "capex_total": d.to_budget_unit(capex),
        "capex_outside_budget_musd": outside, "capex_all_musd": capex + outside,
        "budget_musd": d.budget_total,
        "budget": None if d.budget_total is None else d.to_budget_unit(d.budget_total),
        "budget_unit": d.budget_unit, "budget_dual": sol.budget_dual,
        "value_per_bn_musd": per_bn_musd,
        "value_per_bn": None if per_bn_musd is None else d.to_budget_unit(per_bn_musd),
    }


def production(sol: Solution) -> pd.DataFrame:
    """Domestic oxide production by year against the target (``ChainData.min_production``).

    Columns: year, production_reo [t REO/yr: REO-weighted gross output of ``material == "oxide"``
    commodities, all sites], target [t REO/yr or NaN].
    """
    d = sol.data
    f = flows(sol)
    f = f[(f["kind"] == "production") & (f["material"] == "oxide")]
    reo = (f["amount"] * f["commodity"].map(d.commodities["reo_factor"])).groupby(f["year"]).sum()
    out = pd.DataFrame({"year": list(d.years)})
    out["production_reo"] = out["year"].map(reo).fillna(0.0).astype(float)
    out["target"] = out["year"].map(d.min_production).astype(float)
    return out
