"""Oxides to magnets: the acceptance figures, balances of every step and route, bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tea.config.inputs import default_input_tables
from tea.elements import OXIDE_FACTOR, index
from tea.errors import InputError
from tea.process.magnet import get_grade, load_route, overall_yield
from tea.process.magnet_route import magnet_coefficients, oxide_per_kg_from_metal, oxides_to_magnets
from tea.process.metal import metal_yield_vector
from tea.units import Q_

T = default_input_tables()

GRADES = ["N42", "N52", "N45SH", "N42SH", "N42SH_Tb"]


def test_n42_ndpr_oxide_per_kg_with_and_without_swarf_recycling(capsys):
    none = magnet_coefficients("N42", "reference", "none", tables=T)
    hydromet = magnet_coefficients("N42", "reference", "in_house", "hydromet",
                                   recovery=0.97, tables=T)  # the Ames/CMI laboratory case
    hydrogen = magnet_coefficients("N42", "reference", "in_house", "hydrogen", tables=T)
    # identity: NdPr oxide = NdPr wt % / route yield / metal yield x oxide factor
    g, y = get_grade("N42", tables=T), metal_yield_vector(tables=T)
    route_yield = overall_yield(load_route("reference", tables=T), g)
    expected = sum(g.fractions[s] / route_yield / y[index(s)] * OXIDE_FACTOR[index(s)]
                   for s in ("Nd", "Pr"))
    assert none["ndpr_oxide_kg_reo_per_kg"] == pytest.approx(expected, rel=1e-12)
    assert hydromet["ndpr_oxide_kg_reo_per_kg"] < 0.8 * none["ndpr_oxide_kg_reo_per_kg"]
    assert hydrogen["ndpr_oxide_kg_reo_per_kg"] < 0.8 * none["ndpr_oxide_kg_reo_per_kg"]
    with capsys.disabled():
        print(f"\nN42, reference yields (route yield {route_yield:.4f}): NdPr oxide per kg magnet")
        print(f"  no swarf recycling:           {none['ndpr_oxide_kg_reo_per_kg']:.4f} kg REO/kg")
        print(f"  in-house, hydromet (97 %):    {hydromet['ndpr_oxide_kg_reo_per_kg']:.4f} kg REO/kg")
        print(f"  in-house, hydrogen (90 %):    {hydrogen['ndpr_oxide_kg_reo_per_kg']:.4f} kg REO/kg")


def test_technology_levels_30_percent_yield_gap(capsys):
    ref = magnet_coefficients("N42", "reference", "none", tables=T)
    adv = magnet_coefficients("N42", "advanced", "none", tables=T)
    # seed 000: Chinese producers' yield 30 % higher than US producers'
    assert adv["route_yield"] / ref["route_yield"] == pytest.approx(1.30, abs=1e-3)
    # identity: oxide need scales with 1 / route yield
    assert ref["ndpr_oxide_kg_reo_per_kg"] / adv["ndpr_oxide_kg_reo_per_kg"] == \
        pytest.approx(adv["route_yield"] / ref["route_yield"], rel=1e-9)
    ref_in = magnet_coefficients("N42", "reference", "in_house", tables=T)
    adv_in = magnet_coefficients("N42", "advanced", "in_house", tables=T)
    with capsys.disabled():
        print("\nN42 NdPr oxide per kg magnet by technology level (kg REO/kg):")
        for name, a, b in (("reference", ref, ref_in), ("advanced", adv, adv_in)):
            print(f"  {name:9s} route yield {a['route_yield']:.4f}: no recycling "
                  f"{a['ndpr_oxide_kg_reo_per_kg']:.4f}, in-house hydromet "
                  f"{b['ndpr_oxide_kg_reo_per_kg']:.4f}, TREO {a['treo_kg_reo_per_kg']:.4f}")


def test_route_result_contents():
    r = oxides_to_magnets("N42SH", Q_(1000, "t/yr"), "reference", "in_house", "hydromet", tables=T)
    assert r.magnets.total == pytest.approx(1000.0)
    assert r.gbd_applied.as_dict().keys() == {"Dy"}
    assert r.swarf.total == pytest.approx(r.step("machining").inputs[0].total * 0.25)
    assert r.consumptions["electricity"].units == Q_(1, "MWh/yr").units
    assert r.consumptions["electricity"].magnitude == pytest.approx(
        sum(r.consumptions[k].magnitude for k in
            ("electricity_magnet", "electricity_metal", "electricity_recycling")))
    assert r.recycling.product_kind == "mixed_oxide"
    assert r.oxide_reo("Nd").units == Q_(1, "t_REO/yr").units
    # oxide via metal yield and oxide factor (identity)
    c = magnet_coefficients("N42SH", tables=T)
    back = oxide_per_kg_from_metal(c["metal_kg_per_kg"], tables=T)
    credit = oxides_to_magnets("N42SH", 1.0, tables=T).recycled_in_house.re_reo
    for s, v in c["oxide_kg_reo_per_kg"].items():
        assert v == pytest.approx(back[s] - credit[index(s)], rel=1e-9)


def test_blending_limit_caps_recycled_powder():
    r = oxides_to_magnets("N42", 100.0, "reference", "in_house", "hydrogen", blending_limit=0.1, tables=T)
    pressed = sum(s.total for s in r.step("pressing_in_field").inputs)
    assert r.recycled_in_house.total == pytest.approx(0.1 * pressed, rel=1e-9)
    assert r.recycled_surplus.total > 0
    assert r.balance_error() < 1e-9


@settings(max_examples=25, deadline=None)
@given(
    grade=st.sampled_from(GRADES), level=st.sampled_from(["reference", "advanced"]),
    mode=st.sampled_from(["none", "recycler", "in_house"]),
    route=st.sampled_from(["hydrogen", "hydromet"]), output=st.floats(1e-6, 1e5),
    machining=st.floats(0.27, 1.0), recovery=st.floats(0.0, 1.0), blend=st.floats(0.0, 1.0),
)
def test_balance_of_every_step_and_route(grade, level, mode, route, output, machining, recovery,
                                        blend):
    r = oxides_to_magnets(grade, Q_(output, "t/yr"), level, mode, route, recovery=recovery,
                          blending_limit=blend, yields={"machining": machining}, tables=T)
    assert r.balance_error() < 1e-9
    for name, err in r.step_balance_errors().items():
        assert err < 1e-9, name
    assert np.all(r.primary_oxide.re >= 0)


def test_vectorized_over_samples():
    out = np.array([10.0, 100.0])
    r = oxides_to_magnets("N42", Q_(out, "t/yr"), swarf_recycling="in_house",
                          recycling_route="hydrogen", tables=T)
    one = oxides_to_magnets("N42", Q_(100.0, "t/yr"), swarf_recycling="in_house",
                            recycling_route="hydrogen", tables=T)
    assert r.primary_oxide.total_reo[1] == pytest.approx(float(one.primary_oxide.total_reo))
    assert r.balance_error() < 1e-9


def test_bad_input_refused():
    with pytest.raises(InputError, match="unknown magnet grade"):
        oxides_to_magnets("N99", 1.0, tables=T)
    with pytest.raises(InputError, match="swarf_recycling"):
        oxides_to_magnets("N42", 1.0, swarf_recycling="sometimes", tables=T)
    with pytest.raises(InputError, match="recycling_route"):
        oxides_to_magnets("N42", 1.0, recycling_route="pyro", tables=T)
    with pytest.raises(InputError, match="magnet_output"):
        oxides_to_magnets("N42", -1.0, tables=T)
    with pytest.raises(InputError, match=r"yield must lie in \(0, 1\]"):
        oxides_to_magnets("N42", 1.0, yields={"sintering_annealing": 0.0}, tables=T)
    with pytest.raises(InputError, match="blending_limit"):
        oxides_to_magnets("N42", 1.0, "reference", "in_house", "hydrogen", blending_limit=2.0, tables=T)
