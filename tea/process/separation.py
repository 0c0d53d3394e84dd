"""Separation train: a mixed rare-earth feed split into products by a tree of SX cuts.

Extraction order (P507/PC-88A in HCl, least to most extractable):
La < Ce < Pr < Nd < Sm < Eu < Gd < Tb < Dy < Ho < Y < Er < Tm < Yb < Lu < Sc.
Y is placed between Ho and Er, its usual position with P507 (the Y/Ho and Er/Y factors in
``inputs/separation_factors.csv`` are assumptions that multiply to the Er/Ho prior).  Sc is
extracted far more strongly than the lanthanides; when the feed carries Sc and no "Sc" product is
asked for, the train adds one (an Sc by-product cut) and says so in ``notes``.

Products are element symbols or named groups: fixed groups ``NdPr``, ``LaCe``, ``SEG`` (Sm, Eu,
Gd) and remainder groups ``LRE`` (La..Nd) and ``HRE`` (Tb..Lu with Y), which take the members no
other product names.  A product may be non-contiguous in the order (``HRE`` next to a separate
``Y`` product is Ho + Er..Lu): each contiguous block is cut out on its own and the blocks blended.

Cut sequence: the blocks present in the feed form an ordered list; each node of the tree splits
its list at the boundary with the largest effective separation factor (easiest cut first, the
classic practice of splitting light from middle/heavy at Nd/Sm first), ties going to the most
even molar split.  The effective beta of a boundary is the product of the adjacent factors between
the two key elements (the last present element on the light side, the first on the heavy side;
constant separation factors multiply).  Each cut is a binary :func:`design_cut` with A = every
element heavier than the boundary; its feed fraction of A is their mole fraction in the cut's feed.
Routing rule: every element on the heavy side goes to the organic with the design's A recovery and
every element on the light side with (1 - B recovery), so each cut reproduces its binary design at
the group level (conservative for non-key elements, which separate more easily than the keys).

Purity targets: products are checked on the oxide basis (fraction of TREO, the commercial spec).
Impurities that reach a product are attributed to the cut where they crossed to the wrong side;
those cuts' targets are tightened and the train redesigned until every product with content meets
the target.  Each cut also recovers at least :data:`MIN_RECOVERY` of its minority side.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from tea.elements import ATOMIC_MASS, ELEMENTS, N_ELEMENTS
from tea.errors import InputError
from tea.process.cascade import CutDesign, design_cut
from tea.process.sx_equipment import SXEquipment, size_equipment
from tea.streams import Stream, balance_error
from tea.tables import Rows
from tea.units import Q_

ORDER = ("La", "Ce", "Pr", "Nd", "Sm", "Eu", "Gd", "Tb", "Dy", "Ho", "Y", "Er", "Tm", "Yb",
         "Lu", "Sc")
FIXED_GROUPS = {"NdPr": ("Pr", "Nd"), "LaCe": ("La", "Ce"), "SEG": ("Sm", "Eu", "Gd")}
REMAINDER_GROUPS = {"LRE": ("La", "Ce", "Pr", "Nd"),
                    "HRE": ("Tb", "Dy", "Ho", "Y", "Er", "Tm", "Yb", "Lu")}
MIN_RECOVERY = 0.99
"""Least fraction of a cut's minority side recovered to its own product (assumption)."""
PRESENT_TOL = 1e-10
"""Mole fraction below which an element counts as absent when forming cuts (it is still routed)."""
_POS = {s: i for i, s in enumerate(ORDER)}
_IDX = np.array([ELEMENTS.index(s) for s in ORDER])   # ORDER position -> ELEMENTS index


def parse_separation_factors(table: Rows) -> dict[str, float]:
    """Adjacent-pair separation factors by lighter element: ``{"Pr": 1.4, ...}`` (beta of the next).

    The table has columns heavier, lighter, beta, source; rows must be adjacent pairs in
    :data:`ORDER` with a finite beta > 1, every pair present once.
    """
    path = table.file
    out: dict[str, float] = {}
    for row in table.require(("heavier", "lighter", "beta", "source")):
        heavy, light = row["heavier"], row["lighter"]
        try:
            beta = float(row["beta"])
        except ValueError:
            beta = math.nan
        if light not in _POS or heavy not in _POS or _POS[heavy] != _POS[light] + 1:
            raise InputError(f"{heavy}/{light} is not an adjacent pair of the order {ORDER}",
                             file=path, key="heavier")
        if not math.isfinite(beta) or beta <= 1:
            raise InputError(f"beta of {heavy}/{light} must be a finite number > 1, got "
                             f"{row['beta'][:40]!r}", file=path, key="beta")
        out[light] = beta
    absent = [f"{ORDER[i + 1]}/{ORDER[i]}" for i in range(len(ORDER) - 1) if ORDER[i] not in out]
    if absent:
        raise InputError(f"no separation factor for {absent}", file=path, key="beta")
    return out


