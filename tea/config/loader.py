"""Load a model file (TOML) into a :class:`tea.config.scenario.Scenario`, refusing bad input.

Every error is one line ``FILE: KEY: what is wrong (expected ...)`` raised as
:class:`tea.errors.InputError`.  The format is documented in README.md ("Model file format").

Every value with units is converted here, once, to the base unit its field documents
(:mod:`tea.config.scenario`): ``"10 kt_REO/yr"`` and ``"1e7 kg_REO/yr"`` both become
``10000 t_REO/yr``; money keeps its currency and cost year.
"""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path

from tea.config.fields import MAX_DEPTH, Reader, check_depth, deepest_value, named_tables
from tea.config.finance import country_of, finance_settings
from tea.config.inputs import read_inputs
from tea.config.plants import check_grade, read_plants
from tea.config.scenario import (
    MATERIALS,
    OBJECTIVES,
    Budget,
    Deposit,
    Product,
    Scenario,
    Site,
)
from tea.config.uncertainty import uncertainty_spec
from tea.errors import InputError


def load_scenario(path: str | Path, overrides: dict[str, object] | None = None) -> Scenario:
    """Read, check and type a model file.

    Parameters
    ----------
    path : str or Path
        The TOML model file.
    overrides : dict, optional
        Dotted keys and values replacing the file's (``{"model.discount_rate": 0.08}``), as given
        on the command line with ``--scenario KEY=VALUE``.

    Raises
    ------
    InputError
        On any malformed, missing, unknown or out-of-range value.
    """
    path = Path(path)
    file = str(path)
    data = parse_toml(_read_model_text(path), file)
    for key, value in (overrides or {}).items():
        check_depth(value, file, key)
        _apply_override(data, key, value, file)
    scenario = _build(Reader(data, file))
    return dataclasses.replace(scenario, overrides=dict(overrides or {})) if overrides else scenario


MAX_MODEL_BYTES = 10_000_000
"""Largest model file read [bytes] (the shipped models are some 30 kB)."""



def _read_model_text(path: Path) -> str:
    file = str(path)
    if not path.exists():
        raise InputError("file not found (expected a TOML model file)", file)
    if path.is_dir():
        raise InputError("is a folder (expected a TOML model file)", file)
    if not path.is_file():
        raise InputError("is not a regular file (expected a TOML model file)", file)
    try:
        if path.stat().st_size > MAX_MODEL_BYTES:
            raise InputError(f"file is larger than {MAX_MODEL_BYTES:,} bytes (expected a TOML "
                             "model file)", file)
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError("not a UTF-8 text file (expected a TOML model file)", file) from None
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror})", file) from None
    if not text.strip():
        raise InputError("file is empty (expected a TOML model file with a [model] table)", file)
    return text


def parse_toml(text: str, file: str, what: str = "TOML") -> dict:
    """``tomllib.loads`` with every failure as a one-line :class:`InputError` (deep nesting and
    over-long integers included) and the nesting depth checked."""
    deep = deepest_value(text)
    if deep is not None:
        raise InputError(f"line {deep[0]}: tables or arrays nested deeper than {MAX_DEPTH} levels "
                         "(the model format needs at most 4)", file, deep[1] or None)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"not valid {what} ({exc})", file) from None
    except RecursionError:
        raise InputError("tables or arrays nested too deeply (the model format needs at most 4 "
                         "levels)", file) from None
    except ValueError as exc:  # integers beyond Python's digit limit
        raise InputError(f"not valid {what} ({str(exc)[:80]})", file) from None
    check_depth(data, file)
    return data


def _apply_override(data: dict, dotted: str, value: object, file: str) -> None:
    parts = dotted.split(".")
    table = data
    for part in parts[:-1]:
        if not isinstance(table.get(part), dict):
            raise InputError(f"cannot override {dotted!r}: no table {part!r}", file, dotted)
        table = table[part]
    table[parts[-1]] = value


