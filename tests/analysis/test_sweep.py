"""tea sweep on a 2-worker LocalCluster: rows stored as Parquet, resumed, an infeasible row."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tea.analysis.sweep import read_results, run_sweep, scenario_id
from tea.cli import cli

MINIMAL = Path(__file__).parents[1] / "data" / "minimal.toml"
CAP = "budget.import_share_cap.2030"
GRID = [{CAP: 1.0, "model.discount_rate": 0.08}, {CAP: 1.0, "model.discount_rate": 0.10},
        {CAP: 0.5}]  # the minimal model cannot meet a 50 % cap: infeasible


@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as c:
        yield c


@pytest.mark.solver
@pytest.mark.integration
@pytest.mark.slow
def test_sweep_stores_rows_resumes_and_records_infeasible(tmp_path, cluster, monkeypatch):
    from distributed import Client

    with Client(cluster) as client:
        rows = run_sweep(MINIMAL, GRID, tmp_path, client=client)
        assert list(rows["scenario_id"]) == [scenario_id(s) for s in GRID]
        assert list(rows["status"]) == ["optimal", "optimal", "infeasible"]
        assert "import share cap of 50% in 2030" in rows["diagnosis"].iloc[2]
        stored = read_results(tmp_path)
        assert sorted(stored["scenario_id"]) == sorted(rows["scenario_id"])
        assert len(list((tmp_path / "results").glob("*.parquet"))) == 3
        assert {"model_hash", "tables_hash", "version", "set:model.discount_rate"} <= set(
            stored.columns)
        # a rerun finds every row done: nothing is submitted
        import tea.analysis.sweep as sweep_module

        def refuse(*args, **kwargs):
            raise AssertionError("a done scenario was solved again")

        monkeypatch.setattr(sweep_module, "_run_on_dask", refuse)
        again = run_sweep(MINIMAL, GRID, tmp_path, client=client)
        assert again["objective"].tolist()[:2] == rows["objective"].tolist()[:2]


@pytest.mark.solver
@pytest.mark.integration
@pytest.mark.slow
def test_sweep_cli_on_an_existing_scheduler(tmp_path, cluster):
    out = tmp_path / "study"
    result = CliRunner().invoke(cli, ["sweep", str(MINIMAL), "--grid",
                                      "model.discount_rate=0.08,0.1", "--grid", f"{CAP}=1.0",
                                      "--scheduler",
                                      cluster.scheduler_address, "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    assert "2 of 2 scenarios solved" in result.output
    assert (out / "summary.csv").is_file() and (out / "sweep.png").is_file()
    assert len(list((out / "results").glob("*.parquet"))) == 2
