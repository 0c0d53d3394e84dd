"""Year-by-year cash-flow tables for one plant and for a chain of plants.

A plant is described by :class:`PlantCashFlowInputs` (what an optimizer's plan gives per plant:
build year, capex, construction schedule, lifetime, yearly output by product, prices, yearly
opex, plus the financing and tax terms). :func:`cash_flow_arrays` computes every line as arrays of
shape ``(samples, years)``; :func:`cash_flow_table` gives the one-sample table as a DataFrame.

Sign convention: inflows positive, outflows negative. The net cash flow is the sum of the lines
in :data:`CASH_LINES` (a test checks this identity). With debt, the net cash flow is the equity
holders' cash flow (debt drawn in, interest and repayment out); with ``debt_fraction = 0`` it is
the project's cash flow.

Timing (year-end convention): construction in years ``build_year .. build_year + n_c - 1``
(``n_c`` = length of the construction schedule), operation in the next ``lifetime`` years.
Working capital is spent in the first operating year and recovered in the last; salvage is
received in the last operating year and taxed on its gain over the remaining book value.
Depreciation starts in the first operating year (placed in service). Debt is drawn in proportion
to construction spending, pays interest on the opening balance every year and is repaid as an
annuity over ``debt_term`` years from the first operating year (any balance left at the end of
life is repaid then).

Terms: all money inputs are constant money of their cost year (e.g. USD_2024). With an inflation
rate ``i``, the model escalates prices, opex, capex and salvage to nominal money by
``(1 + i)^(year - cost_year)``; depreciation and debt service stay nominal. ``terms="nominal"``
reports nominal money; ``terms="real"`` deflates every line back to the cost year's money, so
inflation still erodes the depreciation tax shield (the usual real-terms treatment, e.g. Brealey,
Myers & Allen, ch. 6). Discount nominal tables at a nominal rate and real tables at a real rate.

Income tax: rate x taxable income (revenue - royalties - opex - interest - depreciation + gain on
disposal); losses carried forward without expiry and offset against up to ``loss_offset_limit``
of each later year's profit. Russia: profit tax 25 % from 1 Jan 2025 (Tax Code art. 284 as
amended by Federal Law No. 176-FZ of 12 Jul 2024 [U]); loss offset limited to 50 % of the tax base
in 2017-2026 (Tax Code art. 283 p. 2.1 [U]). Both are scenario inputs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pint

from tea.errors import InputError
from tea.finance import depreciation as dep
from tea.finance.ledger import CASH_LINES, INFO_LINES, LedgerTerms, Tranche, ledger
from tea.money import MoneyContext, require_money
from tea.units import split_money_unit


@dataclass
class PlantCashFlowInputs:
    """One plant's economics, as a plan gives it.

    Parameters
    ----------
    name : str
        Plant label.
    capex : pint.Quantity
        Overnight capital cost [money, e.g. USD_2024]; a 1-D array is one value per sample. Its
        money unit is the table's currency.
    build_year : int
        First year of construction [calendar year].
    lifetime : int
        Operating years [yr], >= 1.
    production : dict[str, pint.Quantity]
        Product -> output [mass/yr, e.g. t/yr or t_REO/yr]: scalar, per operating year (1-D of
        length ``lifetime``) or ``(samples, lifetime)`` / ``(samples, 1)``.
    prices : dict[str, pint.Quantity]
        Product -> price [money/mass], shaped like ``production``.
    opex : pint.Quantity
        Operating cost per year [money/yr], shaped like ``production``.
    construction_schedule : sequence of float
        Fractions of capex spent per construction year, summing to 1 [-].
    working_capital : pint.Quantity, optional
        Working capital [money]; default 0.
    salvage_fraction : float
        Salvage value at end of life as a fraction of capex [-].
    royalty_rate : float
        Royalty as a fraction of revenue [-].
    depreciation : {"straight_line", "declining_balance", "macrs", "custom"}
    depreciation_years : int, optional
        Tax life [yr]; default ``lifetime`` (MACRS: the recovery class).
    db_factor : float
        Declining-balance factor (2.0 = double declining) [-].
    custom_depreciation : sequence of float, optional
        Fractions per year for ``depreciation="custom"``.
    tax_rate : float
        Income (profit) tax rate [-]; default 0.25 (Russia from 2025).
    loss_carry_forward : bool
        Carry tax losses forward.
    loss_offset_limit : float
        Largest fraction of a year's profit that carried losses may offset [-] (1.0 = no limit).
    debt_fraction, interest_rate : float
        Share of capex financed by debt and its interest rate [-, fraction per year].
    debt_term : int
        Repayment years from the first operating year [yr].
    inflation : float
        Inflation rate [fraction per year]; 0 means the table is in constant money.
    terms : {"real", "nominal"}
    money : MoneyContext, optional
        Converts money inputs whose unit differs from the capex unit (CPI escalation); without
        it, such inputs are refused.
    """

    name: str
    capex: pint.Quantity
    build_year: int
    lifetime: int
    production: Mapping[str, pint.Quantity]
    prices: Mapping[str, pint.Quantity]
    opex: pint.Quantity
    construction_schedule: Sequence[float] = (1.0,)
    working_capital: pint.Quantity | None = None
    salvage_fraction: float = 0.0
    royalty_rate: float = 0.0
    depreciation: str = "straight_line"
    depreciation_years: int | None = None
    db_factor: float = 2.0
    custom_depreciation: Sequence[float] | None = None
    tax_rate: float = 0.25
    loss_carry_forward: bool = True
    loss_offset_limit: float = 1.0
    debt_fraction: float = 0.0
    interest_rate: float = 0.0
    debt_term: int = 10
    inflation: float = 0.0
    terms: str = "real"
    money: MoneyContext | None = field(default=None, repr=False)

    def __post_init__(self):
        self.currency = require_money(self.capex, f"plant {self.name!r}: capex")
        self.cost_year = split_money_unit(self.currency)[1]
        if int(self.lifetime) != self.lifetime or self.lifetime < 1:
            raise InputError(f"plant {self.name!r}: lifetime must be a whole number of years "
                             f">= 1, got {self.lifetime}", key="lifetime")
        schedule = np.asarray(self.construction_schedule, dtype=float)
        if schedule.ndim != 1 or schedule.size == 0 or np.any(schedule < 0):
            raise InputError(f"plant {self.name!r}: construction schedule must be non-negative "
                             "fractions per year", key="construction_schedule")
        if abs(schedule.sum() - 1.0) > 1e-9:
            raise InputError(f"plant {self.name!r}: construction schedule must sum to 1, got "
                             f"{schedule.sum():.6g}", key="construction_schedule")
        for key in ("salvage_fraction", "royalty_rate", "tax_rate", "loss_offset_limit",
                    "debt_fraction"):
            value = getattr(self, key)
            if not 0.0 <= value <= 1.0:
                raise InputError(f"plant {self.name!r}: {key} must be a fraction in [0, 1], got "
                                 f"{value}", key=key)
        for key in ("interest_rate", "inflation"):
            if getattr(self, key) <= -1:
                raise InputError(f"plant {self.name!r}: {key} must be > -1, got "
                                 f"{getattr(self, key)}", key=key)
        if self.terms not in ("real", "nominal"):
            raise InputError(f"plant {self.name!r}: terms must be 'real' or 'nominal', got "
                             f"{self.terms!r}", key="terms")
        if int(self.debt_term) != self.debt_term or self.debt_term < 1:
            raise InputError(f"plant {self.name!r}: debt_term must be >= 1 year, got "
                             f"{self.debt_term}", key="debt_term")
        missing = set(self.production) - set(self.prices)
        if missing:
            raise InputError(f"plant {self.name!r}: no price for product(s) "
                             f"{', '.join(sorted(missing))}", key="prices")

    @property
    def years(self) -> np.ndarray:
        """Calendar years of the table, construction first [calendar year]."""
        n = len(self.construction_schedule) + int(self.lifetime)
        return self.build_year + np.arange(n)

    def depreciation_fractions(self) -> np.ndarray:
        """Depreciation fractions of the basis per tax year from the first operating year [-]."""
        years = self.depreciation_years or int(self.lifetime)
        if self.depreciation == "macrs" and self.depreciation_years is None:
            raise InputError(f"plant {self.name!r}: MACRS needs depreciation_years (3, 5, 7, 10, "
                             "15 or 20)", key="depreciation_years")
        return dep.schedule(self.depreciation, years, factor=self.db_factor,
                            fractions=self.custom_depreciation)

    # -- conversion of inputs to magnitudes -----------------------------------------------------
    def _money_magnitude(self, q, per: str, what: str) -> np.ndarray:
        """Magnitude of a money quantity in ``currency/per`` (``per`` may be '')."""
        unit = require_money(q, f"plant {self.name!r}: {what}")
        target = f"{self.currency}/{per}" if per else self.currency
        if unit != self.currency:
            if self.money is None:
                raise InputError(f"plant {self.name!r}: {what} is in {unit} but capex is in "
                                 f"{self.currency}; convert it (MoneyContext.convert) or pass "
                                 "money=", key=what)
            q = self.money.convert(q, self.currency)
        try:
            return np.asarray(q.to(target).magnitude, dtype=float)
        except pint.DimensionalityError:
            raise InputError(f"plant {self.name!r}: {what} must be in money/{per or '1'}, got "
                             f"{q.units}", key=what) from None

    def _per_year(self, values: np.ndarray, what: str) -> np.ndarray:
        """Shape a per-operating-year input to (samples or 1, lifetime)."""
        lifetime = int(self.lifetime)
        if values.ndim == 0:
            return np.full((1, lifetime), float(values))
        if values.ndim == 1:
            if values.size != lifetime:
                raise InputError(f"plant {self.name!r}: {what} has {values.size} values, expected "
                                 f"one per operating year ({lifetime}) or a scalar", key=what)
            return values[None, :]
        if values.ndim == 2 and values.shape[1] in (1, lifetime):
            return np.broadcast_to(values, (values.shape[0], lifetime))
        raise InputError(f"plant {self.name!r}: {what} must be a scalar, (lifetime,) or "
                         f"(samples, lifetime), got shape {values.shape}", key=what)

    def product_mass_unit(self, product: str) -> str:
        """``kg_REO`` for oxide-basis products, ``kg`` otherwise."""
        dims = self.production[product].dimensionality
        return "kg_REO" if dims.get("[oxide_mass]", 0) else "kg"

    def magnitudes(self) -> dict:
        """Every input as float arrays in the table's currency, kg (or kg_REO) and years."""
        out = {"production": {}, "prices": {}}
        for product, q in self.production.items():
            mass = self.product_mass_unit(product)
            try:
                values = np.asarray(q.to(f"{mass}/yr").magnitude, dtype=float)
            except (pint.DimensionalityError, AttributeError):
                raise InputError(f"plant {self.name!r}: production of {product!r} must be a mass "
                                 "flow such as t/yr", key="production") from None
            if np.any(values < 0):
                raise InputError(f"plant {self.name!r}: negative production of {product!r}",
                                 key="production")
            out["production"][product] = self._per_year(values, f"production[{product}]")
            price = self._money_magnitude(self.prices[product], mass, f"prices[{product}]")
            out["prices"][product] = self._per_year(price, f"prices[{product}]")
        out["opex"] = self._per_year(self._money_magnitude(self.opex, "yr", "opex"), "opex")
        capex = np.asarray(self.capex.magnitude, dtype=float)
        if capex.ndim > 1 or np.any(capex < 0):
            raise InputError(f"plant {self.name!r}: capex must be >= 0, a scalar or one value "
                             "per sample", key="capex")
        out["capex"] = np.atleast_1d(capex)
        wc = self.working_capital
        out["working_capital"] = (np.atleast_1d(self._money_magnitude(wc, "", "working_capital"))
                                  if wc is not None else np.zeros(1))
        return out


