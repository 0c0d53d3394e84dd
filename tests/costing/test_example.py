"""The worked example (examples/separation_plant.py) runs and its figures obey the identities."""

import dataclasses
import importlib.util
from pathlib import Path

import pytest

from tea.costing.tables import lines_of
from tea.finance import kpis

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "separation_plant.py"


def load_example():
    spec = importlib.util.spec_from_file_location("separation_plant_example", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_worked_example(capsys):
    example = load_example()
    out = example.main()
    text = capsys.readouterr().out
    assert "basis" in text and "Levelized cost of NdPr oxide" in text and "RUB_2025/kg" in text
    for table in (out["capex_table"], out["opex_table"]):
        assert table.iloc[-1]["amount"] == pytest.approx(lines_of(table)["amount"].sum())
    # the levelized cost used as the NdPr price gives NPV = 0
    plant = out["plant"]
    prices = dict(plant.prices, **{"NdPr oxide": out["lc_usd"]})
    again = dataclasses.replace(plant, prices=prices)
    assert kpis(again, example.DISCOUNT_RATE)["npv"].magnitude == pytest.approx(0, abs=1e-3)
    assert out["lc_tolling_usd"].magnitude < out["lc_usd"].magnitude
