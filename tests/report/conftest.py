"""A small but realistic RunBundle, built by hand: two plants over six years (2026-2031)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tea.analysis.bundle import RunBundle
from tea.analysis.curves import supply_frame
from tea.config.inputs import default_input_tables

YEARS = np.arange(2026, 2032)
RATE = 0.10  # real discount rate of the fixture scenario
BASE_YEAR = 2026


def _plant_cash_flow(capex: float, revenue: float, opex: float, build: int) -> pd.DataFrame:
    """Year rows 2026-2031: capex spread over two years from ``build``, then operation [RUB]."""
    table = pd.DataFrame({"year": YEARS})
    table["capex"] = np.where((YEARS >= build) & (YEARS < build + 2), -capex / 2, 0.0)
    running = YEARS >= build + 2
    table["revenue"] = np.where(running, revenue, 0.0)
    table["royalties"] = -0.06 * table["revenue"]
    table["opex"] = np.where(running, -opex, 0.0)
    table["tax"] = -0.25 * np.maximum(table["revenue"] + table["royalties"] + table["opex"]
                                      - capex / 10 * running, 0.0)
    table["net_cash_flow"] = table[["capex", "revenue", "royalties", "opex", "tax"]].sum(axis=1)
    return table


def make_bundle() -> RunBundle:
    """The fixture bundle (a function so tests can build fresh copies)."""
    mining = _plant_cash_flow(capex=42.0e9, revenue=21.0e9, opex=7.5e9, build=2026)
    separation = _plant_cash_flow(capex=65.0e9, revenue=38.0e9, opex=12.0e9, build=2027)
    chain = pd.DataFrame({"year": YEARS})
    for column in ("capex", "revenue", "royalties", "opex", "tax", "net_cash_flow"):
        chain[column] = mining[column] + separation[column]
    factors = 1.0 / (1.0 + RATE) ** (YEARS - BASE_YEAR)
    chain["discount factor"] = factors
    chain["discounted net cash flow"] = chain["net_cash_flow"] * factors
    npv = float(chain["discounted net cash flow"].sum())

    cost_tables = {
        "Tomtor mine + concentrator": pd.DataFrame({
            "item": ["mining", "beneficiation", "infrastructure", "total overnight capex",
                     "reagents", "labour", "energy", "total fixed + variable opex"],
            "amount": [18.0e9, 14.0e9, 10.0e9, 42.0e9, 3.1e9, 2.4e9, 2.0e9, 7.5e9],
            "unit": ["RUB_2025"] * 4 + ["RUB_2025/yr"] * 4,
            "basis": ["overnight", "overnight", "overnight", "sum of lines above",
                      "per year at capacity", "per year", "per year at capacity",
                      "sum of lines above"],
        }),
        "Krasnoyarsk separation (SX)": pd.DataFrame({
            "item": ["cracking", "SX cascades", "precipitation + calcination",
                     "total overnight capex", "P507 + HCl + NaOH", "labour", "energy",
                     "total fixed + variable opex"],
            "amount": [15.0e9, 38.0e9, 12.0e9, 65.0e9, 6.8e9, 2.9e9, 2.3e9, 12.0e9],
            "unit": ["RUB_2025"] * 4 + ["RUB_2025/yr"] * 4,
            "basis": ["overnight", "overnight, 312 mixer-settler stages", "overnight",
                      "sum of lines above", "per year at capacity", "per year",
                      "per year at capacity", "sum of lines above"],
        }),
    }
    build_plan = pd.DataFrame({
        "year": [2026, 2027, 2029],
        "option": ["tomtor_mine_s", "krsk_sx_m", "krsk_sx_m"],
        "technology": ["mine + concentrator", "SX separation", "SX separation"],
        "site": ["Tomtor", "Krasnoyarsk", "Krasnoyarsk"],
        "modules built": [1, 1, 1],
        "capacity added": [12000.0, 3000.0, 3000.0],
        "unit": ["t_REO/yr", "t_REO/yr", "t_REO/yr"],
    })
    capacity = pd.DataFrame([
        {"year": int(y), "technology": tech, "capacity": cap, "unit": "t_REO/yr"}
        for y in YEARS
        for tech, cap in (("mine + concentrator", 12000.0 if y >= 2028 else 0.0),
                          ("SX separation", (3000.0 if y >= 2029 else 0.0)
                           + (3000.0 if y >= 2031 else 0.0)))
    ])
    supply_curve = pd.DataFrame({
        "option": ["Bayan Obo (ref.)", "Tomtor + Krasnoyarsk SX", "Mountain Pass (ref.)",
                   "Lynas Mt Weld/Malaysia (ref.)", "Lovozero loparite", "Kola apatite by-product",
                   "Sichuan Maoniuping (ref.)"],
        "region": ["China", "Russia", "US/Australia", "US/Australia", "Russia", "Russia", "China"],
        "product": ["NdPr oxide"] * 7,
        "capacity [t/yr]": [30000.0, 3500.0, 6000.0, 7000.0, 1500.0, 900.0, 8000.0],
        "levelized cost [USD/kg]": [38.0, 61.5, 72.0, 58.0, 84.0, 95.0, 44.0],
    })
    purity = [0.995, 0.999, 0.9995, 0.9999, 0.99995, 0.99999]
    purity_curve = pd.DataFrame({
        "purity": purity,
        "total stages": [64, 82, 90, 108, 117, 136],
        "levelized cost [USD/kg]": [58.9, 60.1, 60.7, 61.5, 62.4, 64.0],
    })
    pareto = pd.DataFrame({
        "budget [RUB_2025 bn]": [100.0, 200.0, 300.0, 500.0, 700.0],
        "objective [RUB_2025]": [np.nan, 412.0e9, 365.0e9, 331.0e9, 318.0e9],
        "import share 2031": [np.nan, 0.62, 0.41, 0.18, 0.05],
        "status": ["infeasible", "optimal", "optimal", "optimal", "optimal"],
    })
    flows = []
    split = {"Nd": 0.16, "Pr": 0.05, "Ce": 0.45, "La": 0.25, "Dy": 0.01, "other": 0.08}
    for element, share in split.items():
        flows.append(("mine", "concentrator", element, 13500.0 * share))
        flows.append(("concentrator", "cracking", element, 12000.0 * share))
        flows.append(("cracking", "SX separation", element, 6000.0 * share))
        flows.append(("cracking", "export (mixed carbonate)", element, 5700.0 * share))
    flows.append(("SX separation", "oxide product", "Nd", 6000.0 * 0.16 * 0.98))
    flows.append(("SX separation", "oxide product", "Pr", 6000.0 * 0.05 * 0.98))
    flows.append(("SX separation", "oxide product", "Dy", 6000.0 * 0.01 * 0.95))
    flows.append(("SX separation", "Ce/La by-product", "Ce", 6000.0 * 0.45 * 0.99))
    flows.append(("SX separation", "Ce/La by-product", "La", 6000.0 * 0.25 * 0.99))
    element_flows = pd.DataFrame(flows, columns=["source", "target", "element", "flow [t/yr]"])
    waterfall = pd.DataFrame({
        "step": ["mining", "beneficiation", "cracking", "SX separation",
                 "precipitation + calcination", "by-product credit"],
        "cost [USD/kg]": [14.2, 9.8, 11.5, 24.0, 6.3, -4.3],
    })
    inputs = pd.DataFrame({
        "table": ["prices", "prices", "fx", "finance", "finance", "deposits"],
        "key": ["NdPr oxide", "CeO2", "USD/RUB 2025", "discount rate", "profit tax",
                "Tomtor TREO grade"],
        "value": [62.0, 1.2, 0.0105, RATE, 0.25, 0.12],
        "unit": ["USD_2024/kg", "USD_2024/kg", "USD/RUB", "1", "1", "1"],
        "source": ["Asian Metal, 2024 average", "Asian Metal, 2024 average",
                   "Bank of Russia, 2025-01-09", "scenario choice", "Tax Code art. 284",
                   "Tomtor feasibility summary"],
    })
    summary = {
        "model": "siberia_cluster",
        "currency": "RUB_2025",
        "npv": npv,
        "irr": 0.1432,
        "capex_total": 107.0e9,
        "levelized_cost": {"NdPr oxide [USD/kg]": 61.5, "magnet [USD/kg]": 88.25},
        "import_share": {"2028": 1.0, "2029": 0.55, "2031": 0.08},
        "plants_built": 2,
        "status": "optimal",
    }
    tables = {
        "import share": pd.DataFrame({"year": YEARS, "import share": [1.0, 1.0, 1.0, 0.55, 0.55,
                                                                      0.08]}),
        "marginal cost": pd.DataFrame({"year": YEARS, "product": "NdPr oxide",
                                       "marginal cost [USD/kg]": [70.0, 70.0, 69.0, 64.0, 63.5,
                                                                  61.0]}),
    }
    return RunBundle(
        model_name="siberia_cluster", title="Siberian rare-earth processing cluster",
        currency="RUB_2025", summary=summary, inputs=inputs, cost_tables=cost_tables,
        cash_flows={"Tomtor mine + concentrator": mining,
                    "Krasnoyarsk separation (SX)": separation, "chain": chain},
        build_plan=build_plan, capacity=capacity, supply_curve=supply_curve,
        purity_curve=purity_curve, pareto=pareto, element_flows=element_flows,
        waterfall=waterfall, tables=tables,
    )


def make_real_bundle() -> RunBundle:
    """The fixture bundle with its figure frames shaped as ``tea.analysis.run.make_bundle`` makes
    them for the default model (2025-2040, six technologies in three capacity units)."""
    b = make_bundle()
    years = np.arange(2025, 2041)
    installed = {"mine": (400000.0, 560000.0, 2030), "cracking": (2600.0, 14600.0, 2030),
                 "separation": (2500.0, 12500.0, 2030), "metal": (0.0, 2000.0, 2028),
                 "magnet": (1000.0, 1000.0, 2025), "recycling": (0.0, 345.0, 2028)}
    b.capacity = pd.DataFrame([{"year": int(y), "technology": t, "capacity": hi if y >= on else lo}
                               for y in years for t, (lo, hi, on) in sorted(installed.items())])
    b.build_plan = pd.DataFrame({
        "option": ["tomtor_mine", "krasnoyarsk_cracking", "krasnoyarsk_separation",
                   "khakassia_metal", "krasnoyarsk_recycling"],
        "technology": ["mine", "cracking", "separation", "metal", "recycling"],
        "site": ["tomtor", "krasnoyarsk", "krasnoyarsk", "khakassia", "krasnoyarsk"],
        "year": [2026, 2027, 2027, 2026, 2027], "online_year": [2030, 2030, 2030, 2028, 2028],
        "modules built": [1] * 5, "capacity_added": [160000.0, 12000.0, 10000.0, 2000.0, 345.0],
        "capex": [685.8, 355.7, 666.5, 60.0, 8.4]})
    budgets = np.linspace(0.1, 1.0, 5) * 700.0e9
    feasible = budgets > 1.0e11
    b.pareto = pd.DataFrame({
        "budget": budgets / 81.27e6, "budget_in_unit": budgets, "warm": [False, False] + [True] * 3,
        "status": np.where(feasible, "optimal", "infeasible"),
        "objective": np.where(feasible, 4164.0, np.nan), "gap": np.where(feasible, 6e-5, np.nan),
        "capex": np.where(feasible, 1776.0, np.nan)})
    for y in years:
        b.pareto[f"share_{y}"] = np.where(feasible, 0.92 if y < 2030 else 0.45, np.nan)
    rows = [("conc", e, v) for e, v in (("La", 4553.0), ("Ce", 8032.0), ("Pr", 821.0),
                                        ("Nd", 2811.0), ("Sm", 363.0), ("Tb", 23.8),
                                        ("Dy", 79.1), ("Lu", 1.86), ("Y", 437.5))]
    rows += [("mixed", e, v) for e, v in (("Ce", 2119.0), ("Pr", 785.0), ("Nd", 2673.0),
                                          ("Sm", 335.0), ("Tb", 22.0), ("Dy", 74.5))]
    rows += [("oxide", e, 0.99 * v) for _, e, v in rows if _ == "mixed"]
    rows += [("metal", "Nd", 339.1), ("metal", "Pr", 111.0), ("metal", "Dy", 7.5),
             ("magnet", "", 1000.0), ("scrap", "Nd", 76.2), ("scrap", "Dy", 1.7)]
    b.element_flows = pd.DataFrame(rows, columns=["material", "element", "flow [t/yr]"])
    b.element_flows["source"] = b.element_flows["material"]
    b.waterfall = pd.DataFrame({
        "step": ["mine", "cracking", "separation", "recycling", "metal", "magnet"],
        "cost [RUB_2025]": [101.8e9, 50.4e9, 107.6e9, 5.1e9, 9.2e9, 10.1e9]})
    products = ("NdPr_oxide", "Ce_oxide", "Dy_oxide", "Tb_oxide", "Y_oxide")
    model = pd.DataFrame({
        "option": [f"Russia {p}" for p in products], "region": "Russia", "product": products,
        "capacity [t/yr]": [3458.0, 4451.0, 84.7, 25.6, 500.0],
        "levelized cost [USD/kg]": [90.6, 2.49, 347.4, 1359.5, 11.0]})
    b.supply_curve = supply_frame([model], default_input_tables().reference_costs)  # shipped
    b.summary.update({
        "budget": {"value": 700.0e9, "unit": "RUB_2025"},
        "target": {"year": 2030, "production": 50000.0, "unit": "t_REO/yr"},
        "levelized_cost": {"NdPr_oxide": {"value": 90.6, "unit": "USD_2025/kg_REO"},
                           "N42_magnet": {"value": 78.9, "unit": "USD_2025/kg"}}})
    b.musd_to_currency = 81.27e6  # RUB_2025 per MUSD_2025, as the Pareto budgets above
    rng = np.random.default_rng(0)
    b.samples = pd.DataFrame({"product": "NdPr_oxide", "unit": "USD_2025/kg_REO",
                              "levelized cost": rng.triangular(140, 165, 200, 500),
                              "import price": 60 * rng.lognormal(0, 0.15, 500)})
    b.tornado = pd.DataFrame({
        "figure": "levelized_cost.NdPr_oxide", "unit": "USD_2025/kg_REO",
        "input": ["discount_rate", "price.Tb_oxide", "capex.separation", "recovery"],
        "at P10": [155.3, 165.9, 161.0, 176.0], "at P90": [175.7, 146.2, 172.0, 161.6],
        "swing": [20.3, 19.7, 11.0, 14.4], "base": 165.2})
    return b


@pytest.fixture
def bundle() -> RunBundle:
    """A fresh fixture bundle."""
    return make_bundle()


@pytest.fixture
def bundle_factory():
    """A function that builds a fresh fixture bundle on each call."""
    return make_bundle


@pytest.fixture(scope="module")
def bundle_factory_module():
    """:func:`make_bundle` for module-scoped fixtures."""
    return make_bundle
