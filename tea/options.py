"""Per-technology unit coefficients of a plant, computed by the process models.

For each candidate plant of a scenario, the process models are run on one unit of the plant's
activity, giving what the optimizer needs as numbers: the commodities consumed and produced per
element (``modes``), the consumptions of reagents and energy per unit, and the capacity each unit
uses.  Costs are added by :mod:`tea.chain`.

Commodity names (all element-resolved ones in t of element):
``conc:<deposit>:<El>`` concentrate of a deposit, ``mixed:<El>`` mixed RE solution (after cracking,
or from hydrometallurgical recycling), ``oxide:<El>`` separated oxide at the target purity,
``metal:<El>`` metal, ``scrap:<El>`` magnet swarf and scrap, and ``magnet:<grade>`` (t of magnet).

Activity units: mine t ore; cracking t of RE element in concentrate, cracked whole in the
deposit's composition (one mode); separation t of RE element fed, one mode per element (capacity
counted in t REO/yr through each element's oxide factor; elements a plan leaves unseparated are
disposed of at the waste price, see :mod:`tea.chain`); metal t metal; magnet t magnet; recycling t of RE in
scrap (capacity counted in t scrap through the RE fraction of magnets).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from tea.config.scenario import Plant, Scenario
from tea.elements import ELEMENTS, OXIDE_FACTOR, index
from tea.errors import InputError
from tea.streams import Stream
from tea.units import Q_

SX_DEFAULT_ORDER = ("La", "Ce", "Pr", "Nd", "Sm", "Eu", "Gd", "Tb", "Dy", "Ho", "Y", "Er", "Tm",
                    "Yb", "Lu")
REAL_THRESHOLD = 1e-9


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
        return builders[plant.technology](scenario, plant)
    except InputError as exc:
        if exc.file:
            raise
        key = f"plants.{plant.id}" + (f".{exc.key}" if exc.key else "")
        raise InputError(exc.message, str(scenario.path), key) from None


# -- deposits and upstream --------------------------------------------------------------------
def deposit_model(scenario: Scenario, deposit_id: str):
    """The :class:`tea.process.mining.Deposit` of a scenario deposit, with the file's overrides."""
    import dataclasses

    from tea.process.parameters import get_deposit

    ref = scenario.deposits[deposit_id]
    try:
        deposit = get_deposit(ref.data)
    except InputError as exc:
        raise InputError(exc.message, str(scenario.path), f"deposits.{deposit_id}.data") from None
    changes = {}
    if ref.reserve is not None:
        changes["ore_tonnage"] = ref.reserve.to("Mt")
    if ref.grade_treo is not None:
        changes["treo_grade"] = ref.grade_treo
    return dataclasses.replace(deposit, **changes) if changes else deposit


def concentrate_per_tonne_ore(scenario: Scenario, deposit_id: str):
    """Concentrate stream and beneficiation consumptions per t of ore mined [t/t]."""
    from tea.process.beneficiation import beneficiate
    from tea.process.mining import mine
    from tea.process.parameters import get_beneficiation

    deposit = deposit_model(scenario, deposit_id)
    mined = mine(deposit, Q_(1.0, "t/yr"))
    method = deposit.beneficiation
    result = beneficiate(mined.ore, get_beneficiation(method))
    return deposit, mined, result, method


def _mine(scenario: Scenario, plant: Plant) -> UnitCoefficients:
    deposit, mined, ben, method = concentrate_per_tonne_ore(scenario, plant.deposit)
    conc = ben.concentrate
    coefs = {_conc(plant.deposit, s): float(conc.re[i]) for i, s in enumerate(ELEMENTS)
             if conc.re[i] > REAL_THRESHOLD}
    moved = float(mined.material_moved.to("t/yr").magnitude)
    cons = {"material_moved": Q_(moved, "t"), "concentrate": Q_(float(conc.total), "t")}
    return UnitCoefficients(
        activity_unit="t ore",
        capacity_per_module=float(plant.capacity.to("t/yr").magnitude),
        modes={"ore": 1.0}, coefficients={"ore": coefs}, consumptions={"ore": cons},
        notes=[f"{deposit.key}: TREO grade {deposit.treo_grade:.4f}, {method} recovery "
               f"{float(ben.recovery):.3f}, concentrate grade {float(ben.concentrate_grade):.3f}"],
        design=ben,
    )


