"""Finance terms of a scenario: the country defaults of ``finance.csv``, a named tax regime and
the model file's ``[finance]`` table, resolved per country into :class:`FinanceTerms`.

A plant's country is the part of its site's region before ``-`` (``RU-Siberia`` -> ``RU``).
Order of precedence, lowest first: the rows for every country (``*``), the country's
``standard`` rows, the rows of the regime named by ``[finance] regime`` (where the country
defines it), ``[model] profit_tax_rate`` when the model gives it, then the ``[finance]`` keys.
The hurdle rate defaults to the model's ``discount_rate``. The table is an input table
(``InputTables.finance``; a model may give its own with ``[inputs] finance = "file.csv"``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from tea.config.fields import Reader
from tea.errors import InputError
from tea.finance.terms import FinanceTerms
from tea.tables import Rows

INTEGER_KEYS = ("royalty_relief_years", "depreciation_years", "buildings_years", "debt_tenor",
                "grace_years")
TEXT_KEYS = ("depreciation_method", "construction", "terms")
FRACTION_KEYS = ("profit_tax_rate", "loss_offset_limit", "royalty_rate", "royalty_relief_factor",
                 "royalty_value_share", "buildings_share", "debt_share")
NUMBER_KEYS = ("working_capital_months", "interest_rate", "inflation", "hurdle_rate")
TABLE_KEYS = (*INTEGER_KEYS, *TEXT_KEYS, *FRACTION_KEYS, *NUMBER_KEYS, "holiday")
MODEL_KEYS = (*INTEGER_KEYS, *TEXT_KEYS, *FRACTION_KEYS, *NUMBER_KEYS, "regime")
"""Keys of a model's ``[finance]`` table."""


@dataclass(frozen=True)
class FinanceSettings:
    """The scenario's finance terms per country.

    Attributes
    ----------
    terms : dict[str, FinanceTerms]
        Country code -> terms of the plants in that country.
    sources : dict[str, dict[str, str]]
        Country code -> key -> where the value came from (a table row's source, the model file).
    regime : str
        The regime asked for (``standard`` by default).
    """

    terms: dict[str, FinanceTerms] = field(default_factory=dict)
    sources: dict[str, dict[str, str]] = field(default_factory=dict)
    regime: str = "standard"

    def for_region(self, region: str) -> FinanceTerms:
        """Terms of a site's region (its country part)."""
        country = country_of(region)
        if country not in self.terms:
            raise InputError(f"no finance terms for country {country!r} (region {region!r}); "
                             f"the finance table has {', '.join(sorted(self.terms))}",
                             key="region")
        return self.terms[country]


def country_of(region: str) -> str:
    """Country code of a region label (``RU-Siberia`` -> ``RU``)."""
    return str(region).split("-")[0]


def _holiday(text: str, file: str) -> tuple[tuple[int, float], ...]:
    """``5:0.05|5:0.18`` -> ((5, 0.05), (5, 0.18))."""
    steps = []
    for part in filter(None, text.split("|")):
        try:
            years, rate = part.split(":")
            steps.append((int(years), float(rate)))
        except ValueError:
            raise InputError(f"holiday {text!r}: expected steps years:rate separated by |, "
                             "e.g. 5:0.05|5:0.18", file=file, key="holiday") from None
    return tuple(steps)


def _table_value(key: str, text: str, file: str):
    if key == "holiday":
        return _holiday(text, file)
    if key in TEXT_KEYS:
        return text
    try:
        return int(text) if key in INTEGER_KEYS else float(text)
    except ValueError:
        raise InputError(f"key {key}: {text!r} is not a number", file=file, key=key) from None


