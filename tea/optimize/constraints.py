"""The constraint families and the objective of the build-out MILP (see :mod:`tea.optimize.model`
for the formulation choices behind them): capacity, balances, demand, budget, import share,
resources, production target, covers, symmetry, objective. Each reads ``ChainData`` and the
prepared tables (:func:`tea.optimize.tables.prepare`) and adds its components to the model.
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo

from tea.chain.data import ChainData
from tea.optimize.covers import cover_rows
from tea.optimize.tables import (
    activity_keys,
    activity_unit,
    build_keys,
    group_rows,
    linear,
    trade_prices,
)

# ---------------------------------------------------------------------------------- capacity


class OnlineModules:
    """Modules online ``modules_online[o, y]`` as linear expressions in the builds.

    Existing modules in their service years plus ``build[o, b]`` for every build year ``b`` whose
    online window covers ``y``; with ``ramp=True`` a module's first operating year counts at its
    ``ramp_up`` (the capacity it offers), otherwise as a whole module (a count).
    """

    def __init__(self, m: pyo.ConcreteModel, p: dict):
        self.m = m
        self.window = group_rows(p["window"], ["option", "year"], ["build_year", "factor"])
        ex = p["existing"]
        self.existing = dict(zip(zip(ex["option"], ex["year"], strict=True),
                                 zip(ex["modules"], ex["factor"], strict=True), strict=True))

    def __call__(self, o: str, y: int, ramp: bool = False):
        terms = [((f if ramp else 1.0), self.m.build[o, b]) for b, f in self.window.get((o, y), [])]
        n, f = self.existing.get((o, y), (0.0, 1.0))
        return linear(terms, float(n * (f if ramp else 1.0)))


def add_capacity(m: pyo.ConcreteModel, data: ChainData, p: dict, online: OnlineModules) -> None:
    """``capacity`` rows (activity within the modules online, ramp-up in the first year) and
    ``max_online`` rows (modules online within ``max_modules``, only where builds allow more)."""
    cap_use = group_rows(p["x"], ["option", "year"], ["mode", "capacity_use"])

    def capacity_rule(_, o, y):
        lhs = [(cu, m.x[o, md, y]) for md, cu in cap_use[o, y] if cu > 0]
        if not lhs:
            return pyo.Constraint.Skip
        rhs = online(o, y, ramp=True)
        return linear(lhs + [(-c, v) for c, v in zip(rhs.linear_coefs, rhs.linear_vars,
                                                     strict=True)]) <= rhs.constant

    m.capacity = pyo.Constraint(sorted(cap_use), rule=capacity_rule)

    # modules online never exceed max_modules (a row only where the build bounds allow more)
    opt = data.options
    avail = dict(zip(build_keys(p), p["build"]["avail"], strict=True))
    over = [(o, y) for (o, y), ws in sorted(online.window.items())
            if sum(avail[o, b] for b, _ in ws) + online.existing.get((o, y), (0.0,))[0]
            > opt.at[o, "max_modules"]]
    m.max_online = pyo.Constraint(over, rule=lambda _, o, y: online(o, y) <= float(
        opt.at[o, "max_modules"]))


# ---------------------------------------------------------------------------------- balances


def add_balances(m: pyo.ConcreteModel, data: ChainData, p: dict) -> None:
    """``site_balance`` rows per (commodity, site, year) and ``market_balance`` rows per
    (commodity, year) at the hub: what enters equals what leaves."""
    unit = activity_unit(data)
    by_csy = group_rows(p["flows"], ["commodity", "site", "year"], ["option", "mode", "coef"])
    ship_at, recv_at, disp_at = set(m.SHIP), set(m.RECV), set(m.DISP)
    moves: dict = {}
    for c, a, b, y in m.MOVE:
        moves.setdefault((c, a, y), []).append((-1.0, m.move[c, a, b, y]))
        moves.setdefault((c, b, y), []).append((1.0, m.move[c, a, b, y]))

    def site_rule(_, c, s, y):
        t = [(coef * unit[o], m.x[o, md, y]) for o, md, coef in by_csy[c, s, y]]
        t += moves.get((c, s, y), [])
        if (c, s, y) in ship_at:
            t.append((-1.0, m.ship[c, s, y]))
        if (c, s, y) in recv_at:
            t.append((1.0, m.recv[c, s, y]))
        if (c, s, y) in disp_at:
            t.append((-1.0, m.dispose[c, s, y]))
        return linear(t) == 0

    m.site_balance = pyo.Constraint(sorted(by_csy), rule=site_rule)
    market: dict = {}
    for (c, s, y) in m.SHIP:
        market.setdefault((c, y), []).append((1.0, m.ship[c, s, y]))
    for (c, s, y) in m.RECV:
        market.setdefault((c, y), []).append((-1.0, m.recv[c, s, y]))
    for (c, y) in m.IMP:
        market.setdefault((c, y), []).append((1.0, m.imp[c, y]))
    for (c, y) in m.EXP:
        market.setdefault((c, y), []).append((-1.0, m.exp[c, y]))
    for (c, y) in m.DELIV:
        market.setdefault((c, y), []).append((-1.0, m.delivered[c, y]))
    m.market_balance = pyo.Constraint(sorted(market),
                                      rule=lambda _, c, y: linear(market[c, y]) == 0)


def add_demand(m: pyo.ConcreteModel, data: ChainData, slack: bool) -> None:
    """``demand`` rows per (group, year): weighted deliveries meet the demand (``min_cost``, with
    ``short`` slack under ``slack``) or stay within it as a market size (``max_npv``)."""
    npv = data.objective == "max_npv"
    dem = data.demand[data.demand["amount"] > 0] if not npv else data.demand
    members = group_rows(data.demand_groups, ["group"], ["commodity", "weight"])
    dkeys = list(zip(dem["group"], dem["year"], strict=True))
    amount = dict(zip(dkeys, dem["amount"].astype(float), strict=True))
    if slack and not npv:
        m.short = pyo.Var(dkeys, domain=pyo.NonNegativeReals)

    def demand_rule(_, g, y):
        t = [(float(w), m.delivered[c, y]) for c, w in members[g]]
        if slack and not npv:
            t.append((1.0, m.short[g, y]))
        return (linear(t) <= amount[g, y]) if npv else (linear(t) >= amount[g, y])

    m.demand = pyo.Constraint(dkeys, rule=demand_rule)


# ------------------------------------------------------------------------------------ budget


def add_budget(m: pyo.ConcreteModel, data: ChainData, p: dict, slack: bool) -> None:
    """``budget_total_row`` (capex of the counted builds within the mutable ``budget_total``
    [MUSD]; without a budget, a ceiling above any plan) and ``budget_year_row`` per build year
    when ``budget_per_year`` is set; ``budget_over`` and ``budget_year_over`` slack under
    ``slack``."""
    bt = p["build"]
    bkeys = build_keys(p)
    capex = dict(zip(bkeys, bt["capex_per_module"].astype(float), strict=True))
    counted = dict(zip(bkeys, bt["in_budget"], strict=True))  # False: funded outside the budget
    budget_terms = [(capex[k], m.build[k]) for k in bkeys if counted[k]]
    ceiling = float(sum(capex[k] * a for k, a in zip(bkeys, bt["avail"], strict=True))) + 1.0
    m.budget_total = pyo.Param(mutable=True, within=pyo.Reals, initialize=(
        data.budget_total if data.budget_total is not None else ceiling))
    if slack:
        m.budget_over = pyo.Var(domain=pyo.NonNegativeReals)
        budget_terms = budget_terms + [(-1.0, m.budget_over)]
    m.budget_total_row = pyo.Constraint(expr=linear(budget_terms) <= m.budget_total)
    if data.budget_per_year is None:
        return
    m.budget_per_year = pyo.Param(mutable=True, initialize=data.budget_per_year)
    by_year = group_rows(bt[bt["in_budget"]].assign(capex=bt["capex_per_module"].astype(float)),
                         ["year"], ["option", "capex"])
    if slack:
        m.budget_year_over = pyo.Var(sorted(by_year), domain=pyo.NonNegativeReals)
    m.budget_year_row = pyo.Constraint(sorted(by_year), rule=lambda _, y: linear(
        [(c, m.build[o, y]) for o, c in by_year[y]]
        + ([(-1.0, m.budget_year_over[y])] if slack else [])) <= m.budget_per_year)


# ------------------------------------------------------------------- policy and resources


def add_import_share(m: pyo.ConcreteModel, data: ChainData, slack: bool) -> None:
    """``import_share`` rows per capped year (``min_cost`` only): REO-weighted imports of the
    tracked commodities within the cap times REO-weighted deliveries; ``share_over`` slack."""
    npv = data.objective == "max_npv"
    reo = data.commodities["reo_factor"].astype(float)
    tracked = data.share_commodities()
    dcoms = sorted(set(data.demand_groups["commodity"]))
    share_years = sorted(y for y in data.import_share_cap if not npv)
    if slack and share_years:
        m.share_over = pyo.Var(share_years, domain=pyo.NonNegativeReals)

    imp_by_year: dict = {}
    for c, y in m.IMP:
        if c in tracked:
            imp_by_year.setdefault(y, []).append((float(reo[c]), m.imp[c, y]))

    def share_rule(_, y):
        cap = float(data.import_share_cap[y])
        t = list(imp_by_year.get(y, []))
        t += [(-cap * float(reo[c]), m.delivered[c, y]) for c in dcoms]
        if slack:
            t.append((-1.0, m.share_over[y]))
        return linear(t) <= 0

    m.import_share = pyo.Constraint(share_years, rule=share_rule)


def add_resources(m: pyo.ConcreteModel, data: ChainData, p: dict, slack: bool) -> None:
    """``resource`` rows per deposit with a finite limit: extraction over the horizon within the
    deposit's limit [t]; ``resource_over`` slack [t]."""
    unit = activity_unit(data)
    xt = p["x"]
    dep = data.options["deposit"].astype(str)
    res = data.resources["limit"].astype(float)
    xt_dep = xt.assign(deposit=xt["option"].map(dep))
    xt_dep = xt_dep[xt_dep["deposit"].isin(res.index[np.isfinite(res)])]
    by_dep = group_rows(xt_dep, ["deposit"], ["option", "mode", "year", "capacity_use"])
    if slack:
        m.resource_over = pyo.Var(sorted(by_dep), domain=pyo.NonNegativeReals)
    # each row divided by its largest module capacity: coefficients near 1 (not 3e6 t ore per
    # module-year) and a right-hand side in module-years, not 2e9 t; the slack stays in t
    per_row = {d: 1.0 / max(unit[o] for o, *_ in rows) for d, rows in by_dep.items()}
    m.resource = pyo.Constraint(sorted(by_dep), rule=lambda _, d: linear(
        [(cu * unit[o] * per_row[d], m.x[o, md, y]) for o, md, y, cu in by_dep[d]]
        + ([(-per_row[d], m.resource_over[d])] if slack else [])) <= float(res[d]) * per_row[d])


