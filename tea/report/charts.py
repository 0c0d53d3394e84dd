"""Interactive charts of report.html: one plotly figure per report figure, as JSON-ready dicts.

:func:`charts` returns ``{name: {"data": [...], "layout": {...}}}`` for the names of
:data:`tea.report.figures.FIGURES` a bundle has data for. Every trace's hover shows the value,
its unit and its source (the model's plan, or the publication a reference cost comes from).
The page draws them with ``Plotly.newPlot``; the same bundle gives the same JSON.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from tea.report import tables as rt

COLOURS = ("#c0392b", "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#999999",
           "#8c564b", "#17becf", "#bcbd22")
PLAN = "this model's plan (tea optimize)"


def _layout(title: str, x: str, y: str, **extra) -> dict:
    return {"title": {"text": title}, "xaxis": {"title": {"text": x}},
            "yaxis": {"title": {"text": y}, "separatethousands": True},
            "hovermode": "closest", "legend": {"orientation": "h", "y": -0.2},
            "margin": {"t": 60, "l": 80, "r": 40, "b": 80}, "template": "plotly_white", **extra}


def _has(frame: pd.DataFrame, *columns: str) -> bool:
    """Whether ``frame`` has rows and every one of ``columns``."""
    return not frame.empty and set(columns) <= set(frame.columns)


def _figure(traces: list, layout: dict) -> dict:
    """A figure as plain JSON types (validated by plotly)."""
    return go.Figure(data=traces, layout=layout).to_plotly_json()


def supply_chart(bundle, product: str = "NdPr_oxide") -> dict | None:
    """Supply steps of ``product`` by region (bar width = capacity) and market prices as lines."""
    frame = rt.supply_table(bundle)
    if not _has(frame, "product", "drawn as", "option", "kind", "region", "capacity [t_REO/yr]",
                "cost or price [USD/kg_REO]"):
        return None
    frame = frame[frame["product"] == product]
    cost = "cost or price [USD/kg_REO]"
    steps = frame[frame["drawn as"] == "supply step"].sort_values(cost, kind="stable")
    prices = frame[frame["drawn as"] == "price line"]
    if steps.empty:
        return None
    width = steps["capacity [t_REO/yr]"].to_numpy(float)
    left = np.concatenate([[0.0], np.cumsum(width)[:-1]])
    steps = steps.assign(left=left, width=width)
    traces = []
    for k, (region, rows) in enumerate(steps.groupby("region", sort=True)):
        source = [PLAN if kind == "model" else f"{option} ({kind.replace('_', ' ')})"
                  for option, kind in zip(rows["option"], rows["kind"], strict=True)]
        traces.append(go.Bar(
            name=str(region), x=(rows["left"] + rows["width"] / 2).tolist(),
            width=rows["width"].tolist(), y=rows[cost].tolist(), marker_color=COLOURS[k % 10],
            customdata=np.column_stack([rows["option"], rows["width"], source]).tolist(),
            hovertemplate="%{customdata[0]}<br>%{y:,.2f} USD/kg_REO<br>capacity "
                          "%{customdata[1]:,.0f} t_REO/yr<br>source: %{customdata[2]}"
                          "<extra></extra>"))
    end = float(left[-1] + width[-1])
    for _, row in prices.iterrows():
        traces.append(go.Scatter(
            name=f"price: {row['option']}", x=[0.0, end], y=[row[cost], row[cost]],
            mode="lines", line={"dash": "dash", "width": 1.5},
            hovertemplate=f"{row['option']}<br>%{{y:,.2f}} USD/kg_REO (market price)"
                          f"<br>source: {row['option']}<extra></extra>"))
    return _figure(traces, _layout(f"Supply cost curve of {product.replace('_', ' ')}",
                                   "cumulative capacity [t_REO/yr]", "cost or price [USD/kg_REO]",
                                   bargap=0))


def plan_chart(bundle) -> dict | None:
    """Capital spent by construction year, stacked by technology, in the reporting currency."""
    plan = rt.build_plan_table(bundle)
    capex = f"capex [{bundle.currency}]"
    if not _has(plan, capex, "capacity unit"):
        return None
    traces = []
    for k, (tech, rows) in enumerate(plan.groupby("technology", sort=True)):
        traces.append(go.Bar(
            name=str(tech), x=rows["year"].tolist(), y=rows[capex].tolist(),
            marker_color=COLOURS[k % 10],
            customdata=np.column_stack([rows["option"], rows["modules built"],
                                        rows["capacity added"], rows["capacity unit"]]).tolist(),
            hovertemplate="%{customdata[0]}: %{customdata[1]} modules, %{customdata[2]:,.0f} "
                          f"%{{customdata[3]}}<br>capex %{{y:,.0f}} {bundle.currency}<br>"
                          f"source: {PLAN}<extra></extra>"))
    return _figure(traces, _layout("Build plan: capital by construction year", "year",
                                   f"overnight capex [{bundle.currency}]", barmode="stack"))


def flow_chart(bundle) -> dict | None:
    """Sankey of production by element (left) and chain stage (right) [t/yr]."""
    flows = bundle.element_flows
    if not _has(flows, "flow [t/yr]", "element", "material"):
        return None
    flows = flows[flows["flow [t/yr]"] > 0]
    elements = sorted(flows["element"].astype(str).unique())
    stages = sorted(flows["material"].astype(str).unique())
    index = {name: i for i, name in enumerate(elements + stages)}
    trace = go.Sankey(
        node={"label": elements + stages, "pad": 12},
        link={"source": [index[e] for e in flows["element"].astype(str)],
              "target": [index[m] for m in flows["material"].astype(str)],
              "value": flows["flow [t/yr]"].astype(float).tolist(),
              "hovertemplate": "%{source.label} in %{target.label}: %{value:,.1f} t/yr<br>"
                               f"source: {PLAN}<extra></extra>"})
    return _figure([trace], {"title": {"text": "Element flows: production by element and "
                                               "stage [t/yr]"}, "template": "plotly_white"})


def step_chart(bundle) -> dict | None:
    """Levelized cost of each separated oxide, stacked by chain step [<currency>/kg_REO]."""
    steps = rt.step_cost_table(bundle)
    if steps.empty:
        return None
    cost = steps.columns[-1]
    unit = rt.unit_in(cost)
    traces = []
    for k, (step, rows) in enumerate(steps.groupby("step", sort=False)):
        traces.append(go.Bar(name=str(step), x=rows["product"].tolist(), y=rows[cost].tolist(),
                             marker_color=COLOURS[k % 10],
                             hovertemplate=f"%{{x}}, {step}: %{{y:,.2f}} {unit}<br>source: "
                                           f"{PLAN}<extra></extra>"))
    return _figure(traces, _layout("Levelized cost by chain step and product", "product",
                                   f"levelized cost [{unit}]", barmode="stack"))


def purity_chart(bundle) -> dict | None:
    """Levelized cost of NdPr oxide against the purity of the Nd/Pr cut."""
    curve = bundle.purity_curve
    if not _has(curve, "purity", "total stages", "levelized cost [USD/kg]"):
        return None
    cost = next(c for c in curve.columns if str(c).startswith("levelized cost"))
    trace = go.Scatter(
        name="NdPr oxide", x=(100 * curve["purity"]).tolist(), y=curve[cost].tolist(),
        mode="lines+markers", customdata=curve["total stages"].tolist(),
        hovertemplate="purity %{x:.3f} %<br>%{y:,.2f} USD/kg_REO<br>%{customdata} stages<br>"
                      "source: cascade design (tea.process.cascade) on this plan<extra></extra>")
    return _figure([trace], _layout("Purity-cost curve of NdPr oxide", "purity [%]",
                                    "levelized cost [USD/kg_REO]"))


def pareto_chart(bundle) -> dict | None:
    """Least discounted cost and capital spent against the budget, in the budget's currency."""
    table = rt.pareto_table(bundle)
    if table.empty or not str(table.columns[0]).startswith("budget ["):
        return None
    budget = table.columns[0]
    unit = rt.unit_in(budget)
    traces = []
    for k, column in enumerate(c for c in table.columns[1:] if c.endswith(f"[{unit}]")):
        traces.append(go.Scatter(
            name=column.split(" [")[0], x=table[budget].tolist(), y=table[column].tolist(),
            mode="lines+markers", marker_color=COLOURS[k],
            hovertemplate=f"budget %{{x:,.0f}} {unit}<br>{column.split(' [')[0]} %{{y:,.0f}} "
                          f"{unit}<br>source: {PLAN}, re-solved per budget<extra></extra>"))
    return _figure(traces, _layout("What each capital budget buys", f"budget [{unit}]",
                                   f"[{unit}]"))


