"""Time the design of one SX cut and of a full separation train (prints figures).

Run: .venv/bin/python benchmarks/bench_cascade.py [repeats]
"""

from __future__ import annotations

import statistics
import sys
import time

from tea.config.inputs import default_input_tables
from tea.process.cascade import design_cut
from tea.process.separation import design_train
from tea.streams import Stream

# Tomtor-like TREO distribution, [U] assumption (see tests/process/test_separation.py)
TOMTOR_LIKE = dict(La=0.250, Ce=0.451, Pr=0.045, Nd=0.160, Sm=0.022, Eu=0.006, Gd=0.014,
                   Tb=0.0015, Dy=0.005, Ho=0.0008, Er=0.0016, Tm=0.0002, Yb=0.0010, Lu=0.0001,
                   Y=0.038, Sc=0.0038)


def _times(fn, repeats: int) -> list[float]:
    out = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def main(repeats: int = 200) -> None:
    design_cut(1.4, 0.75)  # warm-up
    t = _times(lambda: design_cut(1.4, 0.75, 0.9999, 0.9999), repeats)
    d = design_cut(1.4, 0.75, 0.9999, 0.9999)
    print(f"design_cut Nd/Pr beta=1.4, f_A=0.75, 99.99 %: {d.extraction_stages}+{d.scrub_stages}"
          f" = {d.total_stages} stages")
    print(f"  {repeats} repeats: mean {1e3 * statistics.mean(t):.2f} ms, "
          f"median {1e3 * statistics.median(t):.2f} ms, max {1e3 * max(t):.2f} ms")
    total = sum(TOMTOR_LIKE.values())
    feed = Stream.from_reo(10_000.0, {k: v / total for k, v in TOMTOR_LIKE.items()}, "t/yr")
    products = ["La", "Ce", "Pr", "Nd", "SEG", "Tb", "Dy", "Y", "HRE"]
    n = max(repeats // 40, 3)
    tables = default_input_tables()
    tt = _times(lambda: design_train(feed, products, purity=0.9999, tables=tables), n)
    r = design_train(feed, products, purity=0.9999, tables=tables)
    print(f"design_train Tomtor-like, {len(r.products)} products, {len(r.cuts)} cuts, "
          f"{r.total_stages} stages")
    print(f"  {n} repeats: mean {1e3 * statistics.mean(tt):.1f} ms, "
          f"median {1e3 * statistics.median(tt):.1f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
