"""The cost curves of ``tea curves`` written as CSV and PNG."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from tea.report.figures import plot_purity_cost_curve, plot_supply_cost_curve


def write_curves(supply: pd.DataFrame, purity: pd.DataFrame, out: Path) -> list[Path]:
    """Write the curves as CSV and PNG into ``out`` (created if needed)."""
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
