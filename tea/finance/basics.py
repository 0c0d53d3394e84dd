"""Present value, internal rate of return and payback of year-end cash-flow vectors.

Conventions
-----------
Cash flows are at year ends; element ``t`` of the last axis is year ``t`` after the base year, so
the first element (year 0) is not discounted:

    NPV(r) = sum_t CF_t / (1 + r)^t                                   (e.g. Brealey, Myers, Allen,
                                                                       *Principles of Corporate
                                                                       Finance*, ch. 2)

Leading axes are samples: a ``(samples, years)`` array gives one NPV per sample. Rates may be
scalars or arrays broadcastable to the sample shape. Cash flows may be plain arrays or pint
quantities with one money unit; the result keeps that unit.
"""

from __future__ import annotations

import numpy as np
import pint

from tea.errors import InputError


def _magnitude(cash_flows):
    """Split cash flows into a float array and its unit (or None)."""
    if isinstance(cash_flows, pint.Quantity):
        return np.asarray(cash_flows.magnitude, dtype=float), cash_flows.units
    return np.asarray(cash_flows, dtype=float), None


def _check_rate(rate, what: str = "discount rate") -> np.ndarray:
    if isinstance(rate, pint.Quantity):
        rate = rate.to("dimensionless").magnitude
    rate = np.asarray(rate, dtype=float)
    if not np.all(np.isfinite(rate)):
        raise InputError(f"{what} must be finite, got {rate}", key="rate")
    if np.any(rate <= -1.0):
        raise InputError(
            f"{what} must be > -1 (a fraction such as 0.08), got {rate.min()}", key="rate"
        )
    return rate


def discount_factors(rate, n_years: int, start: int = 0) -> np.ndarray:
    """Discount factors 1/(1+r)^t for t = start .. start + n_years - 1.

    Parameters
    ----------
    rate : float or array_like
        Discount rate per year [fraction]; an array gives one row per sample.
    n_years : int
        Number of years.
    start : int
        Offset of the first year from the base year [yr] (negative: before the base year).

    Returns
    -------
    numpy.ndarray
        Shape ``rate.shape + (n_years,)`` [-].
    """
    rate = _check_rate(rate)
    t = np.arange(start, start + int(n_years), dtype=float)
    return (1.0 + rate[..., None]) ** (-t)


def npv(rate, cash_flows, start: int = 0):
    """Net present value of year-end cash flows, the first at year ``start`` (default 0).

    Parameters
    ----------
    rate : float or array_like
        Discount rate [fraction per year], > -1; broadcast over the sample axes.
    cash_flows : array_like or pint.Quantity
        Shape ``(..., years)`` [money].
    start : int
        Year of the first cash flow relative to the base year.

    Returns
    -------
    float, numpy.ndarray or pint.Quantity
        NPV per sample [money of the cash flows].

    Raises
    ------
    InputError
        If the rate is <= -1 or not finite, or the cash flows are empty.
    """
    values, unit = _magnitude(cash_flows)
    if values.ndim == 0 or values.shape[-1] == 0:
        raise InputError("cash_flows must have at least one year", key="cash_flows")
    factors = discount_factors(rate, values.shape[-1], start)
    result = np.sum(values * factors, axis=-1)
    result = result.item() if result.ndim == 0 else result
    return result if unit is None else _with_unit(result, unit)


def _with_unit(value, unit):
    from tea.units import ureg

    return ureg.Quantity(value, unit)


def cumulative_discounted(rate, cash_flows, start: int = 0):
    """Cumulative discounted cash flow, same shape as ``cash_flows``; its last value is the NPV."""
    values, unit = _magnitude(cash_flows)
    factors = discount_factors(rate, values.shape[-1], start)
    result = np.cumsum(values * factors, axis=-1)
    return result if unit is None else _with_unit(result, unit)


