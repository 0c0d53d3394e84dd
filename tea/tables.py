"""Reading the project's input tables: CSV files whose ``#`` lines carry notes and sources."""

from __future__ import annotations

import csv
from importlib.resources import files
from pathlib import Path

from tea.errors import InputError

INPUTS = Path(str(files("tea") / "data"))
"""The default input tables, shipped as package data (``tea/data/``; ``inputs/`` at the
repository root links to it)."""


def read_table(path: Path | str, columns: tuple[str, ...] = (),
               require_rows: bool = False) -> list[dict[str, str]]:
    """Rows of a CSV file as dicts of stripped strings, ``#`` comment and blank lines skipped.

    Parameters
    ----------
    path : path
        The CSV file.
    columns : tuple of str
        Columns the header must have.
    require_rows : bool
        Refuse a table with a header but no rows.

    Raises
    ------
    InputError
        If the file cannot be read, has no header, lacks a column or (optionally) has no rows.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("file not found", file=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read the table ({exc.strerror})", file=str(path)) from None
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if not lines:
        raise InputError("no header row", file=str(path))
    reader = csv.DictReader(lines)
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in columns if c not in header]
    if missing:
        raise InputError(f"missing column(s) {', '.join(missing)} (header: {', '.join(header)})",
                         file=str(path))
    rows = [{(k or "").strip(): (v or "").strip() for k, v in row.items()} for row in reader]
    if require_rows and not rows:
        raise InputError("no rows", file=str(path))
    return rows
