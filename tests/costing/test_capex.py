"""Tests of capital-cost estimates."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tea.config.inputs import default_input_tables
from tea.costing.capex import (
    capex_table,
    equipment_capex,
    lang_factor,
    learning_factor,
    location_factor,
    scale_capex,
    scaling_factor,
)
from tea.costing.tables import lines_of
from tea.errors import InputError
from tea.money import MoneyContext
from tea.units import Q_

T = default_input_tables()

MONEY = MoneyContext(T.fx_table("2025-10-24"), T.cost_indices)
PLANTS = T.reference_plants


def test_scaling_avalon_to_2500_t():
    line = scale_capex(PLANTS["avalon_geismar"], Q_(2500, "t/yr"), MONEY, "USD_2024")
    # 302e6 (2500/10000)^0.6 x CEPCI 795.4/585.7 (Avalon PFS 2012; CEPCI as in inputs)
    expected = 302e6 * 0.25 ** 0.6 * 795.4 / 585.7
    assert line.amount.to("USD_2024").magnitude == pytest.approx(expected, rel=1e-12)
    assert "0.6 scaling from Avalon" in line.basis and "CEPCI 2011->2024" in line.basis


def test_scaling_converts_currency_with_fx():
    line = scale_capex(PLANTS["solikamsk_separation"], Q_(2500, "t/yr"), MONEY, "USD_2024")
    # 7.2 bn RUB at the CBR rate of 24 Oct 2025, 81.269 RUB/USD; same cost year, same capacity
    assert line.amount.magnitude == pytest.approx(7.2e9 / 81.269, rel=1e-12)
    assert "FX 24 Oct 2025" in line.basis


@settings(max_examples=25, deadline=None)
@given(st.floats(100, 1e5), st.floats(0.3, 1.0))
def test_scaling_identity_at_reference_and_doubling(capacity, n):
    ref = Q_(10000, "t/yr")
    assert scaling_factor(ref, ref, n) == pytest.approx(1.0)
    double = scaling_factor(Q_(2 * capacity, "t/yr"), ref, n)
    assert double / scaling_factor(Q_(capacity, "t/yr"), ref, n) == pytest.approx(2 ** n)


def test_scaling_vectorized_and_bad_capacity():
    line = scale_capex(PLANTS["avalon_geismar"], Q_(np.array([1e3, 1e4]), "t/yr"), MONEY)
    assert line.amount.magnitude.shape == (2,)
    with pytest.raises(InputError, match="capacity"):
        scale_capex(PLANTS["avalon_geismar"], Q_(2500, "kWh"), MONEY)
    with pytest.raises(InputError, match="capacity must be > 0"):
        scale_capex(PLANTS["avalon_geismar"], Q_(-5, "t/yr"), MONEY)


def test_equipment_mixer_settler_calibration():
    # the correlation is calibrated so 1,000 x 10 m3 at Lang fluid 4.74 ~ Avalon SX US$101 M (2011)
    line = equipment_capex(T.equipment["mixer_settler"], Q_(10, "m**3"), 1000, MONEY,
                           "USD_2011", lang="fluid", factors=T.capex_factors)
    assert line.amount.magnitude == pytest.approx(101e6, rel=0.01)
    assert "Lang fluid 4.74" in line.basis
    solids = equipment_capex(T.equipment["mixer_settler"], Q_(10, "m**3"), 1000, MONEY,
                             "USD_2011", lang="solids", factors=T.capex_factors)
    assert solids.amount.magnitude / line.amount.magnitude == pytest.approx(3.10 / 4.74)
    with pytest.raises(InputError, match="count"):
        equipment_capex(T.equipment["mixer_settler"], Q_(10, "m**3"), 0, MONEY, factors=T.capex_factors)
    with pytest.raises(InputError, match="size"):
        equipment_capex(T.equipment["mixer_settler"], Q_(10, "kg"), 3, MONEY, factors=T.capex_factors)
    with pytest.raises(InputError, match="Lang"):
        lang_factor("gas", factors=T.capex_factors)


def test_learning_factor():
    # Wright curve: each doubling cuts cost by LR; unit 1 costs 1
    assert learning_factor(1, 0.1) == 1.0
    assert learning_factor(2, 0.1) == pytest.approx(0.9)
    assert learning_factor(8, 0.2) == pytest.approx(0.8 ** 3)
    with pytest.raises(InputError, match="learning rate"):
        learning_factor(2, 1.0)
    with pytest.raises(InputError, match="nth unit"):
        learning_factor(0, 0.1)


def test_location_factor_product():
    value, words = location_factor(["RU", "siberia_south"], factors=T.location_factors)
    assert value == pytest.approx(1.0 * 1.25)
    assert "siberia_south" in words
    with pytest.raises(InputError, match="unknown location"):
        location_factor(["Mars"], factors=T.location_factors)


def test_capex_table_totals_and_adjustments():
    direct = [scale_capex(PLANTS["avalon_geismar"], Q_(2500, "t/yr"), MONEY),
              equipment_capex(T.equipment["mixer_settler"], Q_(5, "m**3"), 100, MONEY, factors=T.capex_factors)]
    table = capex_table(direct, location=["RU", "siberia_remote"], contingency=0.2,
                        owners_cost=0.1, learning_rate=0.1, nth_unit=2, factors=T.capex_factors, location_factors=T.location_factors)
    lines = lines_of(table)
    assert table.iloc[-1]["amount"] == pytest.approx(lines["amount"].sum(), rel=1e-12)
    installed = sum(line.amount.magnitude for line in direct)
    expected = installed * 1.45 * 0.9 * (1 + 0.2 + 0.1)  # RU 1.0 x siberia_remote 1.45, n=2
    assert table.attrs["total"].magnitude == pytest.approx(expected, rel=1e-12)
    assert lines["basis"].str.len().min() > 0
    with pytest.raises(InputError, match="contingency"):
        capex_table(direct, contingency=-0.1, factors=T.capex_factors, location_factors=T.location_factors)
