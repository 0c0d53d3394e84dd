"""report.md: the report's sections (:func:`tea.report.format.sections`) in Markdown.

:func:`render_markdown` writes them with relative links to ``figures/*.png``. Numbers are
formatted for reading (:func:`tea.report.format.format_value`: thousands separators, shares as
percents); the exact values are in report.xlsx and summary.json. ``format_value``,
``summary_table``, ``chain_cash_flow_table``, ``Section`` and ``sections`` are re-exported from
:mod:`tea.report.format`.
"""

from __future__ import annotations

import pandas as pd

from tea.report.format import (
    FIGURE_CAPTIONS,
    Section,
    chain_cash_flow_table,
    display_frame,
    format_value,
    sections,
    summary_table,
)


def markdown_table(frame: pd.DataFrame) -> str:
    """A GitHub-flavoured Markdown table of ``frame`` (formatted cells, numbers right-aligned)."""
    if frame.empty:
        return "_no data_\n"
    shown = display_frame(frame)
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) for c in frame.columns]

    def row(cells):
        return "| " + " | ".join(str(c).replace("|", "\\|").replace("\n", " ")
                                 for c in cells) + " |"

    lines = [row(shown.columns), "|" + "|".join("---:" if n else ":---" for n in numeric) + "|"]
    lines += [row(r) for r in shown.itertuples(index=False)]
    return "\n".join(lines) + "\n"


def render_markdown(bundle, figures_dir: str = "figures") -> str:
    """report.md for a bundle; figures are linked as ``<figures_dir>/<name>.png``."""
    lines = [f"# {bundle.title}", ""]
    for section in sections(bundle):
        lines += [f"## {section.title}", ""]
        if section.text:
            lines += [section.text, ""]
        for heading, items in section.bullets:
            if items:
                lines += [f"**{heading}**", "", *[f"- {item}" for item in items], ""]
        for name in section.figures:
            lines += [f"![{FIGURE_CAPTIONS.get(name, name)}]({figures_dir}/{name}.png)", ""]
        for caption, table in section.tables:
            if caption and caption != section.title:
                lines += [f"### {caption}", ""]
            lines += [markdown_table(table), ""]
    return "\n".join(lines).rstrip() + "\n"


__all__ = ["Section", "format_value", "display_frame", "markdown_table", "summary_table",
           "chain_cash_flow_table", "sections", "render_markdown"]
