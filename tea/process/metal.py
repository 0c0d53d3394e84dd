"""Rare-earth metal making: oxide to metal.

Two processes, parameters in ``inputs/metal_making.csv``:

Molten-salt (fluoride) electrolysis
    For Nd, Pr and NdPr (also La, Ce, Gd).  The oxide dissolves in a REF3-LiF melt and is reduced at
    a W/Mo cathode; the oxygen leaves with the consumable graphite anode,
    ``R2O3 + 3 C -> 2 R + 3 CO`` or ``2 R2O3 + 3 C -> 4 R + 3 CO2``.  The stoichiometric carbon per
    mol of oxygen removed is ``1 / (2 - f)`` mol for a CO share ``f`` of the carbon.  Anode burn is
    the stoichiometric carbon times a factor > 1 (air burn, spalling).
    Off-gas basis: CO and CO2 from that carbon; ``co2_equivalent`` assumes all CO is oxidised
    (``44.009 / 12.011`` kg CO2 per kg anode carbon).  Perfluorocarbons (CF4, C2F6) form during
    anode effects: a risk stated here, entered as ``pfc_per_kg`` (0 unless a figure is given).

Calciothermic reduction
    For Dy and Tb (and the other heavy RE and Y, Sc).  Fluorination ``R2O3 + 6 HF -> 2 RF3 + 3 H2O``
    (Tb4O7 also gives TbF3, 3 HF per Tb), then ``2 RF3 + 3 Ca -> 2 R + 3 CaF2`` in a Ta crucible.
    Ca and HF are the stoichiometric amounts times ``1 + excess``; CaF2 slag is stoichiometric.

Streams are element-basis (:class:`tea.streams.Stream` stores element masses): an "oxide stream" is a
stream whose material is the oxide, its ``re`` the element content.  Metal is ``yield`` times the
feed per element; the rest is the loss stream, so the balance closes exactly.  Consumptions are
pint quantities in the stream's unit (mass) and in kWh or MWh per the stream's time unit (energy).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from tea.elements import ATOMIC_MASS, ELEMENTS, N_ELEMENTS, TABLE
from tea.errors import InputError
from tea.process.downstream_inputs import (
    check_fraction,
    check_nonnegative,
    check_yield,
    parameter_table,
)
from tea.streams import Stream, balance_error
from tea.tables import Rows
from tea.units import Q_

M_C, M_O, M_CA, M_HF, M_CAF2 = 12.011, 15.999, 40.078, 20.006, 78.075
M_CO, M_CO2 = 28.010, 44.009
"""Molar masses [g/mol] (IUPAC 2021 standard atomic weights)."""

PROCESSES = ("electrolysis", "calciothermic")
PARAMETERS = {
    "electrolysis": ("yield", "electricity", "fluoride_salt", "anode_carbon_factor", "co_fraction",
                     "pfc_per_kg"),
    "calciothermic": ("yield", "electricity", "ca_excess", "hf_excess", "crucible"),
}
DEFAULT_PROCESS: dict[str, str] = {
    **{s: "electrolysis" for s in ("La", "Ce", "Pr", "Nd", "Gd")},
    **{s: "calciothermic" for s in ELEMENTS if s not in ("La", "Ce", "Pr", "Nd", "Gd")},
}
"""Process used for each element: light RE and Gd by electrolysis, the rest calciothermic."""

_O_PER_R = np.array([e.oxide_atoms[1] / e.oxide_atoms[0] for e in TABLE])
"""Oxygen atoms per RE atom in each element's usual oxide [mol/mol]."""


@dataclass(frozen=True)
class MetalResult:
    """Outcome of a metal-making step.

    Attributes
    ----------
    feed : Stream
        Oxide fed (element basis) [unit].
    metal : Stream
        Metal produced [unit].
    losses : Stream
        RE not recovered (dross, slag, volatilised fluoride) [unit].
    consumptions : dict[str, pint.Quantity]
        ``electricity`` [MWh/yr for a t/yr stream], masses [stream unit]: ``fluoride_salt``,
        ``anode_carbon``, ``co``, ``co2``, ``co2_equivalent``, ``pfc`` (electrolysis); ``hf``,
        ``calcium``, ``caf2_slag``, ``crucible`` (calciothermic).
    process : str
    """

    feed: Stream
    metal: Stream
    losses: Stream
    consumptions: dict = field(default_factory=dict)
    process: str = ""

    def balance_error(self) -> float:
        """Largest relative element imbalance feed vs metal + losses [-]."""
        return balance_error([self.feed], [self.metal, self.losses])


