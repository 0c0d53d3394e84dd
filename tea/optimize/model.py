"""Multi-period build-out MILP of the rare-earth value chain (Pyomo), built from ``ChainData``.

:func:`build_model` adds the model one family at a time, each in a function of its own that reads
``ChainData`` and the prepared tables (:func:`tea.optimize.tables.prepare`) only: variables
(``add_build_variables``, ``add_activity_variables``, ``add_transport_variables``,
``add_trade_variables``), ``add_capacity``, ``add_balances``, ``add_demand``, ``add_budget``,
policy (``add_import_share``, ``add_production_target``) and ``add_resources``, ``add_covers``,
``add_symmetry`` and ``add_objective``. The order of the calls is the order of the rows.

Formulation choices (and why)
-----------------------------
- **Integer module counts, not one binary per size and year.** ``built[o, y]`` is the number of
  modules of option ``o`` started up to and including year ``y`` (integer, nondecreasing through
  ``cumulative`` rows ``built[o, y] = built[o, y_prev] + build[o, y]``); the yearly starts
  ``build[o, y]`` are continuous and integral whenever ``built`` is. One integer per option and
  year replaces the "binary per size per year" ladder, and its LP relaxation is the fractional
  number of modules, close to the integer optimum. Branching on the cumulative count ("at least
  two modules by 2028") splits the plans evenly, where branching on a single year's start leaves
  the same module free to move a year earlier or later: on the Siberian model it halved the
  nodes and cut the solve time by a third.
- **Activities in module-years.** ``x[o, md, y]`` is stated in units of one module's capacity
  (``x * capacity_per_module`` is the activity [t/yr]; ``activity_unit`` holds the factors), so
  a 3 Mt/yr apatite line and a 345 t/yr recycling line both have capacity coefficients near 1.
  With activities in t/yr the matrix spanned 2e-7 to 3e6 and HiGHS's simplex crawled (about
  1,400 iterations/s on a 1,600-row model); in module-years the same MILP solved in 6 s instead
  of 50 s.
- **Cumulative capacity.** Capacity online is an expression, ``modules_online[o, y] = existing +
  sum of build[o, b] with b + lead_time <= y < b + lead_time + lifetime``, so there are no
  state variables or "installed" linking constraints; the capacity row reads
  ``sum_m capacity_use * x[o, m, y] <= capacity_per_module * (modules_online - (1 - ramp_up) *
  build[o, y - lead_time])`` (a module's first operating year runs at ``ramp_up``).
- **Big-M from data.** The only "big-M" values are the variable bounds taken from the data:
  ``max_modules - existing_modules`` on builds, and ``capacity_per_module * max_modules /
  capacity_use`` on activities; no large constant appears anywhere.
- **Symmetry breaking.** Options identical in every column except their name (same technology,
  site and size; same modes and coefficients) are interchangeable. For each such group, ordered by
  name, the cumulative builds of an option are at least those of the next one, every year
  (``sum_{b<=y} build[o_k, b] >= sum_{b<=y} build[o_k+1, b]``). Filling the first option up to its
  ``max_modules`` before the next one turns any plan into one that satisfies these rows with the
  same cost, so no optimum is cut off.
- **Sparse sets.** Only (option, mode, commodity) triples present in the coefficient table exist;
  activities exist only in years where the option can have capacity; shipments to the market exist
  only for tradeable commodities a site produces, receipts only for those it consumes; surplus
  disposal only where a site produces the commodity.
- **Hub transport and direct routes.** See ``tea.chain.data``: one market node,
  O(commodities x sites x years), plus a ``move`` variable per commodity, year and direction of
  each declared route, only where the route's first site makes the commodity and the other uses
  it. Transport is charged per t moved (``shipping_mass``) and km.
- **Capex** is paid in full in the build year (overnight, year-end convention) and counts there
  against the per-year budget; the salvage value of the remaining life at the end of the horizon
  (straight line) is credited in the last year. Options with ``in_budget`` False (plants funded
  outside the budget) keep their capex in the objective but stay out of the budget rows. Build
  years are limited to those whose modules come online within the horizon (and to the
  ``build_every`` grid).
- **Existing modules** carry no capex. They serve from ``existing_from_year`` (default: the first
  year; a committed plant starting later runs at ``ramp_up`` in its first year) for ``lifetime``
  years: they retire inside the horizon when ``existing_from_year + lifetime`` falls in it, and
  otherwise serve to its end. A plant already running counts a full lifetime from the first year
  (its age is not in the data). Their fixed opex is a constant over their service years.
- **Domestic production target.** ``min_production[y]`` [t REO/yr] bounds from below the
  REO-weighted gross output of the ``material == "oxide"`` commodities over all sites (recycled
  oxide included; oxide later turned into metal still counts). Oxide beyond demand leaves through
  exports (at their price) or disposal at the producing site (free when ``disposal_cost`` is
  absent), so a target above demand stays feasible.
- **Objective.** ``min_cost``: discounted capex - salvage + fixed opex (on modules online) +
  variable opex + transport + disposal + imports - exports [MUSD]. ``max_npv``: discounted value of
  the deliveries at the year's import price + exports - the same costs, with demand as a market size
  (deliveries <= demand) rather than an obligation.
- **max_modules rows.** Modules online (existing + builds in their window) never exceed
  ``max_modules``; a row exists only where the build bounds would allow more (the activity bounds
  alone do not stop a multi-mode option from over-building).
- **Valid inequalities and the gap.** Production targets get cover rows (``production_cover``,
  one per process stage and year, weights from ``tea.optimize.covers``): the modules online at a
  stage must be able to meet the target, a knapsack row on module counts from which HiGHS
  derives rounding (MIR) cuts. ``cuts=False`` drops them. (Rows of the same kind for import-share
  caps were measured and dropped; see ``tea.optimize.covers``.)
- **Measured** (``benchmarks/bench_optimize.py``, 60 s limit, one run each, 2 cores; run-to-run
  spread about 30 %): the Siberian model (7,587 columns, 137 integers) proves 0.1 % in 6.8 s
  against an LP relaxation of 0.048 s, and 3.7 s with HiGHS's sub-MIP heuristics (RINS, RENS,
  root reduced cost) switched off; without the cover rows it finds no plan in 60 s. Handed its
  own optimum as the incumbent with every primal heuristic off, HiGHS still needs 2.3 s (49
  times the LP) to prove 0.5 %: its root cut loop (1.8 s of it) lifts the bound from the LP's
  9,857 to within 1.6 % of the optimum of 10,690 and the first branching closes the rest, so
  the time to a proven 0.5 % gap is bound by the proof, not by the search for a plan. The
  medium synthetic case (233 integers, no production target, so no cover rows) proves 0.5 % in
  12 s (230 times its LP; 3.5 s from its best plan); the large one (690 integers) ends at
  0.65-0.8 % after 60 s, and from its best plan HiGHS needs 39 s to 60 s or more to prove
  0.5 %; the 30 x 60 x 30 case ends at 1.1-1.9 %. The sub-MIP heuristics stay at their defaults
  because switching them off leaves the large case at 1.3 %. ``build_every = 2`` halves the
  integers and the medium case's time, with plans 0.6 % dearer; on the Siberian model it takes
  2.9 s and its plan costs 6.8 % more (each option's grid starts at its own first build year,
  so Tomtor can still start in 2026 to serve 2030). It stays an option (default 1) for
  screening.
- **Diagnosis slack.** ``build_model(data, slack=True)`` adds non-negative slack priced at
  ``slack_penalty`` on total and yearly budget, import-share and resource rows, and at twice that
  on unmet demand and production targets, so that a diagnosis names the cap that binds before it
  reports an unmet target.
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo

from tea.chain.data import ChainData
from tea.optimize.covers import cover_rows
from tea.optimize.tables import group_rows, linear, prepare

__all__ = ["build_model", "prepare", "set_integral"]


def build_model(data: ChainData, slack: bool = False, cuts: bool = True) -> pyo.ConcreteModel:
    """Build the Pyomo model of ``data``, one constraint family after the other.

    Parameters
    ----------
    data : ChainData
        Validated numbers in base units (t, t/yr, MUSD).
    slack : bool
        Add priced slack on demand, production-target, budget, import-share and resource rows
        (diagnosis).
    cuts : bool
        Add the valid inequalities (``production_cover``); False only to measure their effect.

    Returns
    -------
    pyomo.environ.ConcreteModel
        With components ``build``, ``x``, ``ship``, ``recv``, ``dispose``, ``imp``, ``exp``,
        ``delivered``, ``move`` (direct routes; ``route_km`` their distances), rows
        ``capacity``, ``site_balance``, ``market_balance``, ``demand``, ``budget_total_row``
        (mutable ``budget_total`` Param [MUSD]), ``budget_year_row``, ``import_share``,
        ``resource``, ``production`` (per target year), ``symmetry``; the prepared tables in
        ``m.prepared`` (see :func:`tea.optimize.tables.prepare`) and the data in
        ``m.chain_data``.
    """
    p = prepare(data)
    m = pyo.ConcreteModel(name="buildout")
    m.chain_data, m.prepared = data, p
    m.Y = pyo.Set(initialize=list(data.years), ordered=True)
    add_build_variables(m, p)
    add_activity_variables(m, data, p)
    add_transport_variables(m, data, p)
    add_trade_variables(m, data)
    online = OnlineModules(m, p)
    add_capacity(m, data, p, online)
    add_balances(m, data, p)
    add_demand(m, data, slack)
    add_budget(m, data, p, slack)
    add_import_share(m, data, slack)
    add_resources(m, data, p, slack)
    add_production_target(m, data, p, slack)
    add_covers(m, data, online, cuts and not slack)
    add_symmetry(m, data, p)
    add_objective(m, data, p, slack)
    return m


# --------------------------------------------------------------------------------- variables


def _build_keys(p: dict) -> list[tuple[str, int]]:
    """(option, year) of every allowed build, in the order of ``p["build"]``."""
    bt = p["build"]
    return list(zip(bt["option"], bt["year"], strict=True))


def _activity_keys(p: dict) -> list[tuple[str, str, int]]:
    """(option, mode, year) of every activity, in the order of ``p["x"]``."""
    xt = p["x"]
    return list(zip(xt["option"], xt["mode"], xt["year"], strict=True))


def _activity_unit(data: ChainData):
    """Capacity of one module per option [t/yr]: an activity of 1 module-year in t/yr."""
    return data.options["capacity_per_module"].astype(float)


def add_build_variables(m: pyo.ConcreteModel, p: dict) -> None:
    """Builds ``build[o, y]`` (continuous) and module counts ``built[o, y]`` (the integers),
    linked by the ``cumulative`` rows; both bounded by the modules left to build."""
    bt = p["build"]
    bkeys = _build_keys(p)
    m.BUILD = pyo.Set(initialize=bkeys, dimen=2, ordered=True)
    bounds = dict(zip(bkeys, zip([0] * len(bt), bt["avail"], strict=True), strict=True))
    m.build = pyo.Var(m.BUILD, domain=pyo.NonNegativeReals, bounds=bounds)
    # the integers: modules started up to and including year y (integral builds follow)
    m.built = pyo.Var(m.BUILD, domain=pyo.NonNegativeIntegers, bounds=bounds)
    prev = dict(zip(bkeys, [None, *bkeys[:-1]], strict=False))
    m.cumulative = pyo.Constraint(m.BUILD, rule=lambda _, o, y: linear(
        [(1.0, m.built[o, y]), (-1.0, m.build[o, y])]
        + ([(-1.0, m.built[prev[o, y]])] if prev[o, y] and prev[o, y][0] == o else [])) == 0)


def add_activity_variables(m: pyo.ConcreteModel, data: ChainData, p: dict) -> None:
    """Activities ``x[o, md, y]`` in module-years (``activity_unit`` [t/yr per module-year]),
    bounded by the capacity of ``max_modules`` modules."""
    xt = p["x"]
    xkeys = _activity_keys(p)
    # activities in module-years: x[o, md, y] * capacity_per_module[o] is the activity [t/yr]
    unit = _activity_unit(data)
    m.activity_unit = unit.to_dict()
    xub = dict(zip(xkeys, (xt["ub"] / xt["option"].map(unit)).where(xt["ub"].notna(), None),
                   strict=True))
    m.X = pyo.Set(initialize=xkeys, dimen=3, ordered=True)
    m.x = pyo.Var(m.X, domain=pyo.NonNegativeReals, bounds=lambda _, o, md, y: (0, xub[o, md, y]))


def add_transport_variables(m: pyo.ConcreteModel, data: ChainData, p: dict) -> None:
    """Shipments to and receipts from the market hub, disposal, and moves along direct routes
    ``move[c, a, b, y]`` (only where site ``a`` makes ``c`` and site ``b`` uses it)."""

    def keys_by_year(t):
        return list(zip(t["commodity"], t["site"], t["year"], strict=True))

    m.SHIP = pyo.Set(initialize=keys_by_year(p["ship"]), dimen=3, ordered=True)
    m.RECV = pyo.Set(initialize=keys_by_year(p["recv"]), dimen=3, ordered=True)
    m.DISP = pyo.Set(initialize=keys_by_year(p["dispose"]), dimen=3, ordered=True)
    m.ship = pyo.Var(m.SHIP, domain=pyo.NonNegativeReals)
    m.recv = pyo.Var(m.RECV, domain=pyo.NonNegativeReals)
    m.dispose = pyo.Var(m.DISP, domain=pyo.NonNegativeReals)
    # direct routes: (commodity, from, to, year) where "from" makes it and "to" uses it
    m.route_km = route_distances(data)
    to_sites: dict = {}
    for a, b in m.route_km:
        to_sites.setdefault(a, []).append(b)
    recv_keys = set(m.RECV)
    m.MOVE = pyo.Set(initialize=[(c, a, b, y) for c, a, y in m.SHIP for b in to_sites.get(a, ())
                                 if (c, b, y) in recv_keys], dimen=4, ordered=True)
    m.move = pyo.Var(m.MOVE, domain=pyo.NonNegativeReals)


def _traded(table):
    """Rows of an imports or exports table with a positive cap."""
    return table[table["cap"] > 0]


def _trade_prices(table) -> dict[tuple[str, int], float]:
    """(commodity, year) -> price [MUSD/t] of the tradeable rows of an imports or exports table."""
    t = _traded(table)
    return dict(zip(zip(t["commodity"], t["year"], strict=True), t["price"], strict=True))


def add_trade_variables(m: pyo.ConcreteModel, data: ChainData) -> None:
    """Imports ``imp[c, y]`` and exports ``exp[c, y]`` up to their caps, and deliveries
    ``delivered[c, y]`` of every demanded commodity."""
    for name, table in (("imp", data.imports), ("exp", data.exports)):
        t = _traded(table)
        keys = list(zip(t["commodity"], t["year"], strict=True))
        ub = [None if not np.isfinite(c) else float(c) for c in t["cap"]]
        s = pyo.Set(initialize=keys, dimen=2, ordered=True)
        setattr(m, name.upper(), s)
        bounds = dict(zip(keys, ub, strict=True))
        setattr(m, name, pyo.Var(s, domain=pyo.NonNegativeReals,
                                 bounds=lambda _, c, y, b=bounds: (0, b[c, y])))
    dcoms = sorted(set(data.demand_groups["commodity"]))
    m.DELIV = pyo.Set(initialize=[(c, y) for c in dcoms for y in data.years], dimen=2,
                      ordered=True)
    m.delivered = pyo.Var(m.DELIV, domain=pyo.NonNegativeReals)


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
    avail = dict(zip(_build_keys(p), p["build"]["avail"], strict=True))
    over = [(o, y) for (o, y), ws in sorted(online.window.items())
            if sum(avail[o, b] for b, _ in ws) + online.existing.get((o, y), (0.0,))[0]
            > opt.at[o, "max_modules"]]
    m.max_online = pyo.Constraint(over, rule=lambda _, o, y: online(o, y) <= float(
        opt.at[o, "max_modules"]))


# ---------------------------------------------------------------------------------- balances


def add_balances(m: pyo.ConcreteModel, data: ChainData, p: dict) -> None:
    """``site_balance`` rows per (commodity, site, year) and ``market_balance`` rows per
    (commodity, year) at the hub: what enters equals what leaves."""
    unit = _activity_unit(data)
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
    bkeys = _build_keys(p)
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
    unit = _activity_unit(data)
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
    unit = _activity_unit(data)
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
    unit = _activity_unit(data)
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
    unit = _activity_unit(data)
    imp_price, exp_price = _trade_prices(data.imports), _trade_prices(data.exports)
    constant = float((ex["modules"] * ex["option"].map(opt["fixed_opex_per_module"])
                      * ex["year"].map(df)).sum())
    obj = [(float(c), m.build[k]) for k, c in zip(_build_keys(p), bt["obj"], strict=True)]
    obj += [(float(v * unit[k[0]] * df[k[2]]), m.x[k])
            for k, v in zip(_activity_keys(p), xt["variable_opex"], strict=True) if v]
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


def route_distances(data: ChainData) -> dict[tuple[str, str], float]:
    """(from site, to site) -> distance [km] of each direct route, both ways."""
    r = data.routes
    out = {}
    for a, b, km in zip(r["site_a"], r["site_b"], r["distance_km"].astype(float), strict=True):
        out[a, b] = out[b, a] = float(km)
    return out


def set_integral(m: pyo.ConcreteModel, integral: bool) -> None:
    """Make the module counts of ``m`` integer (the MILP) or continuous (its LP relaxation)."""
    domain = pyo.NonNegativeIntegers if integral else pyo.NonNegativeReals
    for v in m.built.values():
        v.domain = domain
