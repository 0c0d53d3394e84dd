"""Beneficiation: recoveries, grade target, mass pull, balance, bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tea.config.inputs import default_input_tables
from tea.elements import N_ELEMENTS, index
from tea.errors import InputError
from tea.process.beneficiation import BeneficiationParams, beneficiate
from tea.process.mining import mine
from tea.process.parameters import get_beneficiation, get_deposit
from tea.streams import Stream, balance_error
from tea.units import Q_

T = default_input_tables()

pytestmark = pytest.mark.unit
SPECIES = ("Fe", "Th", "P2O5", "gangue")


def _ore(re, species):
    return Stream(np.asarray(re), dict(zip(SPECIES, species, strict=True)), "t/yr", "ore")


def test_flotation_parameters_from_table():
    p = T.beneficiation["flotation"]
    # domain-data sec. 5: flotation 60-85 % recovery, 30-40 % REO rougher grade [E]
    assert 0.60 <= p.recovery <= 0.85
    assert 0.30 <= p.concentrate_grade <= 0.40
    assert set(T.beneficiation) == {"flotation", "gravity_magnetic", "apatite_flotation", "none"}


def test_tomtor_flotation_reaches_grade_and_recovery():
    ore = mine(get_deposit("tomtor", T.deposits), Q_(160, "kt/yr")).ore
    p = get_beneficiation("flotation", T.beneficiation)
    res = beneficiate(ore, p)
    assert res.concentrate_grade == pytest.approx(p.concentrate_grade)
    rec = p.recovery_vector()
    assert res.concentrate.re == pytest.approx(ore.re * rec)
    assert res.mass_pull == pytest.approx(res.concentrate.total / ore.total)
    assert 0 < res.mass_pull < 1
    assert balance_error([ore], [res.concentrate, res.tailings], SPECIES) < 1e-12


def test_element_overrides_apply():
    p = BeneficiationParams("flotation", recovery=0.8, element_recovery={"Y": 0.5})
    vec = p.recovery_vector()
    assert vec[index("Y")] == 0.5 and vec[index("La")] == 0.8


def test_none_method_passes_everything():
    ore = mine(get_deposit("lovozero", T.deposits), Q_(1, "kt/yr")).ore
    res = beneficiate(ore, get_beneficiation("none", T.beneficiation))
    assert res.mass_pull == pytest.approx(1.0)
    assert res.tailings.total == pytest.approx(0.0, abs=1e-9)


def test_unreachable_grade_keeps_no_gangue_and_reports_achieved_grade():
    ore = _ore(np.full(N_ELEMENTS, 0.01), (50.0, 0.0, 0.0, 10.0))
    p = BeneficiationParams("flotation", recovery=0.9, species_recovery={"Fe": 1.0},
                            concentrate_grade=0.5)
    res = beneficiate(ore, p)
    assert res.concentrate.other["gangue"] == 0.0
    assert res.concentrate_grade < 0.5


@settings(max_examples=40, deadline=None)
@given(
    re=st.lists(st.floats(0, 1e4), min_size=N_ELEMENTS, max_size=N_ELEMENTS),
    species=st.lists(st.floats(0, 1e5), min_size=4, max_size=4),
    rec=st.floats(0, 1), grade=st.one_of(st.none(), st.floats(0.01, 1.0)),
    srec=st.lists(st.floats(0, 1), min_size=3, max_size=3),
)
def test_mass_balance_property(re, species, rec, grade, srec):
    ore = _ore(re, species)
    p = BeneficiationParams("flotation", recovery=rec, concentrate_grade=grade,
                            species_recovery=dict(zip(SPECIES[:3], srec, strict=True)))
    res = beneficiate(ore, p)
    assert balance_error([ore], [res.concentrate, res.tailings], SPECIES) < 1e-9


def test_vectorized_recovery_samples():
    ore = mine(get_deposit("tomtor", T.deposits), Q_(np.array([1.0, 2.0]), "kt/yr")).ore
    p = BeneficiationParams("flotation", recovery=np.array([0.6, 0.8]), concentrate_grade=0.35)
    res = beneficiate(ore, p)
    assert res.recovery == pytest.approx([0.6, 0.8])
    assert balance_error([ore], [res.concentrate, res.tailings], ("gangue",)) < 1e-12


@pytest.mark.parametrize("kw, match", [
    (dict(recovery=1.2), "recovery must lie in"),
    (dict(recovery=-0.1), "recovery must lie in"),
    (dict(element_recovery={"Nd": 2.0}), "recovery must lie in"),
    (dict(element_recovery={"Xx": 0.5}), "unknown rare-earth element"),
    (dict(species_recovery={"Fe": -1}), "species_Fe"),
    (dict(concentrate_grade=0.0), "concentrate_grade"),
    (dict(method="magic"), "unknown beneficiation method"),
])
def test_bad_parameters_are_refused(kw, match):
    base = dict(method="flotation", recovery=0.8)
    base.update(kw)
    with pytest.raises(InputError, match=match):
        BeneficiationParams(**base)


def test_unknown_method_name():
    with pytest.raises(InputError, match="unknown beneficiation method 'sieve'"):
        get_beneficiation("sieve", T.beneficiation)
