"""The committed reports: the workbook's chain cash flow sums to the after-tax NPV in
summary.json (an identity)."""

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parents[2]
REPORTS = sorted(p for p in (ROOT / "reports").iterdir() if (p / "summary.json").is_file())


@pytest.mark.parametrize("folder", REPORTS, ids=[p.name for p in REPORTS])
def test_workbook_cash_flows_sum_to_summary_npv(folder):
    summary = json.loads((folder / "summary.json").read_text())
    sheet = load_workbook(folder / "report.xlsx", read_only=True)["CashFlows"]
    rows = list(sheet.iter_rows(values_only=True))
    header_row = next(i for i, row in enumerate(rows)
                      if row and any(str(c).startswith("present_value") for c in row))
    column = next(i for i, c in enumerate(rows[header_row]) if str(c).startswith("present_value"))
    values = [row[column] for row in rows[header_row + 1:]
              if row and isinstance(row[column], int | float)]
    assert len(values) >= 10
    # identity: NPV = sum of the present values (summary.json keeps 6 digits)
    npv = summary["finance"]["chain"]["npv"]["value"]
    assert sum(values) == pytest.approx(npv, rel=5e-6)
