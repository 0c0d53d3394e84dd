"""The bad-input corpus (tests/bad_inputs/): every case exits 2 with one line naming its file and
key, within a time bound, with no traceback and nothing written.

- ``bad_inputs/models/*.toml``: model files with one defect each; the line ``# expect: KEY``
  names the key the message must name. Each runs through ``validate``, ``optimize`` and
  ``evaluate --out`` (validate must refuse whatever optimize refuses).
- ``bad_inputs/tables/TABLE__CASE.csv``: an input table with one defect (``# expect: KEY``); a
  copy of the minimal model names it as its own ``TABLE`` (``[inputs]``), and the message must
  name the table.
- Command-line options, ``--scenario`` values and generated inputs too large to commit are
  listed below.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from tea.cli import cli

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "bad_inputs"
MINIMAL = ROOT / "tests" / "data" / "minimal.toml"
MODELS = sorted((CORPUS / "models").glob("*.toml"))
TABLES = sorted((CORPUS / "tables").glob("*.csv"))
TIME_BOUND = 5.0  # [s] per case


def _expected_key(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").splitlines()[:3]:
        if line.startswith("# expect:"):
            return line.split(":", 1)[1].strip()
    raise AssertionError(f"{path.name} has no '# expect: KEY' line")


def _files(folder: Path) -> set[Path]:
    return {p.relative_to(folder) for p in folder.rglob("*")}


def _refused(tmp_path: Path, args: list[str], file: str, key: str) -> str:
    """Run the CLI in ``tmp_path``; check exit 2, one line naming file and key, no traceback,
    nothing written and the time bound; return the line."""
    before = _files(tmp_path)
    start = time.perf_counter()
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=True)
    elapsed = time.perf_counter() - start
    output = result.output.strip()
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{args}: {result.exception!r}")
    assert result.exit_code == 2, f"{args}: exit {result.exit_code}: {output}"
    assert "Traceback" not in output and "internal error" not in output, output
    lines = output.splitlines()
    assert len(lines) == 1, f"{args}: expected one line, got {lines}"
    assert file in lines[0], f"{args}: {lines[0]!r} does not name {file!r}"
    assert key in lines[0], f"{args}: {lines[0]!r} does not name {key!r}"
    assert elapsed < TIME_BOUND, f"{args}: {elapsed:.1f} s"
    assert _files(tmp_path) == before, f"{args}: wrote {_files(tmp_path) - before}"
    return lines[0]


@pytest.mark.parametrize("command", ["validate", "optimize", "evaluate"])
@pytest.mark.parametrize("model", MODELS, ids=[m.stem for m in MODELS])
def test_bad_model_file(tmp_path, model, command):
    path = tmp_path / model.name
    shutil.copy(model, path)
    args = [command, path] + (["--out", tmp_path / "out"] if command == "evaluate" else [])
    _refused(tmp_path, args, model.name, _expected_key(model))


@pytest.mark.parametrize("command", ["validate", "optimize"])
@pytest.mark.parametrize("case", TABLES, ids=[t.stem for t in TABLES])
def test_bad_input_table(tmp_path, case, command):
    """The model names the defective table as its own (``[inputs] TABLE = "TABLE.csv"``)."""
    name = case.name.split("__")[0]
    table = name + ".csv"
    shutil.copy(case, tmp_path / table)
    model = tmp_path / "minimal.toml"
    model.write_text(MINIMAL.read_text(encoding="utf-8") + f'\n[inputs]\n{name} = "{table}"\n',
                     encoding="utf-8")
    _refused(tmp_path, [command, model], table, _expected_key(case))


DEEP = "[" * 3000 + "]" * 3000
DEEP_TABLES = "{a = " * 12 + "1" + "}" * 12
OPTION_CASES = {
    # solver options: finite time limit > 0, gap in [0, 1)
    "time_limit_negative": (["optimize", "{model}", "--time-limit", "-5"], "--time-limit"),
    "time_limit_zero": (["optimize", "{model}", "--time-limit", "0"], "--time-limit"),
    "time_limit_nan": (["optimize", "{model}", "--time-limit", "nan"], "--time-limit"),
    "time_limit_inf": (["optimize", "{model}", "--time-limit", "inf"], "--time-limit"),
    "gap_negative": (["optimize", "{model}", "--gap", "-1"], "--gap"),
    "gap_two": (["optimize", "{model}", "--gap", "2"], "--gap"),
    "gap_one": (["optimize", "{model}", "--gap", "1"], "--gap"),
    "gap_inf": (["optimize", "{model}", "--gap", "inf"], "--gap"),
    "gap_nan": (["optimize", "{model}", "--gap", "nan"], "--gap"),
    "limits_gap_two": (["limits", "{model}", "--gap", "2"], "--gap"),
    "rtol_negative": (["report", "{model}", "--check", "--rtol", "-1"], "--rtol"),
    "rtol_nan": (["report", "{model}", "--check", "--rtol", "nan"], "--rtol"),
    # cascade: beta at or too close to 1, or a design beyond the stage limit
    "beta_1.000001": (["cascade", "--beta", "1.000001", "--feed-a", "0.5"], "--beta"),
    "beta_1.0001": (["cascade", "--beta", "1.0001", "--feed-a", "0.5"], "--beta"),
    "beta_one": (["cascade", "--beta", "1", "--feed-a", "0.5"], "--beta"),
    "beta_1.01_stages": (["cascade", "--beta", "1.01", "--feed-a", "0.5"], "--beta"),
    "beta_1.02_stages": (["cascade", "--beta", "1.02", "--feed-a", "0.5"], "--beta"),
    "beta_huge": (["cascade", "--beta", "1e308", "--feed-a", "0.5"], "--beta"),
    "beta_nan": (["cascade", "--beta", "nan", "--feed-a", "0.5"], "--beta"),
    "feed_a_one": (["cascade", "--beta", "1.5", "--feed-a", "1"], "--feed-a"),
    # --out that cannot be written, refused before any solve
    "out_under_file": (["evaluate", "{model}", "--out", "{model}/sub"], "--out"),
    "out_under_proc": (["evaluate", "{model}", "--out", "/proc/tea-out"], "--out"),
    "out_under_sys": (["evaluate", "{model}", "--out", "/sys/tea-out"], "--out"),
    "report_out_under_proc": (["report", "{model}", "--out", "/proc/tea-out"], "--out"),
    "report_out_under_file": (["report", "{model}", "--out", "{model}/sub"], "--out"),
    "run_out_under_sys": (["run", "{model}", "--out", "/sys/tea-out"], "--out"),
    "curves_out_under_file": (["curves", "{model}", "--out", "{model}/sub"], "--out"),
    # --scenario values
    "scenario_nested": (["validate", "{model}"], "--scenario"),
    "scenario_nested_optimize": (["optimize", "{model}", "--scenario", f"model.title={DEEP}"],
                                 "model.title"),
    "scenario_deep_tables": (["optimize", "{model}", "--scenario", f"model.title={DEEP_TABLES}"],
                             "model.title"),
    "scenario_long_integer": (["optimize", "{model}", "--scenario",
                               "model.base_year=" + "9" * 5000], "model.base_year"),
    "scenario_discount_rate": (["optimize", "{model}", "--scenario", "model.discount_rate=1.0"],
                               "model.discount_rate"),
    "scenario_no_equals": (["optimize", "{model}", "--scenario", "model.discount_rate"],
                           "--scenario"),
    "scenario_unknown_table": (["optimize", "{model}", "--scenario", "nosuch.key=1"],
                               "nosuch.key"),
    # model paths that are no model file
    "model_dev_null": (["validate", "/dev/null"], "/dev/null"),
    "model_missing": (["validate", "{tmp}/missing.toml"], "missing.toml"),
    # tea sweep: bad --grid, --workers, --scheduler and --scenario-file, refused before any run
    "sweep_no_scenarios": (["sweep", "{model}", "--out", "{tmp}/sw"], "--grid"),
    "sweep_grid_no_equals": (["sweep", "{model}", "--grid", "model.discount_rate",
                              "--out", "{tmp}/sw"], "--grid"),
    "sweep_grid_empty_value": (["sweep", "{model}", "--grid", "model.discount_rate=0.08,",
                                "--out", "{tmp}/sw"], "--grid"),
    "sweep_grid_percent": (["sweep", "{model}", "--grid", "model.discount_rate=0.08,8",
                            "--out", "{tmp}/sw"], "model.discount_rate"),
    "sweep_grid_unknown_key": (["sweep", "{model}", "--grid", "nosuch.key=1,2",
                                "--out", "{tmp}/sw"], "nosuch.key"),
    "sweep_workers_zero": (["sweep", "{model}", "--grid", "model.discount_rate=0.08",
                            "--workers", "0", "--out", "{tmp}/sw"], "--workers"),
    "sweep_scheduler_unreachable": (["sweep", "{model}", "--grid", "model.discount_rate=0.08",
                                     "--scheduler", "tcp://127.0.0.1:9", "--out", "{tmp}/sw"],
                                    "--scheduler"),
    "sweep_scenario_file_missing": (["sweep", "{model}", "--scenario-file", "{tmp}/none.toml",
                                     "--out", "{tmp}/sw"], "--scenario-file"),
}
OPTION_CASES["scenario_nested"] = (["optimize", "{model}", "--scenario", f"model.title={DEEP}"],
                                   "--scenario")


@pytest.mark.parametrize("case", sorted(OPTION_CASES))
def test_bad_option(tmp_path, case):
    model = tmp_path / "minimal.toml"
    shutil.copy(MINIMAL, model)
    args, key = OPTION_CASES[case]
    args = [a.replace("{model}", str(model)).replace("{tmp}", str(tmp_path)) for a in args]
    line = _refused(tmp_path, args, "", key)
    assert len(line) < 500


def test_dev_null_is_not_file_not_found(tmp_path):
    line = _refused(tmp_path, ["validate", "/dev/null"], "/dev/null", "")
    assert "not found" not in line and "not a regular file" in line


def test_empty_model_file(tmp_path):
    model = tmp_path / "empty.toml"
    model.write_text("")
    assert "empty" in _refused(tmp_path, ["validate", model], "empty.toml", "")


def test_corrupt_committed_baseline(tmp_path):
    model = tmp_path / "minimal.toml"
    shutil.copy(MINIMAL, model)
    baseline = tmp_path / "reports" / "minimal" / "summary.json"
    baseline.parent.mkdir(parents=True)
    baseline.write_text('{"status": "optimal", ')
    line = _refused(tmp_path, ["report", model, "--check", "--out", tmp_path / "reports"],
                    "summary.json", "not valid JSON")
    assert str(baseline) in line


def test_a_200000_digit_number_is_refused_fast(tmp_path):
    model = tmp_path / "long.toml"
    model.write_text(MINIMAL.read_text().replace('capacity = "2500 t_REO/yr"',
                                                 f'capacity = "{"1" * 200_000} t_REO/yr"'))
    line = _refused(tmp_path, ["validate", model], "long.toml", "plants.sep.capacity")
    assert "too long" in line and len(line) < 300


def test_a_200000_digit_toml_integer_is_refused(tmp_path):
    model = tmp_path / "long.toml"
    model.write_text(MINIMAL.read_text().replace("max_modules = 2", "max_modules = " + "9" * 200_000))
    _refused(tmp_path, ["validate", model], "long.toml", "")


def test_power_tower_does_not_hang_in_a_subprocess(tmp_path):
    model = tmp_path / "power.toml"
    shutil.copy(CORPUS / "models" / "capacity_power.toml", model)
    tea = Path(sys.executable).with_name("tea")
    result = subprocess.run([str(tea), "validate", str(model)], capture_output=True, text=True,
                            timeout=30)
    assert result.returncode == 2
    assert "plants.sep.capacity" in result.stderr and "Traceback" not in result.stderr


def test_closed_pipe_ends_quietly(tmp_path):
    tea = Path(sys.executable).with_name("tea")
    proc = subprocess.Popen([str(tea), "validate", str(MINIMAL)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    proc.stdout.close()  # the reader goes away before the first line is written (| head -0)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert b"Traceback" not in err and b"internal error" not in err and b"Broken" not in err


@pytest.mark.parametrize("name", ["../escaped.csv", "x/../../escaped.csv", "/tmp/escaped.csv",
                                  "sub/file.csv"])
def test_evaluate_output_paths_stay_under_out(tmp_path, name):
    from tea.cli_checks import inside as _inside
    from tea.errors import InputError

    with pytest.raises(InputError, match="outside the output folder"):
        _inside(tmp_path / "out", name)
    assert _inside(tmp_path / "out", "cash_flow_sep.csv").parent == tmp_path / "out"


def test_corpus_size():
    cases = len(MODELS) * 3 + len(TABLES) * 2 + len(OPTION_CASES)
    assert cases >= 150, cases
