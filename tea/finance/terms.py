"""The finance terms of one plant: what its investor pays in tax, royalty and interest, and when.

:class:`FinanceTerms` gathers what a project finance model needs beyond the plant's physical plan
(the hurdle rate, profit tax with its loss rules and holidays, the mineral extraction tax or
royalty of a mine, tax depreciation by asset class, the construction schedule, working capital,
debt, inflation) and turns it into the ledger's inputs. The values come from the region defaults
of the input table ``finance.csv`` with the model file's ``[finance]`` table on top
(:mod:`tea.config.finance`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from tea.errors import InputError
from tea.finance import depreciation as dep
from tea.finance.ledger import LedgerTerms

CONSTRUCTION = ("even", "build_year")
"""Construction schedules: capex spread evenly over the lead time, or all in the build year (the
optimizer's timing)."""
METHODS = ("straight_line", "declining_balance", "macrs")


@dataclass(frozen=True)
class FinanceTerms:
    """Finance terms of a plant (fractions per year, years as whole numbers).

    Parameters
    ----------
    hurdle_rate : float
        Investor's discount rate for NPV and the minimum selling price [fraction per year].
    profit_tax_rate, loss_offset_limit : float
        Profit tax rate and the share of a year's profit that carried losses may offset [-].
    holiday : sequence of (int, float)
        Reduced profit-tax rates from the first profitable year (:class:`LedgerTerms`).
    royalty_rate : float
        Mineral extraction tax or royalty on a mine's output value [fraction].
    royalty_relief_years, royalty_relief_factor : int, float
        Years from the start of mining in which the royalty rate is multiplied by the factor.
    royalty_value_share : float
        Value of a mine's concentrate as a share of the value of the oxides it contains [-].
    depreciation_method, depreciation_years : str, int
        Tax depreciation of plant and equipment (:data:`METHODS`) [yr].
    buildings_share, buildings_years : float, int
        Share of capex that is buildings, depreciated straight line over ``buildings_years``.
    construction : str
        Capex schedule over the lead time (:data:`CONSTRUCTION`).
    working_capital_months : float
        Working capital held, in months of the year's opex [month].
    debt_share, interest_rate, debt_tenor, grace_years : float, float, int, int
        Debt financing (:class:`LedgerTerms`).
    inflation : float
        Inflation rate [fraction per year].
    nominal : bool
        Cash flows in nominal money (True) or constant money of the cost year (False).
    regime : str
        Name of the tax regime applied ("standard" or one of ``finance.csv``'s regimes).
    """

    hurdle_rate: float
    profit_tax_rate: float
    loss_offset_limit: float = 1.0
    holiday: Sequence[tuple[int, float]] = ()
    royalty_rate: float = 0.0
    royalty_relief_years: int = 0
    royalty_relief_factor: float = 1.0
    royalty_value_share: float = 1.0
    depreciation_method: str = "straight_line"
    depreciation_years: int = 15
    buildings_share: float = 0.0
    buildings_years: int = 30
    construction: str = "even"
    working_capital_months: float = 0.0
    debt_share: float = 0.0
    interest_rate: float = 0.0
    debt_tenor: int = 10
    grace_years: int = 0
    inflation: float = 0.0
    nominal: bool = False
    regime: str = "standard"

    def __post_init__(self):
        for key in ("profit_tax_rate", "loss_offset_limit", "royalty_rate",
                    "royalty_relief_factor", "royalty_value_share", "buildings_share",
                    "debt_share"):
            value = getattr(self, key)
            if not (np.isfinite(value) and 0.0 <= value <= 1.0):
                raise InputError(f"{key} must be a fraction in [0, 1], got {value}", key=key)
        if not (np.isfinite(self.hurdle_rate) and -1.0 < self.hurdle_rate < 1.0):
            raise InputError(f"hurdle_rate must be a fraction per year in (-1, 1), got "
                             f"{self.hurdle_rate}", key="hurdle_rate")
        for key in ("depreciation_years", "buildings_years"):
            value = getattr(self, key)
            if int(value) != value or value < 1:
                raise InputError(f"{key} must be a whole number of years >= 1, got {value}",
                                 key=key)
        if self.depreciation_method not in METHODS:
            raise InputError(f"depreciation_method must be one of {', '.join(METHODS)}, got "
                             f"{self.depreciation_method!r}", key="depreciation_method")
        if self.construction not in CONSTRUCTION:
            raise InputError(f"construction must be one of {', '.join(CONSTRUCTION)}, got "
                             f"{self.construction!r}", key="construction")
        if not (np.isfinite(self.working_capital_months)
                and 0.0 <= self.working_capital_months <= 24.0):
            raise InputError(f"working_capital_months must be in [0, 24], got "
                             f"{self.working_capital_months}", key="working_capital_months")
        if int(self.royalty_relief_years) != self.royalty_relief_years \
                or self.royalty_relief_years < 0:
            raise InputError(f"royalty_relief_years must be a whole number >= 0, got "
                             f"{self.royalty_relief_years}", key="royalty_relief_years")
        self.ledger_terms()  # checks the tax and debt terms

    def ledger_terms(self) -> LedgerTerms:
        """The ledger's tax, financing and money terms."""
        return LedgerTerms(tax_rate=self.profit_tax_rate, loss_offset_limit=self.loss_offset_limit,
                           holiday=tuple(self.holiday), debt_share=self.debt_share,
                           interest_rate=self.interest_rate, tenor=int(self.debt_tenor),
                           grace_years=int(self.grace_years), inflation=self.inflation,
                           nominal=self.nominal)

    def depreciation_fractions(self) -> np.ndarray:
        """Tax depreciation of one unit of capex per year from the first operating year [-]:
        equipment by its method and life, buildings straight line."""
        kit = dep.schedule(self.depreciation_method, int(self.depreciation_years))
        halls = dep.schedule("straight_line", int(self.buildings_years))
        n = max(kit.size, halls.size)
        out = np.zeros(n)
        out[:kit.size] += (1.0 - self.buildings_share) * kit
        out[:halls.size] += self.buildings_share * halls
        return out

    def construction_fractions(self, lead_time: int) -> np.ndarray:
        """Share of capex spent in each year from the build year [-] (sums to 1)."""
        years = max(int(lead_time), 1)
        if self.construction == "build_year":
            return np.eye(1, years).ravel()
        return np.full(years, 1.0 / years)

    def royalty_rates(self, years_mining: np.ndarray) -> np.ndarray:
        """Royalty rate by year of mining (0-based from the first year with output) [-]."""
        k = np.asarray(years_mining)
        relief = (k >= 0) & (k < int(self.royalty_relief_years))
        return np.where(relief, self.royalty_rate * self.royalty_relief_factor, self.royalty_rate)


__all__ = ["CONSTRUCTION", "METHODS", "FinanceTerms"]
