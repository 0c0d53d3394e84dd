"""Checks and error handling of the ``tea`` command: option values, output folders, the
``--scenario`` overrides, and library errors turned into one-line messages and exit codes."""

from __future__ import annotations

import contextlib
import functools
import math
import os
import sys
import tempfile
import tomllib
from pathlib import Path

import click

from tea.errors import InfeasibleError, InputError, SolverError, TimeLimitError


def quiet_broken_pipe() -> None:
    """The reader of stdout went away (``tea validate ... | head -1``): stop quietly, exit 0.

    stdout is pointed at /dev/null so that the interpreter's final flush cannot fail again."""
    # not a real file descriptor in click's test runner: then there is nothing to redirect
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    sys.exit(0)


def guarded(func):
    """Turn library errors into one-line messages and exit codes, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except BrokenPipeError:
            quiet_broken_pipe()
        except InputError as exc:
            click.echo(f"error: {one_line(str(exc))}", err=True)
            sys.exit(2)
        except RecursionError:
            click.echo("error: input nested too deeply (expected a model file in the documented "
                       "format)", err=True)
            sys.exit(2)
        except InfeasibleError as exc:
            click.echo(f"infeasible: {exc}", err=True)
            for line in exc.diagnosis:
                click.echo(f"  - {line}", err=True)
            sys.exit(3)
        except TimeLimitError as exc:
            hint = f"; {exc.hint}" if exc.hint else ""
            click.echo(f"no plan: {one_line(str(exc))}{hint}", err=True)
            sys.exit(5)
        except SolverError as exc:
            click.echo(f"solver error: {one_line(str(exc))}", err=True)
            sys.exit(6)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(1)
        except Exception as exc:  # noqa: BLE001 - the CLI's last line of defence
            click.echo(f"internal error: {type(exc).__name__}: {exc}", err=True)
            sys.exit(1)

    return wrapper


def one_line(text: str, limit: int = 400) -> str:
    """A message on one line of at most ``limit`` characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else f"{text[:limit - 3]}..."


class OptionError(click.BadParameter):
    """A bad option value, shown as one line ``error: --gap: ...`` (exit 2)."""

    def show(self, file=None) -> None:
        click.echo(f"error: {self.param_hint}: {one_line(self.message)}", err=True)


def option_name(param) -> str:
    return max(param.opts, key=len) if param is not None and param.opts else "option"


def check_time_limit(ctx, param, value):
    """--time-limit: a finite number of seconds > 0."""
    if value is not None and not (math.isfinite(value) and value > 0):
        raise OptionError(f"{value} is not a time limit (expected a finite number of seconds "
                          "> 0)", param_hint=option_name(param))
    return value


def check_gap(ctx, param, value):
    """--gap: a relative MIP gap in [0, 1)."""
    if value is not None and not (math.isfinite(value) and 0 <= value < 1):
        raise OptionError(f"{value} is not a relative gap (expected a fraction in [0, 1), e.g. "
                          "1e-4)", param_hint=option_name(param))
    return value


def check_tolerance(ctx, param, value):
    """--rtol: a finite relative tolerance >= 0."""
    if value is not None and not (math.isfinite(value) and value >= 0):
        raise OptionError(f"{value} is not a tolerance (expected a finite fraction >= 0, e.g. "
                          "1e-3)", param_hint=option_name(param))
    return value


PSEUDO_FILESYSTEMS = ("/proc", "/sys", "/dev")


def check_out(out: str, option: str = "--out"):
    """Refuse an output folder that cannot be created or written, before any work is done.

    The folder may not exist yet: its nearest existing ancestor must be a writable folder (not
    a file, not under /proc, /sys or /dev).  Nothing is left behind by the check.
    """
    def refuse(message: str):
        return InputError(f"{message} (expected a folder that can be created and written)",
                          out, option)

    try:
        resolved = Path(out).expanduser().resolve()
    except (OSError, RuntimeError) as exc:
        raise refuse(f"cannot resolve the path ({exc})") from None
    for pseudo in PSEUDO_FILESYSTEMS:
        if resolved == Path(pseudo) or Path(pseudo) in resolved.parents:
            raise refuse(f"lies under {pseudo}, a system folder")
    existing = resolved
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise refuse(f"{existing} is a file, not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise refuse(f"{existing} is not writable")
    try:
        os.rmdir(tempfile.mkdtemp(prefix=".tea-probe-", dir=existing))
    except OSError as exc:
        raise refuse(f"cannot write in {existing} ({exc.strerror})") from None
    return resolved


def parse_overrides(pairs: tuple[str, ...]) -> dict:
    """``KEY=VALUE`` pairs of ``--scenario`` into model-file overrides (VALUE read as TOML)."""
    from tea.config.fields import check_depth  # lazy: it loads pint, which slows `tea --help`

    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise InputError(f"{pair[:60]!r}: expected KEY=VALUE, e.g. model.discount_rate=0.08",
                             key="--scenario")
        if len(pair) > 1000:
            raise InputError(f"value of {len(pair):,} characters is too long (expected at most "
                             "1,000)", "--scenario", key[:60])
        try:
            out[key] = tomllib.loads(f"v = {value}")["v"]
        except tomllib.TOMLDecodeError:
            out[key] = value
        except RecursionError:
            raise InputError("nested too deeply (expected a value of the model format)",
                             "--scenario", key[:60]) from None
        except ValueError as exc:  # integers beyond Python's digit limit
            raise InputError(f"not a usable value ({str(exc)[:60]})", "--scenario",
                             key[:60]) from None
        check_depth(out[key], "--scenario", key)
    return out


def inside(folder, name: str):
    """``folder / name``, refused unless it is a file directly inside ``folder`` (a name built
    from an identifier such as ``x/../../escaped`` must not leave the output folder)."""
    path = folder / name
    if path.resolve().parent != folder.resolve() or path.name != name:
        raise InputError(f"output file {name[:60]!r} would lie outside the output folder",
                         str(folder), "--out")
    return path
