"""Loading the costing input tables (``inputs/*.csv``) into typed records with pint quantities.

Every table may start with ``#`` comment lines; each row carries its source. A bad value raises
:class:`tea.errors.InputError` naming the file, the row key and the column.

Tables
------
``reference_plants.csv``  :func:`load_reference_plants` -> {key: :class:`ReferencePlant`}
``prices.csv``            :func:`load_prices` -> {item: :class:`Price`}
``labour.csv``            :func:`load_labour` -> :class:`LabourData` (wages, headcounts)
``location_factors.csv``  :func:`load_location_factors` -> {location: :class:`Factor`}
``capex_factors.csv``     :func:`load_capex_factors` -> {name: :class:`Factor`} and
                          :func:`load_equipment` -> {name: :class:`EquipmentCorrelation`}
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pint

from tea.errors import InputError
from tea.money import read_rows, require_money
from tea.tables import INPUTS, read_table
from tea.units import money_units_of, parse_quantity, split_money_unit, ureg

PLANT_TYPES = ("mine", "beneficiation", "cracking", "separation", "metal", "magnet", "recycling",
               "integrated")


def _number(row: dict, column: str, path: Path, label: str, positive: bool = False,
            optional: bool = False) -> float | None:
    text = (row.get(column) or "").strip()
    if not text and optional:
        return None
    try:
        value = float(text)
    except ValueError:
        raise InputError(f"row {label!r}: expected a number, got {text[:40]!r}", file=str(path),
                         key=column) from None
    if not math.isfinite(value):
        raise InputError(f"row {label!r}: expected a finite number, got {text[:40]!r}",
                         file=str(path), key=column)
    if positive and not value > 0:
        raise InputError(f"row {label!r}: expected a number > 0, got {value}", file=str(path),
                         key=column)
    return value


def _rows(path: Path, columns: tuple[str, ...], keys: tuple[str, ...]) -> list[dict[str, str]]:
    """The rows of a costing table (at least one), each with no more fields than the header and
    a key (the ``keys`` columns) that no other row has: a duplicate is an error, never 'last
    wins'."""
    rows = read_rows(path, columns, require_rows=True)
    seen = set()
    for row in rows:
        key = tuple(row[k] for k in keys)
        if not all(key):
            raise InputError(f"row {','.join(key)!r}: {', '.join(keys)} must not be empty",
                             file=str(path), key=keys[-1])
        if key in seen:
            raise InputError(f"row {','.join(key)!r}: duplicate row (each {', '.join(keys)} "
                             "once)", file=str(path), key=",".join(keys))
        seen.add(key)
    return rows


def _unit(text: str, path: Path, label: str, column: str) -> pint.Quantity:
    try:
        return parse_quantity(f"1 {text}")
    except ValueError as exc:
        raise InputError(f"row {label!r}: {exc}", file=str(path), key=column) from None


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


def load_reference_plants(path: Path | str | None = None) -> dict[str, ReferencePlant]:
    """Read ``inputs/reference_plants.csv`` into {key: ReferencePlant}."""
    path = Path(path) if path else INPUTS / "reference_plants.csv"
    columns = ("key", "project", "country", "plant_type", "capex", "capex_low", "capex_high",
               "currency", "cost_year", "capacity", "capacity_unit", "capacity_basis", "exponent",
               "exponent_source", "scope", "source")
    out = {}
    for row in _rows(path, columns, ("key",)):
        key = row["key"].strip()
        if row["plant_type"] not in PLANT_TYPES:
            raise InputError(f"row {key!r}: plant_type {row['plant_type']!r} is not one of "
                             f"{', '.join(PLANT_TYPES)}", file=str(path), key="plant_type")
        try:
            year = int(row["cost_year"])
        except ValueError:
            raise InputError(f"row {key!r}: cost_year must be a year, got {row['cost_year']!r}",
                             file=str(path), key="cost_year") from None
        money = _unit(f"{row['currency']}_{year}", path, key, "currency")
        if not money_units_of(money):
            raise InputError(f"row {key!r}: currency {row['currency']!r} is not known (expected "
                             "an ISO code such as USD, RUB, CNY, EUR, AUD)", file=str(path),
                             key="currency")
        money_name = require_money(money, f"{path}: row {key!r} currency")
        capex = [_number(row, c, path, key, positive=True)
                 for c in ("capex", "capex_low", "capex_high")]
        if not capex[1] <= capex[0] <= capex[2]:
            raise InputError(f"row {key!r}: expected capex_low <= capex <= capex_high",
                             file=str(path), key="capex")
        capacity = _number(row, "capacity", path, key, positive=True)
        cap_unit = _unit(row["capacity_unit"], path, key, "capacity_unit")
        exponent = _number(row, "exponent", path, key, positive=True)
        if exponent > 1.5:
            raise InputError(f"row {key!r}: scaling exponent {exponent} is implausible "
                             "(expected about 0.4-1.0)", file=str(path), key="exponent")
        if not row["source"].strip():
            raise InputError(f"row {key!r}: a source is required", file=str(path), key="source")
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


