"""Cost figures: supply cost curve, purity-cost curve and the cost-by-step waterfall."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import FuncFormatter

from tea.analysis.curves import (
    DRAWN,
    END,
    KIND,
    LINE,
    MODEL,
    START,
    STEP,
    YEAR,
    price_lines,
    supply_steps,
)
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

CAP, COST = "capacity [t/yr]", "levelized cost [USD/kg]"
PRICE_COLOUR = "#333333"


def _main_product(frame: pd.DataFrame) -> str:
    """The product to draw large: most regions (the references), then most options, then name."""
    stats = frame.groupby("product").agg(regions=("region", "nunique"), rows=("region", "size"))
    stats = stats.reset_index().sort_values(["regions", "rows", "product"],
                                            ascending=[False, False, True], kind="stable")
    return str(stats["product"].iloc[0])


def _kind(row) -> str:
    kind = row.get(KIND, MODEL)
    return MODEL if pd.isna(kind) else str(kind)


def _what(row) -> str:
    """How a step is described in the key: a model's option, a published cost, a derived one."""
    kind = _kind(row)
    if kind == "production_cost":
        year = row.get(YEAR)
        known = isinstance(year, int | float | np.integer) and pd.notna(year)
        return "published cost" + (f" {int(year)}" if known else "")
    if kind == "derived":
        return "derived, not published"
    return "model option"


def _curve(ax, steps: pd.DataFrame, lines: pd.DataFrame, region_colour: dict[str, str]
           ) -> list[str]:
    """Draw one product's supply steps and price lines on ``ax``; returns the key lines.

    Steps (:func:`tea.analysis.curves.supply_steps`): a model's option filled in its region's
    colour, a published cost lighter with a dark edge, a derived row hatched with a dashed edge
    and labelled "derived". Market prices (:func:`tea.analysis.curves.price_lines`): dashed
    horizontal lines across the axis, labelled; they are not supply.
    """
    key = []
    for n, (_, row) in enumerate(steps.iterrows(), start=1):
        region, kind = str(row.get("region", "")), _kind(row)
        colour = region_colour.get(region, "#777777")
        style = {"facecolor": colour, "edgecolor": "white", "linewidth": 0.8}
        if kind == "production_cost":
            style.update(alpha=0.6, edgecolor="black", linewidth=1.0)
        elif kind == "derived":
            style.update(facecolor="none", edgecolor=colour, hatch="///", linestyle="--",
                         linewidth=1.2)
        ax.add_patch(Rectangle((row[START], 0.0), row[CAP], row[COST], **style))
        tag = f"{n} derived" if kind == "derived" else str(n)
        ax.text(row[START] + row[CAP] / 2, row[COST], tag, ha="center", va="bottom", fontsize=9,
                fontweight="bold")
        key.append(f"{n:>2}  {pretty(row.get('option', ''))}\n    {row[COST]:,.1f} USD/kg, "
                   f"{row[CAP]:,.0f} t/yr ({_what(row)})")
    width = max(float(steps[END].max()) if not steps.empty else 0.0, 1.0) * 1.01
    for _, row in lines.iterrows():
        ax.axhline(row[COST], color=PRICE_COLOUR, linestyle=(0, (5, 3)), linewidth=1.2, zorder=3)
        ax.text(width * 0.995, row[COST], f"{pretty(row['option'])}: {row[COST]:,.0f} USD/kg "
                "(market price)", ha="right", va="bottom", fontsize=8, zorder=4,
                bbox={"facecolor": "white", "alpha": 0.75, "edgecolor": "none", "pad": 1.0})
    top = max([1.0, *steps[COST].astype(float), *lines[COST].astype(float)])
    ax.set_xlim(0.0, width)
    ax.set_ylim(0.0, top * (1.4 if not lines.empty else 1.12))  # room for legends above lines
    ax.xaxis.set_major_formatter(thousands)
    ax.yaxis.set_major_formatter(thousands)
    ax.set_xlabel("cumulative capacity [t/yr]")
    ax.set_ylabel("levelized cost; published cost or price [USD/kg]")
    ax.grid(axis="y", alpha=0.3)
    regions = ax.legend(handles=[Patch(color=c, label=r) for r, c in region_colour.items()
                                 if r in set(steps["region"].astype(str))],
                        title="region", loc="upper left", fontsize=9)
    kinds = {_kind(r) for _, r in steps.iterrows()}
    styles = [(MODEL, Patch(facecolor="#777777", label="model option (levelized cost)")),
              ("production_cost", Patch(facecolor="#777777", alpha=0.6, edgecolor="black",
                                        label="published project cost")),
              ("derived", Patch(facecolor="none", edgecolor="#777777", hatch="///",
                                linestyle="--", label="derived, not published"))]
    handles = [h for k, h in styles if k in kinds]
    if not lines.empty:
        handles.append(Line2D([], [], color=PRICE_COLOUR, linestyle=(0, (5, 3)),
                              label="market price (not supply)"))
    if handles and (len(handles) > 1 or MODEL not in kinds):
        ax.add_artist(regions)
        ax.legend(handles=handles, loc="upper center", fontsize=9)
    return key


