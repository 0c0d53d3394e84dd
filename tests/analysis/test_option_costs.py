"""The plan's costs charged to options add up to the chain's costs by category (an identity)."""

import dataclasses

import pandas as pd
import pytest

from tea.analysis.levelized import COST_COLUMNS, option_costs
from tea.optimize import results as R
from tea.optimize.solve import solve
from tea.optimize.synthetic import make_chain


@pytest.mark.solver
def test_option_costs_add_up_to_the_cost_categories():
    data = make_chain(n_sites=3, n_plants=8, n_years=10, seed=0)
    # a direct route between two sites, so that route legs are charged too
    sites = list(data.sites.index)
    data = dataclasses.replace(data, transport_cost_musd_per_tkm=1e-4, routes=pd.DataFrame(
        {"site_a": [sites[0]], "site_b": [sites[1]], "distance_km": [50.0]}))
    sol = solve(data, duals=False)
    by_option = option_costs(sol).groupby("year")[list(COST_COLUMNS)].sum()
    by_category = R.costs(sol).pivot_table(index="year", columns="category", values="musd",
                                           aggfunc="sum").fillna(0.0)
    legs = R.transport(sol).groupby("leg")["musd"].sum()
    assert legs.get(f"route to {sites[1]}", 0.0) > 0  # the route carries something
    for column in COST_COLUMNS:
        expected = by_category.get(column, pd.Series(0.0, index=by_option.index))
        assert by_option[column].to_numpy() == pytest.approx(
            expected.reindex(by_option.index, fill_value=0.0).to_numpy(), rel=1e-9, abs=1e-9)