def parse_metal_params(table: Rows) -> dict[str, dict[str, float]]:
    """Parameters per process of ``metal_making.csv``, validated.

    Returns
    -------
    dict
        ``{"electrolysis": {"yield": .., "electricity": kWh/kg, ...}, "calciothermic": {...}}``.
    """
    path = table.file
    values = parameter_table(table, ("process",))
    out: dict[str, dict[str, float]] = {}
    for (process, parameter), value in values.items():
        if process not in PROCESSES:
            raise InputError(f"unknown process {process!r} (expected {', '.join(PROCESSES)})",
                             file=path, key=f"{process}.{parameter}")
        out.setdefault(process, {})[parameter] = value
    for process in PROCESSES:
        validate_params(process, out.get(process, {}), file=path)
    return out


def validate_params(process: str, params: Mapping[str, float], file=None) -> dict[str, float]:
    """Check a process's parameters: all present, yield in (0, 1], fractions in [0, 1], rest >= 0."""
    if process not in PROCESSES:
        raise InputError(f"unknown metal process {process!r} (expected {', '.join(PROCESSES)})")
    missing = [p for p in PARAMETERS[process] if p not in params]
    if missing:
        raise InputError(f"missing parameter(s) {', '.join(missing)}", file=file, key=process)
    for name, value in params.items():
        key = f"{process}.{name}"
        if name == "yield":
            check_yield(value, file, key)
        elif name == "co_fraction":
            check_fraction(value, file, key)
        else:
            check_nonnegative(value, file, key)
    if process == "electrolysis" and params["anode_carbon_factor"] < 1.0:
        raise InputError(f"must be >= 1 (actual / stoichiometric carbon), got "
                         f"{params['anode_carbon_factor']}", file=file,
                         key=f"{process}.anode_carbon_factor")
    return dict(params)


def _params(tables, process: str, params: Mapping[str, float] | None, yield_: float | None):
    base = tables.metal_making[process]
    merged = {**base, **(params or {})}
    if yield_ is not None:
        merged["yield"] = yield_
    return validate_params(process, merged)


def _mass(values, unit: str, per_kg: float = 1.0):
    """Mass consumption in the stream unit from a per-kg-metal figure."""
    return Q_(np.asarray(values, dtype=float) * per_kg, unit)


def energy_unit(unit: str) -> str:
    """Energy unit matching a mass (flow) unit: ``t/yr`` -> ``MWh/yr``, ``kg`` -> ``kWh``."""
    mass, _, time = unit.partition("/")
    energy = "kWh" if mass.strip() in ("kg", "g") else "MWh"
    return f"{energy}/{time}" if time else energy


def _energy(metal_mass, unit: str, kwh_per_kg: float):
    q = Q_(np.asarray(metal_mass, dtype=float), unit) * Q_(kwh_per_kg, "kWh/kg")
    return q.to(energy_unit(unit))


def electrolysis(oxide: Stream, params: Mapping[str, float] | None = None,
                 yield_: float | None = None, *, tables) -> MetalResult:
    """Molten-salt fluoride electrolysis of an oxide stream (Nd, Pr, NdPr, ...).

    Parameters
    ----------
    oxide : Stream
        Oxide feed, element basis [mass or mass flow].
    params : mapping, optional
        Overrides of ``inputs/metal_making.csv`` (``electrolysis`` rows).
    yield_ : float, optional
        Oxide-to-metal recovery in (0, 1] [-]; overrides ``params["yield"]``.
    tables : InputTables
        The input tables (:class:`tea.config.inputs.InputTables` or any object with the
        attribute used): ``metal_making``, the parameters of :func:`parse_metal_params`.

    Returns
    -------
    MetalResult
    """
    p = _params(tables, "electrolysis", params, yield_)
    metal, losses = oxide.split(p["yield"], names=("metal", "electrolysis_losses"))
    metal = metal.without_other()
    losses = losses.without_other()
    unit = oxide.unit
    # moles of O removed, scaled by the stream's mass unit (mass / molar mass * molar mass = mass)
    mol_o = (metal.re / ATOMIC_MASS * _O_PER_R).sum(axis=-1)
    f = p["co_fraction"]
    stoich_c = mol_o / (2.0 - f) * M_C  # stoichiometric anode carbon [stream unit]
    carbon = stoich_c * p["anode_carbon_factor"]
    total = metal.total_re
    cons = {
        "electricity": _energy(total, unit, p["electricity"]),
        "fluoride_salt": _mass(total, unit, p["fluoride_salt"]),
        "anode_carbon": _mass(carbon, unit),
        "co": _mass(stoich_c * f * M_CO / M_C, unit),
        "co2": _mass((stoich_c * (1 - f) + (carbon - stoich_c)) * M_CO2 / M_C, unit),
        "co2_equivalent": _mass(carbon * M_CO2 / M_C, unit),
        "pfc": _mass(total, unit, p["pfc_per_kg"]),
    }
    return MetalResult(oxide, metal, losses, cons, "electrolysis")