def distribution_chart(bundle) -> dict | None:
    """The headline product's sampled levelized cost against its sampled import price."""
    samples = bundle.samples
    if not _has(samples, "levelized cost", "unit", "product"):
        return None
    unit = str(samples["unit"].iloc[0])
    traces = [go.Histogram(name=name, x=samples[name].astype(float).tolist(), opacity=0.6,
                           nbinsx=40, hovertemplate=f"{name} %{{x:,.1f}} {unit}: %{{y}} samples"
                           "<br>source: sampled inputs (inputs/uncertainty.csv)<extra></extra>")
              for name in ("levelized cost", "import price") if name in samples]
    product = str(samples["product"].iloc[0]).replace("_", " ")
    return _figure(traces, _layout(f"{product}: levelized cost and import price over "
                                   f"{len(samples):,} samples", f"[{unit}]", "samples",
                                   barmode="overlay"))


def tornado_chart(bundle) -> dict | None:
    """Each uncertain input at its P10 and P90: the swing of the headline product's cost."""
    tornado = bundle.tornado
    if not _has(tornado, "figure", "unit", "input", "at P10", "at P90", "swing", "base"):
        return None
    figure = next((f for f in tornado["figure"].unique() if "NdPr" in str(f)),
                  tornado["figure"].iloc[0])
    rows = tornado[tornado["figure"] == figure].sort_values("swing", kind="stable")
    unit = str(rows["unit"].iloc[0])
    base = float(rows["base"].iloc[0])
    traces = [go.Bar(name=f"input at its {label}", y=rows["input"].astype(str).tolist(),
                     x=(rows[column] - base).tolist(), base=base, orientation="h",
                     marker_color=colour,
                     hovertemplate=f"%{{y}} at its {label}: %{{x:+,.2f}} {unit} from {base:,.2f}"
                                   "<br>source: sampled inputs (inputs/uncertainty.csv)"
                                   "<extra></extra>")
              for label, column, colour in (("P10", "at P10", "#0072b2"),
                                            ("P90", "at P90", "#c0392b"))]
    return _figure(traces, _layout(f"What moves {figure}", f"[{unit}]", "input",
                                   barmode="overlay"))


