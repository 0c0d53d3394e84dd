"""Deposits and mining: ore streams, material moved, mine life and the mining cost basis.

A :class:`Deposit` holds what a resource statement gives: ore tonnage, TREO grade, the element
distribution of the TREO (oxide basis), the grades of by-product and impurity species, the strip
ratio and the mining method.  :func:`mine` turns an ore throughput into an element-resolved ore
:class:`~tea.streams.Stream` per year, the waste moved with it and the life of the mine.

Ore composition
    Per tonne of ore: ``treo_grade`` t REO, held as element mass (``TREO / oxide factor`` per
    element); the species in ``species_grades`` (``Fe``, ``Th``, ``U`` as element mass; ``Nb2O5``,
    ``Ta2O5``, ``TiO2``, ``P2O5`` as the oxide named); ``gangue`` is the rest, so the ore stream's
    total mass equals the ore rate exactly (the oxygen of the REO is counted in the gangue).

Loading from ``inputs/deposits.csv`` is in :mod:`tea.process.parameters`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from tea.elements import OXIDE_FACTOR
from tea.errors import InputError
from tea.streams import Stream, composition_vector
from tea.units import Q_, ureg

SPECIES = ("Nb2O5", "Ta2O5", "TiO2", "P2O5", "Fe", "Th", "U")
"""Non-RE species a deposit may carry, by name as used in streams."""
GANGUE = "gangue"
MINING_METHODS = ("open_pit", "underground")


@dataclass(frozen=True)
class Deposit:
    """A rare-earth deposit (one resource or reserve statement).

    Parameters
    ----------
    key : str
        Identifier, e.g. ``"tomtor"``.
    name : str
        Display name.
    country : str
        ISO country code.
    ore_tonnage : pint.Quantity
        Ore in the statement [mass, e.g. Mt].
    treo_grade : float
        TREO mass fraction of the ore [-].
    distribution : mapping or numpy.ndarray
        Oxide mass fraction of each element in the TREO, summing to 1 [-].
    strip_ratio : float
        Waste moved per tonne of ore [t/t].
    species_grades : mapping
        Mass fraction of each non-RE species in the ore [-] (names in :data:`SPECIES`).
    mining_method : str
        ``"open_pit"`` or ``"underground"``.
    design_ore_rate : pint.Quantity, optional
        Planned ore throughput [mass/time].
    beneficiation, cracking : str
        Default process choices for the route.
    sources : mapping
        Parameter -> source text.
    """

    key: str
    name: str
    country: str
    ore_tonnage: object
    treo_grade: float
    distribution: np.ndarray
    strip_ratio: float = 0.0
    species_grades: Mapping[str, float] = field(default_factory=dict)
    mining_method: str = "open_pit"
    design_ore_rate: object | None = None
    beneficiation: str = "flotation"
    cracking: str = "sulfuric_bake"
    sources: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self):
        where = f"deposit {self.key!r}"
        tonnage = _as_quantity(self.ore_tonnage, "Mt", f"{where}: ore_tonnage")
        if not np.all(tonnage.magnitude > 0):
            raise InputError(f"{where}: ore_tonnage must be > 0, got {tonnage}", key="ore_tonnage")
        object.__setattr__(self, "ore_tonnage", tonnage.to("Mt"))
        _check_fraction(self.treo_grade, f"{where}: treo_grade", "treo_grade", open_low=True)
        dist = composition_vector(self.distribution, what=f"{where}: TREO distribution")
        object.__setattr__(self, "distribution", dist)
        if not (np.isfinite(self.strip_ratio) and self.strip_ratio >= 0):
            raise InputError(f"{where}: strip_ratio must be >= 0 t/t, got {self.strip_ratio}",
                             key="strip_ratio")
        for species, grade in self.species_grades.items():
            if species not in SPECIES:
                raise InputError(f"{where}: unknown species {species!r} "
                                 f"(expected one of {', '.join(SPECIES)})", key=f"grade_{species}")
            _check_fraction(grade, f"{where}: grade_{species}", f"grade_{species}")
        if self.treo_grade + sum(self.species_grades.values()) > 1:
            raise InputError(f"{where}: TREO and species grades add up to more than the ore",
                             key="treo_grade")
        if self.mining_method not in MINING_METHODS:
            raise InputError(f"{where}: mining_method {self.mining_method!r} "
                             f"(expected one of {', '.join(MINING_METHODS)})", key="mining_method")
        if self.design_ore_rate is not None:
            rate = _as_quantity(self.design_ore_rate, "t/yr", f"{where}: design_ore_rate")
            object.__setattr__(self, "design_ore_rate", rate.to("t/yr"))

    @property
    def contained_treo(self):
        """TREO contained in the statement [Mt_REO]."""
        return Q_(self.ore_tonnage.magnitude * self.treo_grade, "Mt_REO")

    def ore_per_tonne(self) -> Stream:
        """Composition of one tonne of ore as a stream [t]."""
        re = self.treo_grade * self.distribution / OXIDE_FACTOR
        other = {k: float(v) for k, v in self.species_grades.items() if v > 0}
        other[GANGUE] = max(1.0 - re.sum() - sum(other.values()), 0.0)
        return Stream(re, other, "t", f"{self.key} ore")


@dataclass(frozen=True)
class MiningResult:
    """What :func:`mine` returns (all flows per year).

    Attributes
    ----------
    ore : Stream
        Ore to the plant [t/yr].
    waste : pint.Quantity
        Waste moved [t/yr].
    material_moved : pint.Quantity
        Ore plus waste, the mining cost basis [t/yr].
    mine_life : pint.Quantity
        Years to exhaust the statement at this rate [yr].
    treo : pint.Quantity
        TREO in the ore [t_REO/yr].
    """

    ore: Stream
    waste: object
    material_moved: object
    mine_life: object
    treo: object

    @property
    def cost_basis(self):
        """Material moved, the quantity a mining cost per tonne applies to [t/yr]."""
        return self.material_moved


def mine(deposit: Deposit, ore_rate, mining_recovery: float = 1.0) -> MiningResult:
    """Mine a deposit at an ore rate.

    Parameters
    ----------
    deposit : Deposit
    ore_rate : pint.Quantity
        Ore throughput [mass/time]; scalar or an array of samples.
    mining_recovery : float
        Fraction of the stated ore that is mined over the life [-]; scales the mine life.

    Returns
    -------
    MiningResult
    """
    rate = _as_quantity(ore_rate, "t/yr", "ore_rate").to("t/yr").magnitude
    rate = np.asarray(rate, dtype=float)
    if np.any(rate < 0) or not np.all(np.isfinite(rate)):
        raise InputError(f"ore_rate must be >= 0 t/yr, got {rate}", key="ore_rate")
    _check_fraction(mining_recovery, "mining_recovery", "mining_recovery", open_low=True)
    ore = deposit.ore_per_tonne().scaled(rate, unit="t/yr", name="ore")
    waste = rate * deposit.strip_ratio
    reserve_t = deposit.ore_tonnage.to("t").magnitude * mining_recovery
    with np.errstate(divide="ignore"):
        life = np.where(rate > 0, reserve_t / np.where(rate > 0, rate, 1.0), np.inf)
    return MiningResult(
        ore=ore,
        waste=Q_(waste, "t/yr"),
        material_moved=Q_(rate + waste, "t/yr"),
        mine_life=Q_(life, "yr"),
        treo=Q_(ore.total_reo, "t_REO/yr"),
    )


def _as_quantity(value, unit: str, what: str):
    """``value`` as a quantity with the dimension of ``unit`` (plain numbers are read in ``unit``)."""
    if not isinstance(value, ureg.Quantity):
        value = Q_(np.asarray(value, dtype=float), unit)
    if value.dimensionality != ureg.Quantity(1, unit).dimensionality:
        raise InputError(f"{what}: expected a quantity like {unit!r}, got {value.units}")
    return value


def _check_fraction(value, what: str, key: str, open_low: bool = False) -> None:
    arr = np.asarray(value, dtype=float)
    low_ok = arr > 0 if open_low else arr >= 0
    if not (np.all(np.isfinite(arr)) and np.all(low_ok) and np.all(arr <= 1)):
        bounds = "(0, 1]" if open_low else "[0, 1]"
        raise InputError(f"{what} must lie in {bounds}, got {value}", key=key)
