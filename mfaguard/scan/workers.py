"""Run independent units of a scan (root modules, plans) in parallel worker processes.

    map_units(fn, units, settings) -> [fn(unit, settings) for unit in units], in input order

One worker per core (``MFAGUARD_WORKERS`` overrides; ``1`` runs in this process, as does a
single unit).  Workers are forked after Checkov is imported, so a worker starts in
milliseconds and pays no import; results must be picklable (engine.UnitResult is).
SIGTERM unwinds like Ctrl-C in the CLI process and in every worker (KeyboardInterrupt), so each
``finally`` removes its temporary files; an interrupted parent stops its workers first.
"""
from __future__ import annotations

import contextlib
import os
import signal
from typing import Any, Callable, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_POOLS: list[Any] = []


def count(n_units: int) -> int:
    """Worker processes for n_units: the cores this process may use, at most one per unit."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    wanted = int(os.environ.get("MFAGUARD_WORKERS", "0") or 0) or cores
    return max(1, min(wanted, n_units))


def map_units(fn: Callable[[T, Any], R], units: list[T], settings: Any) -> list[R]:
    n = count(len(units))
    if n <= 1:
        return [fn(u, settings) for u in units]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=n, mp_context=multiprocessing.get_context("fork"),
                               initializer=exit_on_sigterm)
    _POOLS.append(pool)
    try:
        results = list(pool.map(fn, units, [settings] * len(units)))
    except BaseException:
        terminate_workers()  # each worker removes its temporary copies, then ends
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    finally:
        _POOLS.remove(pool)
    pool.shutdown(wait=True)
    return results


def _raise_interrupt(signum: int, _frame: Any) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def exit_on_sigterm() -> None:
    """SIGTERM unwinds like Ctrl-C (KeyboardInterrupt), so every `finally` removes its
    temporary files; installed in the CLI process and in each worker."""
    signal.signal(signal.SIGTERM, _raise_interrupt)


def terminate_workers() -> None:
    """Stop the worker processes of a running scan (SIGTERM/SIGINT in the parent)."""
    for pool in list(_POOLS):
        for proc in list(getattr(pool, "_processes", {}).values()):
            with contextlib.suppress(OSError):
                os.kill(proc.pid, signal.SIGTERM)
