"""Capital and operating cost of one candidate plant, from its unit coefficients and tea.costing.

Capex per module: the model file's ``capex`` (a project's stated cost, taken as is: it already
includes its location, contingency and owner's costs), or scaled from ``reference_plant`` by the
six-tenths rule, brought to a US Gulf basis by dividing by the location factor of the reference's
country, then given the site's location factor, contingency and owner's cost
(:func:`tea.costing.capex.capex_table`).  The plant's capacity is converted to the reference's
capacity unit (``10 kt_REO/yr`` is scaled as ``10000 t_REO/yr``); a reference whose basis counts
oxide (REO, NdPr oxide, separated oxides) is on t_REO/yr (:func:`reference_capacity`).
Fixed opex per module and year: labour (headcount scaled from reference plants, regional wages) and
maintenance, insurance and overhead as fractions of capex.  Variable opex per unit of activity:
the reagents and utilities of the process models at the prices of the scenario's ``prices``
table.  Every table comes from the scenario's input tables (``scenario.inputs``).
All in MUSD of the scenario's base year.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import pandas as pd
import pint

from tea.chain.coefficients import UnitCoefficients, deposit_model
from tea.config.scenario import CAPACITY_UNITS, Plant, Scenario
from tea.costing.capex import capex_table, scale_capex
from tea.costing.data import ReferencePlant
from tea.costing.opex import consumable_costs, fixed_charges, labour_cost
from tea.costing.tables import CostLine, cost_table
from tea.elements import index
from tea.errors import InputError
from tea.units import Q_

REGION_LOCATION = {
    "RU-Siberia": ("RU", "siberia_south"), "RU-Siberia-remote": ("RU", "siberia_remote"),
    "RU-Arctic": ("RU", "arctic"), "RU-Urals": ("RU", "none"), "RU": ("RU", "none"),
    "CN": ("CN",), "US": ("US",), "AU": ("AU",), "EU": ("EU",), "MY": ("MY",),
}
"""Site region -> location factor names of inputs/location_factors.csv."""
REGION_WAGE = {"RU-Siberia": "RU", "RU-Siberia-remote": "RU_remote", "RU-Arctic": "RU_remote",
               "RU-Urals": "RU", "RU": "RU", "CN": "CN", "US": "US", "AU": "AU", "EU": "EU",
               "MY": "CN"}
"""Site region -> wage region of inputs/labour.csv (Malaysia takes the Chinese wage: assumption)."""
NOT_PRICED = {"material_moved", "concentrate", "co", "co2", "co2_equivalent", "pfc", "caf2_slag"}
"""Consumption entries that are flows or emissions, not purchases (mining is costed per t moved)."""
PRICE_NAMES = {"Cl2": "chlorine", "coke": "coke", "MgO": "magnesia", "H2SO4": "sulfuric_acid",
               "HCl": "hydrochloric_acid", "NaOH": "sodium_hydroxide", "hf": "hydrofluoric_acid",
               "energy_electric": "electricity", "electricity": "electricity"}
"""Consumption names of the process models -> items of inputs/prices.csv."""
HEAT_GAS_M3_PER_MWH = 1000.0 / 10.5
"""Natural gas per MWh of process heat: 10.5 kWh/m3 lower heating value [U]."""
MINING_COST_USD_PER_T = 3.0
"""Open-pit mining cost per t of material moved [USD_2024/t] (assumption, typical 2-5 US$/t [U])."""


@dataclass
class PlantCost:
    """Costs of one plant module, in MUSD of the base year, with the tables behind them."""

    capex_musd: float
    fixed_opex_musd: float
    variable_opex_musd: dict[str, float]
    jobs: float
    capex_table: pd.DataFrame
    fixed_opex_table: pd.DataFrame
    variable_opex_tables: dict[str, pd.DataFrame] = field(default_factory=dict)


def plant_cost(scenario: Scenario, plant: Plant, unit: UnitCoefficients, capital, money
               ) -> PlantCost:
    """Cost one module of ``plant`` (see module docstring).

    Parameters
    ----------
    capital, money : tea.money.MoneyContext
        The scenario's FX with the CEPCI (capital) and CPI (other costs).
    """
    base = f"USD_{scenario.base_year}"
    site = scenario.sites[plant.site]
    if site.region not in REGION_LOCATION:
        raise InputError(f"unknown region {site.region!r} (expected one of "
                         f"{', '.join(REGION_LOCATION)})", str(scenario.path),
                         f"sites.{site.id}.region")
    table = _capex(scenario, plant, base, capital, site)
    capex = table.attrs["total"]
    tables = scenario.inputs
    labour, jobs = labour_cost(plant.technology, _labour_capacity(plant),
                               REGION_WAGE[site.region], money, base, labour=tables.labour)
    fixed_lines = [labour, *fixed_charges(capex, base, money=money, factors=tables.capex_factors)]
    fixed = cost_table(fixed_lines)
    variable, variable_tables = {}, {}
    for mode, consumptions in unit.consumptions.items():
        per_year = _priced(consumptions)
        lines = consumable_costs(per_year, money, base, prices=tables.prices)
        if plant.technology == "mine":
            moved = consumptions["material_moved"].to("t").magnitude
            rate = plant.mining_cost if plant.mining_cost is not None else Q_(
                MINING_COST_USD_PER_T, "USD_2024/t")
            where = "model file" if plant.mining_cost is not None else "assumption"
            amount = money.convert(Q_(moved, "t/yr") * rate, f"{base}/yr")
            lines.append(CostLine("mining", amount, f"{moved:g} t moved per t ore x "
                                  f"{rate.magnitude:g} {rate.units:~P} ({where})", "mining"))
        tab = cost_table(lines) if lines else None
        variable_tables[mode] = tab
        variable[mode] = (float(tab.attrs["total"].magnitude) / 1e6) if tab is not None else 0.0
    return PlantCost(
        capex_musd=float(capex.to(base).magnitude) / 1e6,
        fixed_opex_musd=float(fixed.attrs["total"].magnitude) / 1e6,
        variable_opex_musd=variable, jobs=float(jobs.magnitude), capex_table=table,
        fixed_opex_table=fixed, variable_opex_tables=variable_tables,
    )


def _capex(scenario: Scenario, plant: Plant, base: str, capital, site) -> pd.DataFrame:
    file, tables = str(scenario.path), scenario.inputs
    factors = {"factors": tables.capex_factors, "location_factors": tables.location_factors}
    if plant.capex is not None:
        amount = capital.convert(plant.capex, base)
        line = CostLine(f"{plant.technology} plant (stated)", amount,
                        f"model file: {plant.capex.magnitude:,.4g} {plant.capex.units:~P} per "
                        f"module, CEPCI and FX of {scenario.fx_date} to {base}", "direct")
        return capex_table([line], location=(), contingency=0.0, owners_cost=0.0,
                           learning_rate=0.0, **factors)
    references = tables.reference_plants
    if plant.reference_plant not in references:
        raise InputError(f"unknown reference plant {plant.reference_plant!r} (expected one of "
                         f"{', '.join(references)})", file, f"plants.{plant.id}.reference_plant")
    ref = references[plant.reference_plant]
    ref = dataclasses.replace(ref, capacity=reference_capacity(ref))
    try:
        capacity = plant.capacity.to(ref.capacity.units)
    except pint.DimensionalityError:
        raise InputError(f"capacity {plant.capacity:~P} cannot be scaled from reference plant "
                         f"{plant.reference_plant!r}, whose capacity counts "
                         f"{ref.capacity_basis} in {ref.capacity.units:~P} (expected a reference "
                         f"plant on the basis of a {plant.technology} plant's capacity, "
                         f"{CAPACITY_UNITS[plant.technology]}; see inputs/reference_plants.csv)",
                         file, f"plants.{plant.id}.capacity") from None
    if "NdPr" in ref.capacity_basis and plant.technology in ("cracking", "separation"):
        capacity = capacity * ndpr_share(scenario, plant)
    line = scale_capex(ref, capacity, capital, base, item=f"{plant.technology} plant (scaled)")
    home = _reference_location(ref.country, tables.location_factors)
    if home != 1.0:
        line = CostLine(line.item, line.amount / home,
                        f"{line.basis}; / {home:g} location factor of the reference's country "
                        f"{ref.country} (to a US Gulf basis)", line.category)
    location = REGION_LOCATION[site.region]
    if site.location_factor is not None:
        line = CostLine(line.item, line.amount * site.location_factor,
                        f"{line.basis}; x site location factor {site.location_factor} (model file)",
                        line.category)
        location = ()
    return capex_table([line], location=location, **factors)


OXIDE_BASIS_WORDS = ("REO", "oxide")
"""Words of a reference plant's ``capacity_basis`` that make it count oxide mass (t_REO)."""


