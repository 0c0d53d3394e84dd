"""The committed reports: the workbook's chain cash flow sums to the NPV in summary.json."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from tea.analysis.run import chain_kpis

ROOT = Path(__file__).resolve().parents[2]
REPORTS = sorted(p for p in (ROOT / "reports").iterdir() if (p / "summary.json").is_file())


@pytest.mark.parametrize("folder", REPORTS, ids=[p.name for p in REPORTS])
def test_workbook_cash_flows_sum_to_summary_npv(folder):
    summary = json.loads((folder / "summary.json").read_text())
    sheet = load_workbook(folder / "report.xlsx", read_only=True)["CashFlows"]
    rows = list(sheet.iter_rows(values_only=True))
    header_row = next(i for i, row in enumerate(rows) if "discounted net cash flow" in row)
    column = rows[header_row].index("discounted net cash flow")
    values = [row[column] for row in rows[header_row + 1:]
              if row and isinstance(row[column], int | float)]
    assert len(values) >= 10
    # identity: NPV = sum of the discounted net cash flows (summary.json keeps 6 digits)
    assert sum(values) == pytest.approx(summary["npv"], rel=5e-6)


class _Scenario:
    currency = "RUB_2025"
    base_year = 2025
    discount_rate = 0.1


def test_chain_kpis_match_discounted_sum_and_irr():
    years = np.arange(2025, 2031)
    net = np.array([-100.0, -50.0, 40.0, 50.0, 60.0, 70.0])
    d = 1.1 ** -(years - 2025)
    chain = pd.DataFrame({"year": years, "net cash flow [RUB_2025]": net,
                          "discounted net cash flow": net * d})
    kpis = chain_kpis(chain, _Scenario())
    assert kpis["npv"] == pytest.approx(chain["discounted net cash flow"].sum(), rel=1e-12)
    # identity: at the IRR the net cash flow discounts to zero
    rate = kpis["irr"]
    assert float((net * (1 + rate) ** -(years - 2025)).sum()) == pytest.approx(0.0, abs=1e-6)
