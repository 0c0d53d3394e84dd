"""Deposits and mining: the input table, ore streams, waste, mine life, bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tea.config.inputs import default_input_tables, read_rows
from tea.elements import N_ELEMENTS
from tea.errors import InputError
from tea.process.mining import Deposit, mine
from tea.process.parameters import get_deposit, parse_deposits
from tea.units import Q_

T = default_input_tables()

pytestmark = pytest.mark.unit


def _deposit(**kw):
    base = dict(key="test", name="test", country="XX", ore_tonnage=Q_(10, "Mt"), treo_grade=0.05,
                distribution={"La": 0.3, "Ce": 0.5, "Nd": 0.2}, strip_ratio=3.0,
                species_grades={"Fe": 0.1, "Th": 0.001})
    base.update(kw)
    return Deposit(**base)


def test_all_deposits_load_with_distributions_summing_to_one():
    deposits = T.deposits
    for key in ("tomtor", "tomtor_resource", "lovozero", "kola_apatite", "mountain_pass",
                "mount_weld", "bayan_obo"):
        assert key in deposits
        assert deposits[key].distribution.sum() == pytest.approx(1.0, abs=1e-12)


def test_tomtor_figures_from_jorc_2019():
    d = get_deposit("tomtor", T.deposits)
    # SRK JORC 2019 reserve, quoted in domain-data sec. 4: 11.4 Mt at 14.5 % TREO, 6.0 % Nb2O5
    assert d.ore_tonnage.to("Mt").magnitude == pytest.approx(11.4)
    assert d.treo_grade == pytest.approx(0.145)
    assert d.species_grades["Nb2O5"] == pytest.approx(0.060)
    # planned 160 kt/yr ore (Roskill 2018, domain-data sec. 4)
    assert d.design_ore_rate.to("t/yr").magnitude == pytest.approx(160_000)
    # older resource 154 Mt at 9.5 %
    old = get_deposit("tomtor_resource", T.deposits)
    assert old.contained_treo.to("Mt_REO").magnitude == pytest.approx(154 * 0.095)


def test_mountain_pass_split_from_mp_10k():
    d = get_deposit("mountain_pass", T.deposits)
    from tea.elements import ELEMENTS
    frac = dict(zip(ELEMENTS, d.distribution, strict=True))
    # MP 10-K TREO split: Ce 50.2, La 32.3, NdPr 15.7, SEG+ 1.8 % (domain-data sec. 4)
    assert frac["Ce"] == pytest.approx(0.502)
    assert frac["La"] == pytest.approx(0.323)
    assert frac["Nd"] + frac["Pr"] == pytest.approx(0.157)
    assert 1 - frac["Ce"] - frac["La"] - frac["Nd"] - frac["Pr"] == pytest.approx(0.018)


def test_mine_tomtor_at_design_rate():
    d = get_deposit("tomtor", T.deposits)
    res = mine(d, Q_(160, "kt/yr"))
    assert res.ore.total == pytest.approx(160_000)  # identity: ore stream mass = ore rate
    assert res.treo.to("t_REO/yr").magnitude == pytest.approx(160_000 * 0.145)
    assert res.ore.other["Nb2O5"] == pytest.approx(160_000 * 0.06)
    assert res.material_moved.to("t/yr").magnitude == pytest.approx(160_000 * (1 + d.strip_ratio))
    assert res.cost_basis is res.material_moved
    assert res.mine_life.to("yr").magnitude == pytest.approx(11.4e6 / 160e3)


def test_mine_is_vectorized_over_samples():
    res = mine(_deposit(), Q_(np.array([1.0, 2.0, 4.0]), "Mt/yr"))
    assert res.ore.re.shape == (3, N_ELEMENTS)
    assert np.allclose(res.ore.total, [1e6, 2e6, 4e6])
    assert np.allclose(res.mine_life.magnitude, [10, 5, 2.5])


def test_zero_rate_has_infinite_life():
    res = mine(_deposit(), Q_(0, "t/yr"))
    assert np.isinf(res.mine_life.magnitude)


@settings(max_examples=40, deadline=None)
@given(
    rate=st.floats(1e-3, 1e8),
    grade=st.floats(1e-4, 0.5),
    fe=st.floats(0, 0.3),
    strip=st.floats(0, 20),
    weights=st.lists(st.floats(0.0, 1.0), min_size=N_ELEMENTS, max_size=N_ELEMENTS).filter(
        lambda w: sum(w) > 1e-3),
)
def test_ore_mass_balance(rate, grade, fe, strip, weights):
    dist = np.array(weights) / sum(weights)
    res = mine(_deposit(treo_grade=grade, distribution=dist, strip_ratio=strip,
                        species_grades={"Fe": fe}), Q_(rate, "t/yr"))
    assert abs(res.ore.total - rate) / rate < 1e-9
    assert abs(res.ore.total_reo - grade * rate) / (grade * rate) < 1e-9
    assert abs(res.material_moved.magnitude - rate * (1 + strip)) / rate < 1e-9


@pytest.mark.parametrize("kw, field", [
    (dict(treo_grade=1.2), "treo_grade"),
    (dict(treo_grade=0.0), "treo_grade"),
    (dict(strip_ratio=-1.0), "strip_ratio"),
    (dict(ore_tonnage=Q_(-1, "Mt")), "ore_tonnage"),
    (dict(species_grades={"Fe": 1.5}), "grade_Fe"),
    (dict(species_grades={"Unobtainium": 0.1}), "Unobtainium"),
    (dict(species_grades={"Fe": 0.97}), "add up"),
    (dict(mining_method="dredge"), "mining_method"),
    (dict(distribution={"La": 0.5, "Ce": 0.3}), "sum"),
    (dict(distribution={"La": 1.2, "Ce": -0.2}), "negative"),
])
def test_bad_deposit_is_refused(kw, field):
    with pytest.raises(InputError, match=field):
        _deposit(**kw)


def test_negative_rate_and_bad_units_are_refused():
    with pytest.raises(InputError, match="ore_rate"):
        mine(_deposit(), Q_(-5, "t/yr"))
    with pytest.raises(InputError, match="ore_rate"):
        mine(_deposit(), Q_(5, "t"))
    with pytest.raises(InputError, match="mining_recovery"):
        mine(_deposit(), Q_(5, "t/yr"), mining_recovery=1.5)


def test_unknown_deposit_names_the_known_ones():
    with pytest.raises(InputError, match="unknown deposit 'atlantis'.*tomtor"):
        get_deposit("atlantis", T.deposits)


def test_bad_distribution_file_names_file_and_deposit(tmp_path):
    deposits = tmp_path / "deposits.csv"
    deposits.write_text("deposit,parameter,value,unit,source\n"
                        "x,ore_tonnage,1,Mt,assumption\nx,treo_grade,0.1,fraction,assumption\n")
    dist = tmp_path / "deposit_distributions.csv"
    dist.write_text("# comment\ndeposit,element,fraction_of_treo,source\n"
                    "x,La,0.5,assumption\nx,Ce,0.4,assumption\n")
    with pytest.raises(InputError, match=r"deposit_distributions.csv: x: TREO fractions sum to 0.9"):
        parse_deposits(read_rows(deposits), read_rows(dist))
    dist.write_text("deposit,element,fraction_of_treo,source\nx,Xx,1.0,assumption\n")
    with pytest.raises(InputError, match="unknown element 'Xx'"):
        parse_deposits(read_rows(deposits), read_rows(dist))
    dist.write_text("deposit,element,fraction_of_treo,source\nx,La,1.0,assumption\n")
    deposits.write_text("deposit,parameter,value,unit,source\nx,ore_tonnage,1,Mt,\n")
    with pytest.raises(InputError, match="needs a source"):
        parse_deposits(read_rows(deposits), read_rows(dist))
    deposits.write_text("deposit,parameter,value,unit,source\n"
                        "x,ore_tonnage,lots,Mt,assumption\nx,treo_grade,0.1,fraction,assumption\n")
    with pytest.raises(InputError, match=r"x.ore_tonnage: expected a number"):
        parse_deposits(read_rows(deposits), read_rows(dist))
    deposits.write_text("deposit,parameter,value,unit,source\n"
                        "x,ore_tonnage,1,Mt,assumption\nx,treo_grade,1.1,fraction,assumption\n")
    with pytest.raises(InputError, match=r"deposits.csv: x.treo_grade"):
        parse_deposits(read_rows(deposits), read_rows(dist))
