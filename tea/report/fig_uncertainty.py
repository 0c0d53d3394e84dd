"""Figures of the uncertainty analysis: the distribution of the headline product's cost against
its import price, and the tornado of its drivers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from tea.report.plotting import new_figure, no_data, save


def plot_cost_distribution(samples: pd.DataFrame, path: Path) -> Path:
    """Cumulative distribution of a product's levelized cost, with the sampled import price.

    ``samples`` columns: ``product``, ``unit``, ``levelized cost``, ``import price`` (one row per
    sample).
    """
    if samples.empty:
        return no_data(path, "Levelized cost distribution")
    product, unit = samples["product"].iloc[0], samples["unit"].iloc[0]
    fig = new_figure()
    ax = fig.add_subplot(1, 1, 1)
    for name, style in (("levelized cost", "-"), ("import price", "--")):
        values = np.sort(samples[name].to_numpy(dtype=float))
        share = np.arange(1, values.size + 1) / values.size
        ax.plot(values, share, style, label=f"{name} ({values.size:,} samples)")
    ax.set_xlabel(f"{product} [{unit}]")
    ax.set_ylabel("cumulative probability [-]")
    ax.set_ylim(0, 1)
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right")
    ax.set_title(f"{product}: levelized cost against the import price, both sampled")
    return save(fig, path)


def plot_tornado(tornado: pd.DataFrame, path: Path, figure: str = "levelized_cost.NdPr_oxide",
                 top: int = 8) -> Path:
    """Tornado of one figure: the value at each input's P10 and P90, the largest swings on top."""
    rows = tornado[tornado["figure"] == figure] if not tornado.empty else tornado
    if rows.empty:
        return no_data(path, f"Tornado of {figure}")
    rows = rows.sort_values("swing", ascending=True).tail(top)
    base = float(rows["base"].iloc[0])
    fig = new_figure()
    ax = fig.add_subplot(1, 1, 1)
    y = np.arange(len(rows))
    for name, colour in (("at P10", "#4c72b0"), ("at P90", "#dd8452")):
        ax.barh(y, rows[name].to_numpy() - base, left=base, color=colour, alpha=0.8,
                label=f"input {name}")
    ax.axvline(base, color="black", linewidth=0.8)
    ax.set_yticks(y, rows["input"])
    ax.set_xlabel(f"{figure} [{rows['unit'].iloc[0]}]")
    ax.legend(loc="lower right")
    ax.set_title(f"What moves {figure}:\neach input at its P10 and P90, the others at base")
    fig.subplots_adjust(left=0.24)
    return save(fig, path)


__all__ = ["plot_cost_distribution", "plot_tornado"]