def add_production_target(m: pyo.ConcreteModel, data: ChainData, p: dict, slack: bool) -> None:
    """``oxide_output[y]`` (REO-weighted gross output of the oxide commodities [t REO/yr]) and
    the ``production`` rows holding it to ``min_production``; ``production_short`` slack."""
    unit = activity_unit(data)
    reo = data.commodities["reo_factor"].astype(float)
    fl = p["flows"]
    oxide = data.commodities.index[data.commodities["material"].astype(str) == "oxide"]
    fo = fl[fl["commodity"].isin(oxide) & (fl["coef"] > 0)]
    fo = fo.assign(w=fo["coef"] * fo["commodity"].map(reo))
    fo = fo.groupby(["year", "option", "mode"], as_index=False)["w"].sum()
    prod_terms = {y: [(float(w * unit[o]), m.x[o, md, y]) for o, md, w in rows]
                  for y, rows in group_rows(fo, ["year"], ["option", "mode", "w"]).items()}
    m.oxide_output = pyo.Expression(  # counted domestic oxide [t REO/yr]
        list(data.years), rule=lambda _, y: linear(prod_terms.get(y, [])))
    if slack and data.min_production:
        m.production_short = pyo.Var(sorted(data.min_production), domain=pyo.NonNegativeReals)
    m.production = pyo.Constraint(sorted(data.min_production), rule=lambda _, y: (
        m.oxide_output[y] + (m.production_short[y] if slack else 0))
        >= float(data.min_production[y]))


