"""Runs on the HiGHS object: MIP starts that reach HiGHS, duals after a time-limited MILP."""

from __future__ import annotations

import re

import pytest

from tea.optimize.solve import solve
from tea.optimize.synthetic import make_chain

pytestmark = pytest.mark.solver


def _first_incumbent(log: str) -> float:
    """The objective of the MIP start as HiGHS logs it before its search."""
    found = re.search(r"MIP start solution is feasible: objective value is (\S+)", log)
    assert found, "HiGHS did not report the MIP start"
    return float(found.group(1))


def test_a_warm_start_reaches_highs_as_its_first_incumbent():
    data = make_chain(3, 8, 10, seed=1)
    cold = solve(data, duals=False)
    assert not cold.start_used
    warm = solve(data, duals=False, start=cold.start())
    assert warm.start_used
    assert _first_incumbent(warm.log) == pytest.approx(cold.objective, rel=1e-9)
    assert warm.objective == pytest.approx(cold.objective, rel=2e-4)  # both within the gap


@pytest.mark.slow
def test_duals_are_read_after_a_milp_stopped_by_its_time_limit():
    data = make_chain(10, 20, 15, seed=0)  # the medium case: no proof of 1e-4 within 3 s
    sol = solve(data, time_limit=3.0, mip_rel_gap=1e-4)
    assert sol.status == "feasible"
    assert len(sol.demand_duals) == len(sol.model.demand)  # every demand row has its dual
    assert sol.budget_dual is not None
