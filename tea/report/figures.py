"""Report figures: one function per PNG, each ``plot_<name>(frame, path) -> Path``.

Figures are drawn on :class:`matplotlib.figure.Figure` objects with the Agg canvas (no pyplot, no
global backend switch), saved without a "Software" or date entry so the same table gives the same
file. Every function copes with an empty frame by drawing a labelled "no data" figure.

Column names follow :class:`tea.report.bundle.RunBundle`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch, PathPatch, Rectangle
from matplotlib.path import Path as MplPath
from matplotlib.ticker import FuncFormatter

DPI = 120
"""Resolution of the saved PNGs [dots per inch]."""

REGION_COLOURS = {
    "Russia": "#c0392b",
    "China": "#e69f00",
    "US/Australia": "#0072b2",
    "US": "#0072b2",
    "Australia": "#56b4e9",
    "EU": "#009e73",
}
"""Fixed colours for the usual regions; others take the palette below in sorted order."""

PALETTE = ("#cc79a7", "#999999", "#8c564b", "#17becf", "#bcbd22", "#9467bd", "#2ca02c",
           "#1f77b4", "#ff7f0e", "#d62728")

FIGURES = ("supply_cost_curve", "purity_cost_curve", "build_plan", "element_flow_sankey",
           "cost_waterfall", "budget_pareto")
"""The figure names (PNG stems) a report holds, in report order."""

thousands = FuncFormatter(lambda x, _pos: f"{x:,.0f}")
"""Tick formatter with thousands separators."""


def _figure(width: float = 9.0, height: float = 5.5) -> Figure:
    fig = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


def _save(fig: Figure, path: Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format="png", dpi=DPI, metadata={"Software": None})
    return path


def _no_data(path: Path, title: str) -> Path:
    fig = _figure(7.0, 3.5)
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.set_title(title, fontsize=13)
    ax.text(0.5, 0.5, "no data", ha="center", va="center", fontsize=16, color="#777777",
            transform=ax.transAxes)
    return _save(fig, path)


def _colours(names) -> dict[str, str]:
    out, k = {}, 0
    for name in sorted(set(names)):
        if name in REGION_COLOURS:
            out[name] = REGION_COLOURS[name]
        else:
            out[name] = PALETTE[k % len(PALETTE)]
            k += 1
    return out


def _column(frame: pd.DataFrame, prefix: str) -> str | None:
    """The first column whose name starts with ``prefix`` (None if none)."""
    return next((c for c in frame.columns if str(c).startswith(prefix)), None)


def plot_supply_cost_curve(frame: pd.DataFrame, path: Path) -> Path:
    """Supply cost curve: options as steps, cheapest first, coloured by region.

    x: cumulative capacity [t/yr]; y: levelized cost [USD/kg]; bar width = the option's capacity.
    One panel per product.
    """
    title = "Supply cost curve"
    cap, cost = "capacity [t/yr]", "levelized cost [USD/kg]"
    if frame.empty or cap not in frame or cost not in frame:
        return _no_data(path, title)
    frame = frame.dropna(subset=[cap, cost])
    products = sorted(frame["product"].astype(str).unique()) if "product" in frame else [""]
    colours = _colours(frame["region"].astype(str)) if "region" in frame else {}
    fig = _figure(13.0, 1.5 + 4.5 * len(products))
    for k, product in enumerate(products):
        ax = fig.add_subplot(len(products), 1, k + 1)
        part = frame if product == "" else frame[frame["product"].astype(str) == product]
        part = part.sort_values([cost, "option"] if "option" in part else [cost], kind="stable")
        left = np.concatenate([[0.0], np.cumsum(part[cap].to_numpy(float))[:-1]])
        total = float(part[cap].sum())
        key = []
        for n, (x0, (_, row)) in enumerate(zip(left, part.iterrows(), strict=True), start=1):
            region = str(row.get("region", ""))
            ax.add_patch(Rectangle((x0, 0.0), row[cap], row[cost],
                                   facecolor=colours.get(region, "#777777"), edgecolor="white",
                                   linewidth=0.8))
            ax.text(x0 + row[cap] / 2, row[cost], str(n), ha="center", va="bottom", fontsize=9,
                    fontweight="bold")
            key.append(f"{n:>2}  {row.get('option', '')}: {row[cost]:,.1f} USD/kg, "
                       f"{row[cap]:,.0f} t/yr")
        ax.text(1.02, 1.0, "\n".join(key), transform=ax.transAxes, va="top", ha="left",
                fontsize=8.5, family="monospace")
        ax.set_xlim(0.0, max(total, 1.0) * 1.01)
        ax.set_ylim(0.0, max(float(part[cost].max()), 1.0) * 1.12)
        ax.xaxis.set_major_formatter(thousands)
        ax.yaxis.set_major_formatter(thousands)
        ax.set_xlabel("cumulative capacity [t/yr]")
        ax.set_ylabel("levelized cost [USD/kg]")
        ax.set_title(f"{title}: {product}" if product else title)
        ax.grid(axis="y", alpha=0.3)
        ax.legend(handles=[Patch(color=c, label=r) for r, c in colours.items()
                           if r in set(part["region"].astype(str))],
                  title="region", loc="upper left", fontsize=9)
    fig.tight_layout()
    return _save(fig, path)


def _purity_label(p: float) -> str:
    return f"{100 * p:.6f}".rstrip("0").rstrip(".") + " %"


def plot_purity_cost_curve(frame: pd.DataFrame, path: Path) -> Path:
    """Levelized cost of a separated product against target purity, with the SX stage count.

    x: target purity, spaced by -log10(1 - purity) and labelled 99.5 ... 99.999 %;
    left y: levelized cost [USD/kg]; right y: total stages of the separation train.
    """
    title = "Purity-cost curve"
    cost = "levelized cost [USD/kg]"
    if frame.empty or "purity" not in frame or cost not in frame:
        return _no_data(path, title)
    frame = frame.sort_values("purity")
    purity = frame["purity"].to_numpy(float)
    x = -np.log10(np.clip(1.0 - purity, 1e-12, None))
    fig = _figure()
    ax = fig.add_subplot()
    line = ax.plot(x, frame[cost], "o-", color="#0072b2", label="levelized cost")
    ax.set_xticks(x, [_purity_label(p) for p in purity])
    ax.set_xlabel("target purity [% of RE content] (spaced by 1 - purity)")
    ax.set_ylabel("levelized cost [USD/kg]")
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:,.2f}"))
    ax.grid(alpha=0.3)
    handles = list(line)
    if "total stages" in frame:
        ax2 = ax.twinx()
        handles += ax2.plot(x, frame["total stages"], "s--", color="#c0392b",
                            label="total SX stages")
        ax2.set_ylabel("total stages [-]")
        ax2.yaxis.set_major_formatter(thousands)
    ax.legend(handles=handles, loc="upper left")
    ax.set_title(title)
    fig.tight_layout()
    return _save(fig, path)


def plot_build_plan(capacity: pd.DataFrame, build_plan: pd.DataFrame, path: Path) -> Path:
    """Installed capacity by technology over the years (stacked bars), build years marked.

    One panel per capacity unit (technologies in different units are not stacked together).
    A triangle above a year's bar marks a build decision there, labelled with the option.
    """
    title = "Build plan: installed capacity by technology"
    if capacity.empty or not {"year", "technology", "capacity"} <= set(capacity.columns):
        return _no_data(path, title)
    cap = capacity.copy()
    cap["unit"] = cap["unit"].astype(str) if "unit" in cap else ""
    units = sorted(cap["unit"].unique())
    years = sorted(cap["year"].unique())
    colours = _colours(cap["technology"].astype(str))
    fig = _figure(10.0, 1.5 + 3.6 * len(units))
    for k, unit in enumerate(units):
        ax = fig.add_subplot(len(units), 1, k + 1)
        part = cap[cap["unit"] == unit].pivot_table(index="year", columns="technology",
                                                    values="capacity", aggfunc="sum")
        part = part.reindex(years, fill_value=0.0).fillna(0.0)
        bottom = np.zeros(len(years))
        for tech in part.columns:
            ax.bar(years, part[tech], bottom=bottom, color=colours[str(tech)], label=str(tech),
                   width=0.7)
            bottom += part[tech].to_numpy(float)
        top = max(float(bottom.max()), 1.0)
        if not build_plan.empty and {"year", "technology"} <= set(build_plan.columns):
            built = build_plan[build_plan["technology"].isin(part.columns)]
            for year, group in built.groupby("year", sort=True):
                i = years.index(year) if year in years else None
                y = (bottom[i] if i is not None else 0.0) + 0.03 * top
                label = ", ".join(sorted(group.get("option", group["technology"]).astype(str)))
                ax.plot([year], [y], marker="v", color="black", markersize=8)
                ax.annotate(f"build: {label}", (year, y), textcoords="offset points",
                            xytext=(0, 8), ha="center", fontsize=8, rotation=0)
        ax.set_ylim(0.0, top * 1.35)
        ax.set_xticks(years, [str(y) for y in years])
        ax.yaxis.set_major_formatter(thousands)
        ax.set_xlabel("year")
        ax.set_ylabel(f"installed capacity [{unit}]" if unit else "installed capacity")
        ax.set_title(title if len(units) == 1 else f"{title} ({unit})")
        ax.grid(axis="y", alpha=0.3)
        ax.legend(title="technology", loc="upper left", fontsize=9)
    fig.tight_layout()
    return _save(fig, path)


def _stage_columns(links: pd.DataFrame) -> dict[str, int]:
    """Column of each chain stage: longest path from a stage with no inflow (cycles cut)."""
    nodes = list(dict.fromkeys([*links["source"], *links["target"]]))
    depth = dict.fromkeys(nodes, 0)
    for _ in range(len(nodes)):
        changed = False
        for s, t in zip(links["source"], links["target"], strict=True):
            if depth[s] + 1 > depth[t] and depth[s] + 1 < len(nodes):
                depth[t] = depth[s] + 1
                changed = True
        if not changed:
            break
    return depth


def _band(ax, x0, y0, x1, y1, width, colour):
    """A filled band of constant vertical width from (x0, y0 bottom) to (x1, y1 bottom)."""
    xm = (x0 + x1) / 2
    verts = [(x0, y0), (xm, y0), (xm, y1), (x1, y1), (x1, y1 + width), (xm, y1 + width),
             (xm, y0 + width), (x0, y0 + width), (x0, y0)]
    codes = [MplPath.MOVETO, MplPath.CURVE4, MplPath.CURVE4, MplPath.CURVE4, MplPath.LINETO,
             MplPath.CURVE4, MplPath.CURVE4, MplPath.CURVE4, MplPath.CLOSEPOLY]
    ax.add_patch(PathPatch(MplPath(verts, codes), facecolor=colour, edgecolor="none", alpha=0.6))


def plot_element_flow_sankey(frame: pd.DataFrame, path: Path) -> Path:
    """Element flows between chain stages as a Sankey-like diagram.

    Stages are grey boxes in columns (upstream left); each band is one element's flow from a
    stage to the next, its height proportional to the flow [t/yr], coloured by element.
    """
    title = "Element flows between chain stages"
    flow = _column(frame, "flow")
    if frame.empty or flow is None or not {"source", "target"} <= set(frame.columns):
        return _no_data(path, title)
    links = frame[(frame[flow] > 0) & (frame["source"] != frame["target"])].copy()
    if links.empty:
        return _no_data(path, title)
    links["element"] = links["element"].astype(str) if "element" in links else "total"
    links["source"] = links["source"].astype(str)
    links["target"] = links["target"].astype(str)
    depth = _stage_columns(links)
    inflow = links.groupby("target")[flow].sum()
    outflow = links.groupby("source")[flow].sum()
    size = {n: max(inflow.get(n, 0.0), outflow.get(n, 0.0)) for n in depth}
    n_cols = max(depth.values()) + 1
    col_total = [sum(size[n] for n in depth if depth[n] == c) for c in range(n_cols)]
    gap = 0.1
    per_col = [sum(1 for n in depth if depth[n] == c) for c in range(n_cols)]
    scale = min((1.0 - gap * (k - 1)) / t for k, t in zip(per_col, col_total, strict=True) if t)
    box_w = 0.12
    pos = {}
    for c in range(n_cols):
        names = [n for n in depth if depth[n] == c]
        used = sum(size[n] * scale for n in names) + gap * (len(names) - 1)
        y = (1.0 - used) / 2
        for name in names:
            pos[name] = (c, y)
            y += size[name] * scale + gap
    elements = list(dict.fromkeys(links["element"]))
    colours = _colours(elements)
    fig = _figure(11.0, 6.0)
    ax = fig.add_subplot()
    links = links.reset_index(drop=True)
    links["_h"] = links[flow] * scale
    links["_e"] = links["element"].map(elements.index)
    links["_ys"] = links["source"].map(lambda n: pos[n][1])
    links["_yt"] = links["target"].map(lambda n: pos[n][1])
    # stack bands so that they leave and arrive in the vertical order of their far ends
    start, end = {}, {}
    for node, group in links.sort_values(["_yt", "_e"], kind="stable").groupby("source"):
        start.update(zip(group.index, pos[node][1] + group["_h"].cumsum() - group["_h"],
                         strict=True))
    for node, group in links.sort_values(["_ys", "_e"], kind="stable").groupby("target"):
        end.update(zip(group.index, pos[node][1] + group["_h"].cumsum() - group["_h"],
                       strict=True))
    for i, row in links.iterrows():
        _band(ax, pos[row["source"]][0] + box_w, start[i], pos[row["target"]][0], end[i],
              row["_h"], colours[row["element"]])
    for name, (c, y) in pos.items():
        h = size[name] * scale
        ax.add_patch(Rectangle((c, y), box_w, h, facecolor="#555555", edgecolor="black"))
        ax.text(c + box_w / 2, y + h + 0.01, f"{name}\n{size[name]:,.0f} t/yr", ha="center",
                va="bottom", fontsize=8.5,
                bbox={"facecolor": "white", "alpha": 0.7, "edgecolor": "none", "pad": 1.0})
    ax.set_xlim(-0.1, n_cols - 1 + box_w + 0.1)
    ax.set_ylim(-0.02, 1.12)
    ax.set_axis_off()
    ax.legend(handles=[Patch(color=colours[e], alpha=0.6, label=e) for e in elements],
              title="element (flow in t/yr)", loc="upper center", bbox_to_anchor=(0.5, -0.01),
              ncol=min(len(elements), 8), fontsize=9)
    ax.set_title(title)
    fig.tight_layout()
    return _save(fig, path)


def plot_cost_waterfall(frame: pd.DataFrame, path: Path) -> Path:
    """Levelized cost of the headline product built up step by step, ending in the total.

    A row named "total" in the frame is ignored: the total bar is the sum of the steps.
    """
    title = "Levelized cost by chain step"
    cost = _column(frame, "cost")
    if frame.empty or cost is None or "step" not in frame:
        return _no_data(path, title)
    steps = frame[frame["step"].astype(str).str.lower() != "total"]
    values = steps[cost].to_numpy(float)
    start = np.concatenate([[0.0], np.cumsum(values)[:-1]])
    total = float(values.sum())
    labels = [*steps["step"].astype(str), "total"]
    unit = cost[cost.find("[") + 1:cost.find("]")] if "[" in cost else ""
    fig = _figure(max(8.0, 1.1 * len(labels) + 2), 5.5)
    ax = fig.add_subplot()
    x = np.arange(len(labels))
    colours = ["#c0392b" if v >= 0 else "#009e73" for v in values]
    ax.bar(x[:-1], values, bottom=start, color=colours, width=0.6)
    ax.bar(x[-1], total, color="#0072b2", width=0.6)
    ends = start + values
    for i in range(len(values) - 1):
        ax.plot([x[i] + 0.3, x[i + 1] - 0.3], [ends[i], ends[i]], color="black", lw=0.8)
    for i, v in enumerate([*values, total]):
        top = (start[i] + max(v, 0.0)) if i < len(values) else max(total, 0.0)
        ax.text(x[i], top, f"{v:+,.2f}" if i < len(values) else f"{v:,.2f}", ha="center",
                va="bottom", fontsize=9)
    ax.set_xticks(x, labels, rotation=20, ha="right")
    ax.set_ylabel(f"levelized cost [{unit}]" if unit else "levelized cost")
    ax.set_ylim(min(0.0, float(np.min(np.concatenate([start, ends])))),
                max(total, float(np.max(ends)), 1e-9) * 1.15)
    ax.grid(axis="y", alpha=0.3)
    ax.set_title(title)
    fig.tight_layout()
    return _save(fig, path)


def _scale(values: pd.Series, label: str) -> tuple[float, str]:
    """Divisor and axis label for large money values (billions or millions)."""
    top = float(np.nanmax(np.abs(values.to_numpy(float)))) if values.notna().any() else 0.0
    for div, word in ((1e9, "bn"), (1e6, "mn")):
        if top >= div and "[" in label:
            name, unit = label.split("[", 1)
            return div, f"{name}[{word} {unit}"
    return 1.0, label


def plot_budget_pareto(frame: pd.DataFrame, path: Path) -> Path:
    """Objective against capital budget, with the import share on a second axis.

    x: budget in its currency (column ``budget [...]``); left y: objective (``objective [...]``);
    right y: import share [%] (first ``import share ...`` column). Infeasible points (status other
    than optimal/feasible) are drawn as crosses at the bottom.
    """
    title = "What the budget buys"
    budget, objective = _column(frame, "budget"), _column(frame, "objective")
    if frame.empty or budget is None or objective is None:
        return _no_data(path, title)
    frame = frame.sort_values(budget)
    ok = frame[objective].notna()
    if "status" in frame:
        ok &= frame["status"].astype(str).str.lower().isin(["optimal", "feasible", "ok"])
    x_div, x_label = _scale(frame[budget], budget)
    y_div, y_label = _scale(frame[objective], objective)
    fig = _figure()
    ax = fig.add_subplot()
    handles = ax.plot(frame.loc[ok, budget] / x_div, frame.loc[ok, objective] / y_div, "o-",
                      color="#0072b2", label="objective")
    if (~ok).any():
        handles += ax.plot(frame.loc[~ok, budget] / x_div, np.zeros(int((~ok).sum())), "x",
                           color="black", markersize=9, label="infeasible (no plan)")
    ax.set_xlabel(x_label)
    ax.set_ylabel(y_label)
    ax.xaxis.set_major_formatter(thousands)
    ax.yaxis.set_major_formatter(thousands)
    ax.grid(alpha=0.3)
    share = _column(frame, "import share")
    if share is not None:
        ax2 = ax.twinx()
        handles += ax2.plot(frame.loc[ok, budget] / x_div, 100 * frame.loc[ok, share], "s--",
                            color="#c0392b", label=share)
        ax2.set_ylabel(f"{share} [%]")
        ax2.set_ylim(0.0, 105.0)
    ax.legend(handles=handles, loc="best")
    ax.set_title(title)
    fig.tight_layout()
    return _save(fig, path)


def write_figures(bundle, figures_dir: Path) -> dict[str, Path]:
    """Draw all report figures of a :class:`~tea.report.bundle.RunBundle` into ``figures_dir``.

    Returns
    -------
    dict[str, Path]
        Figure name (see :data:`FIGURES`) -> PNG path.
    """
    figures_dir = Path(figures_dir)
    draw = {
        "supply_cost_curve": lambda p: plot_supply_cost_curve(bundle.supply_curve, p),
        "purity_cost_curve": lambda p: plot_purity_cost_curve(bundle.purity_curve, p),
        "build_plan": lambda p: plot_build_plan(bundle.capacity, bundle.build_plan, p),
        "element_flow_sankey": lambda p: plot_element_flow_sankey(bundle.element_flows, p),
        "cost_waterfall": lambda p: plot_cost_waterfall(bundle.waterfall, p),
        "budget_pareto": lambda p: plot_budget_pareto(bundle.pareto, p),
    }
    return {name: draw[name](figures_dir / f"{name}.png") for name in FIGURES}


__all__ = ["FIGURES", "plot_supply_cost_curve", "plot_purity_cost_curve", "plot_build_plan",
           "plot_element_flow_sankey", "plot_cost_waterfall", "plot_budget_pareto",
           "write_figures"]