def calciothermic_reduction(oxide: Stream, params: Mapping[str, float] | None = None,
                            yield_: float | None = None, *, tables) -> MetalResult:
    """Fluorination with HF and calciothermic reduction of an oxide stream (Dy, Tb, ...).

    Parameters
    ----------
    oxide : Stream
        Oxide feed, element basis [mass or mass flow].
    params : mapping, optional
        Overrides of ``inputs/metal_making.csv`` (``calciothermic`` rows).
    yield_ : float, optional
        Recovery in (0, 1] [-].
    tables : InputTables
        The input tables (:class:`tea.config.inputs.InputTables` or any object with the
        attribute used): ``metal_making``, the parameters of :func:`parse_metal_params`.

    Returns
    -------
    MetalResult
    """
    p = _params(tables, "calciothermic", params, yield_)
    metal, losses = oxide.split(p["yield"], names=("metal", "calciothermic_losses"))
    metal = metal.without_other()
    losses = losses.without_other()
    unit = oxide.unit
    mol_re = (oxide.re / ATOMIC_MASS).sum(axis=-1)  # all the feed is fluorinated and reduced
    cons = {
        "electricity": _energy(metal.total_re, unit, p["electricity"]),
        "hf": _mass(3.0 * mol_re * M_HF * (1 + p["hf_excess"]), unit),
        "calcium": _mass(1.5 * mol_re * M_CA * (1 + p["ca_excess"]), unit),
        "caf2_slag": _mass(1.5 * mol_re * M_CAF2, unit),
        "crucible": _mass(metal.total_re, unit, p["crucible"]),
    }
    return MetalResult(oxide, metal, losses, cons, "calciothermic")


def oxide_to_metal(oxide: Stream, process_of: Mapping[str, str] | None = None,
                   params: Mapping[str, Mapping[str, float]] | None = None, *,
                   tables) -> MetalResult:
    """Make metal from a mixed oxide stream, each element by its process.

    Parameters
    ----------
    oxide : Stream
        Separated oxides, element basis [mass or mass flow].
    process_of : mapping, optional
        Element symbol -> ``"electrolysis"`` or ``"calciothermic"``; default
        :data:`DEFAULT_PROCESS`.
    params : mapping, optional
        ``{process: {parameter: value}}`` overrides.
    tables : InputTables
        The input tables (:class:`tea.config.inputs.InputTables` or any object with the
        attribute used): ``metal_making``, the parameters of :func:`parse_metal_params`.

    Returns
    -------
    MetalResult
        Summed over the two processes; consumptions summed by name (zero where a process has none).
    """
    mapping = {**DEFAULT_PROCESS, **(process_of or {})}
    for symbol, proc in mapping.items():
        if proc not in PROCESSES:
            raise InputError(f"unknown metal process {proc!r} for {symbol} "
                             f"(expected {', '.join(PROCESSES)})", key=f"process_of.{symbol}")
    params = params or {}
    mask_e = np.array([mapping[s] == "electrolysis" for s in ELEMENTS], dtype=float)
    feed = oxide.without_other()
    part_e = Stream(feed.re * mask_e, {}, feed.unit, "oxide_to_electrolysis")
    part_c = Stream(feed.re * (1.0 - mask_e), {}, feed.unit, "oxide_to_calciothermic")
    r_e = electrolysis(part_e, params.get("electrolysis"), tables=tables)
    r_c = calciothermic_reduction(part_c, params.get("calciothermic"), tables=tables)
    cons = dict(r_e.consumptions)
    for key, value in r_c.consumptions.items():
        cons[key] = cons[key] + value if key in cons else value
    metal = (r_e.metal + r_c.metal).renamed("metal")
    losses = (r_e.losses + r_c.losses).renamed("metal_making_losses")
    return MetalResult(feed, metal, losses, cons, "electrolysis+calciothermic")


def metal_yield_vector(process_of: Mapping[str, str] | None = None,
                       params: Mapping[str, Mapping[str, float]] | None = None, *,
                       tables) -> np.ndarray:
    """Oxide-to-metal recovery per element in :data:`ELEMENTS` order [-] (``tables`` as for
    :func:`oxide_to_metal`)."""
    mapping = {**DEFAULT_PROCESS, **(process_of or {})}
    params = params or {}
    out = np.zeros(N_ELEMENTS)
    for i, symbol in enumerate(ELEMENTS):
        proc = mapping[symbol]
        out[i] = _params(tables, proc, params.get(proc), None)["yield"]
    return out
