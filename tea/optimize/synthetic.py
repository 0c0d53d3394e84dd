"""Synthetic ``ChainData`` of any size, for tests and benchmarks (deterministic for a seed).

The chain: mines (one per deposit, fixed composition over the 16 elements of ``tea.elements``)
-> concentrate ``conc:synthetic:<El>`` -> separation plants (one mode per element, yield 0.98) ->
``oxide:<El>`` -> metal plants (modes Nd, Pr, Dy, Tb; 1.03 t element in oxide per t metal) ->
``metal:<El>`` -> magnet plants (one N42 recipe) -> ``magnet:N42``. Magnet plants also give swarf
``scrap:synthetic:Nd`` that separation plants can take back. Demand: NdPr oxide [t REO], Dy oxide [t REO]
and N42 magnets [t]. Orders of magnitude only (prices of the early 2020s, USD/kg = 1e-3 MUSD/t);
the numbers are made up within plausible ranges and are not data about any real project.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tea.chain.commodity import Commodity
from tea.chain.data import ChainData
from tea.elements import ELEMENTS, OXIDE_FACTOR

SCRAP = Commodity.scrap("synthetic", "Nd").name
MAGNET = Commodity.magnet("N42").name

# typical light-RE-rich ore composition [fraction of RE element mass], La..Lu, Y, Sc
_COMPOSITION = np.array([0.25, 0.45, 0.05, 0.16, 0.02, 0.004, 0.012, 0.001, 0.004,
                         0.001, 0.002, 0.0005, 0.001, 0.0005, 0.03, 0.0005])
_COMPOSITION = _COMPOSITION / _COMPOSITION.sum()
# import prices of oxides [MUSD/t element]: USD/kg of oxide ~ La 1, Ce 1, Pr 70, Nd 70, Dy 300,
# Tb 1000, others 5-30
_OXIDE_PRICE = dict(zip(ELEMENTS, [1, 1, 70, 70, 3, 25, 20, 1000, 300, 30, 10, 10, 10, 10, 8, 5],
                        strict=True))
_METALS = ("Nd", "Pr", "Dy", "Tb")
_MAGNET_RECIPE = {"Nd": 0.23, "Pr": 0.07, "Dy": 0.008, "Tb": 0.002}  # t element per t magnet
_TECH = {  # capacity per module [t/yr], capex [MUSD/module], fixed opex [MUSD/yr], var opex
    "mine": (6000.0, 250.0, 12.0, 0.004, 4, 25, 300),
    "separation": (2000.0, 120.0, 6.0, 0.006, 3, 20, 150),
    "metal": (1000.0, 40.0, 2.0, 0.004, 2, 20, 80),
    "magnet": (2000.0, 60.0, 4.0, 0.010, 2, 20, 400),
}  # ... lead time [yr], lifetime [yr], jobs per module


def _commodities() -> pd.DataFrame:
    rows = []
    for i, e in enumerate(ELEMENTS):
        rows.append((Commodity.conc("synthetic", e).name, "conc", e, True, float(OXIDE_FACTOR[i])))
        rows.append((Commodity.oxide(e).name, "oxide", e, True, float(OXIDE_FACTOR[i])))
    for e in _METALS:
        rows.append((Commodity.metal(e).name, "metal", e, True, float(OXIDE_FACTOR[ELEMENTS.index(e)])))
    rows.append((SCRAP, "scrap", "Nd", True, float(OXIDE_FACTOR[ELEMENTS.index("Nd")])))
    rows.append((MAGNET, "magnet", "", True, 0.31 * 1.17))
    return pd.DataFrame(rows, columns=["commodity", "material", "element", "tradeable",
                                       "reo_factor"]).set_index("commodity")


def make_chain(n_sites: int = 3, n_plants: int = 8, n_years: int = 10, seed: int = 0,
               first_year: int = 2025, budget_total: float | None = None,
               import_share_cap: float | None = 0.8) -> ChainData:
    """Generate a synthetic chain.

    Parameters
    ----------
    n_sites, n_plants, n_years : int
        Sites, candidate options (technology x site x size; at least 4) and planning years.
    seed : int
        Seed of the random generator (same seed, same data).
    first_year : int
        First planning year (also the discounting base year).
    budget_total : float, optional
        Total capex budget [MUSD]; None: 40 % of the capex of building every option once.
    import_share_cap : float, optional
        Cap on the import share from the sixth year on (None: no cap).

    Returns
    -------
    ChainData
    """
    rng = np.random.default_rng(seed)
    years = list(range(first_year, first_year + n_years))
    sites = pd.DataFrame({"site": [f"S{i:02d}" for i in range(n_sites)],
                          "region": [f"R{i % 4}" for i in range(n_sites)],
                          "distance_to_market_km": rng.uniform(100, 3000, n_sites).round(0)}
                         ).set_index("site")
    techs = ["mine", "separation", "metal", "magnet"]
    share = np.array([0.2, 0.35, 0.2, 0.25])
    counts = np.maximum(1, np.floor(share * max(n_plants, 4)).astype(int))
    counts[1] += max(n_plants, 4) - counts.sum()
    opts, modes, coefs, deposits = [], [], [], []
    for tech, count in zip(techs, counts, strict=True):
        cap0, capex0, fopex0, vopex, lead, life, jobs = _TECH[tech]
        for j in range(count):
            site = sites.index[rng.integers(n_sites)]
            size = rng.choice([0.5, 1.0, 2.0])
            name = f"{tech}_{j:02d}_{site}_x{size:g}"
            dep = f"D{j:02d}" if tech == "mine" else ""
            opts.append(dict(
                option=name, technology=tech, site=site, stage=tech,
                capacity_per_module=cap0 * size, max_modules=int(rng.integers(2 if tech == "mine" else 1, 4)),
                existing_modules=int(tech == "separation" and j == 0),
                capex_per_module=capex0 * size ** 0.65 * rng.uniform(0.8, 1.2),
                fixed_opex_per_module=fopex0 * size ** 0.65, lead_time=lead, lifetime=life,
                first_build_year=first_year, jobs_per_module=jobs * size ** 0.5, deposit=dep,
                ramp_up=0.75))
            v = vopex * rng.uniform(0.8, 1.2)
            if tech == "mine":
                deposits.append((dep, cap0 * size * 3 * n_years * 0.6))
                comp = _COMPOSITION * rng.uniform(0.7, 1.3, len(ELEMENTS))
                comp /= comp.sum()
                modes.append((name, "run", 1.0, v))
                coefs += [(name, "run", Commodity.conc("synthetic", e).name, float(c)) for e, c in zip(ELEMENTS, comp,
                                                                               strict=True)]
            elif tech == "separation":
                for e in ELEMENTS:
                    modes.append((name, e, 1.0, v))
                    coefs += [(name, e, Commodity.conc("synthetic", e).name, -1.0), (name, e, Commodity.oxide(e).name, 0.98)]
                modes.append((name, "scrap", 1.0, v))
                coefs += [(name, "scrap", SCRAP, -1.0), (name, "scrap", Commodity.oxide("Nd").name, 0.95)]
            elif tech == "metal":
                for e in _METALS:
                    modes.append((name, e, 1.0, v))
                    coefs += [(name, e, Commodity.oxide(e).name, -1.03), (name, e, Commodity.metal(e).name, 1.0)]
            else:
                modes.append((name, "N42", 1.0, v))
                coefs += [(name, "N42", Commodity.metal(e).name, -w / 0.85) for e, w in _MAGNET_RECIPE.items()]
                coefs += [(name, "N42", MAGNET, 1.0),
                          (name, "N42", SCRAP, 0.15 * 0.23 / 0.85)]
    options = pd.DataFrame(opts).set_index("option")
    com = _commodities()
    t = np.arange(n_years)
    scale = float(counts[0])  # demand grows with the number of deposits
    demand = pd.concat([
        pd.DataFrame({"group": "NdPr oxide", "year": years, "amount": scale * (1000 + 100.0 * t)}),
        pd.DataFrame({"group": "Dy oxide", "year": years, "amount": scale * (25 + 2.5 * t)}),
        pd.DataFrame({"group": "N42 magnets", "year": years, "amount": scale * (700 + 70.0 * t)}),
    ], ignore_index=True)
    fo = {e: float(OXIDE_FACTOR[ELEMENTS.index(e)]) for e in ELEMENTS}
    groups = pd.DataFrame([("NdPr oxide", Commodity.oxide("Nd").name, fo["Nd"]),
                           ("NdPr oxide", Commodity.oxide("Pr").name, fo["Pr"]),
                           ("Dy oxide", Commodity.oxide("Dy").name, fo["Dy"]),
                           ("N42 magnets", MAGNET, 1.0)],
                          columns=["group", "commodity", "weight"])
    imp, exp = [], []
    drift = 1.0 + 0.01 * t
    for e in ELEMENTS:
        p = _OXIDE_PRICE[e] * fo[e] * 1e-3
        imp.append(pd.DataFrame({"commodity": Commodity.oxide(e).name, "year": years, "price": p * drift,
                                 "cap": np.inf}))
        exp.append(pd.DataFrame({"commodity": Commodity.oxide(e).name, "year": years,
                                 "price": 0.7 * p * drift, "cap": np.inf}))
    for e in _METALS:
        imp.append(pd.DataFrame({"commodity": Commodity.metal(e).name, "year": years,
                                 "price": 1.25 * _OXIDE_PRICE[e] * fo[e] * 1e-3 * drift,
                                 "cap": np.inf}))
    imp.append(pd.DataFrame({"commodity": MAGNET, "year": years, "price": 0.09 * drift,
                             "cap": np.inf}))
    capex_all = float((options["capex_per_module"] * options["max_modules"]).sum())
    cap = {} if import_share_cap is None else {y: import_share_cap for y in years[5:]}
    return ChainData(
        years=years, base_year=first_year, discount_rate=0.08, objective="min_cost",
        sites=sites, commodities=com, options=options,
        modes=pd.DataFrame(modes, columns=["option", "mode", "capacity_use", "variable_opex"]),
        coefficients=pd.DataFrame(coefs, columns=["option", "mode", "commodity", "coef"]),
        demand=demand, demand_groups=groups,
        imports=pd.concat(imp, ignore_index=True), exports=pd.concat(exp, ignore_index=True),
        resources=pd.DataFrame(deposits, columns=["deposit", "limit"]).set_index("deposit"),
        transport_cost_musd_per_tkm=0.1e-6,
        budget_total=0.4 * capex_all if budget_total is None else budget_total,
        budget_per_year=None, budget_currency_per_musd=80.0e6, budget_unit="RUB_2025",
        import_share_cap=cap, slack_penalty=10.0)
