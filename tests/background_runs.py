"""Runs that take minutes of kernel time, started in a background pool as soon as the session is collected.

The chapters under other CPU variants (and the problem sets graded under them) need about as much kernel time
as the rest of the suite. ``make test`` runs the rest on one core; this pool runs those executions on the second
core meanwhile, and the tests that need a result, collected last (see ``move_to_end``), wait for it.  Before them
it starts the slow set-up of session fixtures that tests need early (``fixture_run``: the book build, the students'
environments), so that the first test to use one finds it ready.
``BACKGROUND_JOBS`` sets the pool's size (default 1: the second of two cores). A test whose run was not started
ahead (e.g. under pytest-xdist, or selected alone) starts it itself.
"""
from __future__ import annotations

import os
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Callable

MARKER = "background_run"   # a test marked @pytest.mark.background_run(key, function, *args) uses such a run
# session fixtures whose slow part the pool starts first, before the tests' runs: fixture name -> (key, function, *args)
FIXTURE_RUNS: dict[str, tuple] = {}


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
        """The run's result: from the pool if it was started there, else computed now (once per session)."""
        future = self._futures.get(key)
        if future is None:          # not started ahead: run it now, once
            future = self._futures[key] = Future()
            try:
                future.set_result(function(*args))
            except BaseException as error:
                future.set_exception(error)
        return future.result()

    def stop(self):
        """Cancel what has not started (a run interrupted with -x or Ctrl-C); the running ones end by themselves."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)


RUNS = BackgroundRuns()


def fixture_run(fixture_name: str, key: tuple, function: Callable, *args):
    """Declare ``function(*args)`` the slow part of session fixture ``fixture_name`` (e.g. building the book): when a
    selected test uses that fixture, the pool starts the run first, and the fixture takes its result with
    ``RUNS.result(key, function, *args)`` when the first such test comes."""
    FIXTURE_RUNS[fixture_name] = (key, function, *args)


def move_to_end(items):
    """Put the tests that wait for a background run last, so the rest of the suite runs while the pool works."""
    waiting = [item for item in items if item.get_closest_marker(MARKER)]
    items[:] = [item for item in items if not item.get_closest_marker(MARKER)] + waiting


def start_for(items):
    """Start the background run of every selected test (not in an xdist worker: each would run them all)."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return
    needed = [run for name, run in FIXTURE_RUNS.items() if any(name in item.fixturenames for item in items)]
    RUNS.start(needed + [tuple(item.get_closest_marker(MARKER).args) for item in items
                         if item.get_closest_marker(MARKER)])
