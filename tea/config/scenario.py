"""The typed Scenario a model file becomes: sites, deposits, plants, products, demand, budget.

Every quantity is a pint quantity converted by the loader, once, to the base unit its field
documents below (a capacity given as ``"10 kt_REO/yr"`` or ``"1e7 kg_REO/yr"`` is held as
``10000 t_REO/yr``), so code downstream may take magnitudes in those units.  Money keeps the
currency and cost year the file gave (``"7.2e9 RUB_2024"`` stays in RUB_2024; money takes no unit
prefix) until :class:`tea.money.MoneyContext` converts it; only the rest of a money unit is
converted (``"2.5 RUB_2025/kg"`` is held as ``2500 RUB_2025/t``).  ``CUR_YEAR`` below stands for the
file's currency and cost year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TECHNOLOGIES = ("mine", "cracking", "separation", "metal", "magnet", "recycling")
"""Plant technologies a model file may name, in chain order."""

CAPACITY_UNITS = {
    "mine": "t/yr",            # ore mined and beneficiated
    "cracking": "t_REO/yr",    # REO in concentrate fed
    "separation": "t_REO/yr",  # REO in mixed feed
    "metal": "t/yr",           # metal produced
    "magnet": "t/yr",          # finished magnet produced
    "recycling": "t/yr",       # magnet scrap processed
}
"""Base unit of a plant's capacity by technology (the loader converts capacities to it)."""

MATERIALS = ("oxide", "metal", "magnet")
"""Materials a product (demand, import, export) can be."""

OBJECTIVES = ("min_cost", "max_npv")


@dataclass(frozen=True)
class Site:
    """A place where plants can be built.

    Attributes
    ----------
    id, name, region : str
        ``region`` selects wages and the location factor (``inputs/location_factors.csv``).
    distance_to_market : pint.Quantity
        Road/rail distance to the national market hub [km] (base unit km).
    location_factor : float or None
        Capital cost multiplier overriding the region's default [-].
    routes : dict[str, pint.Quantity]
        Direct links to other sites [km] (base unit km), usable both ways; flows between sites
        without one go through the market hub.
    """

    id: str
    name: str
    region: str
    distance_to_market: Any
    location_factor: float | None = None
    routes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Deposit:
    """A deposit in the model, pointing at a row of ``inputs/deposits.csv`` with overrides.

    Attributes
    ----------
    reserve : pint.Quantity or None
        Ore tonnage replacing the table's [Mt] (base unit Mt of ore, as
        :class:`tea.process.mining.Deposit` holds it).
    grade_treo : float or None
        TREO grade replacing the table's [mass fraction of ore].
    """

    id: str
    site: str
    data: str
    reserve: Any = None
    grade_treo: float | None = None


@dataclass(frozen=True)
class Plant:
    """A candidate (or existing) plant: technology x site x size.

    Attributes
    ----------
    capacity : pint.Quantity
        Capacity of one module in the technology's base unit (:data:`CAPACITY_UNITS`: t/yr of ore,
        metal, magnet or scrap; t_REO/yr for cracking and separation).
    max_modules, existing_modules : int
        Modules that may be built in total, and modules already in service (or committed).
    online_year : int or None
        Year the existing modules start operating (default: the first year of the horizon).
    first_build_year : int
        Earliest year a new module can be started.
    lead_time, lifetime : int
        Construction time and operating life [yr], whole years (``"36 month"`` gives 3).
    capex : pint.Quantity or None
        Overnight capital cost of one module [CUR_YEAR], in the currency and cost year the file
        gave; ``None`` scales it from ``reference_plant``.
    builds : dict[int, int]
        A fixed plan: modules started per year, used by ``tea evaluate`` (the optimizer chooses).
    mining_cost : pint.Quantity or None
        Cost per t of material moved [CUR_YEAR/t], overriding the default (e.g. zero for ore
        already mined for another product).
    recovery_case : str or None
        Recycling plants: a recovery case of ``inputs/recycling.csv`` (``seed_before`` 0.55,
        ``seed_after`` 0.78, ``ames_cmi`` 0.97); ``None`` takes the route's default.
    """

    id: str
    technology: str
    site: str
    capacity: Any
    max_modules: int
    existing_modules: int
    online_year: int | None
    first_build_year: int
    lead_time: int
    lifetime: int
    reference_plant: str | None = None
    capex: Any = None
    deposit: str | None = None
    products: tuple[str, ...] = ()
    purity: float = 0.9999
    grade: str | None = None
    tech_level: str | None = None
    route: str | None = None
    budget_counts: bool = True
    builds: dict[int, int] = field(default_factory=dict)
    mining_cost: Any = None
    recovery_case: str | None = None


