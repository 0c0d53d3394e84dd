"""Input tables in the Scenario: read once by tea.config into a read-only InputTables, the package's
by default, the model's own where its ``[inputs]`` names one; the rest of the package computes
with the scenario's tables."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tea.cli import cli
from tea.config import load_scenario
from tea.config.inputs import (
    DEFAULT_FOLDER,
    TABLE_NAMES,
    InputTables,
    default_input_tables,
    input_table_rows,
    load_input_tables,
)
from tea.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
CHINA = ROOT / "models" / "china_reference.toml"


def _own_table(folder: Path, name: str, old: str, new: str) -> Path:
    """A copy of the package's table ``name`` with one row changed."""
    text = (DEFAULT_FOLDER / f"{name}.csv").read_text(encoding="utf-8")
    assert old in text
    path = folder / f"{name}.csv"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def _model_with(folder: Path, entries: dict[str, str], model: Path = CHINA) -> Path:
    path = folder / model.name
    lines = "\n".join(f'{k} = "{v}"  # changed for this test' for k, v in entries.items())
    path.write_text(model.read_text(encoding="utf-8") + f"\n[inputs]\n{lines}\n",
                    encoding="utf-8")
    return path


@pytest.mark.unit
def test_every_field_names_its_tables_and_every_table_is_shipped():
    tables = default_input_tables()
    assert tables is default_input_tables()  # read once per process
    assert set(tables.sources) == set(TABLE_NAMES)
    for name in TABLE_NAMES:
        assert (DEFAULT_FOLDER / f"{name}.csv").is_file(), name
    assert {"prices", "fx", "deposits", "deposit_distributions", "separation_factors"} \
        <= set(TABLE_NAMES)
    assert tables.own == frozenset()


@pytest.mark.unit
def test_tables_are_read_only():
    tables = default_input_tables()
    with pytest.raises(TypeError, match="read-only"):
        tables.prices["electricity"] = None
    with pytest.raises(TypeError):
        tables.separation_factors.update({"Pr": 9.0})
    with pytest.raises(AttributeError):
        tables.prices = {}  # frozen
    assert isinstance(dict(tables.prices), dict)  # a copy may be changed


@pytest.mark.unit
def test_an_own_table_replaces_only_that_table(tmp_path):
    # HCl at ten times the public cost model's 250 USD_2019/t (a test value)
    path = _own_table(tmp_path, "prices", "hydrochloric_acid,reagent,250,150,400,",
                      "hydrochloric_acid,reagent,2500,150,4000,")
    own = load_input_tables({"prices": path})
    default = default_input_tables()
    assert own.prices["hydrochloric_acid"].value.magnitude == 2500
    assert default.prices["hydrochloric_acid"].value.magnitude == 250
    assert own.deposits is default.deposits  # the rest is the package's, shared
    assert own.sources["prices"] == str(path) and own.own == {"prices"}
    model = tmp_path / "model.toml"
    model.write_text("[inputs]\nprices = \"prices.csv\"  # acid at ten times the price\n")
    rows = input_table_rows(own, model).set_index("key")
    assert rows.loc["inputs.prices", "value"] == "prices.csv"
    assert "model's own" in rows.loc["inputs.prices", "source"]
    assert "acid at ten times" in rows.loc["inputs.prices", "source"]
    assert rows.loc["inputs.fx", "value"] == "tea/data/fx.csv"


@pytest.mark.unit
def test_unknown_table_name_is_refused():
    with pytest.raises(InputError, match="unknown input table 'price'"):
        load_input_tables({"price": "prices.csv"})


@pytest.mark.unit
def test_the_scenarios_fx_table_converts_its_money(tmp_path):
    # the CBR rate of 24 Oct 2025 (81.269 RUB/USD) replaced by 100 (a test value)
    _own_table(tmp_path, "fx", "2025-10-24,RUB,81.269,", "2025-10-24,RUB,100,")
    shipped = load_scenario(CHINA)
    own = load_scenario(_model_with(tmp_path, {"fx": "fx.csv"}))
    assert own.inputs.own == {"fx"}
    assert shipped.money().factor("RUB_2025", "USD_2025") == pytest.approx(1 / 81.269)
    assert own.money().factor("RUB_2025", "USD_2025") == pytest.approx(1 / 100)


@pytest.mark.unit
def test_an_own_separation_factor_reaches_the_train(tmp_path):
    from tea.chain.coefficients import plant_coefficients

    shipped = load_scenario(CHINA)
    plant = next(p for p in shipped.plants.values() if p.technology == "separation")
    # the Ce/La factor (La and Ce are sold apart) doubled (a test value): fewer stages
    text = (DEFAULT_FOLDER / "separation_factors.csv").read_text(encoding="utf-8")
    line = next(li for li in text.splitlines() if li.startswith("Ce,La,"))
    beta = line.split(",")[2]
    _own_table(tmp_path, "separation_factors", line,
               line.replace(f"Ce,La,{beta},", f"Ce,La,{2 * float(beta)},"))
    own = load_scenario(_model_with(tmp_path, {"separation_factors": "separation_factors.csv"}))
    stages = [[c.design.total_stages for t in plant_coefficients(s, plant).design.values()
               for c in t.cuts if c.key_pair == ("Ce", "La")] for s in (shipped, own)]
    assert stages[0] and len(stages[0]) == len(stages[1])
    assert all(new < old for old, new in zip(*stages, strict=True))


@pytest.mark.integration
@pytest.mark.solver
def test_a_model_with_its_own_prices_table_costs_differently_and_says_so(tmp_path):
    folder = tmp_path / "model"
    folder.mkdir()
    shutil.copy(CHINA, folder / "shipped.toml")
    # HCl at twice the public cost model's 250 USD_2019/t (a test value)
    _own_table(folder, "prices", "hydrochloric_acid,reagent,250,150,400,",
               "hydrochloric_acid,reagent,500,150,800,")
    model = _model_with(folder, {"prices": "prices.csv"})
    runner = CliRunner()
    costs = []
    for path in (folder / "shipped.toml", model):
        result = runner.invoke(cli, ["optimize", str(path), "--json"])
        assert result.exit_code == 0, result.output
        costs.append(json.loads(result.output)["levelized_cost"]["NdPr_oxide"]["value"])
    assert costs[1] > costs[0] * 1.01  # dearer acid, dearer cracking and separation
    out = tmp_path / "out"
    result = runner.invoke(cli, ["report", str(model), "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    report = next(out.rglob("report.md")).read_text(encoding="utf-8")
    inputs = report[report.index("Inputs and sources"):]
    row = next(line for line in inputs.splitlines() if "inputs.prices" in line)
    assert "prices.csv" in row and "model's own table" in row
    assert "tea/data/fx.csv" in inputs  # the tables it did not replace are the package's


@pytest.mark.unit
def test_adding_a_table_is_one_field():
    """Each table field carries its CSV names and its parser; the loader needs nothing else."""
    from dataclasses import fields

    for f in fields(InputTables):
        if f.name in ("sources", "own"):
            continue
        assert f.metadata["tables"] and callable(f.metadata["parse"]), f.name