def plot_supply_cost_curve(frame: pd.DataFrame, path: Path) -> Path:
    """Supply cost curve of the product with references, the other products as a table.

    Large panel: the product with the most regions (NdPr oxide in the default model), its supply
    steps (the models' options, published project costs and derived rows; not market prices),
    cheapest first, coloured by region; x: cumulative capacity [t/yr], y: levelized or published
    cost [USD/kg], bar width = the option's capacity; numbered, with a key at the right. Market
    prices are dashed horizontal lines, labelled; derived rows hatched and labelled "derived";
    estimates superseded by a later one of the same project are listed under the key, not drawn.
    Below the key: a table of the other products' supply steps (region, capacity, cost).
    """
    title = "Supply cost curve"
    if frame.empty or CAP not in frame or COST not in frame:
        return no_data(path, title)
    frame = frame.dropna(subset=[COST]).copy()
    frame["product"] = frame["product"].astype(str) if "product" in frame else ""
    frame["region"] = frame["region"].astype(str) if "region" in frame else ""
    steps = supply_steps(frame)
    if steps.empty:
        return no_data(path, title)
    main = _main_product(frame)
    main_steps, lines = supply_steps(frame, main), price_lines(frame, main)
    others = steps[steps["product"] != main].sort_values(["product", COST], kind="stable")
    if DRAWN in frame:
        listed = frame[(frame["product"] == main)
                       & ~frame[DRAWN].fillna(STEP).astype(str).isin([STEP, LINE])]
    else:
        listed = frame.iloc[0:0]
    fig = new_figure(14.0, max(6.5, 4.2 + 0.3 * (len(frame))))
    grid = fig.add_gridspec(2, 2, width_ratios=(2.0, 1.0), height_ratios=(1.0, 1.0))
    ax = fig.add_subplot(grid[:, 0])
    key = _curve(ax, main_steps, lines, colours(steps["region"]))
    ax.set_title(f"{title}: {pretty(main)}" if main else title)
    side = fig.add_subplot(grid[0, 1])
    side.set_axis_off()
    text = ["Supply steps, cheapest first", "", *key]
    if not lines.empty:
        text += ["", "Market prices (lines, not supply)",
                 *(f"    {pretty(r['option'])}: {r[COST]:,.1f} USD/kg" for _, r in lines.iterrows())]
    if not listed.empty:
        text += ["", "Not drawn",
                 *(f"    {pretty(r['option'])}: {r[COST]:,.1f} USD/kg\n    ({r[DRAWN]})"
                   for _, r in listed.iterrows())]
    side.text(0.0, 1.0, "\n".join(text), va="top", ha="left", transform=side.transAxes,
              fontsize=8.5, family="monospace")
    low = fig.add_subplot(grid[1, 1])
    low.set_axis_off()
    if not others.empty:
        cells = [[pretty(r["product"]), r["region"], f"{r[CAP]:,.0f}", f"{r[COST]:,.1f}"]
                 for _, r in others.iterrows()]
        table = low.table(cellText=cells, colLabels=["product", "region", "capacity\n[t/yr]",
                                                     "levelized cost\n[USD/kg]"],
                          loc="upper center", cellLoc="center", colLoc="center")
        table.auto_set_font_size(False)
        table.set_fontsize(8.5)
        table.scale(1.0, 1.35)
        for (r, _c), cell in table.get_celld().items():
            if r == 0:
                cell.set_height(cell.get_height() * 1.8)
                cell.set_facecolor("#eeeeee")
        low.set_title("Other products (domestic options)", fontsize=10)
    fig.tight_layout()
    return save(fig, path)


