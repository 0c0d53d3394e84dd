"""The input tables of a scenario, read once into a typed, read-only :class:`InputTables`.

The package ships a default for every table (``tea/data/<name>.csv``, read through
``importlib.resources``); a model file may name its own for any of them::

    [inputs]
    prices = "my_prices.csv"   # resolved relative to the model file

This module is the only place that reads the tables; the process, costing, money and chain code
receives the parsed records (``scenario.inputs.prices``, ``scenario.inputs.separation_factors``,
...).  Each field of :class:`InputTables` names the tables it is parsed from and its parser (a
pure function of :class:`tea.tables.Rows` in the module that uses the records), so adding a table
is one line here (a field) and its parser.  Tests and examples that call process functions
directly pass :func:`default_input_tables`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import pandas as pd

from tea.config.fields import Reader
from tea.config.finance import table_rows as parse_finance_table
from tea.config.reference_costs import parse_reference_costs
from tea.config.sources import model_values
from tea.config.uncertainty import parse_uncertainty_table
from tea.costing.data import (
    parse_capex_factors,
    parse_equipment,
    parse_labour,
    parse_location_factors,
    parse_prices,
    parse_reference_plants,
)
from tea.errors import InputError
from tea.money import CostIndices, FxTable, fx_on, parse_cost_indices, parse_fx
from tea.process.magnet import parse_grades, parse_route
from tea.process.metal import parse_metal_params
from tea.process.parameters import (
    parse_beneficiation,
    parse_cracking_routes,
    parse_deposits,
    parse_precipitation,
)
from tea.process.precipitation import PrecipitationParams
from tea.process.recycling import parse_recycling_params
from tea.process.separation import parse_separation_factors
from tea.tables import Rows, parse_rows

DEFAULT_FOLDER = Path(str(files("tea") / "data"))
"""The default input tables, shipped as package data (``tea/data/``; ``inputs/`` at the
repository root links to it)."""
MAX_TABLE_BYTES = 10_000_000
"""Largest input table read [bytes] (the shipped ones are a few kB)."""


class ReadOnlyDict(dict):
    """A dict that refuses changes (a parsed table is shared by every scenario that uses it)."""

    def _refuse(self, *args, **kwargs):
        raise TypeError("input tables are read-only (copy with dict(...) to change a value)")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _refuse
    __ior__ = _refuse

    def __reduce__(self):
        return (ReadOnlyDict, (dict(self),))


def parse_shipping_forms(table: Rows) -> dict[str, tuple[str, float]]:
    """``material -> (basis, content)`` of the ``shipping`` table: the form a t of element moves
    as (:mod:`tea.chain.transport`), its RE content as a fraction on an REO or element basis.

    Raises
    ------
    InputError
        Naming the file and row on a missing source, an unknown basis or a content outside
        (0, 1].
    """
    path, out = table.file, {}
    for row in table.require(("material", "form", "basis", "content", "source"),
                             require_rows=True):
        key = row["material"]
        if not row["source"]:
            raise InputError("every value needs a source", file=path, key=f"{key}.source")
        if row["basis"] not in ("REO", "RE"):
            raise InputError(f"basis {row['basis']!r} is not allowed (expected REO or RE)",
                             file=path, key=f"{key}.basis")
        try:
            content = float(row["content"])
        except ValueError:
            content = float("nan")
        if not 0 < content <= 1:
            raise InputError(f"expected a fraction in (0, 1], got {row['content']!r}",
                             file=path, key=f"{key}.content")
        out[key] = (row["basis"], content)
    return out


def _table(*names: str, parse) -> Any:
    """A field of :class:`InputTables`: parsed by ``parse`` from the tables ``names``."""
    return field(metadata={"tables": names, "parse": parse})


@dataclass(frozen=True)
class InputTables:
    """The parsed input tables of a scenario (read-only; mappings refuse changes).

    Each field is parsed from the tables its metadata names (``tables``, the CSV names without
    ``.csv``) by its parser (``parse``); :attr:`sources` says which file each table was read
    from.  To add a table: put ``<name>.csv`` into ``tea/data/``, write its parser (a function
    of :class:`tea.tables.Rows`) and add one field here, e.g.
    ``finance: dict = _table("finance", parse=parse_finance)``.
    """

    deposits: Mapping = _table("deposits", "deposit_distributions", parse=parse_deposits)
    beneficiation: Mapping = _table("beneficiation", parse=parse_beneficiation)
    cracking_routes: Mapping = _table("cracking_routes", parse=parse_cracking_routes)
    precipitation: PrecipitationParams = _table("precipitation", parse=parse_precipitation)
    separation_factors: Mapping = _table("separation_factors", parse=parse_separation_factors)
    metal_making: Mapping = _table("metal_making", parse=parse_metal_params)
    magnet_grades: Mapping = _table("magnet_grades", parse=parse_grades)
    magnet_route: Mapping = _table("magnet_route", parse=parse_route)
    recycling: Mapping = _table("recycling", parse=parse_recycling_params)
    reference_plants: Mapping = _table("reference_plants", parse=parse_reference_plants)
    prices: Mapping = _table("prices", parse=parse_prices)
    location_factors: Mapping = _table("location_factors", parse=parse_location_factors)
    capex_factors: Mapping = _table("capex_factors", parse=parse_capex_factors)
    equipment: Mapping = _table("capex_factors", parse=parse_equipment)
    labour: Any = _table("labour", parse=parse_labour)
    fx: Mapping = _table("fx", parse=parse_fx)
    cost_indices: CostIndices = _table("cost_indices", parse=parse_cost_indices)
    shipping: Mapping = _table("shipping", parse=parse_shipping_forms)
    reference_costs: pd.DataFrame = _table("reference_costs", parse=parse_reference_costs)
    finance: Mapping = _table("finance", parse=parse_finance_table)
    uncertainty: Mapping = _table("uncertainty", parse=parse_uncertainty_table)
    sources: Mapping[str, str] = field(default_factory=dict)
    """Table name -> the file it was read from."""
    own: frozenset[str] = frozenset()
    """Names of the tables the model file gave (``[inputs]``); the rest are the package's."""

    def __repr__(self) -> str:
        own = ", ".join(f"{n}={self.sources[n]!r}" for n in sorted(self.own))
        return f"InputTables({own or 'the package tables'})"

    def fx_table(self, date=None) -> FxTable:
        """The FX rates of one date (default the latest) [CUR/USD]; :class:`tea.money.UnknownFxDate`
        naming the FX table if it has none of that date."""
        return fx_on(self.fx, date, self.sources.get("fx"))


