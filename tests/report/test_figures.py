"""Figures: every plot writes a PNG, with data and with an empty frame, without warnings."""

from __future__ import annotations

import pandas as pd
import pytest

from tea.report import figures

PLOTS = [figures.plot_supply_cost_curve, figures.plot_purity_cost_curve,
         figures.plot_element_flow_sankey, figures.plot_cost_waterfall,
         figures.plot_budget_pareto]

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("plot", PLOTS, ids=lambda f: f.__name__)
def test_empty_frame_gives_a_no_data_figure(plot, tmp_path):
    path = plot(pd.DataFrame(), tmp_path / "f.png")
    assert path.read_bytes().startswith(PNG)


def test_build_plan_empty(tmp_path):
    path = figures.plot_build_plan(pd.DataFrame(), pd.DataFrame(), tmp_path / "f.png")
    assert path.read_bytes().startswith(PNG)


def test_purity_labels():
    assert [figures._purity_label(p) for p in (0.995, 0.9999, 0.99999)] == [
        "99.5 %", "99.99 %", "99.999 %"]
