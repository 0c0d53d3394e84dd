"""Cost curves across models: supply cost curve, purity-cost curve, budget Pareto curve.

``tea.analysis.run.supply_curves`` optimizes each model and places its domestic oxide products (capacity = the
largest yearly output of the plan, cost = the plan's levelized cost, labelled with the model's
``region``) beside the published references of ``inputs/reference_costs.csv``.

Each row of a supply curve has a ``kind``: ``model`` (a model's own option), ``production_cost``
(a published project cost), ``derived`` (a number computed from others, not published) or
``market_price`` (a traded or guaranteed price). Models, production costs and derived rows are
supply steps (capacity x cost, :func:`supply_steps`); market prices are reference lines
(:func:`price_lines`), never steps. The ``drawn as`` column says which, per row.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from tea.errors import InputError
from tea.tables import INPUTS, read_table

REFERENCE_COSTS = INPUTS / "reference_costs.csv"
REFERENCE_COLUMNS = ("project", "region", "product", "kind", "capacity_t_per_yr",
                     "cost_usd_per_kg", "year", "source")
KINDS = ("production_cost", "market_price", "derived")
"""The kinds a row of ``reference_costs.csv`` may have."""
MODEL = "model"
STEP_KINDS = (MODEL, "production_cost", "derived")
"""Kinds drawn as supply steps (a frame without a ``kind`` column is all steps)."""

CAP, COST = "capacity [t/yr]", "levelized cost [USD/kg]"
KIND, YEAR, DRAWN = "kind", "year", "drawn as"
STEP, LINE = "supply step", "price line"
START, END = "from [t/yr]", "to [t/yr]"


def load_reference_costs(path: Path | str | None = None) -> pd.DataFrame:
    """Read ``inputs/reference_costs.csv`` as supply-curve rows.

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
    path = Path(path) if path else REFERENCE_COSTS
    rows = read_table(path, require_rows=True)
    missing = [c for c in REFERENCE_COLUMNS if c not in rows[0]]
    if missing:
        raise InputError(f"missing column; expected the columns {', '.join(REFERENCE_COLUMNS)}",
                         file=str(path), key=", ".join(missing))
    out, seen = [], set()
    for n, row in enumerate(rows, start=1):
        label = f"row {n} ({row['project']!r})"

        def fail(column: str, expected: str, label=label, row=row) -> InputError:
            return InputError(f"{label}: expected {expected}, got {row[column]!r}",
                              file=str(path), key=column)

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
                             file=str(path), key="project")
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


def supply_frame(model_frames, references: pd.DataFrame | None = None) -> pd.DataFrame:
    """The models' rows (kind ``model``, drawn as steps, no year) beside the references, cheapest
    first within each product."""
    frames = []
    for frame in model_frames:
        if frame is not None and not frame.empty:
            frame = frame.copy()
            frame[KIND], frame[YEAR], frame[DRAWN] = MODEL, "", STEP
            frames.append(frame)
    frames.append(load_reference_costs() if references is None else references)
    supply = pd.concat(frames, ignore_index=True)
    # whole years for the references, blank for the models (shown blank in tables and the CSV)
    supply[YEAR] = [int(y) if isinstance(y, int | float | np.integer) and pd.notna(y) else ""
                    for y in supply[YEAR]]
    supply[YEAR] = supply[YEAR].astype(object)
    columns = ["option", "region", "product", KIND, DRAWN, YEAR, CAP, COST]
    supply = supply[[c for c in columns if c in supply] + [c for c in supply if c not in columns]]
    return supply.sort_values(["product", COST, "option"], kind="stable").reset_index(drop=True)


def _drawn(frame: pd.DataFrame) -> pd.Series:
    """How each row is drawn; a frame without kinds (older output) is all steps."""
    if DRAWN in frame:
        return frame[DRAWN].fillna(STEP).astype(str)
    if KIND in frame:
        return pd.Series(np.where(frame[KIND].isin(STEP_KINDS), STEP, LINE), index=frame.index)
    return pd.Series(STEP, index=frame.index)


def supply_steps(frame: pd.DataFrame, product: str | None = None) -> pd.DataFrame:
    """The supply steps of one product (or all), cheapest first, with their cumulative extent.

    Market prices and superseded estimates are not steps. ``from [t/yr]`` and ``to [t/yr]`` are
    the step's left and right edge on the cumulative-capacity axis (per product).
    """
    if frame.empty:
        return frame.assign(**{START: [], END: []})
    steps = frame[_drawn(frame) == STEP]
    if KIND in steps:
        steps = steps[steps[KIND].fillna(MODEL).isin(STEP_KINDS)]
    if product is not None:
        steps = steps[steps["product"].astype(str) == product]
    steps = steps.dropna(subset=[CAP, COST])
    steps = steps.sort_values(["product", COST, "option"] if "option" in steps
                              else ["product", COST], kind="stable").copy()
    end = steps.groupby("product")[CAP].cumsum()
    steps[START], steps[END] = end - steps[CAP], end
    return steps.reset_index(drop=True)


def price_lines(frame: pd.DataFrame, product: str | None = None) -> pd.DataFrame:
    """The market prices of one product (or all): horizontal reference lines, not supply."""
    if frame.empty or KIND not in frame:
        return frame.iloc[0:0]
    lines = frame[(frame[KIND] == "market_price") & (_drawn(frame) == LINE)]
    if product is not None:
        lines = lines[lines["product"].astype(str) == product]
    return lines.dropna(subset=[COST]).sort_values(COST, kind="stable").reset_index(drop=True)
