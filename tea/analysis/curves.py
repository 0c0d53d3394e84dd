"""Cost curves across models: supply cost curve, purity-cost curve, budget Pareto curve.

``supply_curves`` optimizes each model and places its domestic oxide products (capacity = the
largest yearly output of the plan, cost = the plan's levelized cost, labelled with the model's
``region``) beside the published references of ``inputs/reference_costs.csv``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd


def supply_curves(models, progress=None) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Supply curve and purity curve over several models.

    Parameters
    ----------
    models : iterable of path
        Model files.
    progress : callable, optional
        Called with each model path before it is solved.

    Returns
    -------
    (supply, purity, runs)
        Supply curve rows (option, region, product, capacity [t/yr], levelized cost [USD/kg]),
        the purity curve of the first model, and the runs by model name.
    """
    from tea.analysis.run import model_rows, optimize_model, purity_curve, reference_rows

    frames, runs = [], {}
    purity = pd.DataFrame()
    for path in models:
        if progress:
            progress(path)
        run = optimize_model(path)
        runs[run.scenario.name] = run
        frames.append(model_rows(run))
        if purity.empty:
            purity = purity_curve(run)
    frames.append(reference_rows())
    supply = pd.concat(frames, ignore_index=True)
    supply = supply.sort_values(["product", "levelized cost [USD/kg]"]).reset_index(drop=True)
    return supply, purity, runs


def write_curves(supply: pd.DataFrame, purity: pd.DataFrame, out: Path) -> list[Path]:
    """Write the curves as CSV and PNG into ``out`` (created if needed)."""
    from tea.report.figures import plot_purity_cost_curve, plot_supply_cost_curve

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in (("supply_cost_curve", supply), ("purity_cost_curve", purity)):
        csv = out / f"{name}.csv"
        frame.to_csv(csv, index=False, float_format="%.6g")
        written.append(csv)
    written.append(plot_supply_cost_curve(supply, out / "supply_cost_curve.png"))
    written.append(plot_purity_cost_curve(purity, out / "purity_cost_curve.png"))
    return written
