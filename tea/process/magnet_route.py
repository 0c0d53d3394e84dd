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
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from tea.elements import ELEMENTS, N_ELEMENTS, OXIDE_FACTOR, index
from tea.errors import InputError
from tea.process.magnet import (
    GBD_STEP,
    POWDER_ENTRY,
    MagnetGrade,
    applicable_steps,
    get_grade,
    load_route,
    overall_yield,
)
from tea.process.metal import MetalResult, metal_yield_vector, oxide_to_metal
from tea.process.recycling import RecyclingResult, recycle, route_params
from tea.streams import Stream, balance_error, recovery_vector
from tea.units import Q_

UNIT = "t/yr"
SWARF_RECYCLING = ("in_house", "none", "recycler")
RECYCLING_ROUTES = ("hydrogen", "hydromet")
NDPR = ("Nd", "Pr")


@dataclass(frozen=True)
class StepFlow:
    """Flows of one step: ``sum(inputs) = output + sum(losses)`` for every species."""

    name: str
    inputs: tuple
    output: Stream
    losses: tuple
    fate: str = "waste"

    def balance_error(self) -> float:
        species = sorted({k for s in (*self.inputs, self.output) for k in s.other})
        return balance_error(list(self.inputs), [self.output, *self.losses], species)


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


def _species(*streams: Stream) -> list[str]:
    return sorted({k for s in streams for k in s.other})


def _vec(s: Stream, species: list[str]) -> np.ndarray:
    zero = np.zeros(s.re.shape[:-1])
    return np.concatenate([s.re, np.stack([s.other.get(k, zero) for k in species], -1)], -1)


def _stream(v: np.ndarray, species: list[str], name: str) -> Stream:
    v = np.maximum(v, 0.0)  # rounding of differences of equal flows
    return Stream(v[..., :N_ELEMENTS], {k: v[..., N_ELEMENTS + i] for i, k in enumerate(species)},
                  UNIT, name)


def _sum(streams, name: str, like: Stream) -> Stream:
    total = Stream.empty(UNIT, name, like.re.shape[:-1])
    for s in streams:
        total = total + s
    return total.renamed(name)


def _recovery_full(route: str, recovery, species: list[str]) -> np.ndarray:
    p = route_params(route)
    rec = p["recovery"] if recovery is None else recovery
    vec = recovery_vector(rec)
    other = float(rec) if np.ndim(rec) == 0 and not isinstance(rec, Mapping) else p["recovery"]
    return np.concatenate([vec, np.full(len(species), other)])


