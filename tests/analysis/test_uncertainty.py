"""Uncertainty and sensitivity of a plan: identities of the vectorized evaluation, a known Sobol
case, reproducibility, the committed Siberian ranges and the error paths."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from tea.analysis.run import optimize_model
from tea.analysis.sensitivity import sobol_indices, tornado
from tea.analysis.uncertainty import PlanSampler, deterministic, uncertainty
from tea.cli import cli
from tea.config import load_scenario
from tea.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
CHINA = ROOT / "models" / "china_reference.toml"


@pytest.fixture(scope="module")
def china():
    return optimize_model(CHINA)


@pytest.mark.solver
def test_multipliers_of_one_give_the_deterministic_figures(china):
    # the same code path: equal to rounding (the matrix products sum in another order when
    # there are several samples)
    values = PlanSampler.of(china).evaluate({}, 3)
    for key, expected in deterministic(china).items():
        if key in values and np.isfinite(expected):
            assert values[key] == pytest.approx([expected] * 3, rel=1e-12), key


@pytest.mark.solver
def test_sample_mean_of_a_linear_figure_is_the_figure_at_the_mean(china):
    # the NdPr oxide cost is linear in the separation capex multiplier (the value shares do not
    # move): the mean over samples equals the cost at the mean multiplier (triangular mean
    # (0.8 + 1.0 + 1.5) / 3), within the Monte Carlo error of 2,000 Latin-hypercube samples
    spec = china.scenario.uncertainty
    only = {"capex.separation": spec.distributions["capex.separation"]}
    run = dataclasses.replace(china, scenario=dataclasses.replace(
        china.scenario, uncertainty=dataclasses.replace(spec, distributions=only,
                                                        correlations={})))
    result = uncertainty(run, samples=2000, seed=7)
    figure = result["figures"]["levelized_cost.NdPr_oxide"]
    at_mean = PlanSampler.of(run).levelized({"capex.separation": np.array([1.1])}, 1)
    assert figure["mean"] == pytest.approx(at_mean["levelized_cost.NdPr_oxide"][0], rel=1e-4)


@pytest.mark.solver
def test_a_seed_reproduces_the_samples(china):
    a = uncertainty(china, samples=64, seed=3)["figures"]["npv"]
    b = uncertainty(china, samples=64, seed=3)["figures"]["npv"]
    c = uncertainty(china, samples=64, seed=4)["figures"]["npv"]
    assert a == b and a["p50"] != c["p50"]


@pytest.mark.solver
def test_tornado_ends_bracket_the_base(china):
    table = tornado(china)
    cost = table[table["figure"] == "levelized_cost.NdPr_oxide"]
    assert len(cost) == len(china.scenario.uncertainty.distributions)
    assert (cost["swing"].diff().dropna() <= 1e-12).all()  # ranked
    capex = cost[cost["input"] == "capex.separation"].iloc[0]
    assert capex["at P10"] < capex["base"] < capex["at P90"]  # cost rises with capex


def _ishigami(u: np.ndarray) -> dict:
    x = -np.pi + 2 * np.pi * u
    return {"y": np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2
            + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])}


@pytest.mark.unit
def test_sobol_indices_of_the_ishigami_function():
    # analytic indices of the Ishigami function (a = 7, b = 0.1): S1 = 0.3139, 0.4424, 0;
    # ST = 0.5576, 0.4424, 0.2437 (Saltelli et al., Global Sensitivity Analysis, 2008, 4.3)
    table = sobol_indices(["x1", "x2", "x3"], _ishigami, 4096, seed=1).set_index("input")
    assert table["S1"].to_numpy() == pytest.approx([0.3139, 0.4424, 0.0], abs=0.03)
    assert table["ST"].to_numpy() == pytest.approx([0.5576, 0.4424, 0.2437], abs=0.03)


@pytest.mark.integration
def test_the_siberian_report_gives_ranges_and_drivers():
    summary = json.loads((ROOT / "reports" / "siberia_cluster" / "summary.json").read_text())
    u = summary["uncertainty"]
    cost = u["figures"]["levelized_cost.NdPr_oxide"]
    assert cost["p10"] < cost["p50"] < cost["p90"]
    assert cost["p5"] <= cost["deterministic"] <= cost["p95"]
    assert 0.0 <= cost["probability_below_import"] <= 1.0
    assert len(u["drivers"]["levelized_cost.NdPr_oxide"]) == 5
    assert u["samples"] >= 1000


@pytest.mark.parametrize("entry, expected", [
    ('"capex.smelter" = {distribution = "uniform", low = 0.9, high = 1.1, source = "x"}',
     "unknown uncertain input"),
    ('"capex.mine" = {distribution = "triangular", low = 1.2, mode = 1.0, high = 0.9, '
     'source = "x"}', "bounds reversed"),
    ('"opex.mine" = {distribution = "normal", low = 0.2, mode = 1.0, high = 1.8, '
     'source = "x"}', "value <= 0"),
    ('recovery = {distribution = "uniform", low = 0.9, high = 1.5, source = "x"}',
     "recovery multiplier"),
    ('"price.La_oxide" = {distribution = "beta", low = 0.9, high = 1.1, source = "x"}',
     "distribution 'beta'"),
])
def test_bad_uncertainty_inputs_are_refused_in_one_line(tmp_path, entry, expected):
    model = tmp_path / "china_reference.toml"
    model.write_text(CHINA.read_text(encoding="utf-8") + f"\n[uncertainty]\n{entry}\n",
                     encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_scenario(model)
    assert expected in str(caught.value) and "uncertainty" in str(caught.value)
    result = CliRunner().invoke(cli, ["validate", str(model)])
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1


@pytest.mark.solver
def test_uncertainty_command_with_reoptimization(tmp_path):
    result = CliRunner().invoke(cli, ["uncertainty", str(CHINA), "--samples", "64",
                                      "--reoptimize", "2", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["samples"] == 64 and data["reoptimized"]["samples"] == 2
    assert len(data["drivers"]["levelized_cost.N42_magnet"]) == 5
    assert all(r >= -1e-3 * abs(v) - 1.0 for r, v in zip(
        data["reoptimized"]["regret"]["values"], data["reoptimized"]["regret"]["values"],
        strict=True))
    bad = CliRunner().invoke(cli, ["uncertainty", str(CHINA), "--samples", "1"])
    assert bad.exit_code == 2 and "--samples" in bad.output
