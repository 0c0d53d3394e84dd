"""Tests of SX equipment and reagent sizing."""

import pytest

from tea.errors import InputError
from tea.process.cascade import design_cut
from tea.process.sx_equipment import DEFAULTS, feed_rate, size_equipment
from tea.units import Q_

ND_PR_MASS = 0.75 * 144.242 + 0.25 * 140.90766   # mean atomic mass of the feed [g/mol]


@pytest.fixture(scope="module")
def design():
    return design_cut(1.4, 0.75)


def test_reagents_stoichiometry(design):
    eq = size_equipment(design, Q_(1000.0, "mol/h"))
    # throughput is a calendar-average rate: 1000 mol/h = 8.766e6 mol/yr (year of 8766 h)
    loaded = design.organic_load * 1000.0 * 8766.0          # mol RE loaded per year
    # 3 mol base and 3 mol HCl per mol RE loaded (3 H+ per RE3+, domain-data 3.2)
    assert eq.base_use_mol.m_as("mol/yr") == pytest.approx(3 * loaded)
    assert eq.hcl_use_mol.m_as("mol/yr") == pytest.approx(3 * loaded)
    assert eq.base_use.m_as("t/yr") == pytest.approx(3 * loaded * 39.997e-6)


def test_ndpr_reagents_order_of_magnitude(design):
    # domain-data 5: a Nd/Pr cut to 99.99 % takes "of the order of 3 kg NaOH and 3 kg HCl per kg
    # NdPr oxide fed"
    feed = Q_(1000.0, "t/yr")
    eq = size_equipment(design, feed, Q_(ND_PR_MASS, "g/mol"))
    oxide = 1000.0 * 1.17                                   # t oxide/yr, R2O3/Pr6O11 ~1.17
    assert 2.0 < eq.base_use.m_as("t/yr") / oxide < 5.0
    assert 2.0 < eq.hcl_use.m_as("t/yr") / oxide < 5.0


def test_mass_and_molar_throughput_agree(design):
    mass = Q_(1000.0, "t/yr")
    molar = (mass / Q_(ND_PR_MASS, "g/mol")).to("mol/yr")
    a = size_equipment(design, mass, Q_(ND_PR_MASS, "g/mol"))
    b = size_equipment(design, molar)
    assert a.to_dict() == pytest.approx(b.to_dict())


def test_counts_volumes_identities(design):
    eq = size_equipment(design, Q_(500.0, "mol/h"), strip_stages=6)
    assert eq.mixer_settlers == design.total_stages + 6
    assert eq.total_volume.m_as("m**3") == pytest.approx(
        eq.mixer_volume.m_as("m**3") + eq.settler_volume.m_as("m**3"))
    # organic flow = S F / loading (0.15 mol/L [C]); F is the operating rate, the calendar rate
    # times 8766 h / 8000 operating hours
    assert eq.organic_flow.m_as("L/h") == pytest.approx(
        design.organic_load * 500.0 * 8766 / 8000 / 0.15)
    # volume scales linearly with throughput
    eq2 = size_equipment(design, Q_(1000.0, "mol/h"), strip_stages=6)
    assert eq2.total_volume.m_as("m**3") == pytest.approx(2 * eq.total_volume.m_as("m**3"))
    d = eq.to_dict()
    assert d["mixer_settlers"] == design.total_stages + 6
    assert set(DEFAULTS) == set(eq.assumptions)


def test_mixer_volume_from_residence_time(design):
    a = size_equipment(design, Q_(500.0, "mol/h"), mixer_residence_time=Q_(3, "min"))
    b = size_equipment(design, Q_(500.0, "mol/h"), mixer_residence_time=Q_(6, "min"))
    assert b.mixer_volume.m_as("m**3") == pytest.approx(2 * a.mixer_volume.m_as("m**3"))


@pytest.mark.parametrize("args, kwargs, key", [
    ((Q_(1, "t/yr"),), {}, "molar_mass"),
    ((Q_(1, "m"),), {}, "throughput"),
    ((5.0,), {}, "throughput"),
    ((Q_(-1, "mol/h"),), {}, "throughput"),
    ((Q_(1, "mol/h"),), {"base": "KOH"}, "base"),
    ((Q_(1, "mol/h"),), {"pressure": 3}, "pressure"),
])
def test_bad_input(design, args, kwargs, key):
    with pytest.raises(InputError) as err:
        size_equipment(design, *args, **kwargs)
    assert key in str(err.value)


def test_feed_rate_spreads_annual_flow():
    assert feed_rate(Q_(8000.0, "mol/yr")).m_as("mol/h") == pytest.approx(1.0)
