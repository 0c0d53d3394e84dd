"""How a solve that ends without a plan is reported: a time limit (exit 5) is not an infeasible
model (exit 3), and a solver failure is said in words (exit 6), never as the solver's raw line."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tea.cli import cli
from tea.errors import SolverError, TimeLimitError
from tea.optimize import solve as solve_module
from tea.optimize.highs import make_solver

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = (ROOT / "tests" / "data" / "minimal.toml").read_text()
FEASIBLE = MINIMAL.replace("[budget.import_share_cap]\n2030 = 0.5\n", "")
RAW = "ERROR:   changeRowsBounds: row 12 has illegal bounds [inf, 1e+300]"


def _one_line(output: str) -> str:
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1, output
    assert "Traceback" not in output
    return lines[0]


@pytest.mark.solver
@pytest.mark.integration
def test_time_limit_with_no_plan_exits_5_not_infeasible():
    # The Siberian model needs a branch-and-bound search for any plan (a production target and
    # an import-share cap): no plan within a millisecond, presolve included.
    result = CliRunner().invoke(cli, ["optimize", str(ROOT / "models" / "siberia_cluster.toml"),
                                      "--time-limit", "0.001"])
    assert result.exit_code == 5, result.output
    line = _one_line(result.output)
    assert line.startswith("no plan: time limit of 0.001 s reached before any plan was found")
    assert "raise --time-limit" in line and "infeasible:" not in line


def test_help_documents_the_time_limit_and_solver_exit_codes():
    result = CliRunner().invoke(cli, ["--help"])
    assert "5  time limit reached with no plan" in result.output
    assert "6  solver failed" in result.output


class _FailingSolver:
    """A real HiGHS solver whose solve raises as HiGHS does on numbers it cannot take."""

    def __init__(self, at: str):
        self.real, self.at = make_solver(), at

    def set_instance(self, model):
        if self.at == "set_instance":
            raise RuntimeError(RAW)
        self.real.set_instance(model)

    @property
    def _solver_model(self):  # the HiGHS object the runs go to
        return _FailingHighs(self.real._solver_model)

    def __getattr__(self, name):
        return getattr(self.real, name)


class _FailingHighs:
    """A real ``highspy.Highs`` whose run raises."""

    def __init__(self, real):
        self.real = real

    def run(self):
        raise ValueError(RAW)

    def __getattr__(self, name):
        return getattr(self.real, name)


@pytest.mark.solver
@pytest.mark.parametrize("at", ["set_instance", "solve"])
def test_solver_error_is_reported_in_words(tmp_path, monkeypatch, at):
    monkeypatch.setattr(solve_module, "make_solver", lambda: _FailingSolver(at))
    model = tmp_path / "feasible.toml"
    model.write_text(FEASIBLE)
    with pytest.raises(SolverError) as err:
        from tea.analysis.run import optimize_model

        optimize_model(model, {})
    assert "changeRowsBounds" in err.value.detail  # kept for whoever debugs, not shown
    result = CliRunner().invoke(cli, ["optimize", str(model)])
    assert result.exit_code == 6, result.output
    line = _one_line(result.output)
    assert line.startswith("solver error: the solver failed while ")
    assert "changeRowsBounds" not in line and "ERROR" not in line


@pytest.mark.solver
def test_a_limit_without_a_plan_raises_time_limit_error(monkeypatch, tmp_path):
    # whatever the model, a run that HiGHS stops at its time limit with no solution
    import highspy

    from tea.optimize.direct import HighsResult

    def stopped(*args, **kwargs):
        return HighsResult(None, highspy.HighsModelStatus.kTimeLimit, None, None, 5.0, "")

    monkeypatch.setattr(solve_module, "run_highs", stopped)
    model = tmp_path / "feasible.toml"
    model.write_text(FEASIBLE)
    from tea.analysis.run import optimize_model

    with pytest.raises(TimeLimitError, match="time limit of 5 s reached"):
        optimize_model(model, {}, time_limit=5.0)
