"""Multi-period build-out MILP of the rare-earth value chain (Pyomo), built from ``ChainData``.

:func:`build_model` adds the model one family at a time, each in a function of its own that reads
``ChainData`` and the prepared tables (:func:`tea.optimize.tables.prepare`) only: variables
(``add_build_variables``, ``add_activity_variables``, ``add_transport_variables``,
``add_trade_variables``, here), then from :mod:`tea.optimize.constraints` ``add_capacity``,
``add_balances``, ``add_demand``, ``add_budget``, policy (``add_import_share``,
``add_production_target``) and ``add_resources``, ``add_covers``, ``add_symmetry`` and
``add_objective``. The order of the calls is the order of the rows.

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
from tea.optimize.constraints import (
    OnlineModules,
    add_balances,
    add_budget,
    add_capacity,
    add_covers,
    add_demand,
    add_import_share,
    add_objective,
    add_production_target,
    add_resources,
    add_symmetry,
)
from tea.optimize.tables import activity_keys, activity_unit, build_keys, linear, prepare, traded

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


def add_build_variables(m: pyo.ConcreteModel, p: dict) -> None:
    """Builds ``build[o, y]`` (continuous) and module counts ``built[o, y]`` (the integers),
    linked by the ``cumulative`` rows; both bounded by the modules left to build."""
    bt = p["build"]
    bkeys = build_keys(p)
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
    xkeys = activity_keys(p)
    # activities in module-years: x[o, md, y] * capacity_per_module[o] is the activity [t/yr]
    unit = activity_unit(data)
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


def add_trade_variables(m: pyo.ConcreteModel, data: ChainData) -> None:
    """Imports ``imp[c, y]`` and exports ``exp[c, y]`` up to their caps, and deliveries
    ``delivered[c, y]`` of every demanded commodity."""
    for name, table in (("imp", data.imports), ("exp", data.exports)):
        t = traded(table)
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