def _table_fields():
    return [f for f in fields(InputTables) if "tables" in f.metadata]


TABLE_NAMES: tuple[str, ...] = tuple(sorted({n for f in _table_fields()
                                             for n in f.metadata["tables"]}))
"""Every input table a model's ``[inputs]`` may replace."""


def read_rows(path: Path | str) -> Rows:
    """Read one CSV table into :class:`tea.tables.Rows`, every failure one :class:`InputError`
    naming the file."""
    path = Path(path)
    file = str(path)
    try:
        if path.stat().st_size > MAX_TABLE_BYTES:
            raise InputError(f"file is larger than {MAX_TABLE_BYTES:,} bytes (expected a CSV "
                             "table)", file=file)
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("file not found", file=file) from None
    except UnicodeDecodeError:
        raise InputError("not a UTF-8 text file (expected a CSV table)", file=file) from None
    except OSError as exc:
        raise InputError(f"cannot read the table ({exc.strerror})", file=file) from None
    return parse_rows(text, file)


def _freeze(value):
    return ReadOnlyDict(value) if type(value) is dict else value


def _parse(paths: Mapping[str, Path], read: dict[str, Rows], default: InputTables | None):
    values = {}
    for f in _table_fields():
        names = f.metadata["tables"]
        if default is not None and not any(n in paths for n in names):
            values[f.name] = getattr(default, f.name)
            continue
        for n in names:
            if n not in read:
                read[n] = read_rows(paths.get(n, DEFAULT_FOLDER / f"{n}.csv"))
        values[f.name] = _freeze(f.metadata["parse"](*(read[n] for n in names)))
    return values


