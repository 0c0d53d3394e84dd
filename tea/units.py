"""The package's one pint registry: masses and flows of the field, the REO basis, and money.

Mass units
    ``t``, ``kt``, ``Mt`` (metric tonnes; pint's default ``kt`` is the knot and is redefined here),
    flows such as ``t/yr``.

Oxide (REO) basis
    A mass of rare-earth *oxide* has its own dimension ``[oxide_mass]`` with the units ``kg_REO``,
    ``t_REO``, ``kt_REO`` and ``Mt_REO``.  Adding ``t_REO`` to ``t`` (element mass) is therefore a
    :class:`pint.DimensionalityError`; converting needs the element's oxide factor
    (:func:`tea.elements.to_oxide` / :func:`tea.elements.to_element`).

Money
    Money is a currency *and* a cost year: ``USD_2024``, ``RUB_2025``, ``CNY_2025``, ``EUR_2024``,
    ``AUD_2022``.  Each currency-year is its own dimension, so adding RUB to USD, or dollars of 2016
    to dollars of 2023, is an error, never a silent 1:1.  Conversion needs a :class:`MoneyContext`
    made from a dated FX table (:class:`tea.money.FxTable`) and a cost index
    (:class:`tea.money.CostIndices`): see :mod:`tea.money`.

Notes
-----
pint's own currency recipe (one ``[currency]`` dimension with ``nan`` factors redefined in a
context) converts to NaN when the context is missing; the separate dimensions used here raise
instead, and :mod:`tea.money` builds a pint :class:`pint.Context` with the FX transformations.
"""

from __future__ import annotations

import re

import pint

from tea.errors import InputError

CURRENCIES: tuple[str, ...] = ("USD", "RUB", "CNY", "EUR", "AUD")
"""Currencies the model knows (ISO 4217 codes)."""

MONEY_UNIT = re.compile(r"^(?P<currency>[A-Z]{3})_(?P<year>\d{4})$")
"""A money unit name: an ISO code, an underscore and a four-digit cost year."""

YEAR_RANGE = (1950, 2100)

ureg = pint.UnitRegistry(on_redefinition="ignore", cache_folder=None)
ureg.define("year = 365.25 * day = yr = julian_year")
ureg.define("kilotonne = 1e3 * metric_ton = kt")
ureg.define("megatonne = 1e6 * metric_ton = Mt")
ureg.define("kilogram_REO = [oxide_mass] = kg_REO")
ureg.define("tonne_REO = 1e3 * kilogram_REO = t_REO")
ureg.define("kilotonne_REO = 1e6 * kilogram_REO = kt_REO")
ureg.define("megatonne_REO = 1e9 * kilogram_REO = Mt_REO")
ureg.define("person = [headcount]")
ureg.formatter.default_format = "~P"
Q_ = ureg.Quantity
pint.set_application_registry(ureg)


class MoneyError(InputError):
    """Money without a currency or cost year, or a conversion that needs an FX context."""


def money_unit(currency: str, year: int) -> str:
    """Return (and register if needed) the unit name of a currency in a cost year.

    Parameters
    ----------
    currency : str
        ISO code, one of :data:`CURRENCIES`.
    year : int
        Cost year [calendar year].

    Returns
    -------
    str
        The unit name, e.g. ``"RUB_2025"``.
    """
    if currency not in CURRENCIES:
        raise MoneyError(f"unknown currency {currency!r} (expected one of {', '.join(CURRENCIES)})")
    year = int(year)
    if not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
        raise MoneyError(f"cost year {year} out of range (expected {YEAR_RANGE[0]}..{YEAR_RANGE[1]})")
    name = f"{currency}_{year}"
    if name not in _defined_money:
        ureg.define(f"{name} = [money_{name}]")
        _defined_money.add(name)
    return name


_defined_money: set[str] = set()
for _currency in CURRENCIES:
    for _year in range(1990, 2061):
        money_unit(_currency, _year)


def split_money_unit(name: str) -> tuple[str, int]:
    """Split ``"RUB_2025"`` into ``("RUB", 2025)``; raise :class:`MoneyError` otherwise."""
    match = MONEY_UNIT.match(name)
    if not match or match["currency"] not in CURRENCIES:
        raise MoneyError(
            f"{name!r} is not money (expected CURRENCY_YEAR such as USD_2024 with currency in "
            f"{', '.join(CURRENCIES)})"
        )
    return match["currency"], int(match["year"])


def money_units_of(quantity: pint.Quantity) -> dict[str, float]:
    """Money units in a quantity's units with their exponents, e.g. ``{"USD_2024": 1}``."""
    return {
        name: exp
        for name, exp in quantity.unit_items()
        if MONEY_UNIT.match(name) and name in _defined_money
    }


def register_money_units(text: str) -> None:
    """Register every ``CUR_YEAR`` money unit named in a unit expression (years outside the
    pre-registered range included); raise :class:`MoneyError` for an unknown currency."""
    for code, year in MONEY_TOKEN.findall(text):
        money_unit(code, int(year))


MONEY_TOKEN = re.compile(r"\b([A-Z]{3})_(\d{4})\b")


MAX_VALUE_LENGTH = 100
"""Longest quantity string accepted [characters]: pint's string handling is quadratic in the
length, so a long value (a 200,000-digit number) would hang the parser."""

_QUANTITY = re.compile(r"^\s*(?P<number>[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)"
                       r"(?P<unit>.*?)\s*$", re.DOTALL)
