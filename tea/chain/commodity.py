"""Commodity names of the optimizer, built and parsed in one place.

A commodity is a material, for element-resolved ones an element (stated in t of that element),
and for some a source that keeps feeds of different compositions apart:

================  ===========================  ===============================================
material          name                         what it is
================  ===========================  ===============================================
``conc``          ``conc:<deposit>:<El>``      concentrate of a deposit
``mixed``         ``mixed:<source>:<El>``      mixed RE solution of one source (a deposit and
                                               its cracking route, or recycled scrap)
``oxide``         ``oxide:<El>``               separated oxide at a plant's purity
``byproduct``     ``byproduct:<El>``           a separation train's unsold concentrates
``metal``         ``metal:<El>``               metal
``scrap``         ``scrap:<source>:<El>``      what a magnet plant sends to a recycler
``magnet``        ``magnet:<grade>``           finished magnets [t of magnet]
================  ===========================  ===============================================
"""

from __future__ import annotations

from dataclasses import dataclass

from tea.elements import ELEMENTS
from tea.errors import InputError

SOURCED = ("conc", "mixed", "scrap")
"""Materials whose name carries a source."""
PLAIN = ("oxide", "byproduct", "metal")
"""Element-resolved materials without a source."""
MATERIALS = (*SOURCED, *PLAIN, "magnet")


@dataclass(frozen=True)
class Commodity:
    """One commodity of the optimizer (see the module docstring)."""

    material: str
    element: str = ""
    source: str = ""

    def __post_init__(self):
        if self.material not in MATERIALS:
            raise InputError(f"unknown commodity material {self.material!r} (expected one of "
                             f"{', '.join(MATERIALS)})", key="commodity")
        if self.material != "magnet" and self.element not in ELEMENTS:
            raise InputError(f"{self.material} commodity needs an element, got "
                             f"{self.element!r}", key="commodity")
        if (self.material in SOURCED or self.material == "magnet") != bool(self.source):
            raise InputError(f"{self.material} commodity: source {self.source!r} is "
                             f"{'missing' if not self.source else 'not expected'}",
                             key="commodity")

    @property
    def name(self) -> str:
        """The commodity's name in the optimizer's tables."""
        if self.material == "magnet":
            return f"magnet:{self.source}"
        if self.material in SOURCED:
            return f"{self.material}:{self.source}:{self.element}"
        return f"{self.material}:{self.element}"

    def __str__(self) -> str:
        return self.name

    @property
    def element_resolved(self) -> bool:
        """True when the commodity is stated in t of one element."""
        return self.material != "magnet"

    @classmethod
    def parse(cls, name: str) -> Commodity:
        """The commodity of a name (the inverse of :attr:`name`)."""
        parts = str(name).split(":")
        material = parts[0]
        if material == "magnet" and len(parts) == 2:
            return cls("magnet", source=parts[1])
        if material in SOURCED and len(parts) == 3:
            return cls(material, parts[2], parts[1])
        if material in PLAIN and len(parts) == 2:
            return cls(material, parts[1])
        raise InputError(f"not a commodity name: {name!r}", key="commodity")

    # constructors, one per material
    @classmethod
    def conc(cls, deposit: str, element: str) -> Commodity:
        return cls("conc", element, deposit)

    @classmethod
    def mixed(cls, source: str, element: str) -> Commodity:
        return cls("mixed", element, source)

    @classmethod
    def scrap(cls, source: str, element: str) -> Commodity:
        return cls("scrap", element, source)

    @classmethod
    def oxide(cls, element: str) -> Commodity:
        return cls("oxide", element)

    @classmethod
    def byproduct(cls, element: str) -> Commodity:
        return cls("byproduct", element)

    @classmethod
    def metal(cls, element: str) -> Commodity:
        return cls("metal", element)

    @classmethod
    def magnet(cls, grade: str) -> Commodity:
        return cls("magnet", source=grade)


def element_of(name: str) -> str:
    """Element of a commodity name ("" for magnets)."""
    return Commodity.parse(name).element


def material_of(name: str) -> str:
    """Material of a commodity name."""
    return Commodity.parse(name).material
