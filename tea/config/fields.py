"""Field readers for model files: each checks one value and names the file and key on error.

A :class:`Reader` wraps one TOML table (a dict) with its dotted path and the file name; its methods
take a key, check the value's type, dimension or range, mark the key as used, and raise
:class:`tea.errors.InputError` as ``FILE: KEY: what is wrong (expected ...)``.  After reading a table,
:meth:`Reader.finish` refuses any key that was not read (unknown keys are errors, not ignored).

Quantities are converted here, once, to their base unit: the unit expression the reader is given
(``"t_REO/yr"``, ``"km"``, ``"USD_2024/t"``), with any money in it read as the value's own currency
and cost year (``"2.5 RUB_2025/kg"`` read against ``"USD_2024/t"`` gives ``2500 RUB_2025/t``;
currencies and cost years are converted later, by :class:`tea.money.MoneyContext`).  Money takes no
unit prefix: ``"7.2e6 kRUB_2024"`` is refused (pint would read ``k`` as kilo and ``m`` as milli,
which tea's money units do not follow).
"""

from __future__ import annotations

import math
import re
from typing import Any

from tea.errors import InputError

_MISSING = object()

MAX_MAGNITUDE = 1e12
"""Largest magnitude of a physical quantity in its base unit (t/yr, t_REO/yr, km, yr, Mt ...):
the world mines some 0.4 Mt of REO a year, so 1e12 t/yr is far beyond any real input, while
values of 1e300 would make the solver's rows unusable."""

MAX_MONEY = 1e15
"""Largest money amount (per its unit) in the value's own currency: 1e15 RUB is about 12 tn USD."""

MAX_DEPTH = 8
"""Deepest nesting of tables and arrays in a model file (the format needs 4:
``plants.ID.builds.YEAR``); deeper values are refused before any recursion."""


class Reader:
    """Typed, checked access to one table of a model file.

    Parameters
    ----------
    table : dict
        The parsed TOML table.
    file : str
        Model file name, for messages.
    path : str
        Dotted key of the table (``""`` for the top level).
    """

    def __init__(self, table: Any, file: str, path: str = ""):
        if not isinstance(table, dict):
            raise InputError(f"expected a table, got {_kind(table)}", file, path or "(top level)")
        self.table, self.file, self.path = table, file, path
        self.used: set[str] = set()

    # -- helpers --------------------------------------------------------------------------------
    def key(self, name: str) -> str:
        """Dotted path of a key in this table."""
        return f"{self.path}.{name}" if self.path else name

    def error(self, name: str, message: str) -> InputError:
        return InputError(message, self.file, self.key(name))

    def _get(self, name: str, default: Any) -> Any:
        self.used.add(name)
        if name in self.table:
            return self.table[name]
        if default is _MISSING:
            raise self.error(name, "missing (required key)")
        return default

    def has(self, name: str) -> bool:
        return name in self.table

    def sub(self, name: str, required: bool = True) -> Reader | None:
        """A reader for a sub-table (``None`` if optional and absent)."""
        value = self._get(name, _MISSING if required else None)
        if value is None:
            return None
        return Reader(value, self.file, self.key(name))

    def finish(self) -> None:
        """Refuse keys that were not read."""
        unknown = sorted(set(self.table) - self.used)
        if unknown:
            known = ", ".join(sorted(self.used))
            raise self.error(unknown[0], f"unknown key (expected one of: {known})")

    # -- scalar readers -------------------------------------------------------------------------
    def text(self, name: str, default: Any = _MISSING, choices: tuple[str, ...] | None = None) -> str:
        value = self._get(name, default)
        if value is None:
            return value
        if not isinstance(value, str) or not value.strip():
            raise self.error(name, f"expected a non-empty string, got {_kind(value)}")
        if choices and value not in choices:
            raise self.error(name, f"{value!r} is not allowed (expected one of: {', '.join(choices)})")
        return value

    def integer(self, name: str, default: Any = _MISSING, minimum: int | None = None,
                maximum: int | None = None) -> int:
        value = self._get(name, default)
        if value is None:
            return value
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(name, f"expected an integer, got {_kind(value)}")
        _range(self, name, value, minimum, maximum)
        return value

    def number(self, name: str, default: Any = _MISSING, minimum: float | None = None,
               maximum: float | None = None, exclusive_min: bool = False) -> float:
        value = self._get(name, default)
        if value is None:
            return value
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise self.error(name, f"expected a finite number, got {_kind(value)}")
        if exclusive_min and minimum is not None and value <= minimum:
            raise self.error(name, f"{value} is out of range (expected > {minimum})")
        _range(self, name, value, None if exclusive_min else minimum, maximum)
        return float(value)

    def fraction(self, name: str, default: Any = _MISSING) -> float:
        """A rate or share in [0, 1] (fractions, never percents)."""
        value = self._get(name, default)
        if value is None:
            return value
        return fraction_value(self, name, value)

    def flag(self, name: str, default: Any = _MISSING) -> bool:
        value = self._get(name, default)
        if not isinstance(value, bool):
            raise self.error(name, f"expected true or false, got {_kind(value)}")
        return value

    def text_list(self, name: str, default: Any = _MISSING) -> list[str]:
        value = self._get(name, default)
        if value is None:
            return value
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.error(name, "expected a list of strings")
        return list(value)

    def quantity(self, name: str, dimension: str, default: Any = _MISSING,
                 minimum: float | None = None, positive: bool = False, money: bool = False):
        """A value with units, given as a string such as ``"2600 t/yr"``, in its base unit.

        Parameters
        ----------
        dimension : str
            The base unit: a unit expression with the expected dimension, e.g. ``"t/yr"``; money
            parts match any currency-year (``"USD_2024/t"`` accepts ``"RUB_2025/kg"``).  The value
            is returned in this unit, its money part in the value's own currency-year
            (``"2.5 RUB_2025/kg"`` -> ``2500 RUB_2025/t``).
        minimum : float, optional
            Smallest allowed magnitude (0 or a bound in the base unit).
        positive : bool
            Require a magnitude > 0.
        money : bool
            Require a currency-year unit in the value.
        """
        value = self._get(name, default)
        if value is None or (name not in self.table and not isinstance(value, str)):
            return value
        return quantity_value(self, name, value, dimension, minimum, positive, money)


