"""``tea sweep``: a study of many scenarios of one model on Dask (:mod:`tea.analysis.sweep`)."""

from __future__ import annotations

import sys
import tomllib

import click

from tea.cli_checks import OptionError, check_gap, check_out, check_time_limit, guarded, option_name
from tea.errors import InputError


def check_workers(ctx, param, value):
    """--workers: a whole number of worker processes >= 1."""
    if value is not None and value < 1:
        raise OptionError(f"{value} is not a number of workers (expected a whole number >= 1)",
                          param_hint=option_name(param))
    return value


def parse_grid(pairs: tuple[str, ...]) -> dict:
    """``KEY=V1,V2,...`` pairs of ``--grid`` into ``{key: [values]}`` (each value read as TOML,
    else as a string)."""
    grid: dict = {}
    for pair in pairs:
        key, sep, values = pair.partition("=")
        key = key.strip()
        if not sep or not key or not values.strip():
            raise InputError(f"{pair[:60]!r}: expected KEY=V1,V2,..., e.g. "
                             "model.discount_rate=0.06,0.08,0.10", key="--grid")
        if key in grid:
            raise InputError(f"{key!r} is given twice (expected each key once)", key="--grid")
        out = []
        for text in values.split(","):
            text = text.strip()
            if not text:
                raise InputError(f"{pair[:60]!r}: an empty value (expected KEY=V1,V2,...)",
                                 key="--grid")
            try:
                out.append(tomllib.loads(f"v = {text}")["v"])
            except tomllib.TOMLDecodeError:
                out.append(text)
        grid[key] = out
    return grid


def check_scenarios(model: str, scenarios: list[dict], option: str) -> None:
    """Load the model with every scenario's overrides before anything runs: a bad key or value
    is one line naming the option, the key and what was expected."""
    from tea.config import load_scenario

    for overrides in scenarios:
        try:
            load_scenario(model, overrides)
        except InputError as exc:
            if exc.file and str(exc.file) != str(model):
                raise
            raise InputError(f"{exc.key}: {exc.message}" if exc.key else exc.message,
                             key=option) from None


@click.command(help="Optimize many scenarios of a model on Dask (the Cartesian product of the "
                    "--grid values, or the [[scenario]] tables of --scenario-file); each "
                    "scenario's summary is stored as it finishes in a Parquet dataset under "
                    "--out, and a rerun skips the scenarios already done.")
@click.argument("model", type=click.Path(dir_okay=False))
@click.option("--grid", multiple=True, metavar="KEY=V1,V2,...",
              help="Values of one model key, e.g. model.discount_rate=0.06,0.08 (repeatable).")
@click.option("--scenario-file", type=click.Path(dir_okay=False),
              help='TOML file of [[scenario]] tables of "KEY" = VALUE overrides.')
@click.option("--scheduler", metavar="ADDRESS",
              help="Address of a running Dask scheduler, e.g. tcp://host:8786 (default: a local "
                   "cluster).")
@click.option("--workers", type=int, callback=check_workers,
              help="Worker processes of the local cluster (default one per core).")
@click.option("--out", type=click.Path(file_okay=False), default="reports/sweep",
              show_default=True, help="Folder of the dataset (results/), summary.csv, sweep.png.")
@click.option("--time-limit", type=float, default=120.0, show_default=True,
              callback=check_time_limit, help="HiGHS time limit of each solve [s] (> 0).")
@click.option("--gap", type=float, default=1e-4, show_default=True, callback=check_gap,
              help="Relative MIP gap at which to stop, in [0, 1).")
@click.option("--quiet", is_flag=True, help="Print only the essentials.")
@guarded
def sweep(model, grid, scenario_file, scheduler, workers, out, time_limit, gap, quiet):
    from pathlib import Path

    from tea.analysis.sweep import grid_scenarios, run_sweep
    from tea.config.studies import read_scenario_file
    from tea.report.sweep import summary_table, write_sweep

    if not grid and not scenario_file:
        raise InputError("no scenarios (expected --grid KEY=V1,V2,... or --scenario-file FILE)",
                         key="--grid")
    scenarios = grid_scenarios(parse_grid(grid)) if grid else []
    if scenario_file:
        scenarios += read_scenario_file(scenario_file)
    if not Path(model).is_file():
        raise InputError("no such file (expected a model file)", model)
    check_scenarios(model, scenarios, "--grid" if grid else "--scenario-file")
    check_out(out)
    if scheduler:
        from tea.analysis.sweep import connect

        connect(scheduler)[0].close()  # unreachable: a one-line error before any work
    with click.progressbar(length=len(scenarios), label="scenarios", file=sys.stderr) as bar:
        rows = run_sweep(model, scenarios, out, scheduler=scheduler, workers=workers,
                         time_limit=time_limit, mip_rel_gap=gap,
                         progress=lambda _row: bar.update(1))
    written = write_sweep(rows, Path(out))
    if not quiet:
        click.echo(summary_table(rows).to_string(index=False, float_format=lambda v: f"{v:,.4g}"))
    solved = int(rows["status"].isin(["optimal", "feasible"]).sum())
    click.echo(f"{solved} of {len(rows)} scenarios solved; dataset {Path(out) / 'results'}/, "
               f"{', '.join(str(p) for p in written)}")
