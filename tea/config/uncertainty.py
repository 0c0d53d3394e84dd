"""Uncertain inputs of a scenario: distributions by key, from ``uncertainty.csv`` and the model's
``[uncertainty]`` table, with their correlations.

Keys name what a sample changes in an evaluated plan (:mod:`tea.analysis.uncertainty`):

=====================  ===========================================================  ==========
key                    what it multiplies                                           support
=====================  ===========================================================  ==========
``capex.<technology>``  capital cost of the plan's plants of that technology        > 0
``opex.<technology>``   their fixed and variable operating cost and transport        > 0
``price.<product>``     the product's import (and sale) price                        > 0
``recovery``            the plan's product output (a recovery factor on every line)  (0, 1.2]
``discount_rate``       the model's discount rate (and the hurdle rate)              > 0
=====================  ===========================================================  ==========

Every distribution is a multiplier of the base value (1 = the model's figure). Distributions:
``triangular`` and ``pert`` (low, mode, high: bounds and most likely value), ``uniform`` (low,
high), ``normal`` and ``lognormal`` (low and high are the 5th and 95th percentiles; normal's mode
is its mean). A correlation row (``distribution = correlation``, key ``a~b``, ``mode`` = the rank
correlation) couples two keys through a Gaussian copula.

Model file::

    [uncertainty]
    samples = 2000
    seed = 20251124
    "price.NdPr_oxide" = {distribution = "lognormal", low = 0.8, high = 1.6, source = "..."}
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from tea.config.fields import Reader
from tea.errors import InputError
from tea.tables import Rows

DISTRIBUTIONS = ("triangular", "pert", "uniform", "normal", "lognormal")
TECHNOLOGIES = ("mine", "cracking", "separation", "metal", "magnet", "recycling")
Z95 = 1.6448536269514722
"""Standard normal 95th percentile [-]."""
RECOVERY_MAX = 1.2
"""Largest recovery multiplier: a recovery above its base by more than 20 % is not credible."""


@dataclass(frozen=True)
class Distribution:
    """One uncertain input (a multiplier of its base value).

    Attributes
    ----------
    key : str
        What it changes (see the module table).
    kind : str
        One of :data:`DISTRIBUTIONS`.
    low, mode, high : float
        Parameters (see the module docstring) [-].
    source : str
        Where the spread comes from.
    """

    key: str
    kind: str
    low: float
    mode: float
    high: float
    source: str

    def support(self) -> tuple[float, float]:
        """Smallest and largest value the distribution gives (0.1 % and 99.9 % for the
        unbounded ones) [-]."""
        if self.kind in ("triangular", "pert", "uniform"):
            return self.low, self.high
        z = 3.090232306167813  # 99.9 % quantile
        if self.kind == "normal":
            sigma = (self.high - self.low) / (2 * Z95)
            return self.mode - z * sigma, self.mode + z * sigma
        mu = 0.5 * (math.log(self.low) + math.log(self.high))
        sigma = (math.log(self.high) - math.log(self.low)) / (2 * Z95)
        return math.exp(mu - z * sigma), math.exp(mu + z * sigma)


@dataclass(frozen=True)
class UncertaintySpec:
    """The scenario's uncertain inputs.

    Attributes
    ----------
    distributions : dict[str, Distribution]
        Key -> distribution, the model's on top of the table's.
    correlations : dict[tuple[str, str], float]
        Pairs of keys -> rank correlation [-].
    samples : int
        Default number of samples.
    seed : int
        Default seed (reports are deterministic).
    """

    distributions: dict[str, Distribution] = field(default_factory=dict)
    correlations: dict[tuple[str, str], float] = field(default_factory=dict)
    samples: int = 2000
    seed: int = 20251124


def _check_key(key: str, products: set[str], where: str, file: str) -> None:
    group, _, name = key.partition(".")
    ok = (key in ("recovery", "discount_rate")
          or (group in ("capex", "opex") and name in TECHNOLOGIES)
          or (group == "price" and name in products))
    if not ok:
        raise InputError(f"unknown uncertain input {key!r} (expected capex.<technology>, "
                         f"opex.<technology>, price.<product of the model>, recovery or "
                         f"discount_rate; technologies {', '.join(TECHNOLOGIES)})",
                         file=file, key=where)


def make_distribution(key: str, kind: str, low, mode, high, source: str, file: str,
                      where: str) -> Distribution:
    """A checked :class:`Distribution` (one-line errors naming ``file`` and ``where``)."""
    if kind not in DISTRIBUTIONS:
        raise InputError(f"distribution {kind!r} (expected one of {', '.join(DISTRIBUTIONS)})",
                         file=file, key=where)
    values = []
    for name, value in (("low", low), ("mode", mode), ("high", high)):
        if value is None and name == "mode" and kind in ("uniform", "lognormal"):
            value = math.nan
        if isinstance(value, bool) or not isinstance(value, int | float) or (
                name != "mode" and not math.isfinite(value)):
            raise InputError(f"{name} must be a number, got {value!r}", file=file, key=where)
        values.append(float(value))
    low, mode, high = values
    if not low < high:
        raise InputError(f"bounds reversed or equal: low {low} >= high {high}", file=file,
                         key=where)
    if kind in ("triangular", "pert", "normal") and not low <= mode <= high:
        raise InputError(f"mode {mode} outside [{low}, {high}]", file=file, key=where)
    if kind == "lognormal" and low <= 0:
        raise InputError(f"lognormal needs low > 0, got {low}", file=file, key=where)
    if not source:
        raise InputError("a source (or the reason for the spread) is required", file=file,
                         key=where)
    dist = Distribution(key, kind, low, mode, high, source)
    smallest, largest = dist.support()
    if smallest <= 0:
        raise InputError(f"the distribution allows a value <= 0 ({smallest:.3g}) of a "
                         "multiplier that must stay positive", file=file, key=where)
    if key == "recovery" and largest > RECOVERY_MAX:
        raise InputError(f"the distribution allows a recovery multiplier of {largest:.3g} "
                         f"(expected at most {RECOVERY_MAX})", file=file, key=where)
    return dist


def _number(text: str):
    return float(text) if text.strip() else None


def parse_uncertainty_table(rows: Rows) -> dict:
    """Rows of ``uncertainty.csv``: ``key, distribution, low, mode, high, source`` ->
    ``{"distributions": {key: args}, "correlations": {(a, b): rho}}`` (checked on loading)."""
    out: dict = {"distributions": {}, "correlations": {}, "file": rows.file}
    for row in rows.require(("key", "distribution", "low", "mode", "high", "source"),
                            require_rows=True):
        key, kind = row["key"], row["distribution"]
        try:
            args = (_number(row["low"]), _number(row["mode"]), _number(row["high"]))
        except ValueError:
            raise InputError(f"row {key}: low, mode and high must be numbers", file=rows.file,
                             key=key) from None
        if kind == "correlation":
            a, _, b = key.partition("~")
            rho = args[1]
            if not (a and b and rho is not None and -1.0 < rho < 1.0):
                raise InputError(f"correlation {key!r}: expected key a~b and mode in (-1, 1)",
                                 file=rows.file, key=key)
            out["correlations"][(a, b)] = rho
            continue
        if key in out["distributions"]:
            raise InputError(f"duplicate row {key}", file=rows.file, key=key)
        out["distributions"][key] = (kind, *args, row["source"])
    return out


def uncertainty_spec(table: dict, reader: Reader | None, products: set[str]) -> UncertaintySpec:
    """The scenario's :class:`UncertaintySpec`: the table's rows for the model's products and
    technologies, the model's ``[uncertainty]`` entries on top."""
    dists = {}
    file = table["file"]
    for key, (kind, low, mode, high, source) in table["distributions"].items():
        if key.startswith("price.") and key.removeprefix("price.") not in products:
            continue  # a product this model does not have
        _check_key(key, products, key, file)
        dists[key] = make_distribution(key, kind, low, mode, high, source, file, key)
    samples, seed = 2000, 20251124
    if reader is not None:
        samples = reader.integer("samples", default=samples, minimum=16, maximum=1_000_000)
        seed = reader.integer("seed", default=seed, minimum=0, maximum=2**32 - 1)
        for key in [k for k in reader.table if k not in ("samples", "seed")]:
            where = f"uncertainty.{key}"
            entry = reader.sub(key)
            _check_key(key, products, where, reader.file)
            dists[key] = make_distribution(
                key, entry.text("distribution"), entry.table.get("low"),
                entry.table.get("mode"), entry.table.get("high"),
                entry.text("source", default=""), reader.file, where)
            for name in ("low", "mode", "high"):
                entry.used.add(name)
            entry.finish()
        reader.finish()
    correlations = {pair: rho for pair, rho in table["correlations"].items()
                    if pair[0] in dists and pair[1] in dists}
    return UncertaintySpec(dists, correlations, samples, seed)


__all__ = ["DISTRIBUTIONS", "TECHNOLOGIES", "Distribution", "UncertaintySpec",
           "make_distribution", "parse_uncertainty_table", "uncertainty_spec"]
