r"""Valid inequalities for domestic production targets: one cover row per process stage.

A production target ``min_production[y]`` [t REO/yr] bounds the oxide output of the separation
and recycling plants from below. The LP relaxation meets it with fractional modules at every
stage upstream (mines, cracking, separation), and HiGHS closes that gap slowly when the target
reaches a stage only through a chain of element-resolved balance rows (too long for its
aggregation heuristics to rediscover). A cover row states the requirement directly on the
modules of one stage, as a knapsack row on integer module counts from which the solver derives
rounding (MIR) cuts:

.. math::

    \sum_{o \in G_S} w_o \, K_o \, N_o(y) \;\ge\; \text{target}(y)

with :math:`N_o(y)` the modules online (first year at ``ramp_up``), :math:`K_o` the capacity per
module [t/yr] and :math:`w_o` the most counted REO [t] that one unit of capacity of option
:math:`o` can lead to. :math:`G_S` is the stage's options plus the side sources the target
can be met from without passing through the stage (recycling, whose scrap comes from magnets
made of importable oxide, returns mixed rare earths to separation).

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
in full to every input, which overstates :math:`v` and keeps the row valid. A row whose group
holds a mode that uses no capacity (its activity is unbounded) is dropped.

Oxide is counted wherever it is produced, even if it is consumed again (oxide turned into
metal), as the production row counts it, so values add along a path.
``tests/optimize/test_covers.py`` checks the weights by hand and that the rows bound the most
counted REO that fixed plans of the Siberian model can reach.

Import-share caps also imply a requirement (domestic deliveries of at least ``1 - cap`` of the REO
demand needs), and rows of the same kind on net deliveries were built and measured with
``benchmarks/bench_optimize.py``: they slowed the Siberian model without its production target
from 5.8 s to 20.6 s and gained nothing elsewhere beyond run-to-run noise, so caps get no rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from tea.chain.data import ChainData

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

    Starting from the stage's options, every oxide producer must either be in the set or consume
    only S-fed commodities. Where a producer consumes a commodity that is not S-fed, the other
    producers of that commodity join the set (recycling that returns mixed rare earths to
    separation, say), or the producer itself when the commodity can be imported or has no
    producer. None if the set grows to hold every oxide producer (the ``direct`` row then says
    all there is).
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
        ``"production:<stage>"``, e.g. ``"production:mine"``.
    target : dict[int, float]
        Right-hand side by year [t REO/yr].
    weights : pandas.Series
        Option -> counted REO per unit of capacity [t REO per t/yr].
    """

    name: str
    target: dict
    weights: pd.Series


def cover_rows(data: ChainData) -> list[Cover]:
    """Cover rows of the production target: one :class:`Cover` per stage that has a row."""
    if not data.min_production:
        return []
    target = {y: float(t) for y, t in data.min_production.items() if t > 0}
    return [Cover(f"production:{stage}", target, w) for stage, w in stage_weights(data).items()]


def stage_weights(data: ChainData) -> dict[str, pd.Series]:
    """Weights of the cover row of each stage that has one.

    Parameters
    ----------
    data : ChainData

    Returns
    -------
    dict[str, pandas.Series]
        Key -> weight per option [t REO per t/yr of capacity]. ``"direct"``: the oxide producers
        with their own output; then one per stage name whose row adds to it: :math:`w_o` for the
        stage's options and the side sources it needs. Rows that would repeat another are left
        out.
    """
    com = data.commodities
    reo = com["reo_factor"].astype(float)
    counted = reo[com["material"].astype(str) == "oxide"].to_dict()  # [t REO per t]
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
        v = _values(fed, group, inputs, outputs, cons, counted, element)
        if v is None:
            continue
        if any(k[0] in group and outputs[k] for k in unbounded):
            continue  # a group member with an uncapacitated mode: no bound from capacity
        w: dict = {}
        for k in modes:
            if k[0] in group:
                val = sum(a * (counted.get(oc, 0.0) + v.get(oc, 0.0)) for oc, a in outputs[k])
                w[k[0]] = max(w.get(k[0], 0.0), val / use[k])
        add(name, w)
    return rows


def _values(fed, group, inputs, outputs, cons, counted, element) -> dict | None:
    """Value iteration for v(c) [t REO per t] over the S-fed commodities; None if it diverges.

    ``v(c)`` is the most counted REO that one t of ``c`` leads to downstream, through the
    consumers outside the group.
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
    v = {c: 0.0 for c in fed}
    for _ in range(_MAX_SWEEPS):
        delta = 0.0
        for c in fed:
            new = v[c]
            for k in consumers.get(c, []):
                gain = sum(a * (counted.get(oc, 0.0) + v.get(oc, 0.0)) for oc, a in outputs[k]
                           if not split[k] or element[oc] == element[c])
                new = max(new, gain / cons[k[0], k[1], c])
            delta = max(delta, new - v[c])
            v[c] = new
        if delta <= 1e-12 * max(1.0, max(v.values(), default=0.0)):
            return v
    return None
