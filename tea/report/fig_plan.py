"""Figures of the plan: installed capacity with build decisions, and the budget Pareto curve."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.transforms import blended_transform_factory

from tea.report.plotting import (
    colours,
    column,
    money_scale,
    new_figure,
    no_data,
    pretty,
    save,
    thousands,
    unit_of,
)

TECHNOLOGY_UNITS = {"mine": "t ore/yr", "beneficiation": "t ore/yr", "cracking": "t REO/yr",
                    "separation": "t REO/yr", "refining": "t REO/yr", "metal": "t/yr",
                    "magnet": "t/yr", "recycling": "t/yr"}
"""Capacity unit of each technology when the capacity frame has no ``unit`` column."""

_UNIT_ORDER = ("t ore/yr", "t REO/yr", "t/yr")


def _unit_groups(cap: pd.DataFrame) -> list[tuple[str, list[str]]]:
    """(unit, technologies) panels: upstream units first, technologies in chain order."""
    techs = list(dict.fromkeys(cap["technology"].astype(str)))
    if "unit" in cap:
        unit = cap.groupby(cap["technology"].astype(str))["unit"].first().astype(str).to_dict()
    else:
        unit = {t: TECHNOLOGY_UNITS.get(t.lower(), "unit not given") for t in techs}
    chain = list(TECHNOLOGY_UNITS)
    techs.sort(key=lambda t: (chain.index(t.lower()) if t.lower() in chain else len(chain), t))
    units = list(dict.fromkeys(unit[t] for t in techs))
    units.sort(key=lambda u: _UNIT_ORDER.index(u) if u in _UNIT_ORDER else len(_UNIT_ORDER))
    return [(u, [t for t in techs if unit[t] == u]) for u in units]


def _build_rows(build_plan: pd.DataFrame, units: dict[str, str]) -> pd.DataFrame:
    """Build decisions sorted by year, numbered from 1, with the online year and unit."""
    if build_plan.empty or not {"year", "technology"} <= set(build_plan.columns):
        return pd.DataFrame(columns=["n", "year", "online", "option", "technology", "added"])
    plan = build_plan.copy()
    plan["technology"] = plan["technology"].astype(str)
    plan["option"] = plan["option"].astype(str) if "option" in plan else plan["technology"]
    plan["online"] = plan["online_year"] if "online_year" in plan else plan["year"]
    added = column(plan, "capacity added") or column(plan, "capacity_added")
    plan["added"] = plan[added] if added else np.nan
    plan = plan.sort_values(["year", "online", "option"], kind="stable").reset_index(drop=True)
    plan["n"] = np.arange(1, len(plan) + 1)
    plan["unit"] = plan["technology"].map(units).fillna("")
    return plan


def plot_build_plan(capacity: pd.DataFrame, build_plan: pd.DataFrame, path: Path) -> Path:
    """Installed capacity by technology over the years, one panel per capacity unit.

    Panels: mine [t ore/yr]; cracking and separation [t REO/yr]; metal, magnet and recycling
    [t/yr] (a ``unit`` column in ``capacity`` overrides :data:`TECHNOLOGY_UNITS`). Within a panel
    the technologies stand side by side (different steps are not added up). Each build decision is
    a numbered arrow from the year construction starts to the year the plant comes online,
    staggered in height, and listed in the table at the right.
    """
    title = "Build plan: installed capacity by technology"
    if capacity.empty or not {"year", "technology", "capacity"} <= set(capacity.columns):
        return no_data(path, title)
    cap = capacity.copy()
    cap["technology"] = cap["technology"].astype(str)
    groups = _unit_groups(cap)
    units = {t: u for u, techs in groups for t in techs}
    plan = _build_rows(build_plan, units)
    years = sorted(int(y) for y in cap["year"].unique())
    tech_colour = colours(cap["technology"])
    fig = new_figure(15.0, 1.2 + 3.1 * len(groups))
    grid = fig.add_gridspec(len(groups), 2, width_ratios=(2.6, 1.0))
    share_x = None
    for k, (unit, techs) in enumerate(groups):
        ax = fig.add_subplot(grid[k, 0], sharex=share_x)
        share_x = share_x or ax
        table = cap[cap["technology"].isin(techs)].pivot_table(
            index="year", columns="technology", values="capacity", aggfunc="sum")
        table = table.reindex(years).fillna(0.0)
        width = 0.8 / len(techs)
        for j, tech in enumerate(techs):
            ax.bar(np.array(years) - 0.4 + width * (j + 0.5), table.get(tech, 0.0), width=width,
                   color=tech_colour[tech], label=pretty(tech))
        top = max(float(table.to_numpy().max()), 1.0)
        mine = plan[plan["technology"].isin(techs)]
        for level, (_, b) in enumerate(mine.iterrows()):
            y = top * (1.1 + 0.16 * level)
            start, end = float(b["year"]), float(b["online"])
            ax.annotate("", (end, y), (start, y), arrowprops={
                "arrowstyle": "-|>", "color": tech_colour[b["technology"]], "lw": 1.6,
                "shrinkA": 0, "shrinkB": 0})
            ax.plot([start], [y], marker="o", markersize=4, color=tech_colour[b["technology"]])
            ax.text(start - 0.15, y, str(int(b["n"])), ha="right", va="center", fontsize=8.5,
                    fontweight="bold")
        ax.set_ylim(0.0, top * (1.2 + 0.16 * len(mine)))
        ax.yaxis.set_major_formatter(thousands)
        ax.set_ylabel(f"capacity [{unit}]")
        ax.set_title(", ".join(pretty(t) for t in techs) + f" [{unit}]", fontsize=10, loc="left")
        ax.grid(axis="y", alpha=0.3)
        handles, labels = ax.get_legend_handles_labels()
        if len(mine):
            handles.append(Line2D([], [], color="black", marker="o", markersize=4, lw=1.4))
            labels.append("build: start -> online")
        ax.legend(handles, labels, loc="upper left", fontsize=8.5, ncol=len(labels))
        ax.tick_params(labelbottom=k == len(groups) - 1)
    share_x.set_xticks(years, [str(y) for y in years], rotation=45 if len(years) > 20 else 0)
    share_x.set_xlim(years[0] - 0.7, years[-1] + 0.7)
    fig.axes[-1].set_xlabel("year")
    side = fig.add_subplot(grid[:, 1])
    side.set_axis_off()
    lines = ["Build decisions", "", " n  start  online  option", "     capacity added"]
    for _, b in plan.iterrows():
        added = f"+{b['added']:,.0f} {b['unit']}" if pd.notna(b["added"]) else ""
        lines += [f"{int(b['n']):>2}  {int(b['year'])}   {int(b['online'])}    {b['option']}",
                  f"     {pretty(b['technology'])} {added}"]
    if plan.empty:
        lines.append("(no new plants)")
    side.text(0.0, 1.0, "\n".join(lines), va="top", ha="left", family="monospace", fontsize=8.5,
              transform=side.transAxes)
    fig.suptitle(title)
    fig.tight_layout()
    return save(fig, path)


def _share_column(frame: pd.DataFrame, target_year: int | None) -> tuple[str | None, str]:
    """The import-share column of the target year (else the last year) and that year."""
    found = {}
    for c in frame.columns:
        m = re.fullmatch(r"(?:share_|import share )(\d{4})", str(c))
        if m:
            found[int(m.group(1))] = c
    if not found:
        return None, ""
    year = target_year if target_year in found else max(found)
    return found[year], str(year)


def _pad(lo: float, hi: float) -> tuple[float, float]:
    pad = max(0.08 * (hi - lo), 0.02 * max(abs(hi), abs(lo)), 1e-9)
    return lo - pad, hi + pad


def plot_budget_pareto(frame: pd.DataFrame, path: Path, budget_unit: str = "",
                       objective_unit: str = "MUSD of the base year",
                       target_year: int | None = None) -> Path:
    """Least discounted total cost and import share against the total capital budget.

    Top: discounted total cost (``objective``, left axis) and the import share of the target year
    (``share_<year>``, right axis, %) against the budget in its own currency (``budget_in_unit``,
    else ``budget``). Bottom: capital the plan spends (``capex`` converted at the budget's rate)
    beside the budget. Infeasible budgets are crosses on the x axis.

    Parameters
    ----------
    frame : DataFrame
        :func:`tea.optimize.pareto.pareto` columns.
    budget_unit : str
        Currency of ``budget_in_unit`` (e.g. ``"RUB_2025"``).
    objective_unit : str
        Unit of ``objective`` and ``capex``.
    target_year : int, optional
        Year of the import share shown (default: the last year in the frame).
    """
    title = "What the budget buys"
    xcol = "budget_in_unit" if "budget_in_unit" in frame else column(frame, "budget")
    ycol = column(frame, "objective")
    if frame.empty or xcol is None or ycol is None:
        return no_data(path, title)
    frame = frame.sort_values(xcol).reset_index(drop=True)
    ok = frame[ycol].notna()
    if "status" in frame:
        ok &= frame["status"].astype(str).str.lower().isin(["optimal", "feasible", "ok"])
    x_unit = budget_unit or (f"{frame.attrs['budget_unit']}" if "budget_unit" in frame.attrs
                             else "budget's currency")
    if xcol != "budget_in_unit":
        x_unit = unit_of(xcol) or x_unit
    x_div, x_label = money_scale(frame[xcol], x_unit)
    x = frame[xcol].to_numpy(float) / x_div
    has_capex = "capex" in frame and "budget" in frame and xcol == "budget_in_unit" \
        and frame.loc[ok, "capex"].notna().any()
    fig = new_figure(9.5, 7.5 if has_capex else 5.5)
    ax = fig.add_subplot(2 if has_capex else 1, 1, 1)
    y = frame[ycol].to_numpy(float)
    if unit_of(ycol):  # a unit in the column name wins, scaled to bn or mn
        y_div, objective_unit = money_scale(y, unit_of(ycol))
        y = y / y_div
    handles = ax.plot(x[ok], y[ok], "o-", color="#0072b2", label="discounted total cost")
    if ok.any():
        ax.set_ylim(*_pad(float(np.nanmin(y[ok])), float(np.nanmax(y[ok]))))
    if (~ok).any():
        flat = blended_transform_factory(ax.transData, ax.transAxes)
        handles += ax.plot(x[~ok], np.full(int((~ok).sum()), 0.04), "X", color="#c0392b",
                           markersize=10, transform=flat, linestyle="none",
                           label="infeasible (no plan meets the targets)")
    ax.set_ylabel(f"discounted total cost [{objective_unit}]")
    ax.yaxis.set_major_formatter(thousands)
    ax.grid(alpha=0.3)
    share, year = _share_column(frame, target_year)
    if share is not None:
        ax2 = ax.twinx()
        handles += ax2.plot(x[ok], 100 * frame.loc[ok, share].to_numpy(float), "s--",
                            color="#e69f00", label=f"import share {year}")
        ax2.set_ylabel(f"import share {year} [% of REO delivered]")
        ax2.set_ylim(0.0, 105.0)
    ax.legend(handles=handles, loc="upper right", fontsize=9)
    ax.set_title(title)
    if not has_capex:
        ax.set_xlabel(f"total capital budget [{x_label}]")
    if has_capex:
        rate = frame["budget_in_unit"].to_numpy(float) / frame["budget"].to_numpy(float)
        spent = frame["capex"].to_numpy(float) * rate / x_div
        low = fig.add_subplot(2, 1, 2, sharex=ax)
        width = 0.5 * float(np.min(np.diff(x))) if len(x) > 1 else 0.5
        low.bar(x[ok], spent[ok], width=width, color="#0072b2", alpha=0.8,
                label="capital spent by the plan")
        low.plot(x, x, ":", color="black", label="budget (all of it spent)")
        for xi, si in zip(x[ok], spent[ok], strict=True):
            low.text(xi, si, f"{si:,.0f}", ha="center", va="bottom", fontsize=8.5)
        low.set_ylabel(f"capital [{x_label}]")
        low.set_xlabel(f"total capital budget [{x_label}]")
        low.yaxis.set_major_formatter(thousands)
        low.set_ylim(0.0, float(np.nanmax(x)) * 1.08)
        low.grid(axis="y", alpha=0.3)
        low.legend(loc="upper left", fontsize=9)
    ax.xaxis.set_major_formatter(thousands)
    fig.tight_layout()
    return save(fig, path)


__all__ = ["TECHNOLOGY_UNITS", "plot_build_plan", "plot_budget_pareto"]
