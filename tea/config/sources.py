"""The values of a model file with the source comments written next to them.

Model files cite the source of each value in a comment on its line (``capacity = "2600 t_REO/yr"
# 2,600 t/yr Russian production (Sohu Caijing, 5 Nov 2025)``), sometimes continued on the following
comment-only lines. TOML parsers drop comments, so this module reads the text itself: it tracks the
``[table]`` headers and splits every ``key = value`` line into its value and its comment (a ``#``
inside a quoted string is not a comment). Reports list the result as their Inputs table, so that
each figure a reader sees carries its source.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

_HEADER = re.compile(r"^\s*\[\s*([^\]]+?)\s*\]\s*(#.*)?$")
_ASSIGN = re.compile(r"^\s*([A-Za-z0-9_\-\"\.]+)\s*=\s*(.*)$")
_NUMBER = re.compile(r"""^(["']?[-+]?\.?\d|[\[{].*\d)""")  # 12, "2 yr", [2025, 2040], {2030 = ...}


def _split_comment(text: str) -> tuple[str, str]:
    """``value, comment`` of the rest of an assignment line (quotes respected)."""
    quote = None
    for i, ch in enumerate(text):
        if quote:
            if ch == "\\" and quote == '"':
                continue
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            return text[:i].strip(), text[i + 1:].strip()
    return text.strip(), ""


def model_values(path: str | Path) -> pd.DataFrame:
    """Every ``key = value`` of a model file with its source comment.

    Parameters
    ----------
    path : str or Path
        A TOML model file.

    Returns
    -------
    pandas.DataFrame
        Columns: ``table`` (e.g. ``plants.tomtor_mine``), ``key``, ``value`` (as written),
        ``source`` (the comment beside it, continuation lines joined; empty if none), ``line``
        (1-based), ``numeric`` (the value holds a digit: a number, a quantity or a table of them).
    """
    rows: list[dict] = []
    table = ""
    last = None  # the row a comment-only line may continue
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("#"):
            if last is not None and last["source"] and line.index("#") > 0:
                last["source"] += " " + stripped.lstrip("#").strip()
            else:
                last = None
            continue
        if not stripped:
            last = None
            continue
        header = _HEADER.match(line)
        if header:
            table, last = header.group(1).replace('"', ""), None
            continue
        assign = _ASSIGN.match(line)
        if not assign:
            last = None
            continue
        value, comment = _split_comment(assign.group(2))
        last = {"table": table, "key": assign.group(1).replace('"', ""), "value": value,
                "source": comment, "line": n,
                "numeric": bool(_NUMBER.match(value))}
        rows.append(last)
    return pd.DataFrame(rows, columns=["table", "key", "value", "source", "line", "numeric"])