def fraction_value(reader: Reader, name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise reader.error(name, f"expected a fraction between 0 and 1, got {_kind(value)}")
    if not 0.0 <= value <= 1.0:
        raise reader.error(name, f"{value} is outside [0, 1] (expected a fraction, not a percent)")
    return float(value)


def quantity_value(reader: Reader, name: str, value: Any, dimension: str,
                   minimum: float | None = None, positive: bool = False, money: bool = False):
    """Parse, check and convert one quantity string to its base unit (see
    :meth:`Reader.quantity`)."""
    import pint

    from tea.units import check_dimension, money_units_of, parse_quantity

    if not isinstance(value, str):
        raise reader.error(name, f"expected a string with units such as '1 {dimension}', got "
                                 f"{_kind(value)}")
    try:
        parsed = parse_quantity(value)
    except InputError as exc:
        raise reader.error(name, exc.message) from None
    except ValueError as exc:
        raise reader.error(name, f"{exc} (expected units of {dimension})") from None
    unprefixed = _without_money_prefix(parsed)
    if unprefixed is not None:
        raise reader.error(name, f"{value!r}: money takes no unit prefix (expected "
                                 f"'{unprefixed.magnitude:.6g} {unprefixed.units:~P}')")
    try:
        check_dimension(parsed, dimension)
    except pint.DimensionalityError:
        raise reader.error(name, f"{value!r} has the wrong dimension (expected units of {dimension})"
                           ) from None
    if money and not money_units_of(parsed):
        raise reader.error(name, f"{value!r} has no currency and cost year (expected e.g. "
                                 f"'1 {dimension}' with a unit like USD_2024)")
    if len(money_units_of(parsed)) > 1:
        raise reader.error(name, f"{value!r} holds more than one money unit (expected one "
                                 "currency and cost year)")
    magnitude = parsed.magnitude
    if not math.isfinite(magnitude):
        raise reader.error(name, f"{value!r} is not finite")
    if positive and magnitude <= 0:
        raise reader.error(name, f"{value!r} must be positive (expected > 0)")
    base = to_base_unit(parsed, dimension)
    if minimum is not None and base.magnitude < minimum:
        raise reader.error(name, f"{value!r} must not be negative (expected >= {minimum})")
    limit = MAX_MONEY if money_units_of(parsed) else MAX_MAGNITUDE
    if abs(base.magnitude) > limit:
        raise reader.error(name, f"{value!r} is beyond the range the model accepts (expected at "
                                 f"most {limit:.0e} {base.units:~P})")
    return base


def base_unit(quantity, dimension: str) -> str:
    """The base unit of a checked quantity: ``dimension`` with its money unit replaced by the
    quantity's own currency-year (``"USD_2024/t"`` for ``2.5 RUB_2025/kg`` -> ``"RUB_2025/t"``)."""
    from tea.units import MONEY_TOKEN, money_units_of

    owned = list(money_units_of(quantity))
    if not MONEY_TOKEN.search(dimension) or len(owned) != 1:
        return dimension
    return MONEY_TOKEN.sub(owned[0], dimension)


def to_base_unit(quantity, dimension: str):
    """``quantity`` (checked to have the dimension of ``dimension``) in its base unit."""
    return quantity.to(base_unit(quantity, dimension))


def _without_money_prefix(quantity):
    """``quantity`` with its prefixed money units (``kRUB_2024``) unprefixed, or ``None`` if it
    has none."""
    from tea.units import MONEY_UNIT, ureg

    units, prefixed = quantity.units, False
    for name, exponent in quantity.unit_items():
        if MONEY_UNIT.match(name):
            continue
        for prefix, unit, _suffix in ureg.parse_unit_name(name):
            if prefix and MONEY_UNIT.match(unit):
                units = units / ureg.Unit(name) ** exponent * ureg.Unit(unit) ** exponent
                prefixed = True
                break
    return quantity.to(units) if prefixed else None


def _range(reader: Reader, name: str, value: float, minimum, maximum) -> None:
    text = _kind(value).split(" ", 1)[1]
    if minimum is not None and value < minimum:
        raise reader.error(name, f"{text} is out of range (expected >= {minimum})")
    if maximum is not None and value > maximum:
        raise reader.error(name, f"{text} is out of range (expected <= {maximum})")


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    if len(text) > 60:
        text = f"{text[:40]}... ({len(text):,} characters)"
    return f"{type(value).__name__} {text}"


def check_depth(value: Any, file: str, key: str = "") -> None:
    """Refuse tables and arrays nested deeper than :data:`MAX_DEPTH` (walked without recursion),
    naming the dotted key where the limit is passed."""
    stack = [(value, key, 0)]
    while stack:
        item, path, depth = stack.pop()
        if isinstance(item, dict):
            children = [(v, f"{path}.{k}" if path else str(k)) for k, v in item.items()]
        elif isinstance(item, list):
            children = [(v, f"{path}[{i}]") for i, v in enumerate(item)]
        else:
            continue
        if depth >= MAX_DEPTH:
            raise InputError(f"tables or arrays nested deeper than {MAX_DEPTH} levels (the model "
                             "format needs at most 4)", file, _short(path) or "(top level)")
        stack.extend((v, p, depth + 1) for v, p in children)


def deepest_value(text: str) -> tuple[int, str] | None:
    """Line and key of the first value nested deeper than :data:`MAX_DEPTH` in TOML text, found
    by counting brackets outside strings and comments (no recursion), or ``None``."""
    depth, table, key, quote, line = 0, "", "", None, 1
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\n":
            line += 1
        if quote:
            if ch == "\\" and quote == '"':
                i += 2
                continue
            if ch == quote or (ch == "\n" and quote in "\"'"):
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        elif ch in "[{":
            if depth == 0:
                start = text.rfind("\n", 0, i) + 1
                head = text[start:i].strip()
                if head.endswith("="):
                    key = head[:-1].strip()
                else:
                    end = text.find("\n", i)
                    table = text[i:end if end >= 0 else n].strip("[] \t\r")[:80]
                    key = ""
            depth += 1
            if depth > MAX_DEPTH:
                return line, ".".join(p for p in (table, key) if p)
        elif ch in "]}":
            depth = max(depth - 1, 0)
        i += 1
    return None


def _short(key: str) -> str:
    return key if len(key) <= 80 else f"{key[:60]}..."


ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]+$")
"""Identifiers of sites, deposits, products and plants: letters, digits, ``_`` and ``-``, so that
a file name built from one (``cash_flow_{plant}.csv``) cannot leave its folder."""



def named_tables(top: Reader, section: str, required: bool = True):
    """The entries ``[section.ID]`` of a table as (ID, Reader) pairs, each ID checked against
    :data:`ID_PATTERN` (no ID can name a path outside an output folder)."""
    tables = top.sub(section, required=required)
    if tables is None:
        return []
    if required and not tables.table:
        raise top.error(section, "is empty (expected at least one entry)")
    out = []
    for ident in tables.table:
        if not ID_PATTERN.match(ident):
            raise tables.error(ident, f"{ident[:40]!r} is not a valid identifier (expected "
                                      "letters, digits, '_' and '-' only)")
        out.append((ident, tables.sub(ident)))
    return out
