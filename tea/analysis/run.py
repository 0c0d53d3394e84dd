"""Optimize one model and gather its results: the JSON summary and the report bundle.

``optimize_model`` loads a model, assembles the chain, solves the MILP (with duals) and computes the
levelized costs; ``summary`` gives the headline figures printed by ``tea optimize --json`` and kept
in ``reports/<model>/summary.json``; ``make_bundle`` adds the curves and tables a report needs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from tea.analysis.balances import balance_table, balances
from tea.analysis.bundle import RunBundle
from tea.analysis.cashflows import PlanFinance, plan_finance, with_units
from tea.analysis.curves import supply_frame
from tea.analysis.levelized import (
    MUSD_PER_T_TO_USD_PER_KG,
    UPSTREAM,
    levelized_costs,
    levelized_parts,
    product_output,
)
from tea.analysis.sensitivity import report_uncertainty
from tea.chain import build_chain
from tea.config import load_scenario
from tea.config.inputs import default_input_tables, input_table_rows
from tea.config.sources import model_values
from tea.optimize import plan_costs
from tea.optimize import results as r
from tea.optimize.pareto import start_pareto
from tea.optimize.pool import warm_pool
from tea.optimize.solve import solve
from tea.process.cascade import purity_cost_curve
from tea.units import money_unit, split_money_unit

PURITIES = (0.995, 0.999, 0.9999, 0.99999)


@dataclass
class ModelRun:
    """A solved model with what was derived from it."""

    scenario: object
    data: object
    info: object
    solution: object
    levelized: pd.DataFrame
    finance: PlanFinance


def optimize_model(path, overrides=None, time_limit: float = 120.0, mip_rel_gap: float = 1e-4,
                   threads: int | None = None) -> ModelRun:
    """Load, assemble, solve (with duals) and cost one model file (``threads``: HiGHS threads,
    default HiGHS's own choice; 1 in a worker process that shares the machine with others)."""
    scenario = load_scenario(path, overrides)
    data, info = build_chain(scenario)
    sol = solve(data, time_limit=time_limit, mip_rel_gap=mip_rel_gap, threads=threads)
    return _costed(scenario, data, info, sol)


def _costed(scenario, data, info, sol) -> ModelRun:
    """A solved plan with its levelized costs and its cash flows through tea.finance."""
    return ModelRun(scenario, data, info, sol, levelized_costs(sol, scenario),
                    plan_finance(sol, scenario, info.musd_to_currency))


def evaluate_model(path, overrides=None, time_limit: float = 120.0) -> ModelRun:
    """Dispatch a fixed plan: the plants' ``builds`` tables (and existing plants), no build choice.

    The policy constraints (import-share caps, an enforced production target) are reported, not
    imposed: the question is what the stated plan costs and delivers.
    """
    import dataclasses


    scenario = load_scenario(path, overrides)
    data, info = build_chain(scenario)
    data = dataclasses.replace(data, import_share_cap={}, min_production={})
    plan = {(pid, year): n for pid, plant in scenario.plants.items()
            for year, n in plant.builds.items()}
    sol = solve(data, time_limit=time_limit, fixed_builds=plan)
    return _costed(scenario, data, info, sol)


def summary(run: ModelRun, currency: str | None = None, balance_year: int | None = None) -> dict:
    """Headline figures of a run (JSON-ready): status, objective, capex and budget in the budget's
    currency, import share by year, levelized costs with units, the budget's marginal value.

    ``currency`` (e.g. ``"USD_2024"``) is the reporting currency of the objective and of the
    levelized costs' second value; default the model's ``currency``. ``balances`` are those of
    ``balance_year`` (default the target year, or the last year; :mod:`tea.analysis.balances`).
    """
    sol, data, s = run.solution, run.data, run.scenario
    report_in = currency or s.currency
    base = f"USD_{s.base_year}"
    rate = s.money("CPI").factor(base, report_in)
    budget = r.budget_summary(sol)
    share = r.import_share(sol).set_index("year")["share"]
    lc = run.levelized.set_index("product")["levelized_cost_usd_per_kg"]
    plan = r.build_plan(sol)
    unit = budget["budget_unit"]
    target_year = int(s.targets.get("year", s.last_year)) if s.targets else s.last_year
    flows = r.flows(sol)
    oxide = flows[(flows["kind"] == "production") & (flows["material"] == "oxide")
                  & (flows["year"] == target_year)]
    reo = float((oxide["amount"] * oxide["commodity"].map(data.commodities["reo_factor"])).sum())
    out = {
        "model": s.name,
        "status": sol.status,
        "objective": {"value": sol.objective * 1e6 * rate, "unit": report_in,
                      "meaning": "discounted total cost" if s.objective == "min_cost" else "NPV"},
        "capex_total": {"value": budget["capex_total"], "unit": unit},
        "budget": ({"value": float(s.budget.total.magnitude), "unit": unit}
                   if s.budget.total is not None else None),
        "budget_marginal_value": {
            "value": budget["value_per_bn"],
            "unit": f"{unit} of objective per extra 1e9 {unit}",
        },
        "import_share": {str(y): float(v) for y, v in share.items()},
        "levelized_cost": {p: _cost_entry(v, base, report_in, rate, s.products[p].material)
                           for p, v in lc.items()},
        "marginal_cost": _marginal(sol, target_year, s),
        "builds": [f"{int(b['year'])}: {int(b['modules'])} x {b['option']}"
                   for _, b in plan.iterrows()],
        "domestic_oxide_production": {"year": target_year, "value": reo, "unit": "t_REO/yr"},
        "jobs": {str(y): float(v) for y, v in r.jobs(sol).set_index("year")["jobs"].items()},
        "balances": balances(sol, run.info, balance_year or target_year),
        "finance": finance_summary(run, s.money("CPI").factor(s.currency, report_in), report_in),
    }
    if s.targets:
        out["target"] = {"year": target_year, "production": float(
            s.targets["production"].to("t_REO/yr").magnitude), "unit": "t_REO/yr"}
    return out


def _cost_entry(value: float, base: str, report_in: str, rate: float, material: str) -> dict:
    per = "/kg_REO" if material == "oxide" else "/kg"
    if not np.isfinite(value):
        return {"value": None, "unit": base + per}
    entry = {"value": float(value), "unit": base + per}
    if report_in != base:
        entry["in_reporting_currency"] = {"value": float(value) * rate, "unit": report_in + per}
    return entry


def _marginal(sol, year: int, scenario) -> dict:
    """Marginal cost of each product in ``year`` (the demand dual), with its unit."""
    mc = r.marginal_costs(sol)
    mc = mc[mc["year"] == year]
    out = {}
    for _, row in mc.iterrows():
        group = str(row["group"])
        product = scenario.products.get(group)
        per = "/kg_REO" if product is not None and product.material == "oxide" else "/kg"
        out[group] = {"value": float(row["marginal_cost_usd_per_kg"]),
                      "unit": f"USD_{scenario.base_year}{per}", "year": year}
    return out


def model_rows(run: ModelRun) -> pd.DataFrame:
    """The plan's oxide products as supply-curve rows: largest yearly output, levelized cost."""
    out = product_output(run.solution, run.scenario)
    most = out.groupby("product")["output"].max()
    region = run.scenario.region or run.scenario.name
    rows = []
    for _, row in run.levelized.iterrows():
        if row["unit"] != "t_REO" or not np.isfinite(row["levelized_cost_usd_per_kg"]):
            continue
        rows.append({"option": f"{region} {row['product']}", "region": region,
                     "product": row["product"], "capacity [t/yr]": float(most[row["product"]]),
                     "levelized cost [USD/kg]": float(row["levelized_cost_usd_per_kg"])})
    return pd.DataFrame(rows)


def reference_rows(scenario) -> pd.DataFrame:
    """Published cost levels and prices outside the model (the scenario's ``reference_costs``
    table, checked by :func:`tea.config.reference_costs.parse_reference_costs`)."""
    return scenario.inputs.reference_costs


def supply_curve(run: ModelRun) -> pd.DataFrame:
    """Capacity and levelized cost of separated oxide: the plan's products beside the references.

    The model's entries (kind ``model``) are its oxide products at their levelized cost and
    largest yearly output; the references (``inputs/reference_costs.csv``) are published project
    costs (``production_cost``), market prices (``market_price``, drawn as lines, not supply) and
    numbers derived from others (``derived``); see :func:`tea.analysis.curves.supply_frame`.
    """
    return supply_frame([model_rows(run)], reference_rows(run.scenario))


def purity_curve(run: ModelRun) -> pd.DataFrame:
    """Stages and levelized cost of NdPr oxide against the target purity of the Nd/Pr cut.

    Only the separation step's share of the plan's NdPr cost moves with purity, in proportion to
    the cut's cost measures (relative mixer volume ~ S(n+m) and reagents ~ S, Xu's theory, weighted
    equally); mining and cracking stay as they are: a first-order lever, stated as such.
    """
    curve = purity_cost_curve(1.4, 0.75, PURITIES)
    lc = run.levelized.set_index("product")["levelized_cost_usd_per_kg"].get("NdPr_oxide", np.nan)
    steps = step_costs(run).set_index("step")["cost [USD/kg]"]
    share = float(steps.get("separation", 0.0) / steps.sum()) if steps.sum() > 0 else 0.0
    ref = curve.loc[curve["purity"] == 0.9999].iloc[0]
    scale = 0.5 * curve["relative_mixer_volume"] / ref["relative_mixer_volume"] \
        + 0.5 * curve["organic_load"] / ref["organic_load"]
    return pd.DataFrame({"purity": curve["purity"], "total stages": curve["total_stages"],
                         "levelized cost [USD/kg]": lc * (1.0 - share + share * scale)})


def budget_pareto(run: ModelRun, points: int = 5) -> pd.DataFrame:
    """Least cost as the budget varies (epsilon-constraint), in the budget's and model currency."""
    return start_budget_pareto(run, points, background=False)()


def start_budget_pareto(run: ModelRun, points: int = 5, background: bool = True, pool=None):
    """:func:`budget_pareto` started (in a worker process with ``background``, on ``pool`` if
    given); returns the function that waits for its DataFrame. The 100 % point is the run's
    own plan."""
    data = run.data
    if data.budget_total is None:
        if pool is not None:
            pool.shutdown()
        return pd.DataFrame
    grid = np.linspace(0.1, 1.0, points) * data.budget_total
    return start_pareto(data, grid, time_limit=60, mip_rel_gap=1e-3, base=run.solution,
                        background=background, pool=pool)


def finance_summary(run: ModelRun, factor: float, currency: str) -> dict:
    """The investor's figures of the plan (:mod:`tea.analysis.cashflows`), JSON-ready with units:
    the chain's, then each plant's after-tax NPV at the hurdle rate, IRR, payback, peak funding
    need and minimum selling prices, in ``currency`` (``factor`` per unit of the model's)."""
    def entry(fig: dict) -> dict:
        out = {"npv": {"value": fig["npv"] * factor, "unit": currency},
               "irr": {"value": fig["irr"], "unit": "1/yr"},
               "payback": {"value": fig["payback"], "unit": "yr",
                           "from": int(run.data.years[0])},
               "peak_funding": {"value": fig["peak_funding"] * factor, "unit": currency},
               "hurdle_rate": {"value": fig["hurdle_rate"], "unit": "1/yr"}}
        out["minimum_selling_price"] = {
            p: {"value": None if v is None else v * factor,
                "unit": currency + ("/kg_REO" if run.scenario.products[p].material == "oxide"
                                    else "/kg")}
            for p, v in fig["msp"].items()}
        return out

    figures = run.finance.figures
    terms = next(iter(run.scenario.finance.terms.values()))
    return {"basis": "each plant a separate taxpayer; "
                     + ("nominal" if terms.nominal else "constant") + " money; regime "
                     + run.scenario.finance.regime,
            "chain": entry(figures["chain"]),
            "plants": {name: entry(fig) for name, fig in figures.items() if name != "chain"}}


def reporting_unit(scenario, currency: str | None = None, year: int | None = None) -> str:
    """The reporting money unit: ``currency`` (e.g. ``"USD"``) of cost ``year``, each defaulting
    to the model's own (``RUB_2025``)."""
    own, own_year = split_money_unit(scenario.currency)
    return money_unit(currency or own, year or own_year)


def make_bundle(path, overrides=None, currency: str | None = None,
                cost_year: int | None = None):
    """Run a model and gather everything its report shows (:class:`tea.analysis.bundle.RunBundle`).

    ``overrides`` replace model values (``--scenario``); ``currency`` and ``cost_year`` set the
    reporting currency of the headline figures (default the model's)."""
    workers = warm_pool(1)  # the Pareto curve's process starts while the model is solved
    try:
        run = optimize_model(path, overrides)
    except BaseException:
        workers.shutdown(wait=True, cancel_futures=True)  # no process left behind
        raise
    pareto = start_budget_pareto(run, pool=workers)  # solved there while the rest is computed
    s, sol = run.scenario, run.solution
    plan = r.build_plan(sol).rename(columns={"modules": "modules built"}).sort_values(
        ["year", "option"], ignore_index=True)
    caps = r.capacities(sol).groupby(["year", "technology"], as_index=False)["capacity"].sum()
    waterfall = step_costs(run)
    flows = r.flows(sol)
    year = int(s.targets.get("year", s.last_year)) if s.targets else s.last_year
    prod = flows[(flows["kind"] == "production") & (flows["year"] == year)]
    element_flows = (prod.groupby(["material", "element"], as_index=False)["amount"].sum()
                     .rename(columns={"amount": "flow [t/yr]"}))
    element_flows["source"] = element_flows["material"]
    cost_tables = {pid: c.capex_table for pid, c in run.info.plant_costs.items()}
    headline = summary(run, reporting_unit(s, currency, cost_year))
    bal = headline.pop("balances")  # the report shows it as a table; the baseline keeps output
    headline["oxide_production"] = bal["oxide_production"]
    headline["uncertainty"], ranges = report_uncertainty(run)
    return RunBundle(
        model_name=s.name, title=s.title, currency=s.currency, summary=headline,
        inputs=_inputs_table(s), cost_tables=cost_tables,
        cash_flows={name: with_units(table, s.currency)
                    for name, table in sorted(run.finance.tables.items(),
                                              key=lambda item: item[0] != "chain")},
        build_plan=plan, capacity=caps,
        supply_curve=supply_curve(run), purity_curve=purity_curve(run),
        pareto=pareto(), element_flows=element_flows, waterfall=waterfall, **ranges,
        tables={"import share": r.import_share(sol), "levelized costs": run.levelized,
                "costs by category": cost_categories(sol),
                f"transport in {year}": transport_legs(sol, year),
                f"plant balances in {year} [t/yr]": balance_table(bal),
                "jobs": r.jobs(sol), "marginal costs": r.marginal_costs(sol)},
        musd_to_currency=float(run.info.musd_to_currency),
        levelized_parts=levelized_parts(sol, s),
    )


def cost_categories(sol) -> pd.DataFrame:
    """Present value of the plan's costs by category [MUSD of the base year]; they add up to the
    discounted total cost (the ``min_cost`` objective)."""
    c = plan_costs.costs(sol).groupby("category", as_index=False)["musd_pv"].sum()
    return c.rename(columns={"musd_pv": "present value [MUSD]"})


def transport_legs(sol, year: int) -> pd.DataFrame:
    """What moves in ``year``, by material, site and leg: t of element (or product), t moved,
    km and cost [MUSD/yr] (:func:`tea.optimize.results.transport`)."""
    t = r.transport(sol)
    material = sol.data.commodities["material"]
    t = t[t["year"] == year].assign(material=lambda f: f["commodity"].map(material))
    out = t.groupby(["material", "site", "leg", "km"], as_index=False)[["amount", "mass",
                                                                       "musd"]].sum()
    return out.rename(columns={"amount": "amount [t/yr]", "mass": "moved [t/yr]",
                               "musd": "cost [MUSD/yr]"}).sort_values(
        "cost [MUSD/yr]", ascending=False, ignore_index=True)


def step_costs(run: ModelRun) -> pd.DataFrame:
    """Levelized cost of the plan's separated oxide by chain step [USD/kg REO]: each upstream
    step's present-value cost over the present value of all oxide produced (the steps add up to
    the oxides' average levelized cost)."""
    sol, s = run.solution, run.scenario
    d = run.data.discount_factors()
    costs = plan_costs.option_costs(sol)
    costs["pv"] = costs["total"] * costs["year"].map(d)
    out = product_output(sol, s)
    oxides = [p for p, prod in s.products.items() if prod.material == "oxide"]
    out = out[out["product"].isin(oxides)]
    pv_output = float((out["output"] * out["year"].map(d)).sum())
    steps = costs[costs["technology"].isin(UPSTREAM)].groupby("technology")["pv"].sum()
    steps = steps.reindex([t for t in UPSTREAM if t in steps.index])
    value = steps / pv_output * MUSD_PER_T_TO_USD_PER_KG if pv_output > 0 else steps * np.nan
    return pd.DataFrame({"step": value.index, "cost [USD/kg]": value.to_numpy()})


def _inputs_table(scenario) -> pd.DataFrame:
    """Every value of the model file with the source written next to it (``tea.config.sources``).

    Values replaced with ``--scenario KEY=VALUE`` show the value used and say so.
    """
    table = model_values(scenario.path)
    table = table[table["table"] != "inputs"]  # listed with every table below
    dotted = table["table"].where(table["table"] == "", table["table"] + ".") + table["key"]
    table = table.assign(key=dotted, file=f"{scenario.path}:" + table["line"].astype(str))
    for key, value in scenario.overrides.items():
        row = {"key": key, "value": repr(value), "source": "--scenario override",
               "file": "command line"}
        hit = table["key"] == key
        if hit.any():
            table.loc[hit, ["value", "source", "file"]] = [row["value"], row["source"], row["file"]]
        else:
            table = pd.concat([table, pd.DataFrame([row])], ignore_index=True)
    table = pd.concat([table, input_table_rows(scenario.inputs, scenario.path)], ignore_index=True)
    return table[["key", "value", "source", "file"]].reset_index(drop=True)


def supply_curves(models, progress=None) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Supply curve and purity curve over several models.

    Parameters
    ----------
    models : iterable of path
        Model files.
    progress : callable, optional
        Called with each model path before it is solved.

    Returns
    -------
    (supply, purity, runs)
        Supply curve rows (option, region, product, kind, drawn as, year, capacity [t/yr],
        levelized cost [USD/kg]; see :func:`supply_frame`), the purity curve of the first model,
        and the runs by model name.
    """
    frames, runs = [], {}
    purity = pd.DataFrame()
    for path in models:
        if progress:
            progress(path)
        run = optimize_model(path)
        runs[run.scenario.name] = run
        frames.append(model_rows(run))
        if purity.empty:
            purity = purity_curve(run)
    first = next(iter(runs.values()), None)
    references = reference_rows(first.scenario) if first else default_input_tables().reference_costs
    return supply_frame(frames, references), purity, runs
