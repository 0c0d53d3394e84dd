"""Figures: every plot writes a PNG, with data and with an empty frame, without warnings; the
frames shaped as the default model makes them give readable panels and the same bytes twice."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from tea.report import figures
from tea.report.fig_plan import _share_column, _unit_groups

from .conftest import make_bundle, make_real_bundle

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


def test_real_shaped_bundle_renders_every_figure_the_same_twice(tmp_path):
    bundle = make_real_bundle()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        first = figures.write_figures(bundle, tmp_path / "a")
        second = figures.write_figures(bundle, tmp_path / "b")
    assert list(first) == list(figures.FIGURES)
    for name, path in first.items():
        data = path.read_bytes()
        assert data.startswith(PNG) and data == second[name].read_bytes(), name
        assert len(data) > 20_000, name  # a drawn figure, not the small "no data" one


def test_build_plan_panels_by_unit():
    cap = make_real_bundle().capacity
    assert _unit_groups(cap) == [("t ore/yr", ["mine"]),
                                 ("t REO/yr", ["cracking", "separation"]),
                                 ("t/yr", ["metal", "magnet", "recycling"])]
    cap["unit"] = "t_REO/yr"  # a unit column wins over the technology table
    assert [u for u, _ in _unit_groups(cap)] == ["t_REO/yr"]


def test_pareto_labels_and_target_share():
    bundle = make_real_bundle()
    assert figures.pareto_labels(bundle.summary) == {
        "budget_unit": "RUB_2025", "target_year": 2030, "objective_unit": "million USD_2025"}
    assert _share_column(bundle.pareto, 2030) == ("share_2030", "2030")
    assert _share_column(bundle.pareto, None) == ("share_2040", "2040")
    assert _share_column(make_bundle().pareto, None) == ("import share 2031", "2031")
    assert figures.pareto_labels({}) == {}

