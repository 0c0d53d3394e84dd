"""The ``tea`` command: thin over the library; heavy modules are imported inside each command.

Exit codes: 0 ok, 1 internal error, 2 bad input, 3 infeasible model.
"""

from __future__ import annotations

import functools
import json
import sys

import click

EXIT_HELP = """\b
Exit codes:
  0  ok
  1  internal error
  2  bad input (the message names the file, the field and what was expected)
  3  infeasible model (the message says which demand, budget or resource cannot be met)
"""


def _guarded(func):
    """Turn library errors into one-line messages and exit codes, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from tea.errors import InfeasibleError, InputError

        try:
            return func(*args, **kwargs)
        except InputError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)
        except InfeasibleError as exc:
            click.echo(f"infeasible: {exc}", err=True)
            for line in exc.diagnosis:
                click.echo(f"  - {line}", err=True)
            sys.exit(3)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(1)
        except Exception as exc:  # noqa: BLE001 - the CLI's last line of defence
            click.echo(f"internal error: {type(exc).__name__}: {exc}", err=True)
            sys.exit(1)

    return wrapper


@click.group(help="Techno-economic model of the rare-earth value chain.\n\n" + EXIT_HELP)
@click.version_option(package_name="tea")
def cli():
    """Entry point group."""


@cli.command(help="Check a model file and print a summary of what it contains.")
@click.argument("model", type=click.Path(dir_okay=False))
@_guarded
def validate(model: str):
    from tea.config import load_scenario
    from tea.config.summary import summarize

    scenario = load_scenario(model)
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
@_guarded
def cascade(beta: float, feed_a: float, purity_a: float, purity_b: float, as_json: bool):
    from tea.process.cascade import design_cut

    design = design_cut(beta=beta, feed_a=feed_a, purity_a=purity_a, purity_b=purity_b)
    if as_json:
        click.echo(json.dumps(design.to_dict(), indent=2))
    else:
        click.echo(design.describe())


def main():  # pragma: no cover - console-script entry
    cli()


if __name__ == "__main__":  # pragma: no cover
    main()
