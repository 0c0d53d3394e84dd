"""The package installed from its wheel (not editable) carries its data and optimizes a model.

The wheel is built without build isolation (setuptools and wheel are test extras), installed with
``--no-deps`` into a folder of its own (its dependencies are this environment's), and run from a
temporary directory, so neither the repository's ``inputs/`` nor its source tree can be found.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = [pytest.mark.slow, pytest.mark.integration]


def _run(args, cwd, env=None):
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def test_installed_wheel_optimizes_the_default_model(tmp_path):
    # a clean copy of the sources, so no build/ folder of the repository feeds the wheel
    source = tmp_path / "src"
    shutil.copytree(ROOT, source, symlinks=True, ignore=shutil.ignore_patterns(
        ".venv", ".git", "build", "reports", "*.egg-info", "__pycache__", ".*_cache",
        ".hypothesis"))
    built = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                  "--quiet", "-w", str(tmp_path / "dist"), str(source)], cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    wheel = next((tmp_path / "dist").glob("tea-*.whl"))
    site = tmp_path / "site"
    installed = _run([sys.executable, "-m", "pip", "install", "--no-deps", "--quiet",
                      "--target", str(site), str(wheel)], cwd=tmp_path)
    assert installed.returncode == 0, installed.stderr
    assert (site / "tea" / "data" / "prices.csv").is_file()  # the tables travel with the wheel
    assert (site / "tea" / "data" / "SOURCES.md").is_file()  # and their bibliography
    assert (site / "tea" / "report" / "templates" / "report.html.j2").is_file()  # and the templates
    work = tmp_path / "work"
    work.mkdir()
    model = work / "model.toml"
    model.write_text((ROOT / "models" / "siberia_cluster.toml").read_text())
    env = {**os.environ, "PYTHONPATH": str(site)}
    where = _run([sys.executable, "-c", "import tea.config.inputs as t; print(t.__file__, t.DEFAULT_FOLDER)"],
                 cwd=work, env=env)
    assert where.returncode == 0, where.stderr
    assert str(site) in where.stdout and str(ROOT) not in where.stdout
    run = _run([sys.executable, "-c", "from tea.cli import main; main()", "optimize",
                str(model), "--json"], cwd=work, env=env)
    assert run.returncode == 0, run.stderr + run.stdout
    summary = json.loads(run.stdout)
    assert summary["status"] == "optimal"
    # the same plan as the repository's baseline (reports/siberia_cluster/summary.json)
    baseline = json.loads((ROOT / "reports" / "siberia_cluster" / "summary.json").read_text())
    assert summary["builds"] == baseline["builds"]
