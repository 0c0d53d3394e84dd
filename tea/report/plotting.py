"""Shared drawing helpers of the report figures (:mod:`tea.report.figures`).

Figures are drawn on :class:`matplotlib.figure.Figure` objects with the Agg canvas (no pyplot, no
global backend switch) and saved without a "Software" or date entry, so the same table gives the
same file.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

DPI = 120
"""Resolution of the saved PNGs [dots per inch]."""

REGION_COLOURS = {
    "Russia": "#c0392b",
    "China": "#e69f00",
    "US/Australia": "#0072b2",
    "US": "#0072b2",
    "Australia": "#56b4e9",
    "EU": "#009e73",
}
"""Fixed colours for the usual regions; others take the palette below in sorted order."""

PALETTE = ("#cc79a7", "#999999", "#8c564b", "#17becf", "#bcbd22", "#9467bd", "#2ca02c",
           "#1f77b4", "#ff7f0e", "#d62728")

thousands = FuncFormatter(lambda x, _pos: f"{x:,.0f}")
"""Tick formatter with thousands separators."""


def new_figure(width: float = 9.0, height: float = 5.5) -> Figure:
    """An empty figure with its own Agg canvas."""
    fig = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


def save(fig: Figure, path: Path) -> Path:
    """Write ``fig`` as PNG (no software entry), creating the folder; returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format="png", dpi=DPI, metadata={"Software": None})
    return path


def no_data(path: Path, title: str) -> Path:
    """A labelled "no data" figure."""
    fig = new_figure(7.0, 3.5)
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.set_title(title, fontsize=13)
    ax.text(0.5, 0.5, "no data", ha="center", va="center", fontsize=16, color="#777777",
            transform=ax.transAxes)
    return save(fig, path)


def colours(names) -> dict[str, str]:
    """Colour of each name: the region colours, else the palette in sorted order."""
    out, k = {}, 0
    for name in sorted(set(names)):
        if name in REGION_COLOURS:
            out[name] = REGION_COLOURS[name]
        else:
            out[name] = PALETTE[k % len(PALETTE)]
            k += 1
    return out


def column(frame: pd.DataFrame, prefix: str) -> str | None:
    """The first column whose name starts with ``prefix`` (None if none)."""
    return next((c for c in frame.columns if str(c).startswith(prefix)), None)


def unit_of(name: str) -> str:
    """The unit in brackets of a column name (``"cost [RUB_2025]"`` -> ``"RUB_2025"``), or ""."""
    match = re.search(r"\[([^\]]*)\]", str(name))
    return match.group(1) if match else ""


def money_scale(values, unit: str) -> tuple[float, str]:
    """Divisor and unit label for money values: ``(1e9, "bn RUB_2025")``, ``(1e6, "mn ...")``."""
    arr = np.asarray(values, dtype=float)
    top = float(np.nanmax(np.abs(arr))) if np.isfinite(arr).any() else 0.0
    for div, word in ((1e9, "bn"), (1e6, "mn")):
        if top >= div:
            return div, f"{word} {unit}".strip()
    return 1.0, unit


def pretty(name) -> str:
    """A code name for reading: ``"NdPr_oxide"`` -> ``"NdPr oxide"``."""
    return str(name).replace("_", " ")


__all__ = ["DPI", "REGION_COLOURS", "PALETTE", "thousands", "new_figure", "save", "no_data",
           "colours", "column", "unit_of", "money_scale", "pretty"]
