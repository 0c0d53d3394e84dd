"""Transport on the mass that moves, direct routes between sites, and a deposit's resource
limit (hand-solved).

The model (one year, discount rate 0, transport 0.001 MUSD/(t km)):
- site M (1,000 km from the market hub) mines 10 t/yr of Nd in concentrate (existing module, no
  cost); the concentrate moves as 3 t per t of Nd (``shipping_mass`` 3);
- site P (500 km from the hub) turns it into oxide:Nd 1:1 (existing module, no cost); the oxide
  moves as 1.2 t per t of Nd;
- demand 10 t/yr of oxide:Nd at the market; imports at 100 MUSD/t (dearer than any transport).

Costs: oxide to market 10 t x 1.2 x 500 km x 0.001 = 6 MUSD. Concentrate through the hub
10 x 3 x (1,000 + 500) x 0.001 = 45 MUSD, or along a direct M-P route of 200 km
10 x 3 x 200 x 0.001 = 6 MUSD.

With a resource limit of 6 t of ore on the mine's deposit (1 t ore -> 1 t Nd here), 6 t are made
(hub transport 6 x 3 x 1,500 x 0.001 = 27 plus 6 x 1.2 x 500 x 0.001 = 3.6 MUSD) and 4 t imported
(400 MUSD): 430.6 MUSD.
"""

import pandas as pd
import pytest

from tea.chain.data import ChainData
from tea.errors import InfeasibleError, InputError
from tea.optimize import plan_costs
from tea.optimize import results as R
from tea.optimize.plan_costs import transport_by_option
from tea.optimize.solve import solve


def two_sites(routes=None, mass=(3.0, 1.2), limit=None, import_cap=float("inf")):
    sites = pd.DataFrame({"site": ["M", "P"], "region": "r",
                          "distance_to_market_km": [1000.0, 500.0]}).set_index("site")
    com = pd.DataFrame({"commodity": ["conc:d:Nd", "oxide:Nd"], "material": ["conc", "oxide"],
                        "element": "Nd", "tradeable": True, "reo_factor": [0.0, 1.0],
                        "shipping_mass": list(mass)}).set_index("commodity")
    base = dict(technology="x", stage="x", capacity_per_module=10.0, max_modules=1,
                existing_modules=1, capex_per_module=0.0, fixed_opex_per_module=0.0,
                lead_time=0, lifetime=30, first_build_year=2025, jobs_per_module=0.0,
                deposit="", ramp_up=1.0)
    options = pd.DataFrame([dict(base, option="mine", site="M", deposit="d" if limit else ""),
                            dict(base, option="plant", site="P")]).set_index("option")
    return ChainData(
        years=[2025], base_year=2025, discount_rate=0.0, objective="min_cost", sites=sites,
        commodities=com, options=options,
        modes=pd.DataFrame({"option": ["mine", "plant"], "mode": "run", "capacity_use": 1.0,
                            "variable_opex": 0.0}),
        coefficients=pd.DataFrame({"option": ["mine", "plant", "plant"], "mode": "run",
                                   "commodity": ["conc:d:Nd", "conc:d:Nd", "oxide:Nd"],
                                   "coef": [1.0, -1.0, 1.0]}),
        demand=pd.DataFrame({"group": ["Nd"], "year": [2025], "amount": [10.0]}),
        demand_groups=pd.DataFrame({"group": ["Nd"], "commodity": ["oxide:Nd"], "weight": [1.0]}),
        imports=pd.DataFrame({"commodity": ["oxide:Nd"], "year": [2025], "price": [100.0],
                              "cap": [import_cap]}),
        exports=pd.DataFrame(columns=["commodity", "year", "price", "cap"]),
        resources=pd.DataFrame({"deposit": ["d"] if limit else [],
                                "limit": [limit] if limit else []}).set_index("deposit"),
        transport_cost_musd_per_tkm=0.001,
        routes=pd.DataFrame(routes or [], columns=["site_a", "site_b", "distance_km"]))


