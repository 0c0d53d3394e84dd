"""Costs of one plant module (tea.chain.costs): scaled and stated capex, fixed opex, errors.

The expected figures are worked by hand from the rows of inputs/reference_plants.csv,
cost_indices.csv, location_factors.csv, capex_factors.csv, labour.csv and fx.csv, read here with
the csv module rather than through tea.
"""

import csv
import dataclasses
import math
from pathlib import Path

import pytest

from tea.chain.coefficients import plant_coefficients
from tea.chain.costs import REGION_LOCATION, plant_cost
from tea.config import load_scenario
from tea.errors import InputError
from tea.units import Q_

ROOT = Path(__file__).resolve().parents[2]
SIBERIA = ROOT / "models" / "siberia_cluster.toml"
INPUTS = ROOT / "inputs"


def _rows(name: str) -> list[dict]:
    with open(INPUTS / name, encoding="utf-8") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def _value(name: str, key_column: str, key: str, value_column: str, **match) -> float:
    for row in _rows(name):
        if row[key_column] == key and all(row[k] == v for k, v in match.items()):
            return float(row[value_column])
    raise KeyError(f"{name}: no row {key}")


def _cepci(year: int) -> float:
    return _value("cost_indices.csv", "index", "CEPCI", "value", year=str(year))


def _location(name: str) -> float:
    return _value("location_factors.csv", "location", name, "factor")


def _capex_factor(name: str) -> float:
    return _value("capex_factors.csv", "name", name, "value")


def _rub_per_usd(date: str) -> float:
    return _value("fx.csv", "date", date, "per_usd", currency="RUB")


def _cost(scenario, plant_id, unit=None, plant=None):
    plant = plant or scenario.plants[plant_id]
    unit = unit or plant_coefficients(scenario, plant)
    money = scenario.money("CPI")
    return plant_cost(scenario, plant, unit, money.with_index("CEPCI"), money)


@pytest.fixture(scope="module")
def siberia():
    return load_scenario(SIBERIA)


@pytest.fixture(scope="module")
def separation_unit(siberia):
    """Unit coefficients of the Krasnoyarsk separation plant (they do not depend on its size)."""
    return plant_coefficients(siberia, siberia.plants["krasnoyarsk_separation"])


def test_scaled_capex_matches_hand_calculation(siberia, separation_unit):
    # 4 kt_REO/yr scaled from Avalon Geismar (US$302 M of 2011 for 10,000 t/yr REO)
    scenario = load_scenario(SIBERIA, {"plants.krasnoyarsk_separation.capacity": "4 kt_REO/yr"})
    cost = _cost(scenario, "krasnoyarsk_separation", separation_unit)
    ref = next(r for r in _rows("reference_plants.csv") if r["key"] == "avalon_geismar")
    assert (ref["currency"], ref["capacity_basis"]) == ("USD", "REO")
    scaled = float(ref["capex"]) * (4000 / float(ref["capacity"])) ** float(ref["exponent"])
    escalated = scaled * _cepci(scenario.base_year) / _cepci(int(ref["cost_year"]))
    us_gulf = escalated / _location(ref["country"])  # the reference's country factor taken out
    region = scenario.sites["krasnoyarsk"].region
    located = us_gulf * math.prod(_location(n) for n in REGION_LOCATION[region])  # RU x siberia
    # first of a kind (no learning), then contingency and owner's costs on the located cost
    expected = located * (1 + _capex_factor("contingency") + _capex_factor("owners_cost"))
    assert cost.capex_musd == pytest.approx(expected / 1e6, rel=1e-12)
    assert cost.capex_musd == pytest.approx(377.057, abs=1e-3)  # 653.387 MUSD x 0.4^0.6
    items = dict(zip(cost.capex_table["item"], cost.capex_table["amount"], strict=True))
    assert items["contingency"] == pytest.approx(located * _capex_factor("contingency"), rel=1e-12)
    # fixed opex: 150 persons at 10,000 t/yr REO x (0.4)^0.25 rounded up = 120 at the RU wage
    # (RUB of 2025, the base year: no escalation), plus maintenance, insurance, overhead
    assert cost.jobs == math.ceil(150 * 0.4 ** 0.25) == 120
    wage = 1.6e6 / _rub_per_usd(scenario.fx_date)
    charges = sum(_capex_factor(k) for k in ("maintenance", "insurance", "overhead"))
    assert cost.fixed_opex_musd == pytest.approx((120 * wage + charges * expected) / 1e6,
                                                 rel=1e-12)


