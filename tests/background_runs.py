"""Runs that take minutes of kernel time, started in a background pool as soon as the session is collected.

The chapters under other CPU variants (and the problem sets graded under them) need about as much kernel time
as the rest of the suite. ``make test`` runs the rest on one core; this pool runs those executions on the second
core meanwhile, and the tests that need a result, collected last (see ``move_to_end``), wait for it.
``BACKGROUND_JOBS`` sets the pool's size (default 1: the second of two cores). A test whose run was not started
ahead (e.g. under pytest-xdist, or selected alone) starts it itself.
"""
from __future__ import annotations

import os
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Callable

MARKER = "background_run"   # a test marked @pytest.mark.background_run(key, function, *args) uses such a run


class BackgroundRuns:
    def __init__(self):
        self._pool: ThreadPoolExecutor | None = None
        self._futures: dict[tuple, Future] = {}

    def start(self, jobs: list[tuple]):
        """Submit every (key, function, *args) in order, on ``BACKGROUND_JOBS`` threads."""
        if not jobs:
            return
        self._pool = ThreadPoolExecutor(int(os.environ.get("BACKGROUND_JOBS", "1")), thread_name_prefix="background")
        for key, function, *args in jobs:
            if key not in self._futures:
                self._futures[key] = self._pool.submit(function, *args)

    def result(self, key: tuple, function: Callable, *args):
        """The run's result: from the pool if it was started there, else computed now."""
        future = self._futures.get(key)
        return function(*args) if future is None else future.result()

    def stop(self):
        """Cancel what has not started (a run interrupted with -x or Ctrl-C); the running ones end by themselves."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)


RUNS = BackgroundRuns()


def move_to_end(items):
    """Put the tests that wait for a background run last, so the rest of the suite runs while the pool works."""
    waiting = [item for item in items if item.get_closest_marker(MARKER)]
    items[:] = [item for item in items if not item.get_closest_marker(MARKER)] + waiting


def start_for(items):
    """Start the background run of every selected test (not in an xdist worker: each would run them all)."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return
    RUNS.start([tuple(item.get_closest_marker(MARKER).args) for item in items if item.get_closest_marker(MARKER)])