def _phi(a, hu, p_vec, limit_total):
    """Largest share phi in [0, 1] with R <= P per species and sum(R) <= limit_total."""
    def r_of(phi):
        return phi[..., None] * a / (1.0 + phi[..., None] * hu)

    lo = np.zeros(a.shape[:-1])
    hi = np.ones(a.shape[:-1])

    def ok(phi):
        r = r_of(phi)
        return (r.sum(-1) <= limit_total * (1 + 1e-12)) & np.all(r <= p_vec * (1 + 1e-12), -1)

    done = ok(hi)
    for _ in range(100):
        mid = 0.5 * (lo + hi)
        good = ok(mid)
        lo = np.where(good, mid, lo)
        hi = np.where(good, hi, mid)
    return np.where(done, 1.0, lo)


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

    Returns
    -------
    MagnetRouteResult
    """
    g = get_grade(grade)
    out_mag = _check_case(magnet_output, swarf_recycling, recycling_route)
    steps = applicable_steps(load_route(tech_level, yields=yields), g)
    i_press = [s.name for s in steps].index(POWDER_ENTRY)
    magnets = g.stream(out_mag, UNIT, "finished", "magnets")
    species = _species(g.stream(1.0, UNIT, "finished"), g.stream(1.0, UNIT, "base"))
    shape = magnets.re.shape[:-1]
    empty = Stream.empty(UNIT, "", shape)
    in_house = swarf_recycling == "in_house"
    upstream = steps[:i_press]

    flows, applied, pressed = _downstream_flows(steps[i_press:], g, magnets, empty)
    after_gbd = bool(g.gbd_element) and in_house and recycling_route == "hydrogen"
    down_rec, down_post = _downstream_scrap(steps[i_press:], flows, after_gbd)
    recycled_powder = np.zeros_like(_vec(pressed, species))
    if in_house and recycling_route == "hydrogen":
        recycled_powder = _blended_powder(pressed, down_rec, _upstream_scrap_ratio(upstream),
                                          species, recovery, blending_limit)
    fresh_powder = _stream(_vec(pressed, species) - recycled_powder, species, "fresh_powder")
    blended_in = _stream(recycled_powder, species, "recycled_powder_blended")
    press = flows[POWDER_ENTRY]
    flows[POWDER_ENTRY] = StepFlow(POWDER_ENTRY, (fresh_powder, blended_in), press.output,
                                   press.losses)
    charge = _upstream_flows(upstream, fresh_powder, flows)
    recyclable, waste, to_recycler = _loss_fates(steps, flows, swarf_recycling, down_post)
    scrap = _sum(recyclable, "in_house_scrap", magnets)

    # -- recycling and metal making ----------------------------------------------------------------
    metal_need = Stream(charge.re + applied.re, {}, UNIT, "metal_need")
    gross = Stream(metal_need.re / metal_yield_vector(params=metal_params), {}, UNIT, "oxide_feed")
    rec_result = None
    credit = empty.renamed("recycled_oxide_credited")
    surplus = empty.renamed("recycled_surplus")
    if in_house:
        rec_result, credit, surplus = _recycle_in_house(scrap, gross, recycled_powder, species,
                                                        recycling_route, recovery, credit)
    primary = Stream(np.maximum(gross.re - credit.re, 0.0), {}, UNIT, "primary_oxide")
    metal = oxide_to_metal(primary + credit, params=metal_params)
    raw = Stream(np.zeros((*shape, N_ELEMENTS)), charge.other, UNIT, "raw_materials")

    cons = _consumptions(steps, flows, metal, rec_result)
    return MagnetRouteResult(
        g, tech_level, swarf_recycling, recycling_route, magnets, primary, metal, raw, charge,
        applied, tuple(flows[s.name] for s in steps), rec_result,
        credit if recycling_route == "hydromet" else blended_in, surplus,
        _sum(to_recycler, "to_recycler", magnets), _sum(waste, "waste", magnets), cons,
    )


def _check_case(magnet_output, swarf_recycling: str, recycling_route: str) -> np.ndarray:
    """The magnet output as a magnitude [t/yr] after checking the case.

    Parameters
    ----------
    magnet_output : pint.Quantity or float or array
        Finished magnets (a float is read as t/yr).
    swarf_recycling, recycling_route : str
        Must be one of :data:`SWARF_RECYCLING` and :data:`RECYCLING_ROUTES`.

    Returns
    -------
    numpy.ndarray
        The output [t/yr].

    Raises
    ------
    InputError
        For an unknown fate or route, or an output that is negative or not finite.
    """
    if swarf_recycling not in SWARF_RECYCLING:
        raise InputError(f"swarf_recycling must be one of {', '.join(SWARF_RECYCLING)}, got "
                         f"{swarf_recycling!r}", key="swarf_recycling")
    if recycling_route not in RECYCLING_ROUTES:
        raise InputError(f"recycling_route must be one of {', '.join(RECYCLING_ROUTES)}, got "
                         f"{recycling_route!r}", key="recycling_route")
    out_mag = (magnet_output.to(UNIT).magnitude if hasattr(magnet_output, "to")
               else np.asarray(magnet_output, dtype=float))
    if np.any(np.asarray(out_mag) < 0) or not np.all(np.isfinite(out_mag)):
        raise InputError("magnet_output must be finite and >= 0", key="magnet_output")
    return out_mag


def _downstream_flows(steps, g: MagnetGrade, magnets: Stream, empty: Stream):
    """Backwards from the finished magnets to the powder pressed.

    Parameters
    ----------
    steps : list of RouteStep
        The steps from pressing on, in route order.
    g : MagnetGrade
    magnets : Stream
        Finished magnets [t/yr].
    empty : Stream
        A zero stream of the samples' shape.

    Returns
    -------
    (flows, applied, pressed)
        ``{step name: StepFlow}`` of these steps, the Dy or Tb metal applied at grain-boundary
        diffusion and the powder fed to pressing (fresh + recycled) [t/yr].
    """
    flows: dict[str, StepFlow] = {}
    cur = magnets
    applied = empty.renamed("gbd_applied")
    for step in reversed(steps):
        feed = cur.scaled(1.0 / step.yield_, name=f"{step.name}_feed")
        loss = feed.scaled(1.0 - step.yield_, name=f"{step.name}_{step.loss_type}")
        if step.name == GBD_STEP:
            total = feed.total
            parts = g.stream(total * (1.0 - g.gbd_fraction), UNIT, "base", "machined_parts")
            diffused = Stream.from_elements({g.gbd_element: 1.0}, UNIT).scaled(total * g.gbd_fraction)
            applied = diffused.scaled(1.0 / step.source_utilization, name="gbd_applied")
            residue = applied.scaled(1.0 - step.source_utilization, name="gbd_residue")
            flows[step.name] = StepFlow(step.name, (parts, applied), cur, (loss, residue))
            cur = parts
        else:
            flows[step.name] = StepFlow(step.name, (feed,), cur, (loss,))
            cur = feed
    return flows, applied, cur


def _downstream_scrap(steps, flows: dict, after_gbd: bool) -> tuple[list, list]:
    """Recyclable losses from pressing on, split by whether they carry diffused Dy/Tb.

    Parameters
    ----------
    steps : list of RouteStep
        The steps from pressing on.
    flows : dict[str, StepFlow]
    after_gbd : bool
        Whether losses made after grain-boundary diffusion leave to the outside recycler (the
        in-house hydrogen route of a diffused grade).

    Returns
    -------
    (recycled, post_gbd)
        Losses the in-house route may take, and those that leave to the outside recycler.
    """
    seen_gbd = False
    down_rec, down_post = [], []
    for step in steps:
        seen_gbd = seen_gbd or step.name == GBD_STEP
        if step.recyclable:
            (down_post if (after_gbd and seen_gbd) else down_rec).append(flows[step.name].losses[0])
    return down_rec, down_post


def _upstream_scrap_ratio(upstream) -> float:
    """``u``: recyclable scrap made upstream of pressing per kg of fresh powder [-]."""
    cum = np.cumprod([s.yield_ for s in reversed(upstream)])[::-1]  # prod of y_j, j >= k
    return sum((1.0 - s.yield_) / c for s, c in zip(upstream, cum, strict=True) if s.recyclable)


def _blended_powder(pressed: Stream, down_rec: list, u: float, species: list[str], recovery,
                    blending_limit: float | None) -> np.ndarray:
    """Recycled powder blended before pressing on the in-house hydrogen route.

    Parameters
    ----------
    pressed : Stream
        Powder pressed, fresh + recycled (``P``) [t/yr].
    down_rec : list of Stream
        Recyclable losses from pressing on that the route takes (``D``).
    u : float
        Recyclable scrap made upstream per kg of fresh powder [-].
    species : list[str]
        Non-RE species, in the order of the vectors.
    recovery : float, mapping or array, optional
        Recovery of the hydrogen route [-]; default from ``inputs/recycling.csv``.
    blending_limit : float, optional
        Largest share of recycled powder in the powder pressed [-].

    Returns
    -------
    numpy.ndarray
        ``R = phi h (D + u P) / (1 + phi h u)`` per species (elements, then ``species``) [t/yr].
    """
    p_vec = _vec(pressed, species)
    h = _recovery_full("hydrogen", recovery, species)
    b = route_params("hydrogen")["blending_limit"] if blending_limit is None else blending_limit
    if not 0.0 <= b <= 1.0:
        raise InputError(f"blending_limit must lie in [0, 1], got {b}", key="blending_limit")
    d_vec = sum((_vec(s, species) for s in down_rec), np.zeros_like(p_vec))
    a = h * (d_vec + u * p_vec)
    phi = _phi(a, h * u, p_vec, b * p_vec.sum(-1))
    return phi[..., None] * a / (1.0 + phi[..., None] * h * u)


def _upstream_flows(upstream, fresh_powder: Stream, flows: dict) -> Stream:
    """Fresh alloy from the melt to the jet mill, backwards from the fresh powder; adds each
    step's :class:`StepFlow` to ``flows`` and returns the charge into the melting furnace."""
    cur = fresh_powder
    for step in reversed(upstream):
        feed = cur.scaled(1.0 / step.yield_, name=f"{step.name}_feed")
        loss = feed.scaled(1.0 - step.yield_, name=f"{step.name}_{step.loss_type}")
        flows[step.name] = StepFlow(step.name, (feed,), cur, (loss,))
        cur = feed
    return cur.renamed("vim_charge")


