"""Element flow figures: production by chain stage and element, or links between stages."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.patches import Patch, PathPatch, Rectangle
from matplotlib.path import Path as MplPath

from tea.elements import ELEMENTS
from tea.report.plotting import PALETTE, column, new_figure, no_data, save

TITLE = "Element flows along the chain"

STAGES = {"conc": "mine\n(concentrate)", "mixed": "cracking\n(mixed RE)",
          "oxide": "separation\n(oxides)", "metal": "metal", "magnet": "magnet\n(alloy)",
          "scrap": "recycling\n(scrap)"}
"""Chain order of the produced materials and the stage that makes each."""

SIDE_STAGES = ("scrap",)
"""Materials drawn apart at the right, without bands (they re-enter the chain elsewhere)."""

KEY_ELEMENTS = ("Nd", "Pr", "Dy", "Tb")
"""Elements always shown on their own (magnet elements); the rest below 2 % are grouped."""

ELEMENT_COLOURS = {"La": "#f0e442", "Ce": "#4daf4a", "Pr": "#fd8d3c", "Nd": "#a50f15",
                   "Sm": "#9ecae1", "Eu": "#4292c6", "Gd": "#08519c", "Tb": "#6a3d9a",
                   "Dy": "#cab2d6", "Y": "#8c564b", "other REE": "#bbbbbb",
                   "not element-resolved": "#555555"}
"""Fixed element colours (bands are the same colours, lighter)."""


def _band(ax, x0, y0, h0, x1, y1, h1, colour):
    """A filled band from a bar (x0, y0..y0+h0) to a bar (x1, y1..y1+h1), curved in between."""
    xm = (x0 + x1) / 2
    verts = [(x0, y0), (xm, y0), (xm, y1), (x1, y1), (x1, y1 + h1), (xm, y1 + h1),
             (xm, y0 + h0), (x0, y0 + h0), (x0, y0)]
    codes = [MplPath.MOVETO, MplPath.CURVE4, MplPath.CURVE4, MplPath.CURVE4, MplPath.LINETO,
             MplPath.CURVE4, MplPath.CURVE4, MplPath.CURVE4, MplPath.CLOSEPOLY]
    ax.add_patch(PathPatch(MplPath(verts, codes), facecolor=colour, edgecolor="none", alpha=0.55))


def _element_groups(table: pd.DataFrame) -> pd.DataFrame:
    """Columns: KEY_ELEMENTS and elements >= 2 % of some stage, "other REE", in element order."""
    share = table.div(table.sum(axis=0).replace(0.0, np.nan), axis=1).fillna(0.0)
    keep = [e for e in table.index if e in KEY_ELEMENTS or e == "not element-resolved"
            or share.loc[e].max() >= 0.02]
    rest = [e for e in table.index if e not in keep]
    out = table.loc[keep]
    if rest:
        out = pd.concat([out, table.loc[rest].sum().to_frame("other REE").T])
    order = {e: i for i, e in enumerate(ELEMENTS)}
    order.update({"other REE": len(order), "not element-resolved": len(order) + 1})
    return out.loc[sorted(out.index, key=lambda e: order.get(e, len(order)))]


def plot_stage_flows(frame: pd.DataFrame, path: Path, year: int | None = None) -> Path:
    """Production of each element at each chain stage in one year, joined by bands (alluvial).

    Columns: mine (concentrate) -> cracking (mixed RE) -> separation (oxides) -> metal -> magnet,
    and recycling (scrap) apart at the right. Each column is the year's production of that
    material stacked by element [t/yr, element basis]; a band joins an element's block in one
    column to its block in the next, so its narrowing shows what does not go on to the next stage.
    Minor elements are grouped as "other REE"; a material without elements is one grey block.
    """
    flow = column(frame, "flow")
    table = frame.assign(element=frame["element"].fillna("").astype(str).replace(
        "", "not element-resolved"), material=frame["material"].astype(str))
    table = table.pivot_table(index="element", columns="material", values=flow, aggfunc="sum")
    materials = [m for m in STAGES if m in table.columns] + \
        sorted(m for m in table.columns if m not in STAGES)
    table = _element_groups(table[materials].fillna(0.0).clip(lower=0.0))
    main = [m for m in materials if m not in SIDE_STAGES]
    side = [m for m in materials if m in SIDE_STAGES]
    xs = {m: float(i) for i, m in enumerate(main)}
    xs.update({m: len(main) + 0.4 + i for i, m in enumerate(side)})
    bottoms = table.cumsum() - table
    top = float(table.sum().max())
    colours = {e: ELEMENT_COLOURS.get(e, PALETTE[i % len(PALETTE)])
               for i, e in enumerate(table.index)}
    width = 0.28
    fig = new_figure(13.0, 6.5)
    ax = fig.add_subplot()
    for a, b in zip(main[:-1], main[1:], strict=False):
        for e in table.index:
            if table.at[e, a] > 0 and table.at[e, b] > 0 and e != "not element-resolved":
                _band(ax, xs[a] + width / 2, bottoms.at[e, a], table.at[e, a],
                      xs[b] - width / 2, bottoms.at[e, b], table.at[e, b], colours[e])
    for m in materials:
        for e in table.index:
            if table.at[e, m] > 0:
                ax.add_patch(Rectangle((xs[m] - width / 2, bottoms.at[e, m]), width,
                                       table.at[e, m], facecolor=colours[e], edgecolor="white",
                                       linewidth=0.5))
        total = float(table[m].sum())
        label = f"{STAGES.get(m, m)}\n{total:,.0f} t/yr"
        if total < 0.15 * top:  # small column: say what it holds
            big = table[m][table[m] > 0].sort_values(ascending=False).head(3)
            label += "\n" + ", ".join(f"{e} {v:,.0f}" for e, v in big.items()
                                      if e != "not element-resolved")
        ax.text(xs[m], total + 0.015 * top, label.rstrip(", \n"), ha="center", va="bottom",
                fontsize=9)
    if side:
        ax.axvline(len(main) - 0.3, color="#999999", ls="--", lw=0.8)
    ax.set_xlim(-0.5, max(xs.values()) + 0.5)
    ax.set_ylim(0.0, top * 1.25)
    ax.set_xticks([])
    ax.yaxis.set_major_formatter(lambda v, _p: f"{v:,.0f}")
    ax.set_ylabel("production in the year [t/yr, element basis]")
    for spine in ("top", "right", "bottom"):
        ax.spines[spine].set_visible(False)
    ax.legend(handles=[Patch(color=colours[e], label=e) for e in table.index],
              title="element", loc="upper right", fontsize=9, ncol=2)
    ax.set_title(f"{TITLE}: production in {year}" if year is not None else TITLE)
    fig.tight_layout()
    return save(fig, path)


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


def plot_link_sankey(frame: pd.DataFrame, path: Path) -> Path:
    """Element flows between named stages (``source`` -> ``target``) as a Sankey diagram.

    Stages are grey boxes in columns (upstream left); each band is one element's flow from a
    stage to the next, its height proportional to the flow [t/yr], coloured by element.
    """
    flow = column(frame, "flow")
    links = frame[(frame[flow] > 0) & (frame["source"] != frame["target"])].copy()
    if links.empty:
        return no_data(path, TITLE)
    links["element"] = links["element"].astype(str) if "element" in links else "total"
    links["source"] = links["source"].astype(str)
    links["target"] = links["target"].astype(str)
    depth = _stage_columns(links)
    inflow, outflow = links.groupby("target")[flow].sum(), links.groupby("source")[flow].sum()
    size = {n: max(inflow.get(n, 0.0), outflow.get(n, 0.0)) for n in depth}
    n_cols = max(depth.values()) + 1
    col_total = [sum(size[n] for n in depth if depth[n] == c) for c in range(n_cols)]
    gap, box_w = 0.1, 0.12
    per_col = [sum(1 for n in depth if depth[n] == c) for c in range(n_cols)]
    scale = min((1.0 - gap * (k - 1)) / t for k, t in zip(per_col, col_total, strict=True) if t)
    pos = {}
    for c in range(n_cols):
        names = [n for n in depth if depth[n] == c]
        y = (1.0 - sum(size[n] * scale for n in names) - gap * (len(names) - 1)) / 2
        for name in names:
            pos[name] = (c, y)
            y += size[name] * scale + gap
    elements = list(dict.fromkeys(links["element"]))
    colours = {e: ELEMENT_COLOURS.get(e, PALETTE[i % len(PALETTE)])
               for i, e in enumerate(elements)}
    fig = new_figure(11.0, 6.0)
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
        _band(ax, pos[row["source"]][0] + box_w, start[i], row["_h"], pos[row["target"]][0],
              end[i], row["_h"], colours[row["element"]])
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
    ax.set_title(TITLE)
    fig.tight_layout()
    return save(fig, path)


def plot_element_flow_sankey(frame: pd.DataFrame, path: Path, year: int | None = None) -> Path:
    """Element flows: :func:`plot_stage_flows` for production by ``material`` and ``element``
    (in ``year``, named in the title), :func:`plot_link_sankey` for ``source`` -> ``target``
    links; "no data" otherwise."""
    flow = column(frame, "flow")
    if frame.empty or flow is None or not (frame[flow] > 0).any():
        return no_data(path, TITLE)
    if "target" in frame and "source" in frame:
        return plot_link_sankey(frame, path)
    if "material" in frame and "element" in frame:
        return plot_stage_flows(frame, path, year)
    return no_data(path, TITLE)


__all__ = ["STAGES", "plot_element_flow_sankey", "plot_stage_flows", "plot_link_sankey"]
