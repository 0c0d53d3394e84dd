"""Tests of tea.finance: identities, numpy-financial agreement, IRS tables, bad input."""

import numpy as np
import numpy_financial as npf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tea.config.inputs import default_input_tables
from tea.errors import InputError
from tea.finance import (
    ALLOCATIONS,
    CASH_LINES,
    PlantCashFlowInputs,
    cash_flow_arrays,
    cash_flow_table,
    chain_arrays,
    chain_cash_flows,
    irr,
    kpis,
    levelized_cost,
    npv,
    payback,
    with_discounting,
)
from tea.finance import depreciation as dep
from tea.money import MoneyContext
from tea.units import Q_

T = default_input_tables()

# IRS Publication 946 (2023), Appendix A, Table A-1 (MACRS GDS, half-year convention) [%],
# typed from the publication independently of tea.finance.depreciation.
PUB946_A1 = {
    3: [33.33, 44.45, 14.81, 7.41],
    5: [20.00, 32.00, 19.20, 11.52, 11.52, 5.76],
    7: [14.29, 24.49, 17.49, 12.49, 8.93, 8.92, 8.93, 4.46],
    10: [10.00, 18.00, 14.40, 11.52, 9.22, 7.37, 6.55, 6.55, 6.56, 6.55, 3.28],
    15: [5.00, 9.50, 8.55, 7.70, 6.93, 6.23, 5.90, 5.90, 5.91, 5.90, 5.91, 5.90, 5.91, 5.90, 5.91,
         2.95],
    20: [3.750, 7.219, 6.677, 6.177, 5.713, 5.285, 4.888, 4.522, 4.462, 4.461, 4.462, 4.461,
         4.462, 4.461, 4.462, 4.461, 4.462, 4.461, 4.462, 4.461, 2.231],
}

FLOWS = st.lists(st.floats(-1e3, 1e3, allow_nan=False), min_size=2, max_size=15)


def plant(**kw):
    base = dict(
        name="sep", capex=Q_(100e6, "USD_2024"), build_year=2026, lifetime=15,
        production={"NdPr oxide": Q_(800, "t/yr"), "Ce oxide": Q_(1000, "t/yr")},
        prices={"NdPr oxide": Q_(60, "USD_2024/kg"), "Ce oxide": Q_(1.5, "USD_2024/kg")},
        opex=Q_(20e6, "USD_2024/yr"), construction_schedule=(0.4, 0.6),
        working_capital=Q_(5e6, "USD_2024"), salvage_fraction=0.05, royalty_rate=0.02,
    )
    base.update(kw)
    return PlantCashFlowInputs(**base)


