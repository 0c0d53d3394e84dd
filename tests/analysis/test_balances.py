"""The plan's balances in ``tea optimize --json``: whole feeds, nothing dumped, Russia in 2025.

Sources: the seeds (000, 004: Russia's output 2,600 t/yr; 001, 004: 75 % import dependence).
Identities: a separation plant's intake from one source has the composition that source's
cracking plant makes; a recycler's intake has the element ratios of the scrap the magnet plants
make; a plant's intake minus its output is what its named losses take.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from tea.cli import cli

pytestmark = [pytest.mark.solver, pytest.mark.integration]

MODELS = ["models/siberia_cluster.toml", "models/china_reference.toml",
          "models/us_australia.toml"]


def _optimize(path: str, *args: str) -> dict:
    result = CliRunner().invoke(cli, ["optimize", path, "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.fixture(scope="module", params=MODELS)
def solved(request):
    return request.param, _optimize(request.param)


def _composition(entries: dict, prefix: str) -> dict[str, float]:
    """Element -> share of the t REO of the entries whose commodity starts with ``prefix``."""
    picked = {c.split(":")[-1]: e["t_REO"] for c, e in entries.items() if c.startswith(prefix)}
    total = sum(picked.values())
    return {el: v / total for el, v in picked.items()} if total > 0 else {}


def test_nothing_carrying_rare_earths_is_disposed_of(solved):
    _, summary = solved
    assert summary["balances"]["disposal"] == {}


def test_separation_intake_has_the_feed_proportions(solved):
    _, summary = solved
    plants = summary["balances"]["plants"]
    made: dict = {}
    for flows in plants.values():
        for commodity, e in flows["out"].items():
            if commodity.startswith("mixed:"):
                made.setdefault(commodity.split(":")[1], {})[commodity] = e
    checked = 0
    for flows in plants.values():
        sources = {c.split(":")[1] for c in flows["in"] if c.startswith("mixed:")}
        for source in sources:
            taken = _composition(flows["in"], f"mixed:{source}:")
            produced = _composition(made[source], f"mixed:{source}:")
            assert taken.keys() == produced.keys()
            for el, share in taken.items():
                assert share == pytest.approx(produced[el], rel=1e-6, abs=1e-9)
            checked += 1
    assert checked > 0


@pytest.mark.parametrize("path", ["models/siberia_cluster.toml", "models/china_reference.toml"])
def test_recycler_intake_has_the_scrap_ratios(path):
    summary = _optimize(path)  # both plans recycle in their balance year
    plants = summary["balances"]["plants"]
    scrap_made: dict = {}
    for flows in plants.values():
        for commodity, e in flows["out"].items():
            if commodity.startswith("scrap:"):
                scrap_made[commodity] = e
    recyclers = [f for f in plants.values() if any(c.startswith("scrap:") for c in f["in"])]
    assert recyclers
    for flows in recyclers:
        for source in {c.split(":")[1] for c in flows["in"] if c.startswith("scrap:")}:
            taken = _composition(flows["in"], f"scrap:{source}:")
            produced = _composition(scrap_made, f"scrap:{source}:")
            for el, share in taken.items():
                assert share == pytest.approx(produced[el], rel=1e-6, abs=1e-9)


def test_siberia_2025_starts_where_the_seeds_say_russia_is():
    summary = _optimize("models/siberia_cluster.toml", "--balance-year", "2025")
    output = summary["balances"]["oxide_production"]["2025"]
    assert output == pytest.approx(2600.0, rel=0.10)          # seeds 000, 004
    assert 0.70 <= summary["import_share"]["2025"] <= 0.80    # seeds 001, 004: 75 %
    solikamsk = summary["balances"]["plants"]["solikamsk_separation_current"]
    assert set(solikamsk["in"]) == {c for c in solikamsk["in"] if c.startswith("mixed:lovozero:")}


def test_balance_year_outside_the_horizon_is_refused():
    result = CliRunner().invoke(cli, ["optimize", "models/us_australia.toml", "--json",
                                      "--balance-year", "1990"])
    assert result.exit_code == 2
    assert "--balance-year" in result.output and "Traceback" not in result.output


def test_fixed_plan_starts_from_the_same_2025_state():
    from tea.analysis.balances import oxide_production
    from tea.analysis.run import evaluate_model
    from tea.optimize import results as r

    run = evaluate_model("models/siberia_cluster.toml")
    assert oxide_production(run.solution)["2025"] == pytest.approx(2600.0, rel=0.10)  # seeds
    share = r.import_share(run.solution).set_index("year")["share"]
    assert 0.70 <= share[2025] <= 0.80                                                # seeds