def reference_capacity(ref: ReferencePlant) -> pint.Quantity:
    """A reference plant's capacity in the dimension its basis counts.

    ``inputs/reference_plants.csv`` gives every capacity as a mass flow (``capacity_unit`` t/yr);
    where ``capacity_basis`` counts oxide (``REO``, ``NdPr oxide``, ``separated oxides``) the
    figure is t of oxide per year, t_REO/yr, the unit of cracking and separation capacities.
    """
    basis = ref.capacity_basis
    counts_oxide = "REO" in basis or "oxide" in basis.lower()
    if counts_oxide and ref.capacity.check("[mass] / [time]"):
        return Q_(float(ref.capacity.to("t/yr").magnitude), "t_REO/yr")
    return ref.capacity


def _labour_capacity(plant: Plant) -> pint.Quantity:
    """A plant's capacity on the basis of the headcounts of ``inputs/labour.csv`` [t/yr].

    The table's capacities are t/yr, counting REO fed for cracking and separation (``10,000 t/yr
    REO``): a t_REO/yr capacity is taken there as the same number of t/yr.
    """
    capacity = plant.capacity.to(CAPACITY_UNITS[plant.technology])
    return Q_(float(capacity.magnitude), "t/yr")


def _priced(consumptions: dict) -> dict:
    """Purchases per year under their price-table names (heat bought as natural gas)."""
    out = {}
    for name, amount in consumptions.items():
        if name in NOT_PRICED or name.startswith("raw_") or amount.magnitude <= 0:
            continue
        if name in ("energy_heat", "energy_calcination"):
            name, amount = "natural_gas", Q_(amount.to("MWh").magnitude * HEAT_GAS_M3_PER_MWH,
                                             "m**3")
        key = PRICE_NAMES.get(name, name)
        value = Q_(amount.magnitude, f"({amount.units:~P})/yr")
        out[key] = out[key] + value if key in out else value
    return out


def ndpr_share(scenario: Scenario, plant: Plant) -> float:
    """NdPr oxide share of the REO a plant treats (its deposit's, or all the model's deposits')."""
    ids = [plant.deposit] if plant.deposit else list(scenario.deposits)
    shares = [float(deposit_model(scenario, d).distribution[[index("Nd"), index("Pr")]].sum())
              for d in ids]
    return sum(shares) / len(shares) if shares else 1.0


COUNTRY_LOCATION = {"EE": "EU", "FR": "EU", "DE": "EU"}
"""Reference plant country -> location factor name where they differ."""


def _reference_location(country: str, factors) -> float:
    """Location factor of a reference plant's country in the ``location_factors`` table
    (``factors``; 1 where the table has none)."""
    name = COUNTRY_LOCATION.get(country, country)
    return factors[name].value if name in factors else 1.0
