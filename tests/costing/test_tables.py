"""Tests of cost lines and tables."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tea.costing.tables import CostLine, cost_table, format_table, lines_of, table_total
from tea.errors import InputError
from tea.units import Q_


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(-1e9, 1e9, allow_nan=False), min_size=1, max_size=12))
def test_total_row_is_sum_of_lines(amounts):
    table = cost_table([CostLine(f"l{i}", Q_(a, "USD_2024"), "test") for i, a in
                        enumerate(amounts)])
    total = table.iloc[-1]
    assert total["item"] == "total"
    assert total["amount"] == pytest.approx(lines_of(table)["amount"].sum(), rel=1e-12, abs=1e-6)
    assert table_total(table).magnitude == pytest.approx(total["amount"], rel=1e-12, abs=1e-6)
    assert table.attrs["total"].magnitude == pytest.approx(sum(amounts), rel=1e-9, abs=1e-3)


def test_sample_lines_keep_all_samples():
    table = cost_table([CostLine("a", Q_(np.array([1.0, 3.0]), "USD_2024/yr"), "x"),
                        CostLine("b", Q_(np.array([2.0, 2.0]), "USD_2024/yr"), "y")])
    assert np.allclose(table.attrs["total"].magnitude, [3.0, 5.0])
    assert table.iloc[-1]["amount"] == pytest.approx(4.0)
    assert "total" in format_table(table)


def test_money_without_currency_and_mixed_units_are_refused():
    with pytest.raises(InputError, match="currency and cost year"):
        CostLine("a", Q_(1.0, "dimensionless"), "x")
    with pytest.raises(InputError, match="convert"):
        cost_table([CostLine("a", Q_(1.0, "USD_2024"), "x"),
                    CostLine("b", Q_(1.0, "RUB_2025"), "y")])
    with pytest.raises(InputError):
        cost_table([])