BUILDERS = {"supply_cost_curve": supply_chart, "purity_cost_curve": purity_chart,
            "build_plan": plan_chart, "element_flow_sankey": flow_chart,
            "cost_waterfall": step_chart, "budget_pareto": pareto_chart,
            "cost_distribution": distribution_chart, "tornado": tornado_chart}
"""Report figure name -> its chart."""


def charts(bundle) -> dict[str, dict]:
    """The bundle's interactive charts by report figure name (those with data)."""
    out = {}
    for name, build in BUILDERS.items():
        figure = build(bundle)
        if figure is not None and figure.get("data"):
            out[name] = figure
    return out


def frame_chart(frame: pd.DataFrame, x: str, columns: list[str], title: str, unit: str,
                kind: str = "bar") -> dict:
    """A grouped chart of ``columns`` against ``x`` (one trace per column) in one ``unit``."""
    make = go.Bar if kind == "bar" else go.Scatter
    traces = [make(name=str(c), x=frame[x].astype(str).tolist(), y=frame[c].tolist(),
                   hovertemplate=f"%{{x}}: %{{y:,.4g}} {unit}<extra>{c}</extra>")
              for c in columns]
    return _figure(traces, _layout(title, x, f"[{unit}]"))


__all__ = ["BUILDERS", "charts", "frame_chart", "supply_chart", "plan_chart", "flow_chart",
           "step_chart", "purity_chart", "pareto_chart", "distribution_chart", "tornado_chart"]
