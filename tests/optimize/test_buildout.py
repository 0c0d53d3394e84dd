"""Hand-solved build-out models: two sites, one product, a budget that binds.

The model (discount rate 0, so every discount factor is 1; years 2025-2026):
- product oxide:Nd, demand 100 t/yr in both years, imports at 5 MUSD/t, no cap;
- plant A at site A (0 km): 60 t/yr per module, at most 1 module, capex 100 MUSD, variable
  opex 1 MUSD/t; plant B at site B (100 km, transport 0.001 MUSD/(t km) = 0.1 MUSD/t): 50 t/yr
  per module, at most 2 modules, capex 80 MUSD each, variable opex 2 MUSD/t. No lead time,
  lifetime 2 years (no salvage when built in 2025), no fixed opex.

Savings against importing, per plant built in 2025 over two years:
  A: (5 - 1) * 60 * 2 - 100 = 380; B (first module, 50 t/yr): (5 - 2.1) * 50 * 2 - 80 = 210,
  but only 40 t/yr are left next to A: 2.9 * 40 * 2 - 80 = 152.
Import-only cost: 100 t * 5 * 2 = 1000 MUSD.
"""

import math

import pandas as pd
import pytest

from tea.chain.data import ChainData
from tea.errors import InfeasibleError
from tea.optimize import plan_costs
from tea.optimize import results as R
from tea.optimize.pareto import pareto
from tea.optimize.solve import solve


def tiny(budget=150.0, objective="min_cost", import_cap=math.inf, demand=100.0, twin=False,
         currency_per_musd=1.0, unit="MUSD"):
    sites = pd.DataFrame({"site": ["A", "B"], "region": ["r", "r"],
                          "distance_to_market_km": [0.0, 100.0]}).set_index("site")
    com = pd.DataFrame({"commodity": ["oxide:Nd"], "material": ["oxide"], "element": ["Nd"],
                        "tradeable": [True], "reo_factor": [1.0]}).set_index("commodity")
    base = dict(technology="sep", stage="separation", max_modules=1, existing_modules=0,
                fixed_opex_per_module=0.0, lead_time=0, lifetime=2, first_build_year=2025,
                deposit="", ramp_up=1.0)
    opts = [dict(base, option="pA", site="A", capacity_per_module=60.0, capex_per_module=100.0,
                 jobs_per_module=10.0),
            dict(base, option="pB", site="B", capacity_per_module=50.0, max_modules=2,
                 capex_per_module=80.0, jobs_per_module=5.0)]
    vopex = {"pA": 1.0, "pB": 2.0}
    if twin:  # an identical copy of pA: symmetry breaking must prefer pA
        opts.append(dict(opts[0], option="pA2"))
        vopex["pA2"] = 1.0
    options = pd.DataFrame(opts).set_index("option")
    names = list(options.index)
    years = [2025, 2026]
    return ChainData(
        years=years, base_year=2025, discount_rate=0.0, objective=objective, sites=sites,
        commodities=com, options=options,
        modes=pd.DataFrame({"option": names, "mode": "run", "capacity_use": 1.0,
                            "variable_opex": [vopex[n] for n in names]}),
        coefficients=pd.DataFrame({"option": names, "mode": "run", "commodity": "oxide:Nd",
                                   "coef": 1.0}),
        demand=pd.DataFrame({"group": "Nd oxide", "year": years, "amount": demand}),
        demand_groups=pd.DataFrame({"group": ["Nd oxide"], "commodity": ["oxide:Nd"],
                                    "weight": [1.0]}),
        imports=pd.DataFrame({"commodity": "oxide:Nd", "year": years, "price": 5.0,
                              "cap": import_cap}),
        exports=pd.DataFrame(columns=["commodity", "year", "price", "cap"]),
        resources=pd.DataFrame(columns=["deposit", "limit"]).set_index("deposit"),
        transport_cost_musd_per_tkm=0.001, budget_total=budget,
        budget_currency_per_musd=currency_per_musd, budget_unit=unit, slack_penalty=1000.0)


