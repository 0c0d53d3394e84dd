"""KPIs of cash-flow tables and the levelized cost of each product.

Levelized cost (minimum selling price) of a product: the constant price (in the table's money,
escalating with inflation in nominal terms) at which the NPV of the plant's cash flows, after tax
and financing, is zero at the discount rate. Allocation rules for co-products:

``"credit"`` (default)
    The product carries the whole plant; every other product is sold at its given price and its
    revenue is an explicit *co-product credit* against the cost.
``"value"``
    Economic allocation: all given prices are scaled by one factor k until NPV = 0; each product's
    levelized cost is k x its price (costs shared in proportion to market value).
``"mass"``
    Physical allocation: every product sells at one common price per kg (all outputs on the same
    mass basis), which is the levelized cost of each.

Because NPV is piecewise linear and increasing in the price (tax < 100 %), the root is found by
bracketing and secant (regula falsi, Illinois variant) per sample.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pint

from tea.errors import InputError
from tea.finance.basics import _check_rate, discount_factors, irr, npv, payback
from tea.finance.cashflow import CASH_LINES, PlantCashFlowInputs, cash_flow_arrays
from tea.units import ureg

ALLOCATIONS = ("credit", "value", "mass")


def with_discounting(table: pd.DataFrame, rate: float, base_year: int | None = None
                     ) -> pd.DataFrame:
    """Copy of a cash-flow table with ``discount_factor``, ``present_value`` and
    ``cumulative_present_value`` columns (discounted to ``base_year``, default the first
    year of the table). The last cumulative value is the NPV."""
    _check_rate(rate)
    out = table.copy()
    base = int(out["year"].iloc[0] if base_year is None else base_year)
    factor = discount_factors(rate, len(out), int(out["year"].iloc[0]) - base)
    out["discount_factor"] = factor
    out["present_value"] = out["net_cash_flow"] * factor
    out["cumulative_present_value"] = out["present_value"].cumsum()
    out.attrs = dict(table.attrs, discount_rate=rate, base_year=base)
    return out


def kpis(table: pd.DataFrame | PlantCashFlowInputs, rate: float, base_year: int | None = None
         ) -> dict:
    """NPV, IRR and payback of a cash-flow table (or of a plant's inputs).

    Parameters
    ----------
    table : pandas.DataFrame or PlantCashFlowInputs
        A table from :func:`cash_flow_table` / :func:`chain_cash_flows`, or plant inputs (then
        the values are arrays over samples).
    rate : float
        Discount rate [fraction per year], real or nominal as the table's terms.
    base_year : int, optional
        Year to discount to; default the first year of the table.

    Returns
    -------
    dict
        ``npv`` [pint.Quantity, currency], ``irr`` [fraction/yr], ``payback`` and
        ``discounted_payback`` [yr after the first year of the table], ``base_year``.
    """
    if isinstance(table, PlantCashFlowInputs):
        arrays = cash_flow_arrays(table)
        net, years, currency = arrays["net_cash_flow"], arrays["year"], table.currency
    else:
        net = table["net_cash_flow"].to_numpy(dtype=float)
        years, currency = table["year"].to_numpy(), table.attrs["currency"]
    base = int(years[0] if base_year is None else base_year)
    start = int(years[0]) - base
    value = npv(rate, net, start=start)
    return {
        "npv": ureg.Quantity(value, currency),
        "irr": irr(net),
        "payback": payback(net),
        "discounted_payback": payback(net, rate),
        "base_year": base,
    }


@dataclass(frozen=True)
class LevelizedCost:
    """Levelized cost of one product and how it is made up.

    Attributes
    ----------
    product : str
    value : pint.Quantity
        Levelized cost [currency / kg or kg_REO]; an array over samples if the inputs have them.
    allocation : str
        The allocation rule (see module docstring).
    rule : str
        The rule in words.
    breakdown : dict[str, pint.Quantity]
        For ``"credit"``: each cash line's share, -PV(line) / PV(output) [currency/kg]; the
        co-product credit appears as ``co_product_credit`` (negative); the shares sum to ``value``.
    """

    product: str
    value: pint.Quantity
    allocation: str
    rule: str
    breakdown: dict


def solve_increasing(f, n_samples: int, scale: np.ndarray, guess: float = 1.0,
                      tol: float = 1e-12) -> np.ndarray:
    """Root of f(x) (vectorized, increasing in x) by bracketing and Illinois regula falsi."""
    lo, hi = np.zeros(n_samples), np.full(n_samples, guess)
    f_lo, f_hi = f(lo), f(hi)
    for _ in range(200):  # widen the bracket
        low_bad, high_bad = f_lo > 0, f_hi < 0
        if not (low_bad.any() or high_bad.any()):
            break
        width = hi - lo
        lo = np.where(low_bad, lo - 2 * width, lo)
        hi = np.where(high_bad, hi + 2 * width, hi)
        f_lo, f_hi = f(lo), f(hi)
    else:
        raise InputError("levelized cost: no price makes NPV zero (NPV does not change sign)")
    x = hi.copy()
    side = np.zeros(n_samples)
    for _ in range(200):
        x = np.where(f_hi == f_lo, 0.5 * (lo + hi), (lo * f_hi - hi * f_lo) / (f_hi - f_lo))
        fx = f(x)
        if np.all(np.abs(fx) <= tol * scale):
            return x
        up = fx < 0
        lo, f_lo = np.where(up, x, lo), np.where(up, fx, f_lo)
        hi, f_hi = np.where(up, hi, x), np.where(up, f_hi, fx)
        f_hi = np.where(up & (side == 1), 0.5 * f_hi, f_hi)   # Illinois step
        f_lo = np.where(~up & (side == -1), 0.5 * f_lo, f_lo)
        side = np.where(up, 1, -1)
    return x


def levelized_cost(plant: PlantCashFlowInputs, product: str, rate: float,
                   allocation: str = "credit", base_year: int | None = None) -> LevelizedCost:
    """Levelized cost of ``product``: the price that makes the plant's NPV zero.

    Parameters
    ----------
    plant : PlantCashFlowInputs
    product : str
        One of ``plant.production``.
    rate : float
        Discount rate [fraction per year], > -1 (real for real terms).
    allocation : {"credit", "value", "mass"}
        Co-product rule, see the module docstring.
    base_year : int, optional
        Year to discount to; default the plant's first construction year.

    Returns
    -------
    LevelizedCost
    """
    rate_arr = _check_rate(rate)
    if product not in plant.production:
        raise InputError(f"plant {plant.name!r} has no product {product!r} (it has "
                         f"{', '.join(plant.production)})", key="product")
    if allocation not in ALLOCATIONS:
        raise InputError(f"allocation must be one of {', '.join(ALLOCATIONS)}, got "
                         f"{allocation!r}", key="allocation")
    m = plant.magnitudes()
    years = plant.years
    base = int(years[0] if base_year is None else base_year)
    df = discount_factors(rate_arr, years.size, int(years[0]) - base)
    mass = plant.product_mass_unit(product)
    if allocation == "mass":
        units = {plant.product_mass_unit(p) for p in m["production"]}
        if len(units) != 1:
            raise InputError("mass allocation needs all products on one mass basis (all element "
                             "or all REO)", key="allocation")
    base_prices = m["prices"]

    def prices_for(x):
        xs = x[:, None]
        if allocation == "credit":
            return {product: xs}
        if allocation == "value":
            return {p: xs * v for p, v in base_prices.items()}
        return {p: xs for p in base_prices}

    def npv_at(x):
        arrays = cash_flow_arrays(plant, prices_for(x), _inputs=m)
        return np.sum(arrays["net_cash_flow"] * df, axis=-1)

    probe = cash_flow_arrays(plant, _inputs=m)
    if allocation == "credit":
        moved = probe[f"production_{product}"]
    else:
        moved = sum(probe[f"production_{p}"] for p in m["production"])
    if np.any(moved.sum(axis=-1) <= 0):
        raise InputError(f"plant {plant.name!r}: no output of {product!r}, so it has no "
                         "levelized cost", key="production")
    n_s = probe["net_cash_flow"].shape[0]
    scale = np.abs(probe["capex"]).sum(axis=-1) + np.abs(probe["opex"]).sum(axis=-1) + 1.0
    guess = float(np.max(base_prices[product])) if allocation != "value" else 1.0
    x = solve_increasing(npv_at, n_s, scale, guess=max(guess, 1e-6))
    solved = cash_flow_arrays(plant, prices_for(x), _inputs=m)
    if allocation == "value":
        price = x[:, None] * base_prices[product]
        value = price[:, 0] if np.ptp(price, axis=1).max() == 0 else price
        rule = "economic allocation: all prices scaled by one factor until NPV = 0"
    else:
        value = x
        rule = ("by-product credit: other products sold at their prices, their revenue credited"
                if allocation == "credit" else
                "mass allocation: all products at one price per kg until NPV = 0")
    breakdown = {}
    if allocation == "credit":
        output = np.sum(solved[f"production_{product}"] * solved["price_multiplier"] * df, -1)
        for line in CASH_LINES:
            if line == "revenue":
                continue
            breakdown[line] = -np.sum(solved[line] * df, -1) / output
        credit = solved["revenue"] - solved[f"revenue_{product}"]
        breakdown["co_product_credit"] = -np.sum(credit * df, -1) / output
        breakdown = {k: ureg.Quantity(_squeeze(v), f"{plant.currency}/{mass}")
                     for k, v in breakdown.items()}
    return LevelizedCost(product, ureg.Quantity(_squeeze(value), f"{plant.currency}/{mass}"),
                         allocation, rule, breakdown)


def _squeeze(values):
    values = np.asarray(values)
    return values.item() if values.size == 1 else values


__all__ = ["ALLOCATIONS", "LevelizedCost", "kpis", "levelized_cost", "with_discounting"]
