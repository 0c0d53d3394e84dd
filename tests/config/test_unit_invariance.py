"""Units once, at the boundary: a model file's values mean the same whatever units they are
written in, and the loaded scenario holds each in its documented base unit."""

import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tea.chain.coefficients import plant_coefficients
from tea.chain.costs import plant_cost
from tea.config import load_scenario
from tea.config.scenario import CAPACITY_UNITS
from tea.errors import InputError
from tea.units import money_units_of, parse_quantity, ureg

ROOT = Path(__file__).resolve().parents[2]
SIBERIA = ROOT / "models" / "siberia_cluster.toml"
MODELS = sorted((ROOT / "models").glob("*.toml"))

PLANTS = ("krasnoyarsk_separation", "krasnoyarsk_cracking", "tomtor_mine", "khakassia_metal",
          "krasnoyarsk_magnet", "glazov_magnet", "krasnoyarsk_recycling")
"""Plants of the default model, one or two per technology, scaled (reference plant) and stated."""

CAPACITY_SPELLINGS = {
    "t/yr": ("t/yr", "kt/yr", "kg/yr", "Mt/yr", "t/day"),
    "t_REO/yr": ("t_REO/yr", "kt_REO/yr", "kg_REO/yr", "t_REO/day"),
}
YEAR_SPELLINGS = ("yr", "year", "month")
DISTANCE_SPELLINGS = ("km", "m")
PER_MASS_SPELLINGS = ("t", "kg", "kt")  # money stays in its currency; the mass is rescaled
MINING_COST = "3.5 USD_2024/t"
"""A mining cost set for the mine (the default model leaves the default to it)."""


def _spelled(text: str, unit: str) -> str:
    """The value of ``text`` written in ``unit``."""
    return f"{parse_quantity(text).to(unit).magnitude!r} {unit}"


def _plant_table(plant_id: str) -> dict:
    import tomllib

    return tomllib.loads(SIBERIA.read_text(encoding="utf-8"))["plants"][plant_id]


def _site_table(site_id: str) -> dict:
    import tomllib

    return tomllib.loads(SIBERIA.read_text(encoding="utf-8"))["sites"][site_id]


def _extra(plant_id: str) -> dict:
    return {f"plants.{plant_id}.mining_cost": MINING_COST} if plant_id == "tomtor_mine" else {}


def _costs(overrides: dict, plant_id: str):
    scenario = load_scenario(SIBERIA, overrides)
    plant = scenario.plants[plant_id]
    unit = plant_coefficients(scenario, plant)
    money = scenario.money("CPI")
    return scenario, unit, plant_cost(scenario, plant, unit, money.with_index("CEPCI"), money)


_BASELINE: dict = {}


def _baseline(plant_id: str):
    if plant_id not in _BASELINE:
        _BASELINE[plant_id] = _costs(_extra(plant_id), plant_id)
    return _BASELINE[plant_id]


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-300)


@st.composite
def respelled(draw):
    """A plant of the default model and overrides writing its unit-bearing fields (and its site's
    distances) in other units of the same dimension."""
    plant_id = draw(st.sampled_from(PLANTS))
    table = {**_plant_table(plant_id), **{k.rsplit(".", 1)[1]: v
                                          for k, v in _extra(plant_id).items()}}
    base = CAPACITY_UNITS[table["technology"]]
    out = {}
    out[f"plants.{plant_id}.capacity"] = _spelled(
        table["capacity"], draw(st.sampled_from(CAPACITY_SPELLINGS[base])))
    for key in ("lead_time", "lifetime"):
        out[f"plants.{plant_id}.{key}"] = _spelled(table[key], draw(st.sampled_from(YEAR_SPELLINGS)))
    if "mining_cost" in table:
        money = next(iter(money_units_of(parse_quantity(table["mining_cost"]))))
        mass = draw(st.sampled_from(PER_MASS_SPELLINGS))
        out[f"plants.{plant_id}.mining_cost"] = _spelled(table["mining_cost"], f"{money}/{mass}")
    site_id = table["site"]
    site = _site_table(site_id)
    if "distance_to_market" in site:
        out[f"sites.{site_id}.distance_to_market"] = _spelled(
            site["distance_to_market"], draw(st.sampled_from(DISTANCE_SPELLINGS)))
    for to, km in site.get("routes", {}).items():
        out[f"sites.{site_id}.routes.{to}"] = _spelled(km, draw(st.sampled_from(DISTANCE_SPELLINGS)))
    return plant_id, out


