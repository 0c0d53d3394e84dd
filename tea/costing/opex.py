"""Operating cost lines: reagents and utilities, labour, fixed charges, royalties, logistics, waste.

Every function returns :class:`tea.costing.tables.CostLine` objects in one money unit per year
(``<currency>/yr``) with their basis; :func:`opex_table` puts them in a table whose total row is
the sum of the lines. Money is converted with the CPI (tea.money.MoneyContext, index ``CPI``) and
the scenario's FX.

Formulas
--------
- reagent or utility: consumption [unit/yr] x dated price [money/unit];
- labour: headcount x annual cost per person; headcount = h_ref (S / S_ref)^e with e ~ 0.25
  (labour grows far slower than capacity; Wessel 1952 as quoted by Peters, Timmerhaus & West);
- maintenance, insurance, overhead: fraction x fixed capital, per year;
- royalty: rate x revenue; logistics: mass x distance x rate [money/(t km)];
- waste: mass x disposal price.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import pint

from tea.costing.data import (
    Factor,
    LabourData,
    Price,
)
from tea.costing.tables import CostLine, cost_table
from tea.errors import InputError
from tea.money import MoneyContext, require_money
from tea.units import split_money_unit, ureg

PRICE_ALIASES = {
    "hcl": "hydrochloric_acid", "naoh": "sodium_hydroxide", "nh3": "ammonia",
    "h2so4": "sulfuric_acid", "na2co3": "sodium_carbonate", "h2c2o4": "oxalic_acid",
    "oxalic": "oxalic_acid", "power": "electricity", "p204": "d2ehpa", "p507": "pc88a",
    "pc-88a": "pc88a", "cao": "lime",
}
"""Common names of consumables -> item names in ``inputs/prices.csv``."""


def _money(money: MoneyContext) -> MoneyContext:
    return money if money.index == "CPI" else money.with_index("CPI")


def _fx_words(money: MoneyContext, source: str, target: str) -> str:
    cur_a, year_a = split_money_unit(source)
    cur_b, year_b = split_money_unit(target)
    words = f"CPI {year_a}->{year_b}" if year_a != year_b else "no escalation"
    if cur_a != cur_b:
        words += f", FX {money.fx.date:%d %b %Y}"
    return words


def _per_year(q: pint.Quantity, currency: str, what: str) -> pint.Quantity:
    try:
        return q.to(f"{currency}/yr")
    except pint.DimensionalityError:
        raise InputError(f"{what}: {q.units} is not money per year (check the consumption and "
                         "price units)", key=what) from None


def price_item(name: str, prices: Mapping[str, Price]) -> Price:
    """The price record of a consumable, accepting common aliases (HCl, NaOH, power, ...)."""
    key = PRICE_ALIASES.get(name.lower(), name)
    if key not in prices:
        raise InputError(f"no price for {name!r} (known: {', '.join(sorted(prices))}; aliases: "
                         f"{', '.join(sorted(PRICE_ALIASES))})", file="inputs/prices.csv",
                         key=name)
    return prices[key]


def consumable_costs(consumptions: Mapping[str, pint.Quantity], money: MoneyContext,
                     currency: str = "USD_2024", *, prices: Mapping[str, Price],
                     overrides: Mapping[str, pint.Quantity] | None = None,
                     category: str = "reagents and utilities") -> list[CostLine]:
    """Yearly cost of reagents and utilities.

    Parameters
    ----------
    consumptions : dict[str, pint.Quantity]
        Item -> consumption per year, e.g. ``{"HCl": Q_(3000, "t/yr"), "electricity":
        Q_(5e6, "kWh/yr")}``; arrays give one value per sample.
    money : MoneyContext
    currency : str
        Money unit of the result.
    prices : dict[str, Price], optional
        The ``prices`` table (:func:`tea.costing.data.parse_prices`, ``InputTables.prices``).
    overrides : dict[str, pint.Quantity], optional
        Item -> price to use instead of the table's (e.g. a regional tariff) [money/unit].

    Returns
    -------
    list of CostLine
        One per item [currency/yr].
    """
    money = _money(money)
    lines = []
    for name, amount in consumptions.items():
        if np.any(np.asarray(getattr(amount, "magnitude", amount)) < 0):
            raise InputError(f"consumption of {name!r} must be >= 0, got {amount}", key=name)
        if overrides and name in overrides:
            price, where = overrides[name], "price given by the scenario"
        else:
            record = price_item(name, prices)
            price, where = record.value, f"{record.source}, {record.date}"
        unit = require_money(price, f"price of {name!r}")
        converted = money.convert(price, currency)
        cost = _per_year(amount * converted, currency, name)
        shown = np.mean(amount.magnitude)
        basis = (f"{shown:,.4g} {amount.units:~P} x {np.mean(price.magnitude):g} {price.units:~P}"
                 f" ({where}), {_fx_words(money, unit, currency)}")
        lines.append(CostLine(name, cost, basis, category))
    return lines


def headcount(plant_type: str, capacity: pint.Quantity, labour: LabourData
              ) -> pint.Quantity:
    """Jobs at a plant: h_ref (S / S_ref)^e, rounded up to whole persons [person]."""
    if plant_type not in labour.headcounts:
        raise InputError(f"no headcount for plant type {plant_type!r} (known: "
                         f"{', '.join(labour.headcounts)})", file="inputs/labour.csv",
                         key=plant_type)
    ref = labour.headcounts[plant_type]
    try:
        ratio = np.asarray((capacity / ref.capacity).to("dimensionless").magnitude, dtype=float)
    except (pint.DimensionalityError, AttributeError):
        raise InputError(f"capacity {capacity} cannot be compared with {ref.capacity}",
                         key="capacity") from None
    if np.any(ratio <= 0):
        raise InputError(f"capacity must be > 0, got {capacity}", key="capacity")
    return np.ceil(ref.value * ratio ** ref.exponent)


def labour_cost(plant_type: str, capacity: pint.Quantity, region: str, money: MoneyContext,
                currency: str = "USD_2024", *, labour: LabourData,
                persons: pint.Quantity | None = None) -> tuple[CostLine, pint.Quantity]:
    """Yearly labour cost and the jobs it pays for.

    Parameters
    ----------
    plant_type : str
        Key of ``inputs/labour.csv`` headcounts (separation, magnet, ...).
    capacity : pint.Quantity
        Plant capacity [e.g. t/yr].
    region : str
        Wage region of ``inputs/labour.csv`` (RU, RU_remote, US, CN, AU, EU).
    persons : pint.Quantity, optional
        Headcount to use instead of the scaled reference [person].

    Returns
    -------
    (CostLine, pint.Quantity)
        The cost line [currency/yr] and the headcount [person].
    """
    if region not in labour.wages:
        raise InputError(f"no wage for region {region!r} (known: {', '.join(labour.wages)})",
                         file="inputs/labour.csv", key=region)
    jobs = persons if persons is not None else headcount(plant_type, capacity, labour)
    wage = labour.wages[region]
    money = _money(money)
    unit = require_money(wage.value)
    cost = _per_year(jobs * money.convert(wage.value, currency), currency, "labour")
    if persons is not None:
        how = "headcount given"
    else:
        ref = labour.headcounts[plant_type]
        how = (f"{ref.value:~P} at {ref.capacity:~P} x (S/S_ref)^{ref.exponent:g}, "
               "rounded up")
    basis = (f"{np.mean(jobs.magnitude):,.0f} persons ({how}) x {wage.value:~P} ({region}: "
             f"{wage.source}), {_fx_words(money, unit, currency)}")
    return CostLine("labour", cost, basis, "labour"), jobs


def fixed_charges(capex: pint.Quantity, currency: str | None = None,
                  fractions: Mapping[str, float] | None = None,
                  *, factors: dict[str, Factor],
                  money: MoneyContext | None = None) -> list[CostLine]:
    """Maintenance, insurance and overhead as fractions of fixed capital, per year.

    Parameters
    ----------
    capex : pint.Quantity
        Fixed capital [money].
    currency : str, optional
        Money unit of the result; default the capex's (conversion needs ``money``).
    fractions : dict[str, float], optional
        ``maintenance``, ``insurance``, ``overhead`` [1/yr]; default the ``capex_factors`` table.
    factors : dict[str, Factor]
        The ``capex_factors`` table (``InputTables.capex_factors``).
    """
    unit = require_money(capex, "capex")
    currency = currency or unit
    if currency != unit:
        if money is None:
            raise InputError(f"capex in {unit} needs a MoneyContext to give {currency}",
                             key="capex")
        capex = money.with_index("CEPCI").convert(capex, currency)
    lines = []
    for key in ("maintenance", "insurance", "overhead"):
        value = (fractions or {}).get(key, factors[key].value)
        if not 0.0 <= value <= 1.0:
            raise InputError(f"{key} must be a fraction of capex per year in [0, 1], got {value}",
                             key=key)
        source = "given" if fractions and key in fractions else factors[key].source
        lines.append(CostLine(key, ureg.Quantity(capex.magnitude * value, f"{currency}/yr"),
                              f"{value:.1%} of fixed capital per year ({source})",
                              "fixed charges"))
    return lines


def royalty(revenue: pint.Quantity, rate: float, basis: str = "") -> CostLine:
    """Royalty as ``rate`` x revenue [money/yr]."""
    if not 0.0 <= rate <= 1.0:
        raise InputError(f"royalty rate must be a fraction in [0, 1], got {rate}", key="royalty")
    require_money(revenue, "revenue")
    return CostLine("royalty", revenue * rate,
                    f"{rate:.1%} of revenue{'; ' + basis if basis else ''}", "royalty")


def logistics_cost(mass: pint.Quantity, distance: pint.Quantity, money: MoneyContext,
                   currency: str = "USD_2024", mode: str = "rail",
                   rate: pint.Quantity | None = None, *, prices: Mapping[str, Price],
                   item: str | None = None) -> CostLine:
    """Freight: mass per year x distance x rate per t-km.

    Parameters
    ----------
    mass : pint.Quantity
        Mass moved per year [t/yr].
    distance : pint.Quantity
        One-way distance [km].
    mode : {"rail", "road"}
        Freight rate from ``inputs/prices.csv`` (``rail_freight``, ``road_freight``) unless
        ``rate`` is given [money/(t km)].
    """
    if np.any(np.asarray(distance.magnitude) < 0):
        raise InputError(f"distance must be >= 0, got {distance}", key="distance")
    if rate is None:
        record = price_item(f"{mode}_freight", prices)
        rate, where = record.value, f"{record.source}, {record.date}"
    else:
        where = "rate given"
    money = _money(money)
    unit = require_money(rate, "freight rate")
    cost = _per_year(mass * distance * money.convert(rate, currency), currency, "logistics")
    basis = (f"{np.mean(mass.magnitude):,.4g} {mass.units:~P} x {np.mean(distance.magnitude):,g} "
             f"{distance.units:~P} x {rate:~P} ({mode}; {where}), {_fx_words(money, unit, currency)}")
    return CostLine(item or f"logistics ({mode})", cost, basis, "logistics")


def waste_cost(mass: pint.Quantity, money: MoneyContext, currency: str = "USD_2024",
               kind: str = "waste_disposal", *, prices: Mapping[str, Price]) -> CostLine:
    """Waste handling: residue mass per year x disposal price (``waste_disposal`` or
    ``radioactive_residue`` in ``inputs/prices.csv``)."""
    line, = consumable_costs({kind: mass}, money, currency, prices=prices, category="waste")
    return line


def opex_table(lines: Sequence[CostLine], output: pint.Quantity | None = None) -> pd.DataFrame:
    """Operating-cost table (per year) with a total row; optionally ``attrs["per_unit"]``.

    Parameters
    ----------
    lines : sequence of CostLine
        All in one ``<currency>/yr`` unit.
    output : pint.Quantity, optional
        Yearly output [e.g. t/yr]: ``attrs["per_unit"]`` = total / output [currency/kg].
    """
    table = cost_table(lines)
    table.attrs["kind"] = "opex per year"
    if output is not None:
        total = table.attrs["total"]
        mass = "kg_REO" if output.dimensionality.get("[oxide_mass]", 0) else "kg"
        try:
            table.attrs["per_unit"] = (total / output).to(f"{require_money(total)}/{mass}")
        except pint.DimensionalityError:
            raise InputError(f"output {output} must be a mass flow such as t/yr",
                             key="output") from None
    return table


__all__ = ["PRICE_ALIASES", "price_item", "consumable_costs", "headcount", "labour_cost",
           "fixed_charges", "royalty", "logistics_cost", "waste_cost", "opex_table"]
