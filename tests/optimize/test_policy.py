"""Hand-solved models for committed plants, off-budget funding and a domestic production target.

One product, oxide:Nd (reo_factor 1.2 t REO per t, a round number for hand solving), demand
100 t/yr, imports at ``price`` MUSD/t without cap; discount rate 0 (every discount factor is 1).
Plant A: 60 t/yr per module, variable opex 1 MUSD/t, no lead time, capex 100 MUSD per module.
"""

import math

import pandas as pd
import pytest

from tea.chain.data import ChainData
from tea.errors import InfeasibleError
from tea.optimize import plan_costs
from tea.optimize import results as R
from tea.optimize.solve import solve
from tea.optimize.tables import prepare


def one_plant(years=(2025, 2026), price=5.0, budget=None, export_price=None, **plant):
    years = list(years)
    sites = pd.DataFrame({"site": ["A"], "region": ["r"], "distance_to_market_km": [0.0]})
    com = pd.DataFrame({"commodity": ["oxide:Nd"], "material": ["oxide"], "element": ["Nd"],
                        "tradeable": [True], "reo_factor": [1.2]})
    row = dict(option="pA", technology="sep", site="A", stage="separation",
               capacity_per_module=60.0, max_modules=1, existing_modules=0,
               capex_per_module=100.0, fixed_opex_per_module=0.0, lead_time=0, lifetime=2,
               first_build_year=years[0], jobs_per_module=10.0, deposit="", ramp_up=1.0)
    row.update(plant)
    ex = pd.DataFrame(columns=["commodity", "year", "price", "cap"])
    if export_price is not None:
        ex = pd.DataFrame({"commodity": "oxide:Nd", "year": years, "price": export_price,
                           "cap": math.inf})
    extra = {k: row.pop(k) for k in ("min_production", "build_every") if k in row}
    return ChainData(
        years=years, base_year=years[0], discount_rate=0.0, objective="min_cost",
        sites=sites.set_index("site"), commodities=com.set_index("commodity"),
        options=pd.DataFrame([row]).set_index("option"),
        modes=pd.DataFrame({"option": ["pA"], "mode": "run", "capacity_use": 1.0,
                            "variable_opex": 1.0}),
        coefficients=pd.DataFrame({"option": ["pA"], "mode": "run", "commodity": "oxide:Nd",
                                   "coef": 1.0}),
        demand=pd.DataFrame({"group": "Nd oxide", "year": years, "amount": 100.0}),
        demand_groups=pd.DataFrame({"group": ["Nd oxide"], "commodity": ["oxide:Nd"],
                                    "weight": [1.0]}),
        imports=pd.DataFrame({"commodity": "oxide:Nd", "year": years, "price": price,
                              "cap": math.inf}),
        exports=ex, resources=pd.DataFrame(columns=["deposit", "limit"]).set_index("deposit"),
        budget_total=budget, slack_penalty=1000.0, **extra)


@pytest.mark.solver
def test_committed_module_serves_only_from_its_year():
    # Existing module from 2027 (nothing to build): 2025 and 2026 import 100 t at 5 (500 each);
    # 2027 runs 60 t at 1 plus 40 t imported (260) plus fixed opex 10: total 1270.
    sol = solve(one_plant(years=(2025, 2026, 2027), existing_modules=1, existing_from_year=2027,
                          lifetime=10, fixed_opex_per_module=10.0))
    assert sol.objective == pytest.approx(1270.0, rel=1e-9)
    assert R.capacities(sol)["modules_online"].tolist() == [0, 0, 1]
    assert plan_costs.costs(sol)["musd_pv"].sum() == pytest.approx(sol.objective, rel=1e-9)
    assert R.check_balances(sol).empty


@pytest.mark.solver
def test_existing_module_retires_after_its_lifetime_inside_the_horizon():
    # In service 2025-2026 (lifetime 2 from 2025), retired in 2027: 260 + 260 + 500, plus fixed
    # opex 10 in the two service years: 1040.
    sol = solve(one_plant(years=(2025, 2026, 2027), existing_modules=1, lifetime=2,
                          first_build_year=2027, max_modules=1, fixed_opex_per_module=10.0))
    assert sol.objective == pytest.approx(1040.0, rel=1e-9)
    assert R.capacities(sol)["modules_online"].tolist() == [1, 1, 0]


@pytest.mark.solver
def test_option_outside_budget_is_built_and_still_costs():
    # Budget 50 < capex 100: counted, nothing is built (1000); outside the budget A is built in
    # 2025: capex 100 + opex 60 * 1 * 2 + imports 40 * 5 * 2 = 620.
    assert solve(one_plant(budget=50.0)).objective == pytest.approx(1000.0, rel=1e-9)
    sol = solve(one_plant(budget=50.0, in_budget=False))
    assert sol.objective == pytest.approx(620.0, rel=1e-9)
    bs = R.budget_summary(sol)
    assert bs["capex_total_musd"] == 0.0
    assert bs["capex_outside_budget_musd"] == pytest.approx(100.0)
    assert bs["capex_all_musd"] == pytest.approx(100.0)


