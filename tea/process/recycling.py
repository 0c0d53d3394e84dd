"""Recycling of NdFeB magnets: collection, dismantling and the two recovery routes.

Parameters in ``inputs/recycling.csv``.

End-of-life magnets reach a recycler at a *collection rate* by product class (hard disks, motors,
wind); the *dismantling route* caps what can be recovered as magnet material: manual dismantling
nearly all, shredding < 10 % (Sprecher et al. 2014), the rest goes to the shredder fractions.

Hydrogen route (HPMS, hydrogen processing of magnet scrap)
    Sintered magnets decrepitate in hydrogen into demagnetised alloy powder that goes back into
    pressing and sintering.  Product: alloy powder (RE *and* Fe, B, Co, ...) with a recovery per
    element; its use in new magnets is capped by a blending limit on recycled powder.
Hydrometallurgical route (e.g. the Ames/CMI copper-nitrate process)
    The RE dissolve (``2 R + 3 Cu2+ -> 2 R3+ + 3 Cu``), are precipitated as oxalates and calcined.
    Product: mixed RE oxide that re-enters the separation feed; Fe, B and the other species go to
    the residue.

Recovery is a parameter (scalar, mapping by element or array), so that the 55 % and 78 %
reported for Russia (Sohu Caijing, 9 Nov 2025) and the 97 % of the Ames process run side by side
(:func:`secondary_oxide_supply`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from tea.elements import ATOMIC_MASS
from tea.errors import InputError
from tea.process.downstream_inputs import (
    check_fraction,
    check_nonnegative,
    parameter_table,
)
from tea.process.metal import energy_unit
from tea.streams import Stream, balance_error, recovery_vector
from tea.tables import Rows
from tea.units import Q_

ROUTES = ("hydrogen", "hydromet")
DISMANTLING = ("manual", "shredding")
DESTINATIONS = ("in_house", "recycler")
M_CU_NO3_2 = 187.56
"""Molar mass of Cu(NO3)2 [g/mol]."""
_ROUTE_PARAMS = {
    "hydrogen": ("recovery", "electricity", "hydrogen", "blending_limit"),
    "hydromet": ("recovery", "electricity", "oxalic_acid", "copper_nitrate_excess"),
}
_FRACTIONS = {"recovery", "blending_limit", "collection_rate", "recovery_cap"}


def parse_recycling_params(table: Rows) -> dict:
    """Parameters of ``recycling.csv``, checked.

    Returns
    -------
    dict
        ``{"collection": {class: rate}, "dismantling": {route: cap},
        "route": {"hydrogen": {...}, "hydromet": {...}}, "case": {name: recovery}}``.
    """
    path = table.file
    values = parameter_table(table, ("kind", "name"))
    out: dict = {"collection": {}, "dismantling": {}, "route": {}, "case": {}}
    for (kind, name, parameter), value in values.items():
        key = f"{kind}.{name}.{parameter}"
        if kind not in out:
            raise InputError(f"unknown kind {kind!r} (expected {', '.join(out)})", file=path, key=key)
        if parameter in _FRACTIONS:
            check_fraction(value, path, key)
        else:
            check_nonnegative(value, path, key)
        if kind == "route":
            if name not in ROUTES:
                raise InputError(f"unknown route {name!r} (expected {', '.join(ROUTES)})",
                                 file=path, key=key)
            out["route"].setdefault(name, {})[parameter] = value
        else:
            out[kind][name] = value
    for route in ROUTES:
        missing = [p for p in _ROUTE_PARAMS[route] if p not in out["route"].get(route, {})]
        if missing:
            raise InputError(f"missing parameter(s) {', '.join(missing)}", file=path,
                             key=f"route.{route}")
    for name in DISMANTLING:
        if name not in out["dismantling"]:
            raise InputError("missing recovery_cap", file=path, key=f"dismantling.{name}")
    return out


def recovery_cases(*, tables) -> dict[str, float]:
    """Named recovery cases of the ``recycling`` table: 0.55 and 0.78 (Sohu Caijing,
    9 Nov 2025), Ames/CMI 0.97.

    Parameters
    ----------
    tables : InputTables
        The input tables (:class:`tea.config.inputs.InputTables` or any object with the
        attribute used): ``recycling``, the parameters of :func:`parse_recycling_params`.
    """
    return dict(tables.recycling["case"])


def route_params(route: str, overrides: Mapping[str, float] | None = None, *,
                 tables) -> dict[str, float]:
    """Parameters of one route with overrides, checked (``tables`` as for :func:`recycle`)."""
    if route not in ROUTES:
        raise InputError(f"unknown recycling route {route!r} (expected {', '.join(ROUTES)})",
                         key="recycling_route")
    p = {**tables.recycling["route"][route], **(overrides or {})}
    for name, value in p.items():
        if name in _FRACTIONS:
            check_fraction(value, key=f"{route}.{name}")
        else:
            check_nonnegative(value, key=f"{route}.{name}")
    return p


@dataclass(frozen=True)
class EolResult:
    """End-of-life magnets split into what reaches recycling and what does not.

    Attributes
    ----------
    magnets : Stream
        Magnets in end-of-life products [unit].
    feed : Stream
        Magnet material recovered by dismantling, fed to a recycling route [unit].
    not_collected : Stream
        In products never collected [unit].
    dismantling_loss : Stream
        Collected but lost in dismantling (shredder fractions, steel scrap) [unit].
    """

    magnets: Stream
    feed: Stream
    not_collected: Stream
    dismantling_loss: Stream

    def balance_error(self) -> float:
        return balance_error([self.magnets], [self.feed, self.not_collected,
                                              self.dismantling_loss], self.magnets.other)


def end_of_life_feed(magnets: Stream, product_class: str, dismantling: str = "manual",
                     collection_rate: float | None = None,
                     recovery_cap: float | None = None, *, tables) -> EolResult:
    """Magnet material available to recyclers from end-of-life products.

    Parameters
    ----------
    magnets : Stream
        Magnets contained in the products reaching end of life [mass flow].
    product_class : str
        A class of ``inputs/recycling.csv`` (``hard_disk``, ``motor``, ``wind``).
    dismantling : {"manual", "shredding"}
    collection_rate, recovery_cap : float, optional
        Overrides in [0, 1] [-].
    tables : InputTables
        The input tables (:class:`tea.config.inputs.InputTables` or any object with the
        attribute used): ``recycling``, the parameters of :func:`parse_recycling_params`.

    Returns
    -------
    EolResult
        ``feed = magnets * collection_rate * recovery_cap``.
    """
    params = tables.recycling
    if collection_rate is None:
        if product_class not in params["collection"]:
            raise InputError(f"unknown product class {product_class!r} "
                             f"(known: {', '.join(params['collection'])})", key="product_class")
        collection_rate = params["collection"][product_class]
    if dismantling not in DISMANTLING:
        raise InputError(f"unknown dismantling route {dismantling!r} "
                         f"(expected {', '.join(DISMANTLING)})", key="dismantling")
    cap = params["dismantling"][dismantling] if recovery_cap is None else recovery_cap
    check_fraction(collection_rate, key="collection_rate")
    check_fraction(cap, key="recovery_cap")
    keep_all = {k: collection_rate for k in magnets.other}
    collected, not_collected = magnets.split(collection_rate, keep_all,
                                             names=("collected", "not_collected"))
    feed, lost = collected.split(cap, {k: cap for k in magnets.other},
                                 names=("eol_scrap", "dismantling_loss"))
    return EolResult(magnets, feed, not_collected, lost)


@dataclass(frozen=True)
class RecyclingResult:
    """Outcome of a recycling route.

    Attributes
    ----------
    feed : Stream
        Scrap processed [unit].
    product : Stream
        Alloy powder (hydrogen) or mixed RE oxide, element basis (hydromet) [unit].
    residue : Stream
        Everything not in the product [unit].
    consumptions : dict[str, pint.Quantity]
        ``electricity`` and reagents (``hydrogen``; ``oxalic_acid``, ``copper_nitrate``).
    route : str
    product_kind : str
        ``"alloy_powder"`` or ``"mixed_oxide"`` (to the separation feed).
    destination : str
        ``"in_house"`` or ``"recycler"``.
    """

    feed: Stream
    product: Stream
    residue: Stream
    consumptions: dict = field(default_factory=dict)
    route: str = ""
    product_kind: str = ""
    destination: str = "in_house"

    def balance_error(self) -> float:
        """Largest relative imbalance over elements and other species [-]."""
        return balance_error([self.feed], [self.product, self.residue], self.feed.other)

    def oxide_supply(self):
        """Rare-earth oxide equivalent of the product (TREO) as a pint quantity."""
        return self.product.total_quantity("oxide")


def _other_recovery(recovery, params) -> float:
    if np.ndim(recovery) == 0 and not isinstance(recovery, Mapping):
        return float(recovery)
    return float(params["recovery"])


def hydrogen_route(scrap: Stream, recovery=None, params: Mapping[str, float] | None = None,
                   destination: str = "in_house", *, tables) -> RecyclingResult:
    """Hydrogen processing of magnet scrap back to alloy powder.

    Parameters
    ----------
    scrap : Stream
        Sintered magnet scrap or rejects [mass or mass flow].
    recovery : float, mapping or array, optional
        Fraction of each element recovered in the powder [-]; default from the inputs.  Fe, B and
        the other species follow the scalar recovery (or the table's value if per element).
    params : mapping, optional
        Overrides of the ``route.hydrogen`` rows.
    tables : InputTables
        The input tables (:class:`tea.config.inputs.InputTables` or any object with the
        attribute used): ``recycling``, the parameters of :func:`parse_recycling_params`.

    Returns
    -------
    RecyclingResult
        ``product_kind="alloy_powder"``.
    """
    p = route_params("hydrogen", params, tables=tables)
    rec = p["recovery"] if recovery is None else recovery
    vec = recovery_vector(rec)
    r_other = _other_recovery(rec, p)
    product, residue = scrap.split(vec, {k: r_other for k in scrap.other},
                                   names=("recycled_alloy_powder", "hydrogen_route_residue"))
    unit = scrap.unit
    total = scrap.total
    cons = {
        "electricity": (Q_(total, unit) * Q_(p["electricity"], "kWh/kg")).to(energy_unit(unit)),
        "hydrogen": Q_(total * p["hydrogen"], unit),
    }
    return RecyclingResult(scrap, product, residue, cons, "hydrogen", "alloy_powder",
                           _destination(destination))


def hydromet_route(scrap: Stream, recovery=None, params: Mapping[str, float] | None = None,
                   destination: str = "in_house", *, tables) -> RecyclingResult:
    """Hydrometallurgical recycling of magnet scrap to mixed RE oxide.

    Parameters
    ----------
    scrap : Stream
        Swarf, rejects or end-of-life magnets [mass or mass flow].
    recovery : float, mapping or array, optional
        Fraction of each RE element recovered as oxide [-]; default the route row of
        ``inputs/recycling.csv``, 0.55 (Sohu Caijing 9 Nov 2025, at scale; Ames/CMI laboratory 0.97,
        Chowdhury et al. 2021).
    params : mapping, optional
        Overrides of the ``route.hydromet`` rows.
    tables : InputTables
        The input tables (:class:`tea.config.inputs.InputTables` or any object with the
        attribute used): ``recycling``, the parameters of :func:`parse_recycling_params`.

    Returns
    -------
    RecyclingResult
        ``product_kind="mixed_oxide"``: RE only (element basis), to re-enter separation.
    """
    p = route_params("hydromet", params, tables=tables)
    rec = p["recovery"] if recovery is None else recovery
    product, residue = scrap.split(recovery_vector(rec), {},
                                   names=("recycled_mixed_oxide", "hydromet_residue"))
    product = product.without_other()  # RE only; Fe, B, ... stay in the residue
    unit = scrap.unit
    mol_re = (scrap.re / ATOMIC_MASS).sum(axis=-1)
    cons = {
        "electricity": (Q_(scrap.total, unit) * Q_(p["electricity"], "kWh/kg"))
        .to(energy_unit(unit)),
        "oxalic_acid": Q_(product.total_reo * p["oxalic_acid"], unit),
        "copper_nitrate": Q_(1.5 * mol_re * M_CU_NO3_2 * (1 + p["copper_nitrate_excess"]), unit),
    }
    return RecyclingResult(scrap, product, residue, cons, "hydromet", "mixed_oxide",
                           _destination(destination))


def recycle(scrap: Stream, route: str, recovery=None, params: Mapping[str, float] | None = None,
            destination: str = "in_house", *, tables) -> RecyclingResult:
    """Run ``route`` (``"hydrogen"`` or ``"hydromet"``) on a scrap stream.

    ``tables``: the input tables (:class:`tea.config.inputs.InputTables` or any object with the
    attribute used), ``recycling`` (:func:`parse_recycling_params`).
    """
    if route == "hydrogen":
        return hydrogen_route(scrap, recovery, params, destination, tables=tables)
    if route == "hydromet":
        return hydromet_route(scrap, recovery, params, destination, tables=tables)
    raise InputError(f"unknown recycling route {route!r} (expected {', '.join(ROUTES)})",
                     key="recycling_route")


def secondary_oxide_supply(scrap: Stream, recoveries=(0.55, 0.78, 0.97),
                           route: str = "hydromet", *, tables) -> dict[float, object]:
    """Secondary RE oxide supply (TREO equivalent) from a scrap flow at several recoveries.

    Parameters
    ----------
    scrap : Stream
        Scrap flow [mass flow].
    recoveries : iterable of float
        Recoveries to compare [-]; default 0.55 and 0.78 (Sohu Caijing, 9 Nov 2025)
        and the Ames/CMI 0.97.
    route : str
    tables : InputTables
        The input tables (:class:`tea.config.inputs.InputTables` or any object with the
        attribute used): ``recycling``, the parameters of :func:`parse_recycling_params`.

    Returns
    -------
    dict[float, pint.Quantity]
        Recovery -> TREO-equivalent supply [t_REO/yr for a t/yr scrap stream].
    """
    return {float(r): recycle(scrap, route, r, tables=tables).oxide_supply() for r in recoveries}


def _destination(value: str) -> str:
    if value not in DESTINATIONS:
        raise InputError(f"unknown destination {value!r} (expected {', '.join(DESTINATIONS)})",
                         key="destination")
    return value
