"""Metal making: balances, stoichiometry of consumables, bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tea.config.inputs import default_input_tables
from tea.errors import InputError
from tea.process.metal import (
    M_CA,
    M_CAF2,
    M_HF,
    calciothermic_reduction,
    electrolysis,
    metal_yield_vector,
    oxide_to_metal,
)
from tea.streams import Stream
from tea.units import Q_

T = default_input_tables()


def test_parameters_loaded_and_checked():
    p = T.metal_making
    assert 0 < p["electrolysis"]["yield"] <= 1
    # [U] 8-11 kWh per kg NdPr metal (inputs/metal_making.csv)
    assert 8 <= p["electrolysis"]["electricity"] <= 11


def test_electrolysis_yield_and_carbon_stoichiometry():
    oxide = Stream.from_reo(1.0, {"Nd": 1.0}, unit="kg")  # 1 kg Nd2O3
    r = electrolysis(oxide, yield_=1.0, params={"co_fraction": 1.0, "anode_carbon_factor": 1.0}, tables=T)
    # identity: Nd2O3 + 3 C -> 2 Nd + 3 CO: 1.5 mol C per mol Nd
    mol_nd = r.metal.total_re / 144.242
    assert r.consumptions["anode_carbon"].to("kg").magnitude == pytest.approx(1.5 * mol_nd * 12.011)
    assert r.consumptions["co2"].magnitude == pytest.approx(0.0)
    # all CO2: 0.75 mol C per mol Nd
    r2 = electrolysis(oxide, yield_=1.0, params={"co_fraction": 0.0, "anode_carbon_factor": 1.0}, tables=T)
    assert r2.consumptions["anode_carbon"].magnitude == pytest.approx(0.75 * mol_nd * 12.011)
    assert r.consumptions["electricity"].units == Q_(1, "kWh").units


def test_calciothermic_stoichiometry():
    oxide = Stream.from_elements({"Dy": 162.5}, unit="kg")  # 1 kmol... 1 mol-scale Dy
    r = calciothermic_reduction(oxide, params={"ca_excess": 0.0, "hf_excess": 0.0}, tables=T)
    # identity: 2 DyF3 + 3 Ca -> 2 Dy + 3 CaF2; fluorination needs 3 HF per Dy
    assert r.consumptions["calcium"].magnitude == pytest.approx(1.5 * M_CA)
    assert r.consumptions["hf"].magnitude == pytest.approx(3 * M_HF)
    assert r.consumptions["caf2_slag"].magnitude == pytest.approx(1.5 * M_CAF2)


def test_oxide_to_metal_routes_by_element():
    oxide = Stream.from_reo(100.0, {"Nd": 0.7, "Pr": 0.2, "Dy": 0.08, "Tb": 0.02})
    r = oxide_to_metal(oxide, tables=T)
    y = metal_yield_vector(tables=T)
    np.testing.assert_allclose(r.metal.re, oxide.re * y)
    assert r.consumptions["calcium"].magnitude > 0 and r.consumptions["anode_carbon"].magnitude > 0
    assert r.consumptions["electricity"].units == Q_(1, "MWh/yr").units


@settings(max_examples=40, deadline=None)
@given(total=st.floats(0.0, 1e6), nd=st.floats(0, 1), dy=st.floats(0, 1), y=st.floats(0.01, 1.0))
def test_metal_balance_property(total, nd, dy, y):
    dist = {"Nd": nd, "Pr": 1.0 - nd} if dy == 0 else {"Nd": nd * (1 - dy), "Pr": (1 - nd) * (1 - dy),
                                                        "Dy": dy}
    dist = {k: v for k, v in dist.items() if v > 0} or {"Nd": 1.0}
    s = sum(dist.values())
    oxide = Stream.from_reo(total, {k: v / s for k, v in dist.items()})
    for r in (oxide_to_metal(oxide, tables=T), electrolysis(oxide, yield_=y, tables=T),
              calciothermic_reduction(oxide, yield_=y, tables=T)):
        assert r.balance_error() < 1e-9


@pytest.mark.parametrize("bad", [0.0, -0.1, 1.2, float("nan")])
def test_bad_yield_refused(bad):
    oxide = Stream.from_reo(1.0, {"Nd": 1.0})
    with pytest.raises(InputError, match="yield"):
        electrolysis(oxide, yield_=bad, tables=T)
    with pytest.raises(InputError, match="yield"):
        calciothermic_reduction(oxide, yield_=bad, tables=T)


def test_bad_process_refused():
    with pytest.raises(InputError, match="unknown metal process"):
        oxide_to_metal(Stream.from_reo(1.0, {"Nd": 1.0}), process_of={"Nd": "smelting"}, tables=T)
    with pytest.raises(InputError, match="anode_carbon_factor"):
        electrolysis(Stream.from_reo(1.0, {"Nd": 1.0}), params={"anode_carbon_factor": 0.5}, tables=T)
