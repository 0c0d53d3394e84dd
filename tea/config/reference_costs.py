"""The published costs and prices a supply curve is drawn beside (the ``reference_costs`` table).

Each row is a published project cost (``production_cost``), a traded or guaranteed price
(``market_price``) or a number computed from others (``derived``), with its source; the supply
curves of :mod:`tea.analysis.curves` draw them beside the models.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tea.errors import InputError
from tea.tables import Rows

REFERENCE_COLUMNS = ("project", "region", "product", "kind", "capacity_t_per_yr",
                     "cost_usd_per_kg", "year", "source")
KINDS = ("production_cost", "market_price", "derived")
"""The kinds a row of ``reference_costs.csv`` may have."""
CAP, COST = "capacity [t/yr]", "levelized cost [USD/kg]"
KIND, YEAR, DRAWN = "kind", "year", "drawn as"
STEP, LINE = "supply step", "price line"


def parse_reference_costs(table: Rows) -> pd.DataFrame:
    """The ``reference_costs`` table as supply-curve rows.

    Returns
    -------
    DataFrame
        option (``project, year``; ``project, derived`` for a derived row), region, product, kind, year, capacity [t/yr] (NaN for a market
        price), levelized cost [USD/kg] (the published cost or price) and ``drawn as``: a supply
        step, a price line, or not drawn when a later estimate of the same project supersedes it.

    Raises
    ------
    InputError
        One line naming the file, the row and the column: a missing column, an unknown kind, a
        cost, capacity or year that is not a number in range, a missing source, a repeated row.
    """
    path = table.file
    rows = table.require(require_rows=True)
    missing = [c for c in REFERENCE_COLUMNS if c not in rows[0]]
    if missing:
        raise InputError(f"missing column; expected the columns {', '.join(REFERENCE_COLUMNS)}",
                         file=path, key=", ".join(missing))
    out, seen = [], set()
    for n, row in enumerate(rows, start=1):
        label = f"row {n} ({row['project']!r})"

        def fail(column: str, expected: str, label=label, row=row) -> InputError:
            return InputError(f"{label}: expected {expected}, got {row[column]!r}",
                              file=path, key=column)

        if not row["project"]:
            raise fail("project", "a project or price name")
        kind = row["kind"]
        if kind not in KINDS:
            raise fail("kind", f"one of {', '.join(KINDS)}")
        cost = _number(row["cost_usd_per_kg"])
        if not (cost is not None and cost > 0):
            raise fail("cost_usd_per_kg", "a cost > 0 [US$/kg]")
        year = _number(row["year"])
        if year is None or year != int(year) or not 1990 <= year <= 2100:
            raise fail("year", "the publication year (1990-2100)")
        capacity = _number(row["capacity_t_per_yr"])
        if kind == "market_price":
            if row["capacity_t_per_yr"]:
                raise fail("capacity_t_per_yr", "no capacity for a market price (leave it empty)")
        elif not (capacity is not None and capacity > 0):
            raise fail("capacity_t_per_yr", f"a capacity > 0 [t/yr] for kind {kind}")
        if not row["source"]:
            raise fail("source", "the publication and year (or the derivation) of the figure")
        if not row["product"]:
            raise fail("product", "a product such as NdPr_oxide")
        key = (row["project"], row["product"], kind, int(year))
        if key in seen:
            raise InputError(f"{label}: repeats project, product, kind and year of an earlier row",
                             file=path, key="project")
        seen.add(key)
        tag = "derived" if kind == "derived" else str(int(year))
        out.append({"option": f"{row['project']}, {tag}", "project": row["project"],
                    "region": row["region"], "product": row["product"], KIND: kind,
                    YEAR: int(year), CAP: capacity if kind != "market_price" else np.nan,
                    COST: cost})
    frame = pd.DataFrame(out)
    frame[DRAWN] = np.where(frame[KIND] == "market_price", LINE, STEP)
    # a project's earlier estimates of the same product are listed, not drawn beside the latest
    latest = frame.groupby(["project", "product", KIND])[YEAR].transform("max")
    old = (frame[KIND] != "market_price") & (frame[YEAR] < latest)
    frame.loc[old, DRAWN] = [f"not drawn: superseded by the {y} figure" for y in latest[old]]
    return frame.drop(columns="project")


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if np.isfinite(value) else None