def cash_flow_arrays(plant: PlantCashFlowInputs, prices: Mapping[str, np.ndarray] | None = None,
                     _inputs: dict | None = None) -> dict[str, np.ndarray]:
    """Every line of the plant's cash-flow table as arrays of shape ``(samples, years)``.

    The plant is one :class:`tea.finance.ledger.Tranche` (capex over the construction schedule,
    in service in the first operating year, salvage in the last) run through
    :func:`tea.finance.ledger.ledger`.

    Parameters
    ----------
    plant : PlantCashFlowInputs
    prices : dict[str, numpy.ndarray], optional
        Price overrides per product [currency / kg or kg_REO], broadcastable to
        ``(samples, lifetime)``; used by the levelized-cost solver.

    Returns
    -------
    dict[str, numpy.ndarray]
        ``year`` (1-D), the :data:`CASH_LINES`, ``net_cash_flow``, ``revenue_<product>``,
        ``production_<product>`` [kg/yr or kg_REO/yr], :data:`INFO_LINES`, ``deflator`` and
        ``price_multiplier`` [money of the table's terms, per year].
    """
    m = _inputs if _inputs is not None else plant.magnitudes()
    n_c = len(plant.construction_schedule)
    lifetime = int(plant.lifetime)
    years = plant.years
    n_t = years.size
    price = {p: (prices[p] if prices and p in prices else m["prices"][p]) for p in m["prices"]}

    def operating(values) -> np.ndarray:
        """A per-operating-year array placed on the table's years (0 in construction)."""
        rows = np.atleast_2d(np.asarray(values, dtype=float))
        rows = np.broadcast_to(rows, (rows.shape[0], lifetime))
        out = np.zeros((rows.shape[0], n_t))
        out[:, n_c:] = rows
        return out

    revenue = {p: operating(q * price[p]) for p, q in m["production"].items()}
    capex = m["capex"]
    schedule = np.asarray(plant.construction_schedule, dtype=float)
    spend = np.zeros((capex.size, n_t))
    spend[:, :n_c] = capex[:, None] * schedule[None, :]
    tranche = Tranche(spend, n_c, plant.depreciation_fractions()[:lifetime],
                      plant.salvage_fraction * capex)
    total_revenue = sum(revenue.values()) if revenue else np.zeros((1, n_t))
    working = operating(np.broadcast_to(m["working_capital"][:, None],
                                        (m["working_capital"].size, lifetime)))
    terms = LedgerTerms(tax_rate=plant.tax_rate, loss_carry_forward=plant.loss_carry_forward,
                        loss_offset_limit=plant.loss_offset_limit,
                        debt_share=plant.debt_fraction, interest_rate=plant.interest_rate,
                        tenor=int(plant.debt_term), inflation=plant.inflation,
                        nominal=plant.terms == "nominal")
    out = ledger(years, [tranche], revenue, operating(m["opex"]),
                 royalties=plant.royalty_rate * total_revenue, working_capital=working,
                 terms=terms, cost_year=plant.cost_year)
    n_s = out["net_cash_flow"].shape[0]
    for product, q in m["production"].items():
        out[f"production_{product}"] = np.broadcast_to(operating(q), (n_s, n_t)).copy()
    return out


