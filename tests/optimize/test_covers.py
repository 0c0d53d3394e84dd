"""Cover rows of the production target (tea.optimize.covers): hand-computed weights and validity.

Hand chain (round numbers; reo_factor 1.2 for both oxides):
- mine: 1 t ore per unit of activity gives 0.008 t conc:Nd and 0.002 t conc:Pr;
- cracking: one mode eats 0.8 t conc:Nd + 0.2 t conc:Pr and gives 0.72 t mixed:Nd + 0.18 t
  mixed:Pr (90 % recovery);
- separation: one mode per element, 1 t mixed -> 0.99 t oxide;
- recycling: 1 t scrap:Nd (importable) -> 0.97 t mixed:Nd, back to separation.

Weights [t REO per t/yr of capacity], capacity_use 1 everywhere:
- direct row: separation 0.99 * 1.2 = 1.188;
- cracking row: cracking (0.72 + 0.18) * 1.188 = 1.0692; recycling 0.97 * 1.188 = 1.15236
  (it feeds separation from outside the cracking stage);
- mine row: mine (0.008 + 0.002) * 0.9 * 1.188 = 0.010692 (element by element: conc:Nd is worth
  0.72 * 1.188 / 0.8 = 1.0692 t REO per t, not the whole mode's 0.9 * 1.188 / 0.8 = 1.3365);
  recycling 1.15236.
"""

import dataclasses
import math

import pandas as pd
import pyomo.environ as pyo
import pytest

from tea.chain.data import ChainData
from tea.optimize.covers import stage_weights
from tea.optimize.model import build_model
from tea.optimize.solve import fix_builds, make_solver, run, status_of


def chain(importable=("oxide:Nd", "oxide:Pr", "scrap:Nd"), target=None):
    years = [2025, 2026]
    com = pd.DataFrame([
        (c, c.split(":")[0], c.split(":")[1], 1.2 if c.startswith("oxide") else 0.0)
        for c in ("conc:Nd", "conc:Pr", "mixed:Nd", "mixed:Pr", "oxide:Nd", "oxide:Pr",
                  "scrap:Nd")], columns=["commodity", "material", "element", "reo_factor"])
    com["tradeable"] = True
    base = dict(technology="t", site="A", max_modules=2, existing_modules=0,
                capex_per_module=10.0, fixed_opex_per_module=1.0, lead_time=0, lifetime=5,
                first_build_year=2025, jobs_per_module=1.0, deposit="", ramp_up=1.0)
    options = pd.DataFrame([
        dict(base, option="mine", stage="mine", capacity_per_module=100000.0),
        dict(base, option="crack", stage="cracking", capacity_per_module=1000.0),
        dict(base, option="sep", stage="separation", capacity_per_module=1000.0),
        dict(base, option="rec", stage="recycling", capacity_per_module=100.0),
    ]).set_index("option")
    modes = pd.DataFrame([("mine", "ore"), ("crack", "conc"), ("sep", "Nd"), ("sep", "Pr"),
                          ("rec", "Nd")], columns=["option", "mode"])
    modes["capacity_use"], modes["variable_opex"] = 1.0, 0.001
    coef = pd.DataFrame([
        ("mine", "ore", "conc:Nd", 0.008), ("mine", "ore", "conc:Pr", 0.002),
        ("crack", "conc", "conc:Nd", -0.8), ("crack", "conc", "conc:Pr", -0.2),
        ("crack", "conc", "mixed:Nd", 0.72), ("crack", "conc", "mixed:Pr", 0.18),
        ("sep", "Nd", "mixed:Nd", -1.0), ("sep", "Nd", "oxide:Nd", 0.99),
        ("sep", "Pr", "mixed:Pr", -1.0), ("sep", "Pr", "oxide:Pr", 0.99),
        ("rec", "Nd", "scrap:Nd", -1.0), ("rec", "Nd", "mixed:Nd", 0.97),
    ], columns=["option", "mode", "commodity", "coef"])
    return ChainData(
        years=years, base_year=2025, discount_rate=0.0, objective="min_cost",
        sites=pd.DataFrame({"site": ["A"], "region": ["r"],
                            "distance_to_market_km": [0.0]}).set_index("site"),
        commodities=com.set_index("commodity"), options=options, modes=modes,
        coefficients=coef,
        demand=pd.DataFrame({"group": "NdPr", "year": years, "amount": 10.0}),
        demand_groups=pd.DataFrame({"group": ["NdPr", "NdPr"],
                                    "commodity": ["oxide:Nd", "oxide:Pr"], "weight": 1.2}),
        imports=pd.DataFrame([(c, y, 0.05, math.inf) for c in importable for y in years],
                             columns=["commodity", "year", "price", "cap"]),
        exports=pd.DataFrame([(c, y, 0.01, math.inf) for c in ("oxide:Nd", "oxide:Pr")
                              for y in years], columns=["commodity", "year", "price", "cap"]),
        resources=pd.DataFrame(columns=["deposit", "limit"]).set_index("deposit"),
        min_production=target or {}, slack_penalty=1000.0)


