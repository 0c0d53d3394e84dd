"""Diagnosis of an infeasible build-out model: which targets cannot be met, and by how much.

Method: the model is rebuilt with non-negative slack on the demand rows (shortfall [t/yr]), the
domestic oxide production targets (shortfall [t REO/yr]), the
total and yearly budget rows (overrun [MUSD]), the import-share rows (imports above the cap
[t REO/yr]) and the resource rows (extraction above the limit [activity units]), each priced at
``data.slack_penalty`` [MUSD per unit] in the objective (unmet demand and production targets at
twice that, so that the binding cap is named before an unmet target), and re-solved. The slack the optimum
needs is the smallest violation (at that price) that makes the model feasible; each positive slack
becomes one line in words, consecutive years of one shortfall in one line (``in 2030-2040 short
... by 3,869 t REO/yr``; amounts that differ are given as their range).

Under the shortfalls, the slack plan's limits are named as their causes, each with its amount:

- a **deposit reserve** used in full (a resource row at its limit),
- an **import cap** that imports of a short demand's commodity sit at (a cap of 0 included),
- a **module limit**: a plant with all its ``max_modules`` online and at capacity in a short year,
- a **lead time**: years short before the first year any new module can come online.
"""

from __future__ import annotations

import pyomo.environ as pyo

from tea.chain.data import ChainData
from tea.optimize.highs import LIMITS, fix_builds, make_solver, run, status_of
from tea.optimize.model import OnlineModules, build_model

_EPS = 1e-6
_MAX_LIMITS = 4
"""Module-limit lines shown at most (the rest counted in one line)."""


def _money(musd: float, data: ChainData) -> str:
    """MUSD as billions of the budget's currency (or MUSD if the budget is in MUSD)."""
    if data.budget_unit.upper() == "MUSD":
        return f"{musd:,.1f} MUSD"
    code, _, year = data.budget_unit.partition("_")
    amount = data.to_budget_unit(musd) / 1e9
    return f"{amount:,.1f} bn {code}" + (f" ({year})" if year else "")


def _spans(years: list[int]) -> list[list[int]]:
    """Runs of consecutive years: [2030, 2031, 2032, 2035] -> [[2030, 2031, 2032], [2035]]."""
    runs: list[list[int]] = []
    for y in sorted(years):
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return runs


def _years(run: list[int]) -> str:
    return f"{run[0]}" if len(run) == 1 else f"{run[0]}-{run[-1]}"


def _amounts(values: list[float]) -> str:
    """One amount, or the range of amounts that differ once rounded: "3,869" or "120-3,869"."""
    low, high = f"{min(values):,.0f}", f"{max(values):,.0f}"
    return low if low == high else f"{low}-{high}"


def _grouped(by_year: dict[int, float], text) -> list[str]:
    """One line per run of consecutive years of positive slack: ``text(years, amounts)``."""
    years = [y for y, v in by_year.items() if v > _EPS]
    return [text(_years(run), _amounts([by_year[y] for y in run])) for run in _spans(years)]


def _tonnes(t: float) -> str:
    return f"{t / 1e6:,.3g} Mt" if t >= 1e6 else f"{t:,.0f} t"


def _value(v) -> float:
    return float(v.value or 0.0)


def diagnose(data: ChainData, time_limit: float | None = None,
             mip_rel_gap: float | None = 1e-4, fixed_builds: dict | None = None) -> list[str]:
    """Re-solve with priced slack and describe the violations and the limits that cause them.

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
        One line per violated target and run of years, e.g. ``"demand for NdPr_oxide in
        2030-2040 short by 1,234 t/yr"`` or ``"budget exceeded by 12.0 bn RUB (2025)"``, then one
        line per limiting cause, e.g. ``"limit: reserve of deposit tomtor (11.4 Mt) used in
        full"``.
    """
    m = build_model(data, slack=True)
    if fixed_builds is not None:
        fix_builds(m, fixed_builds)
    res = run(make_solver(), m, time_limit, mip_rel_gap)
    if status_of(res) is None:
        if res.termination_condition in LIMITS:
            return ["the diagnosis reached the time limit before finding where the model falls "
                    "short; raise --time-limit"]
        return ["the model stays infeasible with slack on demand, budget, import share and "
                "resources: check capacities, lead times and balances of non-tradeable "
                f"commodities ({res.termination_condition.name})"]
    res.solution_loader.load_vars()
    lines = []
    short: dict = {}
    for (g, y), v in getattr(m, "short", {}).items():
        short.setdefault(g, {})[y] = _value(v)
    for g, by_year in short.items():
        lines += _grouped(by_year, lambda ys, a, g=g: f"demand for {g} in {ys} short by {a} t/yr")
    prod_short = {y: _value(v) for y, v in getattr(m, "production_short", {}).items()
                  if _value(v) > _EPS}
    lines += _grouped(prod_short, lambda ys, a: f"domestic oxide production in {ys} short of "
                                                f"the target by {a} t REO/yr")
    if hasattr(m, "budget_over") and m.budget_over.value and m.budget_over.value > _EPS:
        lines.append(f"budget exceeded by {_money(m.budget_over.value, data)}"
                     f" ({m.budget_over.value:,.1f} MUSD over {pyo.value(m.budget_total):,.1f})")
    for y, v in getattr(m, "budget_year_over", {}).items():
        if v.value and v.value > _EPS:
            lines.append(f"budget of {y} exceeded by {_money(v.value, data)}")
    for run_ in _spans([y for y, v in getattr(m, "share_over", {}).items() if _value(v) > _EPS]):
        caps = sorted({data.import_share_cap[y] for y in run_})
        cap = "-".join(f"{c:.0%}" for c in (caps[0], caps[-1])) if len(caps) > 1 \
            else f"{caps[0]:.0%}"
        lines.append(f"import share cap of {cap} in {_years(run_)} exceeded by "
                     f"{_amounts([_value(m.share_over[y]) for y in run_])} t REO/yr of imports")
    for d, v in getattr(m, "resource_over", {}).items():
        if v.value and v.value > _EPS:
            lines.append(f"resource limit of deposit {d} exceeded by {v.value:,.0f} t")
    if not lines:
        return ["no demand, budget, import-share or resource target needs slack: the "
                "infeasibility lies elsewhere"]
    short_years = sorted({y for by_year in short.values() for y, v in by_year.items()
                          if v > _EPS} | {y for y, v in prod_short.items() if v > _EPS})
    if short_years:
        lines += _causes(m, data, short, short_years, prod_short)
    return lines


