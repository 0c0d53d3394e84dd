"""What a report says and how its numbers read, shared by every writer of :mod:`tea.report`.

- summary.json's text: :func:`normalize` and :func:`summary_json` (deterministic: sorted keys,
  floats to :data:`SIGNIFICANT_DIGITS` significant digits), :func:`flatten_summary` (dotted keys);
- cells for reading: :func:`format_value` and :func:`display_frame` (thousands separators, shares
  as percents, years without separators);
- the report's content: :func:`sections` of a :class:`~tea.analysis.bundle.RunBundle`, in order,
  with :data:`FIGURE_CAPTIONS`.

The writers (:mod:`tea.report.markdown`, :mod:`tea.report.html`, :mod:`tea.report.excel`) and the
baseline (:mod:`tea.report.baseline`) import from here, not from each other.
"""

from __future__ import annotations

import json
import math
import numbers
import re
from dataclasses import dataclass, field

import pandas as pd

from tea.report import tables as rt
from tea.report.executive import amount, executive

SIGNIFICANT_DIGITS = 6
"""Floats in summary.json are rounded to this many significant digits."""

SUMMARY = "summary.json"


def round_significant(value: float, digits: int = SIGNIFICANT_DIGITS) -> float | None:
    """``value`` rounded to ``digits`` significant digits; None for NaN or infinity."""
    value = float(value)
    if not math.isfinite(value):
        return None
    rounded = float(f"{value:.{digits}g}")
    return 0.0 if rounded == 0 else rounded


def normalize(obj, digits: int = SIGNIFICANT_DIGITS):
    """A JSON-ready copy of ``obj``: dict keys as strings, numpy scalars as Python numbers,
    floats rounded to ``digits`` significant digits, tuples as lists."""
    if isinstance(obj, dict):
        return {str(k): normalize(v, digits) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [normalize(v, digits) for v in obj]
    if hasattr(obj, "tolist") and not isinstance(obj, str | bytes):  # numpy scalars / arrays
        return normalize(obj.tolist(), digits)
    if isinstance(obj, bool) or obj is None or isinstance(obj, str):
        return obj
    if isinstance(obj, numbers.Integral):
        return int(obj)
    if isinstance(obj, numbers.Real):
        return round_significant(obj, digits)
    return str(obj)


def summary_json(summary: dict, digits: int = SIGNIFICANT_DIGITS) -> str:
    """The text of summary.json: normalized (see :func:`normalize`), sorted keys, two-space
    indent, trailing newline. The same summary always gives the same text."""
    return json.dumps(normalize(summary, digits), sort_keys=True, indent=2,
                      ensure_ascii=False, allow_nan=False) + "\n"


def _flatten(obj, prefix: str = "") -> dict[str, object]:
    if isinstance(obj, dict):
        items = obj.items()
    elif isinstance(obj, list):
        items = ((str(i), v) for i, v in enumerate(obj))
    else:
        return {prefix: obj}
    out: dict[str, object] = {}
    for key, value in items:
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict | list) and value:
            out.update(_flatten(value, name))
        else:
            out[name] = value
    return out


def flatten_summary(summary: dict) -> dict[str, object]:
    """Nested summary -> ``{"dotted.key": value}`` (list items by index)."""
    return _flatten(summary)


PERCENT_WORDS = ("share", "irr", "purity", "rate", "fraction", "recovery")
"""A number whose column or key has one of these words is a fraction shown as a percent."""

_PERCENT = re.compile(r"\b(" + "|".join(PERCENT_WORDS) + r")\b")

FIGURE_CAPTIONS = {
    "supply_cost_curve": "Supply cost curve: options by levelized cost against cumulative capacity",
    "purity_cost_curve": "Purity-cost curve of the separated product",
    "build_plan": "Build plan: installed capacity by technology over the years",
    "element_flow_sankey": "Element flows along the chain: production by stage and element",
    "cost_waterfall": "Levelized cost of NdPr oxide by chain step (in the reporting currency per "
                      "kg REO; the steps add up to its levelized cost)",
    "budget_pareto": "Discounted total cost, import share and capital spent against the budget",
    "cost_distribution": "Levelized cost of the headline product against its import price, "
                         "over samples of the uncertain inputs",
    "tornado": "What moves the headline product's cost: each input at its P10 and P90",
}


@dataclass
class Section:
    """One report section: a heading, an optional paragraph, tables and figures, and lists of
    lines under a heading each (``bullets``)."""

    title: str
    text: str = ""
    tables: list[tuple[str, pd.DataFrame]] = field(default_factory=list)
    figures: list[str] = field(default_factory=list)
    bullets: list[tuple[str, list[str]]] = field(default_factory=list)