def _loss_fates(steps, flows: dict, swarf_recycling: str, down_post: list):
    """Where each step's losses go; records the fate in ``flows``.

    Parameters
    ----------
    steps : list of RouteStep
        Every step, in route order.
    flows : dict[str, StepFlow]
        Updated in place with each step's fate.
    swarf_recycling : {"in_house", "none", "recycler"}
    down_post : list of Stream
        Losses after grain-boundary diffusion already bound for the outside recycler.

    Returns
    -------
    (recyclable, waste, to_recycler) : lists of Stream
        Losses for in-house recycling, waste (including the GBD residue), and losses leaving to
        an outside recycler.
    """
    in_house = swarf_recycling == "in_house"
    recyclable, waste, to_recycler = [], [], list(down_post)
    for step in steps:
        losses = flows[step.name].losses
        if step.recyclable and swarf_recycling != "none":
            if any(losses[0] is s for s in down_post):
                fate = "recycler"  # already listed in to_recycler
            else:
                (recyclable if in_house else to_recycler).append(losses[0])
                fate = "in_house" if in_house else "recycler"
        else:
            waste.append(losses[0])
            fate = "waste"
        waste.extend(losses[1:])  # GBD residue
        flows[step.name] = StepFlow(step.name, flows[step.name].inputs, flows[step.name].output,
                                    losses, fate)
    return recyclable, waste, to_recycler


