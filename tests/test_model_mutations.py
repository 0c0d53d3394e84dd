"""Generated bad input: one mutation of a shipped model (a value replaced by one of the wrong
type, dimension or range, a key deleted, an unknown key added) is accepted (exit 0) or refused
in one line naming the model file (exit 2); never an internal error, a traceback or a hang."""

from __future__ import annotations

import json
import math
import tempfile
import time
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tea.cli import cli

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[1]
MODELS = {p.name: tomllib.loads(p.read_text(encoding="utf-8"))
          for p in sorted((ROOT / "models").glob("*.toml"))}
TIME_BOUND = 10.0  # [s] per example (validate assembles the whole chain: about 1.5 s)


def _paths(table: dict, prefix: tuple = ()) -> list[tuple]:
    """Dotted paths of every key (tables and values) of a parsed TOML document."""
    out = []
    for key, value in table.items():
        out.append((*prefix, key))
        if isinstance(value, dict):
            out += _paths(value, (*prefix, key))
    return out


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(str(k))} = {_toml_value(v)}"
                               for k, v in value.items()) + "}"
    raise TypeError(type(value))


def _dump(table: dict, prefix: tuple = ()) -> str:
    """A TOML document of nested tables (every key quoted)."""
    plain = {k: v for k, v in table.items() if not isinstance(v, dict)}
    tables = {k: v for k, v in table.items() if isinstance(v, dict)}
    lines = [f"[{'.'.join(json.dumps(str(k)) for k in prefix)}]"] if prefix and (
        plain or not tables) else []
    lines += [f"{json.dumps(str(k))} = {_toml_value(v)}" for k, v in plain.items()]
    text = "\n".join(lines) + ("\n\n" if lines else "")
    return text + "".join(_dump(v, (*prefix, k)) for k, v in tables.items())


def _same(a: dict, b: dict) -> bool:
    """Equal documents, where NaN equals NaN (a NaN value is a valid mutation)."""
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


BAD_VALUES = st.one_of(
    st.integers(min_value=-10**6, max_value=10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12),
    st.sampled_from(["5 kg", "-3 t/yr", "0 t/yr", "1e300 t/yr", "12 USD_2025", "3 yr", "2 MUSD",
                     "0.5", "nan t/yr", "1 furlong", "", "N99", "x/../../escaped"]),
    st.lists(st.integers(min_value=-5, max_value=5), max_size=3),
    st.dictionaries(st.sampled_from(["a", "2030", "value"]), st.integers(-5, 5), max_size=2),
)


@st.composite
def mutations(draw):
    name = draw(st.sampled_from(sorted(MODELS)))
    doc = json.loads(json.dumps(MODELS[name]))  # a deep copy
    path = draw(st.sampled_from(_paths(doc)))
    *parents, key = path
    table = doc
    for p in parents:
        table = table[p]
    kind = draw(st.sampled_from(["replace", "delete", "add"]))
    if kind == "replace":
        table[key] = draw(BAD_VALUES)
    elif kind == "delete":
        del table[key]
    else:
        target = table[key] if isinstance(table[key], dict) else table
        target["bogus_key"] = draw(BAD_VALUES)
    return name, kind, ".".join(map(str, path)), doc


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutations())
def test_a_mutated_model_is_accepted_or_refused_in_one_line(mutation):
    name, kind, path, doc = mutation
    with tempfile.TemporaryDirectory() as folder:
        model = Path(folder) / name
        model.write_text(_dump(doc), encoding="utf-8")
        written = tomllib.loads(model.read_text(encoding="utf-8"))
        assert _same(written, doc) or kind == "replace"
        start = time.perf_counter()
        result = CliRunner().invoke(cli, ["validate", str(model)])
        elapsed = time.perf_counter() - start
    what = f"{kind} {path} of {name}"
    output = result.output.strip()
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{what}: {result.exception!r}")
    assert result.exit_code in (0, 2), f"{what}: exit {result.exit_code}: {output}"
    assert "Traceback" not in output and "internal error" not in output, f"{what}: {output}"
    assert elapsed < TIME_BOUND, f"{what}: {elapsed:.1f} s"
    if result.exit_code == 2:
        lines = output.splitlines()
        assert len(lines) == 1, f"{what}: {lines}"
        assert name in lines[0] or "inputs/" in lines[0], f"{what}: {lines[0]}"
