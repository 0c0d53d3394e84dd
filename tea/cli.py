"""The ``tea`` command: thin over the library; heavy modules are imported inside each command.

Exit codes: 0 ok, 1 internal error, 2 bad input, 3 infeasible model, 4 report check failed,
5 time limit reached with no plan, 6 solver failed.
"""

from __future__ import annotations

import json
import sys

import click

from tea.cli_checks import (
    check_gap,
    check_out,
    check_time_limit,
    check_tolerance,
    guarded,
    inside,
    parse_overrides,
    quiet_broken_pipe,
)
from tea.cli_study import sensitivity, uncertainty
from tea.cli_sweep import sweep

EXIT_HELP = """\b
Exit codes:
  0  ok
  1  internal error
  2  bad input (the message names the file, the field and what was expected)
  3  infeasible model (the message says which demand, budget or resource cannot be met)
  4  report check failed: a headline figure in summary.json moved beyond the tolerance
  5  time limit reached with no plan (the model may be feasible: raise --time-limit)
  6  solver failed (HiGHS could not work with the model; the message says what failed)
"""


@click.group(help="Techno-economic model of the rare-earth value chain.\n\n" + EXIT_HELP)
@click.version_option(package_name="tea")
def cli():
    """Entry point group."""


@cli.command(help="Check a model file and print a summary of what it contains.")
@click.argument("model", type=click.Path(dir_okay=False))
@guarded
def validate(model: str):
    from tea.config import load_scenario
    from tea.config.summary import summarize

    scenario = load_scenario(model)
    from tea.chain import build_chain

    build_chain(scenario)  # the checks of the process models and costs, as optimize runs them
    click.echo(f"OK {model}")
    click.echo(summarize(scenario))


@cli.command(help="Design one binary solvent-extraction cut (A is the more extractable component).")
@click.option("--beta", type=float, required=True, help="Separation factor beta_A/B (> 1).")
@click.option("--feed-a", type=float, required=True, help="Mole fraction of A in the feed (0..1).")
@click.option("--purity-a", type=float, default=0.9999, show_default=True,
              help="Purity of A in the loaded organic product (fraction).")
@click.option("--purity-b", type=float, default=0.9999, show_default=True,
              help="Purity of B in the raffinate product (fraction).")
@click.option("--json", "as_json", is_flag=True, help="Print the design as JSON.")
@guarded
def cascade(beta: float, feed_a: float, purity_a: float, purity_b: float, as_json: bool):
    from tea.errors import InputError
    from tea.process.cascade import design_cut

    try:
        design = design_cut(beta=beta, feed_a=feed_a, purity_a=purity_a, purity_b=purity_b)
    except InputError as exc:
        option = f"--{exc.key.replace('_', '-')}" if exc.key and not exc.file else exc.key
        raise InputError(exc.message, exc.file, option) from None
    if as_json:
        click.echo(json.dumps(design.to_dict(), indent=2))
    else:
        click.echo(design.describe())


SCENARIO_OPTION = click.option("--scenario", "scenario", multiple=True, metavar="KEY=VALUE",
                               help="Override a model value, e.g. model.discount_rate=0.08.")
QUIET_OPTION = click.option("--quiet", is_flag=True, help="Print only the essentials.")
CURRENCY_OPTION = click.option("--currency", type=click.Choice(["RUB", "USD", "CNY", "EUR", "AUD"]),
                               help="Reporting currency (default the model's).")
YEAR_OPTION = click.option("--year", type=int, help="Cost year of the reporting currency.")


def _solve_options(json_help: str):
    """The arguments of commands that solve a model: MODEL, --json, --time-limit, --gap,
    --scenario, --currency, --year (and the one-line error handling)."""

    def apply(func):
        for option in reversed([
            click.argument("model", type=click.Path(dir_okay=False)),
            click.option("--json", "as_json", is_flag=True, help=json_help),
            click.option("--time-limit", type=float, default=120.0, show_default=True,
                         callback=check_time_limit, help="HiGHS time limit of each solve [s] (> 0)."),
            click.option("--gap", type=float, default=1e-4, show_default=True, callback=check_gap,
                         help="Relative MIP gap at which to stop, in [0, 1)."),
            SCENARIO_OPTION, CURRENCY_OPTION, YEAR_OPTION,
        ]):
            func = option(func)
        return guarded(func)

    return apply


