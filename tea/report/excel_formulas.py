"""The workbook's live sheets: cash flows whose net, discount factors, present values, totals,
NPV and IRR are Excel formulas over the rows, a data dictionary, and native charts.

A cash-flow sheet holds one row per year (the columns of :mod:`tea.analysis.cashflows`), a
totals row, and beside the table the inputs an analyst flexes: the discount rate and the base
year. ``net_cash_flow`` is the sum of the cash lines (:data:`tea.finance.ledger.CASH_LINES`),
``discount_factor`` is ``1/(1+rate)^(year-base year)``, ``present_value`` their product; NPV is
the sum of the present values and IRR Excel's ``IRR`` over the net cash flows. Change a cash
line or the rate and they recalculate.
"""

from __future__ import annotations

import math

import pandas as pd
from openpyxl.chart import BarChart, Reference, ScatterChart, Series
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from tea.finance.ledger import CASH_LINES

PARAMETERS = ("discount rate [1/yr]", "base year", "NPV [{cur}]", "IRR [1/yr]")
"""The labelled cells beside a cash-flow table (labels in the column after a gap)."""


def _name(column) -> str:
    return str(column).split(" [")[0]


def base_year(frame: pd.DataFrame, rate: float) -> int:
    """The year the discount factors are relative to (from the first row's factor)."""
    factor = float(frame[next(c for c in frame.columns if _name(c) == "discount_factor")].iloc[0])
    if rate == 0 or factor <= 0:
        return int(frame["year"].iloc[0])
    return int(round(int(frame["year"].iloc[0]) + math.log(factor) / math.log(1.0 + rate)))


def is_ledger(frame: pd.DataFrame) -> bool:
    """Whether ``frame`` has the ledger's columns (year, the cash lines, net, factor, PV)."""
    names = {_name(c) for c in frame.columns}
    return {"year", "net_cash_flow", "discount_factor", "present_value"} <= names \
        and bool(names & set(CASH_LINES))


def write_cash_flow_sheet(ws, frame: pd.DataFrame, rate: float, currency: str) -> dict:
    """Write a ledger ``frame`` with formulas into ``ws``; returns the cells of the results.

    Returns
    -------
    dict
        ``{"npv": "H3", "irr": "H4", "rate": "H1", "total_row": n}`` (cell coordinates).
    """
    columns = list(frame.columns)
    letter = {_name(c): get_column_letter(j) for j, c in enumerate(columns, start=1)}
    n = len(frame)
    first, last = 2, n + 1
    value_col = get_column_letter(len(columns) + 3)
    rate_cell, base_cell = f"${value_col}$1", f"${value_col}$2"
    for j, column in enumerate(columns, start=1):
        ws.cell(row=1, column=j, value=str(column)).font = Font(bold=True)
    cash = [letter[c] for c in CASH_LINES if c in letter]
    for i, (_, row) in enumerate(frame.iterrows(), start=first):
        for j, column in enumerate(columns, start=1):
            name, col = _name(column), get_column_letter(j)
            if name == "net_cash_flow":
                value = "=" + "+".join(f"{c}{i}" for c in cash)
            elif name == "discount_factor":
                value = f"=1/(1+{rate_cell})^({letter['year']}{i}-{base_cell})"
            elif name == "present_value":
                value = f"={letter['net_cash_flow']}{i}*{letter['discount_factor']}{i}"
            else:
                value = row[column].item() if hasattr(row[column], "item") else row[column]
                if isinstance(value, float) and not math.isfinite(value):
                    value = None
            cell = ws.cell(row=i, column=j, value=value)
            if name not in ("year", "discount_factor"):
                cell.number_format = "#,##0"
    total = last + 1
    ws.cell(row=total, column=1, value="total").font = Font(bold=True)
    for j, column in enumerate(columns, start=1):
        if _name(column) in (*CASH_LINES, "net_cash_flow", "present_value"):
            col = get_column_letter(j)
            cell = ws.cell(row=total, column=j, value=f"=SUM({col}{first}:{col}{last})")
            cell.font, cell.number_format = Font(bold=True), "#,##0"
    net = f"{letter['net_cash_flow']}{first}:{letter['net_cash_flow']}{last}"
    pv = f"{letter['present_value']}{first}:{letter['present_value']}{last}"
    values = [rate, base_year(frame, rate), f"=SUM({pv})", f"=IRR({net},0.1)"]
    for k, (label, value) in enumerate(zip(PARAMETERS, values, strict=True), start=1):
        ws.cell(row=k, column=len(columns) + 2, value=label.format(cur=currency)).font = \
            Font(bold=True)
        ws.cell(row=k, column=len(columns) + 3, value=value)
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{last}"
    return {"rate": f"{value_col}1", "npv": f"{value_col}3", "irr": f"{value_col}4",
            "total_row": total}