# --- npv / irr against numpy-financial -------------------------------------------------------
@settings(max_examples=60, deadline=None)
@given(FLOWS, st.floats(-0.9, 2.0))
def test_npv_matches_numpy_financial(flows, rate):
    assert npv(rate, flows) == pytest.approx(npf.npv(rate, flows), rel=1e-9, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(st.floats(1, 1e3), st.lists(st.floats(0.1, 1e3), min_size=1, max_size=12))
def test_irr_matches_numpy_financial_and_zeroes_npv(outlay, inflows):
    flows = [-outlay, *inflows]
    ours, ref = irr(flows), npf.irr(flows)
    assert ours == pytest.approx(ref, abs=1e-9)
    assert npv(ours, flows) == pytest.approx(0.0, abs=1e-9 * sum(map(abs, flows)))


def test_irr_textbook_values():
    # numpy-financial 1.0 docstring examples (Gitman, Principles of Managerial Finance)
    assert irr([-100, 39, 59, 55, 20]) == pytest.approx(0.28095, abs=1e-5)
    assert irr([-100, 0, 0, 74]) == pytest.approx(-0.0955, abs=1e-4)
    assert np.isnan(irr([100, 10, 10]))


def test_vectorized_npv_irr_rows_match_scalar():
    rng = np.random.default_rng(1)
    flows = np.column_stack([-rng.uniform(50, 150, 20), rng.uniform(5, 40, (20, 10))])
    rates = rng.uniform(0.0, 0.2, 20)
    values = npv(rates, flows)
    assert values.shape == (20,)
    for i in range(20):
        assert values[i] == pytest.approx(npf.npv(rates[i], flows[i]), rel=1e-12)
    assert np.allclose(irr(flows), [npf.irr(row) for row in flows], atol=1e-9)


def test_npv_keeps_money_unit_and_refuses_bad_rate():
    assert npv(0.1, Q_([-100.0, 110.0], "USD_2024")).to("USD_2024").magnitude == pytest.approx(0)
    for bad in (-1.0, -2.0, np.nan):
        with pytest.raises(InputError, match="rate"):
            npv(bad, [-1.0, 2.0])


def test_payback_simple():
    # -100, then +30 a year: cumulative -70, -40, -10, +20 -> 3 + 10/30 years
    assert payback([-100, 30, 30, 30, 30]) == pytest.approx(3 + 10 / 30)
    assert np.isnan(payback([-100, 10, 10]))


# --- depreciation ----------------------------------------------------------------------------
@pytest.mark.parametrize("period", sorted(PUB946_A1))
def test_macrs_equals_pub946(period):
    assert np.allclose(dep.macrs(period) * 100, PUB946_A1[period], atol=1e-12)


@pytest.mark.parametrize("period", sorted(PUB946_A1))
def test_declining_balance_half_year_reproduces_macrs(period):
    # MACRS = 200 % DB (3-10 yr) or 150 % DB (15, 20 yr), half-year, switch to SL (Pub 946 ch. 4);
    # the table rounds to 0.01 % (0.001 % for 20-year) and forces the sum to 100.
    factor = 2.0 if period <= 10 else 1.5
    computed = dep.declining_balance(period, factor, half_year=True) * 100
    assert np.max(np.abs(computed - PUB946_A1[period])) < 0.01


def test_declining_balance_switches_to_straight_line():
    # 5-year double declining: 40, 24, 14.4; book 21.6 over 2 years -> SL 10.8 > DB 8.64 in year 4
    values = dep.declining_balance(5, 2.0)
    assert np.allclose(values, [0.40, 0.24, 0.144, 0.108, 0.108])
    assert dep.switch_year(5, 2.0) == 4
    no_switch = dep.declining_balance(5, 2.0, switch=False)
    assert no_switch[3] == pytest.approx(0.0864)
    assert values.sum() == pytest.approx(1.0) and no_switch.sum() == pytest.approx(1.0)


def test_depreciation_bad_input():
    with pytest.raises(InputError, match="sum to 1"):
        dep.custom([0.5, 0.4])
    with pytest.raises(InputError, match="MACRS"):
        dep.macrs(6)
    with pytest.raises(InputError, match="depreciation years"):
        dep.straight_line(-3)
    with pytest.raises(InputError, match="unknown depreciation"):
        dep.schedule("sum_of_digits", 5)


# --- cash-flow table identities --------------------------------------------------------------
@pytest.mark.parametrize("kw", [
    {},
    {"debt_fraction": 0.6, "interest_rate": 0.09, "debt_term": 8},
    {"inflation": 0.04, "terms": "nominal", "depreciation": "declining_balance"},
    {"inflation": 0.04, "depreciation": "macrs", "depreciation_years": 7},
    {"tax_rate": 0.2, "loss_offset_limit": 0.5, "opex": Q_(45e6, "USD_2024/yr")},
])
def test_table_identities(kw):
    table = cash_flow_table(plant(**kw))
    assert np.allclose(table["net_cash_flow"], table[list(CASH_LINES)].sum(axis=1), rtol=1e-12)
    assert np.allclose(table["revenue"], table["revenue_NdPr oxide"] + table["revenue_Ce oxide"])
    assert table["working_capital"].sum() == pytest.approx(0.0, abs=1e-6) or kw.get("inflation")
    assert -table["capex"].sum() == pytest.approx(100e6) or kw.get("inflation")
    assert table["debt_balance"].iloc[-1] == pytest.approx(0.0, abs=1e-6)
    assert table.attrs["currency"] == "USD_2024"
    disc = with_discounting(table, 0.08)
    # NPV equals the last cumulative discounted cash flow
    assert kpis(table, 0.08)["npv"].magnitude == pytest.approx(
        disc["cumulative_present_value"].iloc[-1], rel=1e-12)


def test_loss_carry_forward_defers_tax():
    table = cash_flow_table(plant(opex=Q_(48e6, "USD_2024/yr"), construction_schedule=(1.0,)))
    no_cf = cash_flow_table(plant(opex=Q_(48e6, "USD_2024/yr"), construction_schedule=(1.0,),
                                  loss_carry_forward=False))
    assert table["tax"].sum() >= no_cf["tax"].sum()  # taxes (negative) are smaller with it
    assert (table["loss_carried"] >= 0).all()


def test_depreciation_sums_to_capex_and_tax_rate_applies():
    table = cash_flow_table(plant(salvage_fraction=0.0, royalty_rate=0.0))
    assert table["depreciation"].sum() == pytest.approx(100e6)
    profitable = table["taxable_income"] > 0
    assert np.allclose(table.loc[profitable, "tax"], -0.25 * table.loc[profitable,
                                                                         "taxable_income"])


def test_irr_of_table_zeroes_npv():
    table = cash_flow_table(plant())
    rate = kpis(table, 0.1)["irr"]
    assert kpis(table, rate)["npv"].magnitude == pytest.approx(0.0, abs=1e-3)


def test_chain_is_sum_of_plants():
    a, b = plant(), plant(name="magnet", build_year=2028, lifetime=10)
    chain = chain_cash_flows([a, b])
    ta, tb = cash_flow_table(a), cash_flow_table(b)
    assert chain["net_cash_flow"].sum() == pytest.approx(ta["net_cash_flow"].sum()
                                                         + tb["net_cash_flow"].sum())
    assert np.allclose(chain["net_cash_flow"], chain["net_cash_flow:sep"]
                       + chain["net_cash_flow:magnet"])
    assert list(chain["year"]) == list(range(2026, 2043))  # 2 + 15 years from 2026


# --- levelized cost ---------------------------------------------------------------------------
@pytest.mark.parametrize("allocation", ALLOCATIONS)
@pytest.mark.parametrize("kw", [{}, {"debt_fraction": 0.5, "interest_rate": 0.07,
                                     "inflation": 0.03, "terms": "nominal"}])
def test_levelized_cost_as_price_gives_zero_npv(allocation, kw):
    p = plant(**kw)
    lc = levelized_cost(p, "NdPr oxide", 0.08, allocation)
    value = lc.value.to("USD_2024/kg").magnitude
    prices = dict(p.prices)
    if allocation == "credit":
        prices["NdPr oxide"] = Q_(value, "USD_2024/kg")
    elif allocation == "value":
        factor = value / 60.0
        prices = {k: v * factor for k, v in prices.items()}
    else:
        prices = {k: Q_(value, "USD_2024/kg") for k in prices}
    again = plant(prices=prices, **kw)
    assert kpis(again, 0.08)["npv"].magnitude == pytest.approx(0.0, abs=1e-4)


def test_levelized_breakdown_sums_to_value():
    lc = levelized_cost(plant(debt_fraction=0.4, interest_rate=0.08), "NdPr oxide", 0.1)
    total = sum(v.magnitude for v in lc.breakdown.values())
    assert total == pytest.approx(lc.value.magnitude, rel=1e-9)
    # the credit is Ce revenue: 1000 t x 1.5 $/kg per 800 t NdPr = 1.875 $/kg undiscounted
    assert lc.breakdown["co_product_credit"].magnitude == pytest.approx(-1.875, rel=1e-9)


def test_levelized_cost_vectorized_over_capex_samples():
    capex = Q_(np.array([50e6, 100e6, 200e6]), "USD_2024")
    lc = levelized_cost(plant(capex=capex), "NdPr oxide", 0.08)
    assert lc.value.magnitude.shape == (3,)
    assert np.all(np.diff(lc.value.magnitude) > 0)
    one = levelized_cost(plant(capex=Q_(100e6, "USD_2024")), "NdPr oxide", 0.08)
    assert lc.value.magnitude[1] == pytest.approx(one.value.magnitude, rel=1e-9)
    net = cash_flow_arrays(plant(capex=capex))["net_cash_flow"]
    assert net.shape == (3, 17)


def test_money_in_other_currency_needs_context():
    rub = {"NdPr oxide": Q_(5000, "RUB_2025/kg"), "Ce oxide": Q_(120, "RUB_2025/kg")}
    with pytest.raises(InputError, match="RUB_2025"):
        cash_flow_table(plant(prices=rub))
    ctx = MoneyContext(T.fx_table("2025-10-24"), T.cost_indices)
    table = cash_flow_table(plant(prices=rub, money=ctx))
    assert table["revenue"].max() > 0


# --- bad input ---------------------------------------------------------------------------------
@pytest.mark.parametrize("kw, match", [
    ({"lifetime": -5}, "lifetime"),
    ({"lifetime": 0}, "lifetime"),
    ({"construction_schedule": (0.5, 0.4)}, "sum to 1"),
    ({"construction_schedule": (1.2, -0.2)}, "non-negative"),
    ({"capex": Q_(100e6, "dimensionless")}, "currency and cost year"),
    ({"opex": Q_(20e6, "1/yr")}, "currency and cost year"),
    ({"prices": {"NdPr oxide": Q_(60, "USD_2024/kg")}}, "no price"),
    ({"tax_rate": 25}, "tax_rate"),
    ({"terms": "constant"}, "terms"),
    ({"production": {"NdPr oxide": Q_([1, 2], "t/yr"), "Ce oxide": Q_(1, "t/yr")}},
     "one per operating year"),
])
def test_bad_plant_inputs(kw, match):
    with pytest.raises(InputError, match=match):
        cash_flow_table(plant(**kw))


def test_bad_rate_in_kpis_and_levelized():
    with pytest.raises(InputError, match="> -1"):
        kpis(cash_flow_table(plant()), -1.0)
    with pytest.raises(InputError, match="> -1"):
        levelized_cost(plant(), "NdPr oxide", -1.5)
    with pytest.raises(InputError, match="no product"):
        levelized_cost(plant(), "Dy oxide", 0.08)


def test_chain_arrays_with_samples_match_tables():
    a = plant(capex=Q_(np.array([80e6, 120e6]), "USD_2024"))
    b = plant(name="magnet", build_year=2029, lifetime=5)
    chained = chain_arrays([a, b])
    assert chained["net_cash_flow"].shape == (2, 17)
    one = chain_cash_flows([plant(capex=Q_(80e6, "USD_2024")), b])
    assert np.allclose(chained["net_cash_flow"][0], one["net_cash_flow"])


def test_levelized_cost_needs_output():
    zero = {"NdPr oxide": Q_(0, "t/yr"), "Ce oxide": Q_(1000, "t/yr")}
    with pytest.raises(InputError, match="no output"):
        levelized_cost(plant(production=zero), "NdPr oxide", 0.08)


@settings(max_examples=15, deadline=None)
@given(capex=st.floats(1e6, 1e9), opex=st.floats(0, 1e8), price=st.floats(0, 500),
       debt=st.floats(0, 0.9), rate=st.floats(0, 0.15), inflation=st.floats(0, 0.08),
       terms=st.sampled_from(["real", "nominal"]),
       method=st.sampled_from(["straight_line", "declining_balance"]))
def test_identities_hold_for_random_plants(capex, opex, price, debt, rate, inflation, terms,
                                           method):
    p = plant(capex=Q_(capex, "USD_2024"), opex=Q_(opex, "USD_2024/yr"),
              prices={"NdPr oxide": Q_(price, "USD_2024/kg"), "Ce oxide": Q_(1, "USD_2024/kg")},
              debt_fraction=debt, interest_rate=0.07, inflation=inflation, terms=terms,
              depreciation=method)
    table = cash_flow_table(p)
    lines = table[list(CASH_LINES)].sum(axis=1)
    assert np.allclose(table["net_cash_flow"], lines, rtol=1e-12, atol=1e-6)
    lc = levelized_cost(p, "NdPr oxide", rate)
    again = plant(capex=Q_(capex, "USD_2024"), opex=Q_(opex, "USD_2024/yr"),
                  prices={"NdPr oxide": lc.value, "Ce oxide": Q_(1, "USD_2024/kg")},
                  debt_fraction=debt, interest_rate=0.07, inflation=inflation, terms=terms,
                  depreciation=method)
    scale = capex + opex * 15
    assert kpis(again, rate)["npv"].magnitude == pytest.approx(0.0, abs=1e-9 * scale)