# ------------------------------------------------------------------- valid inequalities


def add_covers(m: pyo.ConcreteModel, data: ChainData, online: OnlineModules,
               enabled: bool) -> None:
    """``production_cover`` rows (see :mod:`tea.optimize.covers`): the modules online at each
    stage can meet the production target [kt REO/yr]; empty unless ``enabled``."""
    unit = activity_unit(data)
    covers = {c.name: c for c in cover_rows(data)} if enabled else {}
    cover = [(n, y) for n, c in covers.items() for y in sorted(c.target)]

    def cover_rule(_, name, y):
        terms, const = [], 0.0
        for o, w in covers[name].weights.items():
            e = online(o, y, ramp=True)
            k = unit[o] * float(w) / 1e3  # row in kt REO
            terms += [(k * c, v) for c, v in zip(e.linear_coefs, e.linear_vars, strict=True)]
            const += k * e.constant
        if not terms:
            return pyo.Constraint.Skip
        return linear(terms, const) >= covers[name].target[y] / 1e3

    m.production_cover = pyo.Constraint(cover, rule=cover_rule)


def add_symmetry(m: pyo.ConcreteModel, data: ChainData, p: dict) -> None:
    """``symmetry`` rows: within each group of identical options (by name), an option's module
    count is at least the next one's, every year."""
    sym = [(a, b_, y) for g in p["groups"] for a, b_ in zip(g, g[1:], strict=False)
           for y in data.years if (a, y) in m.BUILD and (b_, y) in m.BUILD]

    def sym_rule(_, a, b_, y):
        return m.built[a, y] >= m.built[b_, y]

    m.symmetry = pyo.Constraint(sym, rule=sym_rule)


