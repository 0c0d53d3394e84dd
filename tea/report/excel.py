"""report.xlsx: the numbers behind a report, in full precision, for people who work in Excel.

Sheets
------
``Summary``    headline figures (dotted keys, as in summary.json)
``Inputs``     input values with units and sources
``Costs``      every plant's cost table (``plant``, ``item``, ``amount``, ``unit``, ``basis``)
``CashFlows``  the chain cash flow after tax, one row per year, with ``present_value`` (sums to
               the NPV)
``CF <plant>`` one sheet per plant cash flow (names cut to 31 characters and made unique)
``Results``    build plan, capacity, curves, waterfall, element flows and the further tables,
               one block under the other, each under a bold title

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
    blocks = [("Build plan", bundle.build_plan), ("Installed capacity", bundle.capacity),
              ("Supply cost curve", bundle.supply_curve),
              ("Purity-cost curve", bundle.purity_curve),
              ("Levelized cost by chain step", bundle.waterfall),
              ("Budget Pareto curve", bundle.pareto),
              ("Element flows between chain stages", bundle.element_flows)]
    return blocks + list(bundle.tables.items())


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
    flat = flatten_summary(bundle.summary)
    write_frame(ws, pd.DataFrame({"figure": list(flat), "value": [_cell(v) for v in flat.values()]}),
                title=f"{bundle.title} ({bundle.model_name}); money in {bundle.currency}")

    ws = wb.create_sheet(sheet_name("Inputs", taken))
    write_frame(ws, bundle.inputs)
    ws.freeze_panes = "A2"

    ws = wb.create_sheet(sheet_name("Costs", taken))
    costs = [table.assign(plant=name)[["plant", *table.columns]]
             for name, table in bundle.cost_tables.items()]
    write_frame(ws, pd.concat(costs, ignore_index=True) if costs else pd.DataFrame())
    ws.freeze_panes = "B2"

    ws = wb.create_sheet(sheet_name("CashFlows", taken))
    write_frame(ws, bundle.cash_flows.get("chain", pd.DataFrame()))
    ws.freeze_panes = "B2"
    for name, table in bundle.cash_flows.items():
        if name == "chain":
            continue
        ws = wb.create_sheet(sheet_name(name, taken, prefix="CF "))
        write_frame(ws, table)
        ws.freeze_panes = "B2"

    ws = wb.create_sheet(sheet_name("Results", taken))
    row = 1
    for title, frame in _results(bundle):
        row = write_frame(ws, frame, row=row, title=title)

    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    _fix_dates(path)
    return path


__all__ = ["sheet_name", "write_frame", "write_workbook"]
