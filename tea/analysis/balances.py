"""Material balances of a solved plan: what each plant takes in and puts out, by element.

Every entry is ``{"t": mass [t/yr], "t_REO": REO content [t/yr], "by_element": {El: t REO/yr}}``.
The mass is that of the material's own form (concentrate, mixed carbonate, oxide, metal, scrap,
magnet: the commodity's ``shipping_mass``, :mod:`tea.chain.transport`); the REO content and its split
come from the commodity's element content (:meth:`tea.chain.ChainInfo.composition`) and each
element's oxide factor. Plants' intakes and outputs follow from their activities and the
coefficient table, so a plant's ``in`` minus ``out`` is what its named losses take
(:attr:`tea.chain.coefficients.UnitCoefficients.losses`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tea.elements import OXIDE_FACTOR, index
from tea.optimize import results as r

ROUND = 6
"""Decimals kept in the JSON [t/yr]."""


def entry(commodity: str, amount: float, info, mass_per_t: float) -> dict:
    """Balance entry of ``amount`` t/yr (commodity units) of ``commodity``."""
    by_element = {el: amount * t * float(OXIDE_FACTOR[index(el)])
                  for el, t in info.composition(commodity).items()}
    return {"t": round(amount * mass_per_t, ROUND),
            "t_REO": round(sum(by_element.values()), ROUND),
            "by_element": {el: round(v, ROUND) for el, v in by_element.items()}}


def _add(entries: dict, commodity: str, amount: float, info, mass: pd.Series) -> None:
    new = entry(commodity, amount, info, float(mass.get(commodity, 1.0)))
    if commodity in entries:
        old = entries[commodity]
        new = {"t": round(old["t"] + new["t"], ROUND), "t_REO": round(old["t_REO"] + new["t_REO"],
                                                                       ROUND),
               "by_element": {el: round(old["by_element"].get(el, 0.0)
                                        + new["by_element"].get(el, 0.0), ROUND)
                              for el in {*old["by_element"], *new["by_element"]}}}
    entries[commodity] = new


def plant_flows(sol, year: int) -> pd.DataFrame:
    """Intake (< 0) and output (> 0) of every plant in ``year``: option, site, mode, commodity,
    amount [t/yr of the commodity's unit]."""
    acts = r.activities(sol)
    acts = acts[(acts["year"] == year) & (acts["activity"] > 0)]
    f = acts.merge(sol.data.coefficients, on=["option", "mode"])
    return f.assign(amount=f["activity"] * f["coef"])[
        ["option", "site", "mode", "commodity", "amount"]]


def balances(sol, info, year: int) -> dict:
    """The plan's balances in ``year`` (JSON-ready): ``plants`` (option -> ``in``/``out`` by
    commodity), ``disposal`` (site -> commodity), ``exports`` (commodity), ``oxide_production``
    (year -> t REO/yr)."""
    mass = sol.data.shipping_mass()
    plants: dict = {}
    for (option, commodity), amount in plant_flows(sol, year).groupby(
            ["option", "commodity"])["amount"].sum().items():
        if abs(amount) <= 0:
            continue
        side = plants.setdefault(option, {"in": {}, "out": {}})["in" if amount < 0 else "out"]
        _add(side, commodity, abs(float(amount)), info, mass)
    flows = r.flows(sol)
    flows = flows[flows["year"] == year]
    disposal: dict = {}
    for _, row in flows[flows["kind"] == "dispose"].iterrows():
        _add(disposal.setdefault(row["node"], {}), row["commodity"], -float(row["amount"]), info,
             mass)
    exports: dict = {}
    for _, row in flows[flows["kind"] == "export"].iterrows():
        _add(exports, row["commodity"], -float(row["amount"]), info, mass)
    return {"year": year, "unit": "t/yr (t_REO/yr for t_REO and by_element)",
            "plants": plants, "disposal": disposal, "exports": exports,
            "oxide_production": oxide_production(sol)}


def oxide_production(sol) -> dict[str, float]:
    """Domestic oxide output by year [t REO/yr], as the optimizer's production row counts it."""
    m = sol.model
    return {str(y): round(max(float(np.nan_to_num(m.oxide_output[y]())), 0.0), ROUND)
            for y in m.Y}


def balance_table(bal: dict) -> pd.DataFrame:
    """The plants' balances as one table: plant, side, commodity, t, t_REO [t/yr]."""
    rows = [{"plant": p, "side": side, "commodity": c, "t": e["t"], "t_REO": e["t_REO"]}
            for p, sides in sorted(bal["plants"].items()) for side in ("in", "out")
            for c, e in sorted(sides[side].items())]
    return pd.DataFrame(rows, columns=["plant", "side", "commodity", "t", "t_REO"])
