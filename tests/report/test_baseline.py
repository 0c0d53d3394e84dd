"""summary.json normalization and the baseline comparison CI runs."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from tea.report.baseline import (
    check_reports,
    compare_summaries,
    round_significant,
    summary_json,
    update_baseline,
)

OLD = {"npv": 1.0e10, "irr": 0.12, "levelized_cost": {"NdPr": 61.5}, "status": "optimal",
       "plants_built": 2}


def test_within_tolerance_passes():
    new = {**OLD, "npv": 1.0e10 * (1 + 5e-4), "levelized_cost": {"NdPr": 61.52}}
    assert compare_summaries(OLD, new) == []
    assert compare_summaries(OLD, json.loads(summary_json(OLD))) == []


def test_moved_figure_is_named_with_old_and_new_value():
    new = {**OLD, "levelized_cost": {"NdPr": 66.0}}
    messages = compare_summaries(OLD, new, rtol=1e-3)
    assert messages == ["summary.json: levelized_cost.NdPr: was 61.5, now 66 "
                        "(moved +7.32 %, tolerance 0.1 %)"]


def test_added_removed_and_changed_strings_are_reported():
    new = {k: v for k, v in OLD.items() if k != "irr"}
    new.update(status="infeasible", jobs=120)
    messages = compare_summaries(OLD, new, label="reports/x/summary.json")
    assert len(messages) == 3
    assert "reports/x/summary.json: irr: removed (was 0.12)" in messages
    assert "reports/x/summary.json: jobs: added (now 120)" in messages
    assert "reports/x/summary.json: status: was 'optimal', now 'infeasible'" in messages


def test_zero_baseline_uses_absolute_tolerance():
    assert compare_summaries({"a": 0.0}, {"a": 1e-12}) == []
    assert compare_summaries({"a": 0.0}, {"a": 0.5}) == [
        "summary.json: a: was 0, now 0.5 (moved from zero, tolerance 0.1 %)"]


def test_summary_json_rounds_and_sorts():
    text = summary_json({"b": np.float64(1 / 3), "a": {"2": np.int64(7), "1": math.nan}})
    assert text == ('{\n  "a": {\n    "1": null,\n    "2": 7\n  },\n  "b": 0.333333\n}\n')
    assert round_significant(123456789.0) == 123457000.0
    assert round_significant(-0.0) == 0.0


def _models(tmp_path: Path) -> Path:
    models = tmp_path / "models"
    models.mkdir()
    (models / "siberia_cluster.toml").write_text("[model]\n")
    return models


def test_check_reports_passes_then_names_the_moved_figure(tmp_path, bundle_factory):
    make_bundle = bundle_factory
    models, reports = _models(tmp_path), tmp_path / "reports"
    written = update_baseline(models, reports, lambda path: make_bundle())
    assert written == {"siberia_cluster": reports / "siberia_cluster"}
    committed = (reports / "siberia_cluster" / "summary.json").read_bytes()
    assert check_reports(models, reports, lambda path: make_bundle()) == []

    def changed(path):
        bundle = make_bundle()
        bundle.summary["levelized_cost"]["NdPr oxide [USD/kg]"] = 65.0
        return bundle

    messages = check_reports(models, reports, changed, rtol=1e-3)
    assert len(messages) == 1
    assert "levelized_cost.NdPr oxide [USD/kg]: was 61.5, now 65" in messages[0]
    assert messages[0].startswith(str(reports / "siberia_cluster" / "summary.json"))
    # the committed baseline is never touched by a check
    assert (reports / "siberia_cluster" / "summary.json").read_bytes() == committed


def test_check_reports_reports_missing_baselines(tmp_path, bundle_factory):
    make_bundle = bundle_factory
    models, reports = _models(tmp_path), tmp_path / "reports"
    (reports / "old_model").mkdir(parents=True)
    (reports / "old_model" / "summary.json").write_text("{}")
    messages = check_reports(models, reports, lambda path: make_bundle(), out_dir=tmp_path / "new")
    assert len(messages) == 2
    assert "no committed baseline for model siberia_cluster.toml" in messages[0]
    assert "baseline without a model" in messages[1]
    assert (tmp_path / "new" / "siberia_cluster" / "summary.json").is_file()


@pytest.mark.parametrize("rtol", [1e-2, 1e-4])
def test_tolerance_is_relative(rtol):
    new = {**OLD, "npv": OLD["npv"] * (1 + 1e-3)}
    assert bool(compare_summaries(OLD, new, rtol=rtol)) == (rtol < 1e-3)
