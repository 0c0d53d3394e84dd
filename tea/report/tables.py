"""The report's tables as a reader sees them: every column with its unit, one currency per table.

The bundle (:class:`~tea.analysis.bundle.RunBundle`) keeps the optimizer's money (MUSD of the base
year) in some frames; here every money column is converted to the reporting currency with the
bundle's ``musd_to_currency`` and named with its unit in brackets, shares stay fractions (shown as
percents by :func:`tea.report.format.format_value`), and build plans are in year order.
Each function takes a bundle and returns a new DataFrame; none changes the bundle.
"""

from __future__ import annotations

import math
import re

import pandas as pd

TECHNOLOGY_UNITS = {
    "mine": "t ore/yr",
    "cracking": "t RE in concentrate/yr",
    "separation": "t RE in mixed feed/yr",
    "metal": "t metal/yr",
    "magnet": "t magnet/yr",
    "recycling": "t RE in scrap/yr",
}
"""Unit of a module's capacity by technology (the activity units of :mod:`tea.chain.coefficients`)."""


def musd_factor(bundle) -> float:
    """Reporting-currency units per MUSD of the base money; 1e6 when the bundle does not say."""
    factor = float(getattr(bundle, "musd_to_currency", float("nan")))
    return factor if math.isfinite(factor) else 1e6


def usd_rate(summary: dict) -> tuple[float, str]:
    """Reporting-currency units per USD of the base year, and the base money (``"USD_2025"``),
    read from the levelized costs (their value in USD and in the reporting currency)."""
    for entry in (summary.get("levelized_cost") or {}).values():
        if not isinstance(entry, dict) or not entry.get("value"):
            continue
        base = str(entry.get("unit", "")).split("/")[0]
        other = entry.get("in_reporting_currency")
        if other and other.get("value") is not None:
            return float(other["value"]) / float(entry["value"]), base
        return 1.0, base
    return 1.0, "USD"


def unit_in(name) -> str:
    """The unit in brackets of a column name (``"cost [RUB_2025/kg]"`` -> ``"RUB_2025/kg"``)."""
    match = re.search(r"\[([^\]]*)\]", str(name))
    return match.group(1) if match else ""


def technology_unit(technology: str) -> str:
    """Capacity unit of a technology (``"t/yr"`` when unknown)."""
    return TECHNOLOGY_UNITS.get(str(technology), "t/yr")


def build_plan_table(bundle) -> pd.DataFrame:
    """Build decisions in year order: ``year``, ``online year``, ``option``, ``technology``,
    ``site``, ``modules built``, ``capacity added``, ``capacity unit``, ``capex [<currency>]``."""
    plan = bundle.build_plan
    if plan.empty:
        return plan
    if not {"capacity_added", "capex", "technology", "option"} <= set(plan.columns):
        return plan.sort_values("year", kind="stable", ignore_index=True)  # already for reading
    modules = "modules built" if "modules built" in plan else "modules"
    out = pd.DataFrame({
        "year": plan["year"].astype(int),
        "online year": plan.get("online_year", plan["year"]),
        "option": plan["option"], "technology": plan["technology"], "site": plan["site"],
        "modules built": plan[modules].astype(int),
        "capacity added": plan["capacity_added"].astype(float),
        "capacity unit": plan["technology"].map(technology_unit),
        f"capex [{bundle.currency}]": plan["capex"].astype(float) * musd_factor(bundle),
    })
    return out.sort_values(["year", "option"], ignore_index=True)


def capacity_table(bundle) -> pd.DataFrame:
    """Installed capacity by year, one column per technology with its unit in the header."""
    caps = bundle.capacity
    if caps.empty or not {"year", "technology", "capacity"} <= set(caps.columns):
        return caps
    frame = caps.assign(technology=[f"{t} [{technology_unit(t)}]" for t in caps["technology"]])
    wide = frame.pivot_table(index="year", columns="technology", values="capacity", aggfunc="sum")
    wide.columns.name = None
    return wide.reset_index()


def pareto_table(bundle) -> pd.DataFrame:
    """The budget Pareto curve in one currency (the budget's): ``budget``, ``discounted total
    cost``, ``capex`` [<budget unit>], the import share of each year [-] and the status."""
    pareto = bundle.pareto
    if pareto.empty or "budget" not in pareto:
        return pareto
    unit = (bundle.summary.get("budget") or {}).get("unit", bundle.currency)
    if "budget_in_unit" in pareto:
        scale = pareto["budget_in_unit"] / pareto["budget"].where(pareto["budget"] != 0)
        factor = float(scale.dropna().iloc[0]) if scale.notna().any() else musd_factor(bundle)
    else:
        factor = musd_factor(bundle)
    out = pd.DataFrame({f"budget [{unit}]": pareto["budget"] * factor})
    for name, label in (("objective", "discounted total cost"), ("capex", "capex")):
        if name in pareto:
            out[f"{label} [{unit}]"] = pareto[name] * factor
    for column in pareto.columns:
        match = re.fullmatch(r"share_(\d{4})", str(column))
        if match:
            out[f"import share {match.group(1)} [-]"] = pareto[column]
    if "status" in pareto:
        out["status"] = pareto["status"]
    return out


