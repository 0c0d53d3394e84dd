"""The steps of the sintered NdFeB route behind :func:`tea.process.magnet_route.oxides_to_magnets`:
stream helpers, the flows downstream and upstream of pressing, the fate of each step's losses,
in-house recycling and the consumptions (see that module's docstring for the balance)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from tea.elements import N_ELEMENTS
from tea.errors import InputError
from tea.process.magnet import GBD_STEP, MagnetGrade
from tea.process.metal import MetalResult
from tea.process.recycling import RecyclingResult, recycle, route_params
from tea.streams import Stream, balance_error, recovery_vector
from tea.units import Q_

UNIT = "t/yr"
SWARF_RECYCLING = ("in_house", "none", "recycler")
RECYCLING_ROUTES = ("hydrogen", "hydromet")
NDPR = ("Nd", "Pr")
"""Flow unit [t/yr], the loss fates and in-house recycling routes accepted, and the NdPr
elements."""


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


def species_of(*streams: Stream) -> list[str]:
    """The non-RE species carried by any of ``streams``, sorted."""
    return sorted({k for s in streams for k in s.other})


def as_vector(s: Stream, species: list[str]) -> np.ndarray:
    """``s`` as one array: the elements, then ``species`` (zero where absent), on the last axis."""
    zero = np.zeros(s.re.shape[:-1])
    return np.concatenate([s.re, np.stack([s.other.get(k, zero) for k in species], -1)], -1)


def as_stream(v: np.ndarray, species: list[str], name: str) -> Stream:
    """The inverse of :func:`as_vector` [t/yr]; negative entries are clipped to zero."""
    v = np.maximum(v, 0.0)  # rounding of differences of equal flows
    return Stream(v[..., :N_ELEMENTS], {k: v[..., N_ELEMENTS + i] for i, k in enumerate(species)},
                  UNIT, name)


def sum_streams(streams, name: str, like: Stream) -> Stream:
    """Sum of ``streams`` named ``name`` (zero, of the shape of ``like``, when there are none)."""
    total = Stream.empty(UNIT, name, like.re.shape[:-1])
    for s in streams:
        total = total + s
    return total.renamed(name)


def recovery_full(route: str, recovery, species: list[str], *, tables) -> np.ndarray:
    """Recovery of ``route`` per element, then per species in ``species`` [-] (default from
    ``inputs/recycling.csv``; a scalar ``recovery`` applies to the other species too, otherwise
    they take the route's default); ``tables`` holds the ``recycling`` table."""
    p = route_params(route, tables=tables)
    rec = p["recovery"] if recovery is None else recovery
    vec = recovery_vector(rec)
    other = float(rec) if np.ndim(rec) == 0 and not isinstance(rec, Mapping) else p["recovery"]
    return np.concatenate([vec, np.full(len(species), other)])


def blend_fraction(a, hu, p_vec, limit_total):
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


def check_case(magnet_output, swarf_recycling: str, recycling_route: str) -> np.ndarray:
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


def downstream_flows(steps, g: MagnetGrade, magnets: Stream, empty: Stream):
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


def downstream_scrap(steps, flows: dict, after_gbd: bool) -> tuple[list, list]:
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


def upstream_scrap_ratio(upstream) -> float:
    """``u``: recyclable scrap made upstream of pressing per kg of fresh powder [-]."""
    cum = np.cumprod([s.yield_ for s in reversed(upstream)])[::-1]  # prod of y_j, j >= k
    return sum((1.0 - s.yield_) / c for s, c in zip(upstream, cum, strict=True) if s.recyclable)


def blended_powder(pressed: Stream, down_rec: list, u: float, species: list[str], recovery,
                    blending_limit: float | None, *, tables) -> np.ndarray:
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
    tables : InputTables
        The input tables (any object with the attribute ``recycling``).

    Returns
    -------
    numpy.ndarray
        ``R = phi h (D + u P) / (1 + phi h u)`` per species (elements, then ``species``) [t/yr].
    """
    p_vec = as_vector(pressed, species)
    h = recovery_full("hydrogen", recovery, species, tables=tables)
    b = (route_params("hydrogen", tables=tables)["blending_limit"] if blending_limit is None
         else blending_limit)
    if not 0.0 <= b <= 1.0:
        raise InputError(f"blending_limit must lie in [0, 1], got {b}", key="blending_limit")
    d_vec = sum((as_vector(s, species) for s in down_rec), np.zeros_like(p_vec))
    a = h * (d_vec + u * p_vec)
    phi = blend_fraction(a, h * u, p_vec, b * p_vec.sum(-1))
    return phi[..., None] * a / (1.0 + phi[..., None] * h * u)


def upstream_flows(upstream, fresh_powder: Stream, flows: dict) -> Stream:
    """Fresh alloy from the melt to the jet mill, backwards from the fresh powder; adds each
    step's :class:`StepFlow` to ``flows`` and returns the charge into the melting furnace."""
    cur = fresh_powder
    for step in reversed(upstream):
        feed = cur.scaled(1.0 / step.yield_, name=f"{step.name}_feed")
        loss = feed.scaled(1.0 - step.yield_, name=f"{step.name}_{step.loss_type}")
        flows[step.name] = StepFlow(step.name, (feed,), cur, (loss,))
        cur = feed
    return cur.renamed("vim_charge")


def loss_fates(steps, flows: dict, swarf_recycling: str, down_post: list):
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


def recycle_in_house(scrap: Stream, gross: Stream, recycled_powder: np.ndarray,
                      species: list[str], recycling_route: str, recovery, credit: Stream, *,
                      tables):
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
    tables : InputTables
        The input tables (any object with the attribute ``recycling``).

    Returns
    -------
    (result, credit, surplus)
        The :class:`RecyclingResult`; the recycled oxide credited against primary oxide (hydromet;
        at most the gross need per element) or ``credit`` unchanged; the product not usable in the
        route [t/yr].
    """
    result = recycle(scrap, recycling_route, recovery, tables=tables)
    product = result.product
    if recycling_route == "hydromet":
        credit = Stream(np.minimum(product.re, gross.re), {}, UNIT, "recycled_oxide_credited")
        surplus = Stream(product.re - credit.re, {}, UNIT, "recycled_oxide_surplus")
    else:
        surplus = as_stream(as_vector(product, species) - recycled_powder, species,
                          "recycled_powder_surplus")
    return result, credit, surplus


def route_consumptions(steps, flows, metal: MetalResult, rec: RecyclingResult | None) -> dict:
    """Electricity of the magnet steps, metal making and recycling (and their total) [MWh/yr],
    plus the reagents of metal making and recycling [t/yr]."""
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
