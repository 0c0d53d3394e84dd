"""Performance figures of the build-out MILP: Pyomo build, hand-over to HiGHS, HiGHS solve.

Usage::

    .venv/bin/python benchmarks/bench_optimize.py [--time-limit 60] [--sizes small,medium,large]

For each case it prints: Pyomo build time, hand-over time (``set_instance`` of the persistent
HiGHS interface), HiGHS MILP run time and the ratio (build + hand-over) / solve, the numbers of
variables (integers), constraints and nonzeros, the LP relaxation's HiGHS time on the same model,
and the MILP times to a 1 %, 0.5 % and 0.1 % gap and the final gap.

Gap times are read from the HiGHS MIP log that the solve returns: each progress line carries the
best bound, the best solution, the gap and the elapsed time; the time to a gap is the time of the
first line at or below it (HiGHS prints a line whenever the incumbent or bound improves, so these
are the times the gap was proven, to the resolution of the log). The MILP runs with
``mip_rel_gap = 1e-3`` and the time limit given.

``run_case(data, label)`` runs one case for any ``ChainData``; the Siberian model
(``models/siberia_cluster.toml`` through ``tea.chain``) is the first case (skipped with the reason
printed if it cannot be built).

Variants (``--variants``), side by side in one run, each on the same data:

- ``base``: the model as ``tea.optimize.solve`` builds it, default HiGHS options;
- ``nocuts``: without the valid inequalities (``build_model(cuts=False)``);
- ``heur``: HiGHS ``mip_heuristic_effort = 0.3`` (default 0.05);
- ``norins``: without the RINS and RENS sub-MIP heuristics; ``nosub``: also without the root
  reduced-cost sub-MIP;
- ``t1``: one HiGHS thread;
- ``every2``: ``build_every = 2`` (builds every other year: a restriction, so its objective can
  be higher; the ``obj`` column shows by how much).

``--proof`` (the default; ``--no-proof`` skips it) adds, for every row, the time HiGHS needs to *prove* a 0.5 % gap when the best plan
of that row's run is handed to it as the incumbent (``Highs.setSolution``) and all its primal
heuristics are off (``proof_s``, and ``proof_over_lp`` against the LP time). It separates the
bound side of the solve from the search for a plan: no incumbent heuristic of ours can bring the
time to 0.5 % below it.
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import time

import pyomo.environ as pyo

from tea.optimize.model import build_model, set_integral
from tea.optimize.solve import make_solver, relative_gap, run, status_of
from tea.optimize.synthetic import make_chain

SIZES = {  # sites, candidate plants, years
    "small": (3, 8, 10),
    "medium": (10, 20, 15),
    "large": (20, 40, 20),
    "xlarge": (30, 60, 30),
}
_LINE = re.compile(r"^\s*[A-Za-z]?\s+\d+\s+\d+\s+\d+\s+[\d.]+%\s+(\S+)\s+(\S+)\s+(\S+)\s.*\s([\d.]+)s\s*$")


def gap_times(log: str) -> list[tuple[float, float]]:
    """(time [s], gap [fraction]) pairs from the progress lines of a HiGHS MIP log."""
    out = []
    for line in log.splitlines():
        mt = _LINE.match(line)
        if mt and mt.group(3).endswith("%"):
            out.append((float(mt.group(4)), float(mt.group(3)[:-1]) / 100.0))
    return out


def first_time(pairs, gap) -> float | None:
    """Time of the first log line with a gap at or below ``gap``."""
    return next((t for t, g in pairs if g <= gap + 1e-12), None)


def nonzeros(m) -> int:
    """Number of nonzeros of the constraint matrix (linear expressions' terms)."""
    n = 0
    for c in m.component_data_objects(pyo.Constraint, active=True):
        body = c.body
        n += len(getattr(body, "linear_vars", ())) or 1
    return n


VARIANTS = {  # name -> (ChainData changes, build_model options, HiGHS options)
    "base": ({}, {}, {}),
    "nocuts": ({}, {"cuts": False}, {}),
    "heur": ({}, {}, {"mip_heuristic_effort": 0.3}),
    "norins": ({}, {}, {"mip_heuristic_run_rins": False, "mip_heuristic_run_rens": False}),
    "nosub": ({}, {}, {"mip_heuristic_run_rins": False, "mip_heuristic_run_rens": False,
                       "mip_heuristic_run_root_reduced_cost": False}),
    "t1": ({}, {}, {"threads": 1}),
    "every2": ({"build_every": 2}, {}, {}),
}


HEURISTICS_OFF = {"mip_heuristic_effort": 0.0, "mip_heuristic_run_rins": False,
                  "mip_heuristic_run_rens": False, "mip_heuristic_run_root_reduced_cost": False,
                  "mip_heuristic_run_feasibility_jump": False}


def proof_time(opt, gap: float = 5e-3, time_limit: float = 300.0, **highs_options) -> tuple:
    """HiGHS time to prove ``gap`` from the incumbent of the last solve on ``opt``.

    The persistent solver's ``highspy.Highs`` object (``opt._solver_model``: the interface has no
    warm-start option for MIPs) is re-run with the last solution as its starting incumbent and
    the primal heuristics off. Returns (run time [s], final gap [fraction]).
    """
    h = opt._solver_model
    solution = h.getSolution()
    for k, v in {**highs_options, **HEURISTICS_OFF, "mip_rel_gap": gap,
                 "time_limit": time_limit, "log_to_console": False}.items():
        h.setOptionValue(k, v)
    h.setSolution(solution)
    before = h.getRunTime()
    h.run()
    info = h.getInfo()
    return h.getRunTime() - before, relative_gap(info.objective_function_value, info.mip_dual_bound)


def run_case(data, label: str, time_limit: float = 300.0, build_options=None,
             highs_options=None, proof: bool = False) -> dict:
    """Benchmark one ChainData; returns the row printed by ``print_table``."""
    highs_options = highs_options or {}
    t0 = time.perf_counter()
    m = build_model(data, **(build_options or {}))
    t1 = time.perf_counter()
    opt = make_solver()
    opt.set_instance(m)
    t2 = time.perf_counter()
    row = {"case": label, "build_s": t1 - t0, "handover_s": t2 - t1,
           "vars": m.nvariables(), "ints": len(m.built), "cons": m.nconstraints(),
           "nnz": nonzeros(m)}
    # LP relaxation on the same persistent instance (integrality switched off, then back on)
    set_integral(m, False)
    lp = run(opt, m, time_limit, **highs_options)
    row["lp_s"] = float(lp.timing_info.highs_time)
    row["lp_obj"] = lp.incumbent_objective
    set_integral(m, True)
    res = run(opt, m, time_limit, 1e-3, **highs_options)
    row["obj"] = res.incumbent_objective
    row["milp_s"] = float(res.timing_info.highs_time)
    row["status"] = status_of(res) or res.termination_condition.name
    row["final_gap"] = relative_gap(res.incumbent_objective, res.objective_bound)
    pairs = gap_times(res.solver_log or "")
    for g in (0.01, 0.005, 0.001):
        row[f"t_{g:.1%}"] = first_time(pairs, g)
    row["ratio"] = (row["build_s"] + row["handover_s"]) / max(row["milp_s"], 1e-9)
    t05 = row["t_0.5%"]
    row["t05_over_lp"] = None if t05 is None else t05 / max(row["lp_s"], 1e-9)
    if proof and status_of(res) is not None:
        row["proof_s"], row["proof_gap"] = proof_time(opt, 5e-3, time_limit, **highs_options)
        row["proof_over_lp"] = row["proof_s"] / max(row["lp_s"], 1e-9)
    return row


def _fmt(v) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:.6g}" if abs(v) >= 1e3 else f"{v:.3g}"
    return str(v)