def _upstream(flows, commodities: set) -> set:
    """Options that make any of ``commodities``, or (transitively) what those options use."""
    makes: dict = {}
    uses: dict = {}
    for o, c, coef in zip(flows["option"], flows["commodity"], flows["coef"], strict=True):
        (makes if coef > 0 else uses).setdefault(o if coef < 0 else c, set()).add(
            c if coef < 0 else o)
    found: set = set()
    todo = set(commodities)
    seen: set = set()
    while todo:
        c = todo.pop()
        seen.add(c)
        for o in makes.get(c, ()):
            if o not in found:
                found.add(o)
                todo |= uses.get(o, set()) - seen
    return found


def _causes(m, data: ChainData, short: dict, short_years: list[int],
            prod_short: dict) -> list[str]:
    """The limits of the slack plan that hold a shortfall back, one line each, with amounts."""
    p = m.prepared
    lines = []
    # deposit reserves used in full
    res = data.resources["limit"].astype(float)
    for d, row in getattr(m, "resource", {}).items():
        if d in getattr(m, "resource_over", {}) and _value(m.resource_over[d]) > _EPS:
            continue  # already a line of its own
        if pyo.value(row.body) >= pyo.value(row.upper) * (1 - 1e-6) - _EPS:
            lines.append(f"limit: reserve of deposit {d} ({_tonnes(res[d])}) used in full")
    # import caps that the imports of a short demand's commodities sit at
    members: dict = {}
    for g, c in zip(data.demand_groups["group"], data.demand_groups["commodity"], strict=True):
        members.setdefault(g, []).append(c)
    caps = {(c, y): float(cap) for c, y, cap in zip(data.imports["commodity"],
                                                    data.imports["year"], data.imports["cap"],
                                                    strict=True)}
    at_cap: dict = {}
    for g, by_year in short.items():
        for y, v in by_year.items():
            if v <= _EPS:
                continue
            for c in members.get(g, []):
                cap = caps.get((c, y), 0.0)
                if (c, y) not in m.IMP or _value(m.imp[c, y]) >= cap - 1e-6 * max(cap, 1.0):
                    at_cap.setdefault((c, cap), set()).add(y)
    for (c, cap), years in sorted(at_cap.items()):
        for run_ in _spans(list(years)):
            lines.append(f"limit: imports of {c} capped at {cap:,.0f} t/yr in {_years(run_)}")
    # module limits: every allowed module online and working in a short year
    online = OnlineModules(m, p)
    opt = data.options
    working = {k for k, row in m.capacity.items()  # modules online and working at capacity
               if pyo.value(row.body) >= pyo.value(row.upper) - 1e-6}
    full: dict = {}
    oxide = set(data.commodities.index[data.commodities["material"].astype(str) == "oxide"])
    wanted = {c for g, by_year in short.items() if any(v > _EPS for v in by_year.values())
              for c in members.get(g, [])} | (oxide if prod_short else set())
    feeding = _upstream(p["flows"], wanted)
    for o in opt.index:
        limit = float(opt.at[o, "max_modules"])
        if o not in feeding:
            continue
        if limit <= 0:
            continue
        years = [y for y in short_years if (o, y) in working
                 and pyo.value(online(o, y)) >= limit - 1e-6]
        if years:
            full[o] = (int(limit), years)
    for o, (limit, years) in sorted(full.items())[:_MAX_LIMITS]:
        lines.append(f"limit: {o} at max_modules = {limit}, all online in "
                     + ", ".join(_years(r) for r in _spans(years)))
    if len(full) > _MAX_LIMITS:
        lines.append(f"limit: {len(full) - _MAX_LIMITS} more plants at their max_modules "
                     f"({', '.join(sorted(full)[_MAX_LIMITS:])})")
    # lead times: short years before any new module can come online
    room = opt[opt["max_modules"] > opt["existing_modules"]]
    if len(room):
        lead = room["lead_time"].astype(int)
        earliest = int((room["first_build_year"].astype(int).clip(lower=data.years[0])
                        + lead).min())
        early = [y for y in short_years if y < earliest]
        if early:
            when = (f"before {earliest}" if earliest <= data.years[-1] else
                    f"within the horizon (lead times {lead.min()}-{lead.max()} yr)")
            lines.append(f"limit: lead time: no new module comes online {when}; short in "
                         + ", ".join(_years(r) for r in _spans(early)))
    return lines
