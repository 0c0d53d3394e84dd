"""Turn a Scenario into the numbers the optimizer sees (:class:`tea.chain.data.ChainData`).

For every candidate plant the process models give unit coefficients (:mod:`tea.chain.coefficients`) and the
costing models give capital and operating cost (:mod:`tea.chain.costs`); demand, prices, budget and
sites come from the model file.  Everything is converted once, here, into the optimizer's base units:
t (element mass for element-resolved commodities), t/yr, and MUSD of the scenario's base year
(FX of the model's ``fx_date``; CEPCI escalation for capital, CPI for prices and operating cost).

Conventions
-----------
- Oxide demand and prices are per t REO; the optimizer's oxide commodities are per t of element, so
  a price per t REO becomes ``price * oxide_factor`` per t of element and a demand of ``D`` t REO is
  met by ``sum_e oxide_factor_e * delivered_e``.
- A product's import cap is applied to each element of the product's group in proportion to the
  group's REO (a documented simplification; no model in ``models/`` caps a multi-element product).
- Nothing that carries rare earths can be dumped: no commodity has a disposal cost, so every t
  of concentrate, mixed solution and scrap is processed by a plant, and every t of oxide, metal
  or magnet is delivered or exported. The separation trains' by-product concentrates
  (``byproduct:<El>``) and the traces of unsold elements in sold oxides leave as exports at the
  ``re_byproduct`` price of ``inputs/prices.csv``, scrap a chain does not recycle at the
  ``ndfeb_scrap`` price (both assumptions: no value); they appear in the balances.
- Transport is charged on the mass that moves (:mod:`tea.chain.transport`): a concentrate's own mass, a
  mixed carbonate's, an oxide's; sites' ``routes`` become direct links between two sites.
- Demand between the years a model file gives is interpolated linearly and held flat outside them;
  an import-share cap holds from its year until the next cap given; an enforced production target
  (``targets.enforce = true``) holds from its year to the end of the horizon.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from tea.chain.coefficients import (
    UnitCoefficients,
    concentrate_per_tonne_ore,
    deposit_model,
    plant_coefficients,
)
from tea.chain.commodity import Commodity, material_of
from tea.chain.costs import plant_cost
from tea.chain.data import ChainData
from tea.chain.transport import shipping_mass
from tea.config.scenario import Scenario
from tea.elements import OXIDE_FACTOR, index


@dataclass
class ChainInfo:
    """What the chain assembly derived, kept for reports and the finance of the chosen plan."""

    base_money: str
    musd_to_currency: float
    unit_coefficients: dict[str, UnitCoefficients] = field(default_factory=dict)
    plant_costs: dict[str, object] = field(default_factory=dict)
    magnet_reo_per_t: dict[str, float] = field(default_factory=dict)
    magnet_re_per_t: dict[str, dict[str, float]] = field(default_factory=dict)

    def composition(self, commodity: str) -> dict[str, float]:
        """t of each RE element in one t of ``commodity`` (element-resolved: 1 t of its element;
        magnets: the grade's RE content)."""
        c = Commodity.parse(commodity)
        if not c.element_resolved:
            return dict(self.magnet_re_per_t.get(commodity, {}))
        return {c.element: 1.0}


def interpolate_series(series: dict, years) -> np.ndarray:
    """Values for every year from a ``{year: value}`` mapping (``None`` key: all years).

    Linear interpolation between given years, flat before the first and after the last.
    """
    if None in series:
        return np.full(len(years), float(series[None]))
    points = sorted(series.items())
    xs = [p[0] for p in points]
    ys = [float(p[1]) for p in points]
    return np.interp(np.asarray(years, dtype=float), xs, ys)


def build_chain(scenario: Scenario):
    """Assemble the optimizer's data for a scenario.

    Returns
    -------
    tuple[ChainData, ChainInfo]
    """
    base = f"USD_{scenario.base_year}"
    money = scenario.money("CPI")
    capital = money.with_index("CEPCI")
    to_cur = money.factor(base, scenario.currency) * 1e6
    info = ChainInfo(base_money=base, musd_to_currency=to_cur)
    years = list(scenario.years)

    option_rows, mode_rows, coef_rows = [], [], []
    for plant in scenario.plants.values():
        unit = plant_coefficients(scenario, plant)
        info.unit_coefficients[plant.id] = unit
        cost = plant_cost(scenario, plant, unit, capital, money)
        info.plant_costs[plant.id] = cost
        option_rows.append({
            "option": plant.id, "technology": plant.technology, "site": plant.site,
            "stage": plant.technology, "capacity_per_module": unit.capacity_per_module,
            "max_modules": plant.max_modules, "existing_modules": plant.existing_modules,
            "existing_from_year": plant.online_year or years[0],
            "capex_per_module": cost.capex_musd, "fixed_opex_per_module": cost.fixed_opex_musd,
            "lead_time": plant.lead_time, "lifetime": plant.lifetime,
            "first_build_year": plant.first_build_year, "jobs_per_module": cost.jobs,
            "deposit": plant.deposit if plant.technology == "mine" else "",
            "ramp_up": 1.0, "in_budget": plant.budget_counts,
        })
        for mode, use in unit.modes.items():
            mode_rows.append({"option": plant.id, "mode": mode, "capacity_use": use,
                              "variable_opex": cost.variable_opex_musd[mode]})
            for commodity, coef in unit.coefficients[mode].items():
                coef_rows.append({"option": plant.id, "mode": mode, "commodity": commodity,
                                  "coef": coef})
        for coefs in unit.coefficients.values():
            for commodity in coefs:
                if material_of(commodity) == "magnet":
                    info.magnet_reo_per_t[commodity] = _magnet_reo(unit)
                    info.magnet_re_per_t[commodity] = dict(unit.design["magnet_re_kg_per_kg"])

    coefficients = pd.DataFrame(coef_rows)
    demand, groups, imports, exports = _market(scenario, years, money, base, info)
    names = sorted(set(coefficients["commodity"]) | set(groups["commodity"]))
    exports = pd.concat([exports, _residual_exports(scenario, names, exports, years, money,
                                                    base)], ignore_index=True)
    commodities = pd.DataFrame([_commodity_row(n, info) for n in names]).set_index("commodity")
    commodities["disposal_cost"] = np.nan  # nothing that carries rare earths is dumped
    concentrate = _concentrate_mass_per_t_re(scenario)
    forms = scenario.inputs.shipping
    commodities["shipping_mass"] = [shipping_mass(n, concentrate, forms)
                                    for n in commodities.index]
    routes = pd.DataFrame(
        [{"site_a": s.id, "site_b": to, "distance_km": float(km.to("km").magnitude)}
         for s in scenario.sites.values() for to, km in s.routes.items()],
        columns=["site_a", "site_b", "distance_km"])
    sites = pd.DataFrame([
        {"site": s.id, "region": s.region,
         "distance_to_market_km": float(s.distance_to_market.to("km").magnitude)}
        for s in scenario.sites.values()
    ]).set_index("site")
    resources = pd.DataFrame(
        [{"deposit": d, "limit": _reserve_t(scenario, d)} for d in scenario.deposits],
        columns=["deposit", "limit"],
    ).set_index("deposit")
    budget = scenario.budget
    min_production = {}
    if scenario.targets.get("enforce"):
        target = float(scenario.targets["production"].to("t_REO/yr").magnitude)
        min_production = {y: target for y in years if y >= scenario.targets["year"]}

    def to_musd(amount) -> float:
        return float(capital.convert(amount, base).magnitude) / 1e6

    data = ChainData(
        years=years, base_year=scenario.base_year, discount_rate=scenario.discount_rate,
        objective=scenario.objective, sites=sites, commodities=commodities,
        options=pd.DataFrame(option_rows).set_index("option"), modes=pd.DataFrame(mode_rows),
        coefficients=coefficients, demand=demand, demand_groups=groups, imports=imports,
        exports=exports, resources=resources, routes=routes,
        transport_cost_musd_per_tkm=float(
            money.convert(scenario.transport_cost, f"{base}/t/km").magnitude) / 1e6,
        budget_total=to_musd(budget.total) if budget.total is not None else None,
        budget_per_year=to_musd(budget.per_year) if budget.per_year is not None else None,
        budget_currency_per_musd=_budget_per_musd(scenario, capital, base),
        budget_unit=_budget_unit(scenario),
        import_share_cap=hold_caps(budget.import_share_cap, years),
        min_production=min_production,
    )
    return data, info


def hold_caps(caps: dict[int, float], years) -> dict[int, float]:
    """Import-share caps for every year from the first one given, each held until the next."""
    out, current = {}, None
    for year in years:
        current = caps.get(year, current)
        if current is not None:
            out[year] = current
    return out


def _market(scenario: Scenario, years, money, base: str, info: ChainInfo):
    demand_rows, group_rows, import_rows, export_rows = [], [], [], []
    for prod in scenario.products.values():
        if prod.material == "magnet":
            members = {Commodity.magnet(prod.grade).name: 1.0}
            per_unit = "t"
        else:
            members = {Commodity(prod.material, s).name: (float(OXIDE_FACTOR[index(s)])
                                                if prod.material == "oxide" else 1.0)
                       for s in prod.elements}
            per_unit = "t_REO" if prod.material == "oxide" else "t"
        for commodity, weight in members.items():
            group_rows.append({"group": prod.id, "commodity": commodity, "weight": weight})
        if prod.id in scenario.demand:
            series = {y: q.to(prod.unit).magnitude for y, q in scenario.demand[prod.id].items()}
            for year, amount in zip(years, interpolate_series(series, years), strict=True):
                demand_rows.append({"group": prod.id, "year": year, "amount": float(amount)})
        for rows, prices, caps in ((import_rows, prod.import_price, prod.import_cap),
                                   (export_rows, prod.export_price, {})):
            if not prices:
                continue
            musd = {y: float(money.convert(q, f"{base}/{per_unit}").magnitude) / 1e6
                    for y, q in prices.items()}
            price_by_year = interpolate_series(musd, years)
            cap_by_year = (interpolate_series({y: q.to(f"{per_unit}/yr").magnitude
                                               for y, q in caps.items()}, years)
                           if caps else np.full(len(years), np.inf))
            for commodity, weight in members.items():
                share = 1.0 / len(members)
                for y, p, c in zip(years, price_by_year, cap_by_year, strict=True):
                    rows.append({"commodity": commodity, "year": y, "price": float(p * weight),
                                 "cap": float(c * share / weight) if np.isfinite(c) else np.inf})
    return (pd.DataFrame(demand_rows, columns=["group", "year", "amount"]),
            pd.DataFrame(group_rows), pd.DataFrame(import_rows, columns=[
                "commodity", "year", "price", "cap"]),
            pd.DataFrame(export_rows, columns=["commodity", "year", "price", "cap"]))


def _residual_exports(scenario: Scenario, names, exports: pd.DataFrame, years, money,
                      base: str) -> pd.DataFrame:
    """Export rows for what a chain makes and no product takes: by-product concentrates and
    traces of unsold elements in sold oxides (``re_byproduct`` price), scrap (``ndfeb_scrap``
    price; both of the scenario's ``prices`` table) [MUSD/t of element]."""
    prices = scenario.inputs.prices
    byproduct = float(money.convert(prices["re_byproduct"].value, f"{base}/t").magnitude) / 1e6
    scrap = float(money.convert(prices["ndfeb_scrap"].value, f"{base}/t").magnitude) / 1e6
    re_in_scrap = scenario.inputs.shipping["scrap"][1]  # t RE per t of scrap
    priced = set(exports["commodity"])
    rows = []
    for name in names:
        material = material_of(name)
        if name in priced or material not in ("byproduct", "scrap", "oxide"):
            continue
        price = scrap / re_in_scrap if material == "scrap" else byproduct
        rows += [{"commodity": name, "year": y, "price": price, "cap": np.inf} for y in years]
    return pd.DataFrame(rows, columns=["commodity", "year", "price", "cap"])


def _commodity_row(name: str, info: ChainInfo) -> dict:
    c = Commodity.parse(name)
    material, element = c.material, c.element
    if material == "oxide":
        reo = float(OXIDE_FACTOR[index(element)])
    elif material == "magnet":
        reo = info.magnet_reo_per_t.get(name, 0.0)
    else:
        reo = 0.0
    return {"commodity": name, "material": material, "element": element, "tradeable": True,
            "reo_factor": reo}


def _concentrate_mass_per_t_re(scenario: Scenario) -> dict[str, float]:
    """Deposit -> t of concentrate per t of RE element in it, from the beneficiation model."""
    out = {}
    for deposit_id in scenario.deposits:
        conc = concentrate_per_tonne_ore(scenario, deposit_id)[2].concentrate
        out[deposit_id] = float(conc.total) / float(conc.total_re)
    return out


def _magnet_reo(unit: UnitCoefficients) -> float:
    total = 0.0
    for coefs in unit.coefficients.values():
        for commodity, coef in coefs.items():
            c = Commodity.parse(commodity)
            if c.material == "metal" and coef < 0:
                total += -coef * float(OXIDE_FACTOR[index(c.element)])
    return total


def _reserve_t(scenario: Scenario, deposit_id: str) -> float:

    return float(deposit_model(scenario, deposit_id).ore_tonnage.to("t").magnitude)


def _budget_unit(scenario: Scenario) -> str:
    total = scenario.budget.total
    if total is None:
        return scenario.currency
    return f"{total.units:~P}"


def _budget_per_musd(scenario: Scenario, capital, base: str) -> float:
    return capital.factor(base, _budget_unit(scenario)) * 1e6