def format_value(value, name: str = "", integral: bool = False) -> str:
    """A cell for reading: thousands separators, shares as percents, years without separators.

    Parameters
    ----------
    value : object
        The cell.
    name : str
        Its column or key (decides percent and year formatting).
    integral : bool
        Show without decimals (the whole column holds whole numbers).
    """
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return str(value)
    integral = integral or isinstance(value, numbers.Integral)
    value = float(value)
    if math.isnan(value):
        return ""
    lower = name.lower()
    if lower.startswith("year") or lower.endswith("year"):
        return f"{value:.0f}"
    if _PERCENT.search(re.sub(r"[_.]", " ", lower)) and abs(value) <= 10:
        text = f"{100 * value:.4f}".rstrip("0").rstrip(".")
        return f"{text} %"
    if value == 0:
        return "0"
    if abs(value) >= 1000 or integral:
        return f"{value:,.0f}"
    if abs(value) >= 1:
        return f"{value:,.2f}"
    return f"{value:.4g}"


def display_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every cell formatted by :func:`format_value` (strings)."""
    out = pd.DataFrame(index=range(len(frame)))
    for column in frame.columns:
        values = frame[column]
        integral = False
        if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
            finite = values.dropna().astype(float)
            integral = bool(len(finite)) and bool((finite == finite.round()).all())
        out[str(column)] = [format_value(v, str(column), integral) for v in values.tolist()]
    return out


def _money(value, unit: str) -> str:
    return "none" if value is None else amount(value, unit)


def investor_table(summary: dict) -> pd.DataFrame:
    """The plan's after-tax figures for an investor: the chain's NPV, IRR, payback and peak
    funding, each product's minimum selling price beside its levelized cost, each with its unit
    and a one-line reading (``summary["finance"]``, :func:`tea.analysis.run.finance_summary`)."""
    finance = summary.get("finance")
    if not finance:
        return pd.DataFrame()
    chain = finance["chain"]
    rate = chain["hurdle_rate"]["value"]
    irr = chain["irr"]["value"]
    rows = [
        ("chain NPV after tax", _money(chain["npv"]["value"], chain["npv"]["unit"]),
         f"present value at the {rate:.1%} hurdle rate of every plant's cash flow after tax, "
         "the chain's output valued at import prices"),
        ("chain IRR", "none" if irr is None else f"{irr:.1%} per year",
         "the discount rate at which that NPV is zero (none: the cash flow never turns)"),
        ("payback", "not within the horizon" if chain["payback"]["value"] is None
         else f"{chain['payback']['value']:.1f} yr from {chain['payback']['from']}",
         "when the cumulative cash flow turns positive for good"),
        ("peak funding need", _money(chain["peak_funding"]["value"],
                                     chain["peak_funding"]["unit"]),
         "the deepest point of the cumulative cash flow: equity and debt to raise"),
    ]
    costs = summary.get("levelized_cost", {})
    for product, msp in chain["minimum_selling_price"].items():
        lc = costs.get(product, {})
        lc = lc.get("in_reporting_currency", lc)
        rows.append((f"{product} minimum selling price", _money(msp["value"], msp["unit"]),
                     "the price at which the chain's NPV after tax is zero, its other products "
                     "at import prices; pre-tax levelized cost "
                     + _money(lc.get("value"), lc.get("unit", ""))))
    return pd.DataFrame(rows, columns=["figure", "value", "reading"])


def summary_table(summary: dict) -> pd.DataFrame:
    """Headline figures as a two-column table (``figure``, ``value``), dotted keys sorted
    (the per-plant finance figures are left to the cash-flow tables)."""
    summary = dict(summary)
    if "finance" in summary:
        summary["finance"] = {k: v for k, v in summary["finance"].items() if k != "plants"}
    flat = flatten_summary(summary)
    return pd.DataFrame({"figure": list(flat),
                         "value": [format_value(v, k) for k, v in flat.items()]})


def chain_cash_flow_table(chain: pd.DataFrame) -> pd.DataFrame:
    """The chain cash flow's columns worth reading: year, non-zero cash lines, net and
    discounted (per-plant ``net_cash_flow:<plant>`` columns are left to the workbook)."""
    if chain.empty:
        return chain
    keep = [c for c in chain.columns
            if ":" not in str(c) and (str(c) == "year" or not (chain[c] == 0).all())]
    return chain[keep]


def _executive_section(bundle) -> Section:
    summary = executive(bundle)
    return Section("Executive summary", summary.question,
                   [("Key figures", summary.figures)],
                   bullets=[("The answer", summary.answer), ("What binds", summary.binds),
                            ("Caveats", summary.caveats)])


def sections(bundle) -> list[Section]:
    """The report's content, in order, for a :class:`~tea.analysis.bundle.RunBundle`: the
    executive summary first, then the tables with a unit in every money or mass column
    (:mod:`tea.report.tables`), one currency per table."""
    money = bundle.currency
    out = [_executive_section(bundle)]
    out.append(Section("Investor figures (after tax)",
                       f"Basis: {bundle.summary.get('finance', {}).get('basis', 'not computed')}. "
                       "The optimizer plans at the least discounted pre-tax cost of the whole "
                       "chain; these are what the plants' investors see.",
                       [("", investor_table(bundle.summary))]))
    out.append(Section("Build plan", "Build decisions in year order (construction starts in "
                       f"the year shown; capex overnight, in {money}).",
                       [("Build plan", rt.build_plan_table(bundle))], ["build_plan"]))
    out.append(Section("Capacity and import share", "Import shares are fractions of demand, "
                       "shown as percents beside their cap.",
                       [("Installed capacity by year", rt.capacity_table(bundle)),
                        ("Import share by year", rt.import_share_table(bundle))]))
    out.append(Section("Capital cost by plant", "Overnight capital cost of one module of each "
                       "plant, in the currency of its header; the basis column says what each "
                       "line means (totals equal the sum of lines).",
                       [(name, rt.cost_table(table)) for name, table in bundle.cost_tables.items()]))
    chain = bundle.cash_flows.get("chain", pd.DataFrame())
    out.append(Section("Chain cash flow", f"Year-end cash flows of the whole chain after tax "
                       f"({money}), the sum of the plants' tables; the present values sum to the "
                       "NPV. Per-plant cash flows are in report.xlsx.",
                       [("Chain", chain_cash_flow_table(chain))]))
    out.append(Section("Levelized costs", f"Pre-tax levelized costs of the plan's products in "
                       f"{money}; by chain step, each separated oxide's cost is its share (by "
                       "value) of each upstream step's present-value cost over its present-value "
                       "output, so a product's steps add up to its levelized cost. The supply "
                       "curve and the purity curve are in USD per kg REO.",
                       [("Levelized cost by product", rt.levelized_table(bundle)),
                        ("Levelized cost by chain step", rt.step_cost_table(bundle)),
                        ("Supply cost curve", rt.supply_table(bundle)),
                        ("Purity-cost curve of NdPr oxide", bundle.purity_curve)],
                       ["cost_waterfall", "supply_cost_curve", "purity_cost_curve"]))
    if not (bundle.uncertainty.empty and bundle.samples.empty and bundle.tornado.empty):
        n = bundle.summary.get("uncertainty", {}).get("samples", "")
        out.append(Section(
            "How sure are we", f"The plan held, its costs and prices sampled ({n} Latin-hypercube "
            "samples of the inputs of inputs/uncertainty.csv and the model's [uncertainty], "
            "correlated prices): percentiles of each figure, the probability that a product "
            "costs less than its import price, each input at its P10 and P90 (tornado) and "
            "Sobol indices (inputs taken as independent).",
            [("Percentiles", bundle.uncertainty), ("Tornado", bundle.tornado),
             ("Sobol indices", bundle.sobol)], ["cost_distribution", "tornado"]))
    out.append(Section("Element flows", "Production by stage and element in the target year.",
                       [("Element flows between chain stages", bundle.element_flows)],
                       ["element_flow_sankey"]))
    out.append(Section("Capital budget", "What each budget buys: the least discounted total "
                       "cost, the capital spent and the import share, all in the budget's "
                       "currency.", [("Budget Pareto curve", rt.pareto_table(bundle))],
                       ["budget_pareto"]))
    out.append(Section("Other results", "", _other_tables(bundle)))
    out.append(Section("Inputs and sources", "", [("Inputs", bundle.inputs)]))
    return out


def _other_tables(bundle) -> list[tuple[str, pd.DataFrame]]:
    """The bundle's further tables with their money in the reporting currency."""
    shown = {"import share", "levelized costs"}
    out = []
    for name, table in bundle.tables.items():
        if name in shown:
            continue
        if name == "marginal costs":
            table = rt.marginal_cost_table(bundle)
        elif name == "jobs" and "jobs" in table:
            table = table.rename(columns={"jobs": "jobs [persons]"})
        out.append((name, rt.musd_columns(table, bundle)))
    return out


__all__ = ["SIGNIFICANT_DIGITS", "SUMMARY", "PERCENT_WORDS", "FIGURE_CAPTIONS", "Section",
           "round_significant", "normalize", "summary_json", "flatten_summary", "format_value",
           "display_frame", "investor_table", "summary_table", "chain_cash_flow_table", "sections"]
