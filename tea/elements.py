"""The rare-earth element table: fixed order, atomic masses, usual oxides and oxide factors.

The order is the 14 lanthanides without Pm (La..Lu), then Y and Sc.  Every element-resolved array
in the package follows it (``ELEMENTS.index("Nd")`` is the position of Nd).

Atomic masses are the IUPAC 2021 standard atomic weights (abridged to the digits given there,
Prohaska et al., Pure Appl. Chem. 94 (2022) 573).  The usual oxide is R2O3, except CeO2, Pr6O11
and Tb4O7 (the forms sold and reported in REO totals).  Oxide factors are computed from the
formulas: ``factor = (x M_R + y M_O) / (x M_R)`` [kg oxide / kg element].
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

O_MASS = 15.999
"""Atomic mass of oxygen [g/mol] (IUPAC 2021, conventional value)."""


@dataclass(frozen=True)
class Element:
    """One rare-earth element.

    Attributes
    ----------
    symbol : str
    name : str
    atomic_mass : float
        [g/mol]
    oxide : str
        Formula of the usual oxide.
    oxide_atoms : tuple[int, int]
        (x, y) in R_x O_y.
    group : str
        ``"light"``, ``"medium"`` (SEG: Sm, Eu, Gd) or ``"heavy"``.
    """

    symbol: str
    name: str
    atomic_mass: float
    oxide: str
    oxide_atoms: tuple[int, int]
    group: str

    @property
    def oxide_molar_mass(self) -> float:
        """Molar mass of the oxide formula unit R_x O_y [g/mol]."""
        x, y = self.oxide_atoms
        return x * self.atomic_mass + y * O_MASS

    @property
    def oxide_factor(self) -> float:
        """Oxide mass per element mass [kg oxide / kg element]."""
        x, _ = self.oxide_atoms
        return self.oxide_molar_mass / (x * self.atomic_mass)


_TABLE = (
    ("La", "lanthanum", 138.90547, (2, 3), "light"),
    ("Ce", "cerium", 140.116, (1, 2), "light"),
    ("Pr", "praseodymium", 140.90766, (6, 11), "light"),
    ("Nd", "neodymium", 144.242, (2, 3), "light"),
    ("Sm", "samarium", 150.36, (2, 3), "medium"),
    ("Eu", "europium", 151.964, (2, 3), "medium"),
    ("Gd", "gadolinium", 157.25, (2, 3), "medium"),
    ("Tb", "terbium", 158.925354, (4, 7), "heavy"),
    ("Dy", "dysprosium", 162.500, (2, 3), "heavy"),
    ("Ho", "holmium", 164.930329, (2, 3), "heavy"),
    ("Er", "erbium", 167.259, (2, 3), "heavy"),
    ("Tm", "thulium", 168.934219, (2, 3), "heavy"),
    ("Yb", "ytterbium", 173.045, (2, 3), "heavy"),
    ("Lu", "lutetium", 174.9668, (2, 3), "heavy"),
    ("Y", "yttrium", 88.905838, (2, 3), "heavy"),
    ("Sc", "scandium", 44.955907, (2, 3), "heavy"),
)


def _formula(symbol: str, atoms: tuple[int, int]) -> str:
    x, y = atoms
    return f"{symbol}{x if x > 1 else ''}O{y if y > 1 else ''}"


TABLE: tuple[Element, ...] = tuple(
    Element(sym, name, mass, _formula(sym, atoms), atoms, group)
    for sym, name, mass, atoms, group in _TABLE
)
ELEMENTS: tuple[str, ...] = tuple(e.symbol for e in TABLE)
"""Element symbols in the package's fixed order."""
N_ELEMENTS = len(ELEMENTS)
BY_SYMBOL: dict[str, Element] = {e.symbol: e for e in TABLE}
ATOMIC_MASS = np.array([e.atomic_mass for e in TABLE])
"""Atomic masses in element order [g/mol]."""
OXIDE_FACTOR = np.array([e.oxide_factor for e in TABLE])
"""Oxide mass per element mass in element order [kg/kg]."""


def element(symbol: str) -> Element:
    """Look up an element by symbol; raise ``KeyError`` with the valid symbols otherwise."""
    try:
        return BY_SYMBOL[symbol]
    except KeyError:
        raise KeyError(
            f"unknown rare-earth element {symbol!r} (expected one of {', '.join(ELEMENTS)})"
        ) from None


def index(symbol: str) -> int:
    """Position of an element in :data:`ELEMENTS`."""
    element(symbol)
    return ELEMENTS.index(symbol)


_ELEMENT_TO_REO = {"kilogram": "kg_REO", "metric_ton": "t_REO", "kilotonne": "kt_REO",
                   "megatonne": "Mt_REO", "gram": "1e-3 kg_REO"}
_REO_TO_ELEMENT = {"kilogram_REO": "kg", "tonne_REO": "t", "kilotonne_REO": "kt",
                   "megatonne_REO": "Mt"}


def to_oxide(mass, symbol: str):
    """Element mass (or flow, or anything per element mass) -> the same on its oxide basis.

    Parameters
    ----------
    mass : pint.Quantity
        Quantity with mass to the power one, e.g. ``Q_(1, "t")`` or ``Q_(2600, "t/yr")``.
    symbol : str
        Element symbol.

    Returns
    -------
    pint.Quantity
        The oxide quantity in the matching REO units (``t/yr`` -> ``t_REO/yr``).
    """
    return _swap_basis(mass, element(symbol).oxide_factor, _ELEMENT_TO_REO, "[mass]")


def to_element(mass_reo, symbol: str):
    """Oxide quantity (REO units) -> element quantity; the inverse of :func:`to_oxide`."""
    return _swap_basis(mass_reo, 1.0 / element(symbol).oxide_factor, _REO_TO_ELEMENT, "[oxide_mass]")


def _swap_basis(quantity, factor: float, names: dict[str, str], dimension: str):
    from tea.units import ureg

    if quantity.dimensionality.get(dimension, 0) != 1:
        raise ValueError(f"{quantity.units} is not a {dimension.strip('[]')} quantity to the power 1")
    target = ureg.Unit("")
    swapped = False
    for name, exp in quantity.unit_items():
        if name in names and exp == 1 and not swapped:
            target *= ureg.Unit(names[name].split()[-1])
            swapped = True
        else:
            target *= ureg.Unit(name) ** exp
    if not swapped:
        raise ValueError(f"{quantity.units}: expected a plain mass unit (kg, t, kt, Mt) to swap")
    other = "kg_REO / kg" if dimension == "[mass]" else "kg / kg_REO"
    return (quantity * factor * ureg.Quantity(1, other)).to(target)


def nonzero_by_element(values) -> dict[str, float]:
    """``{symbol: value}`` of the positive entries of a vector in :data:`ELEMENTS` order."""
    return {s: float(v) for s, v in zip(ELEMENTS, values, strict=True) if v > 0}