def _reporting(model_currency: str | None, currency: str | None, year: int | None) -> str | None:
    """The reporting money unit from --currency/--year (None: the model's own)."""
    if currency is None and year is None:
        return None
    from tea.units import money_unit, split_money_unit

    default_cur, default_year = split_money_unit(model_currency) if model_currency else ("USD", 2025)
    return money_unit(currency or default_cur, year or default_year)


@cli.command(help="Optimize the build-out of a model: plan, import share, levelized costs, "
                  "budget dual.")
@_solve_options("Print the run's summary as JSON.")
@click.option("--balance-year", type=int, default=None,
              help="Year of the plant balances in the JSON (default: the target year).")
def optimize(model: str, as_json: bool, time_limit: float, gap: float, scenario: tuple[str, ...],
             currency: str | None, year: int | None, balance_year: int | None):
    from tea.analysis.run import optimize_model, summary

    run = optimize_model(model, parse_overrides(scenario), time_limit=time_limit, mip_rel_gap=gap)
    if balance_year is not None and balance_year not in run.scenario.years:
        raise click.BadParameter(f"{balance_year} is outside the horizon "
                                 f"{run.scenario.first_year}-{run.scenario.last_year}",
                                 param_hint="--balance-year")
    result = summary(run, _reporting(run.scenario.currency, currency, year), balance_year)
    if as_json:
        click.echo(json.dumps(result, indent=2, sort_keys=True))
        return
    click.echo(_describe(result))


def _describe(result: dict) -> str:
    lines = [f"{result['model']}: {result['status']}",
             f"objective   {result['objective']['value']:,.4g} {result['objective']['unit']} "
             f"({result['objective']['meaning']})",
             f"capex       {result['capex_total']['value']:,.4g} of a budget of "
             f"{result['budget']['value']:,.4g} {result['budget']['unit']}",
             f"budget dual {result['budget_marginal_value']['value']:,.4g} "
             f"{result['budget_marginal_value']['unit']}", "build plan:"]
    lines += [f"  {b}" for b in result["builds"]] or ["  nothing built"]
    target = result.get("target")
    if target:
        year = str(target["year"])
        prod = result["domestic_oxide_production"]["value"]
        lines.append(f"{year}: domestic oxide {prod:,.0f} t_REO/yr against a target of "
                     f"{target['production']:,.0f}; import share "
                     f"{result['import_share'].get(year, float('nan')):.1%}")
    lines.append("levelized cost:")
    for product, lc in result["levelized_cost"].items():
        value = "not produced" if lc["value"] is None else f"{lc['value']:,.2f} {lc['unit']}"
        if "in_reporting_currency" in lc:
            other = lc["in_reporting_currency"]
            value += f" = {other['value']:,.0f} {other['unit']}"
        lines.append(f"  {product:<12} {value}")
    finance = result.get("finance")
    if finance:
        chain = finance["chain"]
        rate = chain["irr"]["value"]
        lines.append(f"after tax ({finance['basis']}), at a hurdle rate of "
                     f"{chain['hurdle_rate']['value']:.1%}:")
        lines.append(f"  chain NPV {chain['npv']['value']:,.4g} {chain['npv']['unit']}; IRR "
                     + ("none" if rate is None else f"{rate:.1%}")
                     + f"; peak funding {chain['peak_funding']['value']:,.4g} "
                     f"{chain['peak_funding']['unit']}")
        lines.append("minimum selling price (the chain's NPV zero, its other products at "
                     "import prices):")
        for product, msp in chain["minimum_selling_price"].items():
            value = "none" if msp["value"] is None else f"{msp['value']:,.2f} {msp['unit']}"
            lines.append(f"  {product:<12} {value}")
    return "\n".join(lines)


@cli.command(help="What the binding max_modules limits cost: the optimum re-solved with each "
                  "binding limit raised by one module.")
