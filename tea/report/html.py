"""report.html: the report's sections (:func:`tea.report.format.sections`) as one
self-contained HTML page: inline CSS, figures embedded as base64 PNG, no external links."""

from __future__ import annotations

import base64
import html
from pathlib import Path

import pandas as pd

from tea.report.format import FIGURE_CAPTIONS, display_frame, sections

CSS = """
body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 2em auto;
       max-width: 1200px; padding: 0 1em; color: #222; line-height: 1.4; }
h1 { border-bottom: 2px solid #c0392b; padding-bottom: .2em; }
h2 { margin-top: 2em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: .5em 0 1.5em; font-size: 0.85em; }
th, td { border: 1px solid #ccc; padding: .25em .6em; }
th { background: #f2f2f2; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1em 0; } figure img { max-width: 100%; }
figcaption { font-size: .9em; color: #555; }
.nodata { color: #777; font-style: italic; }
"""


def html_table(frame: pd.DataFrame) -> str:
    """An HTML table of ``frame`` with readable numbers (right-aligned)."""
    if frame.empty:
        return '<p class="nodata">no data</p>'
    shown = display_frame(frame)
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) for c in frame.columns]
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in shown.columns)
    rows = []
    for values in shown.itertuples(index=False):
        cells = "".join(f'<td class="num">{html.escape(v)}</td>' if n
                        else f"<td>{html.escape(v)}</td>"
                        for v, n in zip(values, numeric, strict=True))
        rows.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def embedded_image(path: Path, alt: str) -> str:
    """An ``<img>`` element carrying the PNG at ``path`` as a base64 data URI."""
    data = base64.b64encode(Path(path).read_bytes()).decode("ascii")
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{data}">'


def render_html(bundle, figures: dict[str, Path]) -> str:
    """report.html for a bundle.

    Parameters
    ----------
    bundle : RunBundle
    figures : dict[str, Path]
        Figure name -> PNG path (from :func:`tea.report.figures.write_figures`); each is embedded.
    """
    title = html.escape(bundle.title)
    parts = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
             f"<title>{title}</title>", f"<style>{CSS}</style>", "</head>", "<body>",
             f"<h1>{title}</h1>"]
    for section in sections(bundle):
        parts.append(f"<h2>{html.escape(section.title)}</h2>")
        if section.text:
            parts.append(f"<p>{html.escape(section.text).replace('`', '')}</p>")
        for name in section.figures:
            if name in figures:
                caption = FIGURE_CAPTIONS.get(name, name)
                parts.append(f"<figure>{embedded_image(figures[name], caption)}"
                             f"<figcaption>{html.escape(caption)}</figcaption></figure>")
        for caption, table in section.tables:
            if caption and caption != section.title:
                parts.append(f"<h3>{html.escape(caption)}</h3>")
            parts.append(html_table(table))
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"


__all__ = ["html_table", "embedded_image", "render_html"]
