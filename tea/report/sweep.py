"""A sweep's summary table (CSV) and figure (PNG) from its rows (:mod:`tea.analysis.sweep`)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from tea.analysis.sweep import KEY_PREFIX

MEASURE = "levelized_cost_NdPr_oxide"
"""The figure's measure when the rows have it [USD/kg REO]; otherwise the objective."""


def summary_table(rows: pd.DataFrame) -> pd.DataFrame:
    """One line per scenario: its values (one column per key), status, objective, capex and
    currency, the budget's marginal value, NdPr oxide's levelized cost and the diagnosis."""
    keys = [c for c in rows.columns if c.startswith(KEY_PREFIX)]
    table = pd.DataFrame({c[len(KEY_PREFIX):]: rows[c].map(json.loads) for c in keys})
    for column in ("status", "objective", "capex", "currency", "budget_value_per_bn", MEASURE,
                   "diagnosis"):
        if column in rows:
            table[column] = rows[column].to_numpy()
    return table


def plot_sweep(table: pd.DataFrame, path: Path) -> Path:
    """NdPr oxide's levelized cost (or the objective) against the first key, one line per value
    of the second key (if any); scenarios without a plan are left out."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    keys = [c for c in table.columns if c not in ("status", "objective", "capex", "currency",
                                                   "budget_value_per_bn", MEASURE, "diagnosis")]
    measure = MEASURE if MEASURE in table and table[MEASURE].notna().any() else "objective"
    if measure not in table:  # no scenario solved
        table = table.assign(objective=float("nan"))
    label = ("levelized cost of NdPr oxide [USD/kg REO]" if measure == MEASURE else
             f"objective [{table['currency'].dropna().iloc[0] if 'currency' in table and table['currency'].notna().any() else ''}]")
    fig, ax = plt.subplots(figsize=(7, 4.5))
    solved = table[table["status"].isin(["optimal", "feasible"])]
    x = keys[0] if keys else None
    groups = solved.groupby(keys[1], sort=True) if len(keys) > 1 else [(None, solved)]
    for value, part in groups:
        part = part.sort_values(x) if x else part
        xs = part[x].astype(str) if x and part[x].map(lambda v: isinstance(v, str | bool)).any() \
            else (part[x] if x else range(len(part)))
        ax.plot(xs, part[measure], marker="o",
                label=None if value is None else f"{keys[1]} = {value}")
    ax.set_xlabel(x or "scenario")
    ax.set_ylabel(label)
    ax.set_title(f"{len(solved)} of {len(table)} scenarios solved")
    if len(keys) > 1:
        ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def write_sweep(rows: pd.DataFrame, out: Path) -> list[Path]:
    """Write ``summary.csv`` and ``sweep.png`` into ``out``; returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    table = summary_table(rows)
    csv = out / "summary.csv"
    table.to_csv(csv, index=False)
    return [csv, plot_sweep(table, out / "sweep.png")]


__all__ = ["MEASURE", "plot_sweep", "summary_table", "write_sweep"]
