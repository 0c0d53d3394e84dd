r"""Valid inequalities for production targets and import-share caps: one cover row per stage.

A production target ``min_production[y]`` [t REO/yr] bounds the oxide output of the separation
and recycling plants from below; an import-share cap ``s`` bounds the domestic deliveries of the
demanded products from below (at least ``1 - s`` of the REO that demand needs). The LP relaxation
meets such a requirement with fractional modules at every stage upstream (mines, cracking,
separation), and HiGHS closes that gap slowly when the requirement reaches a stage only through a
chain of element-resolved balance rows (too long for its aggregation heuristics to rediscover).
A cover row states the requirement directly on the modules of one stage, as a knapsack row on
integer module counts from which the solver derives rounding (MIR) cuts:

.. math::

    \sum_{o \in G_S} w_o \, K_o \, N_o(y) \;\ge\; \text{target}(y)

with :math:`N_o(y)` the modules online (first year at ``ramp_up``), :math:`K_o` the capacity per
module [t/yr] and :math:`w_o` the most counted REO [t] that one unit of capacity of option
:math:`o` can lead to. :math:`G_S` is the stage's options plus the side sources the requirement
can be met from without passing through the stage (recycling that returns mixed rare earths to
separation, fed by magnets made from importable oxide).

Validity
--------
A commodity is *S-fed* when every unit of it must originate from the group :math:`G_S`: it cannot
be imported, and each of its producers is in the group or consumes only S-fed commodities (the
least fixed point, so cycles that never pass through the group are not S-fed; a producer outside
the group without commodity inputs, such as a mine, is a primary source). The group starts as the
stage and grows until every producer of a counted commodity is in it or consumes only S-fed
commodities: a producer that consumes a non-fed commodity brings in that commodity's other
producers, or joins itself when the commodity can be imported. Every counted t then traces back
to group activity through S-fed commodities, and the value :math:`v(c)` [t REO per t of c] of
each S-fed commodity bounds what it can become: the best, over its consumers outside the group,
of the counted outputs plus the value of the S-fed outputs per unit consumed (value iteration;
cycles lose mass, so it converges, and a row whose values do not is dropped). Outputs are
attributed to the input of the same element (flows are element-resolved, so an element's output
comes from that element's input); an output whose element is not among the inputs is attributed
in full to every input, which overstates :math:`v` and keeps the row valid.

*Gross* counting (the production target) counts a t wherever it is produced, even if it is
consumed again (oxide turned into metal), so values add; *net* counting (deliveries) counts it
once, where it leaves the chain, so a t is worth the larger of itself and what it becomes.
``tests/optimize/test_covers.py`` checks the weights by hand and that the rows bound the most
counted REO that fixed plans of the Siberian model can reach.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from tea.optimize.data import ChainData

_MAX_SWEEPS = 100


def _s_fed(stage_options: set, produced_by: dict, inputs: dict, importable: set) -> set:
    """Commodities whose every unit must come from the options in ``stage_options``."""
    fed: set = set()
    changed = True
    while changed:
        changed = False
        for c, producers in produced_by.items():
            if c in fed or c in importable:
                continue
            if all(o in stage_options or (inputs[o, md] and inputs[o, md] <= fed)
                   for o, md in producers):
                fed.add(c)
                changed = True
    return fed


def _widen(members, producers, produced_by, inputs, importable):
    """Grow a stage by the side sources it needs; (options, S-fed commodities) or None.

    Starting from the stage's options, every producer of a counted commodity must either be in
    the set or consume
    only S-fed commodities. Where a producer consumes a commodity that is not S-fed, the other
    producers of that commodity join the set (recycling that returns mixed rare earths to
    separation, say), or the producer itself when the commodity can be imported. None if the set
    grows to hold every producer (the ``direct`` row then says all there is).
    """
    group = set(members)
    while True:
        fed = _s_fed(group, produced_by, inputs, importable)
        uncovered = [k for k in producers
                     if k[0] not in group and not (inputs[k] and inputs[k] <= fed)]
        if not uncovered:
            break
        grow = set()
        for k in uncovered:
            missing = inputs[k] - fed
            if not inputs[k] or missing & importable:
                grow.add(k[0])
            for c in missing - importable:  # its producers that are not fed by the group
                grow |= {o for o, md in produced_by.get(c, ())
                         if o not in group and not (inputs[o, md] and inputs[o, md] <= fed)}
        group |= grow or {k[0] for k in uncovered}
    if all(o in group for o, _ in producers):
        return None
    return group, fed


@dataclass(frozen=True)
class Cover:
    """One family of cover rows: ``sum_o weights[o] * K_o * N_o(y) >= target[y]``.

    Attributes
    ----------
    name : str
        ``"<requirement>:<stage>"``, e.g. ``"production:mine"`` or ``"share:separation"``.
    target : dict[int, float]
        Right-hand side by year [t REO/yr].
    weights : pandas.Series
        Option -> counted REO per unit of capacity [t REO per t/yr].
    """

    name: str
    target: dict
    weights: pd.Series


def cover_rows(data: ChainData) -> list[Cover]:
    """Cover rows of the production target and of the import-share caps.

    - ``production``: the gross REO output of oxide commodities reaches ``min_production[y]``.
    - ``share`` (``min_cost`` only): a cap ``s`` on the import share makes the REO-weighted
      domestic deliveries of the demanded commodities at least ``(1 - s)`` times the REO their
      demand needs at least (the demand of group ``g`` in REO is ``amount_g * min_c reo_c /
      weight_gc``); delivered domestic commodity is produced and not consumed again, so the
      weights are *net* (each t counted once, where it leaves the chain). Left out when demand
      groups share a commodity (their REO would not add up).
    """
    com = data.commodities
    reo = com["reo_factor"].astype(float)
    out = []
    if data.min_production:
        target = {y: float(t) for y, t in data.min_production.items() if t > 0}
        oxide = com.index[com["material"].astype(str) == "oxide"]
        for stage, w in stage_weights(data, reo[oxide].to_dict(), gross=True).items():
            out.append(Cover(f"production:{stage}", target, w))
    dg = data.demand_groups
    dg = dg[dg["weight"] > 0]
    caps = {y: c for y, c in data.import_share_cap.items() if c < 1}
    if caps and data.objective == "min_cost" and not dg["commodity"].duplicated().any():
        per_group = (dg["commodity"].map(reo) / dg["weight"]).groupby(dg["group"]).min()
        dem = data.demand[data.demand["group"].isin(per_group.index)]
        need = (dem["amount"] * dem["group"].map(per_group)).groupby(dem["year"]).sum()
        target = {y: (1 - c) * float(need.get(y, 0.0)) for y, c in caps.items()}
        target = {y: t for y, t in target.items() if t > 0}
        counted = {c: float(reo[c]) for c in dg["commodity"] if reo[c] > 0}
        if target and counted:
            for stage, w in stage_weights(data, counted, gross=False).items():
                out.append(Cover(f"share:{stage}", target, w))
    return out


def stage_weights(data: ChainData, counted: dict | None = None, gross: bool = True
                  ) -> dict[str, pd.Series]:
    """Weights of the cover row of each stage that has one.

    Parameters
    ----------
    data : ChainData
    counted : dict[str, float], optional
        Counted commodities and their REO factor [t REO per t]; default every oxide commodity.
    gross : bool
        True: a t is counted wherever it is produced, even if consumed again (the production
        target); False: counted once, where it leaves the chain (deliveries).

    Returns
    -------
    dict[str, pandas.Series]
        Key -> weight per option [t REO per t/yr of capacity]. ``"direct"``: the producers of
        counted commodities with their own output; then one per stage name whose row adds to
        it: :math:`w_o` for the stage's options and the side sources it needs. Rows that would
        repeat another are left out.
    """
    com = data.commodities
    if counted is None:
        counted = com["reo_factor"].astype(float)[com["material"].astype(str) == "oxide"].to_dict()
    coef = data.coefficients[data.coefficients["coef"] != 0]
    element = com["element"].astype(str)
    imp = data.imports
    importable = set(imp.loc[imp["cap"] > 0, "commodity"])
    use = data.modes.set_index(["option", "mode"])["capacity_use"].astype(float)
    modes = [k for k in use.index if use[k] > 0]
    inputs = {k: set() for k in use.index}
    outputs: dict = {k: [] for k in use.index}
    produced_by: dict = {}
    cons = {}
    for o, md, c, a in coef[["option", "mode", "commodity", "coef"]].itertuples(index=False):
        if a < 0:
            inputs[o, md].add(c)
            cons[o, md, c] = -float(a)
        else:
            outputs[o, md].append((c, float(a)))
            produced_by.setdefault(c, set()).add((o, md))

    def direct(k):  # counted REO per unit of activity of mode k [t REO]
        return sum(a * counted.get(c, 0.0) for c, a in outputs[k])

    producers = [k for k in use.index if direct(k) > 0]
    rows: dict = {}

    def add(name, w):
        row = pd.Series(w, dtype=float).sort_index()
        row = row[row > 0]
        if not row.empty and not any(row.index.equals(r.index) and np.allclose(row, r)
                                     for r in rows.values()):
            rows[name] = row

    unbounded = {k for k in use.index if use[k] <= 0}  # modes without a capacity limit
    best: dict = {}
    for k in producers:
        if k in modes:
            best[k[0]] = max(best.get(k[0], 0.0), direct(k) / use[k])
    if not unbounded & set(producers):
        add("direct", best)
    stage = data.options["stage"].astype(str)
    for name in sorted(set(stage)):
        widened = _widen(set(stage.index[stage == name]), producers, produced_by, inputs,
                         importable)
        if widened is None:
            continue
        group, fed = widened
        v = _values(fed, group, inputs, outputs, cons, counted, element, gross)
        if v is None:
            continue
        if any(k[0] in group and outputs[k] for k in unbounded):
            continue  # a group member with an uncapacitated mode: no bound from capacity
        w: dict = {}
        for k in modes:
            if k[0] in group:
                val = sum(a * _worth(oc, v, counted, gross) for oc, a in outputs[k])
                w[k[0]] = max(w.get(k[0], 0.0), val / use[k])
        add(name, w)
    return rows


def _worth(c, v, counted, gross) -> float:
    """Counted REO [t] that one t of ``c`` can still become (``v`` holds the S-fed commodities)."""
    if gross:
        return counted.get(c, 0.0) + v.get(c, 0.0)
    return max(counted.get(c, 0.0), v.get(c, 0.0))


def _values(fed, group, inputs, outputs, cons, counted, element, gross) -> dict | None:
    """Value iteration for v(c) [t REO per t] over the S-fed commodities; None if it diverges.

    ``v(c)`` is the most counted REO that one t of ``c`` leads to through the consumers outside
    the group (gross: downstream of ``c``; net: ``c`` itself delivered, or what it becomes).
    """
    consumers: dict = {}
    for (o, md, c) in cons:
        if c in fed and o not in group:
            consumers.setdefault(c, []).append((o, md))

    def by_element(k):  # outputs attributable to each input's own element
        elems = [element[c] for c in inputs[k]]
        return ("" not in elems and len(set(elems)) == len(elems)
                and all(element[oc] in elems for oc, _ in outputs[k]))

    split = {k: by_element(k) for ks in consumers.values() for k in ks}
    v = {c: (0.0 if gross else counted.get(c, 0.0)) for c in fed}
    for _ in range(_MAX_SWEEPS):
        delta = 0.0
        for c in fed:
            new = v[c]
            for k in consumers.get(c, []):
                gain = sum(a * _worth(oc, v, counted, gross) for oc, a in outputs[k]
                           if not split[k] or element[oc] == element[c])
                new = max(new, gain / cons[k[0], k[1], c])
            delta = max(delta, new - v[c])
            v[c] = new
        if delta <= 1e-12 * max(1.0, max(v.values(), default=0.0)):
            return v
    return None
