"""Markdown tables and number formatting."""

from __future__ import annotations

import pandas as pd

from tea.report.markdown import format_value, markdown_table


def test_markdown_table():
    frame = pd.DataFrame({"year": [2026, 2027], "capex [USD]": [-1.5e9, 0.0], "note": ["a|b", "c"]})
    assert markdown_table(frame) == (
        "| year | capex [USD] | note |\n"
        "|---:|---:|:---|\n"
        "| 2026 | -1,500,000,000 | a\\|b |\n"
        "| 2027 | 0 | c |\n")
    assert markdown_table(pd.DataFrame()) == "_no data_\n"


def test_format_value():
    assert format_value(0.55, "import share") == "55 %"
    assert format_value(0.99995, "purity") == "99.995 %"
    assert format_value(61.5) == "61.50"
    assert format_value(2031, "year") == "2031"
    assert format_value(float("nan")) == ""
    assert format_value(0.0105) == "0.0105"
    assert format_value(0.1, "finance.discount_rate") == "10 %"
    assert format_value(8.5, "separated oxide cost") == "8.50"  # "rate" inside a word