@settings(max_examples=8, deadline=None)
@given(respelled())
def test_plant_costs_and_coefficients_do_not_depend_on_units(case):
    plant_id, overrides = case
    scenario_a, unit_a, cost_a = _baseline(plant_id)
    scenario_b, unit_b, cost_b = _costs(overrides, plant_id)
    a, b = scenario_a.plants[plant_id], scenario_b.plants[plant_id]
    # held in the base unit, whatever the spelling
    assert b.capacity.units == ureg.Unit(CAPACITY_UNITS[b.technology])
    assert _close(b.capacity.magnitude, a.capacity.magnitude)
    assert (b.lead_time, b.lifetime) == (a.lead_time, a.lifetime)
    site_a, site_b = scenario_a.sites[a.site], scenario_b.sites[b.site]
    assert site_b.distance_to_market.units == ureg.Unit("km")
    assert _close(site_b.distance_to_market.magnitude, site_a.distance_to_market.magnitude)
    for to, km in site_b.routes.items():
        assert km.units == ureg.Unit("km") and _close(km.magnitude, site_a.routes[to].magnitude)
    # the costs
    assert _close(cost_b.capex_musd, cost_a.capex_musd), overrides
    assert _close(cost_b.fixed_opex_musd, cost_a.fixed_opex_musd), overrides
    assert cost_b.variable_opex_musd.keys() == cost_a.variable_opex_musd.keys()
    for mode, value in cost_a.variable_opex_musd.items():
        assert _close(cost_b.variable_opex_musd[mode], value), (mode, overrides)
    assert cost_b.jobs == cost_a.jobs
    # the unit coefficients
    assert _close(unit_b.capacity_per_module, unit_a.capacity_per_module), overrides
    assert unit_b.modes.keys() == unit_a.modes.keys()
    assert all(_close(unit_b.modes[m], v) for m, v in unit_a.modes.items())
    assert unit_b.coefficients.keys() == unit_a.coefficients.keys()
    for mode, coefs in unit_a.coefficients.items():
        assert coefs.keys() == unit_b.coefficients[mode].keys()
        for commodity, value in coefs.items():
            assert _close(unit_b.coefficients[mode][commodity], value), (mode, commodity)


def _money_unit(quantity) -> str:
    (name,) = money_units_of(quantity)
    return name


@pytest.mark.parametrize("path", MODELS, ids=[p.stem for p in MODELS])
def test_loaded_values_are_in_their_base_units(path):
    s = load_scenario(path)

    def is_in(quantity, unit):
        return quantity.units == ureg.Unit(unit)

    money_of = _money_unit
    assert is_in(s.transport_cost, f"{money_of(s.transport_cost)}/t/km")
    for site in s.sites.values():
        assert is_in(site.distance_to_market, "km")
        assert all(is_in(km, "km") for km in site.routes.values())
    for deposit in s.deposits.values():
        assert deposit.reserve is None or is_in(deposit.reserve, "Mt")
    for plant in s.plants.values():
        assert is_in(plant.capacity, CAPACITY_UNITS[plant.technology]), plant.id
        assert isinstance(plant.lead_time, int) and isinstance(plant.lifetime, int)
        assert plant.capex is None or is_in(plant.capex, money_of(plant.capex))
        assert plant.mining_cost is None or is_in(plant.mining_cost,
                                                  f"{money_of(plant.mining_cost)}/t")
    for product in s.products.values():
        mass = product.unit.split("/")[0]
        for price in (*product.import_price.values(), *product.export_price.values()):
            assert is_in(price, f"{money_of(price)}/{mass}"), product.id
        assert all(is_in(cap, product.unit) for cap in product.import_cap.values())
        for amount in s.demand.get(product.id, {}).values():
            assert is_in(amount, product.unit), product.id
    for money in (s.budget.total, s.budget.per_year):
        assert money is None or is_in(money, money_of(money))
    if s.targets:
        assert is_in(s.targets["production"], "t_REO/yr")


def test_money_keeps_its_currency_and_cost_year():
    s = load_scenario(SIBERIA, {"plants.tomtor_mine.mining_cost": "0.0025 RUB_2025/kg"})
    cost = s.plants["tomtor_mine"].mining_cost
    assert cost.units == ureg.Unit("RUB_2025/t") and math.isclose(cost.magnitude, 2.5)
    assert str(s.plants["glazov_magnet"].capex.units) == "RUB_2024"


@pytest.mark.parametrize(("key", "text"), [
    ("plants.glazov_magnet.capex", "3.6e6 kRUB_2024"),
    ("plants.tomtor_mine.mining_cost", "3.5 mUSD_2024/kg"),
])
def test_prefixed_money_is_refused(key, text):
    # pint would read k as kilo and m as milli; tea's money units take no prefix
    with pytest.raises(InputError, match="money takes no unit prefix") as info:
        load_scenario(SIBERIA, {key: text})
    assert info.value.key == key and info.value.file == str(SIBERIA)


def test_durations_are_whole_years():
    s = load_scenario(SIBERIA, {"plants.krasnoyarsk_magnet.lead_time": "36 month"})
    assert s.plants["krasnoyarsk_magnet"].lead_time == 3
    with pytest.raises(InputError, match="whole number of years") as info:
        load_scenario(SIBERIA, {"plants.krasnoyarsk_magnet.lead_time": "30 month"})
    assert info.value.key == "plants.krasnoyarsk_magnet.lead_time"
