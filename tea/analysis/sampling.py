"""Samples of a scenario's uncertain inputs: Latin hypercube, correlated through a Gaussian copula.

Each input of :class:`tea.config.uncertainty.UncertaintySpec` is a multiplier with its own
distribution. :func:`draw` spreads ``n`` points over the unit hypercube
(``scipy.stats.qmc.LatinHypercube``), couples the correlated inputs through a Gaussian copula
(rank correlation rho -> normal correlation ``2 sin(pi rho / 6)``, Iman & Conover, Commun. Stat.
B 11(3) 1982 311) and maps each column through its distribution's inverse CDF (:func:`quantile`).
"""

from __future__ import annotations

import numpy as np
from scipy import stats
from scipy.stats import qmc

from tea.config.uncertainty import Z95, Distribution, UncertaintySpec
from tea.errors import InputError


def quantile(dist: Distribution, u: np.ndarray) -> np.ndarray:
    """Inverse CDF of a distribution at probabilities ``u`` in (0, 1) [-].

    PERT is the beta distribution with shape ``1 + 4 (mode - low)/(high - low)`` and
    ``1 + 4 (high - mode)/(high - low)`` (Vose, *Risk Analysis*, 3rd ed., 2008, ch. 9).
    """
    u = np.asarray(u, dtype=float)
    width = dist.high - dist.low
    if dist.kind == "triangular":
        return stats.triang.ppf(u, (dist.mode - dist.low) / width, loc=dist.low, scale=width)
    if dist.kind == "pert":
        a = 1 + 4 * (dist.mode - dist.low) / width
        b = 1 + 4 * (dist.high - dist.mode) / width
        return stats.beta.ppf(u, a, b, loc=dist.low, scale=width)
    if dist.kind == "uniform":
        return dist.low + width * u
    if dist.kind == "normal":
        return stats.norm.ppf(u, loc=dist.mode, scale=width / (2 * Z95))
    mu = 0.5 * (np.log(dist.low) + np.log(dist.high))
    sigma = (np.log(dist.high) - np.log(dist.low)) / (2 * Z95)
    return np.exp(mu + sigma * stats.norm.ppf(u))


def correlation_matrix(keys: list[str], spec: UncertaintySpec) -> np.ndarray:
    """Normal correlation matrix of the copula for ``keys`` (identity where none is given)."""
    index = {k: i for i, k in enumerate(keys)}
    matrix = np.eye(len(keys))
    for (a, b), rho in spec.correlations.items():
        if a in index and b in index:
            matrix[index[a], index[b]] = matrix[index[b], index[a]] = 2 * np.sin(np.pi * rho / 6)
    try:
        np.linalg.cholesky(matrix)
    except np.linalg.LinAlgError:
        raise InputError("the uncertainty correlations are not consistent (the correlation "
                         "matrix is not positive definite)", key="uncertainty") from None
    return matrix


def draw(spec: UncertaintySpec, n: int, seed: int, keys: list[str] | None = None
         ) -> dict[str, np.ndarray]:
    """``n`` samples of every input (or of ``keys``), reproducible with ``seed``.

    Returns
    -------
    dict[str, numpy.ndarray]
        Key -> multipliers, shape ``(n,)`` [-].
    """
    keys = list(spec.distributions) if keys is None else keys
    if n < 2:
        raise InputError(f"samples must be >= 2, got {n}", key="samples")
    if not keys:
        return {}
    u = qmc.LatinHypercube(d=len(keys), seed=np.random.default_rng(seed)).random(n)
    matrix = correlation_matrix(keys, spec)
    if not np.allclose(matrix, np.eye(len(keys))):
        z = stats.norm.ppf(u) @ np.linalg.cholesky(matrix).T
        u = stats.norm.cdf(z)
    u = np.clip(u, 1e-12, 1 - 1e-12)
    return {k: quantile(spec.distributions[k], u[:, i]) for i, k in enumerate(keys)}


def percentiles(values: np.ndarray, levels=(5, 10, 50, 90, 95)) -> dict[str, float]:
    """``p5``... of a sample (NaN dropped), and the mean."""
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    if values.size == 0:
        return {f"p{q}": None for q in levels} | {"mean": None}
    out = {f"p{q}": float(np.percentile(values, q)) for q in levels}
    out["mean"] = float(values.mean())
    return out


__all__ = ["quantile", "correlation_matrix", "draw", "percentiles"]
