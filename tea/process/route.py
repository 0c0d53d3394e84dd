"""The ore-to-oxides route: mine -> beneficiation -> cracking -> SX separation train -> oxides.

:func:`ore_to_oxides` chains the process models for one deposit at a throughput (ore or
concentrate per year) and returns every stream by name, every consumption per year, the
recoveries and the element balance.  :func:`route_table` turns the streams into a DataFrame.
Its stages are functions of their own (:func:`concentrate_of`: ore mined and beneficiated;
:func:`mixed_solution`: a concentrate cracked and leached to the mixed RE solution), which the
chain's per-plant coefficients call as well.

Balance
    ore = tailings + leach residue + solution impurities + separation losses (if the train
    reports any) + for each product (oxide + precipitation losses), element by element and for
    every non-RE species; :meth:`RouteResult.balance_error` is the largest relative imbalance.

The non-RE species dissolved in the leach ("solution impurities") are taken out before SX, as
the purification step of a real plant does (modelled as a perfect split; its reagents are not
counted).  Separation works on the RE only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from tea.elements import ELEMENTS
from tea.errors import InputError
from tea.process.beneficiation import BeneficiationParams, BeneficiationResult, beneficiate
from tea.process.cracking import CrackingResult, CrackingRoute, crack
from tea.process.mining import Deposit, MiningResult, mine
from tea.process.parameters import get_beneficiation, get_cracking_route, get_deposit
from tea.process.precipitation import PrecipitationParams, precipitate
from tea.process.separation import design_train
from tea.streams import Stream, balance_error
from tea.units import Q_, ureg


@dataclass(frozen=True)
class RouteOptions:
    """Process choices of a route; ``None`` takes the deposit's default or the input tables.

    Parameters
    ----------
    beneficiation : str or BeneficiationParams, optional
        Method name (a row of the ``beneficiation`` table) or parameters.
    cracking : str or CrackingRoute, optional
        Route name (a row of the ``cracking_routes`` table) or parameters.
    precipitation : PrecipitationParams, optional
    mining_recovery : float
        Fraction of the stated ore mined over the life [-].
    separation_factors : optional
        Passed to the separation train as ``factors``.
    separation_energy : float
        Power of the SX train (mixers, pumps, heating) per t of TREO fed [MWh/t_REO].
        Assumption: no published figure found; sweep 1-5.
    """

    beneficiation: str | BeneficiationParams | None = None
    cracking: str | CrackingRoute | None = None
    precipitation: PrecipitationParams | None = None
    mining_recovery: float = 1.0
    separation_factors: object = None
    separation_energy: float = 2.0

    def __post_init__(self):
        e = self.separation_energy
        if not (np.isfinite(e) and e >= 0):
            raise InputError(f"separation_energy must be >= 0 MWh/t_REO, got {e}",
                             key="separation_energy")


@dataclass
class RouteResult:
    """Everything a route run produces (flows per year).

    Attributes
    ----------
    deposit : Deposit
    products : list[str]
        Product names in train order.
    purity : float
        Target purity of every product [-].
    streams : dict[str, Stream]
        Every stream by name, in process order [t/yr].
    inputs, outputs : list[str]
        Names of the streams entering and leaving the route (the balance terms).
    consumptions : dict[str, pint.Quantity]
        ``"<stage>.<name>"`` -> reagent use [t/yr] or energy [MWh/yr].
    recoveries : dict[str, numpy.ndarray]
        TREO recovery of each stage and ``"overall"`` (ore TREO to oxide TREO) [-].
    mining : MiningResult
    train : object
        The separation train result (cuts, stages, reagents).
    beneficiation : BeneficiationResult
        Mass pull and concentrate grade of the beneficiation.
    cracking : CrackingResult
    """

    deposit: Deposit
    products: list[str]
    purity: float
    streams: dict[str, Stream]
    inputs: list[str]
    outputs: list[str]
    consumptions: dict
    recoveries: dict
    mining: MiningResult
    train: object = None
    species: tuple[str, ...] = field(default_factory=tuple)
    beneficiation: BeneficiationResult | None = None
    cracking: CrackingResult | None = None

    def balance_error(self) -> float:
        """Largest relative imbalance over elements and non-RE species, ore vs all outputs [-]."""
        return balance_error([self.streams[n] for n in self.inputs],
                             [self.streams[n] for n in self.outputs], self.species)

    def oxide(self, product: str) -> Stream:
        """The oxide stream of one product."""
        try:
            return self.streams[f"{product} oxide"]
        except KeyError:
            raise InputError(f"no product {product!r} (have {', '.join(self.products)})") from None

    def product_oxides(self):
        """Oxide produced by product [t_REO/yr], as a dict of pint quantities."""
        return {p: Q_(self.oxide(p).total_reo, "t_REO/yr") for p in self.products}

    @property
    def total_oxide(self):
        """All separated oxides [t_REO/yr]."""
        return Q_(sum(self.oxide(p).total_reo for p in self.products), "t_REO/yr")

    def specific_consumptions(self) -> dict:
        """Each consumption per t of oxide produced (t/t_REO or MWh/t_REO)."""
        total = self.total_oxide
        return {k: (v / total).to(_per_reo(v)) for k, v in self.consumptions.items()}


def ore_to_oxides(
    deposit: Deposit | str,
    ore_rate=None,
    products: Sequence[str] | None = None,
    purity: float = 0.9999,
    options: RouteOptions | None = None,
    concentrate_rate=None,
    *,
    tables,
) -> RouteResult:
    """Run a deposit's ore through the whole route to separated oxides.

    Parameters
    ----------
    deposit : Deposit or str
        A deposit or its key in the ``deposits`` table.
    ore_rate : pint.Quantity, optional
        Ore mined [mass/time]; default the deposit's design rate.
    products : sequence of str, optional
        Products of the separation train (names the train knows, e.g. ``"La"``, ``"NdPr"``,
        ``"SEG"``, ``"HRE"``); default :data:`DEFAULT_PRODUCTS`.
    purity : float
        Target purity of every product [-].
    options : RouteOptions, optional
    concentrate_rate : pint.Quantity, optional
        Concentrate to produce [mass/time] instead of an ore rate (the ore rate follows from the
        mass pull, every model being linear in its feed).
    tables : InputTables
        The input tables (:class:`tea.config.inputs.InputTables` or any object with the
        attributes used): ``deposits``, ``beneficiation``, ``cracking_routes``,
        ``precipitation`` and ``separation_factors``.

    Returns
    -------
    RouteResult
    """
    dep = get_deposit(deposit, tables.deposits) if isinstance(deposit, str) else deposit
    opts = options or RouteOptions()
    ben = _beneficiation(opts.beneficiation or dep.beneficiation, tables)
    route = _cracking(opts.cracking or dep.cracking, tables)
    prec = opts.precipitation or tables.precipitation
    products = list(products or DEFAULT_PRODUCTS)
    rate = _ore_rate(dep, ben, ore_rate, concentrate_rate, opts.mining_recovery)

    mined, ben_res = concentrate_of(dep, rate, ben, opts.mining_recovery)
    crk, mixed, impurities = mixed_solution(ben_res.concentrate, route)
    if np.ndim(mixed.re) != 1:
        raise InputError("the route runs one sample at a time (the SX train is designed per feed)",
                         key="ore_rate")

    train = design_train(mixed, products, purity=purity, factors=opts.separation_factors,
                         tables=tables)
    streams: dict[str, Stream] = {
        "ore": mined.ore, "concentrate": ben_res.concentrate, "tailings": ben_res.tailings,
        "leach solution": crk.solution, "leach residue": crk.residue,
        "solution impurities": impurities, "mixed RE solution": mixed,
    }
    outputs = ["tailings", "leach residue", "solution impurities"]
    product_streams = {name: s.to("t/yr") for name, s in train.products.items()}
    separated = sum(product_streams.values(), Stream.empty("t/yr"))
    sx_loss = mixed.re - separated.re
    if np.any(np.abs(sx_loss) > 1e-9 * max(float(mixed.total_re), 1e-300)):
        streams["separation losses"] = Stream(np.clip(sx_loss, 0, None), {}, "t/yr",
                                              "separation losses")
        outputs.append("separation losses")

    consumptions = {f"cracking.{k}": v for k, v in crk.consumptions.items()}
    consumptions.update(_train_consumptions(train))
    consumptions["separation.energy_sx"] = Q_(mixed.total_reo * opts.separation_energy, "MWh/yr")
    oxide_total = np.zeros(())
    for name, solution in product_streams.items():
        streams[f"{name} solution"] = solution.renamed(f"{name} solution")
        pr = precipitate(solution, prec, name=f"{name} oxide")
        streams[f"{name} oxide"] = pr.oxide
        streams[f"{name} precipitation losses"] = pr.losses
        outputs += [f"{name} oxide", f"{name} precipitation losses"]
        for key, value in pr.consumptions.items():
            total = consumptions.get(f"precipitation.{key}")
            consumptions[f"precipitation.{key}"] = value if total is None else total + value
        oxide_total = oxide_total + pr.oxide.total_reo

    ore_treo = mined.ore.total_reo
    recoveries = {
        "beneficiation": ben_res.recovery,
        "cracking": crk.recovery,
        "separation": _ratio(separated.total_reo, mixed.total_reo),
        "precipitation": _ratio(oxide_total, separated.total_reo),
        "overall": _ratio(oxide_total, ore_treo),
    }
    species = tuple(sorted(mined.ore.other))
    return RouteResult(dep, list(product_streams), purity, streams, ["ore"], outputs,
                       consumptions, recoveries, mined, train, species, ben_res, crk)


DEFAULT_PRODUCTS = ("La", "Ce", "Pr", "Nd", "Sm", "Eu", "Gd", "Tb", "Dy", "Y", "HRE")
"""Default products of the route: eight or more separated oxides."""


def concentrate_of(deposit: Deposit, ore_rate, beneficiation: BeneficiationParams,
                   mining_recovery: float = 1.0) -> tuple[MiningResult, BeneficiationResult]:
    """The first stages of the route: ore mined and beneficiated.

    Parameters
    ----------
    deposit : Deposit
    ore_rate : pint.Quantity
        Ore mined [mass/time].
    beneficiation : BeneficiationParams
    mining_recovery : float
        Fraction of the stated ore mined over the life [-].

    Returns
    -------
    (MiningResult, BeneficiationResult)
        The ore mined and the concentrate and tailings it gives.
    """
    mined = mine(deposit, ore_rate, mining_recovery)
    return mined, beneficiate(mined.ore, beneficiation)


def mixed_solution(concentrate: Stream, route: CrackingRoute) -> tuple[CrackingResult, Stream,
                                                                         Stream]:
    """The cracking stage: a concentrate cracked and leached, the dissolved non-RE species taken
    out before SX (a perfect split, see the module notes).

    Returns
    -------
    (CrackingResult, Stream, Stream)
        The cracking result, the mixed RE solution (RE only) and the solution impurities.
    """
    crk = crack(concentrate, route)
    mixed = crk.solution.without_other().renamed("mixed RE solution")
    impurities = Stream(np.zeros_like(crk.solution.re), crk.solution.other, crk.solution.unit,
                        "solution impurities")
    return crk, mixed, impurities


def route_table(result: RouteResult) -> pd.DataFrame:
    """The route's streams as a table: TREO, total mass and each element's oxide [t/yr].

    Columns: ``stream``, ``role`` (input / output / internal), ``TREO_t_REO_per_yr``,
    ``total_t_per_yr``, then one column per element (``<El>_t_REO_per_yr``), then the non-RE
    species [t/yr].
    """
    rows = []
    for name, s in result.streams.items():
        role = "input" if name in result.inputs else "output" if name in result.outputs \
            else "internal"
        row = {"stream": name, "role": role, "TREO_t_REO_per_yr": float(s.total_reo),
               "total_t_per_yr": float(s.total)}
        row.update({f"{el}_t_REO_per_yr": float(v) for el, v in zip(ELEMENTS, s.re_reo,
                                                                       strict=True)})
        row.update({f"{k}_t_per_yr": float(v) for k, v in s.other.items()})
        rows.append(row)
    return pd.DataFrame(rows).fillna(0.0)


def _beneficiation(choice, tables) -> BeneficiationParams:
    if isinstance(choice, BeneficiationParams):
        return choice
    return get_beneficiation(choice, tables.beneficiation)


def _cracking(choice, tables) -> CrackingRoute:
    if isinstance(choice, CrackingRoute):
        return choice
    return get_cracking_route(choice, tables.cracking_routes)


def _ore_rate(dep: Deposit, ben: BeneficiationParams, ore_rate, concentrate_rate,
              mining_recovery: float):
    if ore_rate is not None and concentrate_rate is not None:
        raise InputError("give ore_rate or concentrate_rate, not both", key="ore_rate")
    if concentrate_rate is not None:
        conc = _flow(concentrate_rate, "concentrate_rate")
        pull = beneficiate(mine(dep, Q_(1.0, "t/yr"), mining_recovery).ore, ben).mass_pull
        if not pull > 0:
            raise InputError("the beneficiation keeps nothing of this ore", key="beneficiation")
        return Q_(conc / pull, "t/yr")
    if ore_rate is None:
        if dep.design_ore_rate is None:
            raise InputError(f"deposit {dep.key!r} has no design_ore_rate; give ore_rate",
                             key="ore_rate")
        return dep.design_ore_rate
    return Q_(_flow(ore_rate, "ore_rate"), "t/yr")


def _flow(value, what: str) -> np.ndarray:
    if not isinstance(value, ureg.Quantity) or not value.check("[mass]/[time]"):
        raise InputError(f"{what} must be a mass flow such as Q_(160, 'kt/yr'), got {value!r}",
                         key=what)
    mag = np.asarray(value.to("t/yr").magnitude, dtype=float)
    if np.any(mag < 0) or not np.all(np.isfinite(mag)):
        raise InputError(f"{what} must be >= 0, got {value}", key=what)
    return mag


def _ratio(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return np.divide(a, b, out=np.zeros(np.broadcast(a, b).shape), where=b > 0)


def _train_consumptions(train) -> dict:
    """Reagent use of the separation train, ``"separation.<name>"`` -> mass per year [t/yr]."""
    out = {}
    reagents = getattr(train, "reagents", None)
    if isinstance(reagents, Mapping):
        for key, value in reagents.items():
            if isinstance(value, ureg.Quantity) and value.check("[mass]/[time]"):
                out[f"separation.{key}"] = value.to("t/yr")
    return out


def _per_reo(q) -> str:
    return "MWh/t_REO" if q.check("[energy]/[time]") else "t/t_REO"