@pytest.mark.solver
def test_production_target_forces_an_uneconomic_build():
    # Imports at 1.5 MUSD/t: A saves (1.5 - 1) * 60 * 2 - 100 = -40, so alone nothing is built
    # (cost 100 * 1.5 * 2 = 300). A target of 50 t REO in 2026 needs 50 / 1.2 t of Nd: the
    # cheapest way is A built in 2026 (capex 100, half its life left: salvage 50), run at 60 t:
    # 150 + 50 + 60 + 40 * 1.5 = 320.
    assert solve(one_plant(price=1.5)).objective == pytest.approx(300.0, rel=1e-9)
    sol = solve(one_plant(price=1.5, min_production={2026: 50.0}))
    assert sol.objective == pytest.approx(320.0, rel=1e-9)
    assert R.build_plan(sol)[["option", "year"]].values.tolist() == [["pA", 2026]]
    assert len(sol.model.production_cover) == 1  # 72 t REO per module online >= 50
    p = R.production(sol)
    assert p["production_reo"].tolist() == pytest.approx([0.0, 72.0])
    assert p["target"].iloc[1] == 50.0 and math.isnan(p["target"].iloc[0])


@pytest.mark.solver
def test_production_beyond_demand_is_exported():
    # Target 132 t REO in 2026 = 110 t Nd > demand 100: two modules built in 2026 (net capex
    # 2 * 50), 110 t produced, 10 t exported at 0.5: 150 + 100 + 110 - 5 = 355.
    sol = solve(one_plant(price=1.5, max_modules=2, export_price=0.5,
                          min_production={2026: 132.0}))
    assert sol.objective == pytest.approx(355.0, rel=1e-9)
    tr = R.trade(sol).set_index("year")
    assert tr.at[2026, "exports"] == pytest.approx(10.0)
    assert R.check_balances(sol).empty


@pytest.mark.solver
def test_unreachable_production_target_gets_diagnosis():
    # At most 60 t Nd = 72 t REO a year: a 100 t REO target is 28 t REO/yr short.
    with pytest.raises(InfeasibleError) as e:
        solve(one_plant(min_production={2026: 100.0}))
    assert e.value.diagnosis == [
        "domestic oxide production in 2026 short of the target by 28 t REO/yr",
        "limit: pA at max_modules = 1, all online in 2026"]


def test_build_every_keeps_builds_on_a_coarser_grid():
    # Builds every 2 years from 2025: 2025 and 2027 only (2028 is the last year).
    data = one_plant(years=range(2025, 2029), build_every=2, lifetime=5)
    assert prepare(data)["build"]["year"].tolist() == [2025, 2027]
    # the grid starts at the option's own first build year: 2026 and 2028 (horizon to 2029)
    later = one_plant(years=range(2025, 2030), build_every=2, lifetime=5, first_build_year=2026)
    assert prepare(later)["build"]["year"].tolist() == [2026, 2028]


def _two_mode(max_modules=1):
    """Plant A with two modes (Nd and Pr output), each bounded alone by max_modules capacity."""
    d = one_plant(years=(2025, 2026), price=10.0, lifetime=3, max_modules=max_modules)
    com = pd.concat([d.commodities, d.commodities.rename(index={"oxide:Nd": "oxide:Pr"})
                     .assign(element="Pr")])
    modes = pd.DataFrame({"option": "pA", "mode": ["nd", "pr"], "capacity_use": 1.0,
                          "variable_opex": 1.0})
    coefs = pd.DataFrame({"option": "pA", "mode": ["nd", "pr"],
                          "commodity": ["oxide:Nd", "oxide:Pr"], "coef": 1.0})
    dg = pd.DataFrame({"group": ["Nd oxide", "Pr oxide"], "commodity": ["oxide:Nd", "oxide:Pr"],
                       "weight": 1.0})
    dem = pd.concat([d.demand, d.demand.assign(group="Pr oxide")], ignore_index=True)
    imp = pd.concat([d.imports, d.imports.assign(commodity="oxide:Pr")], ignore_index=True)
    import dataclasses

    return dataclasses.replace(d, commodities=com, modes=modes, coefficients=coefs,
                               demand_groups=dg, demand=dem, imports=imp)


@pytest.mark.solver
def test_modules_online_never_exceed_max_modules():
    # Imports at 10 MUSD/t and two modes: a second module built in 2026 (capex 100, salvage
    # 2/3) would save 9 * 60 - 33.3 > 0, but max_modules is 1, so one module (built 2025, a third
    # of its life left at the end: salvage 100/3) runs 60 t/yr in total:
    # 100 - 100/3 + (60 * 1 + 140 * 10) * 2 = 2986.67.
    sol = solve(_two_mode())
    assert len(sol.model.max_online) == 1  # 2026: builds of 2025 and 2026 both online
    assert R.capacities(sol)["modules_online"].tolist() == [1, 1]
    assert sol.objective == pytest.approx(100.0 - 100.0 / 3 + 1460.0 * 2, rel=1e-9)