def _build(top: Reader) -> Scenario:
    model = top.sub("model")
    name = model.text("name")
    title = model.text("title", default=name)
    region = model.text("region", default=name)
    base_year = model.integer("base_year", minimum=1990, maximum=2100)
    horizon = model.table.get("horizon")
    model.used.add("horizon")
    if (not isinstance(horizon, list) or len(horizon) != 2
            or not all(isinstance(y, int) and not isinstance(y, bool) for y in horizon)):
        raise model.error("horizon", "expected [first_year, last_year] as two integers")
    first, last = horizon
    if not 1990 <= first <= last <= 2100:
        raise model.error("horizon", f"{horizon} is not a valid range (expected first <= last, "
                                     "within 1990..2100)")
    if not first <= base_year <= last:
        raise model.error("base_year", f"{base_year} is outside the horizon {first}..{last}")
    years = tuple(range(first, last + 1))
    currency = model.text("currency")
    _check_money_unit(model, "currency", currency)
    discount_rate = model.fraction("discount_rate")
    if discount_rate >= 1:
        raise model.error("discount_rate", f"{discount_rate} is not a discount rate (expected a "
                                           "fraction per year in [0, 1), e.g. 0.08)")
    objective = model.text("objective", default="min_cost", choices=OBJECTIVES)
    fx_date = model.text("fx_date")
    profit_tax_rate = model.fraction("profit_tax_rate", default=None)
    transport_cost = model.quantity("transport_cost", "USD_2024/t/km", minimum=0, money=True)
    model.finish()

    in_horizon = _year_checker(first, last)
    inputs = read_inputs(top)
    sites = _sites(top)
    deposits = _deposits(top, sites, inputs)
    products = _products(top, in_horizon, inputs)
    plants = read_plants(top, sites, deposits, products, in_horizon, first, inputs)
    demand = _demand(top, products, in_horizon)
    budget = _budget(top, in_horizon)
    targets = _targets(top, in_horizon)
    finance = finance_settings(inputs.finance, top.sub("finance", required=False),
                               {country_of(s.region) for s in sites.values()}, discount_rate,
                               profit_tax_rate)
    uncertainty = uncertainty_spec(inputs.uncertainty, top.sub("uncertainty", required=False),
                                   set(products))
    top.finish()
    _check_fx_date(top, fx_date, inputs)
    _check_money_years(top, base_year, currency, transport_cost, budget, products, plants, inputs)
    return Scenario(
        path=Path(top.file), name=name, title=title, base_year=base_year, years=years,
        currency=currency, discount_rate=discount_rate, objective=objective, fx_date=fx_date,
        profit_tax_rate=profit_tax_rate, transport_cost=transport_cost, budget=budget,
        sites=sites, deposits=deposits, plants=plants, products=products, demand=demand,
        targets=targets, region=region, finance=finance, inputs=inputs, uncertainty=uncertainty,
    )


def _check_money_unit(reader: Reader, key: str, text: str) -> None:
    from tea.units import MoneyError, money_unit, split_money_unit

    try:
        money_unit(*split_money_unit(text))
    except MoneyError as exc:
        raise reader.error(key, exc.message) from None


def _check_fx_date(top: Reader, fx_date: str, inputs) -> None:
    """The FX table of ``inputs`` must have rates dated ``fx_date``; errors in the table itself
    name the table."""
    import datetime as dt

    from tea.money import UnknownFxDate

    try:
        dt.date.fromisoformat(fx_date)
    except ValueError:
        raise top.error("model.fx_date", f"{fx_date!r} is not an ISO date (expected e.g. "
                                         "'2025-10-24')") from None
    try:
        inputs.fx_table(fx_date)
    except UnknownFxDate as exc:
        raise InputError(f"{exc.message} (expected a date listed in {exc.file})", top.file,
                         "model.fx_date") from None


