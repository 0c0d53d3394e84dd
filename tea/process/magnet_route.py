"""From separated oxides to finished sintered NdFeB magnets, with swarf and rejects recycled or not.

The route is solved backwards from the magnet output: each step's feed is its output divided by its
yield (:mod:`tea.process.magnet`), grain-boundary diffusion adds Dy or Tb metal (applied amount =
diffused amount / source utilisation), and the fresh charge into the melting furnace gives the
metal needed per element.  Metal comes from oxide by :mod:`tea.process.metal`, so the oxide need per
element is ``metal / metal yield`` (element basis; REO via the oxide factors).

Fate of the step losses (``swarf_recycling``):

``"none"``
    every loss is waste.
``"recycler"``
    recyclable losses (swarf, rejects) leave to an outside recycler; the rest is waste.
``"in_house"``
    recyclable losses go to the plant's own recycling (``recycling_route``):

    * ``"hydromet"``: mixed RE oxide returns to the metal-making feed, replacing primary oxide per
      element (the recovery stands for dissolution, precipitation and re-separation together);
      Fe, B and the other species go to the residue.
    * ``"hydrogen"``: alloy powder is blended into the powder pressed, at most ``blending_limit``
      of it; the fresh alloy is made up so that the blend has the grade's bulk composition.  Rejects
      made after diffusion (richer in Dy/Tb than the bulk alloy) go to the outside recycler.
      The recycled powder ``R`` depends on the upstream losses of the fresh alloy it displaces:
      ``R = phi h (D + u P) / (1 + phi h u)`` per species, with ``D`` the recyclable scrap made
      from pressing on, ``P`` the powder pressed, ``u`` the recyclable scrap per kg of fresh
      powder made upstream, ``h`` the recovery and ``phi`` in [0, 1] the share used (largest
      meeting the blending limit and ``R <= P`` per species).

Flows are per year; magnitudes in t/yr, electricity in MWh/yr.

This module holds the public API (:func:`oxides_to_magnets`, :class:`MagnetRouteResult`,
:func:`magnet_coefficients`, :func:`oxide_per_kg_from_metal`); the step-by-step helpers it calls
(flows downstream and upstream of pressing, the blend of recycled powder, the fate of the losses,
in-house recycling, consumptions) and :class:`StepFlow` live in :mod:`tea.process.magnet_steps`
and are re-exported here where they were public before.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from tea.elements import N_ELEMENTS, OXIDE_FACTOR, index, nonzero_by_element
from tea.errors import InputError
from tea.process.magnet import (
    POWDER_ENTRY,
    MagnetGrade,
    applicable_steps,
    get_grade,
    load_route,
    overall_yield,
)
from tea.process.magnet_steps import (
    NDPR,
    RECYCLING_ROUTES,
    SWARF_RECYCLING,
    UNIT,
    StepFlow,
    as_stream,
    as_vector,
    blended_powder,
    check_case,
    downstream_flows,
    downstream_scrap,
    loss_fates,
    recycle_in_house,
    route_consumptions,
    species_of,
    sum_streams,
    upstream_flows,
    upstream_scrap_ratio,
)
from tea.process.metal import MetalResult, metal_yield_vector, oxide_to_metal
from tea.process.recycling import RecyclingResult
from tea.streams import Stream, balance_error
from tea.units import Q_

__all__ = [
    "NDPR",
    "RECYCLING_ROUTES",
    "SWARF_RECYCLING",
    "UNIT",
    "MagnetRouteResult",
    "StepFlow",
    "magnet_coefficients",
    "oxide_per_kg_from_metal",
    "oxides_to_magnets",
]


@dataclass(frozen=True)
class MagnetRouteResult:
    """Every stream and consumption of the oxide-to-magnet route, per year.

    Attributes
    ----------
    grade, tech_level, swarf_recycling, recycling_route
        The case.
    magnets : Stream
        Finished magnets [t/yr].
    primary_oxide : Stream
        Separated oxide bought, element basis (``.re_reo`` for REO) [t/yr].
    metal : MetalResult
        Metal making (feed = primary oxide + recycled oxide credited).
    raw_materials : Stream
        Non-RE alloy inputs (Fe, B, Co, Cu, Al, Ga, Nb) [t/yr].
    charge : Stream
        Fresh charge into vacuum induction melting [t/yr].
    gbd_applied : Stream
        Dy or Tb metal applied at grain-boundary diffusion [t/yr].
    steps : tuple of StepFlow
    recycling : RecyclingResult or None
        In-house recycling of the scrap.
    recycled_in_house : Stream
        Powder blended or oxide credited [t/yr].
    recycled_surplus : Stream
        In-house recycled product not usable in the route (sold) [t/yr].
    to_recycler, waste : Stream
        Losses leaving to an outside recycler, and waste [t/yr].
    consumptions : dict[str, pint.Quantity]
        ``electricity`` (total) and ``electricity_magnet``, ``electricity_metal``,
        ``electricity_recycling`` [MWh/yr]; reagents of metal making and recycling [t/yr].
    """

    grade: MagnetGrade
    tech_level: str
    swarf_recycling: str
    recycling_route: str
    magnets: Stream
    primary_oxide: Stream
    metal: MetalResult
    raw_materials: Stream
    charge: Stream
    gbd_applied: Stream
    steps: tuple
    recycling: RecyclingResult | None
    recycled_in_house: Stream
    recycled_surplus: Stream
    to_recycler: Stream
    waste: Stream
    consumptions: dict = field(default_factory=dict)

    @property
    def swarf(self) -> Stream:
        """Machining swarf [t/yr]."""
        return self.step("machining").losses[0]

    def step(self, name: str) -> StepFlow:
        for s in self.steps:
            if s.name == name:
                return s
        raise InputError(f"no step {name!r} in this route", key="step")

    def outputs(self) -> list[Stream]:
        """Everything leaving the system boundary."""
        out = [self.magnets, self.metal.losses, self.recycled_surplus, self.to_recycler, self.waste]
        if self.recycling is not None:
            out.append(self.recycling.residue)
        return out

    def balance_error(self) -> float:
        """Largest relative imbalance (elements and other species), inputs vs outputs [-]."""
        species = sorted(set(self.raw_materials.other) | set(self.magnets.other))
        return balance_error([self.primary_oxide, self.raw_materials], self.outputs(), species)

    def step_balance_errors(self) -> dict[str, float]:
        """Balance error of each step, of metal making and of the recycling [-]."""
        errs = {s.name: s.balance_error() for s in self.steps}
        errs["metal_making"] = self.metal.balance_error()
        if self.recycling is not None:
            errs["recycling"] = self.recycling.balance_error()
        return errs

    def oxide_reo(self, symbol: str):
        """Primary oxide need of one element (REO basis) [t_REO/yr]."""
        return self.primary_oxide.quantity(symbol, "oxide")


def oxides_to_magnets(
    grade: str | MagnetGrade,
    magnet_output,
    tech_level: str = "reference",
    swarf_recycling: str = "in_house",
    recycling_route: str = "hydromet",
    recovery=None,
    blending_limit: float | None = None,
    yields: Mapping[str, float] | None = None,
    metal_params: Mapping[str, Mapping[str, float]] | None = None,
    *,
    tables,
) -> MagnetRouteResult:
    """Oxide, metal, alloy and magnet flows for a yearly magnet output.

    Parameters
    ----------
    grade : str or MagnetGrade
        A grade of ``inputs/magnet_grades.csv`` (e.g. ``"N42"``).
    magnet_output : pint.Quantity or float
        Finished magnets [t/yr] (a float is read as t/yr); may be an array of samples.
    tech_level : str
        ``"reference"`` or ``"advanced"`` (``inputs/magnet_route.csv``).
    swarf_recycling : {"in_house", "none", "recycler"}
    recycling_route : {"hydrogen", "hydromet"}
        In-house route for recyclable losses.
    recovery : float, mapping or array, optional
        Recovery of the recycling route [-]; default from ``inputs/recycling.csv``.
    blending_limit : float, optional
        Largest share of recycled powder in the powder pressed (hydrogen route) [-].
    yields : mapping, optional
        Step yield overrides in (0, 1], e.g. ``{"machining": 0.8}``.
    metal_params : mapping, optional
        ``{process: {parameter: value}}`` overrides for metal making.
    tables : InputTables
        The input tables (:class:`tea.config.inputs.InputTables` or any object with the
        attributes used): ``magnet_grades``, ``magnet_route``, ``metal_making``, ``recycling``
        and ``sources``.

    Returns
    -------
    MagnetRouteResult
    """
    g = get_grade(grade, tables=tables)
    out_mag = check_case(magnet_output, swarf_recycling, recycling_route)
    steps = applicable_steps(load_route(tech_level, yields=yields, tables=tables), g)
    i_press = [s.name for s in steps].index(POWDER_ENTRY)
    magnets = g.stream(out_mag, UNIT, "finished", "magnets")
    species = species_of(g.stream(1.0, UNIT, "finished"), g.stream(1.0, UNIT, "base"))
    shape = magnets.re.shape[:-1]
    empty = Stream.empty(UNIT, "", shape)
    in_house = swarf_recycling == "in_house"
    upstream = steps[:i_press]

    flows, applied, pressed = downstream_flows(steps[i_press:], g, magnets, empty)
    after_gbd = bool(g.gbd_element) and in_house and recycling_route == "hydrogen"
    down_rec, down_post = downstream_scrap(steps[i_press:], flows, after_gbd)
    recycled_powder = np.zeros_like(as_vector(pressed, species))
    if in_house and recycling_route == "hydrogen":
        recycled_powder = blended_powder(pressed, down_rec, upstream_scrap_ratio(upstream),
                                          species, recovery, blending_limit, tables=tables)
    fresh_powder = as_stream(as_vector(pressed, species) - recycled_powder, species, "fresh_powder")
    blended_in = as_stream(recycled_powder, species, "recycled_powder_blended")
    press = flows[POWDER_ENTRY]
    flows[POWDER_ENTRY] = StepFlow(POWDER_ENTRY, (fresh_powder, blended_in), press.output,
                                   press.losses)
    charge = upstream_flows(upstream, fresh_powder, flows)
    recyclable, waste, to_recycler = loss_fates(steps, flows, swarf_recycling, down_post)
    scrap = sum_streams(recyclable, "in_house_scrap", magnets)

    # -- recycling and metal making ----------------------------------------------------------------
    metal_need = Stream(charge.re + applied.re, {}, UNIT, "metal_need")
    gross = Stream(metal_need.re / metal_yield_vector(params=metal_params, tables=tables), {}, UNIT,
                   "oxide_feed")
    rec_result = None
    credit = empty.renamed("recycled_oxide_credited")
    surplus = empty.renamed("recycled_surplus")
    if in_house:
        rec_result, credit, surplus = recycle_in_house(scrap, gross, recycled_powder, species,
                                                        recycling_route, recovery, credit,
                                                        tables=tables)
    primary = Stream(np.maximum(gross.re - credit.re, 0.0), {}, UNIT, "primary_oxide")
    metal = oxide_to_metal(primary + credit, params=metal_params, tables=tables)
    raw = Stream(np.zeros((*shape, N_ELEMENTS)), charge.other, UNIT, "raw_materials")

    cons = route_consumptions(steps, flows, metal, rec_result)
    return MagnetRouteResult(
        g, tech_level, swarf_recycling, recycling_route, magnets, primary, metal, raw, charge,
        applied, tuple(flows[s.name] for s in steps), rec_result,
        credit if recycling_route == "hydromet" else blended_in, surplus,
        sum_streams(to_recycler, "to_recycler", magnets), sum_streams(waste, "waste", magnets), cons,
    )


def magnet_coefficients(grade: str | MagnetGrade, tech_level: str = "reference",
                        swarf_recycling: str = "in_house", recycling_route: str = "hydromet",
                        *, tables, **kwargs) -> dict:
    """Per-kg-of-magnet coefficients as plain numbers, for the optimizer (``tables`` and the
    keyword arguments as for :func:`oxides_to_magnets`).

    Returns
    -------
    dict
        ``oxide_kg_reo_per_kg`` {element: kg REO / kg magnet}, ``ndpr_oxide_kg_reo_per_kg``,
        ``treo_kg_reo_per_kg``, ``metal_kg_per_kg`` {element: kg/kg}, ``raw_materials_kg_per_kg``
        {species: kg/kg}, ``route_yield`` (product of step yields) [-], ``material_utilization``
        (RE in magnets / RE in primary oxide, element basis) [-], ``metal_utilization`` (RE in
        magnets / RE metal made) [-], ``electricity_kwh_per_kg``, ``swarf_kg_per_kg``
        (machining swarf only), ``scrap_kg_per_kg`` (everything leaving to an outside recycler:
        swarf, grinding sludge, rejects; total mass), ``scrap_re_kg_per_kg`` and
        ``waste_re_kg_per_kg`` {element: kg/kg} (RE in that scrap, and in the losses no recycler
        takes), ``magnet_re_kg_per_kg`` {element: kg/kg}, ``recycled_kg_per_kg`` (oxide credited,
        element basis, or powder blended).
    """
    r = oxides_to_magnets(grade, Q_(1.0, UNIT), tech_level, swarf_recycling, recycling_route,
                          tables=tables, **kwargs)
    # 1 t/yr of magnets: t per t of magnet = kg per kg
    oxide = r.primary_oxide.re_reo
    metal = r.metal.metal.re
    steps = load_route(tech_level, yields=kwargs.get("yields"), tables=tables)
    return {
        "oxide_kg_reo_per_kg": nonzero_by_element(oxide),
        "ndpr_oxide_kg_reo_per_kg": float(sum(oxide[index(s)] for s in NDPR)),
        "treo_kg_reo_per_kg": float(oxide.sum()),
        "metal_kg_per_kg": nonzero_by_element(metal),
        "raw_materials_kg_per_kg": {k: float(v) for k, v in r.raw_materials.other.items()},
        "route_yield": overall_yield(steps, r.grade),
        "material_utilization": float(r.magnets.total_re / r.primary_oxide.total_re),
        "metal_utilization": float(r.magnets.total_re / r.metal.metal.total_re),
        "electricity_kwh_per_kg": float(r.consumptions["electricity"].to("MWh/yr").magnitude),
        "swarf_kg_per_kg": float(r.swarf.total),
        "scrap_kg_per_kg": float(r.to_recycler.total),
        "scrap_re_kg_per_kg": nonzero_by_element(r.to_recycler.re),
        "waste_re_kg_per_kg": nonzero_by_element(r.waste.re + r.recycled_surplus.re),
        "magnet_re_kg_per_kg": nonzero_by_element(r.magnets.re),
        "recycled_kg_per_kg": float(r.recycled_in_house.total),
    }


def oxide_per_kg_from_metal(metal_kg_per_kg: Mapping[str, float],
                            metal_params: Mapping[str, Mapping[str, float]] | None = None, *,
                            tables) -> dict:
    """Oxide need per kg magnet from metal per kg: ``metal / yield * oxide factor`` [kg REO/kg]
    (``tables``: any object with the ``metal_making`` table)."""
    y = metal_yield_vector(params=metal_params, tables=tables)
    return {s: v / y[index(s)] * OXIDE_FACTOR[index(s)] for s, v in metal_kg_per_kg.items()}
