"""What a report is made from: one model's results as plain tables (:class:`RunBundle`).

The analysis layer (:mod:`tea.analysis.run`) fills a bundle from a solved model; the writers in
:mod:`tea.report` turn it into report.md, report.html, figures/*.png, report.xlsx and summary.json.
Column names carry their units in brackets, e.g. ``"capacity [t/yr]"``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass
class RunBundle:
    """One model's results, ready to write.

    Attributes
    ----------
    model_name, title : str
    currency : str
        Reporting currency and cost year, e.g. ``"RUB_2025"``.
    summary : dict
        Headline figures (JSON-ready: numbers, strings, and dicts of them); the regression baseline.
    inputs : DataFrame
        Input values with sources: ``table``, ``key``, ``value``, ``unit``, ``source``.
    cost_tables : dict[str, DataFrame]
        Per plant: ``item``, ``amount``, ``unit``, ``basis`` (totals equal the sum of lines).
    cash_flows : dict[str, DataFrame]
        Per built plant and ``"chain"``: one row per year; money columns in the reporting currency;
        the chain frame has a ``discounted net cash flow`` column whose sum is the NPV.
    build_plan : DataFrame
        ``year``, ``option``, ``technology``, ``site``, ``modules built``, ``capacity added``, ``unit``.
    capacity : DataFrame
        ``year``, ``technology``, ``capacity`` (in the technology's unit), ``unit``.
    supply_curve : DataFrame
        ``option``, ``region`` (e.g. "Russia", "China", "US/Australia"), ``product``,
        ``capacity [t/yr]``, ``levelized cost [USD/kg]``.
    purity_curve : DataFrame
        ``purity``, ``total stages``, ``levelized cost [USD/kg]`` for one separated product.
    pareto : DataFrame
        ``budget [<budget unit>]``, ``objective [<currency>]``, ``import share <year>``, ``status``.
    element_flows : DataFrame
        ``source``, ``target``, ``element``, ``flow [t/yr]`` between chain stages in one year.
    waterfall : DataFrame
        ``step``, ``cost [USD/kg]``: levelized cost of the headline product by chain step.
    uncertainty, tornado, sobol : DataFrame
        Percentiles of the figures over samples of the uncertain inputs; each input at its P10
        and P90; Sobol indices (:mod:`tea.analysis.uncertainty`, :mod:`tea.analysis.sensitivity`).
    samples : DataFrame
        ``product``, ``unit``, ``levelized cost``, ``import price``: the headline product's
        samples.
    tables : dict[str, DataFrame]
        Any further result tables (flows, costs by category, import share, jobs, marginal costs).
    musd_to_currency : float
        Reporting-currency units per MUSD of the base money (the optimizer's money) [currency/MUSD];
        NaN when not known.
    levelized_parts : LevelizedParts or None
        What the levelized costs are computed from (:mod:`tea.analysis.levelized`), for the
        workbook's formulas.
    """

    model_name: str
    title: str
    currency: str
    summary: dict
    inputs: pd.DataFrame = field(default_factory=pd.DataFrame)
    cost_tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    cash_flows: dict[str, pd.DataFrame] = field(default_factory=dict)
    build_plan: pd.DataFrame = field(default_factory=pd.DataFrame)
    capacity: pd.DataFrame = field(default_factory=pd.DataFrame)
    supply_curve: pd.DataFrame = field(default_factory=pd.DataFrame)
    purity_curve: pd.DataFrame = field(default_factory=pd.DataFrame)
    pareto: pd.DataFrame = field(default_factory=pd.DataFrame)
    element_flows: pd.DataFrame = field(default_factory=pd.DataFrame)
    waterfall: pd.DataFrame = field(default_factory=pd.DataFrame)
    uncertainty: pd.DataFrame = field(default_factory=pd.DataFrame)
    tornado: pd.DataFrame = field(default_factory=pd.DataFrame)
    sobol: pd.DataFrame = field(default_factory=pd.DataFrame)
    samples: pd.DataFrame = field(default_factory=pd.DataFrame)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    musd_to_currency: float = float("nan")
    levelized_parts: object = None
