"""Valid inequalities for the domestic oxide production target: one cover row per process stage.

A production target ``min_production[y]`` [t REO/yr] bounds the oxide output of the separation
and recycling plants from below. The LP relaxation meets it with fractional modules at every
stage upstream (mines, cracking, separation), and HiGHS closes that gap slowly when the target
reaches a stage only through a chain of element-resolved balance rows (too long for its
aggregation heuristics to rediscover). A cover row states the requirement directly on the
modules of one stage, as a knapsack row on integer module counts from which the solver derives
rounding (MIR) cuts:

.. math::

    \\sum_{o \\in S} w_o \\, K_o \\, N_o(y) + \\sum_{o \\in R_S} r_o \\, K_o \\, N_o(y)
    \\;\\ge\\; \\text{min\\_production}(y)

with :math:`N_o(y)` the modules online (first year at ``ramp_up``), :math:`K_o` the capacity per
module [t/yr], :math:`w_o` the most counted oxide [t REO] that one unit of capacity of a stage-S
option can lead to downstream, :math:`R_S` the oxide producers that are not fed by stage S alone
(recycling, fed by magnets made from importable oxide) and :math:`r_o` their direct oxide
output per unit of capacity.

Validity
--------
A commodity is *S-fed* when every unit of it must originate from stage-S activity: it cannot be
imported, and each of its producers is in S or consumes only S-fed commodities (the least fixed
point, so cycles that never pass through S are not S-fed; a producer outside S without commodity
inputs, such as a mine, is a primary source). Oxide made by a mode whose inputs are all S-fed is
bounded by the S activity times :math:`w`, where :math:`w` comes from the value
:math:`v(c)` [t REO per t of c] of each S-fed commodity: the best, over its consumers, of the
counted oxide plus the value of the S-fed outputs per unit consumed. Outputs are attributed to the
input of the same element (flows are element-resolved, so an element's output comes from that
element's input); an output whose element is not among the inputs is attributed in full to every
input, which overstates :math:`v` and keeps the row valid. Every other oxide producer is in
:math:`R_S` with its direct output, an upper bound as well. The row therefore never cuts off a
plan that meets the target; ``tests/optimize/test_covers.py`` checks this on solved models.

Oxide made from oxide (none in the shipped chains) keeps its value through ``v``; oxide is
counted where it is produced, as the production row counts it.
"""

from __future__ import annotations

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
    """Grow a stage by the side sources its oxide needs; (options, S-fed commodities) or None.

    Starting from the stage's options, every oxide producer must either be in the set or consume
    only S-fed commodities. Where a producer consumes a commodity that is not S-fed, the other
    producers of that commodity join the set (recycling that returns mixed rare earths to
    separation, say), or the producer itself when the commodity can be imported. None if the set
    grows to hold every oxide producer (the oxide row then says all there is).
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


def stage_weights(data: ChainData) -> dict[str, pd.Series]:
    """Weights of the cover row of each stage that has one.

    Parameters
    ----------
    data : ChainData

    Returns
    -------
    dict[str, pandas.Series]
        Stage name -> weight per option [t REO per t/yr of capacity]: :math:`w_o` for the options
        of the stage, :math:`r_o` for the oxide producers not fed by it. Stages whose row would
        only repeat another's (no oxide producer is fed by them, or the same weights) are left
        out; the oxide-producing stage itself is always present (key ``"oxide"``).
    """
    com = data.commodities
    coef = data.coefficients[data.coefficients["coef"] != 0]
    reo = com["reo_factor"].astype(float)
    element = com["element"].astype(str)
    oxide = set(com.index[com["material"].astype(str) == "oxide"])
    imp = data.imports
    importable = set(imp.loc[imp["cap"] > 0, "commodity"])
    use = data.modes.set_index(["option", "mode"])["capacity_use"].astype(float)
    modes = list(use.index)
    inputs = {k: set() for k in modes}
    outputs: dict = {k: [] for k in modes}
    produced_by: dict = {}
    for o, md, c, a in coef[["option", "mode", "commodity", "coef"]].itertuples(index=False):
        if a < 0:
            inputs[o, md].add(c)
        else:
            outputs[o, md].append((c, float(a)))
            produced_by.setdefault(c, set()).add((o, md))
    cons = {(o, md, c): -float(a) for o, md, c, a in
            coef[coef["coef"] < 0][["option", "mode", "commodity", "coef"]].itertuples(index=False)}

    def direct(k):  # counted oxide per unit of activity of mode k [t REO]
        return sum(a * reo[c] for c, a in outputs[k] if c in oxide)

    producers = [k for k in modes if direct(k) > 0]
    per_capacity = {k: direct(k) / use[k] for k in producers if use[k] > 0}
    oxide_row = pd.Series({o: max(r for (oo, _), r in per_capacity.items() if oo == o)
                           for o in {o for o, _ in per_capacity}}, dtype=float)
    rows = {"oxide": oxide_row.sort_index()}
    stage = data.options["stage"].astype(str)
    for name in sorted(set(stage)):
        members = set(stage.index[stage == name])
        fed = _widen(members, producers, produced_by, inputs, importable)
        if fed is None:
            continue
        members, fed = fed
        v = _values(fed, inputs, outputs, cons, oxide, reo, element, members)
        if v is None:
            continue
        w: dict = {}
        for k in modes:
            if k[0] in members and use[k] > 0:
                val = direct(k) + sum(a * v.get(c, 0.0) for c, a in outputs[k] if c in fed)
                w[k[0]] = max(w.get(k[0], 0.0), val / use[k])
        row = pd.Series(w, dtype=float).sort_index()
        row = row[row > 0]
        if any(row.index.equals(r.index) and np.allclose(row, r) for r in rows.values()):
            continue
        rows[name] = row
    return rows


def _values(fed, inputs, outputs, cons, oxide, reo, element, members) -> dict | None:
    """Value iteration for v(c) [t REO per t] over the S-fed commodities; None if it diverges."""
    consumers: dict = {}
    for (o, md, c) in cons:
        if c in fed and o not in members:
            consumers.setdefault(c, []).append((o, md))

    def by_element(k):  # outputs attributable to each input's own element
        elems = [element[c] for c in inputs[k]]
        return ("" not in elems and len(set(elems)) == len(elems)
                and all(element[oc] in elems for oc, _ in outputs[k]))

    split = {k: by_element(k) for ks in consumers.values() for k in ks}
    v = {c: 0.0 for c in fed}
    for _ in range(_MAX_SWEEPS):
        delta = 0.0
        for c in fed:
            best = 0.0
            for k in consumers.get(c, []):
                gain = sum(a * ((reo[oc] if oc in oxide else 0.0) + v.get(oc, 0.0))
                           for oc, a in outputs[k] if not split[k] or element[oc] == element[c])
                best = max(best, gain / cons[k[0], k[1], c])
            delta = max(delta, abs(best - v[c]))
            v[c] = best
        if delta <= 1e-12 * max(1.0, max(v.values(), default=0.0)):
            return v
    return None