def test_scaled_capex_does_not_depend_on_the_capacity_unit(siberia, separation_unit):
    # the case: 653 MUSD at "10000 t_REO/yr" had become 10.4 MUSD at "10 kt_REO/yr" and
    # 41,226 MUSD at "1e7 kg_REO/yr"
    key = "plants.krasnoyarsk_separation.capacity"
    reference = load_scenario(SIBERIA, {key: "10000 t_REO/yr"})
    plant = reference.plants["krasnoyarsk_separation"]
    base = _cost(reference, plant.id, separation_unit)
    assert base.capex_musd == pytest.approx(653.387, abs=1e-3)  # Avalon's size: no scaling
    for text in ("10000 t_REO/yr", "10 kt_REO/yr", "1e7 kg_REO/yr"):
        loaded = load_scenario(SIBERIA, {key: text})
        # through the loader, and with the quantity handed to plant_cost as written
        for scenario, variant in ((loaded, loaded.plants[plant.id]),
                                  (reference, dataclasses.replace(plant, capacity=Q_(text)))):
            cost = _cost(scenario, plant.id, separation_unit, variant)
            assert cost.capex_musd == pytest.approx(base.capex_musd, rel=1e-12), text
            assert cost.fixed_opex_musd == pytest.approx(base.fixed_opex_musd, rel=1e-12), text
            assert cost.jobs == base.jobs


def test_stated_capex_is_taken_as_is(siberia):
    # Glazov: 3.6 bn RUB of 2024 per module, converted at the CBR rate of the model's fx_date and
    # escalated 2024 -> 2025 by the CEPCI; no location, contingency or owner's cost added
    cost = _cost(siberia, "glazov_magnet")
    expected = 3.6e9 / _rub_per_usd(siberia.fx_date) * _cepci(2025) / _cepci(2024)
    assert cost.capex_musd == pytest.approx(expected / 1e6, rel=1e-12)
    assert list(cost.capex_table["item"])[0] == "magnet plant (stated)"
    adjustments = cost.capex_table[cost.capex_table["category"] == "adjustment"]
    assert (adjustments["amount"] == 0).all()


def test_unknown_reference_plant_names_file_and_key(siberia):
    scenario = load_scenario(SIBERIA, {"plants.krasnoyarsk_magnet.reference_plant": "nowhere"})
    with pytest.raises(InputError, match="unknown reference plant 'nowhere'") as info:
        _cost(scenario, "krasnoyarsk_magnet")
    assert info.value.file == str(SIBERIA)
    assert info.value.key == "plants.krasnoyarsk_magnet.reference_plant"
    assert str(info.value).startswith(f"{SIBERIA}: plants.krasnoyarsk_magnet.reference_plant: ")


def test_unknown_region_names_file_and_key(siberia):
    scenario = load_scenario(SIBERIA, {"sites.krasnoyarsk.region": "RU-Mars"})
    with pytest.raises(InputError, match="unknown region 'RU-Mars'") as info:
        _cost(scenario, "krasnoyarsk_magnet")
    assert info.value.file == str(SIBERIA) and info.value.key == "sites.krasnoyarsk.region"


@pytest.mark.parametrize(("plant_id", "reference", "basis"), [
    ("krasnoyarsk_separation", "neo_narva", "sintered NdFeB"),  # t_REO/yr from a t/yr basis
    ("krasnoyarsk_magnet", "avalon_geismar", "REO"),            # t/yr from a t_REO/yr basis
])
def test_reference_on_another_basis_is_refused(siberia, separation_unit, plant_id, reference,
                                               basis):
    scenario = load_scenario(SIBERIA, {f"plants.{plant_id}.reference_plant": reference})
    unit = separation_unit if plant_id == "krasnoyarsk_separation" else None
    with pytest.raises(InputError, match=f"counts {basis} in") as info:
        _cost(scenario, plant_id, unit)
    assert info.value.file == str(SIBERIA) and info.value.key == f"plants.{plant_id}.capacity"