def table_rows(rows: Rows) -> dict[tuple[str, str], dict[str, tuple[object, str]]]:
    """(country, regime) -> key -> (value, source) of the finance table."""
    out: dict[tuple[str, str], dict[str, tuple[object, str]]] = {}
    for row in rows.require(("region", "regime", "key", "value", "source"), require_rows=True):
        key = row["key"]
        if key not in TABLE_KEYS:
            raise InputError(f"unknown key {key!r} (expected one of {', '.join(TABLE_KEYS)})",
                             file=rows.file, key="key")
        place = (row["region"], row["regime"])
        if key in out.setdefault(place, {}):
            raise InputError(f"duplicate row {row['region']},{row['regime']},{key}",
                             file=rows.file, key="key")
        out[place][key] = (_table_value(key, row["value"], rows.file), row["source"])
    return out


def _model_values(reader: Reader | None) -> dict[str, object]:
    if reader is None:
        return {}
    values: dict[str, object] = {}
    for key in list(reader.table):
        if key in INTEGER_KEYS:
            values[key] = reader.integer(key, minimum=0, maximum=100)
        elif key in FRACTION_KEYS:
            values[key] = reader.fraction(key)
        elif key in NUMBER_KEYS:
            values[key] = reader.number(key, minimum=-0.99, maximum=24.0)
        elif key in (*TEXT_KEYS, "regime"):
            values[key] = reader.text(key)
    reader.finish()  # unknown keys: one line naming the key
    return values


def finance_settings(table: dict, reader: Reader | None, countries: set[str],
                     discount_rate: float, profit_tax_rate: float | None) -> FinanceSettings:
    """Resolve the finance terms of every country the scenario's sites are in.

    Parameters
    ----------
    table : dict
        The finance table as :func:`table_rows` parses it (``InputTables.finance``).
    reader : Reader or None
        The model's ``[finance]`` table.
    countries : set of str
        Country codes of the scenario's sites.
    discount_rate : float
        The model's discount rate, the default hurdle rate [fraction per year].
    profit_tax_rate : float or None
        ``[model] profit_tax_rate`` when the model gives it [fraction].
    """
    model = _model_values(reader)
    regime = str(model.pop("regime", "standard"))
    known = {r for (_, r) in table}
    if regime not in known:
        raise (reader.error("regime", f"{regime!r} is not a regime of the finance table "
                                      f"(expected one of {', '.join(sorted(known))})")
               if reader else InputError(f"unknown regime {regime!r}", key="finance.regime"))
    file = reader.file if reader else "model"
    names = {f.name for f in fields(FinanceTerms)}
    terms, sources = {}, {}
    for country in sorted(countries):
        if (country, "standard") not in table:
            continue  # a region the tables do not know is refused where the site is checked
        chosen: dict[str, tuple[object, str]] = {}
        for place in (("*", "standard"), (country, "standard"), (country, regime)):
            chosen.update(table.get(place, {}))
        chosen.setdefault("hurdle_rate", (discount_rate, f"{file}: [model] discount_rate"))
        if profit_tax_rate is not None:
            chosen["profit_tax_rate"] = (profit_tax_rate, f"{file}: [model] profit_tax_rate")
        for key, value in model.items():
            chosen[key] = (value, f"{file}: [finance] {key}")
        values = {k: v for k, (v, _) in chosen.items() if k in names}
        values["nominal"] = chosen.get("terms", ("real", ""))[0] == "nominal"
        if chosen.get("terms", ("real", ""))[0] not in ("real", "nominal"):
            raise InputError(f"terms must be 'real' or 'nominal', got "
                             f"{chosen['terms'][0]!r}", file=file, key="finance.terms")
        try:
            terms[country] = FinanceTerms(regime=regime, **values)
        except InputError as exc:
            raise InputError(f"finance terms of {country}: {exc.message}", file=file,
                             key=f"finance.{exc.key}") from None
        sources[country] = {k: s for k, (_, s) in chosen.items()}
    return FinanceSettings(terms=terms, sources=sources, regime=regime)


__all__ = ["MODEL_KEYS", "FinanceSettings", "country_of", "finance_settings", "table_rows"]
