"""The plan's costs charged to options: every leg of transport is charged to some option, and the
discounted costs by category add up to the solver's objective (identities)."""

import dataclasses

import pandas as pd
import pytest

from tea.optimize import plan_costs
from tea.optimize import results as R
from tea.optimize.solve import solve
from tea.optimize.synthetic import make_chain


@pytest.fixture(scope="module")
def routed():
    data = make_chain(n_sites=3, n_plants=8, n_years=10, seed=0)
    # a direct route between two sites, so that route legs are charged too
    sites = list(data.sites.index)
    data = dataclasses.replace(data, transport_cost_musd_per_tkm=1e-4, routes=pd.DataFrame(
        {"site_a": [sites[0]], "site_b": [sites[1]], "distance_km": [50.0]}))
    return sites, solve(data, duals=False)


@pytest.mark.solver
def test_every_transport_leg_is_charged_to_an_option(routed):
    sites, sol = routed
    legs = R.transport(sol)
    assert legs[legs["leg"] == f"route to {sites[1]}"]["musd"].sum() > 0  # the route is used
    charged = plan_costs.option_costs(sol).groupby("year")["transport"].sum()
    assert charged.to_numpy() == pytest.approx(
        legs.groupby("year")["musd"].sum().reindex(charged.index, fill_value=0.0).to_numpy(),
        rel=1e-9, abs=1e-12)


@pytest.mark.solver
def test_discounted_costs_by_category_are_the_objective(routed):
    _, sol = routed
    assert plan_costs.costs(sol)["musd_pv"].sum() == pytest.approx(sol.objective, rel=1e-9)


@pytest.mark.solver
def test_salvage_is_the_straight_line_remaining_life(routed):
    _, sol = routed
    plan = plan_costs.build_salvage(sol)
    expected = ((plan["lifetime"] - plan["years_used"]) / plan["lifetime"]).clip(0, 1)
    assert plan["salvage_fraction"].to_numpy() == pytest.approx(expected.to_numpy())
    salvage = plan_costs.option_costs(sol)["salvage"].sum()
    assert salvage == pytest.approx(-(plan["capex"] * expected).sum(), rel=1e-12)
