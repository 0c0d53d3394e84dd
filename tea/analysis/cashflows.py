"""A plan's cash flows through tea.finance: one ledger per plant, the chain as their sum.

Every plan (optimized or fixed) takes this path. Each plant (option with capacity in the plan)
becomes a :func:`tea.finance.ledger.ledger` on the horizon's calendar, with the finance terms of
its site's country (:class:`tea.finance.terms.FinanceTerms`):

- **capex**: each build of the plan is a tranche spent over its lead time by the construction
  schedule (the optimizer books it in the build year), in service in its online year, depreciated
  by asset class, with the straight-line salvage of its remaining life at the horizon's end (the
  optimizer's terminal value, :func:`tea.optimize.plan_costs.build_salvage`);
- **revenue**: what the plant makes, valued at the import price of each commodity that has one
  (oxides, metals, magnets, by-products); **opex**: fixed, variable and transport cost
  (:func:`tea.optimize.plan_costs.option_costs`) plus the priced commodities it takes in, bought at
  the same prices (oxide for a metal plant, metal for a magnet plant). Commodities without a price
  (ore, concentrate, mixed solution, scrap) move between the chain's plants at no charge, so a mine
  or a cracking plant is a cost centre and the plant that sells carries the chain's margin; in the
  chain's sum the internal sales and purchases cancel and what remains is the value of what the
  chain sells (delivered or exported, at import prices) less the priced feed it imports;
- **royalties**: the mineral extraction tax of a mine, on its concentrate valued at
  ``royalty_value_share`` of its contained oxides' import prices;
- working capital (months of opex), profit tax with losses carried forward, debt: the terms.

The optimizer minimizes the discounted pre-tax cost of the whole chain (it plans for the
economy); these ledgers show what each plant's investor sees after tax. Money is in the reporting
currency (constant money of the base year unless the terms are nominal).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from tea.chain.commodity import Commodity
from tea.errors import InputError
from tea.finance import Tranche, discount_factors, irr, ledger, npv, payback
from tea.finance.levelized import solve_increasing
from tea.optimize import plan_costs
from tea.optimize import results as r

TABLE_COLUMNS = ("year", "capex", "revenue", "royalties", "opex", "depreciation", "interest",
                 "taxable_income", "loss_carried", "tax", "working_capital", "debt_drawn",
                 "debt_repaid", "salvage", "net_cash_flow", "discount_factor", "present_value")
"""Columns of a cash-flow table; money columns are in the reporting currency per year."""
MONEY_COLUMNS = tuple(c for c in TABLE_COLUMNS if c not in ("year", "discount_factor"))


@dataclass
class PlantBooks:
    """What a plant's ledger is built from, in the reporting currency, per year of the horizon.

    Attributes
    ----------
    sales, purchases : dict[str, numpy.ndarray]
        Priced commodity -> amount made / taken in [t/yr].
    prices : dict[str, numpy.ndarray]
        Commodity -> import price [currency/t].
    costs : numpy.ndarray
        Fixed and variable opex and transport [currency/yr].
    royalties : numpy.ndarray
        Mineral extraction tax [currency/yr].
    """

    option: str
    technology: str
    terms: object  # tea.finance.terms.FinanceTerms
    tranches: list
    sales: dict[str, np.ndarray]
    purchases: dict[str, np.ndarray]
    prices: dict[str, np.ndarray]
    costs: np.ndarray
    royalties: np.ndarray


@dataclass
class PlanFinance:
    """Cash-flow tables and investor figures of a plan.

    Attributes
    ----------
    tables : dict[str, pandas.DataFrame]
        Plant -> its table (:data:`TABLE_COLUMNS`), and ``"chain"``, their sum.
    figures : dict[str, dict]
        Plant (and ``"chain"``) -> npv, irr, payback, peak_funding, msp (product -> value per kg),
        hurdle_rate.
    currency : str
        Money unit of the tables (e.g. ``RUB_2025``).
    """

    tables: dict[str, pd.DataFrame]
    figures: dict[str, dict]
    currency: str


def _by_commodity(amounts: pd.DataFrame, years: list[int]) -> dict[str, np.ndarray]:
    """Commodity -> amount per year of the horizon [t/yr]."""
    if amounts.empty:
        return {}
    table = amounts.pivot_table(index="year", columns="commodity", values="amount",
                                aggfunc="sum").reindex(years).fillna(0.0)
    return {c: table[c].to_numpy() for c in table.columns}


def plant_books(sol, scenario, to_currency: float) -> dict[str, PlantBooks]:
    """The ledger inputs of every plant with capacity or output in the plan."""
    data = sol.data
    years = list(data.years)
    index = {y: k for k, y in enumerate(years)}
    costs = plan_costs.option_costs(sol)
    builds = plan_costs.build_salvage(sol)
    acts = r.activities(sol)
    flows = acts.merge(data.coefficients, on=["option", "mode"])
    flows["amount"] = flows["activity"] * flows["coef"]
    price = data.imports.pivot_table(index="year", columns="commodity", values="price",
                                     aggfunc="first").reindex(years) * to_currency
    books = {}
    for option, row in data.options.iterrows():
        cost = costs[costs["option"] == option].set_index("year").reindex(years).fillna(0.0)
        mine = flows[flows["option"] == option]
        if cost["total"].abs().sum() == 0 and mine["amount"].abs().sum() == 0:
            continue
        terms = scenario.finance.for_region(scenario.sites[row["site"]].region)
        tranches = []
        for _, b in builds[builds["option"] == option].iterrows():
            spend = np.zeros(len(years))
            fractions = terms.construction_fractions(int(row["lead_time"]))
            for k, f in enumerate(fractions):
                spend[min(index[int(b["year"])] + k, len(years) - 1)] += f * b["capex"]
            tranches.append(Tranche(spend[None, :] * to_currency, index[int(b["online_year"])],
                                    terms.depreciation_fractions(),
                                    b["capex"] * b["salvage_fraction"] * to_currency))
        priced = mine[mine["commodity"].isin(price.columns)]
        sales = _by_commodity(priced[priced["amount"] > 0], years)
        purchases = _by_commodity(priced[priced["amount"] < 0].assign(
            amount=lambda f: -f["amount"]), years)
        unit = {c: price[c].fillna(0.0).to_numpy() for c in {*sales, *purchases}}
        fixed = cost[["fixed_opex", "variable_opex", "transport"]].sum(axis=1).to_numpy()
        books[option] = PlantBooks(
            option, row["technology"], terms, tranches, sales, purchases, unit,
            fixed * to_currency, _royalties(mine, terms, price, years))
    return books


def _royalties(flows: pd.DataFrame, terms, price: pd.DataFrame, years: list[int]) -> np.ndarray:
    """Mineral extraction tax of a mine: rate x value share x contained oxides' value."""
    out = np.zeros(len(years))
    conc = flows[(flows["amount"] > 0) & flows["commodity"].str.startswith("conc:")]
    if conc.empty or terms.royalty_rate == 0:
        return out
    oxide = conc["commodity"].map(lambda c: Commodity("oxide", Commodity.parse(c).element).name)
    unit = [price.at[y, o] if o in price.columns and np.isfinite(price.at[y, o]) else 0.0
            for y, o in zip(conc["year"], oxide, strict=True)]
    value = (conc["amount"] * np.asarray(unit)).groupby(conc["year"]).sum().reindex(years)
    value = value.fillna(0.0).to_numpy() * terms.royalty_value_share
    mining = np.cumsum(value > 0) - 1
    return value * terms.royalty_rates(np.where(value > 0, mining, -1))