def step_cost_table(bundle) -> pd.DataFrame:
    """Levelized cost of each separated oxide by chain step [<currency>/kg_REO].

    The upstream steps' present-value costs (mine, cracking, separation, recycling; the
    bundle's ``waterfall`` per kg of all oxides) are shared among the oxides by value, as the
    levelized costs are (:mod:`tea.analysis.levelized`): the steps of a product add up to its
    levelized cost. Columns ``product``, ``step``, ``cost [<currency>/kg_REO]``.
    """
    waterfall, lc = bundle.waterfall, bundle.tables.get("levelized costs", pd.DataFrame())
    cost_col = next((c for c in waterfall.columns if str(c).startswith("cost")), None)
    if waterfall.empty or lc.empty or cost_col is None or not {
            "allocation_share", "pv_output", "unit", "product"} <= set(lc.columns):
        return pd.DataFrame()
    oxides = lc[(lc["unit"] == "t_REO") & (lc["pv_output"] > 0)]
    pv_all = float(oxides["pv_output"].sum())
    rate, _ = usd_rate(bundle.summary)
    unit = f"{bundle.currency}/kg_REO"
    rows = []
    for _, product in oxides.iterrows():
        weight = pv_all / float(product["pv_output"]) * float(product["allocation_share"])
        for step, cost in zip(waterfall["step"], waterfall[cost_col], strict=True):
            rows.append({"product": product["product"], "step": step,
                         f"cost [{unit}]": float(cost) * weight * rate})
    return pd.DataFrame(rows)


def import_share_table(bundle) -> pd.DataFrame:
    """Import share of demand by year against its cap: ``year``, ``imports [t_REO/yr]``,
    ``demand [t_REO/yr]``, ``import share [-]``, ``import share cap [-]``."""
    table = bundle.tables.get("import share", pd.DataFrame())
    if table.empty:
        share = bundle.summary.get("import_share") or {}
        return pd.DataFrame({"year": [int(y) for y in share],
                             "import share [-]": list(share.values())})
    if not {"year", "share"} <= set(table.columns):
        return table
    out = pd.DataFrame({"year": table["year"].astype(int)})
    if "imports_reo" in table:
        out["imports [t_REO/yr]"] = table["imports_reo"]
        out["demand [t_REO/yr]"] = table["delivered_reo"]
    out["import share [-]"] = table["share"]
    if "cap" in table:
        out["import share cap [-]"] = table["cap"]
    return out


def levelized_table(bundle) -> pd.DataFrame:
    """Pre-tax levelized cost of each product in the reporting currency, with what it is made of:
    present-value output and cost and the share of the upstream cost it carries."""
    lc = bundle.tables.get("levelized costs", pd.DataFrame())
    needed = {"product", "unit", "levelized_cost_usd_per_kg", "pv_output", "pv_cost_musd",
              "allocation_share"}
    if lc.empty or not needed <= set(lc.columns):
        return lc
    rate, base = usd_rate(bundle.summary)
    cur = bundle.currency
    per = ["kg_REO" if u == "t_REO" else "kg" for u in lc["unit"]]
    return pd.DataFrame({
        "product": lc["product"],
        "levelized cost": lc["levelized_cost_usd_per_kg"] * rate,
        "unit": [f"{cur}/{p}" for p in per],
        f"levelized cost [{base}/kg]": lc["levelized_cost_usd_per_kg"],
        "present value of output [t]": lc["pv_output"],
        f"present value of cost [{cur}]": lc["pv_cost_musd"] * musd_factor(bundle),
        "allocation share [-]": lc["allocation_share"],
    })


def marginal_cost_table(bundle) -> pd.DataFrame:
    """Marginal cost of each product group by year (the demand rows' duals) [<currency>/kg]."""
    mc = bundle.tables.get("marginal costs", pd.DataFrame())
    if mc.empty or not {"group", "year", "marginal_cost_usd_per_kg"} <= set(mc.columns):
        return mc
    rate, _ = usd_rate(bundle.summary)
    return pd.DataFrame({"product": mc["group"], "year": mc["year"].astype(int),
                         f"marginal cost [{bundle.currency}/kg]":
                             mc["marginal_cost_usd_per_kg"] * rate})


def musd_columns(frame: pd.DataFrame, bundle) -> pd.DataFrame:
    """``frame`` with every ``[MUSD...]`` column converted to the reporting currency."""
    factor, out = musd_factor(bundle), frame.copy()
    for column in frame.columns:
        match = re.match(r"(.*)\[MUSD(.*)\]$", str(column))
        if match:
            out = out.rename(columns={column: f"{match.group(1)}[{bundle.currency}{match.group(2)}]"})
            out[f"{match.group(1)}[{bundle.currency}{match.group(2)}]"] = frame[column] * factor
    return out


def cost_table(frame: pd.DataFrame) -> pd.DataFrame:
    """A plant's capital cost table with ``amount [<unit>]`` when it has one unit."""
    if frame.empty or "unit" not in frame or frame["unit"].nunique() != 1:
        return frame
    unit = frame["unit"].iloc[0]
    return frame.drop(columns="unit").rename(columns={"amount": f"amount [{unit}]"})


def supply_table(bundle) -> pd.DataFrame:
    """The supply cost curve's rows without their drawing hints, capacities as numbers."""
    frame = bundle.supply_curve
    if frame.empty:
        return frame
    out = frame.copy()
    return out.rename(columns={"capacity [t/yr]": "capacity [t_REO/yr]",
                               "levelized cost [USD/kg]": "cost or price [USD/kg_REO]"})


__all__ = ["TECHNOLOGY_UNITS", "musd_factor", "usd_rate", "unit_in", "technology_unit", "build_plan_table",
           "capacity_table", "pareto_table", "step_cost_table", "import_share_table",
           "levelized_table", "marginal_cost_table", "musd_columns", "cost_table",
           "supply_table"]
