"""What a study of many scenarios reads: the file of scenarios, and the digests of a model's files.

``read_scenario_file`` reads ``tea sweep --scenario-file``: a TOML file of ``[[scenario]]``
tables, each a set of model-file overrides written as ``"KEY" = VALUE`` (the keys of
``--scenario``), e.g.::

    [[scenario]]
    "model.discount_rate" = 0.08
    "budget.total" = "500e9 RUB_2025"

``digests`` gives the SHA-256 of the model file and of the input tables it reads, so that a
study's stored results say which inputs they came from.
"""

from __future__ import annotations

import hashlib
import tomllib
from pathlib import Path

from tea.errors import InputError


def read_scenario_file(path: str | Path, option: str = "--scenario-file") -> list[dict]:
    """The scenarios of a TOML scenario file, each ``{key: value}``.

    Raises
    ------
    InputError
        If the file cannot be read, is not TOML, or holds no ``[[scenario]]`` table of
        ``KEY = VALUE`` pairs.
    """
    expected = 'expected a TOML file of [[scenario]] tables of "KEY" = VALUE overrides'
    try:
        text = Path(path).read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the file ({exc.__class__.__name__}; {expected})",
                         str(path), option) from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"not TOML ({exc}; {expected})", str(path), option) from None
    scenarios = data.get("scenario")
    if not isinstance(scenarios, list) or not scenarios or not all(
            isinstance(s, dict) and s for s in scenarios):
        raise InputError(f"no [[scenario]] tables ({expected})", str(path), option)
    for s in scenarios:
        for key, value in s.items():
            if isinstance(value, dict):
                raise InputError(f"{key!r} holds a table ({expected}, the key quoted: "
                                 '"model.discount_rate" = 0.08)', str(path), option)
    return [dict(s) for s in scenarios]


def file_digest(path: str | Path) -> str:
    """SHA-256 of a file's bytes (hex)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def digests(scenario) -> dict:
    """``{"model_hash": ..., "tables_hash": ...}``: SHA-256 of the model file and of the input
    tables the scenario reads (their names and contents, in name order)."""
    tables = hashlib.sha256()
    for name, source in sorted(scenario.inputs.sources.items()):
        tables.update(name.encode())
        tables.update(file_digest(source).encode())
    return {"model_hash": file_digest(scenario.path), "tables_hash": tables.hexdigest()}


__all__ = ["digests", "file_digest", "read_scenario_file"]
