"""The numbers the build-out optimizer consumes: a validated, frozen ``ChainData``.

``tea.chain`` turns a scenario into this object; ``tea.optimize.synthetic`` generates one of any
size. Nothing here knows about process models or pint: every field is a plain number in the
optimizer's base units.

Base units
----------
- mass: t of element for element-resolved commodities (``element != ""``), t of product otherwise
  (ore, magnets); rates in t/yr;
- activity: the option's own activity unit (t/yr of its reference stream), in which
  ``capacity_per_module`` and the mode coefficients are stated;
- money: MUSD (million US dollars of the scenario's base year, real terms);
- time: calendar years, cash flows at year end, discounted to the end of ``base_year`` with
  ``(1 + r) ** -(year - base_year)``.

Network
-------
One national market node. Every site ships tradeable commodities to the market and receives them
from it at ``transport_cost_musd_per_tkm * distance_to_market_km * shipping_mass`` per t. A flow
from site A to site B is the pair (A -> market, market -> B): this hub model keeps transport
variables at O(commodities x sites x years) instead of O(sites^2 x commodities x years), at the
price of charging A->B as the distance through the hub. Where that detour misleads (two Siberian
sites 4,000 km from each other and 4,000-7,000 km from a Moscow hub), a direct ``routes`` row
(site pair and distance, usable both ways) lets A ship straight to B at its own distance.

``shipping_mass`` [t moved per t of the commodity's unit] turns a t of element into the mass that
travels: a t of Nd in a 35 %-REO concentrate moves as about 3.4 t of concentrate, a t of Nd in
oxide as 1.17 t of Nd2O3 (default 1: the commodity moves as stated).

Import share
------------
For a year with a cap, ``share = sum_k reo_factor_k * imports_k / sum_k reo_factor_k *
delivered_k``: the REO-weighted imports of rare-earth commodities (``element != ""`` or
``reo_factor != 1``: every commodity with an import price row whose REO weight is positive) over the
REO-weighted deliveries that meet demand in that year. Intermediates imported to feed domestic
plants count as imports.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from tea.errors import InputError
from tea.finance import discount_factors

OBJECTIVES = ("min_cost", "max_npv")

_COLUMNS = {
    "sites": ["region", "distance_to_market_km"],
    "commodities": ["material", "element", "tradeable", "reo_factor"],
    "options": [
        "technology", "site", "stage", "capacity_per_module", "max_modules", "existing_modules",
        "capex_per_module", "fixed_opex_per_module", "lead_time", "lifetime", "first_build_year",
        "jobs_per_module", "deposit", "ramp_up",
    ],
    "modes": ["option", "mode", "capacity_use", "variable_opex"],
    "coefficients": ["option", "mode", "commodity", "coef"],
    "demand": ["group", "year", "amount"],
    "demand_groups": ["group", "commodity", "weight"],
    "imports": ["commodity", "year", "price", "cap"],
    "exports": ["commodity", "year", "price", "cap"],
    "resources": ["limit"],
    "routes": ["site_a", "site_b", "distance_km"],
}


def _fail(table: str, column: str | None, message: str) -> None:
    raise InputError(message, file=f"ChainData.{table}", key=column)


@dataclass(frozen=True)
class ChainData:
    """Everything the multi-period build-out model needs, in base units (see module docstring).

    Attributes
    ----------
    years : list[int]
        Consecutive planning years.
    base_year : int
        Year the discounting refers to (end of that year).
    discount_rate : float
        Real discount rate [fraction/yr].
    objective : str
        ``"min_cost"`` or ``"max_npv"``.
    sites : DataFrame
        Index ``site``; ``region``, ``distance_to_market_km`` [km].
    commodities : DataFrame
        Index ``commodity``; ``material``, ``element`` ("" if not element-resolved), ``tradeable``
        (bool), ``reo_factor`` [t REO / t]; optional ``disposal_cost`` [MUSD/t] (NaN: the site may
        not dispose of it; a missing column means free disposal of surplus at the producing site)
        and ``shipping_mass`` [t moved / t, > 0; default 1].
    options : DataFrame
        Index ``option``; columns listed in ``_COLUMNS["options"]`` (capacities [activity/yr],
        capex [MUSD/module], fixed opex [MUSD/(module yr)], lead time and lifetime [yr]).
        Optional: ``existing_from_year`` (int, default the first year): the year the existing
        modules enter service (a committed plant starting later); ``in_budget`` (bool, default
        True): False when the option's capex is funded outside the budget (it still counts in
        the objective, not in the budget rows).
    modes : DataFrame
        ``option``, ``mode``, ``capacity_use`` [-], ``variable_opex`` [MUSD / activity unit].
    coefficients : DataFrame
        ``option``, ``mode``, ``commodity``, ``coef`` [t / activity unit; < 0 consumed].
    demand, demand_groups : DataFrame
        ``group``, ``year``, ``amount`` [t/yr of the group's unit]; ``group``, ``commodity``,
        ``weight`` [group unit / t].
    imports, exports : DataFrame
        ``commodity``, ``year``, ``price`` [MUSD/t], ``cap`` [t/yr, inf = none, 0 = banned].
    resources : DataFrame
        Index ``deposit``; ``limit`` [activity units over the horizon].
    routes : DataFrame
        Direct links between two sites, usable both ways: ``site_a``, ``site_b``,
        ``distance_km`` [km] (default: none; every flow goes through the market hub).
    transport_cost_musd_per_tkm : float
        [MUSD/(t km)], charged per t moved (``shipping_mass``) and km.
    budget_total, budget_per_year : float or None
        Overnight capex of new builds, undiscounted [MUSD; MUSD/yr].
    budget_currency_per_musd : float
        Units of the budget's currency per MUSD (e.g. RUB_2025 per MUSD), for reporting.
    budget_unit : str
        Name of the budget's currency, e.g. ``"RUB_2025"``.
    import_share_cap : dict[int, float]
        Year -> largest import share [fraction].
    min_production : dict[int, float]
        Year -> smallest domestic oxide production [t REO/yr]: the REO-weighted gross output
        (``reo_factor`` x t) of commodities whose ``material`` is ``"oxide"``, summed over sites.
    build_every : int
        Builds are allowed only every ``build_every`` years counted from each option's first
        build year (or the first year, if later) (1: every year). A coarser grid shrinks the
        MILP; see ``tea.optimize.model``.
    slack_penalty : float
        [MUSD per unit of slack] price of the slack variables used by the diagnosis.
    """

    years: list[int]
    base_year: int
    discount_rate: float
    objective: str
    sites: pd.DataFrame
    commodities: pd.DataFrame
    options: pd.DataFrame
    modes: pd.DataFrame
    coefficients: pd.DataFrame
    demand: pd.DataFrame
    demand_groups: pd.DataFrame
    imports: pd.DataFrame
    exports: pd.DataFrame
    resources: pd.DataFrame
    transport_cost_musd_per_tkm: float = 0.0
    budget_total: float | None = None
    budget_per_year: float | None = None
    budget_currency_per_musd: float = 1.0
    budget_unit: str = "MUSD"
    import_share_cap: dict[int, float] = field(default_factory=dict)
    slack_penalty: float = 1e3
    min_production: dict[int, float] = field(default_factory=dict)
    build_every: int = 1
    routes: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["site_a", "site_b", "distance_km"]))

    def __post_init__(self):
        self.validate()

    # ------------------------------------------------------------------ checks
    def validate(self) -> None:
        """Check references, signs, fractions, years and integers.

        Raises
        ------
        InputError
            Naming the table (``file``) and column (``key``) of the first bad value.
        """
        for table, cols in _COLUMNS.items():
            df = getattr(self, table)
            if not isinstance(df, pd.DataFrame):
                _fail(table, None, "expected a pandas DataFrame")
            missing = [c for c in cols if c not in df.columns]
            if missing:
                _fail(table, missing[0], f"missing column {missing[0]!r}")
        years = list(self.years)
        if not years or any(b - a != 1 for a, b in zip(years, years[1:], strict=False)):
            _fail("years", None, f"years must be consecutive and non-empty, got {years}")
        if self.objective not in OBJECTIVES:
            _fail("objective", None, f"expected one of {OBJECTIVES}, got {self.objective!r}")
        if not 0 <= self.discount_rate < 1:
            _fail("discount_rate", None, f"expected a fraction in [0, 1), got {self.discount_rate}")
        self._check_unique()
        self._check_refs()
        self._check_numbers(years)

    def _check_unique(self) -> None:
        for table in ("sites", "commodities", "options", "resources"):
            idx = getattr(self, table).index
            if idx.has_duplicates:
                _fail(table, "index", f"duplicate name {idx[idx.duplicated()][0]!r}")
        for table, keys in (("modes", ["option", "mode"]),
                            ("coefficients", ["option", "mode", "commodity"]),
                            ("demand", ["group", "year"]),
                            ("imports", ["commodity", "year"]),
                            ("exports", ["commodity", "year"])):
            df = getattr(self, table)
            dup = df.duplicated(keys)
            if dup.any():
                _fail(table, ",".join(keys), f"duplicate row {tuple(df.loc[dup, keys].iloc[0])}")

    def _check_refs(self) -> None:
        def ref(table, column, values, known, what):
            bad = sorted(set(values) - set(known), key=str)
            if bad:
                _fail(table, column, f"unknown {what} {bad[0]!r}")

        o = self.options
        ref("options", "site", o["site"], self.sites.index, "site")
        for column in ("site_a", "site_b"):
            ref("routes", column, self.routes[column], self.sites.index, "site")
        deposits = o.loc[o["deposit"].astype(str) != "", "deposit"]
        ref("options", "deposit", deposits, self.resources.index, "deposit")
        ref("modes", "option", self.modes["option"], o.index, "option")
        ref("coefficients", "commodity", self.coefficients["commodity"],
            self.commodities.index, "commodity")
        pairs = set(zip(self.modes["option"], self.modes["mode"], strict=True))
        cpairs = zip(self.coefficients["option"], self.coefficients["mode"], strict=True)
        ref("coefficients", "option,mode", cpairs, pairs, "(option, mode)")
        no_mode = sorted(set(o.index) - set(self.modes["option"]))
        if no_mode:
            _fail("modes", "option", f"option {no_mode[0]!r} has no mode")
        groups = set(self.demand_groups["group"])
        ref("demand", "group", self.demand["group"], groups, "demand group")
        ref("demand_groups", "commodity", self.demand_groups["commodity"],
            self.commodities.index, "commodity")
        trade = self.commodities["tradeable"].astype(bool)
        ref("demand_groups", "commodity", self.demand_groups["commodity"],
            self.commodities.index[trade], "tradeable commodity")
        for t in ("imports", "exports"):
            ref(t, "commodity", getattr(self, t)["commodity"],
                self.commodities.index[trade], "tradeable commodity")

    def _check_numbers(self, years: list[int]) -> None:
        def nonneg(table, column, allow_inf=False):
            v = pd.to_numeric(getattr(self, table)[column], errors="coerce").to_numpy(float)
            bad = np.isnan(v) | (v < 0) | (~np.isfinite(v) & (not allow_inf))
            if bad.any():
                _fail(table, column, f"expected a number >= 0, got {v[bad][0]}")

        def integer(table, column, lo=0):
            v = pd.to_numeric(getattr(self, table)[column], errors="coerce").to_numpy(float)
            bad = np.isnan(v) | (v != np.round(v)) | (v < lo)
            if bad.any():
                _fail(table, column, f"expected an integer >= {lo}, got {v[bad][0]}")

        def fraction(table, column):
            v = pd.to_numeric(getattr(self, table)[column], errors="coerce").to_numpy(float)
            bad = np.isnan(v) | (v < 0) | (v > 1)
            if bad.any():
                _fail(table, column, f"expected a fraction in [0, 1], got {v[bad][0]}")

        def in_horizon(table, column):
            v = getattr(self, table)[column]
            bad = ~v.isin(years)
            if bad.any():
                _fail(table, column, f"year {v[bad].iloc[0]} outside the horizon "
                                     f"{years[0]}-{years[-1]}")

        nonneg("sites", "distance_to_market_km")
        nonneg("commodities", "reo_factor")
        if "shipping_mass" in self.commodities:
            v = pd.to_numeric(self.commodities["shipping_mass"], errors="coerce").to_numpy(float)
            bad = ~(np.isfinite(v) & (v > 0))
            if bad.any():
                _fail("commodities", "shipping_mass", f"expected a number > 0 [t moved per t], "
                                                      f"got {v[bad][0]}")
        nonneg("routes", "distance_km")
        r = self.routes
        same = r["site_a"] == r["site_b"]
        if same.any():
            _fail("routes", "site_b", f"route from {r['site_a'][same].iloc[0]!r} to itself")
        pairs = [frozenset(p) for p in zip(r["site_a"], r["site_b"], strict=True)]
        if len(set(pairs)) != len(pairs):
            _fail("routes", "site_a,site_b", "the same site pair twice (a route runs both ways)")
        for c in ("capacity_per_module", "capex_per_module", "fixed_opex_per_module",
                  "jobs_per_module"):
            nonneg("options", c)
        for c in ("max_modules", "existing_modules", "lead_time", "first_build_year"):
            integer("options", c)
        integer("options", "lifetime", lo=1)
        fraction("options", "ramp_up")
        if "existing_from_year" in self.options:
            integer("options", "existing_from_year")
        if "in_budget" in self.options:
            v = self.options["in_budget"]
            if not v.map(lambda b: isinstance(b, (bool, np.bool_))).all():
                _fail("options", "in_budget", f"expected True or False, got "
                                              f"{v[~v.map(lambda b: isinstance(b, (bool, np.bool_)))].iloc[0]!r}")
        o = self.options
        over = o["existing_modules"] > o["max_modules"]
        if over.any():
            _fail("options", "existing_modules",
                  f"option {o.index[over][0]!r} has more existing than max_modules")
        nonneg("modes", "capacity_use")
        nonneg("modes", "variable_opex")
        nonneg("demand", "amount")
        nonneg("demand_groups", "weight")
        nonneg("resources", "limit", allow_inf=True)
        for t in ("imports", "exports"):
            nonneg(t, "price")
            nonneg(t, "cap", allow_inf=True)
            in_horizon(t, "year")
        in_horizon("demand", "year")
        coef = pd.to_numeric(self.coefficients["coef"], errors="coerce")
        if coef.isna().any() or not np.isfinite(coef).all():
            _fail("coefficients", "coef", "expected finite numbers")
        for name in ("budget_total", "budget_per_year"):
            v = getattr(self, name)
            if v is not None and not v >= 0:
                _fail(name, None, f"expected a number >= 0 or None, got {v}")
        if not self.budget_currency_per_musd > 0:
            _fail("budget_currency_per_musd", None, "expected a number > 0")
        if self.transport_cost_musd_per_tkm < 0:
            _fail("transport_cost_musd_per_tkm", None, "expected a number >= 0")
        for y, s in self.import_share_cap.items():
            if y not in years:
                _fail("import_share_cap", str(y), "year outside the horizon")
            if not 0 <= s <= 1:
                _fail("import_share_cap", str(y), f"expected a fraction in [0, 1], got {s}")
        for y, t in self.min_production.items():
            if y not in years:
                _fail("min_production", str(y), "year outside the horizon")
            if not (np.isfinite(t) and t >= 0):
                _fail("min_production", str(y), f"expected a number >= 0 [t REO/yr], got {t}")
        if int(self.build_every) != self.build_every or self.build_every < 1:
            _fail("build_every", None, f"expected an integer >= 1, got {self.build_every}")
        if not self.slack_penalty > 0:
            _fail("slack_penalty", None, "expected a number > 0")

    # ----------------------------------------------------------------- helpers
    def discount_factors(self) -> dict[int, float]:
        """Discount factor per year, ``(1 + r) ** -(year - base_year)`` [-] (year-end flows)."""
        years = list(self.years)
        factors = discount_factors(self.discount_rate, len(years), years[0] - self.base_year)
        return dict(zip(years, factors.tolist(), strict=True))

    def existing_from(self) -> pd.Series:
        """Year the existing modules of each option enter service (default: the first year)."""
        if "existing_from_year" not in self.options:
            return pd.Series(self.years[0], index=self.options.index, dtype=int)
        return self.options["existing_from_year"].astype(int)

    def in_budget(self) -> pd.Series:
        """Whether each option's capex counts against the budget (default: True)."""
        if "in_budget" not in self.options:
            return pd.Series(True, index=self.options.index, dtype=bool)
        return self.options["in_budget"].astype(bool)

    def share_commodities(self) -> set[str]:
        """Commodities whose imports count in the import share (see the module docstring)."""
        com = self.commodities
        return set(com.index[com["element"].astype(str) != ""]) | set(
            self.demand_groups["commodity"])

    def shipping_mass(self) -> pd.Series:
        """t moved per t of each commodity (the ``shipping_mass`` column, default 1)."""
        com = self.commodities
        if "shipping_mass" in com:
            return com["shipping_mass"].astype(float)
        return pd.Series(1.0, index=com.index)

    def to_budget_unit(self, musd: float) -> float:
        """Convert MUSD to the budget's currency (``budget_unit``)."""
        return musd * self.budget_currency_per_musd
