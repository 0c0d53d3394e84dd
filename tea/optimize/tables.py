"""Index sets and coefficient tables of the build-out model, computed with pandas.

``prepare(data)`` turns a ``ChainData`` into the tables ``tea.optimize.model`` builds its
components from (and ``tea.optimize.results`` reads back): build years, the online window of each
build, the service years of existing modules, activity keys, flow coefficients, trade and
disposal keys, and the groups of identical options.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pyomo.core.expr.numeric_expr import LinearExpression

from tea.chain.data import ChainData
from tea.finance import salvage_fraction


def linear(pairs, constant=0.0):
    """A Pyomo linear expression from ``[(coef, var), ...]``."""
    return LinearExpression(constant=constant, linear_coefs=[c for c, _ in pairs],
                            linear_vars=[v for _, v in pairs])


def group_rows(df: pd.DataFrame, keys: list[str], cols: list[str]) -> dict:
    """``{key tuple: list of row tuples of cols}`` from a DataFrame (one pass, no Python per-key work)."""
    if df.empty:
        return {}
    out: dict = {}
    key_arrays = [df[k].to_numpy() for k in keys]
    val_arrays = [df[c].to_numpy() for c in cols]
    for row in zip(*key_arrays, *val_arrays, strict=True):
        k = row[: len(keys)] if len(keys) > 1 else row[0]
        out.setdefault(k, []).append(row[len(keys):])
    return out


def prepare(data: ChainData) -> dict:
    """Index sets and coefficient tables of the model, computed with pandas.

    Returns
    -------
    dict
        Keys: ``build`` (DataFrame option, year, avail, capex_per_module, in_budget, obj),
        ``window`` (option, year, build_year, factor), ``existing`` (see ``existing_service``),
        ``x`` (option, mode, year), ``flows`` (option, mode, year, commodity, site, coef),
        ``ship``/``recv``/``dispose`` (commodity, site pairs), ``df`` (discount factors), ``groups``
        (lists of identical options).
    """
    years = list(data.years)
    first, last = years[0], years[-1]
    df = data.discount_factors()
    o = data.options.copy()
    o["avail"] = (o["max_modules"] - o["existing_modules"]).astype(int)
    # build years: from first_build_year, online within the horizon, something left to build
    n = len(years)
    b = pd.DataFrame({"option": np.repeat(o.index.to_numpy(), n),
                      "year": np.tile(years, len(o))})
    b = b.join(o[["first_build_year", "lead_time", "lifetime", "avail", "capex_per_module",
                  "fixed_opex_per_module", "ramp_up"]], on="option")
    start = np.maximum(b["first_build_year"], first)  # each option's grid starts at its first year
    on_grid = (b["year"] - start) % int(data.build_every) == 0
    b = b[(b["year"] >= b["first_build_year"]) & (b["year"] + b["lead_time"] <= last)
          & (b["avail"] > 0) & on_grid].reset_index(drop=True)
    b["in_budget"] = b["option"].map(data.in_budget()).astype(bool)
    # online window of each build: years b+lead .. min(last, b+lead+lifetime-1)
    on0 = b["year"] + b["lead_time"]
    span = np.minimum(b["lifetime"].to_numpy(), last - on0.to_numpy() + 1)
    w = b.loc[np.repeat(b.index.to_numpy(), span)].copy()
    k = np.concatenate([np.arange(s) for s in span]) if len(span) else np.array([], int)
    w["build_year"] = w["year"]
    w["year"] = w["build_year"].to_numpy() + w["lead_time"].to_numpy() + k
    w["factor"] = np.where(k == 0, w["ramp_up"], 1.0)
    w["df"] = w["year"].map(df)
    # objective coefficient of one module built in year b: capex (less salvage) + fixed opex online
    fopex_pv = (w["fixed_opex_per_module"] * w["df"]).groupby(w.index).sum()
    b["fopex_pv"] = fopex_pv.reindex(b.index, fill_value=0.0)
    salvage = salvage_fraction(b["lifetime"].to_numpy(), span)
    b["obj"] = (b["capex_per_module"] * (b["year"].map(df) - salvage * df[last]) + b["fopex_pv"])
    w = w[["option", "year", "build_year", "factor"]].reset_index(drop=True)
    ex = existing_service(data)
    # years with capacity: from the earliest existing or built module on
    start = pd.concat([w[["option", "year"]], ex[["option", "year"]]]).groupby(
        "option")["year"].min().reindex(o.index).fillna(last + 1)
    x = data.modes[["option", "mode", "capacity_use", "variable_opex"]].copy()
    x = x.merge(pd.DataFrame({"year": years}), how="cross")
    x = x[x["year"] >= x["option"].map(start)].reset_index(drop=True)
    x["ub"] = (x["option"].map(o["capacity_per_module"] * o["max_modules"])
               / x["capacity_use"].where(x["capacity_use"] > 0))
    flows = data.coefficients.merge(x[["option", "mode", "year"]], on=["option", "mode"])
    flows["site"] = flows["option"].map(o["site"])
    flows = flows[flows["coef"] != 0].reset_index(drop=True)
    com = data.commodities
    trade = set(com.index[com["tradeable"].astype(bool)])
    keys = ["commodity", "site", "year"]
    prod = flows[flows["coef"] > 0][keys].drop_duplicates()
    cons = flows[flows["coef"] < 0][keys].drop_duplicates()
    dcost = com["disposal_cost"] if "disposal_cost" in com else pd.Series(0.0, com.index)
    return {
        "build": b[["option", "year", "avail", "capex_per_module", "in_budget", "obj"]],
        "window": w, "existing": ex, "x": x, "flows": flows, "df": df,
        "ship": prod[prod["commodity"].isin(trade)], "recv": cons[cons["commodity"].isin(trade)],
        "dispose": prod[prod["commodity"].map(dcost).notna()].assign(
            cost=lambda d: d["commodity"].map(dcost)),
        "groups": _identical_groups(data),
    }


def existing_service(data: ChainData) -> pd.DataFrame:
    """Service years of the existing modules: option, year, modules, factor.

    Existing modules serve from ``existing_from_year`` (the first year by default) for
    ``lifetime`` years, cut at the horizon: a module whose ``existing_from_year + lifetime`` falls
    inside the horizon retires then, otherwise it serves to the end. Their remaining life at the
    first year is not in the data, so a plant already running counts a full lifetime from the first
    year. A module entering service after the first year runs at ``ramp_up`` in that year
    (``factor``), as a new build does.
    """
    o = data.options
    first, last = data.years[0], data.years[-1]
    ex = o[o["existing_modules"] > 0]
    start = data.existing_from()[ex.index]
    end = np.minimum(start + ex["lifetime"].astype(int) - 1, last)
    frm = start.clip(lower=first)
    span = np.maximum(end - frm + 1, 0).to_numpy()
    out = pd.DataFrame({"option": np.repeat(ex.index.to_numpy(), span)})
    k = np.concatenate([np.arange(n) for n in span]) if len(span) else np.array([], int)
    out["year"] = np.repeat(frm.to_numpy(), span) + k
    out["modules"] = out["option"].map(ex["existing_modules"]).astype(float)
    late = np.repeat((frm > first).to_numpy(), span)
    out["factor"] = np.where(late & (k == 0), out["option"].map(ex["ramp_up"]), 1.0)
    return out.astype({"year": int})


def _identical_groups(data: ChainData) -> list[list[str]]:
    """Groups (size >= 2, sorted by name) of options equal in every column, mode and coefficient."""
    o = data.options
    sig_modes = data.modes.sort_values(["option", "mode"]).groupby("option").apply(
        lambda d: tuple(map(tuple, d[["mode", "capacity_use", "variable_opex"]].to_numpy())),
        include_groups=False)
    sig_coef = data.coefficients.sort_values(["option", "mode", "commodity"]).groupby(
        "option").apply(lambda d: tuple(map(tuple, d[["mode", "commodity", "coef"]].to_numpy())),
                        include_groups=False)
    key = o.astype(str).agg("|".join, axis=1) + sig_modes.reindex(o.index).astype(str) \
        + sig_coef.reindex(o.index).astype(str)
    groups = key.groupby(key).groups
    return [sorted(v) for v in groups.values() if len(v) > 1]


def build_keys(p: dict) -> list[tuple[str, int]]:
    """(option, year) of every allowed build, in the order of ``p["build"]``."""
    bt = p["build"]
    return list(zip(bt["option"], bt["year"], strict=True))


def activity_keys(p: dict) -> list[tuple[str, str, int]]:
    """(option, mode, year) of every activity, in the order of ``p["x"]``."""
    xt = p["x"]
    return list(zip(xt["option"], xt["mode"], xt["year"], strict=True))


def activity_unit(data: ChainData):
    """Capacity of one module per option [t/yr]: an activity of 1 module-year in t/yr."""
    return data.options["capacity_per_module"].astype(float)


def traded(table):
    """Rows of an imports or exports table with a positive cap."""
    return table[table["cap"] > 0]


def trade_prices(table) -> dict[tuple[str, int], float]:
    """(commodity, year) -> price [MUSD/t] of the tradeable rows of an imports or exports table."""
    t = traded(table)
    return dict(zip(zip(t["commodity"], t["year"], strict=True), t["price"], strict=True))
