"""Re-solves in parallel processes: the binding-limit re-solves and the Pareto points.

Each task runs in a worker process of a :class:`concurrent.futures.ProcessPoolExecutor` started by
a *forkserver* that has imported :mod:`tea.optimize.solve` once (a fork of a process in which
HiGHS has run could inherit its thread pool half-made; a spawned worker would import Pyomo
again). Each worker solves with one HiGHS thread, so two workers fill two cores. With
``workers=1`` the tasks run one after another in this process (no pool).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed


def default_workers() -> int:
    """One worker per core the process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def process_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes forked from a server that has imported the solver."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["tea.optimize.solve"])
    return ProcessPoolExecutor(max_workers=workers, mp_context=context)


def run_tasks(func: Callable, tasks: Iterable[tuple], workers: int | None = None,
              progress: Callable[[int], None] | None = None, pool=None) -> list:
    """``[func(*task) for task in tasks]``, in parallel processes.

    Parameters
    ----------
    func : callable
        A module-level function (it is pickled by name).
    tasks : iterable of tuple
        Its arguments, one tuple per call (pickled).
    workers : int, optional
        Processes; default one per core, and never more than tasks. 1: in this process.
    progress : callable, optional
        Called with the task's position as each one finishes.
    pool : ProcessPoolExecutor, optional
        A pool already started (its processes warm); not shut down here.

    Returns
    -------
    list
        The results in the order of ``tasks``. An exception of a task is raised here.
    """
    tasks = list(tasks)
    workers = min(workers or default_workers(), max(len(tasks), 1))
    if pool is None and (workers <= 1 or len(tasks) <= 1):
        out = []
        for i, task in enumerate(tasks):
            out.append(func(*task))
            if progress:
                progress(i)
        return out
    own = pool is None
    pool = pool or process_pool(workers)
    try:
        futures = {pool.submit(func, *task): i for i, task in enumerate(tasks)}
        out = [None] * len(tasks)
        for future in as_completed(futures):
            out[futures[future]] = future.result()
            if progress:
                progress(futures[future])
        return out
    finally:
        if own:
            pool.shutdown(cancel_futures=True)


def warm_up() -> int:
    """A task that does nothing but have its worker started (the solver imported)."""
    return os.getpid()


def warm_pool(workers: int = 1) -> ProcessPoolExecutor:
    """A :func:`process_pool` whose processes start now, in the background (the forkserver
    imports the solver while this process goes on), ready for tasks submitted later."""
    pool = process_pool(workers)

    def start():
        for _ in range(workers):
            try:
                pool.submit(warm_up)
            except RuntimeError:  # the pool was shut down first (the caller stopped on an error)
                return

    threading.Thread(target=start, daemon=True).start()
    return pool


def submit_all(pool: ProcessPoolExecutor, func: Callable, tasks: list[tuple]):
    """Submit ``func(*task)`` for every task from a background thread (starting a process can
    take a while) and return a function that waits for the results, in order, and shuts the
    pool down. An exception of a task is raised by that function."""
    done: dict = {}

    def work():
        try:
            futures = [pool.submit(func, *task) for task in tasks]
            done["results"] = [f.result() for f in futures]
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread
            done["error"] = exc

    thread = threading.Thread(target=work, daemon=True)
    thread.start()

    def wait() -> list:
        try:
            thread.join()
        finally:
            pool.shutdown(cancel_futures=True)
        if "error" in done:
            raise done["error"]
        return done["results"]

    return wait


__all__ = ["default_workers", "process_pool", "run_tasks", "submit_all", "warm_pool", "warm_up"]