@dataclass(frozen=True)
class Scale:
    """Multipliers of a plant's ledger inputs, one per sample (all ``(samples,)``) [-].

    ``capital`` multiplies its capex (and salvage), ``operating`` its opex, ``output`` what it
    makes and takes in (and its royalties), ``price`` the import price of each commodity named.
    """

    capital: np.ndarray
    operating: np.ndarray
    output: np.ndarray
    price: dict[str, np.ndarray]


def _revenue(books: PlantBooks, override: dict | None, members: dict | None,
             purchases_too: bool, scale: Scale | None) -> tuple[dict, np.ndarray]:
    """Revenue by commodity and the cost of priced purchases, ``(samples or 1, years)``
    [currency/yr].

    ``override`` maps a product to its price [currency per t of product], a number or one per
    sample; it replaces the import price of the product's member commodities (weights in
    ``members``) in the sales, and in the purchases too when ``purchases_too`` (the chain: its
    internal trade cancels).
    """
    price = {c: v[None, :] for c, v in books.prices.items()}
    if scale is not None:
        price = {c: v * scale.price[c][:, None] if c in scale.price else v
                 for c, v in price.items()}
    sale_price = dict(price)
    for product, x in (override or {}).items():
        x = np.reshape(np.asarray(x, dtype=float), (-1, 1))
        for c, weight in members[product].items():
            sale_price[c] = weight * x * np.ones((1, len(books.costs)))
            if purchases_too:
                price[c] = sale_price[c]
    amount = 1.0 if scale is None else scale.output[:, None]
    revenue = {c: amount * q[None, :] * sale_price[c] for c, q in books.sales.items()}
    purchase = np.zeros((1, len(books.costs)))
    for c, q in books.purchases.items():
        purchase = purchase + amount * q[None, :] * price[c]
    return revenue, purchase


