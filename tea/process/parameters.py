"""Parsing the process input tables into the dataclasses of the process models.

Tables (``tea/data/`` or a model's own; ``#`` lines are comments; every value has a source column):

``deposits.csv``              deposit, parameter, value, unit, source
``deposit_distributions.csv`` deposit, element, fraction_of_treo, source
``beneficiation.csv``         method, parameter, value, unit, source
``cracking_routes.csv``       route, parameter, value, unit, source
``precipitation.csv``         parameter, value, unit, source

Every problem raises :class:`~tea.errors.InputError` naming the file, the row key and what was
expected.  The tables arrive as :class:`tea.tables.Rows` (read by :mod:`tea.config.inputs`):
nothing in :mod:`tea.process` reads a file.
"""

from __future__ import annotations

from collections.abc import Mapping

from tea.elements import ELEMENTS
from tea.errors import InputError
from tea.process.beneficiation import BeneficiationParams
from tea.process.cracking import CrackingRoute
from tea.process.mining import SPECIES, Deposit
from tea.process.precipitation import PrecipitationParams
from tea.tables import Rows
from tea.units import Q_

_TEXT_PARAMETERS = ("name", "country", "mineralogy", "mining_method", "beneficiation", "cracking")


def _number(text: str, path: str, key: str) -> float:
    try:
        value = float(text)
    except (TypeError, ValueError):
        raise InputError(f"expected a number, got {text!r}", file=path, key=key) from None
    return value


def parse_deposits(table: Rows, distributions: Rows) -> dict[str, Deposit]:
    """All deposits of ``deposits.csv`` with their TREO distributions
    (``deposit_distributions.csv``), by key."""
    path, dpath = table.file, distributions.file
    params: dict[str, dict[str, str]] = {}
    sources: dict[str, dict[str, str]] = {}
    for row in table.require(("deposit", "parameter", "value", "unit", "source")):
        key, name = row["deposit"].strip(), row["parameter"].strip()
        if not (row.get("source") or "").strip():
            raise InputError("every value needs a source", file=path, key=f"{key}.{name}")
        params.setdefault(key, {})[name] = (row["value"] or "").strip()
        sources.setdefault(key, {})[name] = row["source"]
    dist: dict[str, dict[str, float]] = {}
    for row in distributions.require(("deposit", "element", "fraction_of_treo", "source")):
        key, symbol = row["deposit"].strip(), row["element"].strip()
        where = f"{key}.{symbol}"
        if symbol not in ELEMENTS:
            raise InputError(f"unknown element {symbol!r} (expected one of {', '.join(ELEMENTS)})",
                             file=dpath, key=where)
        dist.setdefault(key, {})[symbol] = _number(row["fraction_of_treo"], dpath, where)
    out = {}
    for key, p in params.items():
        if key not in dist:
            raise InputError("no TREO distribution for this deposit", file=dpath, key=key)
        total = sum(dist[key].values())
        if abs(total - 1.0) > 1e-6:
            raise InputError(f"TREO fractions sum to {total:.6f} (expected 1)",
                             file=dpath, key=key)
        out[key] = _deposit(key, p, dist[key], sources[key], path)
    return out


def _deposit(key, p, dist, sources, path) -> Deposit:
    for required in ("ore_tonnage", "treo_grade"):
        if required not in p:
            raise InputError(f"missing parameter {required!r}", file=path, key=key)
    species = {}
    numbers = {}
    for name, text in p.items():
        if name in _TEXT_PARAMETERS:
            continue
        if name.startswith("grade_"):
            if name[6:] not in SPECIES:
                raise InputError(f"unknown species {name[6:]!r} (expected one of "
                                 f"{', '.join(SPECIES)})", file=path, key=f"{key}.{name}")
            species[name[6:]] = _number(text, path, f"{key}.{name}")
        elif name in ("ore_tonnage", "treo_grade", "strip_ratio", "design_ore_rate"):
            numbers[name] = _number(text, path, f"{key}.{name}")
        else:
            raise InputError(f"unknown parameter {name!r}", file=path, key=f"{key}.{name}")
    try:
        return Deposit(
            key=key, name=p.get("name", key), country=p.get("country", ""),
            ore_tonnage=Q_(numbers["ore_tonnage"], "Mt"), treo_grade=numbers["treo_grade"],
            distribution=dist, strip_ratio=numbers.get("strip_ratio", 0.0),
            species_grades=species, mining_method=p.get("mining_method", "open_pit"),
            design_ore_rate=(Q_(numbers["design_ore_rate"], "t/yr")
                             if "design_ore_rate" in numbers else None),
            beneficiation=p.get("beneficiation", "flotation"),
            cracking=p.get("cracking", "sulfuric_bake"), sources=sources,
        )
    except InputError as exc:
        raise InputError(exc.message, file=path, key=exc.key and f"{key}.{exc.key}") from None


