"""Side-by-side timings of one run: tea against a direct highspy solve, report and limits against
optimize, a 16-scenario sweep on 2 workers against the same scenarios one after another.

Usage::

    .venv/bin/python benchmarks/bench_ratios.py [--model models/siberia_cluster.toml] [--full]

Each command runs as its own process (start-up included), one after another on the same machine,
so the ratios compare like with like:

- ``direct``: a Python process that reads the model's MPS file (written from the HiGHS model
  ``tea`` builds) with highspy and solves it at the same gap (1e-4), default options;
- ``optimize``: ``tea optimize MODEL --json`` (load, chain, build, solve, duals, levelized costs);
- ``report``: ``tea report MODEL`` (optimize, Pareto curve, figures, workbook);
- ``limits``: ``tea limits MODEL`` (optimize and the binding-limit re-solves);
- ``sweep``: 16 scenarios (4 discount rates x 2 target switches x 2 budgets) through
  :func:`tea.analysis.sweep.run_sweep` on a 2-worker ``LocalCluster``, against the same 16 by
  :func:`tea.analysis.sweep.scenario_row` in one process; their rows must be identical.

``--full`` also runs ``benchmarks/bench_optimize.py`` (60 s per synthetic case; long).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DIRECT = """
import sys, highspy
h = highspy.Highs(); h.setOptionValue("log_to_console", False)
h.readModel(sys.argv[1]); h.setOptionValue("mip_rel_gap", 1e-4); h.run()
print(h.getInfo().objective_function_value)
"""
GRID = {"model.discount_rate": [0.06, 0.08, 0.10, 0.12], "targets.enforce": [True, False],
        "budget.total": ["700e9 RUB_2025", "600e9 RUB_2025"]}
COMPARED = ["status", "objective", "capex", "budget_value_per_bn", "levelized_cost_NdPr_oxide"]


def timed(args: list[str]) -> float:
    """Wall time [s] of a command (it must succeed)."""
    t0 = time.perf_counter()
    subprocess.run(args, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def write_mps(model: str, path: Path) -> None:
    """The MPS file of the HiGHS model tea hands over for ``model``."""
    from tea.chain import build_chain
    from tea.config import load_scenario
    from tea.optimize.highs import hand_over, make_solver
    from tea.optimize.model import build_model

    data, _ = build_chain(load_scenario(model))
    opt = make_solver()
    hand_over(opt, build_model(data))
    opt._solver_model.writeModel(str(path))


def sweep_ratio(model: str, out: Path) -> tuple[float, float, bool]:
    """(sequential [s], 2 workers [s], identical rows) for the 16 scenarios of ``GRID``."""
    from tea.analysis.sweep import grid_scenarios, run_sweep, scenario_row

    scenarios = grid_scenarios(GRID)
    path = str((ROOT / model).resolve())
    t0 = time.perf_counter()
    sequential = [scenario_row(path, s) for s in scenarios]
    t1 = time.perf_counter()
    rows = run_sweep(path, scenarios, out, workers=2)
    t2 = time.perf_counter()
    same = all(rows.iloc[i][c] == sequential[i].get(c) or (
        rows.iloc[i][c] != rows.iloc[i][c] and sequential[i].get(c) is None)
        for i in range(len(scenarios)) for c in COMPARED)
    return t1 - t0, t2 - t1, same


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="models/siberia_cluster.toml")
    parser.add_argument("--full", action="store_true", help="also the 60 s-per-case runs")
    args = parser.parse_args()
    tea = str(BIN / "tea")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        write_mps(args.model, tmp / "model.mps")
        t = {"direct": timed([sys.executable, "-c", DIRECT, str(tmp / "model.mps")]),
             "optimize": timed([tea, "optimize", args.model, "--json"]),
             "report": timed([tea, "report", args.model, "--out", str(tmp / "r"), "--quiet"]),
             "limits": timed([tea, "limits", args.model])}
        seq, par, same = sweep_ratio(args.model, tmp / "sweep")
    print(f"{'what':<34}{'time [s]':>10}{'ratio':>8}  against")
    print(f"{'direct highspy solve (MPS)':<34}{t['direct']:>10.2f}")
    print(f"{'tea optimize':<34}{t['optimize']:>10.2f}{t['optimize'] / t['direct']:>8.2f}  direct")
    for name in ("report", "limits"):
        print(f"{'tea ' + name:<34}{t[name]:>10.2f}{t[name] / t['optimize']:>8.2f}  optimize")
    print(f"{'16 scenarios one after another':<34}{seq:>10.2f}")
    print(f"{'16 scenarios on 2 workers':<34}{par:>10.2f}{par / seq:>8.2f}  sequential"
          f" (identical rows: {'yes' if same else 'NO'})")
    if args.full:
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_optimize.py")],
                       check=True, cwd=ROOT)


if __name__ == "__main__":
    main()
