"""Per-technology unit coefficients of a plant, computed by the process models.

For each candidate plant of a scenario, the process models are run on one unit of the plant's
activity, giving what the optimizer needs as numbers: the commodities consumed and produced per
element (``modes``), the consumptions of reagents and energy per unit, and the capacity each unit
uses.  Costs are added by :mod:`tea.chain`.

Commodity names (all element-resolved ones in t of element):
``conc:<deposit>:<El>`` concentrate of a deposit; ``mixed:<source>:<El>`` mixed RE solution of one
source (a deposit cracked by its route, see :func:`mixed_sources`, or ``recycled_<grade>_<level>``
from hydrometallurgical recycling); ``oxide:<El>`` separated oxide at the plant's purity;
``byproduct:<El>`` the concentrates of a separation train that no sold product takes;
``metal:<El>`` metal; ``scrap:<grade>_<level>:<El>`` what a magnet plant sends to a recycler
(swarf, grinding sludge, rejects); and ``magnet:<grade>`` (t of magnet).

Whole feeds: every mode takes its inputs in a fixed composition, so no plant can pick elements.
Activity units: mine t ore; cracking t of RE element in concentrate, cracked whole in the
deposit's composition (one mode); separation t of RE element in mixed feed, one mode per feed
source, its train designed for that feed (capacity in t REO/yr of feed); metal t metal; magnet t
magnet; recycling t of RE in scrap, one mode per scrap source (capacity in t scrap).

Balance: each mode's RE in (commodities consumed, and ore RE for a mine: ``resource_in``) equals
its RE out (commodities made) plus its named ``losses`` (tailings, leach residue, precipitation
filtrate, metal-making losses, route waste, recycling residue), per element;
``tests/chain/test_coefficients_balance.py`` holds every technology to 1e-9.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np

from tea.chain.commodity import Commodity, element_of
from tea.config.scenario import Plant, Scenario
from tea.elements import ELEMENTS, OXIDE_FACTOR, index, nonzero_by_element
from tea.errors import InputError
from tea.process.magnet_route import magnet_coefficients
from tea.process.metal import oxide_to_metal
from tea.process.parameters import get_beneficiation, get_cracking_route, get_deposit
from tea.process.precipitation import precipitate
from tea.process.recycling import hydromet_route, recovery_cases
from tea.process.route import concentrate_of, mixed_solution
from tea.process.separation import FIXED_GROUPS, design_train
from tea.streams import Stream
from tea.units import Q_

TRACE = 1e-12
"""Outputs below this fraction of a mode's RE intake are folded into the element's main output
(keeps the balance exact without matrix entries below the solver's tolerance)."""


@dataclass
class UnitCoefficients:
    """What one unit of a plant's activity does.

    Attributes
    ----------
    activity_unit : str
        Unit of the activity (e.g. ``"t ore"``).
    capacity_per_module : float
        Capacity of one module in activity-capacity units [per yr].
    modes : dict[str, float]
        Mode -> capacity use per unit of mode activity [-].
    coefficients : dict[str, dict[str, float]]
        Mode -> commodity -> t per unit activity (< 0 consumed).
    consumptions : dict[str, dict[str, pint.Quantity]]
        Mode -> consumable (reagent, energy) -> amount per unit activity.
    losses : dict[str, dict[str, dict[str, float]]]
        Mode -> named loss (tailings, leach residue, ...) -> element -> t of element per unit
        activity that leaves the chain there.
    resource_in : dict[str, dict[str, float]]
        Mode -> element -> t of element per unit activity taken from a deposit (mines).
    notes : list[str]
        How the coefficients were derived.
    design : object
        The process model's own result (e.g. the separation train), for reports.
    """

    activity_unit: str
    capacity_per_module: float
    modes: dict[str, float] = field(default_factory=dict)
    coefficients: dict[str, dict[str, float]] = field(default_factory=dict)
    consumptions: dict[str, dict[str, object]] = field(default_factory=dict)
    losses: dict[str, dict[str, dict[str, float]]] = field(default_factory=dict)
    resource_in: dict[str, dict[str, float]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    design: object = None


def plant_coefficients(scenario: Scenario, plant: Plant) -> UnitCoefficients:
    """Unit coefficients of one plant (dispatch on its technology).

    Errors of the process models are reported against the plant's key in the model file.
    """
    builders = {
        "mine": _mine, "cracking": _cracking, "separation": _separation, "metal": _metal,
        "magnet": _magnet, "recycling": _recycling,
    }
    try:
        return _fold_traces(builders[plant.technology](scenario, plant))
    except InputError as exc:
        if exc.file:
            raise
        key = f"plants.{plant.id}" + (f".{exc.key}" if exc.key else "")
        raise InputError(exc.message, str(scenario.path), key) from None


# -- deposits and upstream --------------------------------------------------------------------
def deposit_model(scenario: Scenario, deposit_id: str):
    """The :class:`tea.process.mining.Deposit` of a scenario deposit, with the file's overrides."""

    ref = scenario.deposits[deposit_id]
    try:
        deposit = get_deposit(ref.data, scenario.inputs.deposits)
    except InputError as exc:
        raise InputError(exc.message, str(scenario.path), f"deposits.{deposit_id}.data") from None
    changes = {}
    if ref.reserve is not None:
        changes["ore_tonnage"] = ref.reserve.to("Mt")
    if ref.grade_treo is not None:
        changes["treo_grade"] = ref.grade_treo
    return dataclasses.replace(deposit, **changes) if changes else deposit


def concentrate_per_tonne_ore(scenario: Scenario, deposit_id: str):
    """Concentrate stream and beneficiation consumptions per t of ore mined [t/t] (the route's
    first stages, :func:`tea.process.route.concentrate_of`)."""
    deposit = deposit_model(scenario, deposit_id)
    method = deposit.beneficiation
    mined, result = concentrate_of(deposit, Q_(1.0, "t/yr"),
                                   get_beneficiation(method, scenario.inputs.beneficiation))
    return deposit, mined, result, method


def _mine(scenario: Scenario, plant: Plant) -> UnitCoefficients:
    deposit, mined, ben, method = concentrate_per_tonne_ore(scenario, plant.deposit)
    conc = ben.concentrate
    coefs = {Commodity.conc(plant.deposit, s).name: float(conc.re[i]) for i, s in enumerate(ELEMENTS)
             if conc.re[i] > 0}
    moved = float(mined.material_moved.to("t/yr").magnitude)
    cons = {"material_moved": Q_(moved, "t"), "concentrate": Q_(float(conc.total), "t")}
    return UnitCoefficients(
        activity_unit="t ore",
        capacity_per_module=float(plant.capacity.to("t/yr").magnitude),
        modes={"ore": 1.0}, coefficients={"ore": coefs}, consumptions={"ore": cons},
        losses={"ore": {"tailings": nonzero_by_element(ben.tailings.re)}},
        resource_in={"ore": nonzero_by_element(mined.ore.re)},
        notes=[f"{deposit.key}: TREO grade {deposit.treo_grade:.4f}, {method} recovery "
               f"{float(ben.recovery):.3f}, concentrate grade {float(ben.concentrate_grade):.3f}"],
        design=ben,
    )


def _cracking(scenario: Scenario, plant: Plant) -> UnitCoefficients:

    deposit, _, ben, _ = concentrate_per_tonne_ore(scenario, plant.deposit)
    route_name = cracking_route_name(scenario, plant)
    source = mixed_source_of(scenario, plant)
    try:
        route = get_cracking_route(route_name, scenario.inputs.cracking_routes)
    except InputError as exc:
        raise InputError(exc.message, str(scenario.path), f"plants.{plant.id}.route") from None
    conc = ben.concentrate
    re_total = float(conc.total_re)
    unit_feed = conc.scaled(1.0 / re_total)  # 1 t of RE element in concentrate
    result, _, _ = mixed_solution(unit_feed.renamed("concentrate"), route)
    rec = np.divide(result.solution.re, unit_feed.re, out=np.zeros(len(ELEMENTS)),
                    where=unit_feed.re > 0)
    share = unit_feed.re  # t of each element per t of RE in the concentrate
    coefs, residue = {}, {}
    for i, s in enumerate(ELEMENTS):
        if share[i] <= 0:
            continue
        coefs[Commodity.conc(plant.deposit, s).name] = -float(share[i])
        coefs[Commodity.mixed(source, s).name] = float(share[i] * rec[i])
        residue[s] = float(share[i] * (1.0 - rec[i]))
    # one mode: a concentrate is cracked whole, in the composition the deposit gives it
    modes = {"concentrate": float((share * OXIDE_FACTOR).sum())}
    coefs = {"concentrate": coefs}
    cons = {"concentrate": _per_unit(result.consumptions, 1.0)}
    return UnitCoefficients(
        activity_unit="t RE in concentrate",
        capacity_per_module=float(plant.capacity.to("t_REO/yr").magnitude),
        modes=modes, coefficients=coefs, consumptions=cons,
        losses={"concentrate": {"leach residue": residue}},
        notes=[f"{route_name} on {deposit.key} concentrate: TREO recovery "
               f"{float(result.recovery):.3f}"],
        design=result,
    )


def _separation(scenario: Scenario, plant: Plant) -> UnitCoefficients:
    """A separation plant takes each mixed feed whole: one mode per feed (source), its train
    designed for that feed's composition; every element leaves as a sold oxide, as a by-product
    concentrate (``byproduct:<El>``) or in the precipitation filtrate (a named loss)."""
    groups = {pid: scenario.products[pid].elements for pid in plant.products
              if scenario.products[pid].material == "oxide"}
    try:
        sold = train_product_names(groups)
    except InputError as exc:
        raise InputError(exc.message, str(scenario.path), f"plants.{plant.id}.products") from None
    feeds = separation_feeds(scenario, plant)
    if not feeds:
        raise InputError("no mixed feed reaches this separation plant (add a cracking or "
                         "recycling plant)", str(scenario.path), f"plants.{plant.id}")
    modes, coefs, cons, losses, designs, notes = {}, {}, {}, {}, {}, []
    for source, feed in feeds.items():
        train = design_train(feed, [*sold, *remainder_groups(sold)], purity=plant.purity,
                             tables=scenario.inputs)
        designs[source] = train
        share = feed.re  # t of each element per t of RE fed
        base = train.reagents.get("base")
        hcl = train.reagents.get("hcl")
        mode_cons = {k: Q_(float(v.to("t/yr").magnitude), "t") for k, v in
                     (("sodium_hydroxide", base), ("hydrochloric_acid", hcl)) if v is not None}
        c, lost = {}, {}
        precipitated = np.zeros(len(ELEMENTS))
        for name, product in train.products.items():
            if name not in sold:
                for i, s in enumerate(ELEMENTS):
                    if product.re[i] > 0:
                        key = Commodity.byproduct(s).name
                        c[key] = c.get(key, 0.0) + float(product.re[i])
                continue
            precipitated = precipitated + product.re
        pre = precipitate(Stream(precipitated, {}, "t/yr", "sold products"),
                          scenario.inputs.precipitation)
        for i, s in enumerate(ELEMENTS):
            if share[i] <= 0:
                continue
            c[Commodity.mixed(source, s).name] = -float(share[i])
            if pre.oxide.re[i] > 0:
                c[Commodity.oxide(s).name] = float(pre.oxide.re[i])
            loss = float(precipitated[i] - pre.oxide.re[i])
            if loss > 0:
                lost[s] = loss
        modes[source] = float((share * OXIDE_FACTOR).sum())  # capacity in t REO of feed
        coefs[source] = c
        losses[source] = {"precipitation filtrate": lost}
        cons[source] = {**mode_cons,
                        "oxalic_acid": Q_(float(pre.oxalic_acid.to("t/yr").magnitude), "t"),
                        "energy_calcination": Q_(float(
                            pre.calcination_energy.to("MWh/yr").magnitude), "MWh")}
        notes.append(f"{source} feed: {train.total_stages} stages in {len(train.cuts)} cuts to "
                     f"{', '.join(sold)} at purity {plant.purity}; by-products "
                     f"{', '.join(n for n in train.products if n not in sold) or 'none'}")
    return UnitCoefficients(
        activity_unit="t RE in mixed feed",
        capacity_per_module=float(plant.capacity.to("t_REO/yr").magnitude),
        modes=modes, coefficients=coefs, consumptions=cons, losses=losses, notes=notes,
        design=designs,
    )


def remainder_groups(sold: list[str]) -> list[str]:
    """By-product groups taking the elements no sold product takes: LRE and HRE always (they only
    claim what is left), SEG unless a sold product already takes one of Sm, Eu, Gd."""
    seg = set(FIXED_GROUPS["SEG"])
    taken = {e for name in sold for e in FIXED_GROUPS.get(name, (name,))}
    return ["LRE", "HRE"] + ([] if taken & seg or "SEG" in sold else ["SEG"])


def mixed_sources(scenario: Scenario) -> dict[str, tuple[str, str]]:
    """Mixed RE solutions of a scenario: source id -> (deposit, cracking route).

    A deposit cracked by one route gives the source ``<deposit>``; cracked by several routes
    (whose recoveries give the solution different compositions), ``<deposit>_<route>`` each.
    """
    routes: dict[str, set[str]] = {}
    for dep in scenario.deposits:  # a deposit no plant cracks: its default route (inert feed)
        if not any(p.technology == "cracking" and p.deposit == dep
                   for p in scenario.plants.values()):
            routes[dep] = {deposit_model(scenario, dep).cracking}
    for plant in scenario.plants.values():
        if plant.technology == "cracking":
            routes.setdefault(plant.deposit, set()).add(cracking_route_name(scenario, plant))
    return {(dep if len(rs) == 1 else f"{dep}_{r}"): (dep, r)
            for dep, rs in routes.items() for r in sorted(rs)}


def mixed_source_of(scenario: Scenario, plant: Plant) -> str:
    """The source id of the mixed solution a cracking plant makes."""
    route = cracking_route_name(scenario, plant)
    return next(s for s, key in mixed_sources(scenario).items() if key == (plant.deposit, route))


def cracking_route_name(scenario: Scenario, plant: Plant) -> str:
    return plant.route or deposit_model(scenario, plant.deposit).cracking


def scrap_sources(scenario: Scenario) -> dict[str, tuple[str, str]]:
    """Magnet scrap of a scenario: source id ``<grade>_<tech level>`` -> (grade, tech level)."""
    out = {}
    for plant in scenario.plants.values():
        if plant.technology == "magnet":
            grade, level = plant.grade or "N42", plant.tech_level or "reference"
            out[f"{grade}_{level}"] = (grade, level)
    return out


def separation_feeds(scenario: Scenario, plant: Plant) -> dict[str, Stream]:
    """Mixed feeds a separation plant can take, each 1 t RE in its own composition: the mixed
    solutions of the scenario's cracking plants (only its deposit's if the plant names one) and
    the mixed oxide of each recycling source."""
    feeds = {}
    for source, (dep_id, route) in mixed_sources(scenario).items():
        if plant.deposit and dep_id != plant.deposit:
            continue
        _, _, ben, _ = concentrate_per_tonne_ore(scenario, dep_id)
        _, mixed, _ = mixed_solution(ben.concentrate,
                                     get_cracking_route(route, scenario.inputs.cracking_routes))
        feeds[source] = mixed.scaled(1.0 / float(mixed.total_re)).renamed(f"{source} mixed")
    if any(p.technology == "recycling" for p in scenario.plants.values()):
        for source, (grade, level) in scrap_sources(scenario).items():
            scrap = scrap_composition(scenario, grade, level)
            feeds[f"recycled_{source}"] = Stream(scrap / scrap.sum(), {}, "t/yr",
                                                 f"recycled {source} mixed oxide")
    return feeds


def scrap_composition(scenario: Scenario, grade: str, level: str) -> np.ndarray:
    """RE in the scrap of one kg of magnet of ``grade`` at ``level``, by element [kg/kg]."""
    scrap = magnet_coefficients(grade, level, "recycler",
                                tables=scenario.inputs)["scrap_re_kg_per_kg"]
    return np.array([scrap.get(s, 0.0) for s in ELEMENTS])


def train_product_names(groups: dict[str, tuple[str, ...]]) -> list[str]:
    """Train product names for the model's oxide products: a symbol for a single element, a
    named group of the separation train (NdPr, LaCe, SEG) for a group of elements."""
    names = []
    for product, elements in groups.items():
        if len(elements) == 1:
            names.append(elements[0])
            continue
        match = [g for g, els in FIXED_GROUPS.items() if set(els) == set(elements)]
        if not match:
            raise InputError(f"product {product!r} ({'+'.join(elements)}) is not a group the "
                             f"separation train makes (expected one of {', '.join(FIXED_GROUPS)} "
                             "or single elements)")
        names.append(match[0])
    return names


# -- downstream --------------------------------------------------------------------------------
def _metal(scenario: Scenario, plant: Plant) -> UnitCoefficients:

    modes, coefs, cons, losses = {}, {}, {}, {}
    for s in ("Nd", "Pr", "Dy", "Tb"):
        result = oxide_to_metal(Stream.from_elements({s: 1.0}, unit="t/yr"),
                                tables=scenario.inputs)
        made = float(result.metal.re[index(s)])
        modes[s] = 1.0
        coefs[s] = {Commodity.oxide(s).name: -1.0 / made, Commodity.metal(s).name: 1.0}
        losses[s] = {"metal-making losses": {s: float(result.losses.re[index(s)]) / made}}
        cons[s] = _per_unit(result.consumptions, made)
    return UnitCoefficients(
        activity_unit="t metal", capacity_per_module=float(plant.capacity.to("t/yr").magnitude),
        modes=modes, coefficients=coefs, consumptions=cons, losses=losses,
        notes=["fluoride electrolysis for Nd and Pr, calciothermic reduction for Dy and Tb"],
    )


def _magnet(scenario: Scenario, plant: Plant) -> UnitCoefficients:

    grade = plant.grade or "N42"
    level = plant.tech_level or "reference"
    try:
        c = magnet_coefficients(grade, level, "recycler", tables=scenario.inputs)
    except InputError as exc:
        key = "tech_level" if exc.key == "tech_level" else "grade"
        raise InputError(exc.message, str(scenario.path), f"plants.{plant.id}.{key}") from None
    coefs = {Commodity.magnet(grade).name: 1.0}
    for s, v in c["metal_kg_per_kg"].items():
        coefs[Commodity.metal(s).name] = -float(v)
    # everything the route sends to a recycler (swarf, sludge, rejects) leaves as scrap of this
    # grade and level, in its own composition
    source = f"{grade}_{level}"
    for s, v in c["scrap_re_kg_per_kg"].items():
        coefs[Commodity.scrap(source, s).name] = float(v)
    cons = {"electricity": Q_(float(c["electricity_kwh_per_kg"]) * 1000.0, "kWh")}
    cons.update({f"raw_{k}": Q_(float(v), "t") for k, v in c["raw_materials_kg_per_kg"].items()})
    return UnitCoefficients(
        activity_unit="t magnet", capacity_per_module=float(plant.capacity.to("t/yr").magnitude),
        modes={grade: 1.0}, coefficients={grade: coefs}, consumptions={grade: cons},
        losses={grade: {"route waste": dict(c["waste_re_kg_per_kg"])}},
        notes=[f"{grade} at technology level {level}: route yield {c['route_yield']:.3f}, "
               f"NdPr oxide {c['ndpr_oxide_kg_reo_per_kg']:.3f} kg REO per kg magnet, "
               f"{c['scrap_kg_per_kg']:.3f} kg scrap per kg to a recycler"],
        design=c,
    )


def _recycling(scenario: Scenario, plant: Plant) -> UnitCoefficients:
    """A recycler takes each scrap source whole (one mode per grade and technology level): the
    route's recovery applies to every element; the rest leaves in the route's residue."""
    sources = scrap_sources(scenario)
    if not sources:
        raise InputError("no magnet plant makes scrap for this recycler", str(scenario.path),
                         f"plants.{plant.id}")
    modes, coefs, cons, losses = {}, {}, {}, {}
    for source, (grade, level) in sources.items():
        c = magnet_coefficients(grade, level, "recycler", tables=scenario.inputs)
        re = np.array([c["scrap_re_kg_per_kg"].get(s, 0.0) for s in ELEMENTS])
        total = float(c["scrap_kg_per_kg"])   # t scrap per t magnet made
        feed = Stream(re / re.sum(), {}, "t/yr", f"{source} scrap")  # 1 t RE in scrap
        result = hydromet_route(feed, recovery=recycling_recovery(scenario, plant),
                                tables=scenario.inputs)
        mode, scrap_per_t_re = source, total / float(re.sum())
        modes[mode] = scrap_per_t_re  # capacity in t scrap
        coefs[mode] = {}
        for i, s in enumerate(ELEMENTS):
            if feed.re[i] > 0:
                coefs[mode][Commodity.scrap(source, s).name] = -float(feed.re[i])
                coefs[mode][Commodity.mixed(f"recycled_{source}", s).name] = float(
                    result.product.re[i])
        losses[mode] = {"recycling residue": nonzero_by_element(result.residue.re)}
        # reagents are per t of scrap: the RE-only feed stands for scrap_per_t_re t of scrap
        per = _per_unit(result.consumptions, 1.0)
        per["electricity"] = per["electricity"] * scrap_per_t_re
        cons[mode] = per
    return UnitCoefficients(
        activity_unit="t RE in scrap", capacity_per_module=float(plant.capacity.to("t/yr").magnitude),
        modes=modes, coefficients=coefs, consumptions=cons, losses=losses,
        notes=[f"hydrometallurgical recycling of {', '.join(sources)} scrap back to a mixed RE "
               f"oxide, recovery {float(result.product.total_re / feed.total_re):.2f} of every "
               "element"],
    )


def recycling_recovery(scenario: Scenario, plant: Plant) -> float | None:
    """Recovery of a recycling plant: its ``recovery_case`` of the ``recycling`` table (checked
    by :mod:`tea.config`), or ``None`` for the route's default."""
    if not plant.recovery_case:
        return None
    return recovery_cases(tables=scenario.inputs)[plant.recovery_case]


# -- helpers -----------------------------------------------------------------------------------
def _fold_traces(unit: UnitCoefficients) -> UnitCoefficients:
    """Fold element outputs below :data:`TRACE` of a mode's RE intake into that element's largest
    output of the mode (see :data:`TRACE`)."""
    for mode, coefs in unit.coefficients.items():
        intake = -sum(v for k, v in coefs.items() if v < 0 and element_of(k))
        intake += sum(unit.resource_in.get(mode, {}).values())
        small = [k for k, v in coefs.items() if 0 < v < TRACE * intake and element_of(k)]
        for k in small:
            el = element_of(k)
            others = [(v, o) for o, v in coefs.items() if v > 0 and o != k and element_of(o) == el
                      and o not in small]
            if others:
                coefs[max(others)[1]] += coefs.pop(k)
    return unit


def _per_unit(consumptions: dict, feed_per_unit: float) -> dict:
    """Yearly consumptions of a process run on a t/yr feed -> amounts per unit of activity,
    given the feed [t/yr] that one unit of activity stands for."""
    return {k: Q_(float(v.magnitude) / feed_per_unit, f"{v.units:~P}".replace("/yr", ""))
            for k, v in consumptions.items() if np.ndim(v.magnitude) == 0}
