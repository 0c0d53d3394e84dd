"""write_report: files, determinism, all-or-nothing replacement, the workbook's NPV identity."""

from __future__ import annotations

import json
import re
import shutil

import pandas as pd
import pytest
from openpyxl import load_workbook

from tea.report import figures as figures_module
from tea.report.figures import FIGURES
from tea.report.write import write_report


@pytest.fixture(scope="module")
def report(tmp_path_factory, bundle_factory_module):
    """One report of the fixture bundle, written once for the tests that only read it."""
    out = tmp_path_factory.mktemp("written") / "reports" / "siberia_cluster"
    return out, write_report(bundle_factory_module(), out)


def test_writes_every_file(report):
    out, written = report
    tmp_path = out.parent.parent
    expected = {"report.md", "report.html", "report.xlsx", "summary.json",
                *(f"figures/{name}.png" for name in FIGURES)}
    assert set(written) == expected
    for name, path in written.items():
        assert path == out / name and path.is_file() and path.stat().st_size > 0
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == ["siberia_cluster"]
    for name in FIGURES:  # PNGs without software or date entries
        data = written[f"figures/{name}.png"].read_bytes()
        assert data.startswith(b"\x89PNG") and b"Software" not in data and b"matplotlib" not in data
    md = (out / "report.md").read_text(encoding="utf-8")
    assert md.startswith("# Siberian rare-earth processing cluster")
    for name in FIGURES:  # the uncertainty figures only when the bundle has samples
        assert f"(figures/{name}.png)" in md or name in ("cost_distribution", "tornado")
    assert "| basis |" in md and "Tax Code art. 284" in md and "discounted net cash flow" in md
    page = (out / "report.html").read_text(encoding="utf-8")
    assert page.count('<div class="chart"') >= 1 and "Plotly.newPlot" in page
    assert "<h2>Executive summary</h2>" in page
    markup = re.sub(r"<script>.*?</script>", "", page, flags=re.S)  # plotly.js itself aside
    assert "src=\"figures/" not in markup and not re.search(r'(src|href)="https?:', markup)


def test_same_bundle_same_bytes_and_rewrite_replaces(report, bundle, tmp_path):
    first = report[1]
    second = write_report(bundle, tmp_path / "r")
    for name in first:  # every file, not only summary.json, is byte-identical
        assert first[name].read_bytes() == second[name].read_bytes(), name
    text = first["summary.json"].read_text(encoding="utf-8")
    data = json.loads(text)
    assert list(data) == sorted(data)
    assert data["npv"] == float(f"{bundle.summary['npv']:.6g}")  # 6 significant digits
    out = tmp_path / "r"
    (out / "stale.txt").write_text("old")
    bundle.summary["npv"] = 1.0
    write_report(bundle, out)
    assert not (out / "stale.txt").exists()
    assert json.loads((out / "summary.json").read_text())["npv"] == 1.0
    assert [p.name for p in tmp_path.iterdir()] == ["r"]


def test_failed_write_leaves_nothing_behind(report, bundle, tmp_path, monkeypatch):
    out = tmp_path / "r"
    shutil.copytree(report[0], out)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def broken(*args, **kwargs):
        raise RuntimeError("figure failed")

    monkeypatch.setattr(figures_module, "plot_cost_waterfall", broken)
    bundle.summary["npv"] = 1.0
    with pytest.raises(RuntimeError, match="figure failed"):
        write_report(bundle, out)
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert [p.name for p in tmp_path.iterdir()] == ["r"]
    monkeypatch.setattr(figures_module, "plot_supply_cost_curve", broken)
    with pytest.raises(RuntimeError):
        write_report(bundle, tmp_path / "fresh")
    assert not (tmp_path / "fresh").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["r"]


def test_workbook_cash_flows_sum_to_npv(report, bundle):
    written = report[1]
    npv = json.loads(written["summary.json"].read_text())["npv"]
    wb = load_workbook(written["report.xlsx"], read_only=True)
    assert wb.sheetnames[:5] == ["Summary", "Dictionary", "Headline", "Inputs", "Costs"]
    assert {"CF chain", "CF Tomtor mine + concentrator", "CF Krasnoyarsk separation (SX)",
            "Build plan", "Supply curve"} <= set(wb.sheetnames)
    rows = list(wb["CF chain"].iter_rows(values_only=True))
    column = rows[0].index("discounted net cash flow")
    years = [r[0] for r in rows[1:]]
    assert years == list(range(2026, 2032))
    total = sum(r[column] for r in rows[1:])
    # identity: NPV equals the sum of the discounted net cash flows (summary rounded to 6 digits)
    assert total == pytest.approx(npv, rel=5e-6)
    costs = list(wb["Costs"].iter_rows(values_only=True))
    assert costs[0][-1] == "plant" and "item" in costs[0] and "basis" in costs[0]
    assert len(costs) == 1 + sum(len(t) for t in bundle.cost_tables.values())
    inputs = list(wb["Inputs"].iter_rows(values_only=True))
    assert "source" in inputs[0]
    wb.close()


def test_empty_bundle_still_writes(tmp_path):
    from tea.analysis.bundle import RunBundle

    empty = RunBundle(model_name="empty", title="Empty", currency="USD_2024",
                      summary={"npv": 0.0}, cash_flows={"chain": pd.DataFrame()})
    written = write_report(empty, tmp_path / "empty")
    assert all(path.is_file() for path in written.values())
    assert "_no data_" in written["report.md"].read_text()


def test_stale_partial_folders_are_removed_at_the_next_run(bundle, tmp_path):
    # an interrupted run (killed before it could clean up) leaves its temporary folders behind
    out = tmp_path / "reports" / "demo"
    out.parent.mkdir(parents=True)
    stale = [out.parent / ".demo.new-abc123", out.parent / ".demo.old-def456"]
    for path in stale:
        (path / "figures").mkdir(parents=True)
        (path / "figures" / "half.png").write_bytes(b"partial")
    other = out.parent / ".other.new-xyz"  # another model's: not this run's to remove
    other.mkdir()
    write_report(bundle, out)
    assert not any(path.exists() for path in stale)
    assert other.exists()
    assert sorted(p.name for p in out.parent.iterdir()) == [".other.new-xyz", "demo"]
    assert (out / "summary.json").exists()
