"""Capital cost: scaling from reference plants, equipment-based estimates, and adjustments.

Formulas
--------
Capacity scaling (six-tenths rule; Williams, Chem. Eng. 54(12) 1947 124; Turton et al. 2018 ch. 7):

    C = C_ref (S / S_ref)^n,   escalated C_2 = C_1 I_2 / I_1 with the CEPCI, then converted at the
    scenario's FX rate (tea.money.MoneyContext with the CEPCI index).

Equipment (Towler & Sinnott 2013, ch. 7): purchased cost C_e = a + b S^n per unit, times the count,
times a Lang factor for the installed plant (Lang, Chem. Eng. 55(6) 1948 117: 3.10 solids
processing, 3.63 solid-fluid, 4.74 fluid).

Adjustments (:func:`capex_table`): location factor L (country x site), nth-of-a-kind learning
n^log2(1 - LR) (Wright's learning curve; cost falls by LR per doubling of units built), then
contingency and owner's costs as fractions of the adjusted installed cost.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pint

from tea.costing.data import (
    EquipmentCorrelation,
    Factor,
    ReferencePlant,
)
from tea.costing.tables import CostLine, cost_table
from tea.errors import InputError
from tea.money import MoneyContext, require_money
from tea.units import split_money_unit, ureg

LANG_KEYS = {"solids": "lang_solids", "solid_fluid": "lang_solid_fluid", "fluid": "lang_fluid"}


def _fx_words(money: MoneyContext, source: str, target: str) -> str:
    cur_a, year_a = split_money_unit(source)
    cur_b, year_b = split_money_unit(target)
    words = f"{money.index} {year_a}->{year_b}" if year_a != year_b else f"{money.index} none"
    if cur_a != cur_b:
        rates = [f"{money.fx.rate(c):g} {c}/USD" for c in (cur_a, cur_b) if c != "USD"]
        words += f", FX {money.fx.date:%d %b %Y} ({', '.join(rates)})"
    return words


def _capital_money(money: MoneyContext) -> MoneyContext:
    return money if money.index == "CEPCI" else money.with_index("CEPCI")


def scaling_factor(capacity: pint.Quantity, reference: pint.Quantity, exponent: float):
    """(S / S_ref)^n [-] for capacities of the same dimension; arrays give one per sample."""
    if not exponent > 0:
        raise InputError(f"scaling exponent must be > 0, got {exponent}", key="exponent")
    try:
        ratio = (capacity / reference).to("dimensionless").magnitude
    except (pint.DimensionalityError, AttributeError):
        raise InputError(f"capacity {capacity} cannot be compared with the reference capacity "
                         f"{reference}", key="capacity") from None
    ratio = np.asarray(ratio, dtype=float)
    if np.any(ratio <= 0) or not np.all(np.isfinite(ratio)):
        raise InputError(f"capacity must be > 0, got {capacity}", key="capacity")
    return ratio ** exponent


def scale_capex(reference: ReferencePlant, capacity: pint.Quantity, money: MoneyContext,
                currency: str = "USD_2024", exponent: float | None = None,
                item: str | None = None) -> CostLine:
    """Installed capital cost of a plant of ``capacity`` scaled from a reference plant.

    Parameters
    ----------
    reference : ReferencePlant
        From :func:`tea.costing.data.parse_reference_plants` (``InputTables.reference_plants``).
    capacity : pint.Quantity
        Capacity on the reference's basis [e.g. t/yr]; an array gives one cost per sample.
    money : MoneyContext
        FX table and cost indices (the CEPCI is used whatever the context's index).
    currency : str
        Money unit of the result, e.g. ``"USD_2024"`` or ``"RUB_2025"``.
    exponent : float, optional
        Scaling exponent; default the reference's (0.6).

    Returns
    -------
    CostLine
        Category ``direct``; the basis names the rule, reference, escalation and FX.
    """
    n = reference.exponent if exponent is None else exponent
    factor = scaling_factor(capacity, reference.capacity, n)
    capital = _capital_money(money)
    amount = capital.convert(reference.capex * factor, currency)
    ref_unit = require_money(reference.capex)
    ratio = np.asarray((capacity / reference.capacity).to("dimensionless").magnitude)
    note = ", extrapolated beyond 0.1-10x the reference" if np.any((ratio < 0.1) | (ratio > 10)) \
        else ""
    basis = (f"{n:g} scaling from {reference.project} {reference.cost_year} "
             f"({reference.capex.magnitude:,.4g} {ref_unit} at {reference.capacity:~P} "
             f"{reference.capacity_basis}; {reference.source}){note}, "
             f"{_fx_words(capital, ref_unit, currency)}")
    return CostLine(item or f"{reference.plant_type} plant (scaled)", amount, basis, "direct")


def lang_factor(kind: str, factors: dict[str, Factor]) -> float:
    """Lang factor for ``"solids"``, ``"solid_fluid"`` or ``"fluid"`` processing [-], from the
    ``capex_factors`` table (``factors``)."""
    if kind not in LANG_KEYS:
        raise InputError(f"Lang plant kind must be one of {', '.join(LANG_KEYS)}, got {kind!r}",
                         key="lang")
    return factors[LANG_KEYS[kind]].value


def equipment_capex(correlation: EquipmentCorrelation, size: pint.Quantity, count: int,
                    money: MoneyContext, currency: str = "USD_2024", lang: str = "fluid", *,
                    factors: dict[str, Factor], item: str | None = None) -> CostLine:
    """Installed cost of ``count`` identical units: count x (a + b S^n) x Lang factor.

    Parameters
    ----------
    correlation : EquipmentCorrelation
        From :func:`tea.costing.data.parse_equipment` (``InputTables.equipment``).
    size : pint.Quantity
        Size of one unit in the correlation's size unit dimension (e.g. m**3, MW, kA).
    count : int
        Number of units, >= 1.
    lang : {"solids", "solid_fluid", "fluid"}
        Lang factor class of the plant section (fluid for SX, solid-fluid for precipitation and
        calcination, solids for magnet making).

    Returns
    -------
    CostLine
        Category ``direct``.
    """
    if int(count) != count or count < 1:
        raise InputError(f"equipment count must be a whole number >= 1, got {count}",
                         key="count")
    try:
        s = np.asarray(size.to(correlation.size_unit).magnitude, dtype=float)
    except (pint.DimensionalityError, AttributeError):
        raise InputError(f"{correlation.name}: size must be in {correlation.size_unit}, got "
                         f"{size}", key="size") from None
    if np.any(s <= 0):
        raise InputError(f"{correlation.name}: size must be > 0, got {size}", key="size")
    purchased = correlation.a + correlation.b * s ** correlation.n
    lf = lang_factor(lang, factors)
    capital = _capital_money(money)
    amount = capital.convert(purchased * count * lf, currency)
    unit = require_money(correlation.a)
    basis = (f"{count} x {correlation.name} of {size:~P}: purchased cost "
             f"{correlation.a.magnitude:g} + {correlation.b.magnitude:g} S^{correlation.n:g} "
             f"{unit} ({correlation.source}) x Lang {lang.replace('_', '-')} {lf:g} (Lang 1948), "
             f"{_fx_words(capital, unit, currency)}")
    return CostLine(item or f"{correlation.name} x {count}", amount, basis, "direct")


def learning_factor(nth_unit, learning_rate: float):
    """Cost of the n-th unit relative to the first: n^log2(1 - LR) [-] (Wright 1936).

    Raises
    ------
    InputError
        If n < 1 or the learning rate is outside [0, 1).
    """
    n = np.asarray(nth_unit, dtype=float)
    if np.any(n < 1):
        raise InputError(f"nth unit must be >= 1, got {nth_unit}", key="nth_unit")
    if not 0.0 <= learning_rate < 1.0:
        raise InputError(f"learning rate must be a fraction in [0, 1), got {learning_rate}",
                         key="learning_rate")
    result = n ** np.log2(1.0 - learning_rate)
    return result.item() if result.ndim == 0 else result


def location_factor(names: Sequence[str], factors: dict[str, Factor]) -> tuple[float, str]:
    """Product of the named location factors (e.g. ``["RU", "siberia_south"]``) of the
    ``location_factors`` table (``factors``) and its words."""
    value, words = 1.0, []
    for name in names:
        if name not in factors:
            raise InputError(f"unknown location {name!r} (known: {', '.join(factors)})",
                             key="location")
        value *= factors[name].value
        words.append(f"{name} {factors[name].value:g}")
    return value, " x ".join(words) or "none"


def capex_table(direct: Sequence[CostLine], location: Sequence[str] = (),
                contingency: float | None = None, owners_cost: float | None = None,
                learning_rate: float | None = None, nth_unit: int = 1, *,
                factors: dict[str, Factor],
                location_factors: dict[str, Factor]) -> pd.DataFrame:
    """Capital cost table: direct lines, location, learning, contingency, owner's costs, total.

    Parameters
    ----------
    direct : sequence of CostLine
        Installed costs in one money unit (from :func:`scale_capex`, :func:`equipment_capex`).
    location : sequence of str
        Location factor names multiplied together (a country and a site), see
        ``inputs/location_factors.csv``; empty means US Gulf Coast basis (1.0).
    contingency, owners_cost, learning_rate : float, optional
        Fractions [-]; default ``inputs/capex_factors.csv``.
    nth_unit : int
        Which unit of its kind this plant is (1 = first of a kind, no learning).
    factors, location_factors : dict[str, Factor]
        The ``capex_factors`` and ``location_factors`` tables (``InputTables``).

    Returns
    -------
    pandas.DataFrame
        See :func:`tea.costing.tables.cost_table`; ``attrs["total"]`` is the overnight capex.
    """
    if not direct:
        raise InputError("capex_table needs at least one direct cost line", key="direct")
    contingency = factors["contingency"].value if contingency is None else contingency
    owners_cost = factors["owners_cost"].value if owners_cost is None else owners_cost
    learning_rate = factors["learning_rate"].value if learning_rate is None else learning_rate
    for key, value in (("contingency", contingency), ("owners_cost", owners_cost)):
        if not 0.0 <= value <= 1.0:
            raise InputError(f"{key} must be a fraction in [0, 1], got {value}", key=key)
    unit = direct[0].amount.units
    installed = sum((line.amount for line in direct), ureg.Quantity(0.0, unit))
    lines = list(direct)
    loc, loc_words = location_factor(location, location_factors)
    lines.append(CostLine("location adjustment", installed * (loc - 1.0),
                          f"location factor {loc_words} = {loc:.3g} (inputs/location_factors.csv)"
                          f" applied to the direct lines", "adjustment"))
    located = installed * loc
    learn = learning_factor(nth_unit, learning_rate)
    lines.append(CostLine("nth-of-a-kind learning", located * (learn - 1.0),
                          f"unit {nth_unit} of its kind, learning rate {learning_rate:.0%}: "
                          f"{nth_unit}^log2(1-{learning_rate:g}) = {learn:.3f} (Wright curve)",
                          "adjustment"))
    adjusted = located * learn
    lines.append(CostLine("contingency", adjusted * contingency,
                          f"{contingency:.0%} of the adjusted installed cost "
                          f"({factors['contingency'].source if 'contingency' in factors else ''})",
                          "adjustment"))
    lines.append(CostLine("owner's costs", adjusted * owners_cost,
                          f"{owners_cost:.0%} of the adjusted installed cost "
                          f"({factors['owners_cost'].source if 'owners_cost' in factors else ''})",
                          "adjustment"))
    table = cost_table(lines)
    table.attrs["kind"] = "overnight_capex"
    return table


__all__ = ["LANG_KEYS", "scaling_factor", "scale_capex", "lang_factor", "equipment_capex",
           "learning_factor", "location_factor", "capex_table"]
