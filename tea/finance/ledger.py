"""The cash-flow ledger: every line of a project's year-by-year cash flow on a calendar.

One implementation of construction spending, tax depreciation, working capital, debt, profit tax
with losses carried forward and salvage, used for a single plant (:mod:`tea.finance.cashflow`) and
for each plant of a plan (:mod:`tea.analysis.cashflows`). Arrays have shape ``(samples, years)``;
a leading sample axis of 1 broadcasts.

Sign convention: inflows positive, outflows negative; ``net_cash_flow`` is the sum of the
:data:`CASH_LINES` (a test checks the identity). With debt, the net cash flow is the equity
holders' (debt drawn in, interest and repayment out); with ``debt_share = 0`` it is the project's.

Timing (year-end): an investment (:class:`Tranche`) is spent over its construction years and
placed in service in its first operating year, when tax depreciation starts. Working capital is
a balance per year (e.g. months of opex); its increase is an outflow, and the balance left is
recovered in the last year. Salvage is received in the last year and taxed on its gain over the
remaining tax book value (a loss on disposal is deductible). Debt is drawn with construction
spending (``debt_share`` of it), pays interest on the opening balance every year (paid, not
capitalized), is interest-only for ``grace_years`` after the investment enters service and then
repaid as an annuity over ``tenor`` years; a balance left in the last year is repaid then.

Tax: ``rate x max(taxable income - loss offset, 0)``, taxable income = revenue + royalties +
opex + interest - depreciation + gain on disposal (royalties, opex and interest are negative
lines). Losses are carried forward without expiry and offset up to ``loss_offset_limit`` of a
later year's profit (Russia 2017-2026: 50 %, Tax Code art. 283 p. 2.1). A tax holiday
(``holiday``: ``((years, rate), ...)``) replaces the rate in the first profitable years and the
ones after, counted from the first year with a positive tax base, as Russia's regimes for
residents of advanced development territories and regional investment projects do (Tax Code
art. 284.3, 284.4).

Money: inputs are constant money of ``cost_year``. With ``inflation`` i, money lines are
escalated to nominal by ``(1 + i)^(year - cost_year)``; depreciation and debt service stay
nominal. ``nominal=False`` deflates every line back to constant money, so inflation still erodes
the depreciation tax shield (Brealey, Myers & Allen, *Principles of Corporate Finance*, ch. 6).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from tea.errors import InputError

CASH_LINES = ("capex", "revenue", "royalties", "opex", "working_capital", "debt_drawn",
              "interest", "debt_repaid", "salvage", "tax")
"""Cash lines whose sum is ``net_cash_flow`` [money/yr]."""

INFO_LINES = ("depreciation", "taxable_income", "loss_carried", "debt_balance")
"""Non-cash lines [money/yr, balances in money]."""


@dataclass(frozen=True)
class Tranche:
    """One investment of a project.

    Parameters
    ----------
    spend : numpy.ndarray
        Capital spent per calendar year of the ledger, ``(samples or 1, years)`` [money, >= 0].
    in_service : int
        Index (in the ledger's years) of the first operating year; depreciation starts there.
    depreciation : numpy.ndarray
        Fractions of the basis depreciated per year from ``in_service`` [-], summing to <= 1;
        years past the ledger's end are not taken (the rest is the book value at the end).
    salvage : numpy.ndarray or float
        Value of the investment received in the last year of the ledger, ``(samples or 1,)``
        [money].
    """

    spend: np.ndarray
    in_service: int
    depreciation: np.ndarray
    salvage: np.ndarray | float = 0.0


@dataclass(frozen=True)
class LedgerTerms:
    """Tax, financing and money terms of a ledger (see the module docstring).

    Parameters
    ----------
    tax_rate : float
        Profit tax rate [fraction].
    loss_carry_forward : bool
        Carry tax losses forward.
    loss_offset_limit : float
        Largest fraction of a year's profit that carried losses may offset [fraction].
    holiday : sequence of (int, float)
        Reduced rates for the first profitable years: ``((5, 0.0), (5, 0.10))`` is 0 % for five
        years, then 10 % for five, then ``tax_rate`` [yr, fraction].
    debt_share : float
        Share of capital spending financed by debt [fraction].
    interest_rate : float
        Interest rate of the debt [fraction per year].
    tenor : int
        Repayment years after the grace period [yr], >= 1.
    grace_years : int
        Interest-only years after the investment enters service [yr], >= 0.
    inflation : float
        Inflation rate [fraction per year]; 0 keeps constant money.
    nominal : bool
        Report nominal money (True) or constant money of the cost year (False).
    """

    tax_rate: float = 0.25
    loss_carry_forward: bool = True
    loss_offset_limit: float = 1.0
    holiday: Sequence[tuple[int, float]] = ()
    debt_share: float = 0.0
    interest_rate: float = 0.0
    tenor: int = 10
    grace_years: int = 0
    inflation: float = 0.0
    nominal: bool = False

    def __post_init__(self):
        for key in ("tax_rate", "loss_offset_limit", "debt_share"):
            value = getattr(self, key)
            if not (np.isfinite(value) and 0.0 <= value <= 1.0):
                raise InputError(f"{key} must be a fraction in [0, 1], got {value}", key=key)
        for key in ("interest_rate", "inflation"):
            value = getattr(self, key)
            if not (np.isfinite(value) and value > -1.0):
                raise InputError(f"{key} must be a finite rate > -1, got {value}", key=key)
        if int(self.tenor) != self.tenor or self.tenor < 1:
            raise InputError(f"tenor must be a whole number of years >= 1, got {self.tenor}",
                             key="tenor")
        if int(self.grace_years) != self.grace_years or self.grace_years < 0:
            raise InputError(f"grace_years must be a whole number of years >= 0, got "
                             f"{self.grace_years}", key="grace_years")
        for years, rate in self.holiday:
            if int(years) != years or years < 1 or not 0.0 <= rate <= 1.0:
                raise InputError(f"tax holiday steps must be (years >= 1, rate in [0, 1]), got "
                                 f"({years}, {rate})", key="holiday")

    def rate_in_profit_year(self, k: np.ndarray) -> np.ndarray:
        """Tax rate in the k-th year counted from the first profitable one (0-based; -1: none
        yet) [fraction]."""
        rate = np.full(np.shape(k), float(self.tax_rate))
        start = 0
        for years, step_rate in self.holiday:
            rate = np.where((k >= start) & (k < start + years), step_rate, rate)
            start += int(years)
        return rate


def _debt_lines(tranches: Sequence[Tranche], nominal_spend: list[np.ndarray], n_s: int,
                n_t: int, terms: LedgerTerms) -> dict[str, np.ndarray]:
    """Draws, interest, repayment and balance of one loan per tranche [nominal money]."""
    out = {k: np.zeros((n_s, n_t)) for k in ("debt_drawn", "interest", "debt_repaid",
                                              "debt_balance")}
    if terms.debt_share == 0:
        return out
    rate = terms.interest_rate
    n = int(terms.tenor)
    for tranche, spend in zip(tranches, nominal_spend, strict=True):
        draws = terms.debt_share * np.broadcast_to(spend, (n_s, n_t))
        balance = np.zeros(n_s)
        start = tranche.in_service + int(terms.grace_years)
        payment = np.zeros(n_s)
        for k in range(n_t):
            interest = rate * balance
            out["interest"][:, k] -= interest
            principal = np.zeros(n_s)
            if k == start:
                payment = balance / n if rate == 0 else balance * rate / (1 - (1 + rate) ** -n)
            if start <= k < start + n:
                principal = np.minimum(payment - interest, balance)
            if k == n_t - 1:  # the ledger ends: what is owed is repaid
                principal = balance + draws[:, k]
            balance = balance - principal + draws[:, k]
            out["debt_drawn"][:, k] += draws[:, k]
            out["debt_repaid"][:, k] -= principal
            out["debt_balance"][:, k] += balance
    return out


def _tax_lines(taxable: np.ndarray, terms: LedgerTerms) -> tuple[np.ndarray, np.ndarray]:
    """Tax paid (negative) and the loss pool carried after each year [money]."""
    n_s, n_t = taxable.shape
    tax = np.zeros((n_s, n_t))
    pool_by_year = np.zeros((n_s, n_t))
    pool = np.zeros(n_s)
    profit_year = np.full(n_s, -1)
    for k in range(n_t):
        income = taxable[:, k]
        if terms.loss_carry_forward:
            offset = np.where(income > 0, np.minimum(pool, terms.loss_offset_limit * income), 0.0)
            pool = pool - offset + np.where(income < 0, -income, 0.0)
            base = np.maximum(income - offset, 0.0)
        else:
            base = np.maximum(income, 0.0)
        profit_year = np.where((profit_year >= 0) | (base > 0), profit_year + 1, -1)
        tax[:, k] = -terms.rate_in_profit_year(profit_year) * base + 0.0
        pool_by_year[:, k] = pool
    return tax, pool_by_year


def ledger(years: np.ndarray, tranches: Sequence[Tranche], revenue: Mapping[str, np.ndarray],
           opex: np.ndarray, royalties: np.ndarray | float = 0.0,
           working_capital: np.ndarray | float = 0.0, terms: LedgerTerms | None = None,
           cost_year: int | None = None) -> dict[str, np.ndarray]:
    """Every line of a project's cash flow.

    Parameters
    ----------
    years : numpy.ndarray
        Calendar years of the ledger, consecutive [calendar year].
    tranches : sequence of Tranche
        The project's investments.
    revenue : dict[str, numpy.ndarray]
        Revenue by product, ``(samples or 1, years)`` [constant money/yr, >= 0].
    opex : numpy.ndarray
        Operating cost per year, ``(samples or 1, years)`` [constant money/yr, >= 0].
    royalties : numpy.ndarray or float
        Royalties or mineral extraction tax per year, deductible [constant money/yr, >= 0].
    working_capital : numpy.ndarray or float
        Working-capital balance held in each year [constant money, >= 0].
    terms : LedgerTerms, optional
        Tax, financing and money terms (default: :class:`LedgerTerms`).
    cost_year : int, optional
        Year of the constant money [calendar year]; default the first year.

    Returns
    -------
    dict[str, numpy.ndarray]
        ``year`` (1-D), the :data:`CASH_LINES`, ``net_cash_flow``, ``revenue_<product>``,
        the :data:`INFO_LINES`, ``deflator`` (money of the report per nominal money) and
        ``price_multiplier`` (price of the year per constant price), each ``(samples, years)``.
    """
    terms = terms or LedgerTerms()
    years = np.asarray(years, dtype=int)
    n_t = years.size
    if n_t == 0 or np.any(np.diff(years) != 1):
        raise InputError("ledger years must be consecutive calendar years", key="years")
    shapes = [np.shape(np.atleast_2d(v))[:1] for v in (opex, royalties, working_capital,
                                                       *revenue.values())]
    shapes += [np.shape(np.atleast_2d(t.spend))[:1] for t in tranches]
    n_s = int(np.broadcast_shapes((1,), *shapes)[0])
    base_year = int(years[0] if cost_year is None else cost_year)
    esc = (1.0 + terms.inflation) ** (years - base_year).astype(float)
    deflator = np.ones(n_t) if terms.nominal else 1.0 / esc

    def nominal(values) -> np.ndarray:
        return np.broadcast_to(np.asarray(values, dtype=float), (n_s, n_t)) * esc

    line = {k: np.zeros((n_s, n_t)) for k in (*CASH_LINES, *INFO_LINES)}
    by_product = {p: nominal(v) for p, v in revenue.items()}
    for v in by_product.values():
        line["revenue"] += v
    line["opex"] = -nominal(opex)
    line["royalties"] = -nominal(royalties)
    balance = nominal(working_capital)
    held = np.concatenate([np.zeros((n_s, 1)), balance], axis=1)
    line["working_capital"] = -(held[:, 1:] - held[:, :-1])
    line["working_capital"][:, -1] += balance[:, -1]

    spends, gain = [], np.zeros(n_s)
    for tranche in tranches:
        spend = nominal(tranche.spend)
        spends.append(spend)
        line["capex"] -= spend
        basis = spend.sum(axis=1)
        fractions = np.asarray(tranche.depreciation, dtype=float)[: max(0, n_t -
                                                                         tranche.in_service)]
        line["depreciation"][:, tranche.in_service:tranche.in_service + fractions.size] += (
            basis[:, None] * fractions[None, :])
        salvage = np.broadcast_to(np.asarray(tranche.salvage, dtype=float), (n_s,)) * esc[-1]
        line["salvage"][:, -1] += salvage
        gain += salvage - basis * (1.0 - fractions.sum())
    line.update(_debt_lines(tranches, spends, n_s, n_t, terms))

    taxable = line["revenue"] + line["royalties"] + line["opex"] + line["interest"] \
        - line["depreciation"]
    taxable[:, -1] += gain
    line["taxable_income"] = taxable
    line["tax"], line["loss_carried"] = _tax_lines(taxable, terms)

    out = {k: v * deflator for k, v in line.items()}
    out["net_cash_flow"] = sum(out[k] for k in CASH_LINES)
    for product, values in by_product.items():
        out[f"revenue_{product}"] = values * deflator
    out["year"] = years
    out["deflator"] = deflator
    out["price_multiplier"] = esc * deflator
    return out


__all__ = ["CASH_LINES", "INFO_LINES", "Tranche", "LedgerTerms", "ledger"]