@dataclass(frozen=True)
class Product:
    """A traded and demanded product: a group of elements as oxide or metal, or a magnet grade.

    Attributes
    ----------
    import_price, export_price : dict[int or None, pint.Quantity]
        Year (``None``: every year) -> price [CUR_YEAR/t_REO for oxides, CUR_YEAR/t for metals and
        magnets].
    import_cap : dict[int or None, pint.Quantity]
        Year -> most that can be imported [:attr:`unit`: t_REO/yr or t/yr].
    """

    id: str
    material: str
    elements: tuple[str, ...] = ()
    grade: str | None = None
    import_price: dict[int, Any] = field(default_factory=dict)
    import_cap: dict[int, Any] = field(default_factory=dict)
    export_price: dict[int, Any] = field(default_factory=dict)

    @property
    def unit(self) -> str:
        """Flow unit of the product: t REO/yr for oxides, t/yr for metals and magnets."""
        return "t_REO/yr" if self.material == "oxide" else "t/yr"


@dataclass(frozen=True)
class Budget:
    """Capital budget in its own currency (total over the horizon and optionally per year).

    Attributes
    ----------
    total, per_year : pint.Quantity or None
        Money [CUR_YEAR], in the currency and cost year the file gave.
    import_share_cap : dict[int, float]
        Year -> largest share of imports in supply [-].
    """

    total: Any = None
    per_year: Any = None
    import_share_cap: dict[int, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Scenario:
    """A loaded and validated model file.

    Attributes
    ----------
    transport_cost : pint.Quantity
        Freight rate [CUR_YEAR/t/km].
    demand : dict[str, dict[int or None, pint.Quantity]]
        Product -> year (``None``: every year) -> demand [the product's unit: t_REO/yr or t/yr].
    targets : dict
        ``production`` [t_REO/yr], ``year``, ``enforce``.
    inputs : tea.config.inputs.InputTables
        The input tables this scenario reads (the package's, or the model's own ``[inputs]``):
        every process, costing, money and chain computation takes its data from here.
    """

    path: Path
    name: str
    title: str
    base_year: int
    years: tuple[int, ...]
    currency: str
    discount_rate: float
    objective: str
    fx_date: str
    profit_tax_rate: float | None
    transport_cost: Any
    budget: Budget
    sites: dict[str, Site]
    deposits: dict[str, Deposit]
    plants: dict[str, Plant]
    products: dict[str, Product]
    demand: dict[str, dict[int, Any]]
    targets: dict[str, Any] = field(default_factory=dict)
    overrides: dict[str, Any] = field(default_factory=dict)  # --scenario KEY=VALUE replacements
    region: str = ""
    finance: Any = None  # tea.config.finance.FinanceSettings
    uncertainty: Any = None  # tea.config.uncertainty.UncertaintySpec
    inputs: Any = field(default=None, repr=False)  # tea.config.inputs.InputTables

    @property
    def first_year(self) -> int:
        return self.years[0]

    @property
    def last_year(self) -> int:
        return self.years[-1]

    def money(self, index: str = "CPI"):
        """The scenario's :class:`tea.money.MoneyContext`: the FX rates of ``fx_date`` and the cost
        indices of its input tables (``inputs``), escalating by ``index``."""
        from tea.money import MoneyContext

        return MoneyContext(self.inputs.fx_table(self.fx_date), self.inputs.cost_indices, index)