def purity_label(p: float) -> str:
    """A purity fraction as a percent with the digits it needs (0.9999 -> "99.99 %")."""
    return f"{100 * p:.6f}".rstrip("0").rstrip(".") + " %"


def plot_purity_cost_curve(frame: pd.DataFrame, path: Path) -> Path:
    """Levelized cost of a separated product against target purity, with the SX stage count.

    x: target purity, spaced by -log10(1 - purity) and labelled 99.5 ... 99.999 %;
    left y: levelized cost [USD/kg]; right y: total stages of the separation train.
    """
    title = "Purity-cost curve"
    if frame.empty or "purity" not in frame or COST not in frame:
        return no_data(path, title)
    frame = frame.sort_values("purity")
    purity = frame["purity"].to_numpy(float)
    x = -np.log10(np.clip(1.0 - purity, 1e-12, None))
    fig = new_figure()
    ax = fig.add_subplot()
    line = ax.plot(x, frame[COST], "o-", color="#0072b2", label="levelized cost")
    ax.set_xticks(x, [purity_label(p) for p in purity])
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
    return save(fig, path)


def plot_cost_waterfall(frame: pd.DataFrame, path: Path, title: str | None = None) -> Path:
    """Cost built up step by step along the chain, ending in the total.

    A cost per unit (``cost [USD/kg]``) is drawn as the levelized cost of the headline product; a
    money total (``cost [RUB_2025]``) as each step's total cost over the model years, scaled to
    bn or mn, each bar labelled with its value and share of the total. A row named "total" is
    ignored: the total bar is the sum of the steps. ``title`` names the product drawn.
    """
    cost = column(frame, "cost")
    if frame.empty or cost is None or "step" not in frame:
        return no_data(path, "Cost by chain step")
    unit = unit_of(cost)
    per_unit = "/" in unit
    steps = frame[frame["step"].astype(str).str.lower() != "total"]
    raw = steps[cost].to_numpy(float)
    div, shown = (1.0, unit) if per_unit else money_scale(raw, unit)
    values = raw / div
    total = float(values.sum())
    start = np.concatenate([[0.0], np.cumsum(values)[:-1]])
    ends = start + values
    labels = [*(pretty(s) for s in steps["step"]), "total"]
    fig = new_figure(max(8.0, 1.1 * len(labels) + 2), 5.5)
    ax = fig.add_subplot()
    x = np.arange(len(labels))
    ax.bar(x[:-1], values, bottom=start, width=0.6,
           color=["#c0392b" if v >= 0 else "#009e73" for v in values])
    ax.bar(x[-1], total, color="#0072b2", width=0.6)
    for i in range(len(values) - 1):
        ax.plot([x[i] + 0.3, x[i + 1] - 0.3], [ends[i], ends[i]], color="black", lw=0.8)
    digits = 2 if per_unit or abs(total) < 100 else 1
    for i, v in enumerate([*values, total]):
        top = (start[i] + max(v, 0.0)) if i < len(values) else max(total, 0.0)
        text = f"{v:+,.{digits}f}" if i < len(values) else f"{v:,.{digits}f}"
        if total and i < len(values):
            text += f"\n({100 * v / total:.0f} %)"
        ax.text(x[i], top, text, ha="center", va="bottom", fontsize=9)
    ax.set_xticks(x, labels, rotation=20, ha="right")
    what = "levelized cost" if per_unit else "total cost over the model years"
    ax.set_ylabel(f"{what} [{shown}]" if shown else what)
    tick = 0 if max(abs(total), float(np.max(np.abs(ends)))) >= 100 else 2 if per_unit else 1
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:,.{tick}f}"))
    ax.set_ylim(min(0.0, float(np.min(np.concatenate([start, ends])))),
                max(total, float(np.max(ends)), 1e-9) * 1.18)
    ax.grid(axis="y", alpha=0.3)
    ax.set_title(title or ("Levelized cost by chain step" if per_unit
                           else "Cost by chain step, total over the model years"))
    fig.tight_layout()
    return save(fig, path)


__all__ = ["plot_supply_cost_curve", "plot_purity_cost_curve", "plot_cost_waterfall",
           "purity_label"]
