"""Beneficiation (flotation, gravity/magnetic): ore -> concentrate + tailings.

Model
    Each RE element reports to the concentrate with its recovery (a default for all elements with
    per-element overrides); each non-RE species with its own fraction.  The gangue is then split so
    that the concentrate reaches the target TREO grade ``g``:

    ``gangue_to_conc = TREO_conc / g - RE_conc - species_conc``  (clipped to [0, gangue fed])

    so the grade is met whenever the feed allows it, and the achieved grade is reported either way.
    Without a target grade, ``species_recovery["gangue"]`` (default 1) is used instead.
    Mass pull is concentrate mass / ore mass.  Every split conserves each element and species
    exactly: tailings = feed - concentrate.

Typical figures ([E], common process ranges, no single publication): flotation 60-85 % recovery,
30-40 % REO rougher grade.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from tea.elements import N_ELEMENTS, OXIDE_FACTOR, index
from tea.errors import InputError
from tea.streams import Stream

METHODS = ("flotation", "gravity_magnetic", "apatite_flotation", "none")


def element_recovery_vector(default, overrides: Mapping[str, float], what: str) -> np.ndarray:
    """Recovery per element, shape ``(..., 16)``, from a default (scalar or per sample) and overrides.

    Raises
    ------
    InputError
        If any recovery lies outside [0, 1] or an element symbol is unknown.
    """
    base = np.asarray(default, dtype=float)
    vec = np.repeat(base[..., None], N_ELEMENTS, axis=-1)
    for symbol, value in overrides.items():
        try:
            i = index(symbol)
        except KeyError as exc:
            raise InputError(f"{what}: {exc.args[0]}", key=f"recovery_{symbol}") from None
        vec[..., i] = value
    check_fraction(vec, f"{what}: recovery", "recovery")
    return vec


def check_fraction(value, what: str, key: str | None = None) -> None:
    """Raise :class:`InputError` unless every value is finite and in [0, 1]."""
    arr = np.asarray(value, dtype=float)
    if not (np.all(np.isfinite(arr)) and np.all(arr >= 0) and np.all(arr <= 1)):
        raise InputError(f"{what} must lie in [0, 1], got {value}", key=key)


@dataclass(frozen=True)
class BeneficiationParams:
    """Parameters of one beneficiation method.

    Parameters
    ----------
    method : str
        One of :data:`METHODS`.
    recovery : float or array
        Default RE recovery to the concentrate [-] (per sample allowed).
    element_recovery : mapping
        Per-element overrides, symbol -> fraction [-].
    species_recovery : mapping
        Non-RE species -> fraction to the concentrate [-]; unlisted species 0 (gangue: see
        ``concentrate_grade``).
    concentrate_grade : float, optional
        Target TREO mass fraction of the concentrate [-]; ``None`` for no grade target.
    sources : mapping
        Parameter -> source.
    """

    method: str
    recovery: float | np.ndarray = 0.75
    element_recovery: Mapping[str, float] = field(default_factory=dict)
    species_recovery: Mapping[str, float] = field(default_factory=dict)
    concentrate_grade: float | None = None
    sources: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self):
        if self.method not in METHODS:
            raise InputError(f"unknown beneficiation method {self.method!r} "
                             f"(expected one of {', '.join(METHODS)})", key="method")
        element_recovery_vector(self.recovery, self.element_recovery, f"{self.method}")
        for species, value in self.species_recovery.items():
            check_fraction(value, f"{self.method}: species_{species}", f"species_{species}")
        if self.concentrate_grade is not None:
            g = np.asarray(self.concentrate_grade, dtype=float)
            if not (np.all(np.isfinite(g)) and np.all(g > 0) and np.all(g <= 1)):
                raise InputError(f"{self.method}: concentrate_grade must lie in (0, 1], "
                                 f"got {self.concentrate_grade}", key="concentrate_grade")

    def recovery_vector(self) -> np.ndarray:
        """RE recovery per element [-], shape ``(..., 16)``."""
        return element_recovery_vector(self.recovery, self.element_recovery, self.method)


@dataclass(frozen=True)
class BeneficiationResult:
    """Concentrate and tailings of a beneficiation step.

    Attributes
    ----------
    concentrate, tailings : Stream
    mass_pull : numpy.ndarray
        Concentrate mass / feed mass [-].
    concentrate_grade : numpy.ndarray
        Achieved TREO mass fraction of the concentrate [-].
    recovery : numpy.ndarray
        TREO recovery to the concentrate [-].
    """

    concentrate: Stream
    tailings: Stream
    mass_pull: np.ndarray
    concentrate_grade: np.ndarray
    recovery: np.ndarray


def beneficiate(ore: Stream, params: BeneficiationParams) -> BeneficiationResult:
    """Split an ore stream into concentrate and tailings.

    Parameters
    ----------
    ore : Stream
        Ore feed (any mass or flow unit; gangue as species ``"gangue"``).
    params : BeneficiationParams

    Returns
    -------
    BeneficiationResult
    """
    rec = params.recovery_vector()
    other_rec = {k: np.asarray(params.species_recovery.get(k, 0.0), dtype=float)
                 for k in ore.other if k != "gangue"}
    re_conc = ore.re * rec
    species_conc = sum((ore.other[k] * r for k, r in other_rec.items()),
                       np.zeros(ore.re.shape[:-1]))
    gangue = ore.other.get("gangue", np.zeros(ore.re.shape[:-1]))
    if params.concentrate_grade is None:
        g_rec = np.broadcast_to(np.asarray(params.species_recovery.get("gangue", 1.0), float),
                                gangue.shape)
    else:
        treo_conc = (re_conc * OXIDE_FACTOR).sum(axis=-1)
        needed = treo_conc / params.concentrate_grade - re_conc.sum(axis=-1) - species_conc
        with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
            g_rec = np.divide(needed, gangue, out=np.zeros_like(gangue), where=gangue > 0)
        g_rec = np.clip(np.nan_to_num(g_rec, nan=0.0, posinf=1.0), 0.0, 1.0)
    if "gangue" in ore.other:
        other_rec["gangue"] = g_rec
    conc, tails = ore.split(rec, other_rec, names=("concentrate", "tailings"))
    feed_mass = ore.total
    pull = np.divide(conc.total, feed_mass, out=np.zeros_like(feed_mass), where=feed_mass > 0)
    grade = np.divide(conc.total_reo, conc.total, out=np.zeros_like(feed_mass),
                      where=conc.total > 0)
    treo_rec = np.divide(conc.total_reo, ore.total_reo, out=np.zeros_like(feed_mass),
                         where=ore.total_reo > 0)
    return BeneficiationResult(conc, tails, pull, grade, treo_rec)

