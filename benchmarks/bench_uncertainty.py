"""Samples per second of a fixed plan's figures: vectorized on the sample axis against a loop
that calls the same functions one sample at a time, measured side by side in one run; and the
time of ``tea uncertainty --reoptimize 8`` against one ``tea optimize``.

Usage::

    .venv/bin/python benchmarks/bench_uncertainty.py [--model models/siberia_cluster.toml]
        [--samples 100000] [--no-reoptimize]

One process, one BLAS thread (``OPENBLAS_NUM_THREADS=1`` and the like are set before numpy is
imported), so the vectorized rate is per core.
"""

from __future__ import annotations

import os

for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import argparse  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from tea.analysis.run import optimize_model  # noqa: E402
from tea.analysis.sampling import draw  # noqa: E402
from tea.analysis.uncertainty import PlanSampler  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def rate(func, n: int) -> float:
    """Samples per second of ``func()`` that evaluates ``n`` samples (best of 3)."""
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - t0)
    return n / best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="models/siberia_cluster.toml")
    parser.add_argument("--samples", type=int, default=100_000)
    parser.add_argument("--no-reoptimize", action="store_true")
    args = parser.parse_args()
    run = optimize_model(ROOT / args.model)
    sampler = PlanSampler.of(run)
    spec = run.scenario.uncertainty
    n = args.samples
    samples = draw(spec, n, spec.seed)
    loop_n = 500
    single = [{k: v[i:i + 1] for k, v in samples.items()} for i in range(loop_n)]
    vector = rate(lambda: sampler.levelized(samples, n), n)
    looped = rate(lambda: [sampler.levelized(s, 1) for s in single], loop_n)
    print(f"levelized costs of a fixed plan ({args.model}, {len(spec.distributions)} inputs):")
    print(f"  vectorized  {vector:12,.0f} samples/s ({n:,} samples, one core)")
    print(f"  loop        {looped:12,.0f} samples/s (one sample per call)")
    print(f"  ratio       {vector / looped:12,.0f} x")
    m = 2000
    part = {k: v[:m] for k, v in samples.items()}
    full = rate(lambda: sampler.evaluate(part, m), m)
    print(f"every figure (levelized costs, chain NPV, IRR, minimum selling prices after tax): "
          f"{full:,.0f} samples/s ({m:,} samples)")
    if args.no_reoptimize:
        return
    tea = str(BIN / "tea")
    t0 = time.perf_counter()
    subprocess.run([tea, "optimize", args.model], check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL)
    one = time.perf_counter() - t0
    t0 = time.perf_counter()
    subprocess.run([tea, "uncertainty", args.model, "--reoptimize", "8", "--samples", "200"],
                   check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    eight = time.perf_counter() - t0
    print(f"tea optimize {one:.1f} s; tea uncertainty --reoptimize 8 {eight:.1f} s "
          f"({eight / one:.2f} x)")


if __name__ == "__main__":
    main()
