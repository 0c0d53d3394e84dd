"""``tea uncertainty`` and ``tea sensitivity``: how sure a plan's figures are, and what decides
them (:mod:`tea.analysis.uncertainty`, :mod:`tea.analysis.sensitivity`,
:mod:`tea.analysis.robustness`)."""

from __future__ import annotations

import json

import click

from tea.cli_checks import OptionError, guarded, option_name, parse_overrides
from tea.errors import InputError


def check_count(ctx, param, value):
    """A whole number of samples or scenarios >= 2 (or None)."""
    if value is not None and not 2 <= value <= 1_000_000:
        raise OptionError(f"{value} is not a number of samples (expected 2 to 1,000,000)",
                          param_hint=option_name(param))
    return value


def _run(model: str, plan: str, scenario: tuple[str, ...]):
    from tea.analysis.run import evaluate_model, optimize_model  # lazy: tea --help stays fast

    overrides = parse_overrides(scenario)
    return (optimize_model if plan == "optimized" else evaluate_model)(model, overrides)


def _json_safe(value):
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    if isinstance(value, float) and value != value:
        return None
    return value


@click.command(help="Percentiles of a plan's levelized costs, after-tax NPV, IRR and minimum "
                    "selling prices over samples of its uncertain inputs (inputs/uncertainty.csv "
                    "and the model's [uncertainty]); --reoptimize K re-solves the build-out on K "
                    "samples and reports how often each build is chosen and the plan's regret.")
@click.argument("model", type=click.Path(dir_okay=False))
@click.option("--samples", type=int, callback=check_count,
              help="Latin-hypercube samples (default the model's, 2,000).")
@click.option("--seed", type=click.IntRange(0, 2**32 - 1), help="Seed (default the model's).")
@click.option("--plan", type=click.Choice(["optimized", "fixed"]), default="optimized",
              show_default=True, help="The optimized plan, or the plants' builds tables.")
@click.option("--reoptimize", type=int, callback=check_count, metavar="K",
              help="Also re-solve the build-out on K samples (in parallel processes).")
@click.option("--scenario", multiple=True, metavar="KEY=VALUE", help="Override a model value.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@guarded
def uncertainty(model, samples, seed, plan, reoptimize, scenario, as_json):
    from tea.analysis.robustness import start_robustness
    from tea.analysis.sensitivity import drivers, tornado
    from tea.analysis.uncertainty import uncertainty as sample_plan
    from tea.optimize.pool import default_workers, warm_pool

    pool = warm_pool(default_workers()) if reoptimize else None  # starts while the model solves
    run = _run(model, plan, scenario)
    pending = start_robustness(run, reoptimize, seed, pool) if reoptimize else None
    result = sample_plan(run, samples, seed)  # computed while the re-solves run
    result["drivers"] = {figure: rows for figure, rows in
                         drivers(tornado(run), "swing").items()}  # the five largest swings
    if reoptimize:
        robust = pending()
        result["reoptimized"] = {"samples": robust["samples"], "regret": robust["regret"],
                                 "infeasible_share": robust["infeasible_share"],
                                 "builds": robust["builds"].to_dict(orient="records")}
    if as_json:
        click.echo(json.dumps(_json_safe(result), indent=2))
        return
    click.echo(f"{run.scenario.name}: {result['samples']:,} samples (seed {result['seed']}), "
               f"plan {plan}, held: its costs and prices sampled")
    for key, f in result["figures"].items():
        below = f.get("probability_below_import")
        extra = "" if below is None else f"; P(below import price) {below:.0%}"
        click.echo(f"  {key:<36} P10 {f['p10']:,.4g}  P50 {f['p50']:,.4g}  P90 {f['p90']:,.4g} "
                   f"{f['unit']} (model {f['deterministic']:,.4g}){extra}")
    if reoptimize:
        regret = result["reoptimized"]["regret"]
        share = result["reoptimized"]["infeasible_share"]
        p50 = "n/a" if regret["p50"] is None else f"{regret['p50']:,.4g}"
        p90 = "n/a" if regret["p90"] is None else f"{regret['p90']:,.4g}"
        click.echo(f"re-optimized on {reoptimize} samples: in {share:.0%} no plan meets the "
                   f"targets within the budget; regret of the plan P50 {p50}, P90 {p90} "
                   f"{regret['unit']}")
        for row in result["reoptimized"]["builds"]:
            click.echo(f"  {row['year']}: {row['option']:<28} chosen in "
                       f"{row['share of samples']:.0%} of samples (plan: "
                       f"{row['in the deterministic plan']})")


@click.command(help="What decides a plan's NdPr oxide cost, N42 magnet cost and chain NPV: a "
                    "tornado (each input at its P10 and P90), Sobol indices or Morris effects.")
@click.argument("model", type=click.Path(dir_okay=False))
@click.option("--method", type=click.Choice(["tornado", "sobol", "morris"]), default="tornado",
              show_default=True)
@click.option("--samples", type=int, default=256, show_default=True,
              help="Sobol base samples (a power of 2) or Morris trajectories.")
@click.option("--plan", type=click.Choice(["optimized", "fixed"]), default="optimized",
              show_default=True)
@click.option("--scenario", multiple=True, metavar="KEY=VALUE", help="Override a model value.")
@click.option("--json", "as_json", is_flag=True, help="Print the ranked drivers as JSON.")
@guarded
def sensitivity(model, method, samples, plan, scenario, as_json):
    from tea.analysis.sensitivity import drivers, morris, sobol, tornado

    if method == "sobol" and (samples < 8 or samples & (samples - 1)):
        raise InputError(f"{samples} is not a power of 2 >= 8 (Sobol base samples)",
                         key="--samples")
    if samples < 2:
        raise InputError(f"{samples}: expected at least 2", key="--samples")
    run = _run(model, plan, scenario)
    if method == "tornado":
        table, measure = tornado(run), "swing"
    elif method == "sobol":
        table, measure = sobol(run, samples), "ST"
    else:
        table, measure = morris(run, samples), "mu_star"
    ranked = drivers(table, measure)
    if as_json:
        click.echo(json.dumps({"method": method, "measure": measure, "drivers": ranked,
                               "table": _json_safe(table.to_dict(orient="records"))}, indent=2))
        return
    for figure, rows in ranked.items():
        click.echo(f"{figure} ({measure}):")
        for row in rows:
            click.echo(f"  {row['input']:<24} {row[measure]:,.4g}")


__all__ = ["uncertainty", "sensitivity"]