def cash_flow_table(plant: PlantCashFlowInputs) -> pd.DataFrame:
    """The plant's year-by-year cash-flow table (one sample).

    Returns
    -------
    pandas.DataFrame
        One row per calendar year (column ``year``), the :data:`CASH_LINES`, ``net_cash_flow``,
        ``revenue_<product>``, ``production_<product>`` and :data:`INFO_LINES`. ``attrs`` holds
        ``currency`` (e.g. ``"USD_2024"``; money columns are in it, per year), ``terms``,
        ``plant``, ``production_units`` and ``cash_lines``.

    Raises
    ------
    InputError
        If the inputs hold several samples (use :func:`cash_flow_arrays`).
    """
    arrays = cash_flow_arrays(plant)
    if arrays["net_cash_flow"].shape[0] != 1:
        raise InputError(f"plant {plant.name!r}: several samples; cash_flow_table shows one, "
                         "use cash_flow_arrays for samples", key="samples")
    columns = {"year": arrays["year"]}
    for key, values in arrays.items():
        if key not in ("year", "deflator", "price_multiplier"):
            columns[key] = values[0]
    table = pd.DataFrame(columns)
    order = ["year", *CASH_LINES, "net_cash_flow"]
    order += [c for c in table.columns if c not in order]
    table = table[order]
    table.attrs.update(
        currency=plant.currency, terms=plant.terms, plant=plant.name,
        inflation=plant.inflation, cash_lines=list(CASH_LINES),
        production_units={p: f"{plant.product_mass_unit(p)}/yr" for p in plant.production},
    )
    return table


__all__ = ["CASH_LINES", "INFO_LINES", "PlantCashFlowInputs", "cash_flow_arrays",
           "cash_flow_table"]