@pytest.mark.solver
def test_hub_transport_is_charged_on_the_mass_moved():
    sol = solve(two_sites(), duals=False)
    assert sol.objective == pytest.approx(45.0 + 6.0, rel=1e-9)
    t = R.transport(sol)
    legs = t.set_index(["commodity", "leg"])
    assert legs.loc[("conc:d:Nd", "to market"), "mass"] == pytest.approx(30.0)
    assert legs.loc[("conc:d:Nd", "from market"), "musd"] == pytest.approx(15.0)
    assert R.check_balances(sol).empty


@pytest.mark.solver
def test_direct_route_replaces_the_detour_through_the_hub():
    # the route is given from P to M and used from M to P: routes run both ways
    sol = solve(two_sites(routes=[("P", "M", 200.0)]), duals=False)
    assert sol.objective == pytest.approx(6.0 + 6.0, rel=1e-9)
    t = R.transport(sol)
    route = t[t["leg"] == "route to P"]
    assert route[["commodity", "site", "amount", "km", "musd"]].values.tolist() == [
        ["conc:d:Nd", "M", pytest.approx(10.0), 200.0, pytest.approx(6.0)]]
    c = plan_costs.costs(sol)
    assert c.loc[c["category"] == "transport", "musd"].sum() == pytest.approx(12.0)
    f = R.flows(sol)
    assert f[f["kind"] == "route"]["node"].tolist() == ["M", "P"]
    assert R.check_balances(sol).empty
    # each leg is charged to the plant that makes what it carries
    by_option = transport_by_option(sol).set_index("option")["transport"]
    assert by_option.to_dict() == pytest.approx({"mine": 6.0, "plant": 6.0})


@pytest.mark.solver
def test_a_long_route_is_left_unused():
    sol = solve(two_sites(routes=[("M", "P", 5000.0)]), duals=False)
    assert sol.objective == pytest.approx(51.0, rel=1e-9)  # the hub (1,500 km) is shorter


@pytest.mark.solver
def test_resource_limit_binds_and_the_rest_is_imported():
    sol = solve(two_sites(limit=6.0), duals=False)
    assert sol.objective == pytest.approx(430.6, rel=1e-9)
    x = R.activities(sol).set_index("option")["activity"]
    assert x["mine"] == pytest.approx(6.0)
    assert R.trade(sol)["imports"].sum() == pytest.approx(4.0)


@pytest.mark.solver
def test_resource_limit_that_cannot_be_met_is_diagnosed():
    with pytest.raises(InfeasibleError) as err:
        solve(two_sites(limit=6.0, import_cap=0.0), duals=False)
    assert any("resource limit of deposit d exceeded by 4 t" in line
               for line in err.value.diagnosis), err.value.diagnosis


@pytest.mark.solver
def test_a_reserve_too_small_for_the_demand_is_named_as_the_cause():
    # 1 t of concentrate makes 0.25 t of oxide: overrunning the reserve (penalty per t) costs
    # more than the oxide it gives (twice the penalty per t short), so the slack plan mines the
    # 4 t reserve in full (1 t of oxide) and is 1 t/yr short of the 2 t/yr demand.
    import dataclasses

    data = two_sites(limit=4.0, import_cap=0.0)
    coef = data.coefficients.assign(coef=[1.0, -1.0, 0.25])
    data = dataclasses.replace(data, coefficients=coef, demand=data.demand.assign(amount=2.0))
    with pytest.raises(InfeasibleError) as err:
        solve(data, duals=False)
    assert err.value.diagnosis == ["demand for Nd in 2025 short by 1 t/yr",
                                   "limit: reserve of deposit d (4 t) used in full",
                                   "limit: imports of oxide:Nd capped at 0 t/yr in 2025"]


@pytest.mark.parametrize("routes, mass, key, words", [
    ([("M", "Q", 10.0)], (3.0, 1.2), "site_b", "unknown site 'Q'"),
    ([("M", "M", 10.0)], (3.0, 1.2), "site_b", "to itself"),
    ([("M", "P", 10.0), ("P", "M", 20.0)], (3.0, 1.2), "site_a,site_b", "same site pair"),
    ([("M", "P", -1.0)], (3.0, 1.2), "distance_km", ">= 0"),
    (None, (0.0, 1.2), "shipping_mass", "> 0"),
])
def test_bad_routes_and_masses_are_refused(routes, mass, key, words):
    with pytest.raises(InputError) as err:
        two_sites(routes=routes, mass=mass)
    assert err.value.key == key and words in err.value.message
