"""Scenario sweeps on Dask: one scenario per task, each result stored as it finishes.

:func:`run_sweep` runs a list of scenarios (model-file overrides, e.g. the Cartesian product of
``tea sweep --grid`` values, :func:`grid_scenarios`) on a Dask cluster: a
``distributed.LocalCluster`` with one single-threaded worker process per core by default, or
an existing scheduler by address (``tcp://host:8786``), so a study moves from one machine to a
cluster without a change. Each task loads the model with its overrides, optimizes it and returns
one row (:func:`scenario_row`): status, objective, capex, budget and its marginal value, import
share by year, levelized costs by product, the after-tax figures when the run has them. A model
that is infeasible, stops at its time limit or fails is a row too, with its status and diagnosis.

Storage: a Parquet dataset (pyarrow) under ``OUT/results/``, one file per scenario named by its
id (a hash of its overrides), written by the client as each task finishes (to a temporary name,
then renamed: no half-written file). Every row carries the scenario's values (one column per
key, JSON), the SHA-256 of the model file and of its input tables, and the package version; a
rerun skips the scenarios whose row exists for the same model, tables and version (an ``error``
row is retried), so an interrupted sweep resumes.

Workers need the model file at the same path (a shared file system on a cluster). dask,
distributed and pyarrow are imported inside the functions that use them (``tea --help`` stays
fast).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import time
from collections.abc import Callable
from importlib.metadata import version as package_version
from pathlib import Path

import pandas as pd

from tea.errors import InfeasibleError, InputError, SolverError, TimeLimitError

RESULTS = "results"
"""Folder of the Parquet dataset under the sweep's output folder."""

KEY_PREFIX = "set:"
"""Prefix of the columns holding a scenario's values (``set:model.discount_rate``)."""


def grid_scenarios(grid: dict[str, list]) -> list[dict]:
    """The Cartesian product of ``{key: [values]}`` as a list of override dicts (key order
    kept, the last key varying fastest)."""
    keys = list(grid)
    return [dict(zip(keys, combo, strict=True))
            for combo in itertools.product(*(grid[k] for k in keys))]


def scenario_id(overrides: dict) -> str:
    """A short stable id of a scenario: SHA-1 of its overrides as sorted JSON (16 hex)."""
    text = json.dumps(overrides, sort_keys=True, default=str)
    return hashlib.sha1(text.encode()).hexdigest()[:16]


def _flat(prefix: str, mapping: dict | None) -> dict:
    return {f"{prefix}{k}": (None if v is None else float(v)) for k, v in (mapping or {}).items()}


def scenario_row(path: str, overrides: dict, time_limit: float | None = 120.0,
                 mip_rel_gap: float = 1e-4, threads: int | None = None) -> dict:
    """Optimize one scenario and return its summary row (a Dask task; never raises for a model
    that cannot be solved: its status says why).

    Columns: status (``optimal``, ``feasible``, ``infeasible``, ``time_limit``,
    ``solver_error``, ``bad_input``, ``error``), diagnosis, seconds [s], currency,
    objective, capex, budget, budget_value_per_bn [currency of the model / the budget's],
    ``import_share_<year>`` [fraction], ``levelized_cost_<product>`` [USD of the base year per
    kg], ``npv``/``irr`` (the chain's after tax) when the run reports them. ``threads``: HiGHS
    threads (1 on a worker that shares its machine with the others).
    """
    from tea.analysis.run import optimize_model, summary  # the worker's own import

    t0 = time.perf_counter()
    row: dict = {"status": "error", "diagnosis": ""}
    try:
        result = summary(optimize_model(path, overrides, time_limit=time_limit,
                                        mip_rel_gap=mip_rel_gap, threads=threads))
        row.update(status=result["status"], currency=result["objective"]["unit"],
                   objective=result["objective"]["value"],
                   capex=result["capex_total"]["value"],
                   budget=(result["budget"] or {}).get("value"),
                   budget_unit=result["capex_total"]["unit"],
                   budget_value_per_bn=result["budget_marginal_value"]["value"])
        row.update(_flat("import_share_", result["import_share"]))
        row.update(_flat("levelized_cost_", {p: v["value"] for p, v in
                                             result["levelized_cost"].items()}))
        finance = (result.get("finance") or {}).get("chain", {})
        for key in ("npv", "irr"):
            value = finance.get(key, result.get(key))
            if isinstance(value, dict):
                value = value.get("value")
            if isinstance(value, int | float):
                row[key] = float(value)
    except InfeasibleError as exc:
        row.update(status="infeasible", diagnosis="; ".join([str(exc), *exc.diagnosis]))
    except TimeLimitError as exc:
        row.update(status="time_limit", diagnosis=str(exc))
    except SolverError as exc:
        row.update(status="solver_error", diagnosis=str(exc))
    except InputError as exc:
        row.update(status="bad_input", diagnosis=str(exc))
    except Exception as exc:  # noqa: BLE001 - a sweep never stops on one scenario
        row.update(status="error", diagnosis=f"{type(exc).__name__}: {exc}")
    row["seconds"] = time.perf_counter() - t0
    return row


def stamp(scenario, overrides: dict) -> dict:
    """The key columns of a scenario's row: id, values, model, hashes, package version."""
    from tea.config.studies import digests

    out = {"scenario_id": scenario_id(overrides), "model": scenario.name,
           "scenario": json.dumps(overrides, sort_keys=True, default=str),
           **digests(scenario), "version": package_version("tea")}
    out.update({f"{KEY_PREFIX}{k}": json.dumps(v, default=str) for k, v in overrides.items()})
    return out


