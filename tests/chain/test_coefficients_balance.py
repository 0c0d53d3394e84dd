"""Every technology's coefficient table balances like its process model, element by element.

Identity (DESIGN, "Process models"): RE in = RE in products + RE in scrap + RE in named losses, per
element and mode, to 1e-9 of the mode's RE intake. The magnet route's scrap reaches the optimizer
whole: the scrap coefficients equal what the process model sends to a recycler.
"""

from __future__ import annotations

import numpy as np
import pytest

from tea.chain import build_chain
from tea.chain.coefficients import plant_coefficients
from tea.chain.commodity import element_of
from tea.config import load_scenario
from tea.config.inputs import default_input_tables
from tea.elements import ELEMENTS
from tea.process.magnet_route import UNIT, oxides_to_magnets
from tea.units import Q_

T = default_input_tables()

MODELS = ["models/siberia_cluster.toml", "models/china_reference.toml",
          "models/us_australia.toml"]


def _residuals(unit, mode, magnet_re) -> tuple[np.ndarray, float]:
    """Per-element (in - out - losses) of one mode and its RE intake [t per unit activity]."""
    net = np.zeros(len(ELEMENTS))
    intake = 0.0
    for commodity, coef in unit.coefficients[mode].items():
        comp = magnet_re.get(commodity) if commodity.startswith("magnet:") else (
            {element_of(commodity): 1.0})
        for el, t in comp.items():
            net[ELEMENTS.index(el)] -= coef * t  # in (coef < 0) minus out
            intake += max(-coef * t, 0.0)
    for el, t in unit.resource_in.get(mode, {}).items():
        net[ELEMENTS.index(el)] += t
        intake += t
    for loss in unit.losses.get(mode, {}).values():
        for el, t in loss.items():
            net[ELEMENTS.index(el)] -= t
    return net, intake


@pytest.mark.parametrize("path", MODELS)
def test_every_mode_of_every_plant_balances_per_element(path):
    scenario = load_scenario(path)
    _, info = build_chain(scenario)
    magnet_re = info.magnet_re_per_t
    seen = set()
    for plant in scenario.plants.values():
        unit = info.unit_coefficients[plant.id]
        for mode in unit.modes:
            net, intake = _residuals(unit, mode, magnet_re)
            assert intake > 0, (plant.id, mode)
            assert np.abs(net).max() <= 1e-9 * intake, (plant.id, mode, dict(zip(ELEMENTS, net, strict=True)))
        seen.add(plant.technology)
    assert seen >= {"mine", "cracking", "separation", "metal", "magnet", "recycling"}


def test_magnet_scrap_reaches_the_optimizer_whole():
    # the process model's stream to an outside recycler (swarf, sludge, rejects), per kg magnet
    scenario = load_scenario("models/siberia_cluster.toml")
    plant = scenario.plants["krasnoyarsk_magnet"]
    unit = plant_coefficients(scenario, plant)
    route = oxides_to_magnets(plant.grade, Q_(1.0, UNIT), plant.tech_level, "recycler", tables=T)
    coefs = unit.coefficients[plant.grade]
    for i, el in enumerate(ELEMENTS):
        got = sum(v for k, v in coefs.items() if k.startswith("scrap:") and k.endswith(f":{el}"))
        assert got == pytest.approx(float(route.to_recycler.re[i]), rel=1e-12, abs=1e-15)
    # more than the machining swarf alone (sludge and rejects go too)
    assert sum(v for k, v in coefs.items() if k.startswith("scrap:")) > float(
        route.swarf.total_re)


def test_separation_takes_its_feed_in_the_feed_proportions():
    # each mode consumes the mixed solution in the composition the cracking plant makes it
    scenario = load_scenario("models/siberia_cluster.toml")
    _, info = build_chain(scenario)
    made = info.unit_coefficients["krasnoyarsk_cracking"].coefficients["concentrate"]
    sep = info.unit_coefficients["krasnoyarsk_separation"].coefficients["tomtor"]
    mixed_made = {k: v for k, v in made.items() if k.startswith("mixed:")}
    taken = {k: -v for k, v in sep.items() if k.startswith("mixed:")}
    assert set(taken) == set(mixed_made)
    total_made, total_taken = sum(mixed_made.values()), sum(taken.values())
    for k in taken:
        assert taken[k] / total_taken == pytest.approx(mixed_made[k] / total_made, rel=1e-9)


def test_recycler_applies_its_recovery_to_every_element():
    scenario = load_scenario("models/siberia_cluster.toml")
    unit = plant_coefficients(scenario, scenario.plants["krasnoyarsk_recycling"])
    for coefs in unit.coefficients.values():
        fed = {element_of(k): -v for k, v in coefs.items() if k.startswith("scrap:")}
        out = {element_of(k): v for k, v in coefs.items() if k.startswith("mixed:")}
        ratios = {el: out[el] / fed[el] for el in fed}
        assert max(ratios.values()) == pytest.approx(min(ratios.values()), rel=1e-12)


@pytest.mark.parametrize("case, recovery", [(None, 0.55), ("seed_after", 0.78),
                                            ("ames_cmi", 0.97)])
def test_recovery_case_sets_the_recyclers_recovery(case, recovery):
    # seed 003: 55 % at scale, 78 % improved; Chowdhury et al. 2021: 97 % in the laboratory
    overrides = {"plants.krasnoyarsk_recycling.recovery_case": case} if case else None
    scenario = load_scenario("models/siberia_cluster.toml", overrides)
    unit = plant_coefficients(scenario, scenario.plants["krasnoyarsk_recycling"])
    for coefs in unit.coefficients.values():
        fed = -sum(v for k, v in coefs.items() if k.startswith("scrap:"))
        made = sum(v for k, v in coefs.items() if k.startswith("mixed:"))
        assert made / fed == pytest.approx(recovery, rel=1e-12)


def test_unknown_recovery_case_is_refused_naming_the_key():
    from tea.errors import InputError

    with pytest.raises(InputError) as err:
        load_scenario("models/siberia_cluster.toml",
                      {"plants.krasnoyarsk_recycling.recovery_case": "perfect"})
    assert "plants.krasnoyarsk_recycling.recovery_case" in str(err.value)
    assert "siberia_cluster.toml" in str(err.value)
