"""The executive summary that opens every report: the question, the answer in five lines, what
binds, the main caveats, and the key figures as a table (each with its unit).

Read from a :class:`~tea.analysis.bundle.RunBundle`: its summary (plan, capex and budget, import
share, levelized costs, ``finance``, and ``uncertainty`` when the run sampled its inputs: then
each figure carries its P10-P90 range, otherwise the range is left out), the import-share table
(the caps), the inputs table (import prices, ``max_modules``) and the build plan.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import pandas as pd

from tea.report.tables import usd_rate

HEADLINE_PRODUCTS = ("NdPr_oxide", "N42_magnet")
"""Products whose cost the summary's answer names (when the model has them)."""


@dataclass
class Executive:
    """The executive summary: ``question``, ``answer`` (lines), ``binds`` (lines), ``caveats``
    (lines) and ``figures`` (``figure``, ``value`` with its unit, ``P10-P90``, ``against``)."""

    question: str
    answer: list[str] = field(default_factory=list)
    binds: list[str] = field(default_factory=list)
    caveats: list[str] = field(default_factory=list)
    figures: pd.DataFrame = field(default_factory=pd.DataFrame)


def amount(value, unit: str) -> str:
    """Money or mass for reading: ``"554.5 bn RUB_2025"``, ``"13,429 RUB_2025/kg_REO"``."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "none"
    value = float(value)
    for div, word in ((1e9, "bn"), (1e6, "mn")):
        if abs(value) >= div and "/" not in unit:
            return f"{value / div:,.1f} {word} {unit}".replace("-0.0 ", "0 ")
    if abs(value) >= 100:
        return f"{value:,.0f} {unit}"
    return f"{value:,.2f} {unit}"


def percent(value) -> str:
    """A fraction as a percent, ``0.0930`` -> ``"9.3 %"``; ``"none"`` for None/NaN."""
    if value is None or not math.isfinite(float(value)):
        return "none"
    text = f"{100 * float(value):.1f}"
    return f"{'0.0' if text == '-0.0' else text} %"


def entry(summary: dict, key: str) -> dict:
    """``summary[key]`` as ``{"value", "unit", ...}`` (a bare number gets an empty unit; a
    missing or non-numeric entry gives ``{}``)."""
    value = summary.get(key)
    if isinstance(value, dict):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return {"value": float(value), "unit": ""}
    return {}


def _input(bundle, key: str) -> str | None:
    inputs = bundle.inputs
    if inputs.empty or "key" not in inputs:
        return None
    hit = inputs.loc[inputs["key"] == key, "value"]
    return None if hit.empty else str(hit.iloc[0]).strip('"')


def _price(bundle, product: str) -> tuple[float, str] | None:
    """The import price of the model file (first value of a table) and its unit."""
    text = _input(bundle, f"products.{product}.import_price")
    if text is None:
        return None
    match = re.search(r"([-+0-9.eE]+)\s+([A-Za-z]+_\d{4}/[A-Za-z_]+)", text)
    return (float(match.group(1)), match.group(2)) if match else None


def _range(summary: dict, key: str, scale: float = 1.0, fmt=None, unit: str = "") -> str:
    """``"a to b unit"``: the P10 and P90 of an uncertainty figure, or "" when the run has none."""
    figure = ((summary.get("uncertainty") or {}).get("figures") or {}).get(key)
    if not figure or figure.get("p10") is None or figure.get("p90") is None:
        return ""
    fmt = fmt or (lambda v: amount(v, ""))
    return f"{fmt(figure['p10'] * scale).strip()} to {fmt(figure['p90'] * scale).strip()} {unit}".strip()


def _plan_line(summary: dict) -> str:
    by_year: dict[str, list[str]] = {}
    for entry in summary.get("builds", []):
        year, _, what = str(entry).partition(": ")
        by_year.setdefault(year, []).append(what)
    if not by_year:
        return "The plan builds nothing."
    parts = [f"{year}: {', '.join(items)}" for year, items in sorted(by_year.items())]
    return "The plan builds (construction start): " + "; ".join(parts) + "."


def _share_line(bundle) -> str:
    s = bundle.summary
    target = entry(s, "target")
    year = str(target.get("year") or entry(s, "domestic_oxide_production").get("year", ""))
    share = (s.get("import_share") or {}).get(year)
    table = bundle.tables.get("import share", pd.DataFrame())
    cap = None
    if not table.empty and "cap" in table:
        row = table[table["year"].astype(str) == year]
        cap = None if row.empty or pd.isna(row["cap"].iloc[0]) else float(row["cap"].iloc[0])
    made = entry(s, "domestic_oxide_production")
    text = f"Imports meet {percent(share)} of demand in {year}"
    text += f" (cap {percent(cap)})" if cap is not None else ""
    if target.get("production"):
        text += (f"; domestic oxide output {amount(made.get('value'), 't_REO/yr')} against a "
                 f"target of {amount(target.get('production'), 't_REO/yr')}")
    return text + "."


def _cost_lines(bundle) -> tuple[list[str], list[dict]]:
    s = bundle.summary
    rate, base = usd_rate(s)
    msp = (((s.get("finance") or {}).get("chain") or {}).get("minimum_selling_price") or {})
    lines, rows = [], []
    for product in HEADLINE_PRODUCTS:
        entry = (s.get("levelized_cost") or {}).get(product)
        if not entry or entry.get("value") is None:
            continue
        per = str(entry["unit"]).split("/", 1)[1]
        local = entry.get("in_reporting_currency", entry)
        spread = _range(s, f"levelized_cost.{product}", rate, unit=local["unit"])
        price = _price(bundle, product)
        text = f"{product.replace('_', ' ')} costs {amount(local['value'], local['unit'])}"
        if local["unit"] != entry["unit"]:
            text += f" ({amount(entry['value'], entry['unit'])})"
        text += " pre-tax" + (f", P10-P90 {spread}" if spread else "")
        if price:
            text += f", against an import price of {amount(*price)}"
        sell = msp.get(product) or {}
        if sell.get("value") is not None:
            text += (f"; after tax it breaks even at {amount(sell['value'], sell['unit'])}"
                     + (f" ({amount(sell['value'] / rate, f'{base}/{per}')})"
                        if sell["unit"] != f"{base}/{per}" else ""))
        lines.append(text + ".")
        rows.append({"figure": f"{product} levelized cost (pre-tax)", "value": local["value"],
                     "unit": local["unit"], "P10-P90": spread,
                     "against": f"import price {amount(*price)}" if price else ""})
        if sell.get("value") is not None:
            rows.append({"figure": f"{product} minimum selling price (after tax)",
                         "value": sell["value"], "unit": sell["unit"],
                         "P10-P90": _range(s, f"minimum_selling_price.{product}",
                                           unit=sell["unit"]),
                         "against": f"import price {amount(*price)}" if price else ""})
    return lines, rows


def _finance_line(summary: dict) -> tuple[str, list[dict]]:
    chain = ((summary.get("finance") or {}).get("chain")) or {}
    if not chain:
        return "", []
    npv, irr = chain["npv"], chain["irr"]
    rate = chain["hurdle_rate"]["value"]
    npv_range = _range(summary, "npv", unit=npv["unit"])
    irr_range = _range(summary, "irr", fmt=percent, unit="per year")
    text = f"After tax the chain's NPV at {percent(rate)} is {amount(npv['value'], npv['unit'])}"
    text += f" (P10-P90 {npv_range})" if npv_range else ""
    text += f" and its IRR {percent(irr['value'])}" + (f" (P10-P90 {irr_range})" if irr_range
                                                        else "")
    peak = chain.get("peak_funding", {})
    text += f"; peak funding need {amount(peak.get('value'), peak.get('unit', ''))}."
    rows = [{"figure": "chain NPV after tax", "value": npv["value"], "unit": npv["unit"],
             "P10-P90": npv_range, "against": f"hurdle rate {percent(rate)}"},
            {"figure": "chain IRR after tax", "value": irr["value"], "unit": "1/yr",
             "P10-P90": irr_range, "against": f"hurdle rate {percent(rate)}"},
            {"figure": "peak funding need", "value": peak.get("value"),
             "unit": peak.get("unit", ""), "P10-P90": "", "against": ""}]
    return text, rows


def _binding(bundle) -> list[str]:
    """Plants built to their ``max_modules`` and the budget's marginal value."""
    s, lines = bundle.summary, []
    plan = bundle.build_plan
    if not plan.empty:
        modules = "modules built" if "modules built" in plan else "modules"
        built = plan.groupby("option")[modules].sum()
        full = []
        for option, n in built.items():
            limit = _input(bundle, f"plants.{option}.max_modules")
            existing = _input(bundle, f"plants.{option}.existing_modules")
            try:
                if limit is not None and n + int(float(existing or 0)) >= int(float(limit)):
                    full.append(f"{option} ({int(float(limit))} modules)")
            except ValueError:
                continue
        if full:
            lines.append("Built to their assumed limit (max_modules): " + ", ".join(full)
                         + "; `tea limits` prices one more module of each.")
    marginal = entry(s, "budget_marginal_value").get("value")
    budget = entry(s, "budget")
    if marginal is not None and budget.get("value"):
        lines.append("The capital budget does not bind (its marginal value is zero)."
                     if abs(marginal) < 1e-9 else
                     f"The capital budget binds: one more bn {budget['unit']} lowers the "
                     f"discounted cost by {amount(abs(marginal) * 1e9, budget['unit'])}.")
    return lines


