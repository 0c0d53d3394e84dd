"""report.xlsx: the numbers behind a report, in full precision, for people who work in Excel.

Sheets
------
``Summary``     the executive summary: question, answer, what binds, caveats, key figures
``Dictionary``  every column of every sheet: meaning, unit, source
``Headline``    headline figures (dotted keys, as in summary.json)
``Inputs``      input values with units and sources; ``Costs`` every plant's capital cost table
one sheet per result table (build plan with a native chart, capacity, import share, levelized
costs, cost by step, supply curve with a native chart, purity curve, Pareto, element flows, ...),
each with a frozen header and a filter
``CF <name>``   the chain's and each plant's cash flow, with formulas (:mod:`tea.report.excel_formulas`):
                net cash flow, discount factors, present values, totals, NPV and IRR recalculate
                when a cash line or the discount-rate cell changes

Values are written unformatted (number formats only change how they look). The file carries no
save time: document dates and zip entry dates are fixed, so the same bundle gives the same bytes.
"""

from __future__ import annotations

import re
import zipfile
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from tea.report import excel_formulas as xf
from tea.report import tables as rt
from tea.report.excel_levelized import write_levelized_sheet
from tea.report.executive import executive
from tea.report.format import flatten_summary

FIXED_TIME = datetime(2000, 1, 1)
"""The document date written into every workbook (so files do not depend on when they were made)."""

_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDDDDD")
_INVALID = re.compile(r"[\[\]:*?/\\]")


def sheet_name(name: str, taken: set[str], prefix: str = "") -> str:
    """A valid, unique Excel sheet name (<= 31 characters, no ``[]:*?/\\``) for ``name``.

    ``taken`` holds the names already used (compared case-insensitively) and is updated.
    """
    base = _INVALID.sub("_", f"{prefix}{name}").strip("'") or "sheet"
    candidate, k = base[:31], 1
    while candidate.lower() in taken:
        k += 1
        suffix = f" ({k})"
        candidate = base[:31 - len(suffix)] + suffix
    taken.add(candidate.lower())
    return candidate


def _cell(value):
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    if value is not None and not isinstance(value, int | float | str | bool):
        return str(value)
    return value


def _number_format(column: str, values: pd.Series) -> str | None:
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        return None
    lower = column.lower()
    if lower.startswith("year") or lower.endswith("year"):
        return "0"
    if "share" in lower or lower in ("purity", "discount factor"):
        return "0.0000"
    finite = values.abs()[np.isfinite(values.astype(float))]
    if len(finite) and finite.max() >= 1000:
        return "#,##0"
    return "#,##0.00##"


def write_frame(ws, frame: pd.DataFrame, row: int = 1, title: str | None = None) -> int:
    """Write ``frame`` (header row, then values) into ``ws`` from ``row``; returns the next free
    row after one blank line. A ``title`` goes in bold above the header."""
    if title:
        ws.cell(row=row, column=1, value=title).font = Font(bold=True, size=12)
        row += 1
    if frame.empty:
        ws.cell(row=row, column=1, value="no data").font = Font(italic=True)
        return row + 2
    for j, column in enumerate(frame.columns, start=1):
        cell = ws.cell(row=row, column=j, value=str(column))
        cell.font, cell.fill = _BOLD, _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for j, column in enumerate(frame.columns, start=1):
        fmt = _number_format(str(column), frame[column])
        for i, value in enumerate(frame[column].tolist(), start=row + 1):
            cell = ws.cell(row=i, column=j, value=_cell(value))
            if fmt and isinstance(cell.value, int | float):
                cell.number_format = fmt
        letter = get_column_letter(j)
        width = max([len(str(column))] + [len(str(_cell(v))) for v in frame[column].tolist()])
        ws.column_dimensions[letter].width = max(ws.column_dimensions[letter].width or 0,
                                                 min(max(width, 8) + 2, 60))
    return row + len(frame) + 2


def _results(bundle) -> list[tuple[str, pd.DataFrame]]:
    """The result tables, one sheet each, with units in their headers (:mod:`tea.report.tables`)."""
    blocks = [("Build plan", rt.build_plan_table(bundle)),
              ("Capacity", rt.capacity_table(bundle)),
              ("Import share", rt.import_share_table(bundle)),
              ("Levelized costs", rt.levelized_table(bundle)),
              ("Cost by step", rt.step_cost_table(bundle)),
              ("Supply curve", rt.supply_table(bundle)),
              ("Purity curve", bundle.purity_curve),
              ("Budget Pareto", rt.pareto_table(bundle)),
              ("Element flows", bundle.element_flows)]
    if not bundle.uncertainty.empty:
        blocks += [("Uncertainty", bundle.uncertainty), ("Tornado", bundle.tornado)]
    skip = {"import share", "levelized costs"}
    for name, table in bundle.tables.items():
        if name not in skip:
            table = rt.marginal_cost_table(bundle) if name == "marginal costs" else table
            blocks.append((name, rt.musd_columns(table, bundle)))
    return blocks


