"""The `tea` command end to end: JSON summary, infeasible diagnosis, bad input for every command."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tea.cli import cli

ROOT = Path(__file__).resolve().parents[1]
MINIMAL = (ROOT / "tests" / "data" / "minimal.toml").read_text()
FEASIBLE = MINIMAL.replace("[budget.import_share_cap]\n2030 = 0.5\n", "")
BAD = MINIMAL.replace("discount_rate = 0.08", "discount_rate = 8")

pytestmark = pytest.mark.integration


def _file(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


def _run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_help_documents_exit_codes():
    result = _run("--help")
    assert result.exit_code == 0
    for line in ("0  ok", "1  internal error", "2  bad input", "3  infeasible model"):
        assert line in result.output


@pytest.mark.solver
def test_optimize_json_summary(tmp_path):
    model = _file(tmp_path, "feasible.toml", FEASIBLE)
    result = _run("optimize", model, "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    for key in ("status", "objective", "capex_total", "budget", "import_share", "levelized_cost",
                "budget_marginal_value"):
        assert key in summary
    assert summary["status"] == "optimal"
    assert summary["budget"] == {"value": 50e9, "unit": "RUB_2025"}  # the model file's budget
    assert summary["capex_total"]["unit"] == "RUB_2025"
    assert set(summary["import_share"]) == {str(y) for y in range(2025, 2031)}
    # no domestic source in this model: all NdPr oxide is imported (identity)
    assert summary["import_share"]["2030"] == pytest.approx(1.0)
    assert summary["levelized_cost"]["NdPr_oxide"]["unit"] == "USD_2025/kg_REO"


@pytest.mark.solver
def test_infeasible_model_gets_a_diagnosis_and_exit_3(tmp_path):
    # the import-share cap of 50 % cannot be met: the model has no domestic source
    model = _file(tmp_path, "infeasible.toml", MINIMAL)
    result = _run("optimize", model)
    assert result.exit_code == 3
    assert "infeasible" in result.output and "Traceback" not in result.output
    assert "import share cap of 50% in 2030 exceeded by 1,000 t REO/yr" in result.output


@pytest.mark.parametrize("command", [["validate"], ["optimize"], ["optimize", "--json"],
                                     ["run"], ["report", "--out", "OUT"], ["evaluate"],
                                     ["evaluate", "--out", "OUT"], ["curves", "--out", "OUT"]])
def test_every_model_command_refuses_bad_input(tmp_path, command):
    model = _file(tmp_path, "bad.toml", BAD)
    args = [str(tmp_path / "out") if a == "OUT" else a for a in command]
    result = _run(*args[:1], model, *args[1:]) if command[0] != "run" else _run("run", model,
                                                                                 "--out", tmp_path)
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert lines[-1].startswith(f"error: {model}: model.discount_rate: 8 is outside [0, 1]")
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists() and not (tmp_path / "bad").exists()  # nothing written


@pytest.mark.parametrize("args, words", [
    (["--beta", "0.9", "--feed-a", "0.5"], "beta"),
    (["--beta", "1.4", "--feed-a", "1.2"], "feed"),
    (["--beta", "1.4", "--feed-a", "0.75", "--purity-a", "1.0"], "purity"),
    (["--beta", "1.4", "--feed-a", "0.75", "--purity-b", "0.2"], "purity"),
])
def test_cascade_refuses_bad_physics(args, words):
    result = _run("cascade", *args)
    assert result.exit_code == 2
    assert result.output.startswith("error:") and words in result.output
    assert result.output.count("\n") == 1


def test_scenario_override_must_be_key_value(tmp_path):
    model = _file(tmp_path, "feasible.toml", FEASIBLE)
    result = _run("optimize", model, "--scenario", "discount_rate")
    assert result.exit_code == 2 and "expected KEY=VALUE" in result.output


def test_scenario_override_is_validated(tmp_path):
    model = _file(tmp_path, "feasible.toml", FEASIBLE)
    result = _run("optimize", model, "--scenario", "model.discount_rate=2")
    assert result.exit_code == 2 and "model.discount_rate" in result.output


def test_cascade_json_keys():
    result = _run("cascade", "--beta", "1.4", "--feed-a", "0.75", "--json")
    assert result.exit_code == 0
    design = json.loads(result.output)
    for key in ("extraction_stages", "scrub_stages", "total_stages", "fenske_min_stages",
                "simulated_purity_a", "simulated_purity_b", "recovery_a", "recovery_b",
                "organic_load", "scrub_flow"):
        assert key in design
    # Fenske minimum at beta 1.4 and 99.99 % both ends: ln(9999^2)/ln(1.4) = 54.75 (identity)
    assert design["fenske_min_stages"] == pytest.approx(54.746, abs=1e-3)


@pytest.mark.solver
def test_evaluate_dispatches_a_fixed_plan(tmp_path):
    # a plan that builds one separation module in 2025: it has no feed (no mine in the model), so
    # its capex is spent and nothing is separated; the plan's cash flows carry that capex
    plan = FEASIBLE.replace('products = ["NdPr_oxide"]', 'products = ["NdPr_oxide"]\nbuilds = { 2025 = 1 }')
    model = _file(tmp_path, "plan.toml", plan)
    result = _run("evaluate", model, "--out", tmp_path / "cash", "--quiet")
    assert result.exit_code == 0, result.output
    assert "1 x sep" in result.output
    chain = (tmp_path / "cash" / "cash_flow_chain.csv").read_text().splitlines()
    assert len(chain) == 1 + 6  # header + one row per year 2025-2030
    assert (tmp_path / "cash" / "cash_flow_sep.csv").is_file()


def test_evaluate_refuses_a_plan_beyond_max_modules(tmp_path):
    plan = FEASIBLE.replace('products = ["NdPr_oxide"]', 'products = ["NdPr_oxide"]\nbuilds = { 2025 = 3 }')
    model = _file(tmp_path, "plan.toml", plan)
    result = _run("evaluate", model)
    assert result.exit_code == 2
    assert "plants.sep.builds: 3 modules planned but only 2 may be built" in result.output


def test_unknown_site_region_is_refused(tmp_path):
    model = _file(tmp_path, "region.toml", FEASIBLE.replace('region = "RU-Siberia"', 'region = "Mars"'))
    result = _run("optimize", model)
    assert result.exit_code == 2
    assert "sites.krasnoyarsk.region: unknown region 'Mars'" in result.output


@pytest.mark.solver
def test_limits_command_values_binding_limits_of_the_china_model():
    result = CliRunner().invoke(cli, ["limits", "models/china_reference.toml", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output[result.output.index("["):])
    assert rows, "the China reference plan sits on some max_modules limits"
    for row in rows:
        assert row["saving"]["value"] == pytest.approx(
            row["objective"]["value"] - row["objective_plus_one"]["value"])
        # one currency for every amount of the output: the model's
        assert {row[k]["unit"] for k in ("saving", "objective", "objective_plus_one")} == {
            "CNY_2025"}
        # a limit is binding: the plan used all of it, and with one more allowed it never
        # uses more than max + 1
        assert row["modules_used_plus_one"] <= row["max_modules"] + 1
        if not row["within_gap"]:
            assert row["saving"]["value"] > 0 and row["modules_used_plus_one"] == row["max_modules"] + 1


def test_limits_command_bad_model_exits_2(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[model]\nname = 1\n")
    result = CliRunner().invoke(cli, ["limits", str(bad)])
    assert result.exit_code == 2 and "error:" in result.output and "Traceback" not in result.output


@pytest.mark.solver
def test_siberian_target_cannot_be_met_with_kola_by_product_recovery():
    """The README's sensitivity: with the phosphogypsum route at Kola (48 % recovery) the 2030
    target is out of reach within the model's plant limits; a diagnosis, exit 3."""
    result = CliRunner().invoke(cli, ["optimize", "models/siberia_cluster.toml", "--scenario",
                                      "plants.kola_cracking.route=phosphogypsum_leach"])
    assert result.exit_code == 3, result.output
    # one line for the years of one shortfall, then the plant limits that hold it back
    assert ("domestic oxide production in 2030-2040 short of the target by 3,869 t REO/yr"
            in result.output)
    assert "limit: kola_cracking at max_modules = 8, all online in 2030-2040" in result.output
    assert "2031 short" not in result.output
