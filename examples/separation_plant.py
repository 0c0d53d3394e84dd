"""Worked example: a 2,500 t/yr rare-earth separation plant at a southern Siberian site.

Capex is scaled from the Avalon Geismar separation refinery (PFS 2012: US$302 M, Q4-2011, for
10,000 t/yr REO) with the six-tenths rule, escalated by the CEPCI to 2024 and adjusted for a
Russian, southern-Siberian site (location factors RU x siberia_south), contingency and owner's
costs. Opex comes from consumptions x dated prices, labour from headcount x regional wages, and
fixed charges as fractions of capital. The cash-flow table gives NPV and IRR at market prices and
the levelized cost of NdPr oxide (by-product credit rule: La, Ce and SEG are sold at their
prices and credited), in US$/kg and RUB/kg.

Run:  .venv/bin/python examples/separation_plant.py

Assumptions of this example (not sourced; sweep them): the product split follows the Mountain
Pass ore TREO split (Ce 50.2 %, La 32.3 %, NdPr 15.7 %, SEG+ 1.8 %; MP Materials [C]) as a
stand-in feed; the feed is mixed RE carbonate at 45 % REO; consumptions per t of REO are listed in
CONSUMPTION_PER_T_REO; 10 % real discount rate; 20 years of operation. The SX design models of
tea.process give consumptions for a designed cascade and can replace these figures.
"""

from __future__ import annotations

import pandas as pd

from tea.config.inputs import default_input_tables
from tea.costing.capex import capex_table, scale_capex
from tea.costing.opex import (
    consumable_costs,
    fixed_charges,
    labour_cost,
    logistics_cost,
    opex_table,
    waste_cost,
)
from tea.costing.tables import format_table
from tea.finance import PlantCashFlowInputs, cash_flow_table, kpis, levelized_cost
from tea.money import MoneyContext
from tea.units import Q_

CURRENCY = "USD_2024"
CAPACITY = Q_(2500, "t/yr")  # separated products, oxide mass
SPLIT = {"NdPr oxide": 0.157, "Ce oxide": 0.502, "La oxide": 0.323, "SEG concentrate": 0.018}
RECOVERY = 0.98        # Avalon PFS 2012: 98 % plant recovery [C]
FEED_REO = 0.45        # assumption: REO content of mixed RE carbonate
CONSUMPTION_PER_T_REO = {
    # [E] full-train saponified SX: ~3 t NaOH and >= 3 t HCl per t of each cut's feed, several
    # cuts; checked against Avalon's reagent cost US$3,934/t REO (PFS 2012) [C]
    "hydrochloric_acid": 4.0,
    "sodium_hydroxide": 3.5,
    "pc88a": 0.001,     # assumption: extractant make-up, 1 kg/t REO
    "lime": 1.0,        # assumption: effluent neutralisation
}
OXALIC_PER_T_NDPR_SEG = 1.75   # 1.6-1.9 t H2C2O4.2H2O per t oxide in practice [C]
SODA_PER_T_LA_CE = 1.0         # assumption: carbonate precipitation of La and Ce
POWER_MWH_PER_T = 3.0          # model parameter, sweep 1-5 MWh/t REO (no published figure found)
RESIDUE_T_PER_T = 2.0          # assumption: non-hazardous residue per t REO
RAIL_KM_PRODUCTS = 4000        # assumption: Krasnoyarsk to European Russia by rail (~4,000 km)
RAIL_KM_FEED = 2500            # assumption: feed by rail
DISCOUNT_RATE = 0.10           # assumption: real, after-tax
TABLES = default_input_tables()  # the package's input tables (prices, wages, factors, FX, ...)
MONEY = MoneyContext(TABLES.fx_table("2025-10-24"), TABLES.cost_indices)


def capex(money: MoneyContext = MONEY) -> pd.DataFrame:
    """Capital cost table for the Siberian plant [USD_2024]."""
    avalon = TABLES.reference_plants["avalon_geismar"]
    direct = scale_capex(avalon, CAPACITY, money, CURRENCY, item="separation refinery (scaled)")
    return capex_table([direct], location=["RU", "siberia_south"], factors=TABLES.capex_factors,
                       location_factors=TABLES.location_factors)


def opex(capital, money: MoneyContext = MONEY) -> tuple[pd.DataFrame, Q_]:
    """Operating cost table per year and the jobs [USD_2024/yr, person]."""
    reo = CAPACITY.to("t/yr").magnitude
    feed = Q_(reo / RECOVERY / FEED_REO, "t/yr")
    uses = {k: Q_(v * reo, "t/yr") for k, v in CONSUMPTION_PER_T_REO.items()}
    uses["oxalic_acid"] = Q_(OXALIC_PER_T_NDPR_SEG * reo * (SPLIT["NdPr oxide"]
                                                            + SPLIT["SEG concentrate"]), "t/yr")
    uses["sodium_carbonate"] = Q_(SODA_PER_T_LA_CE * reo * (SPLIT["La oxide"]
                                                            + SPLIT["Ce oxide"]), "t/yr")
    uses["electricity_siberia"] = Q_(POWER_MWH_PER_T * reo, "MWh/yr")
    prices = TABLES.prices
    lines = consumable_costs({"re_carbonate": feed}, money, CURRENCY, prices=prices,
                             category="feed")
    lines += consumable_costs(uses, money, CURRENCY, prices=prices)
    labour, jobs = labour_cost("separation", CAPACITY, "RU", money, CURRENCY, labour=TABLES.labour)
    lines.append(labour)
    lines += fixed_charges(capital, CURRENCY, factors=TABLES.capex_factors)
    lines.append(logistics_cost(CAPACITY, Q_(RAIL_KM_PRODUCTS, "km"), money, CURRENCY,
                                prices=prices, item="products by rail"))
    lines.append(logistics_cost(feed, Q_(RAIL_KM_FEED, "km"), money, CURRENCY, prices=prices,
                                item="feed by rail"))
    lines.append(waste_cost(Q_(RESIDUE_T_PER_T * reo, "t/yr"), money, CURRENCY, prices=prices))
    return opex_table(lines, output=CAPACITY), jobs


