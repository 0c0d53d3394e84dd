"""The typed Scenario a model file becomes: sites, deposits, plants, products, demand, budget.

Every quantity is a pint quantity in the units the file gave (checked for dimension on loading);
money keeps its currency and cost year until :class:`tea.money.MoneyContext` converts it.
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
"""Dimension of a plant's capacity by technology."""

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
        Road/rail distance to the national market hub [km].
    location_factor : float or None
        Capital cost multiplier overriding the region's default [-].
    routes : dict[str, pint.Quantity]
        Direct links to other sites [km], usable both ways; flows between sites without one go
        through the market hub.
    """

    id: str
    name: str
    region: str
    distance_to_market: Any
    location_factor: float | None = None
    routes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Deposit:
    """A deposit in the model, pointing at a row of ``inputs/deposits.csv`` with overrides."""

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
        Capacity of one module, in the technology's capacity unit (:data:`CAPACITY_UNITS`).
    max_modules, existing_modules : int
        Modules that may be built in total, and modules already in service (or committed).
    online_year : int or None
        Year the existing modules start operating (default: the first year of the horizon).
    first_build_year : int
        Earliest year a new module can be started.
    lead_time, lifetime : int
        Construction time and operating life [yr].
    capex : pint.Quantity or None
        Overnight capital cost of one module (money); ``None`` scales it from ``reference_plant``.
    builds : dict[int, int]
        A fixed plan: modules started per year, used by ``tea evaluate`` (the optimizer chooses).
    mining_cost : pint.Quantity or None
        Cost per t of material moved, overriding the default (e.g. zero for ore already mined for
        another product).
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


@dataclass(frozen=True)
class Product:
    """A traded and demanded product: a group of elements as oxide or metal, or a magnet grade."""

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
    """Capital budget in its own currency (total over the horizon and optionally per year)."""

    total: Any = None
    per_year: Any = None
    import_share_cap: dict[int, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Scenario:
    """A loaded and validated model file."""

    path: Path
    name: str
    title: str
    base_year: int
    years: tuple[int, ...]
    currency: str
    discount_rate: float
    objective: str
    fx_date: str
    profit_tax_rate: float
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

    @property
    def first_year(self) -> int:
        return self.years[0]

    @property
    def last_year(self) -> int:
        return self.years[-1]

    def money(self, index: str = "CPI"):
        """The scenario's :class:`tea.money.MoneyContext` (FX of ``fx_date``, given index)."""
        from tea.money import MoneyContext, load_cost_indices, load_fx

        return MoneyContext(load_fx(date=self.fx_date), load_cost_indices(), index)