def load_prices(path: Path | str | None = None) -> dict[str, Price]:
    """Read ``inputs/prices.csv`` into {item: Price}."""
    path = Path(path) if path else INPUTS / "prices.csv"
    out = {}
    for row in _rows(path, ("item", "kind", "price", "low", "high", "unit", "date", "source"),
                     ("item",)):
        item = row["item"].strip()
        unit = _unit(row["unit"], path, item, "unit")
        require_money(unit, f"{path}: row {item!r} unit")
        values = [_number(row, c, path, item) * unit for c in ("price", "low", "high")]
        if not values[1].magnitude <= values[0].magnitude <= values[2].magnitude:
            raise InputError(f"row {item!r}: expected low <= price <= high", file=str(path),
                             key="price")
        if values[0].magnitude < 0:
            raise InputError(f"row {item!r}: price must be >= 0", file=str(path), key="price")
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


def load_location_factors(path: Path | str | None = None) -> dict[str, Factor]:
    """Read ``inputs/location_factors.csv``: {location: Factor} (group = country or site)."""
    path = Path(path) if path else INPUTS / "location_factors.csv"
    out = {}
    for row in _rows(path, ("location", "kind", "factor", "low", "high", "source"),
                     ("location",)):
        name = row["location"].strip()
        if row["kind"] not in ("country", "site"):
            raise InputError(f"row {name!r}: kind must be country or site", file=str(path),
                             key="kind")
        values = [_number(row, c, path, name, positive=True) for c in ("factor", "low", "high")]
        out[name] = Factor(name, row["kind"], *values, unit="1", source=row["source"])
    return out


def _factor_rows(path):
    return _rows(Path(path), ("name", "group", "value", "low", "high", "unit", "b", "n",
                              "size_unit", "source"), ("name",))


def load_capex_factors(path: Path | str | None = None) -> dict[str, Factor]:
    """Read the non-equipment rows of ``inputs/capex_factors.csv``: {name: Factor}."""
    path = Path(path) if path else INPUTS / "capex_factors.csv"
    out = {}
    for row in _factor_rows(path):
        if row["group"] == "equipment":
            continue
        name = row["name"].strip()
        values = [_number(row, c, path, name) for c in ("value", "low", "high")]
        if any(v < 0 for v in values):
            raise InputError(f"row {name!r}: factors must be >= 0", file=str(path), key="value")
        out[name] = Factor(name, row["group"], *values, unit=row["unit"], source=row["source"])
    return out


def load_equipment(path: Path | str | None = None) -> dict[str, EquipmentCorrelation]:
    """Read the equipment rows of ``inputs/capex_factors.csv``: {name: EquipmentCorrelation}."""
    path = Path(path) if path else INPUTS / "capex_factors.csv"
    out = {}
    for row in _factor_rows(path):
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


def load_labour(path: Path | str | None = None) -> LabourData:
    """Read ``inputs/labour.csv`` into wages by region and headcounts by plant type."""
    path = Path(path) if path else INPUTS / "labour.csv"
    wages, heads = {}, {}
    for row in _rows(path, ("kind", "key", "value", "low", "high", "unit", "capacity",
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
                                 f"({', '.join(PLANT_TYPES)})", file=str(path), key="key")
            capacity = (_number(row, "capacity", path, key, positive=True)
                        * _unit(row["capacity_unit"], path, key, "capacity_unit"))
            heads[key] = Headcount(key, *values, capacity=capacity,
                                   exponent=_number(row, "exponent", path, key, positive=True),
                                   source=row["source"])
        else:
            raise InputError(f"row {key!r}: kind must be wage or headcount", file=str(path),
                             key="kind")
    return LabourData(wages, heads)


__all__ = ["PLANT_TYPES", "ReferencePlant", "Price", "Factor", "EquipmentCorrelation", "Wage",
           "Headcount", "LabourData", "read_table", "load_reference_plants", "load_prices",
           "load_location_factors", "load_capex_factors", "load_equipment", "load_labour"]
