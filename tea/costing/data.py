"""Parsing the costing input tables into typed records with pint quantities.

The tables arrive as :class:`tea.tables.Rows` (read by :mod:`tea.config.inputs`); each row carries
its source. A bad value raises :class:`tea.errors.InputError` naming the file, the row key and the
column.

Tables
------
``reference_plants.csv``  :func:`parse_reference_plants` -> {key: :class:`ReferencePlant`}
``prices.csv``            :func:`parse_prices` -> {item: :class:`Price`}
``labour.csv``            :func:`parse_labour` -> :class:`LabourData` (wages, headcounts)
``location_factors.csv``  :func:`parse_location_factors` -> {location: :class:`Factor`}
``capex_factors.csv``     :func:`parse_capex_factors` -> {name: :class:`Factor`} and
                          :func:`parse_equipment` -> {name: :class:`EquipmentCorrelation`}
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pint

from tea.errors import InputError
from tea.money import require_money
from tea.tables import Rows
from tea.units import money_units_of, parse_quantity, split_money_unit, ureg

PLANT_TYPES = ("mine", "beneficiation", "cracking", "separation", "metal", "magnet", "recycling",
               "integrated")


def _number(row: dict, column: str, path: str, label: str, positive: bool = False,
            optional: bool = False) -> float | None:
    text = (row.get(column) or "").strip()
    if not text and optional:
        return None
    try:
        value = float(text)
    except ValueError:
        raise InputError(f"row {label!r}: expected a number, got {text[:40]!r}", file=path,
                         key=column) from None
    if not math.isfinite(value):
        raise InputError(f"row {label!r}: expected a finite number, got {text[:40]!r}",
                         file=path, key=column)
    if positive and not value > 0:
        raise InputError(f"row {label!r}: expected a number > 0, got {value}", file=path,
                         key=column)
    return value


def _rows(table: Rows, columns: tuple[str, ...], keys: tuple[str, ...]) -> list[dict[str, str]]:
    """The rows of a costing table (at least one), each with no more fields than the header and
    a key (the ``keys`` columns) that no other row has: a duplicate is an error, never 'last
    wins'."""
    path = table.file
    rows = table.require(columns, require_rows=True)
    seen = set()
    for row in rows:
        key = tuple(row[k] for k in keys)
        if not all(key):
            raise InputError(f"row {','.join(key)!r}: {', '.join(keys)} must not be empty",
                             file=path, key=keys[-1])
        if key in seen:
            raise InputError(f"row {','.join(key)!r}: duplicate row (each {', '.join(keys)} "
                             "once)", file=path, key=",".join(keys))
        seen.add(key)
    return rows


def _unit(text: str, path: str, label: str, column: str) -> pint.Quantity:
    try:
        return parse_quantity(f"1 {text}")
    except ValueError as exc:
        raise InputError(f"row {label!r}: {exc}", file=path, key=column) from None


@dataclass(frozen=True)
class ReferencePlant:
    """A built or costed plant used as the base of capacity scaling.

    Attributes
    ----------
    capex, capex_low, capex_high : pint.Quantity
        Capital cost, central and range [money of ``cost_year``].
    capacity : pint.Quantity
        Capacity [e.g. t/yr], counted as ``capacity_basis`` says.
    exponent : float
        Scaling exponent n [-].
    """

    key: str
    project: str
    country: str
    plant_type: str
    capex: pint.Quantity
    capex_low: pint.Quantity
    capex_high: pint.Quantity
    capacity: pint.Quantity
    capacity_basis: str
    exponent: float
    exponent_source: str
    scope: str
    source: str

    @property
    def cost_year(self) -> int:
        return split_money_unit(require_money(self.capex))[1]