def get_deposit(name: str, deposits: Mapping[str, Deposit]) -> Deposit:
    """One deposit by key among ``deposits`` (:func:`parse_deposits`); :class:`InputError`
    listing the known keys otherwise."""
    if name not in deposits:
        raise InputError(f"unknown deposit {name!r} (expected one of {', '.join(deposits)})",
                         key="deposit")
    return deposits[name]


def _grouped(table: Rows, group_col: str) -> dict[str, dict[str, tuple[float, str]]]:
    path = table.file
    out: dict[str, dict[str, tuple[float, str]]] = {}
    for row in table.require((group_col, "parameter", "value", "unit", "source")):
        group, name = row[group_col].strip(), row["parameter"].strip()
        if not (row.get("source") or "").strip():
            raise InputError("every value needs a source", file=path, key=f"{group}.{name}")
        out.setdefault(group, {})[name] = (_number(row["value"], path, f"{group}.{name}"),
                                           row["source"])
    return out


def _prefixed(p: dict[str, tuple[float, str]], prefix: str) -> dict[str, float]:
    return {k[len(prefix):]: v for k, (v, _) in p.items() if k.startswith(prefix)}


def parse_beneficiation(table: Rows) -> dict[str, BeneficiationParams]:
    """Beneficiation methods of ``beneficiation.csv``, by method name."""
    path = table.file
    out = {}
    for method, p in _grouped(table, "method").items():
        try:
            out[method] = BeneficiationParams(
                method=method, recovery=p.get("recovery", (1.0, ""))[0],
                element_recovery=_prefixed(p, "recovery_"),
                species_recovery=_prefixed(p, "species_"),
                concentrate_grade=p["concentrate_grade"][0] if "concentrate_grade" in p else None,
                sources={k: s for k, (_, s) in p.items()},
            )
        except InputError as exc:
            raise InputError(exc.message, file=path, key=f"{method}.{exc.key}") from None
    return out


def parse_cracking_routes(table: Rows) -> dict[str, CrackingRoute]:
    """Cracking routes of ``cracking_routes.csv``, by route name."""
    path = table.file
    out = {}
    for route, p in _grouped(table, "route").items():
        try:
            out[route] = CrackingRoute(
                name=route, recovery=p.get("recovery", (1.0, ""))[0],
                element_recovery=_prefixed(p, "recovery_"),
                rejection=_prefixed(p, "rejection_"), reagents=_prefixed(p, "reagent_"),
                energy=_prefixed(p, "energy_"), sources={k: s for k, (_, s) in p.items()},
            )
        except InputError as exc:
            raise InputError(exc.message, file=path, key=f"{route}.{exc.key}") from None
    return out


def parse_precipitation(table: Rows) -> PrecipitationParams:
    """Precipitation and calcination parameters of ``precipitation.csv``."""
    path = table.file
    p: dict[str, tuple[float, str]] = {}
    for row in table.require(("parameter", "value", "unit", "source")):
        name = row["parameter"].strip()
        if not (row.get("source") or "").strip():
            raise InputError("every value needs a source", file=path, key=name)
        p[name] = (_number(row["value"], path, name), row["source"])
    known = {"recovery", "oxalic_ratio", "oxalic_efficiency", "calcination_energy"}
    for name in p:
        if name not in known and not name.startswith("recovery_"):
            raise InputError(f"unknown parameter {name!r}", file=path, key=name)
    kwargs = {k: p[k][0] for k in known if k in p}
    try:
        return PrecipitationParams(element_recovery=_prefixed(p, "recovery_"),
                                   sources={k: s for k, (_, s) in p.items()}, **kwargs)
    except InputError as exc:
        raise InputError(exc.message, file=path, key=exc.key) from None


def get_beneficiation(method: str, table: Mapping[str, BeneficiationParams]) -> BeneficiationParams:
    """One beneficiation method by name among ``table`` (:func:`parse_beneficiation`);
    :class:`InputError` otherwise."""
    if method not in table:
        raise InputError(f"unknown beneficiation method {method!r} "
                         f"(expected one of {', '.join(table)})", key="beneficiation")
    return table[method]


def get_cracking_route(route: str, table: Mapping[str, CrackingRoute]) -> CrackingRoute:
    """One cracking route by name among ``table`` (:func:`parse_cracking_routes`);
    :class:`InputError` otherwise."""
    if route not in table:
        raise InputError(f"unknown cracking route {route!r} (expected one of {', '.join(table)})",
                         key="cracking")
    return table[route]