def _check_money_years(top: Reader, base_year: int, currency: str, transport_cost, budget,
                       products, plants, inputs) -> None:
    """Every cost year must be covered by the cost index that escalates it: CEPCI for capital
    (plant capex, budget), CPI for everything else (``7.2e9 USD_1960`` has no CEPCI)."""
    from tea.units import money_units_of, split_money_unit, ureg

    indices = inputs.cost_indices
    checks = [("CPI", "model.base_year", f"USD_{base_year}"),
              ("CEPCI", "model.base_year", f"USD_{base_year}"),
              ("CPI", "model.currency", currency),
              ("CPI", "model.transport_cost", transport_cost),
              ("CEPCI", "budget.total", budget.total), ("CEPCI", "budget.per_year", budget.per_year)]
    for ident, product in products.items():
        for field in ("import_price", "export_price"):
            for year, value in getattr(product, field).items():
                suffix = f".{year}" if year is not None else ""
                checks.append(("CPI", f"products.{ident}.{field}{suffix}", value))
    for ident, plant in plants.items():
        checks.append(("CEPCI", f"plants.{ident}.capex", plant.capex))
        checks.append(("CPI", f"plants.{ident}.mining_cost", plant.mining_cost))
    for index, key, value in checks:
        if value is None:
            continue
        names = [value] if isinstance(value, str) else list(money_units_of(
            value if hasattr(value, "units") else ureg.Quantity(1, value)))
        series = indices.values.get(index, {})
        for name in names:
            year = split_money_unit(name)[1]
            if year not in series:
                span = f"{min(series)}..{max(series)}" if series else "no years"
                raise InputError(f"{index} has no value for {year} (the cost index table "
                                 f"covers {span}; expected a cost year in that range)", top.file,
                                 key)


def _year_checker(first: int, last: int):
    def check(reader: Reader, key: str, year_text: str) -> int:
        try:
            year = int(year_text)
        except ValueError:
            raise reader.error(key, f"{year_text!r} is not a year (expected e.g. 2030)") from None
        if not first <= year <= last:
            raise reader.error(key, f"year {year} is outside the horizon {first}..{last}")
        return year

    return check


def _sites(top: Reader) -> dict[str, Site]:
    sites, readers = {}, {}
    for ident, r in named_tables(top, "sites"):
        routes = r.sub("routes", required=False)
        sites[ident] = Site(
            id=ident, name=r.text("name", default=ident), region=r.text("region"),
            distance_to_market=r.quantity("distance_to_market", "km", minimum=0),
            location_factor=r.number("location_factor", default=None, minimum=0.5, maximum=3.0),
            routes={to: routes.quantity(to, "km", positive=True) for to in routes.table}
            if routes else {},
        )
        r.finish()
        readers[ident] = routes
    seen = set()
    for ident, site in sites.items():
        for to in site.routes:
            if to not in sites or to == ident:
                raise readers[ident].error(to, f"unknown site {to!r} (expected another of: "
                                               f"{', '.join(s for s in sites if s != ident)})")
            if frozenset((ident, to)) in seen:
                raise readers[ident].error(to, f"route {to}-{ident} is given twice (a route "
                                               "runs both ways; give it under one site)")
            seen.add(frozenset((ident, to)))
    return sites


def _deposits(top: Reader, sites: dict[str, Site], inputs) -> dict[str, Deposit]:
    deposits = {}
    for ident, r in named_tables(top, "deposits", required=False):
        site = r.text("site")
        if site not in sites:
            raise r.error("site", f"unknown site {site!r} (expected one of: {', '.join(sites)})")
        deposits[ident] = Deposit(
            id=ident, site=site, data=r.text("data", default=ident),
            reserve=r.quantity("reserve", "Mt", default=None, positive=True),
            grade_treo=r.fraction("grade_treo", default=None),
        )
        if deposits[ident].grade_treo is not None and deposits[ident].grade_treo <= 0:
            raise r.error("grade_treo", f"{deposits[ident].grade_treo} must be positive (expected "
                                        "a fraction of TREO in (0, 1])")
        _check_deposit_data(r, deposits[ident].data, inputs)
        r.finish()
    return deposits