_UNIT_TOKEN = re.compile(r"\s*(?:(?P<name>[A-Za-z_%][A-Za-z0-9_]*)|(?P<power>\*\*|\^)"
                         r"|(?P<op>[*/])|(?P<paren>[()])|(?P<int>\d+)|(?P<other>\S))")


def _check_unit_expression(text: str, unit: str) -> None:
    """Refuse a unit expression that is more than unit names joined by ``*``, ``/``, spaces,
    parentheses and small integer powers (``m**3``, ``1/yr``, ``USD_2024/(t*km)``): pint evaluates
    arithmetic, so ``"9**9**9 t/yr"`` would otherwise be computed (and hang)."""
    depth, previous = 0, "start"
    for match in _UNIT_TOKEN.finditer(unit):
        kind = match.lastgroup
        token = match[kind]
        if kind == "other":
            raise InputError(f"{text!r}: {token!r} is not allowed in a unit (expected a number "
                             "and a unit such as '2600 t/yr', no arithmetic)")
        if kind == "power" and previous not in ("name", ")"):
            raise InputError(f"{text!r}: operators are not allowed in the number (expected a "
                             "plain number and a unit such as '2600 t/yr')")
        small_power = previous == "power" and len(token) <= 2
        reciprocal = previous in ("start", "op", "(") and token == "1"  # as in "1/yr"
        if kind == "int" and not (small_power or reciprocal):
            raise InputError(f"{text!r}: numbers inside the unit are not allowed (expected "
                             "a plain number and a unit such as '2600 t/yr')")
        if kind == "paren":
            depth += 1 if token == "(" else -1
            if not 0 <= depth <= 3:
                raise InputError(f"{text!r}: unbalanced or too deep parentheses in the unit")
            kind = token
        elif previous == "power" and kind != "int":
            raise InputError(f"{text!r}: a unit power must be a small integer (e.g. 'm**3')")
        previous = kind
    if depth or previous in ("power", "op", "("):
        raise InputError(f"{text!r}: incomplete unit expression (expected e.g. '2600 t/yr')")


def parse_quantity(text: str) -> pint.Quantity:
    """Parse a string such as ``"700e9 RUB_2025"`` or ``"2600 t/yr"`` into a quantity.

    The value must be a plain number followed by a unit expression (unit names, ``*``, ``/``,
    parentheses, small integer powers); arithmetic is refused, not evaluated, and so is a value
    longer than :data:`MAX_VALUE_LENGTH` characters.  Money units for years outside the
    pre-registered range are registered on the fly.

    Raises
    ------
    InputError
        If the text is not a number followed by a unit expression the registry knows.
    """
    if not isinstance(text, str) or not text.strip():
        raise InputError("expected a number with a unit, such as '2600 t/yr'")
    if len(text) > MAX_VALUE_LENGTH:
        raise InputError(f"value of {len(text):,} characters is too long (expected at most "
                         f"{MAX_VALUE_LENGTH}, a number and a unit such as '2600 t/yr')")
    match = _QUANTITY.match(text)
    if not match:
        raise InputError(f"{text!r} does not start with a number (expected e.g. '2600 t/yr')")
    number, unit = match["number"], match["unit"].strip()
    if re.match(r"\s*[-+*/^.\d(]", match["unit"]) and not re.match(r"\s+1\s*/", match["unit"]):
        raise InputError(f"{text!r}: operators are not allowed in the number (expected a plain "
                         "number and a unit such as '2600 t/yr')")
    _check_unit_expression(text, unit)
    bare = [c for c in re.findall(r"\b([A-Z]{3})\b(?!_)", unit) if c in CURRENCIES]
    if bare:
        raise MoneyError(f"{text!r}: money needs a cost year (expected e.g. '{bare[0]}_2024')")
    register_money_units(unit)
    try:
        value = ureg.Quantity(float(number), unit or "dimensionless")
    except (pint.errors.UndefinedUnitError, pint.errors.DefinitionSyntaxError) as exc:
        raise InputError(f"unknown unit in {text!r} ({exc})") from None
    except Exception as exc:  # tokenizer errors from pint's parser
        raise InputError(f"cannot parse {text!r} as a quantity ({exc})") from None
    return value


def check_dimension(quantity: pint.Quantity, expected: str) -> pint.Quantity:
    """Return ``quantity`` if it has the dimension of the unit expression ``expected``.

    Money in ``expected`` matches money of any currency and year (``USD_2024/t`` accepts
    ``RUB_2025/kg``).

    Raises
    ------
    pint.DimensionalityError
        If the dimensions differ.
    """
    reference = ureg.Quantity(1, expected)
    if _money_free_dimensionality(quantity) != _money_free_dimensionality(reference) or (
        _money_power(quantity) != _money_power(reference)
    ):
        raise pint.DimensionalityError(quantity.units, reference.units)
    return quantity


def _money_power(quantity: pint.Quantity) -> float:
    return sum(money_units_of(quantity).values())


def _money_free_dimensionality(quantity: pint.Quantity):
    dims = dict(quantity.dimensionality)
    return {k: v for k, v in dims.items() if not k.startswith("[money_")}


def fmt(quantity: pint.Quantity, digits: int = 4) -> str:
    """Short display of a quantity: ``700 bn RUB_2025``, ``3,000 t_REO/yr``."""
    value = float(quantity.magnitude)
    unit = f"{quantity.units:~P}"
    for scale, word in ((1e12, "tn"), (1e9, "bn"), (1e6, "M")):
        if abs(value) >= scale and money_units_of(quantity):
            return f"{value / scale:,.{digits}g} {word} {unit}"
    text = f"{value:,.{digits}g}" if abs(value) < 10 ** digits else f"{value:,.0f}"
    return f"{text} {unit}"
