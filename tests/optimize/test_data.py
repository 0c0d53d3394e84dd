"""ChainData validation and solved synthetic chains (balances, budget, cost identity)."""

import dataclasses

import numpy as np
import pytest

from tea.errors import InputError
from tea.optimize import plan_costs
from tea.optimize import results as R
from tea.optimize.solve import solve
from tea.optimize.synthetic import make_chain


@pytest.fixture(scope="module")
def chain():
    return make_chain(n_sites=3, n_plants=8, n_years=8, seed=1)


def _with(data, table, fn):
    df = getattr(data, table).copy()
    fn(df)
    return dataclasses.replace(data, **{table: df})


def _first(column, value):
    """Set ``column`` of the first row (keeps row keys unique)."""
    def change(d):
        d[column] = d[column].astype(object)
        d.iloc[0, d.columns.get_loc(column)] = value
    return change


@pytest.mark.parametrize("table, column, change, words", [
    ("options", "site", _first("site", "nowhere"), "unknown site"),
    ("options", "capacity_per_module", _first("capacity_per_module", -1.0), ">= 0"),
    ("options", "ramp_up", _first("ramp_up", 1.5), "fraction"),
    ("options", "max_modules", _first("max_modules", 2.5), "integer"),
    ("coefficients", "commodity", _first("commodity", "oxide:Xx"), "unknown commodity"),
    ("demand", "group", _first("group", "Unobtainium"), "unknown demand group"),
    ("demand", "year", _first("year", 1990), "outside the horizon"),
    ("imports", "cap", _first("cap", -5.0), ">= 0"),
])
def test_validation_names_table_and_column(chain, table, column, change, words):
    with pytest.raises(InputError) as e:
        _with(chain, table, change)
    assert e.value.file == f"ChainData.{table}" and e.value.key == column
    assert words in e.value.message


def test_validation_of_scalars(chain):
    with pytest.raises(InputError, match="consecutive"):
        dataclasses.replace(chain, years=[2025, 2027])
    with pytest.raises(InputError, match="min_cost"):
        dataclasses.replace(chain, objective="max_fun")
    with pytest.raises(InputError, match="fraction"):
        dataclasses.replace(chain, import_share_cap={2030: 1.2})
    with pytest.raises(InputError, match="missing column"):
        dataclasses.replace(chain, modes=chain.modes.drop(columns="capacity_use"))


def test_synthetic_is_deterministic():
    a, b = make_chain(seed=3), make_chain(seed=3)
    assert a.options.equals(b.options) and a.coefficients.equals(b.coefficients)
    assert not a.options.equals(make_chain(seed=4).options)


@pytest.mark.solver
def test_solved_synthetic_chain_balances_budget_and_costs(chain):
    sol = solve(chain, mip_rel_gap=1e-4)
    # every flow balance closes per commodity (= element for element-resolved ones), node, year
    bad = R.check_balances(sol)
    assert bad.empty, bad.head()
    f = R.flows(sol)
    assert set(f["element"].dropna()) - {""} <= set(chain.commodities["element"])
    # the budget holds, in MUSD and in the budget's currency
    bs = R.budget_summary(sol)
    assert bs["capex_total_musd"] <= chain.budget_total * (1 + 1e-9)
    assert bs["capex_total"] == pytest.approx(bs["capex_total_musd"] * 80e6)
    assert bs["budget"] == pytest.approx(chain.budget_total * 80e6)
    # totals equal the sum of their parts: discounted costs by category = objective
    assert plan_costs.costs(sol)["musd_pv"].sum() == pytest.approx(sol.objective, rel=1e-7)
    # capacity is respected: activity per option and year within modules online x capacity
    act = R.activities(sol).groupby(["option", "year"])["activity"].sum()
    cap = R.capacities(sol).set_index(["option", "year"])["capacity"]
    assert (act <= cap.reindex(act.index) * (1 + 1e-7) + 1e-6).all()
    # import shares respect their caps
    sh = R.import_share(sol)
    capped = sh.dropna(subset=["cap"])
    assert (capped["share"] <= capped["cap"] + 1e-7).all()
    assert np.isfinite(sol.objective) and sol.gap <= 1e-4
    mc = R.marginal_costs(sol)
    assert len(mc) == len(chain.demand) and (mc["marginal_cost"] >= -1e-9).all()
