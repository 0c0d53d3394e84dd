"""Parsing the downstream input tables: metal making, magnet grades, magnet route, recycling.

The tables arrive as :class:`tea.tables.Rows` (read by :mod:`tea.config.inputs`).  This module
only parses text into numbers and checks them; the process modules turn the rows into their own
dataclasses.  Every problem raises :class:`tea.errors.InputError` naming the file and the field.
"""

from __future__ import annotations

import math
from pathlib import Path

from tea.errors import InputError
from tea.tables import Rows


def number(text: str, file: str | Path | None = None, key: str | None = None,
           default: float | None = None) -> float:
    """Parse a finite number; an empty cell gives ``default`` if one is given."""
    if text == "" and default is not None:
        return default
    try:
        value = float(text)
    except (TypeError, ValueError):
        raise InputError(f"expected a number, got {text!r}", file=_s(file), key=key) from None
    if not math.isfinite(value):
        raise InputError(f"expected a finite number, got {text!r}", file=_s(file), key=key)
    return value


def check_yield(value: float, file: str | Path | None = None, key: str | None = None) -> float:
    """Return ``value`` if it is a yield in (0, 1]; raise :class:`InputError` otherwise."""
    value = float(value)
    if not (math.isfinite(value) and 0.0 < value <= 1.0):
        raise InputError(f"yield must lie in (0, 1], got {value}", file=_s(file), key=key)
    return value


def check_fraction(value: float, file: str | Path | None = None, key: str | None = None) -> float:
    """Return ``value`` if it is a fraction in [0, 1]; raise :class:`InputError` otherwise."""
    value = float(value)
    if not (math.isfinite(value) and 0.0 <= value <= 1.0):
        raise InputError(f"expected a fraction in [0, 1], got {value}", file=_s(file), key=key)
    return value


def check_nonnegative(value: float, file: str | Path | None = None, key: str | None = None) -> float:
    """Return ``value`` if it is finite and >= 0; raise :class:`InputError` otherwise."""
    value = float(value)
    if not (math.isfinite(value) and value >= 0.0):
        raise InputError(f"expected a number >= 0, got {value}", file=_s(file), key=key)
    return value


def parameter_table(table: Rows, group_cols: tuple[str, ...]) -> dict[tuple[str, ...], float]:
    """A long table ``(*group_cols, parameter, value, unit, source)`` as ``{(*groups, parameter): value}``.

    Raises
    ------
    InputError
        On a missing source, a non-numeric value or a duplicated key.
    """
    path = table.file
    rows = table.require((*group_cols, "parameter", "value", "unit", "source"))
    out: dict[tuple[str, ...], float] = {}
    for i, row in enumerate(rows, start=1):
        key = tuple(row[c] for c in group_cols) + (row["parameter"],)
        where = ".".join(key)
        if not row["source"]:
            raise InputError("every value needs a source or 'assumption'", file=path,
                             key=f"row {i} ({where}).source")
        if key in out:
            raise InputError("duplicated parameter", file=path, key=where)
        out[key] = number(row["value"], path, f"{where}.value")
    return out


def _s(file):
    return None if file is None else str(file)