def run_ledger(books: PlantBooks, years: list[int], override: dict | None = None,
               members: dict | None = None, purchases_too: bool = False,
               scale: Scale | None = None) -> dict:
    """The plant's ledger (:func:`tea.finance.ledger.ledger`), optionally at other prices and,
    with ``scale``, for samples of multipliers (arrays ``(samples, years)``)."""
    revenue, purchase = _revenue(books, override, members, purchases_too, scale)
    tranches, royalties = books.tranches, books.royalties[None, :]
    opex = books.costs[None, :]
    if scale is not None:
        k = scale.capital[:, None]
        tranches = [Tranche(t.spend * k, t.in_service, t.depreciation,
                            np.asarray(t.salvage) * scale.capital) for t in tranches]
        opex = opex * scale.operating[:, None]
        royalties = royalties * scale.output[:, None]
    opex = opex + purchase
    wc = books.terms.working_capital_months / 12.0 * opex
    return ledger(np.array(years), tranches, revenue, opex, royalties=royalties,
                  working_capital=wc, terms=books.terms.ledger_terms(), cost_year=years[0])


def table_of(lines: dict, rate: float, base_year: int) -> pd.DataFrame:
    """A ledger's lines as a cash-flow table with discount factors and present values."""
    years = np.asarray(lines["year"])
    table = pd.DataFrame({"year": years})
    for column in MONEY_COLUMNS:
        if column in lines:
            table[column] = lines[column][0]
    table["discount_factor"] = discount_factors(rate, years.size, int(years[0]) - base_year)
    table["present_value"] = table["net_cash_flow"] * table["discount_factor"]
    return table[list(TABLE_COLUMNS)]


def _present_value(lines: dict, rate: float, start: int) -> np.ndarray:
    return npv(rate, lines["net_cash_flow"], start=start)


def figures_of(table: pd.DataFrame, rate: float) -> dict:
    """NPV at ``rate``, IRR, payback and peak funding need of a cash-flow table."""
    net = table["net_cash_flow"].to_numpy()
    rate_of_return = float(irr(net))
    back = float(payback(net))
    return {"npv": float(table["present_value"].sum()),
            "irr": rate_of_return if np.isfinite(rate_of_return) else None,
            "payback": back if np.isfinite(back) else None,
            "peak_funding": float(max(0.0, -np.cumsum(net).min())),
            "hurdle_rate": rate}


def minimum_price(evaluate, guess: float, n_samples: int = 1):
    """The price x [currency/t] at which ``evaluate(x)`` (an NPV, increasing in x) is zero:
    a number, or one per sample when ``n_samples > 1``; None where no price does it."""
    size = np.abs(evaluate(np.zeros(n_samples))) + 1.0
    try:
        x = solve_increasing(evaluate, n_samples, size, guess=max(guess, 1.0), tol=1e-9)
    except InputError:
        return None
    return float(x[0]) if n_samples == 1 else x


def product_members(data, scenario) -> dict[str, pd.Series]:
    """Product -> its member commodities and their weights (t of product per t of commodity)."""
    groups = data.demand_groups
    return {p: groups[groups["group"] == p].set_index("commodity")["weight"]
            for p in scenario.products}


def _market_price(data, members: pd.Series, to_currency: float) -> float:
    """First import price of a product's first priced member [currency per t of product]."""
    rows = data.imports[data.imports["commodity"].isin(members.index)]
    if rows.empty:
        return 1.0
    first = rows.iloc[0]
    return float(first["price"] / members[first["commodity"]] * to_currency)


MSP_MIN_SHARE = 0.01
"""Products below this share of a plant's (or the chain's) sales value get no minimum selling
price: a trace co-product would carry the whole plant and give a meaningless figure."""


def _sales_value(books: PlantBooks, members: pd.Series, net: bool) -> float:
    """Undiscounted value of a product's sales over the horizon at import prices (less its
    purchases when ``net``) [currency]."""
    total = sum(float(np.sum(books.sales[c] * books.prices[c])) for c in members.index
                if c in books.sales)
    if net:
        total -= sum(float(np.sum(books.purchases[c] * books.prices[c])) for c in members.index
                     if c in books.purchases)
    return total