@pytest.mark.solver
def test_binding_budget_plan_objective_and_duals():
    # Budget 150 allows A (100) or one B (80), not both (180): A saves more (380 > 210).
    sol = solve(tiny(budget=150.0))
    assert sol.status == "optimal"
    # cost = capex 100 + A opex 60 * 1 * 2 + imports 40 * 5 * 2 = 620
    assert sol.objective == pytest.approx(620.0, rel=1e-9)
    plan = R.build_plan(sol)
    assert plan[["option", "year", "modules"]].values.tolist() == [["pA", 2025, 1]]
    # Budget dual (plan-anchored relaxation): the 50 MUSD left buy 50/80 of a B module in
    # 2025, saving 210 MUSD per 80 MUSD while B's capacity stays below the 40 t/yr left.
    assert sol.budget_dual == pytest.approx(210.0 / 80.0, rel=1e-9)
    # Marginal cost of demand with the plan fixed: one more t is imported at 5 MUSD/t.
    mc = R.marginal_costs(sol)
    assert mc["marginal_cost"].tolist() == pytest.approx([5.0, 5.0])
    assert mc["marginal_cost_usd_per_kg"].tolist() == pytest.approx([5000.0, 5000.0])
    share = R.import_share(sol)
    assert share["share"].tolist() == pytest.approx([0.4, 0.4])  # 40 of 100 t imported
    assert R.jobs(sol)["jobs"].tolist() == pytest.approx([10.0, 10.0])
    bs = R.budget_summary(sol)
    assert bs["capex_total_musd"] == pytest.approx(100.0) and bs["capex_total_musd"] <= 150.0
    assert R.check_balances(sol).empty


@pytest.mark.solver
def test_loose_budget_builds_both_plants_and_costs_add_up():
    # A + one B in 2025: 620 - 152 = 468 (B delivers 40 t/yr at 2.1 MUSD/t).
    sol = solve(tiny(budget=1000.0))
    assert sol.objective == pytest.approx(468.0, rel=1e-9)
    plan = R.build_plan(sol)
    assert sorted(plan["option"]) == ["pA", "pB"] and plan["modules"].tolist() == [1, 1]
    assert sol.budget_dual == pytest.approx(0.0, abs=1e-9)
    c = plan_costs.costs(sol)
    assert c["musd_pv"].sum() == pytest.approx(sol.objective, rel=1e-9)  # totals = sum of parts
    assert c.loc[c["category"] == "transport", "musd"].sum() == pytest.approx(0.1 * 40 * 2)
    f = R.flows(sol)
    ship = f[(f["kind"] == "ship") & (f["node"] == "B")]
    assert ship["amount"].tolist() == pytest.approx([-40.0, -40.0])
    assert R.check_balances(sol).empty


@pytest.mark.solver
def test_max_npv_values_deliveries_at_import_price():
    # NPV = A 380 + B at 40 t/yr 152 = 532 (imports deliver at zero margin).
    sol = solve(tiny(budget=1000.0, objective="max_npv"))
    assert sol.objective == pytest.approx(532.0, rel=1e-9)
    c = plan_costs.costs(sol)
    assert -c["musd_pv"].sum() == pytest.approx(sol.objective, rel=1e-9)


@pytest.mark.solver
def test_identical_options_get_symmetry_rows_and_first_is_built():
    # With a twin of A and budget 150 exactly one A-type plant fits; both copies are worth the
    # same (620), and the symmetry rows make the first name (pA) the one built.
    sol = solve(tiny(budget=150.0, twin=True))
    assert len(sol.model.symmetry) == 2  # one row per build year of the pair (pA, pA2)
    assert sol.objective == pytest.approx(620.0, rel=1e-9)
    assert R.build_plan(sol)["option"].tolist() == ["pA"]
    # Budget 1000: A + its twin (second copy delivers 40 t/yr, saving 4 * 40 * 2 - 100 = 220,
    # more than B's 152): 620 - 220 = 400.
    sol = solve(tiny(budget=1000.0, twin=True))
    assert sol.objective == pytest.approx(400.0, rel=1e-9)
    assert sorted(R.build_plan(sol)["option"]) == ["pA", "pA2"]


@pytest.mark.solver
def test_pareto_over_budget_grid():
    # 50: nothing (1000); 90: one B (1000 - 210 = 790); 150: A (620); 200: A + B (468).
    df = pareto(tiny(), [200.0, 50.0, 90.0, 150.0])
    assert df["budget"].tolist() == [50.0, 90.0, 150.0, 200.0]
    assert df["objective"].tolist() == pytest.approx([1000.0, 790.0, 620.0, 468.0], rel=1e-9)
    assert (df["status"] == "optimal").all()
    assert df["share_2025"].tolist() == pytest.approx([1.0, 0.5, 0.4, 0.0])