def _factors(table: Mapping[str, float], factors) -> dict[str, float]:
    table = dict(table)
    for key, beta in (factors or {}).items():
        heavy, light = key.split("/") if isinstance(key, str) else key
        if light not in _POS or heavy not in _POS or _POS[heavy] != _POS[light] + 1:
            raise InputError(f"{heavy}/{light} is not an adjacent pair", key="factors")
        if not math.isfinite(float(beta)) or float(beta) <= 1:
            raise InputError(f"beta of {heavy}/{light} must be > 1, got {beta}", key="factors")
        table[light] = float(beta)
    return table


def pair_beta(heavier: str, lighter: str, factors: Mapping[str, float]) -> float:
    """Separation factor between two elements: product of the adjacent factors between them."""
    lo, hi = _POS[lighter], _POS[heavier]
    return float(np.prod([factors[ORDER[i]] for i in range(lo, hi)]))


def resolve_products(products) -> dict[str, tuple[str, ...]]:
    """Elements of each product, in extraction order; InputError for unknown or overlapping names."""
    if isinstance(products, str) or not products:
        raise InputError("products must be a non-empty list of names", key="products")
    names = list(products)
    if len(set(names)) != len(names):
        raise InputError(f"duplicate product names in {names}", key="products")
    owner: dict[str, str] = {}
    for name in names:
        if name in _POS:
            owner[name] = name
        elif name not in FIXED_GROUPS and name not in REMAINDER_GROUPS:
            raise InputError(f"unknown product {name!r}; expected an element symbol or one of "
                             f"{sorted([*FIXED_GROUPS, *REMAINDER_GROUPS])}", key="products")
    for name in names:
        for el in FIXED_GROUPS.get(name, ()):
            if el in owner:
                raise InputError(f"products {owner[el]!r} and {name!r} overlap in {el}",
                                 key="products")
            owner[el] = name
    for name in names:
        for el in REMAINDER_GROUPS.get(name, ()):
            owner.setdefault(el, name)
    return {n: tuple(e for e in ORDER if owner.get(e) == n) for n in names}


@dataclass(frozen=True)
class Cut:
    """One binary cut of the train."""

    name: str
    key_pair: tuple[str, str]          # (heavier key, lighter key)
    beta: float
    feed_a: float
    design: CutDesign
    feed: Stream
    organic: Stream
    raffinate: Stream
    equipment: SXEquipment | None
    light_products: tuple[str, ...]
    heavy_products: tuple[str, ...]


@dataclass(frozen=True)
class TrainResult:
    """Products, cuts and balance of a separation train.

    ``purities`` are fractions of each product's TREO (oxide basis); ``reagents`` holds base and
    HCl in mol (per the feed's time unit) and, for flow feeds, in t/yr.
    """

    feed: Stream
    products: dict[str, Stream]
    product_elements: dict[str, tuple[str, ...]]
    cuts: list[Cut]
    purity: float
    purities: dict[str, float]
    targets_met: bool
    balance_error: float
    reagents: dict
    other: Stream
    notes: tuple[str, ...] = field(default_factory=tuple)
    purity_basis: str = "oxide (fraction of the product's TREO)"

    @property
    def total_stages(self) -> int:
        return sum(c.design.total_stages for c in self.cuts)


def _split_tree(blocks, moles, factors):
    """Cut tree over blocks: {(i, j): k} for every node splitting blocks[i:j] at k."""
    tree = {}

    def node(i, j):
        if j - i < 2:
            return
        best = None
        for k in range(i + 1, j):
            beta = pair_beta(blocks[k][1][0], blocks[k - 1][1][-1], factors)
            light = sum(moles[b] for b in range(i, k))
            share = light / max(sum(moles[b] for b in range(i, j)), 1e-300)
            score = (round(beta, 9), -abs(share - 0.5))
            if best is None or score > best[0]:
                best = (score, k)
        tree[(i, j)] = best[1]
        node(i, best[1])
        node(best[1], j)

    node(0, len(blocks))
    return tree