def plant_inputs(capital, yearly_opex, money: MoneyContext = MONEY) -> PlantCashFlowInputs:
    """The plant as the finance module takes it."""
    output = {p: CAPACITY * share for p, share in SPLIT.items()}
    prices = {
        "NdPr oxide": Q_(55, "USD_2024/kg"),          # FOB China 2024, Fastmarkets/Lynas [C]
        "Ce oxide": Q_(11750, "CNY_2025/t"),          # SMM 2025 [C]
        "La oxide": Q_(4600, "CNY_2025/t"),           # SMM 2025 [C]
        "SEG concentrate": Q_(20e3, "CNY_2025/t"),    # assumption (prices.csv)
    }
    return PlantCashFlowInputs(
        name="Siberian separation 2,500 t/yr", capex=capital, build_year=2026, lifetime=20,
        production=output, prices=prices, opex=yearly_opex,
        construction_schedule=(0.3, 0.5, 0.2),          # assumption: three-year build
        working_capital=0.10 * capital,                 # capex_factors.csv working_capital
        depreciation="straight_line", depreciation_years=10,   # assumption
        tax_rate=0.25,   # Russian profit tax from 2025 (Federal Law 176-FZ of 12 Jul 2024) [U]
        money=money,
    )


def main() -> dict:
    """Print the tables and return the headline figures."""
    pd.set_option("display.width", 200)
    pd.set_option("display.max_colwidth", 120)
    capital_table = capex()
    capital = capital_table.attrs["total"]
    opex_tab, jobs = opex(capital)
    plant = plant_inputs(capital, opex_tab.attrs["total"])
    table = cash_flow_table(plant)
    figures = kpis(table, DISCOUNT_RATE)
    lc = levelized_cost(plant, "NdPr oxide", DISCOUNT_RATE, allocation="credit")
    lc_rub = MONEY.convert(lc.value, "RUB_2025/kg")
    feed = opex_tab.loc[opex_tab["category"] == "feed", "amount"].sum()
    tolling = plant_inputs(capital, opex_tab.attrs["total"] - Q_(feed, f"{CURRENCY}/yr"))
    lc_tolling = levelized_cost(tolling, "NdPr oxide", DISCOUNT_RATE, allocation="credit")

    cross = scale_capex(TABLES.reference_plants["solikamsk_separation"], CAPACITY, MONEY,
                        CURRENCY)
    print("== Capital cost (overnight), million USD_2024 ==")
    print(format_table(capital_table))
    print(f"\ncross-check, direct cost: {cross.amount.magnitude / 1e6:,.1f} M USD_2024 "
          f"({cross.basis})")
    print("\n== Operating cost per year, million USD_2024/yr ==")
    print(format_table(opex_tab))
    per_kg = opex_tab.attrs["per_unit"]
    print(f"opex per kg of separated product: {per_kg:.2f~P}; jobs: {jobs.magnitude:.0f}")
    print(f"\n== Cash flow, million {table.attrs['currency']} ({table.attrs['terms']} terms) ==")
    shown = ["year", "capex", "revenue", "royalties", "opex", "working_capital", "tax",
             "net_cash_flow", "depreciation", "loss_carried"]
    print((table[shown].set_index("year") / 1e6).round(2).to_string())
    irr_words = ("none (the cash flow never turns positive)" if figures["irr"] != figures["irr"]
                 else f"{figures['irr']:.1%}, payback {figures['payback']:.1f} yr from start")
    print(f"\nat market prices (NdPr 55 US$/kg): NPV{DISCOUNT_RATE:.0%} "
          f"{figures['npv'].magnitude / 1e6:,.1f} M USD_2024 (to {figures['base_year']}), "
          f"IRR {irr_words}")
    print(f"\n== Levelized cost of NdPr oxide, real {DISCOUNT_RATE:.0%} ({lc.rule}) ==")
    for line, value in lc.breakdown.items():
        if abs(value.magnitude) > 1e-9:
            print(f"  {line:<18} {value.magnitude:9.2f} USD_2024/kg")
    print(f"  {'levelized cost':<18} {lc.value.magnitude:9.2f} USD_2024/kg = "
          f"{lc_rub.magnitude:,.0f} RUB_2025/kg (FX {MONEY.fx.date}, US CPI 2024->2025)")
    print(f"  without the feed (tolling basis): {lc_tolling.value.magnitude:.2f} USD_2024/kg = "
          f"{MONEY.convert(lc_tolling.value, 'RUB_2025/kg').magnitude:,.0f} RUB_2025/kg")
    return {"capex": capital, "opex_per_kg": per_kg, "jobs": jobs, "npv": figures["npv"],
            "irr": figures["irr"], "lc_usd": lc.value, "lc_rub": lc_rub,
            "lc_tolling_usd": lc_tolling.value, "plant": plant, "capex_table": capital_table,
            "opex_table": opex_tab, "cash_flow": table}


if __name__ == "__main__":
    main()