@_solve_options("Print the table as JSON records (every amount as {value, unit}).")
@QUIET_OPTION
def limits(model: str, as_json: bool, time_limit: float, gap: float, scenario: tuple[str, ...],
           currency: str | None, year: int | None, quiet: bool):
    from tea.chain import build_chain
    from tea.config import load_scenario
    from tea.optimize.limits import binding_options, limit_values
    from tea.optimize.pool import default_workers, warm_pool
    from tea.optimize.solve import solve

    s = load_scenario(model, parse_overrides(scenario))
    pool = warm_pool(default_workers())  # the re-solves' processes start while the plan is solved
    try:
        data, info = build_chain(s)
        sol = solve(data, time_limit=time_limit, mip_rel_gap=gap, duals=False)
        unit = _reporting(s.currency, currency, year) or s.currency
        factor = s.money("CPI").factor(info.base_money, unit) * 1e6  # MUSD -> unit
        with click.progressbar(length=len(binding_options(sol)), label="re-solving",
                               file=sys.stderr) as bar:
            table = limit_values(sol, time_limit, gap, progress=lambda _o: bar.update(1),
                                 pool=pool)
    finally:
        pool.shutdown(cancel_futures=True)
    if as_json:
        money = ("objective", "objective_plus_one", "saving")
        records = [{k: ({"value": v * factor, "unit": unit} if k in money else v)
                    for k, v in row.items()} for row in table.to_dict(orient="records")]
        click.echo(json.dumps(records, indent=2, default=str))
        return
    if table.empty:
        click.echo(f"{s.name}: no max_modules limit binds in the optimal plan")
        return
    click.echo(f"{s.name}: binding max_modules limits and what one more module saves "
               f"(objective {sol.objective * factor / 1e9:,.1f} bn {unit})")
    for row in table.itertuples(index=False):
        if quiet and row.within_gap:
            continue
        saving = ("nothing (within the solver gap)" if row.within_gap
                  else f"{row.saving * factor / 1e9:,.3g} bn {unit}")
        click.echo(f"  {row.option:<24} max {row.max_modules}: one more saves {saving}; "
                   f"the re-solved plan uses {row.modules_used_plus_one:.0f} of "
                   f"{row.max_modules + 1}")


@cli.command(help="Evaluate a fixed plan (the plants' `builds` tables): cash flows per plant and "
                  "for the chain, levelized costs; caps and targets are reported, not imposed.")
@click.argument("model", type=click.Path(dir_okay=False))
@click.option("--out", type=click.Path(file_okay=False),
              help="Also write the cash-flow tables as CSV into this folder.")
@SCENARIO_OPTION
@CURRENCY_OPTION
@YEAR_OPTION
@QUIET_OPTION
@guarded
def evaluate(model: str, out: str | None, scenario: tuple[str, ...], currency: str | None,
             year: int | None, quiet: bool):
    from pathlib import Path

    from tea.analysis.cashflows import with_units
    from tea.analysis.run import evaluate_model, summary

    if out:
        check_out(out)
    run = evaluate_model(model, parse_overrides(scenario))
    result = summary(run, _reporting(run.scenario.currency, currency, year))
    click.echo(_describe(result))
    money = run.scenario.currency
    chain = run.finance.tables["chain"]
    if not quiet:
        click.echo(with_units(chain, money).to_string(index=False,
                                                      float_format=lambda v: f"{v:,.4g}"))
    if out:
        folder = Path(out)
        tables = {f"cash_flow_{name}.csv": with_units(table, money)
                  for name, table in run.finance.tables.items()}
        paths = {name: inside(folder, name) for name in tables}  # all checked before writing
        folder.mkdir(parents=True, exist_ok=True)
        for name, table in tables.items():
            table.to_csv(paths[name], index=False)
        click.echo(f"wrote {len(tables)} cash-flow tables to {folder}/")


@cli.command(help="Write the report of one or more models (md, html, png, xlsx, summary.json); "
                  "--check compares each summary.json with the committed baseline.")
@click.argument("models", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--out", type=click.Path(file_okay=False), default="reports", show_default=True,
              help="Folder of the reports (one sub-folder per model).")
@click.option("--check", is_flag=True, help="Regenerate into a temporary folder and fail when a "
                                            "headline figure moved beyond the tolerance.")
@click.option("--update-baseline", is_flag=True, help="Rewrite the committed reports (baseline).")
@click.option("--rtol", type=float, default=1e-3, show_default=True, callback=check_tolerance,
              help="Relative tolerance of --check (>= 0).")