def _run(feed, blocks, tree, targets, factors, purity):
    """Design every cut for the current targets; return (cuts, block streams, block paths)."""
    cuts, leaves, paths, by_k = [], {}, {}, {}

    def node(i, j, stream, path):
        if j - i == 1:
            leaves[i], paths[i] = stream, path
            return
        k = tree[(i, j)]
        light_key, heavy_key = blocks[k - 1][1][-1], blocks[k][1][0]
        heavy_side = np.zeros(N_ELEMENTS, bool)
        heavy_side[_IDX[_POS[heavy_key]:]] = True
        x = stream.mole_fractions()
        fa = float(x[heavy_side].sum())
        imp_a, imp_b = targets[k]
        pa = min(max(1 - imp_a, 1 - (1 - fa) * (1 - MIN_RECOVERY)), 1 - 1e-12)
        pb = min(max(1 - imp_b, 1 - fa * (1 - MIN_RECOVERY)), 1 - 1e-12)
        beta = pair_beta(heavy_key, light_key, factors)
        design = design_cut(beta, fa, pa, pb)
        rec = np.where(heavy_side, min(design.recovery_a, 1.0),
                       max(1.0 - design.recovery_b, 0.0))
        names = (_uniq(b[0] for b in blocks[i:k]), _uniq(b[0] for b in blocks[k:j]))
        name = f"{'+'.join(names[0])} | {'+'.join(names[1])}"
        organic, raffinate = stream.split(rec, names=(f"{name} organic", f"{name} raffinate"))
        cuts.append(Cut(name, (heavy_key, light_key), beta, fa, design, stream, organic,
                        raffinate, _equipment(design, stream), names[0], names[1]))
        by_k[k] = cuts[-1]
        node(i, k, raffinate, (*path, (k, "b")))
        node(k, j, organic, (*path, (k, "a")))

    if blocks:
        node(0, len(blocks), feed, ())
    return cuts, leaves, paths, by_k


def _uniq(items):
    return tuple(dict.fromkeys(items))


def _moles(stream: Stream) -> float:
    return float((stream.re / ATOMIC_MASS).sum())


def _equipment(design: CutDesign, stream: Stream):
    q = Q_(1.0, stream.unit)
    if q.dimensionality != Q_(1.0, "t/yr").dimensionality or stream.total_re <= 0:
        return None
    molar_mass = Q_(float(stream.total_re) / _moles(stream), "g/mol")
    return size_equipment(design, Q_(float(stream.total_re), stream.unit), molar_mass)


def design_train(feed: Stream, products, purity: float = 0.9999, factors=None, *,
                 tables) -> TrainResult:
    """Split a mixed RE feed into products at a target purity with a tree of designed SX cuts.

    Parameters
    ----------
    feed : Stream
        Single-sample RE feed (any mass or mass-flow unit); other species pass to ``other``.
    products : list of str
        Element symbols and group names (see module notes).
    purity : float
        Target purity of every product with content, oxide basis [-].
    factors : mapping, optional
        Overrides of adjacent separation factors, ``{"Nd/Pr": 1.5}`` or ``{("Nd", "Pr"): 1.5}``.
    tables : InputTables
        The input tables (:class:`tea.config.inputs.InputTables`, or any object with the
        attribute used): ``separation_factors``, adjacent factors by lighter element [-].
    """
    if not isinstance(feed, Stream) or feed.re.ndim != 1:
        raise InputError("feed must be a single-sample Stream", key="feed")
    try:
        purity = float(purity)
    except (TypeError, ValueError):
        raise InputError(f"purity must be a number, got {purity!r}", key="purity") from None
    if not (math.isfinite(purity) and 0.5 < purity < 1.0):
        raise InputError(f"purity must lie in (0.5, 1), got {purity}", key="purity")
    table = _factors(tables.separation_factors, factors)
    elements = resolve_products(products)
    notes = []
    x = feed.mole_fractions()
    present = {s for s in ORDER if x[ELEMENTS.index(s)] > PRESENT_TOL}
    owner = {e: p for p, els in elements.items() for e in els}
    if "Sc" in present and "Sc" not in owner:
        elements["Sc"], owner["Sc"] = ("Sc",), "Sc"
        notes.append("feed carries Sc: an Sc by-product was added")
    uncovered = sorted(present - set(owner), key=_POS.get)
    if uncovered:
        raise InputError(f"feed contains {uncovered} but no product takes them; add them or a "
                         f"group (SEG, LRE, HRE)", key="products")
    blocks = []
    for s in ORDER:
        if s in present:
            if blocks and blocks[-1][0] == owner[s]:
                blocks[-1][1].append(s)
            else:
                blocks.append((owner[s], [s]))
    re_feed = feed.without_other()
    moles = [sum(x[ELEMENTS.index(e)] for e in b[1]) for b in blocks]
    tree = _split_tree(blocks, moles, table)
    targets = {k: [1 - purity, 1 - purity] for k in tree.values()}
    for _ in range(30):
        cuts, leaves, paths, by_k = _run(re_feed, blocks, tree, targets, table, purity)
        prods, purities, met = {}, {}, True
        for name, els in elements.items():
            idx = [b for b, blk in enumerate(blocks) if blk[0] == name]
            stream = sum((leaves[b] for b in idx[1:]), leaves[idx[0]]) if idx else \
                Stream.empty(feed.unit)
            prods[name] = stream.renamed(name)
            if not idx:
                continue
            purities[name] = float(stream.purity(els, basis="oxide"))
            if purities[name] < purity:
                met = False
                _tighten(els, idx, leaves, paths, blocks, stream, purity, targets, by_k)
        if met:
            break
    other = Stream(np.zeros(N_ELEMENTS), feed.other, feed.unit, "other species")
    err = balance_error([feed], [*prods.values(), other], species=list(feed.other))
    return TrainResult(feed, prods, dict(elements), cuts, purity, purities, met, err,
                       _reagents(cuts, feed.unit), other, tuple(notes))