def read_results(out: str | Path) -> pd.DataFrame:
    """Every row stored under ``OUT/results/`` (one Parquet file per scenario)."""
    import pyarrow.parquet as pq  # lazy: pyarrow is heavy to import

    files = sorted(Path(out, RESULTS).glob("*.parquet"))
    if not files:
        return pd.DataFrame()
    return pd.concat([pq.read_table(f).to_pandas() for f in files], ignore_index=True)


def write_row(out: str | Path, row: dict) -> Path:
    """Store one row as ``OUT/results/<scenario_id>.parquet`` (temporary name, then rename)."""
    import pyarrow as pa  # lazy: pyarrow is heavy to import
    import pyarrow.parquet as pq

    folder = Path(out, RESULTS)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{row['scenario_id']}.parquet"
    tmp = folder / f".{row['scenario_id']}.{os.getpid()}.tmp"
    pq.write_table(pa.Table.from_pylist([row]), tmp)
    os.replace(tmp, path)
    return path


def pending(stamps: list[dict], done: pd.DataFrame) -> list[int]:
    """Positions of the scenarios without a stored row for the same model, tables and version
    (rows with status ``error`` do not count as done)."""
    if done.empty:
        return list(range(len(stamps)))
    keys = ["scenario_id", "model_hash", "tables_hash", "version"]
    ok = done[done["status"] != "error"]
    have = set(map(tuple, ok[keys].astype(str).to_numpy()))
    return [i for i, s in enumerate(stamps) if tuple(str(s[k]) for k in keys) not in have]


def connect(scheduler: str | None = None, workers: int | None = None,
            processes: bool = True):
    """A Dask client and the cluster it started (None for an existing scheduler).

    Raises
    ------
    InputError
        If no scheduler answers at ``scheduler`` (key ``--scheduler``).
    """
    from distributed import Client, LocalCluster  # lazy: heavy, only for sweeps

    if scheduler:
        try:
            return Client(scheduler, timeout="3s"), None
        except (OSError, TimeoutError, ValueError) as exc:
            raise InputError(f"cannot reach a Dask scheduler at {scheduler!r} ({type(exc).__name__}; "
                             "expected the address of a running scheduler, e.g. "
                             "tcp://host:8786)", key="--scheduler") from None
    from tea.optimize.pool import default_workers

    cluster = LocalCluster(n_workers=workers or default_workers(), threads_per_worker=1,
                           processes=processes, dashboard_address=None)
    return Client(cluster), cluster


def run_sweep(path: str | Path, scenarios: list[dict], out: str | Path,
              scheduler: str | None = None, workers: int | None = None,
              time_limit: float | None = 120.0, mip_rel_gap: float = 1e-4,
              progress: Callable[[dict], None] | None = None, client=None,
              processes: bool = True) -> pd.DataFrame:
    """Run ``scenarios`` of the model at ``path`` on Dask and store each row as it finishes.

    Parameters
    ----------
    path : str or Path
        The model file (workers read it at the same path).
    scenarios : list of dict
        Overrides of each scenario (``{"model.discount_rate": 0.08, ...}``), checked before.
    out : str or Path
        Output folder; rows go to ``out/results/``.
    scheduler : str, optional
        Address of a running Dask scheduler; default a ``LocalCluster`` of ``workers``.
    workers : int, optional
        Worker processes of the local cluster (default one per core).
    time_limit, mip_rel_gap : float
        Of each optimization [s], [fraction].
    progress : callable, optional
        Called with each row as it is stored (also with the rows found done).
    client : distributed.Client, optional
        A client to use instead (not closed here).
    processes : bool
        Worker processes (True) or threads of this process (local cluster only).

    Returns
    -------
    DataFrame
        The rows of ``scenarios`` (stored before or now), in their order.
    """
    from tea.config import load_scenario

    path = str(Path(path).resolve())
    stamps = [stamp(load_scenario(path, s), s) for s in scenarios]
    done = read_results(out)
    todo = pending(stamps, done)
    if progress:
        for i in sorted(set(range(len(stamps))) - set(todo)):
            progress(stamps[i])
    if todo:
        _run_on_dask(path, scenarios, stamps, todo, out, scheduler, workers, time_limit,
                     mip_rel_gap, progress, client, processes)
    rows = read_results(out)
    ids = [s["scenario_id"] for s in stamps]
    rows = rows[rows["scenario_id"].isin(ids)].drop_duplicates("scenario_id", keep="last")
    return rows.set_index("scenario_id").loc[ids].reset_index()


def _run_on_dask(path, scenarios, stamps, todo, out, scheduler, workers, time_limit,
                 mip_rel_gap, progress, client, processes) -> None:
    """Submit the scenarios at positions ``todo`` and store each row as it comes back."""
    from distributed import as_completed  # lazy: heavy, only for sweeps

    own = client is None
    cluster = None
    if own:
        client, cluster = connect(scheduler, min(workers or 0, len(todo)) or None, processes)
    try:
        futures = {client.submit(scenario_row, path, scenarios[i], time_limit, mip_rel_gap, 1,
                                 key=f"tea-{stamps[i]['scenario_id']}-{time.time_ns()}",
                                 pure=False): i for i in todo}
        for future in as_completed(futures):
            i = futures[future]
            try:
                result = future.result()
            except Exception as exc:  # noqa: BLE001 - a lost worker: a row, not a stop
                result = {"status": "error", "diagnosis": f"{type(exc).__name__}: {exc}"}
            row = {**stamps[i], **result}
            write_row(out, row)
            if progress:
                progress(row)
    finally:
        if own:
            client.close()
            if cluster is not None:
                cluster.close()


__all__ = ["KEY_PREFIX", "RESULTS", "connect", "grid_scenarios", "pending", "read_results",
           "run_sweep", "scenario_id", "scenario_row", "stamp", "write_row"]