def _rate(summary: dict, plant: str) -> float:
    finance = summary.get("finance") or {}
    entry = (finance.get("plants") or {}).get(plant) or finance.get("chain") or {}
    return float((entry.get("hurdle_rate") or {}).get("value", 0.1))


def _table_sheet(wb, taken, name: str, frame: pd.DataFrame, prefix: str = ""):
    ws = wb.create_sheet(sheet_name(name, taken, prefix=prefix))
    write_frame(ws, frame)
    if not frame.empty:
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(frame.columns))}{len(frame) + 1}"
    return ws


def _charts(sheets: dict, frames: dict) -> None:
    plan, curve = frames.get("Build plan"), frames.get("Supply curve")
    if plan is not None and not plan.empty:
        capex = [j for j, c in enumerate(plan.columns, start=1) if str(c).startswith("capex")]
        if capex:
            xf.add_bar_chart(sheets["Build plan"], "Build plan: capex by construction year", 1,
                             capex, len(plan), "L2", str(plan.columns[capex[0] - 1]), False)
    if curve is not None and not curve.empty:
        cols = list(curve.columns)
        if "capacity [t_REO/yr]" in cols and "cost or price [USD/kg_REO]" in cols:
            xf.add_scatter_chart(sheets["Supply curve"], "Supply cost curve", cols.index(
                "capacity [t_REO/yr]") + 1, cols.index("cost or price [USD/kg_REO]") + 1,
                len(curve), "J2", "capacity [t_REO/yr]", "cost or price [USD/kg_REO]")


def _fix_dates(path: Path) -> None:
    """Rewrite the xlsx with fixed document and zip entry dates (no save time in the file)."""
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(path) as src:
        entries = [(info, src.read(info)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in entries:
            if info.filename == "docProps/core.xml":
                text = data.decode("utf-8")
                text = re.sub(r"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)",
                              rf"\g<1>{stamp}\g<3>", text)
                data = text.encode("utf-8")
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, data)


def write_workbook(bundle, path: Path) -> Path:
    """Write report.xlsx for a :class:`~tea.analysis.bundle.RunBundle` to ``path``."""
    path = Path(path)
    wb = Workbook()
    wb.properties.creator = "tea"
    wb.properties.title = bundle.title
    wb.properties.created = FIXED_TIME
    taken: set[str] = set()

    ws = wb.active
    ws.title = sheet_name("Summary", taken)
    summary = executive(bundle)
    ws.cell(row=1, column=1, value=summary.question).font = Font(bold=True, size=12)
    row = 2
    for heading, items in (("The answer", summary.answer), ("What binds", summary.binds),
                           ("Caveats", summary.caveats)):
        ws.cell(row=row, column=1, value=heading).font = _BOLD
        for k, item in enumerate(items, start=1):
            ws.cell(row=row + k, column=1, value=item)
        row += len(items) + 2
    write_frame(ws, summary.figures, row=row, title="Key figures")
    ws.column_dimensions["A"].width = 60

    flat = flatten_summary(bundle.summary)
    frames = {"Headline": pd.DataFrame({"figure": list(flat),
                                        "value": [_cell(v) for v in flat.values()]}),
              "Inputs": bundle.inputs}
    costs = [rt.cost_table(table).assign(plant=name) for name, table in bundle.cost_tables.items()]
    frames["Costs"] = pd.concat(costs, ignore_index=True) if costs else pd.DataFrame()
    sources = {"Inputs": "the model file and the input tables (their source column)",
               "Costs": "the model's cost estimates (their basis column)",
               "Headline": "summary.json"}
    sheets = {}
    for name, frame in [*frames.items(), *_results(bundle)]:
        sheets[name] = _table_sheet(wb, taken, name, frame)
        frames[name] = frame
    for name, table in bundle.cash_flows.items():
        label = "CF " + name
        ws = wb.create_sheet(sheet_name(name, taken, prefix="CF "))
        if xf.is_ledger(table):
            xf.write_cash_flow_sheet(ws, table, _rate(bundle.summary, name), bundle.currency)
        else:
            write_frame(ws, table)
            ws.freeze_panes = "B2"
        frames[label] = table
        sources[label] = "tea.finance ledger of the plan (formulas over the rows)"
    if bundle.levelized_parts is not None:
        write_levelized_sheet(wb.create_sheet(sheet_name("Levelized", taken)),
                              bundle.levelized_parts)
    _charts(sheets, frames)
    ws = wb.create_sheet(sheet_name("Dictionary", taken), 1)
    write_frame(ws, xf.dictionary(frames, sources))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:E{ws.max_row}"

    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    _fix_dates(path)
    return path


__all__ = ["sheet_name", "write_frame", "write_workbook"]
