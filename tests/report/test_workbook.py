"""report.xlsx recalculated by a formula engine (the ``formulas`` package) gives the report's
after-tax NPV and IRR: the cash-flow sheets compute them with formulas over the rows."""

from __future__ import annotations

from pathlib import Path

import formulas
import openpyxl
import pytest

from tea.analysis.run import make_bundle
from tea.report.excel import write_workbook

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.integration, pytest.mark.solver]


def _recalculate(path: Path) -> dict[str, float]:
    """Every formula cell of the workbook at ``path``, recalculated: ``"SHEET!A1"`` -> value."""
    solution = formulas.ExcelModel().loads(str(path)).finish().calculate()
    out = {}
    for key, value in solution.items():
        sheet_cell = str(key).split("]", 1)[-1].replace("'", "").upper()
        try:
            out[sheet_cell] = float(value.value[0][0])
        except (TypeError, ValueError, AttributeError, IndexError):
            continue
    return out


def test_recalculated_workbook_gives_the_npv_and_irr(tmp_path):
    bundle = make_bundle(ROOT / "models" / "us_australia.toml")
    path = write_workbook(bundle, tmp_path / "report.xlsx")
    sheet = openpyxl.load_workbook(path)["CF chain"]
    labels = {sheet.cell(r, sheet.max_column - 1).value: sheet.cell(r, sheet.max_column)
              for r in range(1, 5)}
    npv_cell, irr_cell = labels[f"NPV [{bundle.currency}]"], labels["IRR [1/yr]"]
    assert str(npv_cell.value).startswith("=SUM(") and str(irr_cell.value).startswith("=IRR(")
    values = _recalculate(path)
    chain = bundle.summary["finance"]["chain"]
    # identities: the NPV is the sum of the present values; the IRR zeroes it
    assert values[f"CF CHAIN!{npv_cell.coordinate}"] == pytest.approx(chain["npv"]["value"],
                                                                      rel=1e-6)
    assert values[f"CF CHAIN!{irr_cell.coordinate}"] == pytest.approx(chain["irr"]["value"],
                                                                      rel=1e-6)
    # a flexed discount rate recalculates: at 0 % the NPV is the sum of the net cash flows
    rate = labels["discount rate [1/yr]"]
    rate.value = 0.0
    flexed = tmp_path / "flexed.xlsx"
    sheet.parent.save(flexed)
    net = bundle.cash_flows["chain"][f"net_cash_flow [{bundle.currency}/yr]"].sum()
    assert _recalculate(flexed)[f"CF CHAIN!{npv_cell.coordinate}"] == pytest.approx(net, rel=1e-6)


def test_recalculated_workbook_gives_the_levelized_costs(tmp_path):
    bundle = make_bundle(ROOT / "models" / "siberia_cluster.toml")
    path = write_workbook(bundle, tmp_path / "report.xlsx")
    sheet = openpyxl.load_workbook(path)["Levelized"]
    cells = {sheet.cell(r, 1).value: sheet.cell(r, 3) for r in range(1, sheet.max_row + 1)}
    values = _recalculate(path)
    checked = 0
    for product, entry in bundle.summary["levelized_cost"].items():
        if entry["value"] is None:
            continue
        cell = cells[product]
        assert str(cell.value).startswith("=IF(")  # a formula over the rows
        # the report's levelized cost [USD of the base year per kg], recomputed by Excel's rule
        assert values[f"LEVELIZED!{cell.coordinate}"] == pytest.approx(entry["value"], rel=1e-6)
        checked += 1
    assert checked >= 5