def _cracking(scenario: Scenario, plant: Plant) -> UnitCoefficients:
    from tea.process.cracking import crack
    from tea.process.parameters import get_cracking_route

    deposit, _, ben, _ = concentrate_per_tonne_ore(scenario, plant.deposit)
    route_name = plant.route or deposit.cracking
    try:
        route = get_cracking_route(route_name)
    except InputError as exc:
        raise InputError(exc.message, str(scenario.path), f"plants.{plant.id}.route") from None
    conc = ben.concentrate
    re_total = float(conc.total_re)
    unit_feed = conc.scaled(1.0 / re_total)  # 1 t of RE element in concentrate
    result = crack(unit_feed.renamed("concentrate"), route)
    rec = np.divide(result.solution.re, unit_feed.re, out=np.zeros(len(ELEMENTS)),
                    where=unit_feed.re > 0)
    share = unit_feed.re  # t of each element per t of RE in the concentrate
    coefs = {}
    for i, s in enumerate(ELEMENTS):
        if share[i] <= REAL_THRESHOLD:
            continue
        coefs[_conc(plant.deposit, s)] = -float(share[i])
        coefs[f"mixed:{s}"] = float(share[i] * rec[i])
    # one mode: a concentrate is cracked whole, in the composition the deposit gives it
    modes = {"concentrate": float((share * OXIDE_FACTOR).sum())}
    coefs = {"concentrate": coefs}
    cons = {"concentrate": _per_unit(result.consumptions, 1.0)}
    return UnitCoefficients(
        activity_unit="t RE in concentrate",
        capacity_per_module=float(plant.capacity.to("t_REO/yr").magnitude),
        modes=modes, coefficients=coefs, consumptions=cons,
        notes=[f"{route_name} on {deposit.key} concentrate: TREO recovery "
               f"{float(result.recovery):.3f}"],
        design=result,
    )


def _separation(scenario: Scenario, plant: Plant) -> UnitCoefficients:
    from tea.process.precipitation import precipitate
    from tea.process.separation import design_train

    feed = separation_feed(scenario, plant)
    groups = {pid: scenario.products[pid].elements for pid in plant.products
              if scenario.products[pid].material == "oxide"}
    try:
        sold = train_product_names(groups)
    except InputError as exc:
        raise InputError(exc.message, str(scenario.path), f"plants.{plant.id}.products") from None
    train = design_train(feed, [*sold, *remainder_groups(sold)], purity=plant.purity)
    reagents = {"sodium_hydroxide": train.reagents.get("base"),
                "hydrochloric_acid": train.reagents.get("hcl")}
    reagents = {k: Q_(float(v.to("t/yr").magnitude), "t") for k, v in reagents.items()
                if v is not None}
    modes, coefs, cons = {}, {}, {}
    for i, s in enumerate(ELEMENTS):
        if feed.re[i] <= REAL_THRESHOLD:
            continue
        recovered = sum(float(train.products[name].re[i]) for name in sold)
        pre = precipitate(Stream.from_elements({s: 1.0}))
        modes[s] = float(OXIDE_FACTOR[i])
        coefs[s] = {f"mixed:{s}": -1.0}
        to_oxide = recovered / float(feed.re[i]) * float(pre.oxide.re[i])
        if to_oxide > REAL_THRESHOLD:
            coefs[s][f"oxide:{s}"] = to_oxide
        cons[s] = {**reagents,
                   "oxalic_acid": Q_(float(pre.oxalic_acid.to("t/yr").magnitude), "t"),
                   "energy_calcination": Q_(float(pre.calcination_energy.to("MWh/yr").magnitude),
                                            "MWh")}
    return UnitCoefficients(
        activity_unit="t RE in mixed solution",
        capacity_per_module=float(plant.capacity.to("t_REO/yr").magnitude),
        modes=modes, coefficients=coefs, consumptions=cons,
        notes=[f"separation train to {', '.join(sold)} at purity {plant.purity}: "
               f"{train.total_stages} stages in {len(train.cuts)} cuts"],
        design=train,
    )


def remainder_groups(sold: list[str]) -> list[str]:
    """By-product groups taking the elements no sold product takes: LRE and HRE always (they only
    claim what is left), SEG unless a sold product already takes one of Sm, Eu, Gd."""
    from tea.process.separation import FIXED_GROUPS

    seg = set(FIXED_GROUPS["SEG"])
    taken = {e for name in sold for e in FIXED_GROUPS.get(name, (name,))}
    return ["LRE", "HRE"] + ([] if taken & seg or "SEG" in sold else ["SEG"])



def separation_feed(scenario: Scenario, plant: Plant) -> Stream:
    """The mixed RE feed a separation plant is designed for: its deposit's, or the scenario's
    deposits' mixed solutions in proportion to their design ore rates (1 t RE in total)."""
    from tea.process.cracking import crack
    from tea.process.parameters import get_cracking_route

    deposit_ids = [plant.deposit] if plant.deposit else list(scenario.deposits)
    if not deposit_ids:
        raise InputError("no deposit to design the separation feed from (add a deposit)",
                         str(scenario.path), f"plants.{plant.id}")
    total = None
    for dep_id in deposit_ids:
        deposit, _, ben, _ = concentrate_per_tonne_ore(scenario, dep_id)
        route = get_cracking_route(deposit.cracking)
        mixed = crack(ben.concentrate, route).solution.without_other()
        rate = deposit.design_ore_rate.to("t/yr").magnitude if deposit.design_ore_rate else 1.0
        mixed = mixed.scaled(rate)
        total = mixed if total is None else total + mixed
    return total.scaled(1.0 / float(total.total_re)).renamed("separation feed")


