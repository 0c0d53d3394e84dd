"""Oxalate precipitation and calcination: a separated RE solution -> its oxide.

Stoichiometry
    ``2 RE3+ + 3 H2C2O4 -> RE2(C2O4)3 + 6 H+``: 1.5 mol oxalic acid per mol RE.  Oxalic acid is
    bought as the dihydrate H2C2O4.2H2O (126.07 g/mol), so one kg of Nd2O3 needs
    ``1.5 x 2 / 336.48 x 126.07 = 1.12 kg`` at stoichiometry and ``1.87 kg`` at 60 % efficiency
    (the 1.6-1.9 kg quoted in practice).  The acid dosed follows the RE fed: ``m = 1.5 n_RE / eta
    x M``.

Calcination of the oxalate at 850-1,000 C gives the usual oxide (CeO2, Pr6O11, Tb4O7, R2O3); its
energy is an assumption parameter [kWh per t REO produced].  The non-RE species of the feed stay
in the filtrate (reported with the losses).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from tea.elements import ATOMIC_MASS
from tea.errors import InputError
from tea.process.beneficiation import element_recovery_vector
from tea.streams import Stream
from tea.units import Q_

OXALIC_DIHYDRATE_MOLAR_MASS = 2 * 1.008 + 2 * 12.011 + 4 * 15.999 + 2 * (2 * 1.008 + 15.999)
"""Molar mass of H2C2O4.2H2O [g/mol] (IUPAC 2021 conventional atomic weights): 126.065."""


@dataclass(frozen=True)
class PrecipitationParams:
    """Parameters of oxalate precipitation and calcination.

    Parameters
    ----------
    recovery : float or array
        Default RE recovery to the oxide [-] (97-99.5 %, typical range [E]).
    element_recovery : mapping
        Per-element overrides [-].
    oxalic_ratio : float
        mol H2C2O4 per mol RE at stoichiometry [mol/mol] (1.5).
    oxalic_efficiency : float or array
        Stoichiometric / actual oxalic acid use [-] (~0.6 in practice).
    calcination_energy : float or array
        Energy per t of oxide produced [kWh/t_REO] (assumption).
    sources : mapping
    """

    recovery: float | np.ndarray = 0.99
    element_recovery: Mapping[str, float] = field(default_factory=dict)
    oxalic_ratio: float = 1.5
    oxalic_efficiency: float | np.ndarray = 0.6
    calcination_energy: float | np.ndarray = 1000.0
    sources: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self):
        element_recovery_vector(self.recovery, self.element_recovery, "precipitation")
        eff = np.asarray(self.oxalic_efficiency, dtype=float)
        if not (np.all(np.isfinite(eff)) and np.all(eff > 0) and np.all(eff <= 1)):
            raise InputError(f"precipitation: oxalic_efficiency must lie in (0, 1], "
                             f"got {self.oxalic_efficiency}", key="oxalic_efficiency")
        for key in ("oxalic_ratio", "calcination_energy"):
            value = np.asarray(getattr(self, key), dtype=float)
            if not (np.all(np.isfinite(value)) and np.all(value >= 0)):
                raise InputError(f"precipitation: {key} must be >= 0, got {value}", key=key)


@dataclass(frozen=True)
class PrecipitationResult:
    """Output of :func:`precipitate`.

    Attributes
    ----------
    oxide : Stream
        Product, RE only, element basis (``oxide.total_reo`` is the oxide mass) [t/yr].
    losses : Stream
        RE not recovered plus the non-RE species of the feed (filtrate) [t/yr].
    oxalic_acid : pint.Quantity
        H2C2O4.2H2O dosed [t/yr].
    oxalic_acid_stoichiometric : pint.Quantity
        The same at 100 % efficiency [t/yr].
    calcination_energy : pint.Quantity
        [MWh/yr].
    recovery : numpy.ndarray
        TREO recovery [-].
    """

    oxide: Stream
    losses: Stream
    oxalic_acid: object
    oxalic_acid_stoichiometric: object
    calcination_energy: object
    recovery: np.ndarray

    @property
    def oxide_reo(self):
        """Oxide produced [t_REO/yr]."""
        return Q_(self.oxide.total_reo, "t_REO/yr")

    @property
    def consumptions(self) -> dict:
        """Reagents [t/yr] and energy [MWh/yr] by name."""
        return {"oxalic_acid_dihydrate": self.oxalic_acid,
                "energy_calcination": self.calcination_energy}


def precipitate(solution: Stream, params: PrecipitationParams | None = None,
                name: str = "oxide") -> PrecipitationResult:
    """Precipitate a RE solution with oxalic acid and calcine it to oxide.

    Parameters
    ----------
    solution : Stream
        Separated RE solution [a mass flow, e.g. t/yr].
    params : PrecipitationParams, optional
        Defaults as in ``inputs/precipitation.csv``.
    name : str
        Name of the oxide stream.

    Returns
    -------
    PrecipitationResult
    """
    params = params or PrecipitationParams()
    feed = solution.to("t/yr")
    rec = element_recovery_vector(params.recovery, params.element_recovery, "precipitation")
    oxide, losses = feed.split(rec, {}, names=(name, f"{name} precipitation losses"))
    mol_re = (feed.re / ATOMIC_MASS).sum(axis=-1) * 1e6  # t -> g, g / (g/mol) = mol per yr
    stoich_t = mol_re * params.oxalic_ratio * OXALIC_DIHYDRATE_MOLAR_MASS / 1e6
    dosed_t = stoich_t / np.asarray(params.oxalic_efficiency, dtype=float)
    energy = oxide.total_reo * np.asarray(params.calcination_energy, dtype=float) / 1000.0
    treo_rec = np.divide(oxide.total_reo, feed.total_reo,
                         out=np.zeros_like(feed.total_reo), where=feed.total_reo > 0)
    return PrecipitationResult(
        oxide=oxide, losses=losses,
        oxalic_acid=Q_(dosed_t, "t/yr"),
        oxalic_acid_stoichiometric=Q_(stoich_t, "t/yr"),
        calcination_energy=Q_(energy, "MWh/yr"),
        recovery=treo_rec,
    )