@pytest.mark.solver
def test_infeasible_demand_gets_diagnosis():
    # Export ban (import cap 0) and demand 1000 t/yr: capacity is at most 60 + 2 * 50 = 160,
    # so each year is short by 840 t/yr whatever the budget.
    with pytest.raises(InfeasibleError) as e:
        solve(tiny(budget=1000.0, import_cap=0.0, demand=1000.0))
    # one line for both years, then the limits that hold the plan back: the zero import cap
    # and both plants with all their modules online
    assert e.value.diagnosis == ["demand for Nd oxide in 2025-2026 short by 840 t/yr",
                                 "limit: imports of oxide:Nd capped at 0 t/yr in 2025-2026",
                                 "limit: pA at max_modules = 1, all online in 2025-2026",
                                 "limit: pB at max_modules = 2, all online in 2025-2026"]


@pytest.mark.solver
def test_infeasible_demand_names_the_lead_time():
    # Lead time 1 yr: nothing built comes online before 2026, so 2025's demand (import ban) is
    # unmet in full; in 2026 pA and one pB module meet it.
    import dataclasses

    data = tiny(budget=1000.0, import_cap=0.0)
    data = dataclasses.replace(data, options=data.options.assign(lead_time=1))
    with pytest.raises(InfeasibleError) as e:
        solve(data)
    assert e.value.diagnosis == [
        "demand for Nd oxide in 2025 short by 100 t/yr",
        "limit: imports of oxide:Nd capped at 0 t/yr in 2025",
        "limit: lead time: no new module comes online before 2026; short in 2025"]


@pytest.mark.solver
def test_infeasible_budget_gets_diagnosis_in_budget_currency():
    # Import ban, demand 100 t/yr, budget 50 MUSD: cheapest slack is two B modules (160 MUSD,
    # 110 over the budget; penalty 110 * 1000) rather than A + 40 t/yr short in both years
    # (50 * 1000 + 80 * 2000).
    # 110 MUSD at 80e6 RUB per MUSD is 8.8 bn RUB.
    with pytest.raises(InfeasibleError) as e:
        solve(tiny(budget=50.0, import_cap=0.0, currency_per_musd=80e6, unit="RUB_2025"))
    assert e.value.diagnosis[0].startswith("budget exceeded by 8.8 bn RUB (2025)")
    assert len(e.value.diagnosis) == 1


@pytest.mark.solver
def test_infeasible_import_share_gets_diagnosis():
    # Share cap 0 in 2025 and a 50 MUSD budget: the cheapest slack (penalty 1000 per unit, 2000
    # per t of unmet demand) is one B module (30 MUSD over budget) plus 50 t REO of imports above
    # the cap: 80,000, against 100 t of imports (100,000), A with 40 t of imports (50,000 +
    # 40,000) or B with 50 t/yr unmet (30,000 + 100,000).
    import dataclasses

    data = dataclasses.replace(tiny(budget=50.0), import_share_cap={2025: 0.0})
    with pytest.raises(InfeasibleError) as e:
        solve(data)
    assert e.value.diagnosis == [
        "budget exceeded by 30.0 MUSD (30.0 MUSD over 50.0)",
        "import share cap of 0% in 2025 exceeded by 50 t REO/yr of imports"]


@pytest.mark.solver
def test_binding_limit_is_valued_by_re_solving_with_one_module_more():
    # Loose budget: A (max 1, binding) and one B. With a second A module allowed, A + A replace
    # A + B: capex 200 + opex 100 t x 1 MUSD/t x 2 yr = 400, against 468: one more A saves 68.
    from tea.optimize.limits import binding_options, limit_values

    sol = solve(tiny(budget=1000.0))
    assert binding_options(sol) == ["pA"]  # pB uses 1 of its 2 modules
    table = limit_values(sol)
    assert table["option"].tolist() == ["pA"]
    row = table.iloc[0]
    assert row["objective_plus_one"] == pytest.approx(400.0, rel=1e-9)
    assert row["saving"] == pytest.approx(68.0, rel=1e-9)
    assert row["modules_used_plus_one"] == 2 and not row["within_gap"]