COLUMN_MEANINGS = {
    "year": "calendar year (cash flows at its end)",
    "capex": "capital spent on construction (outflow negative)",
    "revenue": "sales at import prices",
    "royalties": "royalties or mineral extraction tax of mines",
    "opex": "fixed and variable operating cost, transport included",
    "depreciation": "tax depreciation (not a cash line)",
    "interest": "interest paid on debt",
    "taxable_income": "income after deductions, before losses carried (not a cash line)",
    "loss_carried": "tax losses carried forward at the year's end (a balance)",
    "tax": "profit tax paid",
    "working_capital": "change of working capital",
    "debt_drawn": "debt drawn", "debt_repaid": "debt principal repaid",
    "salvage": "salvage value of the plants at the horizon's end",
    "net_cash_flow": "sum of the cash lines (a formula)",
    "discount_factor": "1/(1+rate)^(year - base year) (a formula)",
    "present_value": "net cash flow times discount factor; they sum to the NPV (a formula)",
}
"""Meaning of the usual columns (by name before the unit)."""


def dictionary(sheets: dict[str, pd.DataFrame], sources: dict[str, str]) -> pd.DataFrame:
    """The data dictionary: every column of every sheet with its meaning, unit and source.

    ``sources`` gives each sheet's source; a column's unit is the one in its header's brackets
    (``-`` for a text column, the ``unit`` column where a table has one).
    """
    rows = []
    for sheet, frame in sheets.items():
        for column in frame.columns:
            text = str(column)
            unit = text[text.find("[") + 1:text.rfind("]")] if "[" in text else (
                "see the unit column" if "unit" in frame.columns and text in ("amount", "value")
                else "-" if not pd.api.types.is_numeric_dtype(frame[column]) else
                "fraction [-]" if any(w in text for w in ("share", "purity", "rate")) else
                "year" if "year" in text else "-")
            rows.append({"sheet": sheet, "column": text,
                         "meaning": COLUMN_MEANINGS.get(_name(text), text.split(" [")[0]),
                         "unit": unit, "source": sources.get(sheet, "this model's plan")})
    return pd.DataFrame(rows, columns=["sheet", "column", "meaning", "unit", "source"])


def add_bar_chart(ws, title: str, x_col: int, y_cols: list[int], rows: int, anchor: str,
                  y_title: str, stacked: bool = True) -> None:
    """A native bar chart of columns ``y_cols`` against ``x_col`` (1-based) over ``rows``."""
    chart = BarChart()
    chart.type, chart.title, chart.y_axis.title = "col", title, y_title
    if stacked:
        chart.grouping, chart.overlap = "stacked", 100
    for col in y_cols:
        chart.add_data(Reference(ws, min_col=col, min_row=1, max_row=rows + 1),
                       titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=x_col, min_row=2, max_row=rows + 1))
    chart.width, chart.height = 22, 11
    ws.add_chart(chart, anchor)


def add_scatter_chart(ws, title: str, x_col: int, y_col: int, rows: int, anchor: str,
                      x_title: str, y_title: str) -> None:
    """A native scatter chart (markers) of ``y_col`` against ``x_col`` (1-based)."""
    chart = ScatterChart()
    chart.title, chart.x_axis.title, chart.y_axis.title = title, x_title, y_title
    series = Series(Reference(ws, min_col=y_col, min_row=2, max_row=rows + 1),
                    Reference(ws, min_col=x_col, min_row=2, max_row=rows + 1), title=y_title)
    series.marker.symbol, series.graphicalProperties.line.noFill = "circle", True
    chart.series.append(series)
    chart.width, chart.height = 22, 11
    ws.add_chart(chart, anchor)


__all__ = ["PARAMETERS", "COLUMN_MEANINGS", "base_year", "is_ledger", "write_cash_flow_sheet",
           "dictionary", "add_bar_chart", "add_scatter_chart"]
