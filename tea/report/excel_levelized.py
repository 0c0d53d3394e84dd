"""The workbook's ``Levelized`` sheet: each product's levelized cost as Excel formulas over the
plan's costs by technology and its output by year (the rule of
:mod:`tea.analysis.levelized`), with the discount rate and a capex, an opex and a price
multiplier per row as cells an analyst flexes.

Layout (money in MUSD of the base year, masses in t of product):

- row 1: discount rate, row 2: base year; row 4: the years; row 5: discount factors
  ``1/(1+rate)^(year - base year)``;
- one row per technology for capital (capex less salvage) and one for operating cost, their
  multiplier and their present value ``multiplier * SUMPRODUCT(row, factors)``;
- one row per product for output and one for the oxide the metal plants take, with its import
  price [MUSD/t] and price multiplier, present values, the value share of the oxides and the
  levelized cost [USD/kg]: oxides ``upstream * share / PV(output) * 1000``, the others
  ``(downstream + PV(oxide taken) * oxide cost) / PV(output) * 1000``.
"""

from __future__ import annotations

from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from tea.analysis.levelized import UPSTREAM

FIRST_YEAR_COLUMN = 4
"""Column of the first year (A: label, B: multiplier or price, C: present value)."""


def write_levelized_sheet(ws, parts) -> dict[str, str]:
    """Write ``parts`` (:class:`tea.analysis.levelized.LevelizedParts`) with formulas into
    ``ws``; returns product -> the cell of its levelized cost [USD/kg]."""
    bold = Font(bold=True)
    years = list(parts.years)
    cols = [get_column_letter(FIRST_YEAR_COLUMN + k) for k in range(len(years))]
    span = f"${cols[0]}${{row}}:${cols[-1]}${{row}}"
    ws["A1"], ws["B1"] = "discount rate [1/yr]", float(parts.rate)
    ws["A2"], ws["B2"] = "base year", int(parts.base_year)
    ws["A4"], ws["B4"], ws["C4"] = "year", "multiplier or price", "present value"
    ws["A5"] = "discount factor [-]"
    for col, year in zip(cols, years, strict=True):
        ws[f"{col}4"] = int(year)
        ws[f"{col}5"] = f"=1/(1+$B$1)^({col}4-$B$2)"
    factors = span.format(row=5)
    row, pv = 7, {"upstream": [], "downstream": []}
    ws.cell(row=6, column=1, value="costs by technology [MUSD]").font = bold
    for k, tech in enumerate(parts.technologies):
        for label, values in (("capital", parts.capital[k]), ("operating", parts.operating[k])):
            ws.cell(row=row, column=1, value=f"{tech} {label}")
            ws.cell(row=row, column=2, value=1.0)
            for col, value in zip(cols, values, strict=True):
                ws[f"{col}{row}"] = float(value)
            ws[f"C{row}"] = f"=B{row}*SUMPRODUCT({span.format(row=row)},{factors})"
            pv["upstream" if tech in UPSTREAM else "downstream"].append(f"C{row}")
            row += 1
    ws.cell(row=row, column=1, value="upstream cost [MUSD]").font = bold
    ws[f"C{row}"] = "=" + ("+".join(pv["upstream"]) or "0")
    upstream = f"$C${row}"
    ws.cell(row=row + 1, column=1, value="downstream cost [MUSD]").font = bold
    ws[f"C{row + 1}"] = "=" + ("+".join(pv["downstream"]) or "0")
    downstream = f"$C${row + 1}"
    row += 3
    out_rows, use_rows = {}, {}
    ws.cell(row=row - 1, column=1, value="products [t/yr; price MUSD/t]").font = bold
    for k, product in enumerate(parts.products):
        for label, values, store in (("output", parts.output[k], out_rows),
                                     ("oxide taken", parts.oxide_use[k], use_rows)):
            ws.cell(row=row, column=1, value=f"{product} {label}")
            for col, value in zip(cols, values, strict=True):
                ws[f"{col}{row}"] = float(value)
            ws[f"C{row}"] = f"=SUMPRODUCT({span.format(row=row)},{factors})"
            store[product] = row
            row += 1
        ws[f"B{out_rows[product]}"] = float(parts.price[k])
        ws[f"B{use_rows[product]}"] = 1.0  # price multiplier
    return _results(ws, parts, row + 1, out_rows, use_rows, upstream, downstream)


def _results(ws, parts, row, out_rows, use_rows, upstream, downstream) -> dict[str, str]:
    """The value shares and levelized costs below the product rows."""
    ws.cell(row=row, column=1, value="levelized cost").font = Font(bold=True)
    ws.cell(row=row, column=2, value="value share [-]").font = Font(bold=True)
    ws.cell(row=row, column=3, value="USD/kg of product").font = Font(bold=True)
    oxides = [p for k, p in enumerate(parts.products) if parts.oxide[k]]
    value = {p: f"(C{out_rows[p]}*B{out_rows[p]}*B{use_rows[p]})" for p in oxides}
    total = "+".join(value.values()) or "0"
    cells, first = {}, row + 1
    for i, product in enumerate(parts.products):
        r = first + i
        ws.cell(row=r, column=1, value=product)
        out = f"C{out_rows[product]}"
        if product in value:
            ws[f"B{r}"] = f"=IF(({total})>0,{value[product]}/({total}),0)"
            ws[f"C{r}"] = f'=IF({out}>0,{upstream}*B{r}/{out}*1000,"")'
        cells[product] = f"C{r}"
    oxide_in = "+".join(
        f'C{use_rows[p]}*IF(ISNUMBER({cells[p]}),{cells[p]}/1000,'
        f'B{out_rows[p]}*B{use_rows[p]})' for p in oxides) or "0"
    for i, product in enumerate(parts.products):
        if product in value:
            continue
        r = first + i
        ws[f"B{r}"] = 1.0
        out = f"C{out_rows[product]}"
        ws[f"C{r}"] = f'=IF({out}>0,({downstream}+{oxide_in})/{out}*1000,"")'
    ws.freeze_panes = f"{get_column_letter(FIRST_YEAR_COLUMN)}6"
    return cells


__all__ = ["write_levelized_sheet"]
