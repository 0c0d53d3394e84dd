"""Diagnosis of an infeasible build-out model: which targets cannot be met, and by how much.

Method: the model is rebuilt with non-negative slack on the demand rows (shortfall [t/yr]), the
domestic oxide production targets (shortfall [t REO/yr]), the
total and yearly budget rows (overrun [MUSD]), the import-share rows (imports above the cap
[t REO/yr]) and the resource rows (extraction above the limit [activity units]), each priced at
``data.slack_penalty`` [MUSD per unit] in the objective (unmet demand and production targets at
twice that, so that the binding cap is named before an unmet target), and re-solved. The slack the optimum
needs is the smallest violation (at that price) that makes the model feasible; each positive slack
becomes one line in words.
"""

from __future__ import annotations

import pyomo.environ as pyo

from tea.chain.data import ChainData
from tea.optimize.highs import fix_builds, make_solver, run, status_of
from tea.optimize.model import build_model

_EPS = 1e-6


def _money(musd: float, data: ChainData) -> str:
    """MUSD as billions of the budget's currency (or MUSD if the budget is in MUSD)."""
    if data.budget_unit.upper() == "MUSD":
        return f"{musd:,.1f} MUSD"
    code, _, year = data.budget_unit.partition("_")
    amount = data.to_budget_unit(musd) / 1e9
    return f"{amount:,.1f} bn {code}" + (f" ({year})" if year else "")


def diagnose(data: ChainData, time_limit: float | None = None,
             mip_rel_gap: float | None = 1e-4, fixed_builds: dict | None = None) -> list[str]:
    """Re-solve with priced slack and describe the violations.

    Parameters
    ----------
    data : ChainData
        The (infeasible) model data.
    time_limit : float, optional
        HiGHS time limit [s] for the slack model.
    mip_rel_gap : float, optional
    fixed_builds : dict, optional
        A fixed plan ``{(option, year): modules}`` to diagnose (see :func:`tea.optimize.solve.solve`).

    Returns
    -------
    list[str]
        One line per violated target, e.g. ``"demand for NdPr oxide in 2030 short by 1,234
        t/yr"`` or ``"budget exceeded by 12.0 bn RUB (2025)"``.
    """
    m = build_model(data, slack=True)
    if fixed_builds is not None:
        fix_builds(m, fixed_builds)
    res = run(make_solver(), m, time_limit, mip_rel_gap)
    if status_of(res) is None:
        return ["the model stays infeasible with slack on demand, budget, import share and "
                "resources: check capacities, lead times and balances of non-tradeable "
                f"commodities ({res.termination_condition.name})"]
    res.solution_loader.load_vars()
    lines = []
    for (g, y), v in getattr(m, "short", {}).items():
        if v.value and v.value > _EPS:
            lines.append(f"demand for {g} in {y} short by {v.value:,.0f} t/yr")
    for y, v in getattr(m, "production_short", {}).items():
        if v.value and v.value > _EPS:
            lines.append(f"domestic oxide production in {y} short of the target by "
                         f"{v.value:,.0f} t REO/yr")
    if hasattr(m, "budget_over") and m.budget_over.value and m.budget_over.value > _EPS:
        lines.append(f"budget exceeded by {_money(m.budget_over.value, data)}"
                     f" ({m.budget_over.value:,.1f} MUSD over {pyo.value(m.budget_total):,.1f})")
    for y, v in getattr(m, "budget_year_over", {}).items():
        if v.value and v.value > _EPS:
            lines.append(f"budget of {y} exceeded by {_money(v.value, data)}")
    for y, v in getattr(m, "share_over", {}).items():
        if v.value and v.value > _EPS:
            lines.append(f"import share cap of {data.import_share_cap[y]:.0%} in {y} exceeded by "
                         f"{v.value:,.0f} t REO/yr of imports")
    for d, v in getattr(m, "resource_over", {}).items():
        if v.value and v.value > _EPS:
            lines.append(f"resource limit of deposit {d} exceeded by {v.value:,.0f} t")
    if not lines:
        lines.append("no demand, budget, import-share or resource target needs slack: the "
                     "infeasibility lies elsewhere")
    return lines
