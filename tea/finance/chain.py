"""Cash flows of a chain of plants: tables summed year by year, and sampled net cash flows.

A chain's cash flow is the sum of its plants' cash flows on a common calendar; all plants must be
in the same currency-year and terms (convert their inputs first with tea.money.MoneyContext).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pint

from tea.errors import InputError
from tea.finance.cashflow import CASH_LINES, PlantCashFlowInputs, cash_flow_arrays, cash_flow_table
from tea.units import ureg


def chain_cash_flows(plants: Sequence[PlantCashFlowInputs | pd.DataFrame]) -> pd.DataFrame:
    """Sum the cash-flow tables of several plants year by year.

    Parameters
    ----------
    plants : sequence of PlantCashFlowInputs or cash-flow DataFrames
        All in the same currency and terms.

    Returns
    -------
    pandas.DataFrame
        One row per year over the union of the plants' years; the summed lines and one
        ``net_cash_flow:<plant>`` column per plant. ``attrs`` as :func:`cash_flow_table`.
    """
    tables = [p if isinstance(p, pd.DataFrame) else cash_flow_table(p) for p in plants]
    if not tables:
        raise InputError("a chain needs at least one plant", key="plants")
    currencies = {t.attrs.get("currency") for t in tables}
    terms = {t.attrs.get("terms") for t in tables}
    if len(currencies) != 1 or len(terms) != 1:
        raise InputError(f"chain plants must share one currency and terms, got "
                         f"{sorted(map(str, currencies))} / {sorted(map(str, terms))}; convert "
                         "the inputs first", key="currency")
    years = np.arange(min(t["year"].min() for t in tables), max(t["year"].max() for t in tables)
                      + 1)
    total = pd.DataFrame({"year": years}).set_index("year")
    names = []
    for table in tables:
        frame = table.set_index("year").reindex(years, fill_value=0.0)
        for column in frame.columns:
            total[column] = total.get(column, 0.0) + frame[column]
        name = table.attrs.get("plant", f"plant{len(names)}")
        names.append(name)
        total[f"net_cash_flow:{name}"] = frame["net_cash_flow"]
    total = total.reset_index()
    order = ["year", *CASH_LINES, "net_cash_flow"]
    total = total[order + [c for c in total.columns if c not in order]]
    total.attrs.update(currency=currencies.pop(), terms=terms.pop(), plant="chain", plants=names,
                       cash_lines=list(CASH_LINES))
    return total


def chain_arrays(plants: Sequence[PlantCashFlowInputs]) -> dict[str, np.ndarray]:
    """Net cash flows of several plants summed on a common calendar, with samples.

    Returns
    -------
    dict
        ``year`` (1-D) and ``net_cash_flow`` of shape ``(samples, years)`` [currency/yr], and
        ``currency``.
    """
    if not plants:
        raise InputError("a chain needs at least one plant", key="plants")
    currencies = {p.currency for p in plants}
    if len(currencies) != 1 or len({p.terms for p in plants}) != 1:
        raise InputError("chain plants must share one currency and terms", key="currency")
    arrays = [cash_flow_arrays(p) for p in plants]
    first = min(int(a["year"][0]) for a in arrays)
    last = max(int(a["year"][-1]) for a in arrays)
    n_s = int(np.broadcast_shapes(*[a["net_cash_flow"].shape[:1] for a in arrays])[0])
    total = np.zeros((n_s, last - first + 1))
    for a in arrays:
        k = int(a["year"][0]) - first
        total[:, k:k + a["year"].size] += a["net_cash_flow"]
    return {"year": np.arange(first, last + 1), "net_cash_flow": total,
            "currency": currencies.pop()}


def money_column(table: pd.DataFrame, column: str) -> pint.Quantity:
    """A money column of a cash-flow table as a pint quantity [currency/yr]."""
    return ureg.Quantity(table[column].to_numpy(), f"{table.attrs['currency']}/yr")


__all__ = ["chain_cash_flows", "chain_arrays", "money_column"]
