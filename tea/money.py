"""Money conversion: dated FX tables, cost indices (CEPCI, CPI) and the context that uses them.

Conversion of an amount from ``CUR1_Y1`` to ``CUR2_Y2`` goes through US dollars:

1. ``CUR1 -> USD`` at the FX table's rate (one date for the whole table),
2. ``USD_Y1 -> USD_Y2`` by the ratio of the cost index, ``I(Y2) / I(Y1)``
   (CEPCI for plant capital, CPI for other costs; Turton et al., *Analysis, Synthesis and Design
   of Chemical Processes*, 5th ed. 2018, eq. 7.3),
3. ``USD -> CUR2`` at the table's rate.

Escalating every currency by a US index is a simplification (a ruble cost escalated by the
US CPI, not by Russian inflation); it is stated here and in the model file format.

Examples
--------
>>> from tea.config.inputs import default_input_tables
>>> tables = default_input_tables()
>>> ctx = MoneyContext(tables.fx_table("2025-10-24"), tables.cost_indices)
>>> ctx.convert(Q_(700e9, "RUB_2025"), "CNY_2025")  # doctest: +SKIP
<Quantity(6.155e+10, 'CNY_2025')>
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np
import pint

from tea.errors import InputError
from tea.tables import Rows
from tea.units import (
    CURRENCIES,
    Q_,
    MoneyError,
    money_units_of,
    register_money_units,
    split_money_unit,
    ureg,
)

INDEX_NAMES = ("CEPCI", "CPI")


class UnknownFxDate(MoneyError):
    """The FX table has no rates dated as asked (the model's ``fx_date`` is to blame)."""


def _positive_number(text: str, path: str, row: str, column: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise InputError(f"row {row}: expected a number, got {text[:40]!r}", file=path,
                         key=column) from None
    if not (math.isfinite(value) and value > 0):
        raise InputError(f"row {row}: expected a finite number > 0, got {text[:40]!r}",
                         file=path, key=column)
    return value


@dataclass(frozen=True)
class FxTable:
    """Exchange rates on one date, as units of each currency per US dollar.

    Parameters
    ----------
    date : datetime.date
        Date of the rates.
    per_usd : dict[str, float]
        Currency -> units of that currency per 1 USD [CUR/USD]; ``USD`` is 1.
    sources : dict[str, str]
        Currency -> source of the rate.
    """

    date: dt.date
    per_usd: dict[str, float]
    sources: dict[str, str] = field(default_factory=dict)

    def __post_init__(self):
        for cur, rate in self.per_usd.items():
            if cur not in CURRENCIES:
                raise MoneyError(f"FX table {self.date}: unknown currency {cur!r}")
            if not (np.isfinite(rate) and rate > 0):
                raise MoneyError(f"FX table {self.date}: rate of {cur} must be > 0, got {rate}")
        self.per_usd.setdefault("USD", 1.0)

    def rate(self, currency: str) -> float:
        """Units of ``currency`` per US dollar [CUR/USD]."""
        try:
            return self.per_usd[currency]
        except KeyError:
            raise MoneyError(
                f"the FX table of {self.date} has no rate for {currency} "
                f"(it has {', '.join(sorted(self.per_usd))})"
            ) from None


@dataclass(frozen=True)
class CostIndices:
    """Annual cost indices by name and year.

    Parameters
    ----------
    values : dict[str, dict[int, float]]
        Index name (``CEPCI``, ``CPI``) -> year -> value.
    sources : dict[tuple[str, int], str]
        (index, year) -> source.
    """

    values: dict[str, dict[int, float]]
    sources: dict[tuple[str, int], str] = field(default_factory=dict)

    def value(self, index: str, year: int) -> float:
        """Index value in a year; raise :class:`MoneyError` if missing."""
        if index not in self.values:
            raise MoneyError(f"unknown cost index {index!r} (expected one of {', '.join(self.values)})")
        series = self.values[index]
        if year not in series:
            raise MoneyError(
                f"{index} has no value for {year} (covers {min(series)}..{max(series)})"
            )
        return series[year]

    def ratio(self, index: str, from_year: int, to_year: int) -> float:
        """Escalation factor I(to_year) / I(from_year) [-]."""
        if from_year == to_year:
            return 1.0
        return self.value(index, to_year) / self.value(index, from_year)


def parse_fx(table: Rows) -> dict[dt.date, FxTable]:
    """The FX table (columns date, currency, per_usd, source) by date.

    Parameters
    ----------
    table : Rows
        The rows of ``fx.csv`` (or a model's own FX table).

    Raises
    ------
    MoneyError
        Naming the file, the row and the column: a date that is not ISO, an unknown currency, a
        duplicate row, a rate that is not a finite number > 0, or no rows at all.
    """
    path = table.file
    rows = table.require(("date", "currency", "per_usd", "source"))
    by_date: dict[dt.date, dict[str, tuple[float, str]]] = {}
    for row in rows:
        label = f"{row['date']},{row['currency']}"
        try:
            day = dt.date.fromisoformat(row["date"])
        except ValueError:
            raise MoneyError(f"row {label}: {row['date'][:40]!r} is not an ISO date (expected "
                             "e.g. 2025-10-24)", file=path, key="date") from None
        if row["currency"] not in CURRENCIES:
            raise MoneyError(f"row {label}: unknown currency {row['currency'][:20]!r} (expected "
                             f"one of {', '.join(CURRENCIES)})", file=path, key="currency")
        if row["currency"] in by_date.get(day, {}):
            raise MoneyError(f"row {label}: duplicate row (one rate per date and currency; a "
                             "duplicate is an error, never 'last wins')", file=path,
                             key="date,currency")
        rate = _positive_number(row["per_usd"], path, label, "per_usd")
        by_date.setdefault(day, {})[row["currency"]] = (rate, row["source"])
    if not by_date:
        raise MoneyError("no FX rates", file=path)
    return {day: FxTable(date=day, per_usd={cur: rate for cur, (rate, _) in t.items()},
                         sources={cur: src for cur, (_, src) in t.items()})
            for day, t in by_date.items()}


def fx_on(tables: dict[dt.date, FxTable], date: str | dt.date | None = None,
          file: str | None = None) -> FxTable:
    """The FX table of one date (default the latest) among the dated tables of :func:`parse_fx`.

    Raises
    ------
    UnknownFxDate
        If ``date`` is not an ISO date or has no rates, naming ``file`` and the dates it has.
    """
    try:
        day = dt.date.fromisoformat(str(date)) if date else max(tables)
    except ValueError:
        raise UnknownFxDate(f"{str(date)[:40]!r} is not an ISO date", file=file) from None
    if day not in tables:
        dates = ", ".join(str(d) for d in sorted(tables))
        raise UnknownFxDate(f"no FX rates dated {day} (dates: {dates})", file=file)
    return tables[day]


def parse_cost_indices(table: Rows) -> CostIndices:
    """The cost indices (columns index, year, value, source): CEPCI and CPI by year.

    Raises
    ------
    MoneyError
        Naming the file, the row and the column: an unknown index, a year that is not an
        integer, a duplicate row, a value that is not a finite number > 0, or no rows.
    """
    path = table.file
    values: dict[str, dict[int, float]] = {}
    sources: dict[tuple[str, int], str] = {}
    for row in table.require(("index", "year", "value", "source"), require_rows=True):
        name, label = row["index"], f"{row['index']},{row['year']}"
        if name not in INDEX_NAMES:
            raise MoneyError(f"row {label}: unknown index {name[:20]!r} (expected one of "
                             f"{', '.join(INDEX_NAMES)})", file=path, key="index")
        try:
            year = int(row["year"])
        except ValueError:
            raise MoneyError(f"row {label}: the year must be an integer", file=path,
                             key="year") from None
        if year in values.get(name, {}):
            raise MoneyError(f"row {label}: duplicate row (one value per index and year)",
                             file=path, key="index,year")
        values.setdefault(name, {})[year] = _positive_number(row["value"], path, label, "value")
        sources[(name, year)] = row["source"]
    return CostIndices(values, sources)


class MoneyContext:
    """Converts money between currencies and cost years with one FX table and one cost index.

    Parameters
    ----------
    fx : FxTable
        Dated exchange rates.
    indices : CostIndices
        Cost indices.
    index : {"CEPCI", "CPI"}
        Index for escalation between years: CEPCI for plant capital, CPI for other costs.
    """

    def __init__(self, fx: FxTable, indices: CostIndices, index: str = "CPI"):
        if index not in INDEX_NAMES:
            raise MoneyError(f"unknown cost index {index!r} (expected CEPCI or CPI)")
        self.fx = fx
        self.indices = indices
        self.index = index

    def with_index(self, index: str) -> MoneyContext:
        """The same FX table with another escalation index."""
        return MoneyContext(self.fx, self.indices, index)

    def factor(self, source: str, target: str) -> float:
        """Multiplier from one money unit to another, e.g. ``factor("RUB_2025", "USD_2024")``."""
        cur_a, year_a = split_money_unit(source)
        cur_b, year_b = split_money_unit(target)
        usd = 1.0 / self.fx.rate(cur_a)
        usd *= self.indices.ratio(self.index, year_a, year_b)
        return usd * self.fx.rate(cur_b)

    def convert(self, quantity: pint.Quantity, target: str) -> pint.Quantity:
        """Express ``quantity`` in the money unit ``target``; other units are kept.

        ``Q_(5, "USD_2023/kg")`` converted to ``"RUB_2025"`` gives RUB_2025/kg; a target with other
        units as well (``"RUB_2025/t"``) is also accepted and the rest converted by pint.

        Raises
        ------
        MoneyError
            If the quantity holds no money or more than one money unit.
        """
        register_money_units(target)
        target_money = list(money_units_of(Q_(1, target)))
        if len(target_money) != 1:
            raise MoneyError(f"target {target!r} must contain exactly one money unit")
        target_name = target_money[0]
        owned = money_units_of(quantity)
        if len(owned) != 1:
            raise MoneyError(f"{quantity.units} must contain exactly one money unit to convert")
        (name, exponent), = owned.items()
        factor = self.factor(name, target_name) ** exponent
        new_units = quantity.units / ureg.Unit(name) ** exponent * ureg.Unit(target_name) ** exponent
        converted = ureg.Quantity(quantity.magnitude * factor, new_units)
        return converted if target == target_name else converted.to(target)

    def pint_context(self, units: list[str]) -> pint.Context:
        """A pint context with FX/escalation transformations between the given money units.

        Use it as ``with ureg.context(ctx): amount.to("USD_2024")`` for plain amounts; amounts per
        unit of something (US$/kg) go through :meth:`convert`.
        """
        ctx = pint.Context(f"money_{self.fx.date}_{self.index}")
        hub = units[0]
        for unit in units[1:]:
            fwd, back = self.factor(unit, hub), self.factor(hub, unit)
            ctx.add_transformation(
                f"[money_{unit}]", f"[money_{hub}]",
                lambda reg, x, f=fwd, h=hub: reg.Quantity(x.magnitude * f, h),
            )
            ctx.add_transformation(
                f"[money_{hub}]", f"[money_{unit}]",
                lambda reg, x, f=back, u=unit: reg.Quantity(x.magnitude * f, u),
            )
        return ctx


def require_money(quantity: pint.Quantity, what: str = "value") -> str:
    """Return the single money unit of ``quantity`` or raise :class:`MoneyError` naming ``what``."""
    owned = money_units_of(quantity) if isinstance(quantity, pint.Quantity) else {}
    if len(owned) != 1:
        raise MoneyError(f"{what}: money needs a currency and cost year, such as '100 USD_2024'")
    return next(iter(owned))


__all__ = [
    "FxTable", "CostIndices", "MoneyContext", "parse_fx", "fx_on", "parse_cost_indices",
    "require_money",
    "Q_",
]