def _priced_products(books: list[PlantBooks], members: dict, net: bool) -> list[str]:
    """Products worth a minimum selling price: sold, and at least :data:`MSP_MIN_SHARE` of
    the sales value."""
    value = {p: sum(_sales_value(b, m, net) for b in books) for p, m in members.items()}
    total = sum(v for v in value.values() if v > 0)
    return [p for p, v in value.items() if v > 0 and v >= MSP_MIN_SHARE * total]


def plan_finance(sol, scenario, to_currency: float) -> PlanFinance:
    """Cash-flow tables, NPV, IRR, payback, peak funding and minimum selling prices of a plan.

    Parameters
    ----------
    sol : tea.optimize.solve.Solution
        The solved (or dispatched fixed) plan.
    scenario : tea.config.scenario.Scenario
        Its scenario (finance terms, sites, products).
    to_currency : float
        Reporting currency per MUSD of the base year [currency/MUSD].

    Returns
    -------
    PlanFinance
        Minimum selling prices are per kg of product [currency/kg or currency/kg_REO]: the
        constant price at which the plant's (or the chain's) after-tax NPV at the hurdle rate is
        zero, its other products at import prices; None where it sells none of the product.
    """
    data = sol.data
    years = list(data.years)
    base = scenario.base_year
    start = years[0] - base
    books = plant_books(sol, scenario, to_currency)
    members = product_members(data, scenario)
    guess = {p: _market_price(data, m, to_currency) for p, m in members.items()}
    tables, figures = {}, {}
    for name, b in books.items():
        rate = b.terms.hurdle_rate
        tables[name] = table_of(run_ledger(b, years), rate, base)
        figures[name] = figures_of(tables[name], rate)
        figures[name]["msp"] = {}
        for p in _priced_products([b], members, net=False):

            def plant_npv(x, b=b, p=p, rate=rate):
                lines = run_ledger(b, years, {p: x[0]}, members)
                return np.atleast_1d(_present_value(lines, rate, start))

            price = minimum_price(plant_npv, guess[p])
            figures[name]["msp"][p] = price / 1e3 if price is not None else None
    rates = {b.terms.hurdle_rate for b in books.values()}
    chain_rate = rates.pop() if len(rates) == 1 else scenario.discount_rate
    tables["chain"] = chain_table(tables, years, chain_rate, base)
    figures["chain"] = figures_of(tables["chain"], chain_rate)
    figures["chain"]["msp"] = {}
    for p in _priced_products(list(books.values()), members, net=True):

        def chain_npv(x, p=p):
            total = 0.0
            for b in books.values():
                lines = run_ledger(b, years, {p: x[0]}, members, purchases_too=True)
                total = total + _present_value(lines, chain_rate, start)
            return np.atleast_1d(total)

        price = minimum_price(chain_npv, guess[p])
        figures["chain"]["msp"][p] = price / 1e3 if price is not None else None
    return PlanFinance(tables, figures, scenario.currency)


def chain_table(tables: dict[str, pd.DataFrame], years: list[int], rate: float,
                base_year: int) -> pd.DataFrame:
    """The chain's cash-flow table: the plants' money columns summed year by year."""
    chain = pd.DataFrame({"year": years})
    for column in MONEY_COLUMNS:
        chain[column] = sum((t[column].to_numpy() for t in tables.values()),
                            np.zeros(len(years)))
    chain["discount_factor"] = discount_factors(rate, len(years), years[0] - base_year)
    chain["present_value"] = chain["net_cash_flow"] * chain["discount_factor"]
    return chain[list(TABLE_COLUMNS)]


def with_units(table: pd.DataFrame, currency: str) -> pd.DataFrame:
    """A cash-flow table with the unit in each money column's header (for files)."""
    names = {c: f"{c} [{currency}/yr]" for c in MONEY_COLUMNS}
    names["present_value"] = f"present_value [{currency}]"
    names["loss_carried"] = f"loss_carried [{currency}]"  # a balance at the year's end
    names["discount_factor"] = "discount_factor [-]"
    return table.rename(columns=names)


__all__ = ["TABLE_COLUMNS", "MONEY_COLUMNS", "PlantBooks", "PlanFinance", "Scale", "plant_books",
           "run_ledger", "table_of", "figures_of", "minimum_price", "product_members",
           "plan_finance", "chain_table", "with_units"]