CAVEATS = (
    "The optimizer plans for the economy (least discounted pre-tax cost of the whole chain); "
    "the after-tax figures are what each plant's investor sees, its output sold at import prices.",
    "Costs are prefeasibility-grade estimates scaled from reference plants; every input and its "
    "source is listed under Inputs and sources.",
    "Plant limits (max_modules) are assumptions; where they bind they shape the plan.",
)


def executive(bundle) -> Executive:
    """The executive summary of a bundle (see the module docstring)."""
    s = bundle.summary
    budget, target = entry(s, "budget"), entry(s, "target")
    question = f"{bundle.title}: "
    if target.get("production"):
        question += (f"what must be built to make {amount(target['production'], 't_REO/yr')} "
                     f"of oxide by {target['year']}")
    else:
        question += "what should be built to supply the demand at least cost"
    if budget.get("value"):
        question += f" within a capital budget of {amount(budget['value'], budget['unit'])}"
    question += ", and what does each kilogram cost against imports?"
    capex = entry(s, "capex_total")
    spend = f"Capital spent: {amount(capex.get('value'), capex.get('unit', ''))}"
    if budget and budget.get("value"):
        spend += (f" of the {amount(budget['value'], budget['unit'])} budget "
                  f"({percent(capex.get('value', 0) / budget['value'])}).")
    cost_lines, cost_rows = _cost_lines(bundle)
    finance_text, finance_rows = _finance_line(s)
    answer = [_plan_line(s), spend, _share_line(bundle), *cost_lines]
    if finance_text:
        answer.append(finance_text)
    caveats = list(CAVEATS)
    unc = s.get("uncertainty")
    caveats.append(f"Ranges are P10-P90 over {unc.get('samples')} samples of the uncertain inputs "
                   f"(seed {unc.get('seed')}), the plan held fixed." if unc else
                   "No uncertainty analysis was run: the figures are single values.")
    rows = [{"figure": "capital spent", "value": capex.get("value"), "unit": capex.get("unit"),
             "P10-P90": "", "against": (f"budget {amount(budget['value'], budget['unit'])}"
                                        if budget else "")}, *cost_rows, *finance_rows]
    for row in rows:
        unit = row.pop("unit") or ""
        row["value"] = (f"{percent(row['value'])} per year" if unit == "1/yr"
                        else amount(row["value"], unit))
    return Executive(question, answer, _binding(bundle), caveats,
                     pd.DataFrame(rows, columns=["figure", "value", "P10-P90", "against"]))


__all__ = ["HEADLINE_PRODUCTS", "Executive", "CAVEATS", "amount", "percent", "entry",
           "executive"]
