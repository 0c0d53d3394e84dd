"""A plan's cash flows through tea.finance: the ledger's identities, the files an analyst
recomputes, the minimum selling price, the effect of the tax rate, a published feasibility study,
and the finance inputs' error paths."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy_financial as npf
import pandas as pd
import pytest
from click.testing import CliRunner

from tea.analysis.cashflows import plant_books, run_ledger
from tea.analysis.run import evaluate_model, optimize_model
from tea.cli import cli
from tea.config import load_scenario
from tea.errors import InputError
from tea.finance import CASH_LINES, LedgerTerms, Tranche, irr, ledger, npv
from tea.finance import depreciation as dep

ROOT = Path(__file__).resolve().parents[2]
CHINA = ROOT / "models" / "china_reference.toml"
SIBERIA = ROOT / "models" / "siberia_cluster.toml"


def _ledger(**terms):
    years = np.arange(2025, 2041)
    spend = np.zeros((1, years.size))
    spend[0, :3] = [300.0, 500.0, 200.0]
    revenue = np.zeros((1, years.size))
    revenue[0, 3:] = 420.0
    opex = np.zeros((1, years.size))
    opex[0, 3:] = 180.0
    return ledger(years, [Tranche(spend, 3, dep.schedule("straight_line", 10), 150.0)],
                  {"oxide": revenue}, opex, royalties=0.05 * revenue,
                  working_capital=opex * 2 / 12, terms=LedgerTerms(**terms))


@pytest.mark.unit
def test_ledger_identities_with_debt_holiday_and_working_capital():
    out = _ledger(tax_rate=0.25, loss_offset_limit=0.5, holiday=((5, 0.05), (5, 0.18)),
                  debt_share=0.6, interest_rate=0.07, tenor=8, grace_years=2)
    net = sum(out[k] for k in CASH_LINES)
    assert out["net_cash_flow"] == pytest.approx(net, rel=1e-12)
    assert out["debt_drawn"].sum() == pytest.approx(-out["debt_repaid"].sum(), rel=1e-12)
    assert out["debt_balance"][0, -1] == pytest.approx(0.0, abs=1e-9)
    assert out["working_capital"].sum() == pytest.approx(0.0, abs=1e-9)  # recovered at the end
    # the holiday: 5 % in the first profitable year (the loss pool offsets at most half)
    taxed = np.flatnonzero(out["tax"][0] < 0)
    assert taxed.size > 0


def _recomputed_tax(taxable: np.ndarray, rate: float, limit: float) -> np.ndarray:
    """Tax from taxable income with losses carried forward (offset <= limit x profit)."""
    pool, tax = 0.0, []
    for income in taxable:
        offset = min(pool, limit * income) if income > 0 else 0.0
        pool += -income if income < 0 else -offset
        tax.append(-rate * max(income - offset, 0.0))
    return np.array(tax)


@pytest.mark.unit
def test_tax_recomputed_from_the_lines():
    out = _ledger(tax_rate=0.25, loss_offset_limit=0.5)
    expected = _recomputed_tax(out["taxable_income"][0], 0.25, 0.5)
    assert out["tax"][0] == pytest.approx(expected, rel=1e-12, abs=1e-9)


@pytest.mark.unit
def test_avalon_nechalacho_feasibility_study():
    # Avalon Rare Metals, Nechalacho feasibility study (2013): capex C$1.575 bn (US$1,528 M at
    # 0.97 USD/CAD), revenue US$646 M/yr, opex US$265 M/yr; after-tax NPV10 US$900 M, IRR 19.6 %.
    # Assumptions for the recalculation: 2 years of even construction, 20 operating years,
    # 26.5 % combined Canadian income tax, straight-line tax depreciation over 7 years.
    years = np.arange(2013, 2035)
    spend = np.zeros((1, years.size))
    spend[0, :2] = 1528.0 / 2
    revenue = np.zeros((1, years.size))
    revenue[0, 2:] = 646.0
    opex = np.zeros((1, years.size))
    opex[0, 2:] = 265.0
    out = ledger(years, [Tranche(spend, 2, dep.schedule("straight_line", 7))], {"REO": revenue},
                 opex, terms=LedgerTerms(tax_rate=0.265))
    net = out["net_cash_flow"][0]
    assert npv(0.10, net) == pytest.approx(900.0, rel=0.10)
    assert irr(net) == pytest.approx(0.196, abs=0.015)


@pytest.fixture(scope="module")
def siberia_files(tmp_path_factory):
    out = tmp_path_factory.mktemp("cash")
    result = CliRunner().invoke(cli, ["evaluate", str(SIBERIA), "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    return out, load_scenario(SIBERIA)


@pytest.fixture(scope="module")
def china_run():
    return optimize_model(CHINA)


@pytest.mark.integration
def test_cash_flow_files_recompute(siberia_files):
    folder, scenario = siberia_files
    assert len(list(folder.glob("cash_flow_*.csv"))) > 3  # the chain and several plants
    chain = pd.read_csv(folder / "cash_flow_chain.csv")
    money = scenario.currency
    run = evaluate_model(SIBERIA)
    figures = run.finance.figures["chain"]
    net = chain[f"net_cash_flow [{money}/yr]"].to_numpy()
    rate = figures["hurdle_rate"]
    first = int(chain["year"].iloc[0]) - scenario.base_year
    # numpy-financial discounts its first value by (1+r)^0: shift by the first year's offset
    assert npf.npv(rate, net) / (1 + rate) ** first == pytest.approx(figures["npv"], rel=1e-9)
    assert chain[f"present_value [{money}]"].sum() == pytest.approx(figures["npv"], rel=1e-9)
    if figures["irr"] is not None:
        assert npf.irr(net) == pytest.approx(figures["irr"], rel=1e-9)
    lines = [f"{c} [{money}/yr]" for c in CASH_LINES]
    assert chain[lines].sum(axis=1).to_numpy() == pytest.approx(net, rel=1e-12, abs=1e-3)
    for path in sorted(folder.glob("cash_flow_*.csv")):
        if path.name == "cash_flow_chain.csv":
            continue
        plant = pd.read_csv(path)
        name = path.stem.removeprefix("cash_flow_")
        terms = scenario.finance.for_region(
            scenario.sites[scenario.plants[name].site].region)
        expected = _recomputed_tax(plant[f"taxable_income [{money}/yr]"].to_numpy(),
                                   terms.profit_tax_rate, terms.loss_offset_limit)
        assert plant[f"tax [{money}/yr]"].to_numpy() == pytest.approx(expected, rel=1e-9,
                                                                       abs=1e-3)


@pytest.mark.solver
def test_npv_is_zero_at_the_minimum_selling_price(china_run):
    run = china_run
    books = plant_books(run.solution, run.scenario, run.info.musd_to_currency)
    from tea.analysis.cashflows import product_members

    members = product_members(run.data, run.scenario)
    years = list(run.data.years)
    checked = 0
    for name, figures in run.finance.figures.items():
        if name == "chain":
            continue
        for product, price in figures["msp"].items():
            lines = run_ledger(books[name], years, {product: price * 1e3}, members)
            value = npv(figures["hurdle_rate"], lines["net_cash_flow"][0],
                        start=years[0] - run.scenario.base_year)
            scale = np.abs(lines["capex"]).sum() + np.abs(lines["opex"]).sum()
            assert abs(value) <= 1e-6 * scale
            checked += 1
    assert checked > 0


@pytest.mark.solver
def test_profit_tax_rate_moves_the_after_tax_figures_not_the_plan(china_run):
    low = china_run  # 15 %, the model's rate
    assert low.scenario.profit_tax_rate == 0.15
    high = optimize_model(CHINA, {"model.profit_tax_rate": 0.35})
    from tea.optimize import results as r

    assert r.build_plan(low.solution).equals(r.build_plan(high.solution))
    assert low.solution.objective == pytest.approx(high.solution.objective, rel=1e-9)
    for key in ("npv", "irr"):
        assert low.finance.figures["chain"][key] != pytest.approx(
            high.finance.figures["chain"][key], rel=1e-3)
    taxes = [run.finance.tables["chain"]["tax"].sum() for run in (low, high)]
    assert taxes[1] < taxes[0] < 0  # more tax paid at the higher rate


@pytest.mark.parametrize("line, expected", [
    ("profit_tax_rate = 2", "outside [0, 1]"),
    ("debt_share = 1.5", "outside [0, 1]"),
    ("depreciation_years = 0", "depreciation_years"),
    ("regime = \"offshore\"", "not a regime"),
    ("bogus = 1", "bogus"),
])
def test_bad_finance_inputs_are_refused_in_one_line(tmp_path, line, expected):
    lines = CHINA.read_text(encoding="utf-8").splitlines()
    start = lines.index("[finance]")
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("["))
    text = "\n".join([*lines[:start + 1], line, *lines[end:]]) + "\n"
    model = tmp_path / "china_reference.toml"
    model.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_scenario(model)
    assert expected in str(caught.value) and "finance" in str(caught.value)
    result = CliRunner().invoke(cli, ["validate", str(model)])
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1


@pytest.mark.solver
def test_pre_tax_ledgers_reproduce_the_optimizers_costs(china_run):
    """With no tax, royalty or working capital and capex in the build year (the optimizer's
    timing), the plants' capex, salvage and opex less their priced purchases discount to the
    plan's costs charged to options (the objective's capex, salvage, opex and transport)."""
    import dataclasses

    from tea.analysis.cashflows import plant_books, run_ledger
    from tea.optimize.plan_costs import option_costs

    run = china_run
    settings = run.scenario.finance
    plain = {c: dataclasses.replace(t, profit_tax_rate=0.0, royalty_rate=0.0,
                                    working_capital_months=0.0, construction="build_year")
             for c, t in settings.terms.items()}
    scenario = dataclasses.replace(run.scenario,
                                   finance=dataclasses.replace(settings, terms=plain))
    to_currency = run.info.musd_to_currency
    books = plant_books(run.solution, scenario, to_currency)
    years = list(run.data.years)
    factors = run.data.discount_factors()
    d = np.array([factors[y] for y in years])
    ledgers = 0.0
    for b in books.values():
        lines = run_ledger(b, years)
        purchases = sum((q * b.prices[c] for c, q in b.purchases.items()), np.zeros(len(years)))
        ledgers += float(((lines["capex"] + lines["salvage"] + lines["opex"])[0] + purchases) @ d)
    costs = option_costs(run.solution)
    expected = -float((costs["total"] * costs["year"].map(factors)).sum()) * to_currency
    assert ledgers == pytest.approx(expected, rel=1e-9)