def test_stage_weights_by_hand():
    w = {k: v.round(9).to_dict() for k, v in stage_weights(chain()).items()}
    assert w == {"direct": {"sep": 1.188},
                 "cracking": {"crack": 1.0692, "rec": 1.15236},
                 "mine": {"mine": 0.010692, "rec": 1.15236}}


def test_importable_intermediate_leaves_only_the_oxide_row():
    # mixed:Nd can be imported: neither cracking nor mining bounds the separated oxide any more
    w = stage_weights(chain(importable=("oxide:Nd", "oxide:Pr", "scrap:Nd", "mixed:Nd")))
    assert list(w) == ["direct"]


def _max_oxide(data, plan, year):
    """Most counted oxide [t REO] in ``year`` with builds fixed, without the cover rows."""
    m = build_model(data, cuts=False)
    fix_builds(m, plan)
    m.production.deactivate()
    m.budget_total_row.deactivate()
    m.obj.deactivate()
    m.most = pyo.Objective(expr=m.oxide_output[year], sense=pyo.maximize)
    res = run(make_solver(), m)
    assert status_of(res) == "optimal"
    return res.incumbent_objective


def _cover_lhs(data, plan, year):
    m = build_model(data)
    fix_builds(m, plan)
    return {st.split(":")[1]: 1e3 * pyo.value(row.body)
            for (st, y), row in m.production_cover.items() if y == year}


@pytest.mark.solver
@pytest.mark.parametrize("plan", [
    {("mine", 2025): 1, ("crack", 2025): 2, ("sep", 2025): 2, ("rec", 2025): 1},
    {("mine", 2025): 2, ("crack", 2025): 1, ("sep", 2025): 1, ("rec", 2025): 0},
    {("mine", 2025): 1, ("crack", 2025): 1, ("sep", 2025): 2, ("rec", 2025): 2},
])
def test_cover_rows_bound_the_most_oxide_any_plan_can_make(plan):
    data = chain(target={2025: 1.0, 2026: 1.0})
    most = _max_oxide(data, plan, 2026)
    lhs = _cover_lhs(data, plan, 2026)
    assert set(lhs) == {"direct", "cracking", "mine"}
    assert all(v >= most * (1 - 1e-9) for v in lhs.values())
    # the tightest row is attained by the plan's bottleneck stage
    assert min(lhs.values()) == pytest.approx(most, rel=1e-6)


@pytest.mark.solver
@pytest.mark.slow
def test_cover_rows_hold_for_siberian_plans():
    from tea.chain import build_chain
    from tea.config import load_scenario

    data, _ = build_chain(load_scenario("models/siberia_cluster.toml"))
    o = data.options
    first = {k: max(int(o.at[k, "first_build_year"]), data.years[0]) for k in o.index}
    full = {(k, first[k]): int(o.at[k, "max_modules"] - o.at[k, "existing_modules"])
            for k in o.index if o.at[k, "max_modules"] > o.at[k, "existing_modules"]}
    for plan in (full, {k: min(1, n) for k, n in full.items()}):
        for year in (2030, 2040):
            most = _max_oxide(data, plan, year)
            lhs = _cover_lhs(data, plan, year)
            assert {"direct", "cracking", "mine"} <= set(lhs)
            assert all(v >= most * (1 - 1e-7) for v in lhs.values()), (lhs, most)


def test_uncapacitated_mode_gives_no_row_it_would_invalidate():
    # a recycling mode that uses no capacity can make any amount: no row may rely on its modules
    data = chain()
    modes = data.modes.copy()
    modes.loc[modes["option"] == "rec", "capacity_use"] = 0.0
    w = stage_weights(dataclasses.replace(data, modes=modes))
    assert all("rec" not in row.index for row in w.values())
    assert list(w) == ["direct"]  # cracking and mine rows need rec's capacity term