def print_table(rows: list[dict], flush: bool = False) -> None:
    """Print the benchmark rows as a fixed-width table."""
    cols = ["case", "obj", "lp_obj", "vars", "ints", "cons", "nnz", "build_s", "handover_s",
            "milp_s", "ratio", "lp_s", "t_1.0%", "t_0.5%", "t_0.1%", "final_gap", "t05_over_lp",
            "proof_s", "proof_gap", "proof_over_lp", "status"]
    width = {c: max(len(c), *(len(_fmt(r.get(c))) for r in rows)) for c in cols}
    print("  ".join(c.rjust(width[c]) for c in cols))
    for r in rows:
        print("  ".join(_fmt(r.get(c)).rjust(width[c]) for c in cols), flush=flush)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--time-limit", type=float, default=60.0, help="per MILP solve [s]")
    ap.add_argument("--sizes", default=",".join(SIZES), help="comma-separated case names")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--variants", default="base,nosub,nocuts,every2",
                    help=f"comma-separated, of {', '.join(VARIANTS)}")
    ap.add_argument("--no-siberia", action="store_true", help="skip the Siberian model")
    ap.add_argument("--proof", action=argparse.BooleanOptionalAction, default=True,
                    help="also time the proof of a 0.5 %% gap from each run's best plan")
    args = ap.parse_args()
    cases = []
    if not args.no_siberia:
        try:
            from tea.chain import build_chain
            from tea.config import load_scenario

            data, _ = build_chain(load_scenario("models/siberia_cluster.toml"))
            cases.append(("siberia", data))
        except Exception as e:  # noqa: BLE001 - report why and go on with the synthetic cases
            print(f"siberia skipped: {type(e).__name__}: {e}")
    for name in filter(None, args.sizes.split(",")):
        s, p, y = SIZES[name]
        cases.append((f"{name} {s}x{p}x{y}",
                      make_chain(n_sites=s, n_plants=p, n_years=y, seed=args.seed)))
    rows = []
    for label, data in cases:
        for v in args.variants.split(","):
            changes, build_options, highs_options = VARIANTS[v]
            rows.append(run_case(dataclasses.replace(data, **changes), f"{label} {v}",
                                 args.time_limit, build_options, highs_options, args.proof))
            print_table(rows[-1:], flush=True)
    print()
    print_table(rows)


if __name__ == "__main__":
    main()
