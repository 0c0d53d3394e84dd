"""report.html: the report's sections (:func:`tea.report.format.sections`) as one self-contained,
interactive page, rendered from the jinja2 templates in ``tea/report/templates/``.

The charts are plotly figures (:mod:`tea.report.charts`) drawn by plotly.js, which is embedded in
the page once, so the file opens offline and links to nothing. Tables carry readable numbers
(:func:`tea.report.format.display_frame`). The same bundle gives the same bytes.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2
import pandas as pd
from plotly.io.json import to_json_plotly
from plotly.offline import get_plotlyjs

from tea.report.charts import charts
from tea.report.format import FIGURE_CAPTIONS, display_frame, sections


@cache
def environment() -> jinja2.Environment:
    """The templates' environment (package data, HTML autoescaped)."""
    return jinja2.Environment(loader=jinja2.PackageLoader("tea.report", "templates"),
                              autoescape=True, trim_blocks=True, lstrip_blocks=True,
                              undefined=jinja2.StrictUndefined)


@cache
def plotly_js() -> str:
    """plotly.js, to embed in a page."""
    return get_plotlyjs()


def table_view(frame: pd.DataFrame) -> dict:
    """A table for the templates: ``columns`` and ``rows`` of ``(text, numeric)`` cells."""
    if frame.empty:
        return {"columns": [], "rows": []}
    shown = display_frame(frame)
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
               for c in frame.columns]
    rows = [list(zip(values, numeric, strict=True)) for values in shown.itertuples(index=False)]
    return {"columns": [str(c) for c in shown.columns], "rows": rows}


def charts_json(figures: dict[str, dict]) -> str:
    """The charts as a JavaScript literal, safe inside a ``<script>`` element."""
    text = to_json_plotly(figures)  # NaN as null, numpy arrays as lists
    return text.replace("</", "<\\/")


def render_page(template: str, title: str, figures: dict[str, dict], **context) -> str:
    """Render one of the templates with plotly.js and ``figures`` (chart name -> plotly dict)."""
    page = environment().get_template(template).render(
        title=title, plotly_js=plotly_js(), charts_json=charts_json(figures), **context)
    return page.rstrip() + "\n"


def render_html(bundle, figures: dict[str, Path] | None = None) -> str:
    """report.html for a bundle.

    Parameters
    ----------
    bundle : RunBundle
    figures : dict[str, Path], optional
        The PNG figures written beside the page; unused (the page draws its own charts), kept so
        every writer is called alike.
    """
    drawn = charts(bundle)
    views = []
    for section in sections(bundle):
        views.append({
            "title": section.title, "text": section.text.replace("`", ""),
            "bullets": [(h, [i.replace("`", "") for i in items]) for h, items in section.bullets],
            "charts": [(name, FIGURE_CAPTIONS.get(name, name)) for name in section.figures
                       if name in drawn],
            "tables": [(caption, table_view(table)) for caption, table in section.tables]})
    return render_page("report.html.j2", bundle.title, drawn, sections=views)


__all__ = ["environment", "plotly_js", "table_view", "charts_json", "render_page",
           "render_html"]