@lru_cache(maxsize=1)
def default_input_tables() -> InputTables:
    """The package's input tables (``tea/data/``), read once per process."""
    values = _parse({}, {}, None)
    sources = ReadOnlyDict({n: str(DEFAULT_FOLDER / f"{n}.csv") for n in TABLE_NAMES})
    return InputTables(**values, sources=sources)


def load_input_tables(own: Mapping[str, Path | str] | None = None) -> InputTables:
    """The input tables with some replaced by the model's own.

    Parameters
    ----------
    own : mapping, optional
        Table name (one of :data:`TABLE_NAMES`) -> file to read instead of the package's.
        A table parsed from two files (``deposits`` with ``deposit_distributions``) takes the
        package's file for the one not given.

    Raises
    ------
    InputError
        On an unknown table name, or naming the file (and row and column) of a table that cannot
        be read or parsed.
    """
    own = {name: Path(path) for name, path in (own or {}).items()}
    default = default_input_tables()
    if not own:
        return default
    unknown = sorted(set(own) - set(TABLE_NAMES))
    if unknown:
        raise InputError(f"unknown input table {unknown[0]!r} (expected one of "
                         f"{', '.join(TABLE_NAMES)})", key=f"inputs.{unknown[0]}")
    values = _parse(own, {}, default)
    sources = ReadOnlyDict({**default.sources, **{n: str(p) for n, p in own.items()}})
    return InputTables(**values, sources=sources, own=frozenset(own))


def input_table_rows(tables: InputTables, model: Path | str) -> pd.DataFrame:
    """Which file each input table was read from, for a report's Inputs table.

    Returns
    -------
    DataFrame
        ``key`` (``inputs.<name>``), ``value`` (the file: the model's own, relative to the folder
        of ``model``, or the package's ``tea/data/<name>.csv``), ``source`` (the model's own table
        or the package default, with the model file's comment on its ``[inputs]`` line; each row
        of a table cites its own source), ``file``.
    """
    folder = Path(model).resolve().parent
    given = model_values(model)
    comments = dict(zip(given.loc[given["table"] == "inputs", "key"],
                        given.loc[given["table"] == "inputs", "source"], strict=True))
    rows = []
    for name in TABLE_NAMES:
        path = Path(tables.sources.get(name, DEFAULT_FOLDER / f"{name}.csv"))
        if name in tables.own:
            try:
                shown = str(path.resolve().relative_to(folder))
            except ValueError:
                shown = str(path)
            source = "; ".join(filter(None, [
                "the model's own table (each row cites its source)", comments.get(name, "")]))
        else:
            shown = f"tea/data/{name}.csv"
            source = "the package's default table (each row cites its source)"
        rows.append({"key": f"inputs.{name}", "value": shown, "source": source,
                     "file": shown})
    return pd.DataFrame(rows, columns=["key", "value", "source", "file"])


def read_inputs(top: Reader) -> InputTables:
    """The ``[inputs]`` table of a model file: each key a table name, each value the file of the
    model's own table, resolved relative to the model file; the input tables it gives.

    Raises
    ------
    InputError
        One line: an unknown table name or a missing file (naming the model file and
        ``inputs.<name>``), or a malformed table (naming the table's file, row and column).
    """
    r = top.sub("inputs", required=False)
    if r is None:
        return default_input_tables()
    folder = Path(top.file).parent
    own = {}
    for name in r.table:
        if name not in TABLE_NAMES:
            raise r.error(name, f"unknown input table {name[:40]!r} (expected one of "
                                f"{', '.join(TABLE_NAMES)})")
        text = r.text(name)
        path = folder / text
        if not path.is_file():
            what = "is a folder" if path.is_dir() else "file not found"
            raise r.error(name, f"{what}: {text[:80]!r} (expected a CSV table, its path "
                                "relative to the model file)")
        own[name] = path
    r.finish()
    return load_input_tables(own)