# --------------------------------------------------------------------------------- objective


def _slack_terms(m: pyo.ConcreteModel, penalty: float) -> list:
    """Priced slack of a diagnosis model: caps at ``penalty``, targets at twice that."""
    terms = []
    for name in ("short", "production_short", "budget_over", "budget_year_over", "share_over",
                 "resource_over"):
        if hasattr(m, name):
            w = penalty if name.endswith("over") else 2.0 * penalty  # caps before targets
            terms += [(w, v) for v in getattr(m, name).values()]
    return terms


def add_objective(m: pyo.ConcreteModel, data: ChainData, p: dict, slack: bool) -> None:
    """``cost`` [MUSD, discounted] and ``obj``: minimize it (``min_cost``) or maximize the value
    of deliveries at import prices less it (``max_npv``); slack priced under ``slack``."""
    opt, df, ex, bt, xt = data.options, p["df"], p["existing"], p["build"], p["x"]
    unit = activity_unit(data)
    imp_price, exp_price = trade_prices(data.imports), trade_prices(data.exports)
    constant = float((ex["modules"] * ex["option"].map(opt["fixed_opex_per_module"])
                      * ex["year"].map(df)).sum())
    obj = [(float(c), m.build[k]) for k, c in zip(build_keys(p), bt["obj"], strict=True)]
    obj += [(float(v * unit[k[0]] * df[k[2]]), m.x[k])
            for k, v in zip(activity_keys(p), xt["variable_opex"], strict=True) if v]
    dist = data.sites["distance_to_market_km"].astype(float)
    tc = data.transport_cost_musd_per_tkm
    mass = data.shipping_mass()
    if tc > 0:
        obj += [(tc * dist[s] * mass[c] * df[y], m.ship[c, s, y]) for c, s, y in m.SHIP]
        obj += [(tc * dist[s] * mass[c] * df[y], m.recv[c, s, y]) for c, s, y in m.RECV]
        obj += [(tc * m.route_km[a, b] * mass[c] * df[y], m.move[c, a, b, y])
                for c, a, b, y in m.MOVE]
    dcost = dict(zip(p["dispose"]["commodity"], p["dispose"]["cost"], strict=True))
    obj += [(dcost[c] * df[y], m.dispose[c, s, y]) for c, s, y in m.DISP if dcost[c]]
    obj += [(imp_price[k] * df[k[1]], m.imp[k]) for k in m.IMP]
    obj += [(-exp_price[k] * df[k[1]], m.exp[k]) for k in m.EXP]
    npv = data.objective == "max_npv"
    if npv:
        obj += [(-imp_price.get((c, y), 0.0) * df[y], m.delivered[c, y]) for c, y in m.DELIV]
    if slack:
        obj += _slack_terms(m, data.slack_penalty)
    m.cost = pyo.Expression(expr=linear(obj, constant))
    if npv:
        m.obj = pyo.Objective(expr=-m.cost, sense=pyo.maximize)
    else:
        m.obj = pyo.Objective(expr=m.cost, sense=pyo.minimize)