def _check_deposit_data(r: Reader, data: str, inputs) -> None:
    """The deposit's row of the ``deposits`` table must exist (errors in the table name it)."""
    from tea.process.parameters import get_deposit

    try:
        get_deposit(data, inputs.deposits)
    except InputError as exc:
        if exc.file:
            raise
        raise r.error("data", exc.message) from None


def _yearly(reader: Reader, key: str, dimension: str, in_horizon, money: bool = False) -> dict:
    """A value given once (applies to every year) or as a table ``{2025 = ..., 2030 = ...}``."""
    if not reader.has(key):
        reader.used.add(key)
        return {}
    value = reader.table[key]
    if isinstance(value, str):
        return {None: reader.quantity(key, dimension, minimum=0, money=money)}
    sub = reader.sub(key)
    out = {}
    for year_text in sub.table:
        year = in_horizon(sub, year_text, year_text)
        out[year] = sub.quantity(year_text, dimension, minimum=0, money=money)
    sub.finish()
    if not out:
        raise reader.error(key, "is empty (expected a value or a table of years)")
    return out


def _products(top: Reader, in_horizon, inputs) -> dict[str, Product]:
    from tea.elements import ELEMENTS

    products = {}
    for ident, r in named_tables(top, "products"):
        material = r.text("material", choices=MATERIALS)
        elements, grade = (), None
        if material == "magnet":
            grade = r.text("grade")
            check_grade(r, "grade", grade, inputs)
        else:
            elements = tuple(r.text_list("elements"))
            bad = [e for e in elements if e not in ELEMENTS]
            if bad or not elements:
                raise r.error("elements", f"unknown element {bad[0]!r} (expected symbols from "
                                          f"{', '.join(ELEMENTS)})" if bad else "is empty")
        flow = "t_REO" if material == "oxide" else "t"
        products[ident] = Product(
            id=ident, material=material, elements=elements, grade=grade,
            import_price=_yearly(r, "import_price", f"USD_2024/{flow}", in_horizon, money=True),
            import_cap=_yearly(r, "import_cap", f"{flow}/yr", in_horizon),
            export_price=_yearly(r, "export_price", f"USD_2024/{flow}", in_horizon, money=True),
        )
        if not products[ident].import_price:
            raise r.error("import_price", "missing (required key: the price at which the product "
                                          "can be imported, e.g. '60 USD_2025/kg_REO')")
        r.finish()
    return products


def _demand(top: Reader, products: dict[str, Product], in_horizon) -> dict[str, dict[int, object]]:
    demand = {}
    table = top.sub("demand")
    for prod in table.table:
        if prod not in products:
            raise table.error(prod, f"unknown product (expected one of: {', '.join(products)})")
        demand[prod] = _yearly(table, prod, products[prod].unit, in_horizon)
    table.finish()
    return demand


def _budget(top: Reader, in_horizon) -> Budget:
    r = top.sub("budget", required=False)
    if r is None:
        return Budget()
    total = r.quantity("total", "USD_2024", default=None, positive=True, money=True)
    per_year = r.quantity("per_year", "USD_2024", default=None, positive=True, money=True)
    caps = {}
    sub = r.sub("import_share_cap", required=False)
    if sub is not None:
        for year_text in sub.table:
            year = in_horizon(sub, year_text, year_text)
            caps[year] = sub.fraction(year_text)
        sub.finish()
    r.finish()
    return Budget(total=total, per_year=per_year, import_share_cap=caps)


def _targets(top: Reader, in_horizon) -> dict[str, object]:
    """Policy targets: domestic oxide production in a year; a constraint from that year on when
    ``enforce = true``, otherwise only reported against the results."""
    r = top.sub("targets", required=False)
    if r is None:
        return {}
    out = {
        "production": r.quantity("production", "t_REO/yr", positive=True),
        "year": in_horizon(r, "year", str(r.integer("year", minimum=1990, maximum=2100))),
        "enforce": r.flag("enforce", default=False),
    }
    r.finish()
    return out
