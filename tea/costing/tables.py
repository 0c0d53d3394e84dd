"""Cost lines and cost tables with a basis column.

A :class:`CostLine` is one amount of money (or money per year) with the words that say where it
comes from. :func:`cost_table` puts lines in one currency-year into a DataFrame with the columns
``item``, ``category``, ``amount``, ``unit`` and ``basis`` and, by default, a last ``total`` row
that is the sum of the lines (a test checks this identity).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pint

from tea.errors import InputError
from tea.money import require_money
from tea.units import ureg

TOTAL = "total"


@dataclass(frozen=True)
class CostLine:
    """One line of a cost table.

    Parameters
    ----------
    item : str
        What is costed, e.g. ``"separation plant (scaled)"``.
    amount : pint.Quantity
        Money or money per year, e.g. ``Q_(1.2e8, "USD_2024")`` [money or money/yr]; an array
        holds one value per sample.
    basis : str
        How the amount was obtained, in words, with its sources.
    category : str
        Group of the line (``direct``, ``adjustment``, ``reagent``, ``labour``, ...).
    """

    item: str
    amount: pint.Quantity
    basis: str
    category: str = ""

    def __post_init__(self):
        require_money(self.amount, f"cost line {self.item!r}")


def _format_unit(quantity: pint.Quantity) -> str:
    return f"{quantity.units:~P}".replace(" ", "")


def cost_table(lines: Sequence[CostLine], total: bool = True, sample: int | None = None
               ) -> pd.DataFrame:
    """A cost table from lines that share one unit.

    Parameters
    ----------
    lines : sequence of CostLine
        All with the same unit (e.g. ``USD_2024`` or ``USD_2024/yr``).
    total : bool
        Append a ``total`` row equal to the sum of the lines.
    sample : int, optional
        For lines holding arrays of samples: the sample to show; default the mean over samples
        (the ``attrs["total"]`` keeps all samples).

    Returns
    -------
    pandas.DataFrame
        Columns ``item``, ``category``, ``amount``, ``unit``, ``basis``; ``attrs["unit"]`` and
        ``attrs["total"]`` (a pint quantity, all samples).

    Raises
    ------
    InputError
        If there are no lines or they do not share one unit.
    """
    if not lines:
        raise InputError("a cost table needs at least one line", key="lines")
    unit = lines[0].amount.units
    for line in lines:
        if line.amount.units != unit:
            raise InputError(f"cost line {line.item!r} is in {line.amount.units}, the table in "
                             f"{unit}; convert it first", key=line.item)
    rows = []
    magnitude_sum = 0.0
    for line in lines:
        values = np.asarray(line.amount.magnitude, dtype=float)
        magnitude_sum = magnitude_sum + values
        shown = values if values.ndim == 0 else (values[sample] if sample is not None
                                                 else values.mean())
        rows.append({"item": line.item, "category": line.category, "amount": float(shown),
                     "unit": _format_unit(line.amount), "basis": line.basis})
    table = pd.DataFrame(rows, columns=["item", "category", "amount", "unit", "basis"])
    if total:
        table.loc[len(table)] = {"item": TOTAL, "category": TOTAL,
                                 "amount": float(table["amount"].sum()),
                                 "unit": _format_unit(lines[0].amount),
                                 "basis": "sum of the lines above"}
    table.attrs["unit"] = str(unit)
    table.attrs["total"] = ureg.Quantity(magnitude_sum, unit)
    return table


def lines_of(table: pd.DataFrame) -> pd.DataFrame:
    """The table without its total row."""
    return table[table["item"] != TOTAL]


def table_total(table: pd.DataFrame) -> pint.Quantity:
    """Sum of a cost table's lines (without the total row) as a quantity [table unit]."""
    return ureg.Quantity(float(lines_of(table)["amount"].sum()), table.attrs["unit"])


def format_table(table: pd.DataFrame, scale: float = 1e6, label: str = "M") -> str:
    """Plain-text rendering with amounts divided by ``scale`` (default millions)."""
    shown = table.copy()
    shown["amount"] = shown["amount"].map(lambda v: f"{v / scale:,.2f}")
    shown["unit"] = shown["unit"].map(lambda u: f"{label} {u}" if label else u)
    return shown.to_string(index=False, justify="left")


__all__ = ["CostLine", "TOTAL", "cost_table", "lines_of", "table_total", "format_table"]
