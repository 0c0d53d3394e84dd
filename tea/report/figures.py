"""Report figures: one function per PNG, each ``plot_<name>(frame, path, ...) -> Path``.

The drawing lives in :mod:`tea.report.fig_costs` (supply cost curve, purity-cost curve, cost
waterfall), :mod:`tea.report.fig_plan` (build plan, budget Pareto curve) and
:mod:`tea.report.fig_flows` (element flows); shared helpers in :mod:`tea.report.plotting`.
Every function copes with an empty frame by drawing a labelled "no data" figure, and the same
table gives the same PNG bytes.

Column names follow :class:`tea.analysis.bundle.RunBundle`.
"""

from __future__ import annotations

import re
from pathlib import Path

from tea.report.fig_costs import (
    plot_cost_waterfall,
    plot_purity_cost_curve,
    plot_supply_cost_curve,
    purity_label,
)
from tea.report.fig_flows import plot_element_flow_sankey
from tea.report.fig_plan import plot_budget_pareto, plot_build_plan
from tea.report.fig_uncertainty import plot_cost_distribution, plot_tornado
from tea.report.plotting import DPI, PALETTE, REGION_COLOURS
from tea.report.tables import step_cost_table

FIGURES = ("supply_cost_curve", "purity_cost_curve", "build_plan", "element_flow_sankey",
           "cost_waterfall", "budget_pareto", "cost_distribution", "tornado")
"""The figure names (PNG stems) a report holds, in report order."""

_purity_label = purity_label


def pareto_labels(summary: dict) -> dict:
    """Keyword arguments of :func:`plot_budget_pareto` from a run's headline figures.

    ``budget_unit`` from ``summary["budget"]["unit"]``; ``target_year`` from the target (else the
    year of the domestic oxide production); ``objective_unit`` "million USD_<base year>" with the
    base year read from the levelized-cost units (``USD_2025/kg``), else "MUSD of the base year".
    """
    out: dict = {}
    budget = summary.get("budget")
    if isinstance(budget, dict) and budget.get("unit"):
        out["budget_unit"] = str(budget["unit"])
    for key in ("target", "domestic_oxide_production"):
        entry = summary.get(key)
        if isinstance(entry, dict) and entry.get("year") is not None:
            out["target_year"] = int(entry["year"])
            break
    units = [str(v.get("unit", "")) for v in (summary.get("levelized_cost") or {}).values()
             if isinstance(v, dict)]
    years = sorted({m for u in units for m in re.findall(r"USD_(\d{4})", u)})
    if len(years) == 1:
        out["objective_unit"] = f"million USD_{years[0]}"
    return out


HEADLINE = "NdPr_oxide"
"""The product whose cost by chain step the waterfall draws."""


def headline_steps(bundle):
    """``step``, ``cost [<currency>/kg_REO]`` of the headline oxide; its steps add up to its
    levelized cost (:func:`tea.report.tables.step_cost_table`)."""
    steps = step_cost_table(bundle)
    if steps.empty:
        return bundle.waterfall  # no levelized table to share it by: the steps as they are
    return steps[steps["product"] == HEADLINE].drop(columns="product").reset_index(drop=True)


def pareto_in_budget_currency(bundle, labels: dict) -> tuple:
    """The Pareto frame with its objective in the budget's currency (one currency per chart);
    sets ``labels["objective_unit"]`` to that currency. Returns a 1-tuple (the frame)."""
    frame = bundle.pareto
    if frame.empty or not {"budget", "budget_in_unit", "objective"} <= set(frame.columns):
        return (frame,)
    scale = (frame["budget_in_unit"] / frame["budget"]).dropna()
    if scale.empty or "budget_unit" not in labels:
        return (frame,)
    labels["objective_unit"] = labels["budget_unit"]
    frame = frame.assign(objective=frame["objective"] * float(scale.iloc[0]))
    return (frame.rename(columns={"objective": f"objective [{labels['budget_unit']}]"}),)


def write_figures(bundle, figures_dir: Path) -> dict[str, Path]:
    """Draw all report figures of a :class:`~tea.analysis.bundle.RunBundle` into ``figures_dir``.

    Returns
    -------
    dict[str, Path]
        Figure name (see :data:`FIGURES`) -> PNG path.
    """
    figures_dir = Path(figures_dir)
    labels = pareto_labels(bundle.summary)
    module = globals()  # looked up at call time, so a replaced plot function is the one used
    draw = {
        "supply_cost_curve": lambda p: module["plot_supply_cost_curve"](bundle.supply_curve, p),
        "purity_cost_curve": lambda p: module["plot_purity_cost_curve"](bundle.purity_curve, p),
        "build_plan": lambda p: module["plot_build_plan"](bundle.capacity, bundle.build_plan, p),
        "element_flow_sankey": lambda p: module["plot_element_flow_sankey"](
            bundle.element_flows, p, labels.get("target_year")),
        "cost_waterfall": lambda p: module["plot_cost_waterfall"](
            headline_steps(bundle), p, title=f"Levelized cost of {HEADLINE} by chain step"),
        "budget_pareto": lambda p: module["plot_budget_pareto"](
            *pareto_in_budget_currency(bundle, labels), p, **labels),
        "cost_distribution": lambda p: module["plot_cost_distribution"](bundle.samples, p),
        "tornado": lambda p: module["plot_tornado"](bundle.tornado, p),
    }
    return {name: draw[name](figures_dir / f"{name}.png") for name in FIGURES}


__all__ = ["DPI", "FIGURES", "PALETTE", "REGION_COLOURS", "pareto_labels",
           "plot_supply_cost_curve", "plot_purity_cost_curve", "plot_build_plan",
           "plot_element_flow_sankey", "plot_cost_waterfall", "plot_budget_pareto",
           "plot_cost_distribution", "plot_tornado",
           "write_figures"]
