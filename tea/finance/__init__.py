"""Finance: cash-flow tables per plant and per chain, NPV, IRR, payback and levelized cost.

Modules
-------
:mod:`tea.finance.basics`        ``npv``, ``irr``, ``payback``, ``discount_factors``,
                                 ``salvage_fraction``
:mod:`tea.finance.ledger`       ``ledger``: the cash-flow lines of a project on a calendar (one
                                 implementation of construction, depreciation, working capital,
                                 debt, tax with losses carried forward, salvage)
:mod:`tea.finance.depreciation`  straight line, declining balance, MACRS (IRS Pub. 946), custom
:mod:`tea.finance.cashflow`      :class:`PlantCashFlowInputs`, ``cash_flow_table``,
                                 ``cash_flow_arrays``
:mod:`tea.finance.chain`         ``chain_cash_flows``, ``chain_arrays`` (sum of plants)
:mod:`tea.finance.levelized`     ``kpis``, ``levelized_cost`` (allocation rules for co-products)
"""

from tea.finance.basics import (
    cumulative_discounted,
    discount_factors,
    irr,
    npv,
    payback,
    salvage_fraction,
)
from tea.finance.cashflow import PlantCashFlowInputs, cash_flow_arrays, cash_flow_table
from tea.finance.chain import chain_arrays, chain_cash_flows, money_column
from tea.finance.ledger import CASH_LINES, INFO_LINES, LedgerTerms, Tranche, ledger
from tea.finance.levelized import (
    ALLOCATIONS,
    LevelizedCost,
    kpis,
    levelized_cost,
    with_discounting,
)

__all__ = [
    "npv", "irr", "payback", "discount_factors", "cumulative_discounted", "salvage_fraction",
    "LedgerTerms", "Tranche", "ledger",
    "CASH_LINES", "INFO_LINES", "PlantCashFlowInputs", "cash_flow_arrays", "cash_flow_table",
    "chain_cash_flows", "chain_arrays", "money_column", "ALLOCATIONS", "LevelizedCost", "kpis",
    "levelized_cost", "with_discounting",
]