def parse_reference_plants(table: Rows) -> dict[str, ReferencePlant]:
    """Parse ``reference_plants.csv`` into {key: ReferencePlant}."""
    path = table.file
    columns = ("key", "project", "country", "plant_type", "capex", "capex_low", "capex_high",
               "currency", "cost_year", "capacity", "capacity_unit", "capacity_basis", "exponent",
               "exponent_source", "scope", "source")
    out = {}
    for row in _rows(table, columns, ("key",)):
        key = row["key"].strip()
        if row["plant_type"] not in PLANT_TYPES:
            raise InputError(f"row {key!r}: plant_type {row['plant_type']!r} is not one of "
                             f"{', '.join(PLANT_TYPES)}", file=path, key="plant_type")
        try:
            year = int(row["cost_year"])
        except ValueError:
            raise InputError(f"row {key!r}: cost_year must be a year, got {row['cost_year']!r}",
                             file=path, key="cost_year") from None
        money = _unit(f"{row['currency']}_{year}", path, key, "currency")
        if not money_units_of(money):
            raise InputError(f"row {key!r}: currency {row['currency']!r} is not known (expected "
                             "an ISO code such as USD, RUB, CNY, EUR, AUD)", file=path,
                             key="currency")
        money_name = require_money(money, f"{path}: row {key!r} currency")
        capex = [_number(row, c, path, key, positive=True)
                 for c in ("capex", "capex_low", "capex_high")]
        if not capex[1] <= capex[0] <= capex[2]:
            raise InputError(f"row {key!r}: expected capex_low <= capex <= capex_high",
                             file=path, key="capex")
        capacity = _number(row, "capacity", path, key, positive=True)
        cap_unit = _unit(row["capacity_unit"], path, key, "capacity_unit")
        exponent = _number(row, "exponent", path, key, positive=True)
        if exponent > 1.5:
            raise InputError(f"row {key!r}: scaling exponent {exponent} is implausible "
                             "(expected about 0.4-1.0)", file=path, key="exponent")
        if not row["source"].strip():
            raise InputError(f"row {key!r}: a source is required", file=path, key="source")
        out[key] = ReferencePlant(
            key=key, project=row["project"], country=row["country"],
            plant_type=row["plant_type"],
            capex=ureg.Quantity(capex[0], money_name),
            capex_low=ureg.Quantity(capex[1], money_name),
            capex_high=ureg.Quantity(capex[2], money_name),
            capacity=capacity * cap_unit, capacity_basis=row["capacity_basis"],
            exponent=exponent, exponent_source=row["exponent_source"], scope=row["scope"],
            source=row["source"],
        )
    return out


@dataclass(frozen=True)
class Price:
    """A dated price with its range and source; ``value`` etc. in e.g. USD_2019/t."""

    item: str
    kind: str
    value: pint.Quantity
    low: pint.Quantity
    high: pint.Quantity
    date: str
    source: str


def parse_prices(table: Rows) -> dict[str, Price]:
    """Parse ``prices.csv`` into {item: Price}."""
    path = table.file
    out = {}
    for row in _rows(table, ("item", "kind", "price", "low", "high", "unit", "date", "source"),
                     ("item",)):
        item = row["item"].strip()
        unit = _unit(row["unit"], path, item, "unit")
        require_money(unit, f"{path}: row {item!r} unit")
        values = [_number(row, c, path, item) * unit for c in ("price", "low", "high")]
        if not values[1].magnitude <= values[0].magnitude <= values[2].magnitude:
            raise InputError(f"row {item!r}: expected low <= price <= high", file=path,
                             key="price")
        if values[0].magnitude < 0:
            raise InputError(f"row {item!r}: price must be >= 0", file=path, key="price")
        out[item] = Price(item, row["kind"], *values, date=row["date"], source=row["source"])
    return out


@dataclass(frozen=True)
class Factor:
    """A dimensionless factor or fraction with its range, unit text and source."""

    name: str
    group: str
    value: float
    low: float
    high: float
    unit: str
    source: str


@dataclass(frozen=True)
class EquipmentCorrelation:
    """Purchased cost = a + b (S / 1 size_unit)^n [money] (Towler & Sinnott form)."""

    name: str
    a: pint.Quantity
    b: pint.Quantity
    n: float
    size_unit: str
    source: str