def _irr_one(values: np.ndarray) -> float:
    """IRR of one cash-flow vector: real roots of the NPV polynomial in x = 1/(1+r).

    Like numpy-financial 1.0, the root closest to zero is returned when there are several; the
    root is then refined by Newton steps on NPV(r) while they reduce |NPV|.
    """
    if not np.all(np.isfinite(values)):
        return np.nan
    nonzero = np.flatnonzero(values)
    if nonzero.size == 0 or np.all(values >= 0) or np.all(values <= 0):
        return np.nan
    # trailing zeros give roots x = 0 (r = inf); drop them
    trimmed = values[: nonzero[-1] + 1]
    roots = np.roots(trimmed[::-1])
    real = roots[(roots.imag == 0) & (roots.real > 0)].real
    if real.size == 0:
        return np.nan
    rates = 1.0 / real - 1.0
    rate = float(rates[np.argmin(np.abs(rates))])
    t = np.arange(trimmed.size, dtype=float)
    for _ in range(8):
        f = np.sum(trimmed * (1.0 + rate) ** -t)
        df = np.sum(-t * trimmed * (1.0 + rate) ** (-t - 1.0))
        if df == 0 or not np.isfinite(df):
            break
        step = f / df
        candidate = rate - step
        if candidate <= -1 or abs(np.sum(trimmed * (1.0 + candidate) ** -t)) >= abs(f):
            break
        rate = candidate
    return rate


def irr(cash_flows):
    """Internal rate of return: the rate r > -1 at which the NPV of the cash flows is zero.

    Parameters
    ----------
    cash_flows : array_like or pint.Quantity
        Shape ``(..., years)``, year-end cash flows, the first at year 0 [money].

    Returns
    -------
    float or numpy.ndarray
        IRR per sample [fraction per year]; NaN where no real IRR exists (no sign change).
        Where several exist, the one closest to zero (as numpy-financial 1.0).
    """
    values, _ = _magnitude(cash_flows)
    if values.ndim == 0 or values.shape[-1] == 0:
        raise InputError("cash_flows must have at least one year", key="cash_flows")
    if values.ndim == 1:
        return _irr_one(values)
    flat = values.reshape(-1, values.shape[-1])
    out = np.array([_irr_one(row) for row in flat])
    return out.reshape(values.shape[:-1])


def _payback_one(values: np.ndarray) -> float:
    cumulative = np.cumsum(values)
    if cumulative[-1] < 0 or not np.any(cumulative < 0):
        return np.nan if cumulative[-1] < 0 else 0.0
    last_negative = int(np.flatnonzero(cumulative < 0)[-1])
    if last_negative == values.size - 1:
        return np.nan
    # linear interpolation within the year that turns the cumulative cash flow positive
    k = last_negative + 1
    return last_negative + (-cumulative[last_negative]) / values[k]


def payback(cash_flows, rate=None):
    """Payback period: years from year 0 until the cumulative cash flow turns non-negative for good.

    Parameters
    ----------
    cash_flows : array_like or pint.Quantity
        Shape ``(..., years)`` [money].
    rate : float, optional
        If given, the discounted payback (cumulative *discounted* cash flow) [fraction per year].

    Returns
    -------
    float or numpy.ndarray
        Years after year 0, interpolated linearly within the crossing year [yr]; NaN if the
        cumulative cash flow never recovers; 0 if it is never negative.
    """
    values, _ = _magnitude(cash_flows)
    if rate is not None:
        values = values * discount_factors(rate, values.shape[-1])
    if values.ndim == 1:
        return _payback_one(values)
    flat = values.reshape(-1, values.shape[-1])
    return np.array([_payback_one(row) for row in flat]).reshape(values.shape[:-1])


def salvage_fraction(lifetime, years_used):
    """Value left in an asset after ``years_used`` of its ``lifetime``: straight line, the
    remaining life over the whole life (the optimizer's terminal value and the finance layer's
    salvage at the end of a plan's horizon).

    Parameters
    ----------
    lifetime : float or array_like
        Economic life [yr], > 0.
    years_used : float or array_like
        Years in service by the end of the horizon [yr].

    Returns
    -------
    float or numpy.ndarray
        Fraction of the capital cost left [-], in [0, 1].
    """
    lifetime = np.asarray(lifetime, dtype=float)
    used = np.asarray(years_used, dtype=float)
    return np.clip((lifetime - used) / lifetime, 0.0, 1.0)


__all__ = ["npv", "irr", "payback", "discount_factors", "cumulative_discounted",
           "salvage_fraction"]