@QUIET_OPTION
@SCENARIO_OPTION
@CURRENCY_OPTION
@YEAR_OPTION
@guarded
def report(models: tuple[str, ...], out: str, check: bool, update_baseline: bool, rtol: float,
           quiet: bool, scenario: tuple[str, ...], currency: str | None, year: int | None):
    from pathlib import Path

    from tea.analysis.run import make_bundle
    from tea.errors import InputError
    from tea.report.baseline import check_reports
    from tea.report.write import write_report

    paths = [Path(m) for m in models] or sorted(Path("models").glob("*.toml"))
    overrides = parse_overrides(scenario)
    if (check or update_baseline) and (overrides or currency or year):
        raise InputError("--scenario, --currency and --year make a report of a variant; the "
                         "baseline (--check, --update-baseline) is the models' own",
                         key="--scenario")
    if not check:
        check_out(out)
    if check:
        messages = check_reports(paths, Path(out), make_bundle, rtol=rtol)
        for line in messages:
            click.echo(line, err=True)
        if messages:
            sys.exit(4)
        click.echo(f"baseline OK: {len(paths)} model(s) within rtol {rtol:g}")
        return
    with click.progressbar(paths, label="reports", file=sys.stderr) as bar:
        for path in bar:
            folder = Path(out) / report_folder(path, overrides)
            write_report(make_bundle(path, overrides, currency, year), folder)
            if not quiet:
                click.echo(f"\nwrote {folder}/ (report.md, report.html, report.xlsx, "
                           "figures/, summary.json)")
    if update_baseline:
        click.echo("baseline updated: commit reports/*/summary.json")


@cli.command(help="Cost curves across models: each model's oxides (capacity, levelized cost) "
                  "beside published references, and the purity-cost curve; CSV and PNG.")
@click.argument("models", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--out", type=click.Path(file_okay=False), default="reports/curves",
              show_default=True, help="Folder of the curves.")
@QUIET_OPTION
@guarded
def curves(models: tuple[str, ...], out: str, quiet: bool):
    from pathlib import Path

    from tea.analysis.run import supply_curves
    from tea.report.curves import write_curves

    check_out(out)
    with click.progressbar(length=len(models), label="solving models", file=sys.stderr) as bar:
        supply, purity, _ = supply_curves([Path(m) for m in models],
                                          progress=lambda _path: bar.update(1))
    written = write_curves(supply, purity, Path(out))
    if not quiet:
        click.echo(supply.to_string(index=False, float_format=lambda v: f"{v:,.2f}"))
    click.echo(f"wrote {', '.join(str(p) for p in written)}")


@cli.command(help="The main job: optimize the default model and write its report.")
@click.argument("model", type=click.Path(dir_okay=False),
                default="models/siberia_cluster.toml")
@click.option("--out", type=click.Path(file_okay=False), default="reports", show_default=True)
@SCENARIO_OPTION
@CURRENCY_OPTION
@YEAR_OPTION
@QUIET_OPTION
@guarded
def run(model: str, out: str, scenario: tuple[str, ...], currency: str | None, year: int | None,
        quiet: bool):
    from pathlib import Path

    from tea.analysis.run import make_bundle
    from tea.report.write import write_report

    path = Path(model)
    check_out(out)
    overrides = parse_overrides(scenario)
    if not quiet:
        click.echo(f"optimizing {path} ...", err=True)
    bundle = make_bundle(path, overrides, currency, year)
    folder = Path(out) / report_folder(path, overrides)
    write_report(bundle, folder)
    click.echo(_describe(bundle.summary))
    click.echo(f"report: {folder}/report.md (also report.html, report.xlsx, figures/)")


def report_folder(path, overrides: dict) -> str:
    """A report's folder name: the model's name, and for a scenario a short hash of its
    replaced values (so a scenario never overwrites the model's own report)."""
    if not overrides:
        return path.stem
    import hashlib

    text = json.dumps({k: repr(v) for k, v in sorted(overrides.items())})
    return f"{path.stem}--scenario-{hashlib.sha256(text.encode()).hexdigest()[:8]}"


cli.add_command(sweep)
cli.add_command(uncertainty)
cli.add_command(sensitivity)


def main():  # pragma: no cover - console-script entry
    try:
        cli()
    except BrokenPipeError:
        quiet_broken_pipe()


if __name__ == "__main__":  # pragma: no cover
    main()
