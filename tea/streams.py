"""Element-resolved material streams.

A :class:`Stream` holds the rare-earth content as a vector over :data:`tea.elements.ELEMENTS`
(always stored on the *element* basis) plus named non-RE species (gangue, Fe, Th, U, Nb, P, ...),
all in one mass or mass-flow unit (``t/yr`` by default).  Leading array axes are samples, so one
Stream can carry many Monte Carlo draws at once: ``re`` has shape ``(..., 16)`` and each other
species has shape ``(...)``.

Oxide-basis views (REO) use each element's oxide factor; a stream made from an REO composition
(:meth:`Stream.from_reo`) is converted on entry, so sums and balances are always on one basis.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

from tea.elements import ELEMENTS, N_ELEMENTS, OXIDE_FACTOR, index
from tea.errors import InputError
from tea.units import Q_, ureg

MASS_UNITS = ("kg", "t", "kt", "Mt")


class StreamError(InputError):
    """A stream built from impossible data (negative flows, bad compositions, wrong units)."""


@dataclass(frozen=True)
class Stream:
    """A material flow: RE elements by element mass, other species by their own mass.

    Parameters
    ----------
    re : numpy.ndarray
        Element masses, shape ``(..., 16)`` in :data:`ELEMENTS` order [unit].
    other : dict[str, numpy.ndarray]
        Non-RE species masses (as the species named, e.g. ``"Fe"``, ``"Th"``, ``"gangue"``) [unit].
    unit : str
        Mass or mass-flow unit of every magnitude, e.g. ``"t/yr"`` or ``"kg"``.
    name : str
        Label used in reports and errors.
    """

    re: np.ndarray
    other: dict[str, np.ndarray] = field(default_factory=dict)
    unit: str = "t/yr"
    name: str = ""

    def __post_init__(self):
        re = np.asarray(self.re, dtype=float)
        if re.shape[-1:] != (N_ELEMENTS,):
            raise StreamError(f"stream {self.name!r}: RE vector must end in {N_ELEMENTS} elements")
        dims = ureg.Quantity(1, self.unit).dimensionality
        if dict(dims) not in ({"[mass]": 1}, {"[mass]": 1, "[time]": -1}):
            raise StreamError(f"stream {self.name!r}: unit {self.unit!r} is not a mass or mass flow")
        if np.any(re < 0) or not np.all(np.isfinite(re)):
            raise StreamError(f"stream {self.name!r}: negative or non-finite element flow")
        other = {}
        for key, value in self.other.items():
            arr = np.broadcast_to(np.asarray(value, dtype=float), re.shape[:-1]).copy()
            if np.any(arr < 0) or not np.all(np.isfinite(arr)):
                raise StreamError(f"stream {self.name!r}: negative or non-finite flow of {key}")
            other[key] = arr
        object.__setattr__(self, "re", re)
        object.__setattr__(self, "other", other)

    # -- construction ---------------------------------------------------------------------------
    @classmethod
    def empty(cls, unit: str = "t/yr", name: str = "", shape: tuple[int, ...] = ()) -> Stream:
        """A stream with nothing in it."""
        return cls(np.zeros((*shape, N_ELEMENTS)), {}, unit, name)

    @classmethod
    def from_elements(
        cls, masses: Mapping[str, float], unit: str = "t/yr", name: str = "",
        other: Mapping[str, float] | None = None,
    ) -> Stream:
        """Build from element masses by symbol, e.g. ``{"Nd": 75, "Pr": 25}`` [unit]."""
        re = np.zeros(N_ELEMENTS)
        for symbol, value in masses.items():
            re[index(symbol)] = value
        return cls(re, dict(other or {}), unit, name)

    @classmethod
    def from_reo(
        cls, total_reo: float | np.ndarray, distribution: Mapping[str, float] | np.ndarray,
        unit: str = "t/yr", name: str = "", other: Mapping[str, float] | None = None,
    ) -> Stream:
        """Build from a total oxide mass and the oxide distribution of the TREO.

        Parameters
        ----------
        total_reo : float or array
            Total rare-earth oxide [unit on oxide basis, e.g. t REO/yr].
        distribution : mapping or array
            Mass fraction of each oxide in the TREO; must sum to 1 (within 1e-6).
        """
        frac = composition_vector(distribution, what=f"stream {name!r} REO distribution")
        total = np.asarray(total_reo, dtype=float)
        if np.any(total < 0):
            raise StreamError(f"stream {name!r}: negative TREO")
        reo = total[..., None] * frac
        return cls(reo / OXIDE_FACTOR, dict(other or {}), unit, name)

    # -- views ----------------------------------------------------------------------------------
    @property
    def re_reo(self) -> np.ndarray:
        """Oxide masses by element [unit on REO basis]."""
        return self.re * OXIDE_FACTOR

    @property
    def total_re(self) -> np.ndarray:
        """Total RE element mass [unit]."""
        return self.re.sum(axis=-1)

    @property
    def total_reo(self) -> np.ndarray:
        """Total rare-earth oxide (TREO) [unit, REO basis]."""
        return self.re_reo.sum(axis=-1)

    @property
    def total(self) -> np.ndarray:
        """RE elements plus all other species [unit]."""
        return self.total_re + sum(self.other.values(), np.zeros(self.re.shape[:-1]))

    def quantity(self, symbol: str, basis: str = "element"):
        """Mass of one element as a pint quantity (``basis="oxide"`` gives REO units)."""
        values = self.re[..., index(symbol)]
        if basis == "oxide":
            return Q_(values * OXIDE_FACTOR[index(symbol)], _reo(self.unit))
        return Q_(values, self.unit)

    def total_quantity(self, basis: str = "element"):
        """Total RE as a pint quantity; ``basis="oxide"`` gives TREO in REO units."""
        if basis == "oxide":
            return Q_(self.total_reo, _reo(self.unit))
        return Q_(self.total_re, self.unit)

    def composition(self, basis: str = "element") -> np.ndarray:
        """Mass fractions of each element in the RE content [-] (zeros for an empty stream)."""
        values = self.re_reo if basis == "oxide" else self.re
        total = values.sum(axis=-1, keepdims=True)
        return np.divide(values, total, out=np.zeros_like(values), where=total > 0)

    def purity(self, product: str | Iterable[str], basis: str = "element") -> np.ndarray:
        """Fraction of the RE content that is ``product`` (one symbol or a group) [-]."""
        symbols = [product] if isinstance(product, str) else list(product)
        comp = self.composition(basis)
        return comp[..., [index(s) for s in symbols]].sum(axis=-1)

    def mole_fractions(self) -> np.ndarray:
        """Mole fractions of each element in the RE content [-]."""
        from tea.elements import ATOMIC_MASS

        mol = self.re / ATOMIC_MASS
        total = mol.sum(axis=-1, keepdims=True)
        return np.divide(mol, total, out=np.zeros_like(mol), where=total > 0)

    def as_dict(self, basis: str = "element") -> dict[str, float]:
        """Non-zero element masses by symbol (for a single-sample stream)."""
        values = self.re_reo if basis == "oxide" else self.re
        return {s: float(v) for s, v in zip(ELEMENTS, values, strict=True) if v > 0}

    # -- arithmetic -----------------------------------------------------------------------------
    def to(self, unit: str) -> Stream:
        """The same stream in another mass or flow unit."""
        factor = ureg.Quantity(1, self.unit).to(unit).magnitude
        return self.scaled(factor, unit=unit)

    def scaled(self, factor, unit: str | None = None, name: str | None = None) -> Stream:
        """Multiply every flow by ``factor`` (scalar or per-sample array)."""
        f = np.asarray(factor, dtype=float)
        return Stream(
            self.re * f[..., None], {k: v * f for k, v in self.other.items()},
            unit or self.unit, self.name if name is None else name,
        )

    def __add__(self, other: Stream) -> Stream:
        if not isinstance(other, Stream):
            return NotImplemented
        rhs = other.to(self.unit) if other.unit != self.unit else other
        keys = set(self.other) | set(rhs.other)
        shape = np.broadcast_shapes(self.re.shape[:-1], rhs.re.shape[:-1])
        zero = np.zeros(shape)
        return Stream(
            self.re + rhs.re,
            {k: self.other.get(k, zero) + rhs.other.get(k, zero) for k in sorted(keys)},
            self.unit, self.name,
        )

    def split(
        self, recovery, other_recovery: Mapping[str, float] | None = None,
        names: tuple[str, str] = ("product", "tails"),
    ) -> tuple[Stream, Stream]:
        """Split into (product, rest) by a recovery per element.

        Parameters
        ----------
        recovery : float, array of shape (..., 16), or mapping symbol -> fraction
            Fraction of each element going to the product [-]; a mapping leaves unnamed
            elements at 0.
        other_recovery : mapping, optional
            Fraction of each other species going to the product [-] (scalar or per-sample
            array); default 0.
        """
        rec = recovery_vector(recovery)
        prod_other, rest_other = {}, {}
        for key, value in self.other.items():
            r = np.asarray((other_recovery or {}).get(key, 0.0), dtype=float)
            _check_fraction(r, f"recovery of {key}")
            prod_other[key] = value * r
            rest_other[key] = value - value * r
        product = Stream(self.re * rec, prod_other, self.unit, names[0])
        rest = Stream(self.re - self.re * rec, rest_other, self.unit, names[1])
        return product, rest

    def with_other(self, **species: float | np.ndarray) -> Stream:
        """A copy with other species set (replacing any of the same name)."""
        return Stream(self.re, {**self.other, **species}, self.unit, self.name)

    def without_other(self) -> Stream:
        """A copy carrying only the RE content."""
        return Stream(self.re, {}, self.unit, self.name)

    def renamed(self, name: str) -> Stream:
        return Stream(self.re, self.other, self.unit, name)

    def __repr__(self) -> str:  # pragma: no cover - cosmetic
        return f"Stream({self.name!r}, TREO={np.round(self.total_reo, 6)} {_reo(self.unit)})"


def composition_vector(values: Mapping[str, float] | np.ndarray, what: str = "composition",
                       tol: float = 1e-6) -> np.ndarray:
    """A vector over ELEMENTS from a mapping or array, checked to be >= 0 and to sum to 1."""
    if isinstance(values, Mapping):
        vec = np.zeros(N_ELEMENTS)
        for symbol, value in values.items():
            vec[index(symbol)] = value
    else:
        vec = np.asarray(values, dtype=float)
    if np.any(vec < 0):
        raise StreamError(f"{what}: negative fraction")
    total = vec.sum(axis=-1)
    if np.any(np.abs(total - 1.0) > tol):
        raise StreamError(f"{what}: fractions sum to {np.round(total, 6)} (expected 1)")
    return vec / total[..., None] if vec.ndim > 1 else vec / total


def recovery_vector(recovery) -> np.ndarray:
    """Per-element recovery from a scalar, a mapping or an array, checked to lie in [0, 1]."""
    if isinstance(recovery, Mapping):
        vec = np.zeros(N_ELEMENTS)
        for symbol, value in recovery.items():
            vec[index(symbol)] = value
    else:
        vec = np.broadcast_to(np.asarray(recovery, dtype=float), (N_ELEMENTS,)) \
            if np.ndim(recovery) == 0 else np.asarray(recovery, dtype=float)
    _check_fraction(vec, "recovery")
    return vec


def _check_fraction(value, what: str) -> None:
    arr = np.asarray(value, dtype=float)
    if np.any(arr < 0) or np.any(arr > 1) or not np.all(np.isfinite(arr)):
        raise StreamError(f"{what} must lie in [0, 1]")


def balance_error(inputs: Iterable[Stream], outputs: Iterable[Stream],
                  species: Iterable[str] = ()) -> float:
    """Largest relative imbalance over elements (and named other species) [-].

    ``max_i |sum(in_i) - sum(out_i)| / max(sum(in_i), tiny)``, the quantity the property tests
    hold below 1e-9.
    """
    ins, outs = list(inputs), list(outputs)
    unit = ins[0].unit
    total_in = sum((s.to(unit).re for s in ins), np.zeros(N_ELEMENTS))
    total_out = sum((s.to(unit).re for s in outs), np.zeros(N_ELEMENTS))
    scale = np.maximum(np.abs(total_in).sum(axis=-1, keepdims=True), 1e-300)
    err = float(np.max(np.abs(total_in - total_out) / scale))
    for key in species:
        a = sum(s.to(unit).other.get(key, 0.0) for s in ins)
        b = sum(s.to(unit).other.get(key, 0.0) for s in outs)
        err = max(err, float(np.max(np.abs(a - b) / np.maximum(np.abs(a), 1e-300))))
    return err


def _reo(unit: str) -> str:
    out = unit
    for name in ("Mt", "kt", "kg", "t"):
        if out == name or out.startswith(name + "/"):
            return out.replace(name, name + "_REO", 1)
    return unit
