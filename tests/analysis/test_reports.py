"""The committed reports: the workbook's chain cash flow sums to the after-tax NPV in
summary.json (an identity)."""

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tea.finance.ledger import CASH_LINES

ROOT = Path(__file__).resolve().parents[2]
REPORTS = sorted(p for p in (ROOT / "reports").iterdir() if (p / "summary.json").is_file())


@pytest.mark.parametrize("folder", REPORTS, ids=[p.name for p in REPORTS])
def test_workbook_cash_flows_sum_to_summary_npv(folder):
    summary = json.loads((folder / "summary.json").read_text())
    sheet = load_workbook(folder / "report.xlsx", read_only=True)["CF chain"]
    rows = list(sheet.iter_rows(values_only=True))
    header = [str(c).split(" [")[0] for c in rows[0]]
    rate, base = rows[0][-1], rows[1][-1]  # the discount-rate and base-year cells
    cash = [header.index(c) for c in CASH_LINES if c in header]
    years = [r for r in rows[1:] if isinstance(r[0], int)]
    # net cash flow, discount factor and present value are formulas: evaluate them here
    values = [sum(r[i] or 0.0 for i in cash) / (1 + rate) ** (r[0] - base) for r in years]
    assert len(values) >= 10
    # identity: NPV = sum of the present values (summary.json keeps 6 digits)
    npv = summary["finance"]["chain"]["npv"]["value"]
    assert sum(values) == pytest.approx(npv, rel=5e-6)