def train_product_names(groups: dict[str, tuple[str, ...]]) -> list[str]:
    """Train product names for the model's oxide products: a symbol for a single element, a
    named group of the separation train (NdPr, LaCe, SEG) for a group of elements."""
    from tea.process.separation import FIXED_GROUPS

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
    from tea.process.metal import oxide_to_metal

    modes, coefs, cons = {}, {}, {}
    for s in ("Nd", "Pr", "Dy", "Tb"):
        result = oxide_to_metal(Stream.from_elements({s: 1.0}, unit="t/yr"))
        made = float(result.metal.re[index(s)])
        modes[s] = 1.0
        coefs[s] = {f"oxide:{s}": -1.0 / made, f"metal:{s}": 1.0}
        cons[s] = _per_unit(result.consumptions, made)
    return UnitCoefficients(
        activity_unit="t metal", capacity_per_module=float(plant.capacity.to("t/yr").magnitude),
        modes=modes, coefficients=coefs, consumptions=cons,
        notes=["fluoride electrolysis for Nd and Pr, calciothermic reduction for Dy and Tb"],
    )


def _magnet(scenario: Scenario, plant: Plant) -> UnitCoefficients:
    from tea.process.magnet import get_grade
    from tea.process.magnet_route import magnet_coefficients

    grade = plant.grade or "N42"
    level = plant.tech_level or "reference"
    try:
        c = magnet_coefficients(grade, level, "recycler")
        fractions = get_grade(grade).fractions
    except InputError as exc:
        raise InputError(exc.message, str(scenario.path), f"plants.{plant.id}.grade") from None
    coefs = {f"magnet:{grade}": 1.0}
    for s, v in c["metal_kg_per_kg"].items():
        coefs[f"metal:{s}"] = -float(v)
    # swarf and rejects leave with the magnet's composition (their RE goes to a recycler)
    for s in ELEMENTS:
        if fractions.get(s, 0.0) > 0:
            coefs[f"scrap:{s}"] = float(c["swarf_kg_per_kg"]) * float(fractions[s])
    cons = {"electricity": Q_(float(c["electricity_kwh_per_kg"]) * 1000.0, "kWh")}
    cons.update({f"raw_{k}": Q_(float(v), "t") for k, v in c["raw_materials_kg_per_kg"].items()})
    return UnitCoefficients(
        activity_unit="t magnet", capacity_per_module=float(plant.capacity.to("t/yr").magnitude),
        modes={grade: 1.0}, coefficients={grade: coefs}, consumptions={grade: cons},
        notes=[f"{grade} at technology level {level}: route yield {c['route_yield']:.3f}, "
               f"NdPr oxide {c['ndpr_oxide_kg_reo_per_kg']:.3f} kg REO per kg magnet"],
        design=c,
    )


def _recycling(scenario: Scenario, plant: Plant) -> UnitCoefficients:
    from tea.process.recycling import hydromet_route

    feed = Stream.from_elements({s: 1.0 for s in ("Nd", "Pr", "Dy", "Tb", "Gd")}, unit="t/yr")
    result = hydromet_route(feed)
    re_fraction = 0.31  # RE mass fraction of sintered NdFeB, 29.0-32.5 wt % (domain-data s.6)
    modes, coefs, cons = {}, {}, {}
    # the route's reagents are per t of scrap fed; the activity is a t of RE in scrap
    per_t_re = _per_unit(result.consumptions, float(feed.total) * re_fraction)
    for s in ("Nd", "Pr", "Dy", "Tb", "Gd"):
        modes[s] = 1.0 / re_fraction
        coefs[s] = {f"scrap:{s}": -1.0, f"mixed:{s}": float(result.product.re[index(s)])}
        cons[s] = per_t_re
    return UnitCoefficients(
        activity_unit="t RE in scrap", capacity_per_module=float(plant.capacity.to("t/yr").magnitude),
        modes=modes, coefficients=coefs, consumptions=cons,
        notes=["hydrometallurgical recycling of magnet swarf back to a mixed RE solution"],
    )


# -- helpers -----------------------------------------------------------------------------------
def _conc(deposit: str, symbol: str) -> str:
    return f"conc:{deposit}:{symbol}"


def _per_unit(consumptions: dict, feed_per_unit: float) -> dict:
    """Yearly consumptions of a process run on a t/yr feed -> amounts per unit of activity,
    given the feed [t/yr] that one unit of activity stands for."""
    return {k: Q_(float(v.magnitude) / feed_per_unit, f"{v.units:~P}".replace("/yr", ""))
            for k, v in consumptions.items() if np.ndim(v.magnitude) == 0}
