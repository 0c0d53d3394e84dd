"""Tests of operating-cost lines."""

import numpy as np
import pytest

from tea.config.inputs import default_input_tables
from tea.costing.opex import (
    consumable_costs,
    fixed_charges,
    headcount,
    labour_cost,
    logistics_cost,
    opex_table,
    royalty,
    waste_cost,
)
from tea.costing.tables import lines_of
from tea.errors import InputError
from tea.money import MoneyContext
from tea.units import Q_

T = default_input_tables()

MONEY = MoneyContext(T.fx_table("2025-10-24"), T.cost_indices)


def test_consumables_price_times_quantity():
    hcl, power = consumable_costs({"HCl": Q_(1000, "t/yr"), "power": Q_(1e6, "kWh/yr")}, MONEY,
                                  "USD_2019", prices=T.prices)
    # HCl 250 US$/t (2019) and power 0.0804 US$/kWh (2023), public REE cost model
    assert hcl.amount.to("USD_2019/yr").magnitude == pytest.approx(250e3)
    cpi = 255.657 / 304.702  # US CPI-U 2019 / 2023 (inputs/cost_indices.csv)
    assert power.amount.magnitude == pytest.approx(0.0804e6 * cpi, rel=1e-12)
    assert "CPI 2023->2019" in power.basis


def test_consumable_errors():
    with pytest.raises(InputError, match="no price"):
        consumable_costs({"unobtainium": Q_(1, "t/yr")}, MONEY, prices=T.prices)
    with pytest.raises(InputError, match="money per year"):
        consumable_costs({"HCl": Q_(1, "kWh/yr")}, MONEY, prices=T.prices)
    with pytest.raises(InputError, match=">= 0"):
        consumable_costs({"HCl": Q_(-1, "t/yr")}, MONEY, prices=T.prices)
    with pytest.raises(InputError, match="currency and cost year"):
        consumable_costs({"HCl": Q_(1, "t/yr")}, MONEY, overrides={"HCl": Q_(3, "1/t")}, prices=T.prices)


def test_labour_headcount_and_cost():
    # reference 150 persons at 10,000 t/yr, exponent 0.25 (inputs/labour.csv assumption)
    assert headcount("separation", Q_(10000, "t/yr"), labour=T.labour).magnitude == 150
    jobs = headcount("separation", Q_(2500, "t/yr"), labour=T.labour)
    assert jobs.magnitude == np.ceil(150 * 0.25 ** 0.25)
    line, jobs2 = labour_cost("separation", Q_(2500, "t/yr"), "RU", MONEY, "RUB_2025", labour=T.labour)
    assert jobs2.magnitude == jobs.magnitude
    assert line.amount.magnitude == pytest.approx(jobs.magnitude * 1.6e6)
    with pytest.raises(InputError, match="region"):
        labour_cost("separation", Q_(2500, "t/yr"), "Mars", MONEY, labour=T.labour)
    with pytest.raises(InputError, match="plant type"):
        headcount("bakery", Q_(1, "t/yr"), labour=T.labour)


def test_fixed_charges_royalty_logistics_waste():
    lines = fixed_charges(Q_(100e6, "USD_2024"),
                          fractions={"maintenance": 0.03, "insurance": 0.01, "overhead": 0.02}, factors=T.capex_factors)
    assert [x.amount.to("USD_2024/yr").magnitude for x in lines] == pytest.approx([3e6, 1e6, 2e6])
    with pytest.raises(InputError, match="fraction"):
        fixed_charges(Q_(1, "USD_2024"), fractions={"maintenance": 3}, factors=T.capex_factors)
    assert royalty(Q_(10e6, "USD_2024/yr"), 0.05).amount.magnitude == pytest.approx(5e5)
    with pytest.raises(InputError, match="royalty"):
        royalty(Q_(1, "USD_2024/yr"), 5)
    freight = logistics_cost(Q_(1000, "t/yr"), Q_(500, "km"), MONEY, "USD_2024",
                             rate=Q_(0.05, "USD_2024/(t*km)"), prices=T.prices)
    assert freight.amount.magnitude == pytest.approx(1000 * 500 * 0.05)
    with pytest.raises(InputError, match="distance"):
        logistics_cost(Q_(1, "t/yr"), Q_(-1, "km"), MONEY, prices=T.prices)
    waste = waste_cost(Q_(100, "t/yr"), MONEY, "USD_2024", prices=T.prices)
    assert waste.amount.magnitude == pytest.approx(100 * 50)  # 50 US$/t assumption (prices.csv)


def test_opex_table_total_and_per_unit():
    lines = consumable_costs({"HCl": Q_(1000, "t/yr")}, MONEY, prices=T.prices) + fixed_charges(
        Q_(50e6, "USD_2024"), factors=T.capex_factors)
    table = opex_table(lines, output=Q_(500, "t/yr"))
    assert table.iloc[-1]["amount"] == pytest.approx(lines_of(table)["amount"].sum())
    per_kg = table.attrs["per_unit"].to("USD_2024/kg").magnitude
    assert per_kg == pytest.approx(table.iloc[-1]["amount"] / 500e3)
