"""The plan's costs by option, year and category: the one place they are computed.

:func:`option_costs` charges every cost of a solved plan to the option (plant) that causes it:
capex in the build year, the salvage value left at the horizon's end (straight line,
:func:`tea.finance.salvage_fraction`, the same terminal value as the objective), fixed opex of the
modules online, variable opex of the activity and transport (:func:`transport_by_option`).
:func:`costs` adds the trade categories (imports, exports, revenue of ``max_npv``) and the
discount factors; its ``musd_pv`` column sums to the objective, and the analysis layer's
levelized costs and per-plant cash flows read :func:`option_costs`. Money is MUSD of the base year.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tea.finance import salvage_fraction
from tea.optimize import results as r
from tea.optimize.solve import Solution

COST_COLUMNS = ("capex", "salvage", "fixed_opex", "variable_opex", "transport")
"""Cost categories charged to options, in the order the tables show them."""


@r.per_solution
def transport_by_option(sol: Solution) -> pd.DataFrame:
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


def build_salvage(sol: Solution) -> pd.DataFrame:
    """The plan's builds with the fraction of their capex left at the horizon's end.

    Columns: those of :func:`tea.optimize.results.build_plan`, ``lifetime`` [yr],
    ``years_used`` [yr] and ``salvage_fraction`` [-].
    """
    plan = r.build_plan(sol)
    lifetime = plan["option"].map(sol.data.options["lifetime"]).astype(float)
    used = np.minimum(lifetime, sol.data.years[-1] - plan["online_year"] + 1).clip(lower=0)
    return plan.assign(lifetime=lifetime, years_used=used,
                       salvage_fraction=salvage_fraction(lifetime.to_numpy(), used.to_numpy()))


@r.per_solution
def option_costs(sol: Solution) -> pd.DataFrame:
    """Costs of each option by year [MUSD]: the :data:`COST_COLUMNS` and their ``total``.

    Columns: option, technology, site, year, capex, salvage (< 0, last year), fixed_opex,
    variable_opex, transport, total.
    """
    data = sol.data
    years = list(data.years)
    o = data.options
    grid = pd.MultiIndex.from_product([o.index, years], names=["option", "year"])
    out = pd.DataFrame(index=grid, columns=list(COST_COLUMNS), dtype=float).fillna(0.0)
    plan = build_salvage(sol)
    if not plan.empty:
        out["capex"] = plan.groupby(["option", "year"])["capex"].sum().reindex(grid,
                                                                                fill_value=0.0)
        left = (plan["capex"] * plan["salvage_fraction"]).groupby(plan["option"]).sum()
        last = pd.MultiIndex.from_arrays([left.index, [years[-1]] * len(left)])
        out.loc[last, "salvage"] = -left.to_numpy()
    caps = r.capacities(sol).set_index(["option", "year"])["modules_online"]
    fixed = caps * caps.index.get_level_values("option").map(o["fixed_opex_per_module"])
    out["fixed_opex"] = fixed.reindex(grid, fill_value=0.0)
    acts = r.activities(sol)
    rate = data.modes.set_index(["option", "mode"])["variable_opex"]
    var = acts["activity"] * rate.reindex(pd.MultiIndex.from_frame(acts[["option", "mode"]])
                                          ).to_numpy()
    out["variable_opex"] = var.groupby([acts["option"], acts["year"]]).sum().reindex(
        grid, fill_value=0.0)
    moved = transport_by_option(sol).set_index(["option", "year"])["transport"]
    out["transport"] = moved.reindex(grid, fill_value=0.0)
    out = out.fillna(0.0)
    out["total"] = out[list(COST_COLUMNS)].sum(axis=1)
    out = out.reset_index()
    out.insert(1, "technology", out["option"].map(o["technology"]))
    out.insert(2, "site", out["option"].map(o["site"]))
    return out


def costs(sol: Solution) -> pd.DataFrame:
    """Costs by category and year. Columns: category, year, musd, musd_pv.

    Categories: the :data:`COST_COLUMNS` (summed over options, from :func:`option_costs`),
    disposal, imports, exports (< 0), revenue (< 0, ``max_npv`` only). The ``musd_pv`` column
    sums to the discounted total cost (``min_cost`` objective; minus the NPV for ``max_npv``).
    """
    d, m = sol.data, sol.model
    by_option = option_costs(sol).groupby("year")[list(COST_COLUMNS)].sum()
    rows = [(category, year, value) for category in COST_COLUMNS
            for year, value in by_option[category].items()]
    f = r.flows(sol)
    dc = d.commodities["disposal_cost"] if "disposal_cost" in d.commodities else None
    if dc is not None:
        dd = f[f["kind"] == "dispose"]
        rows += list(zip(["disposal"] * len(dd), dd["year"],
                         -dd["amount"] * dd["commodity"].map(dc).fillna(0.0), strict=True))
    tr = r.trade(sol)
    rows += list(zip(["imports"] * len(tr), tr["year"], tr["imports"] * tr["import_price"],
                     strict=True))
    rows += list(zip(["exports"] * len(tr), tr["year"], -tr["exports"] * tr["export_price"],
                     strict=True))
    if d.objective == "max_npv":
        dv = pd.DataFrame([(*k, v.value or 0.0) for k, v in m.delivered.items()],
                          columns=["commodity", "year", "value"])
        price = d.imports.set_index(["commodity", "year"])["price"]
        pr = price.reindex(pd.MultiIndex.from_frame(dv[["commodity", "year"]])).fillna(0.0)
        rows += list(zip(["revenue"] * len(dv), dv["year"], -dv["value"] * pr.to_numpy(),
                         strict=True))
    out = pd.DataFrame(rows, columns=["category", "year", "musd"])
    out = out.groupby(["category", "year"], as_index=False)["musd"].sum()
    out["musd_pv"] = out["musd"] * out["year"].map(d.discount_factors())
    return out


__all__ = ["COST_COLUMNS", "transport_by_option", "build_salvage", "option_costs", "costs"]