def _tighten(els, idx, leaves, paths, blocks, stream, purity, targets, by_k):
    """Tighten the targets of the cuts that let impurities into a product (see module notes).

    Impurity mass is attributed to the first cut on the block's path where the element went to
    the other side.  The reduction is shared to minimise the added stage cost: tightening cut c by
    a factor f_c costs about cost_c ln f_c with cost_c = S_c F_c / ln beta_c (extra stages per
    decade times the organic flow), and sum(contrib_c / f_c) = allowed gives
    f_c = contrib_c sum(cost) / (cost_c allowed) (Lagrange condition), at least 1.
    """
    own = np.zeros(N_ELEMENTS, bool)
    own[[ELEMENTS.index(e) for e in els]] = True
    reo = stream.re_reo
    contrib: dict[tuple[int, str], float] = {}
    for b in idx:
        leaf = leaves[b].re_reo
        for e in np.flatnonzero(~own & (leaf > 0)):
            pos = _POS[ELEMENTS[e]]
            for k, side in paths[b]:
                heavy = pos >= _POS[blocks[k][1][0]]
                if heavy != (side == "a"):
                    contrib[(k, side)] = contrib.get((k, side), 0.0) + float(leaf[e])
                    break
    allowed = 0.9 * (1 - purity) * float(reo.sum())
    cost = {key: by_k[key[0]].design.organic_load * _moles(by_k[key[0]].feed)
            / math.log(by_k[key[0]].beta) for key in contrib}
    total_cost = sum(cost.values())
    for key, c in contrib.items():
        factor = max(c * total_cost / (max(cost[key], 1e-300) * allowed), 1.0)
        j = 0 if key[1] == "a" else 1
        targets[key[0]][j] = max(targets[key[0]][j] / factor, 1e-12)


def _reagents(cuts, unit: str) -> dict:
    base_mol = sum(3.0 * c.design.organic_load * _moles(c.feed) for c in cuts)
    per = Q_(1.0, unit) / Q_(1.0, "g/mol")
    mol_unit = "mol/yr" if per.dimensionality == Q_(1, "mol/yr").dimensionality else "mol"
    out = {"base_mol": (base_mol * per).to(mol_unit), "hcl_mol": (base_mol * per).to(mol_unit)}
    if cuts and all(c.equipment is not None for c in cuts):
        out["base"] = sum((c.equipment.base_use for c in cuts), Q_(0.0, "t/yr"))
        out["hcl"] = sum((c.equipment.hcl_use for c in cuts), Q_(0.0, "t/yr"))
    return out


def train_table(result: TrainResult) -> pd.DataFrame:
    """One row per cut: key pair, beta, stages per section, S, W, targets and purities."""
    rows = []
    for c in result.cuts:
        d = c.design
        rows.append({
            "cut": c.name, "key_pair": f"{c.key_pair[0]}/{c.key_pair[1]}", "beta": c.beta,
            "feed_a": c.feed_a, "extraction_stages": d.extraction_stages,
            "scrub_stages": d.scrub_stages, "total_stages": d.total_stages,
            "organic_load": d.organic_load, "scrub_flow": d.scrub_flow,
            "purity_a": d.purity_a, "purity_b": d.purity_b,
            "simulated_purity_a": d.simulated_purity_a,
            "simulated_purity_b": d.simulated_purity_b,
            "recovery_a": d.recovery_a, "recovery_b": d.recovery_b,
        })
    return pd.DataFrame(rows)
