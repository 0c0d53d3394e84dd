"""Shipping masses (tea.chain.transport) against the forms in inputs/shipping.csv and the
beneficiation model, and the errors of a bad shipping table."""

import numpy as np
import pytest

from tea.chain import build_chain
from tea.chain.coefficients import concentrate_per_tonne_ore
from tea.chain.transport import shipping_mass
from tea.config import load_scenario
from tea.config.inputs import default_input_tables, parse_shipping_forms, read_rows
from tea.elements import ELEMENTS, OXIDE_FACTOR, index
from tea.errors import InputError

SIBERIA = "models/siberia_cluster.toml"
FORMS = default_input_tables().shipping


def test_forms_move_as_their_compound():
    # oxide: Nd2O3 carries 1.166 t per t of Nd (oxide factor, an identity)
    assert shipping_mass("oxide:Nd", {}, FORMS) == pytest.approx(float(OXIDE_FACTOR[index("Nd")]))
    # mixed carbonate at 50.9 % REO (Commerce Resources, 2022): 1.166 / 0.509 t per t of Nd
    assert shipping_mass("mixed:tomtor:Nd", {}, FORMS) == pytest.approx(
        float(OXIDE_FACTOR[index("Nd")]) / 0.509)
    # scrap: sintered NdFeB at 31 % RE (domain-data s.6)
    assert shipping_mass("scrap:N42_reference:Dy", {}, FORMS) == pytest.approx(1 / 0.31)
    assert shipping_mass("metal:Pr", {}, FORMS) == 1.0
    assert shipping_mass("magnet:N42", {}, FORMS) == 1.0
    assert shipping_mass("conc:tomtor:La", {"tomtor": 3.4}, FORMS) == 3.4


def test_concentrate_mass_reproduces_the_beneficiation_grade():
    """A t of RE element in Tomtor concentrate, as REO, over the mass that moves, is the
    concentrate's REO grade of the beneficiation model (0.35, inputs/beneficiation.csv)."""
    scenario = load_scenario(SIBERIA)
    data, _ = build_chain(scenario)
    ben = concentrate_per_tonne_ore(scenario, "tomtor")[2]
    conc = ben.concentrate
    share = np.asarray(conc.re, float) / float(conc.total_re)
    reo_per_t_element = float((share * OXIDE_FACTOR).sum())
    mass = data.commodities.loc["conc:tomtor:Nd", "shipping_mass"]
    assert reo_per_t_element / mass == pytest.approx(float(ben.concentrate_grade), rel=1e-9)
    assert float(ben.concentrate_grade) == pytest.approx(0.35)
    # every element of one concentrate moves with the same mass per t
    masses = data.commodities.loc[[f"conc:tomtor:{s}" for s in ELEMENTS
                                   if f"conc:tomtor:{s}" in data.commodities.index],
                                  "shipping_mass"]
    assert masses.nunique() == 1


def test_siberian_routes_reach_the_optimizer():
    data, _ = build_chain(load_scenario(SIBERIA))
    pairs = {frozenset((a, b)): km for a, b, km in data.routes.itertuples(index=False)}
    assert pairs[frozenset(("krasnoyarsk", "irkutsk"))] == 1090.0  # Trans-Siberian km posts


@pytest.mark.parametrize("row, key, words", [
    ("mixed,carbonate,REO,1.5,src", "mixed.content", "(0, 1]"),
    ("mixed,carbonate,REO,abc,src", "mixed.content", "(0, 1]"),
    ("mixed,carbonate,mass,0.5,src", "mixed.basis", "expected REO or RE"),
    ("mixed,carbonate,REO,0.5,", "mixed.source", "needs a source"),
])
def test_bad_shipping_table(tmp_path, row, key, words):
    path = tmp_path / "shipping.csv"
    path.write_text("material,form,basis,content,source\n" + row + "\n")
    with pytest.raises(InputError) as err:
        parse_shipping_forms(read_rows(path))
    assert err.value.key == key and words in err.value.message
    assert err.value.file == str(path)