def parse_location_factors(table: Rows) -> dict[str, Factor]:
    """Parse ``location_factors.csv``: {location: Factor} (group = country or site)."""
    path = table.file
    out = {}
    for row in _rows(table, ("location", "kind", "factor", "low", "high", "source"),
                     ("location",)):
        name = row["location"].strip()
        if row["kind"] not in ("country", "site"):
            raise InputError(f"row {name!r}: kind must be country or site", file=path,
                             key="kind")
        values = [_number(row, c, path, name, positive=True) for c in ("factor", "low", "high")]
        out[name] = Factor(name, row["kind"], *values, unit="1", source=row["source"])
    return out


def _factor_rows(table: Rows):
    return _rows(table, ("name", "group", "value", "low", "high", "unit", "b", "n",
                              "size_unit", "source"), ("name",))


def parse_capex_factors(table: Rows) -> dict[str, Factor]:
    """The non-equipment rows of ``capex_factors.csv``: {name: Factor}."""
    path = table.file
    out = {}
    for row in _factor_rows(table):
        if row["group"] == "equipment":
            continue
        name = row["name"].strip()
        values = [_number(row, c, path, name) for c in ("value", "low", "high")]
        if any(v < 0 for v in values):
            raise InputError(f"row {name!r}: factors must be >= 0", file=path, key="value")
        out[name] = Factor(name, row["group"], *values, unit=row["unit"], source=row["source"])
    return out


def parse_equipment(table: Rows) -> dict[str, EquipmentCorrelation]:
    """The equipment rows of ``capex_factors.csv``: {name: EquipmentCorrelation}."""
    path = table.file
    out = {}
    for row in _factor_rows(table):
        if row["group"] != "equipment":
            continue
        name = row["name"].strip()
        money = _unit(row["unit"], path, name, "unit")
        require_money(money, f"{path}: row {name!r} unit")
        _unit(row["size_unit"], path, name, "size_unit")
        out[name] = EquipmentCorrelation(
            name, _number(row, "value", path, name) * money, _number(row, "b", path, name) * money,
            _number(row, "n", path, name, positive=True), row["size_unit"], row["source"])
    return out


@dataclass(frozen=True)
class Wage:
    region: str
    value: pint.Quantity  # money/person/yr
    low: pint.Quantity
    high: pint.Quantity
    source: str


@dataclass(frozen=True)
class Headcount:
    plant_type: str
    value: pint.Quantity  # person
    low: pint.Quantity
    high: pint.Quantity
    capacity: pint.Quantity
    exponent: float
    source: str


@dataclass(frozen=True)
class LabourData:
    wages: dict[str, Wage]
    headcounts: dict[str, Headcount]


def parse_labour(table: Rows) -> LabourData:
    """Parse ``labour.csv`` into wages by region and headcounts by plant type."""
    path = table.file
    wages, heads = {}, {}
    for row in _rows(table, ("kind", "key", "value", "low", "high", "unit", "capacity",
                            "capacity_unit", "exponent", "source"), ("kind", "key")):
        key = row["key"].strip()
        unit = _unit(row["unit"], path, key, "unit")
        values = [_number(row, c, path, key, positive=True) * unit for c in ("value", "low", "high")]
        if row["kind"] == "wage":
            require_money(unit, f"{path}: row {key!r} unit")
            wages[key] = Wage(key, *values, source=row["source"])
        elif row["kind"] == "headcount":
            if key not in PLANT_TYPES:
                raise InputError(f"row {key!r}: headcount key must be a plant type "
                                 f"({', '.join(PLANT_TYPES)})", file=path, key="key")
            capacity = (_number(row, "capacity", path, key, positive=True)
                        * _unit(row["capacity_unit"], path, key, "capacity_unit"))
            heads[key] = Headcount(key, *values, capacity=capacity,
                                   exponent=_number(row, "exponent", path, key, positive=True),
                                   source=row["source"])
        else:
            raise InputError(f"row {key!r}: kind must be wage or headcount", file=path,
                             key="kind")
    return LabourData(wages, heads)


__all__ = ["PLANT_TYPES", "ReferencePlant", "Price", "Factor", "EquipmentCorrelation", "Wage",
           "Headcount", "LabourData", "parse_reference_plants", "parse_prices",
           "parse_location_factors", "parse_capex_factors", "parse_equipment", "parse_labour"]