def _recycle_in_house(scrap: Stream, gross: Stream, recycled_powder: np.ndarray,
                      species: list[str], recycling_route: str, recovery, credit: Stream):
    """In-house recycling of the scrap and what its product replaces.

    Parameters
    ----------
    scrap : Stream
        Recyclable losses for in-house recycling [t/yr].
    gross : Stream
        Oxide the metal making needs before any credit, element basis [t/yr].
    recycled_powder : numpy.ndarray
        Powder already blended before pressing (hydrogen route) [t/yr].
    species : list[str]
    recycling_route : {"hydrogen", "hydromet"}
    recovery : float, mapping or array, optional
    credit : Stream
        The zero credit (kept on the hydrogen route).

    Returns
    -------
    (result, credit, surplus)
        The :class:`RecyclingResult`; the recycled oxide credited against primary oxide (hydromet;
        at most the gross need per element) or ``credit`` unchanged; the product not usable in the
        route [t/yr].
    """
    result = recycle(scrap, recycling_route, recovery)
    product = result.product
    if recycling_route == "hydromet":
        credit = Stream(np.minimum(product.re, gross.re), {}, UNIT, "recycled_oxide_credited")
        surplus = Stream(product.re - credit.re, {}, UNIT, "recycled_oxide_surplus")
    else:
        surplus = _stream(_vec(product, species) - recycled_powder, species,
                          "recycled_powder_surplus")
    return result, credit, surplus


