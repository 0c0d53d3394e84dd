"""Depreciation schedules as fractions of the depreciable basis, year 1 first.

Methods
-------
straight_line
    (basis - salvage) / N each year.
declining_balance
    Rate f/N on the remaining book value (f = 2 for double declining, 1.5 for 150 %), switching to
    straight line over the remaining life in the first year where that gives the larger deduction
    (the usual switch rule, e.g. IRS Publication 946 ch. 4, "Figuring MACRS without tables").
    Optional half-year convention: half a year's deduction in year 1, the remaining half year at
    the end (N + 1 tax years).
macrs
    US MACRS general depreciation system, half-year convention: the percentages of IRS
    Publication 946 (2023), Appendix A, Table A-1, for the 3, 5, 7, 10, 15 and 20-year classes.
custom
    Any fractions summing to 1.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from tea.errors import InputError

MACRS_HALF_YEAR: dict[int, tuple[float, ...]] = {
    # IRS Publication 946 (2023), Appendix A, Table A-1: 3-, 5-, 7-, 10-, 15- and 20-year property,
    # half-year convention; percentages of the unadjusted basis [%].
    3: (33.33, 44.45, 14.81, 7.41),
    5: (20.00, 32.00, 19.20, 11.52, 11.52, 5.76),
    7: (14.29, 24.49, 17.49, 12.49, 8.93, 8.92, 8.93, 4.46),
    10: (10.00, 18.00, 14.40, 11.52, 9.22, 7.37, 6.55, 6.55, 6.56, 6.55, 3.28),
    15: (5.00, 9.50, 8.55, 7.70, 6.93, 6.23, 5.90, 5.90, 5.91, 5.90, 5.91, 5.90, 5.91, 5.90,
         5.91, 2.95),
    20: (3.750, 7.219, 6.677, 6.177, 5.713, 5.285, 4.888, 4.522, 4.462, 4.461, 4.462, 4.461,
         4.462, 4.461, 4.462, 4.461, 4.462, 4.461, 4.462, 4.461, 2.231),
}
"""MACRS GDS half-year percentages by recovery period [years] -> percent per tax year [%]."""

METHODS = ("straight_line", "declining_balance", "macrs", "custom")


def _check_years(years, what: str = "depreciation years") -> int:
    if int(years) != years or years < 1:
        raise InputError(f"{what} must be a whole number >= 1, got {years}", key=what)
    return int(years)


def straight_line(years: int, salvage_fraction: float = 0.0) -> np.ndarray:
    """Straight-line fractions of the basis over ``years`` [-], summing to 1 - salvage_fraction."""
    years = _check_years(years)
    if not 0.0 <= salvage_fraction <= 1.0:
        raise InputError(f"salvage fraction must be in [0, 1], got {salvage_fraction}",
                         key="salvage_fraction")
    return np.full(years, (1.0 - salvage_fraction) / years)


def declining_balance(years: int, factor: float = 2.0, half_year: bool = False,
                      switch: bool = True) -> np.ndarray:
    """Declining-balance fractions with an optional switch to straight line.

    Parameters
    ----------
    years : int
        Recovery period N [yr].
    factor : float
        Declining-balance factor f: rate f/N per year (2.0 = 200 %, 1.5 = 150 %) [-].
    half_year : bool
        Half-year convention: N + 1 tax years, half a year in the first and the last.
    switch : bool
        Switch to straight line over the remaining life when it gives a larger deduction. Without
        the switch, the remaining book value is written off in the last year.

    Returns
    -------
    numpy.ndarray
        Fractions of the basis per tax year, summing to 1 [-].
    """
    years = _check_years(years)
    if not factor > 0:
        raise InputError(f"declining-balance factor must be > 0, got {factor}", key="factor")
    rate = factor / years
    n_tax_years = years + 1 if half_year else years
    out = np.zeros(n_tax_years)
    book = 1.0
    for k in range(n_tax_years):
        fraction_of_year = 0.5 if half_year and k == 0 else 1.0
        # remaining recovery period at the start of tax year k [yr]
        remaining = years - (k - 0.5 if half_year and k > 0 else k)
        db = book * rate * fraction_of_year
        sl = book * min(1.0, fraction_of_year / remaining) if remaining > 0 else book
        amount = max(db, sl) if switch else db
        if k == n_tax_years - 1:
            amount = book
        amount = min(amount, book)
        out[k] = amount
        book -= amount
    return out


def switch_year(years: int, factor: float = 2.0, half_year: bool = False) -> int:
    """First tax year (1-based) in which straight line beats declining balance [-]."""
    years = _check_years(years)
    rate = factor / years
    book = 1.0
    n_tax_years = years + 1 if half_year else years
    for k in range(n_tax_years):
        fraction_of_year = 0.5 if half_year and k == 0 else 1.0
        remaining = years - (k - 0.5 if half_year and k > 0 else k)
        db = book * rate * fraction_of_year
        sl = book * min(1.0, fraction_of_year / remaining)
        if sl >= db * (1 - 1e-12):
            return k + 1
        book -= db
    return n_tax_years


def macrs(recovery_period: int) -> np.ndarray:
    """MACRS GDS half-year fractions (IRS Pub. 946 Table A-1) for a recovery period [-]."""
    if recovery_period not in MACRS_HALF_YEAR:
        raise InputError(
            f"MACRS recovery period must be one of {sorted(MACRS_HALF_YEAR)} years, "
            f"got {recovery_period}", key="depreciation_years",
        )
    return np.asarray(MACRS_HALF_YEAR[recovery_period]) / 100.0


def custom(fractions: Sequence[float]) -> np.ndarray:
    """User fractions per tax year; they must be >= 0 and sum to 1 [-]."""
    values = np.asarray(fractions, dtype=float)
    if values.ndim != 1 or values.size == 0 or np.any(values < 0):
        raise InputError("custom depreciation needs non-negative fractions per year",
                         key="custom_depreciation")
    if abs(values.sum() - 1.0) > 1e-6:
        raise InputError(f"custom depreciation fractions must sum to 1, got {values.sum():.6g}",
                         key="custom_depreciation")
    return values


def schedule(method: str, years: int, *, factor: float = 2.0, half_year: bool = False,
             fractions: Sequence[float] | None = None) -> np.ndarray:
    """Depreciation fractions by method name, one of :data:`METHODS` [-]."""
    if method == "straight_line":
        return straight_line(years)
    if method == "declining_balance":
        return declining_balance(years, factor, half_year)
    if method == "macrs":
        return macrs(years)
    if method == "custom":
        if fractions is None:
            raise InputError("custom depreciation needs fractions", key="custom_depreciation")
        return custom(fractions)
    raise InputError(f"unknown depreciation method {method!r} (expected one of "
                     f"{', '.join(METHODS)})", key="depreciation")


__all__ = ["MACRS_HALF_YEAR", "METHODS", "straight_line", "declining_balance", "switch_year",
           "macrs", "custom", "schedule"]
