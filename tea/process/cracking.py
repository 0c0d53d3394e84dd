"""Cracking and leaching of a concentrate: concentrate -> mixed RE solution + residue.

Routes (parameters in ``inputs/cracking_routes.csv``):

``sulfuric_bake``
    Concentrated H2SO4 bake and water leach (Baotou, Lynas); Th and Fe stay in the residue.
``hcl_leach``
    HCl leach (Rare Element Resources pilot: 480 kg/t HCl dosed, 350 kg/t fresh; 85-90 %
    extraction; Bear Lodge pre-feasibility study [C]).
``naoh_caustic``
    Caustic digestion of monazite, then selective HCl dissolution of the RE hydroxides.
``chlorination``
    Note for loparite (Solikamsk): carbochlorination; Nb, Ta and Ti leave as volatile chlorides
    (a by-product, counted with the residue here), the RE as a fused chloride melt.
``phosphogypsum_leach``
    REE recovered as a by-product of wet-process phosphoric acid from apatite (Kola): the
    sulfuric attack is the fertiliser plant's and is not charged here; the REE that report to
    the phosphogypsum are leached from it with dilute H2SO4. Reagents are still stated per t of
    the apatite concentrate that made the gypsum; the recovery is the product of the share of
    the REE that reports to the gypsum and the leach extraction.

Model
    Each RE element goes to the solution with its recovery (default with per-element overrides),
    the rest to the residue.  Each non-RE species goes to the residue with its rejection fraction
    (species not listed: wholly to the residue), the rest dissolves.  Reagents and energy scale
    with the concentrate mass fed: ``use = specific [kg/t or kWh/t] x concentrate [t/yr]``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from tea.errors import InputError
from tea.process.beneficiation import check_fraction, element_recovery_vector
from tea.streams import Stream
from tea.units import Q_

ROUTES = ("sulfuric_bake", "hcl_leach", "naoh_caustic", "chlorination", "phosphogypsum_leach")


@dataclass(frozen=True)
class CrackingRoute:
    """Parameters of one cracking/leaching route.

    Parameters
    ----------
    name : str
        One of :data:`ROUTES`.
    recovery : float or array
        Default RE recovery to the solution [-].
    element_recovery : mapping
        Per-element overrides [-].
    rejection : mapping
        Non-RE species -> fraction to the residue [-]; unlisted species go wholly to the residue.
    reagents : mapping
        Reagent -> use per t of concentrate fed [kg/t].
    energy : mapping
        Energy kind -> use per t of concentrate fed [kWh/t].
    sources : mapping
    """

    name: str
    recovery: float | np.ndarray = 0.9
    element_recovery: Mapping[str, float] = field(default_factory=dict)
    rejection: Mapping[str, float] = field(default_factory=dict)
    reagents: Mapping[str, float] = field(default_factory=dict)
    energy: Mapping[str, float] = field(default_factory=dict)
    sources: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self):
        if self.name not in ROUTES:
            raise InputError(f"unknown cracking route {self.name!r} "
                             f"(expected one of {', '.join(ROUTES)})", key="route")
        element_recovery_vector(self.recovery, self.element_recovery, self.name)
        for species, value in self.rejection.items():
            check_fraction(value, f"{self.name}: rejection_{species}", f"rejection_{species}")
        for kind, table in (("reagent", self.reagents), ("energy", self.energy)):
            for key, value in table.items():
                if not (np.all(np.isfinite(value)) and np.all(np.asarray(value) >= 0)):
                    raise InputError(f"{self.name}: {kind}_{key} must be >= 0, got {value}",
                                     key=f"{kind}_{key}")


@dataclass(frozen=True)
class CrackingResult:
    """Output of :func:`crack`.

    Attributes
    ----------
    solution : Stream
        Mixed RE solution (RE plus dissolved species) [flow unit of the feed].
    residue : Stream
        Leach residue (RE losses, Th, Fe, undissolved gangue).
    consumptions : dict[str, pint.Quantity]
        Reagents [t/yr] and energy [MWh/yr].
    recovery : numpy.ndarray
        TREO recovery to the solution [-].
    """

    solution: Stream
    residue: Stream
    consumptions: dict
    recovery: np.ndarray


def crack(concentrate: Stream, route: CrackingRoute) -> CrackingResult:
    """Crack and leach a concentrate.

    Parameters
    ----------
    concentrate : Stream
        Concentrate fed [a mass flow, e.g. t/yr].
    route : CrackingRoute

    Returns
    -------
    CrackingResult
    """
    feed = concentrate.to("t/yr")
    rec = element_recovery_vector(route.recovery, route.element_recovery, route.name)
    to_solution = {k: 1.0 - np.asarray(route.rejection.get(k, 1.0), dtype=float)
                   for k in feed.other}
    solution, residue = feed.split(rec, to_solution, names=("mixed RE solution", "leach residue"))
    mass = feed.total
    consumptions = {name: Q_(mass * kg_per_t / 1000.0, "t/yr")
                    for name, kg_per_t in route.reagents.items()}
    for name, kwh_per_t in route.energy.items():
        consumptions[f"energy_{name}"] = Q_(mass * kwh_per_t / 1000.0, "MWh/yr")
    treo_rec = np.divide(solution.total_reo, feed.total_reo,
                         out=np.zeros_like(feed.total_reo), where=feed.total_reo > 0)
    return CrackingResult(solution, residue, consumptions, treo_rec)