def _consumptions(steps, flows, metal: MetalResult, rec: RecyclingResult | None) -> dict:
    e_mag = Q_(sum(sum(s.total for s in flows[st.name].inputs) * st.electricity
                   for st in steps), "MWh/yr")  # t/yr x kWh/kg = MWh/yr
    cons = {"electricity_magnet": e_mag, "electricity_metal": metal.consumptions["electricity"]}
    cons["electricity_recycling"] = (rec.consumptions["electricity"] if rec is not None
                                     else Q_(0.0 * e_mag.magnitude, "MWh/yr"))
    cons["electricity"] = cons["electricity_magnet"] + cons["electricity_metal"] + \
        cons["electricity_recycling"]
    for source in (metal.consumptions, rec.consumptions if rec is not None else {}):
        for key, value in source.items():
            if key != "electricity":
                cons[key] = cons[key] + value if key in cons else value
    return cons


def magnet_coefficients(grade: str | MagnetGrade, tech_level: str = "reference",
                        swarf_recycling: str = "in_house", recycling_route: str = "hydromet",
                        **kwargs) -> dict:
    """Per-kg-of-magnet coefficients as plain numbers, for the optimizer.

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
                          **kwargs)
    # 1 t/yr of magnets: t per t of magnet = kg per kg
    oxide = r.primary_oxide.re_reo
    metal = r.metal.metal.re
    steps = load_route(tech_level, yields=kwargs.get("yields"))
    return {
        "oxide_kg_reo_per_kg": {s: float(v) for s, v in zip(ELEMENTS, oxide, strict=True) if v > 0},
        "ndpr_oxide_kg_reo_per_kg": float(sum(oxide[index(s)] for s in NDPR)),
        "treo_kg_reo_per_kg": float(oxide.sum()),
        "metal_kg_per_kg": {s: float(v) for s, v in zip(ELEMENTS, metal, strict=True) if v > 0},
        "raw_materials_kg_per_kg": {k: float(v) for k, v in r.raw_materials.other.items()},
        "route_yield": overall_yield(steps, r.grade),
        "material_utilization": float(r.magnets.total_re / r.primary_oxide.total_re),
        "metal_utilization": float(r.magnets.total_re / r.metal.metal.total_re),
        "electricity_kwh_per_kg": float(r.consumptions["electricity"].to("MWh/yr").magnitude),
        "swarf_kg_per_kg": float(r.swarf.total),
        "scrap_kg_per_kg": float(r.to_recycler.total),
        "scrap_re_kg_per_kg": _by_element(r.to_recycler.re),
        "waste_re_kg_per_kg": _by_element(r.waste.re + r.recycled_surplus.re),
        "magnet_re_kg_per_kg": _by_element(r.magnets.re),
        "recycled_kg_per_kg": float(r.recycled_in_house.total),
    }


def _by_element(re) -> dict[str, float]:
    return {s: float(v) for s, v in zip(ELEMENTS, re, strict=True) if v > 0}


def oxide_per_kg_from_metal(metal_kg_per_kg: Mapping[str, float],
                            metal_params: Mapping[str, Mapping[str, float]] | None = None) -> dict:
    """Oxide need per kg magnet from metal per kg: ``metal / yield * oxide factor`` [kg REO/kg]."""
    y = metal_yield_vector(params=metal_params)
    return {s: v / y[index(s)] * OXIDE_FACTOR[index(s)] for s, v in metal_kg_per_kg.items()}
