"""Cost curves across models: supply cost curve, purity-cost curve, budget Pareto curve.

``tea.analysis.run.supply_curves`` optimizes each model and places its domestic oxide products (capacity = the
largest yearly output of the plan, cost = the plan's levelized cost, labelled with the model's
``region``) beside the published references of the ``reference_costs`` input table.

Each row of a supply curve has a ``kind``: ``model`` (a model's own option), ``production_cost``
(a published project cost), ``derived`` (a number computed from others, not published) or
``market_price`` (a traded or guaranteed price). Models, production costs and derived rows are
supply steps (capacity x cost, :func:`supply_steps`); market prices are reference lines
(:func:`price_lines`), never steps. The ``drawn as`` column says which, per row.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tea.config.reference_costs import (
    CAP,
    COST,
    DRAWN,
    KIND,
    KINDS,
    LINE,
    REFERENCE_COLUMNS,
    STEP,
    YEAR,
)

MODEL = "model"
STEP_KINDS = (MODEL, "production_cost", "derived")
"""Kinds drawn as supply steps (a frame without a ``kind`` column is all steps)."""
START, END = "from [t/yr]", "to [t/yr]"
__all__ = ["CAP", "COST", "DRAWN", "KIND", "KINDS", "LINE", "REFERENCE_COLUMNS", "STEP", "YEAR",
           "MODEL", "STEP_KINDS", "START", "END", "supply_frame"]


def supply_frame(model_frames, references: pd.DataFrame) -> pd.DataFrame:
    """The models' rows (kind ``model``, drawn as steps, no year) beside the references (the
    ``reference_costs`` input table, :func:`tea.config.reference_costs.parse_reference_costs`),
    cheapest first within each product."""
    frames = []
    for frame in model_frames:
        if frame is not None and not frame.empty:
            frame = frame.copy()
            frame[KIND], frame[YEAR], frame[DRAWN] = MODEL, "", STEP
            frames.append(frame)
    frames.append(references)
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
