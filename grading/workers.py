"""Local grading workers: one forked process per submission, at most N at a time, each with a wall deadline.

The parent process (``autograde``) is the only one that waits here, so it is the one that enforces time: a
submission whose worker is still busy after ``deadline`` seconds (whatever it is doing: the student's sandbox,
decoding, the trusted tests) is stopped with SIGKILL and comes back as a failure with its reason.  A worker that
dies comes back as a failure marked for one retry.

Workers die with the parent: each asks the kernel for SIGKILL when its parent exits (``PR_SET_PDEATHSIG``), so a
``kill -9`` of the grading run leaves no worker behind; their sandboxes follow (bubblewrap's --die-with-parent).
A worker never holds the run's lock (``grading.journal.RunLock`` is a POSIX record lock, which forks do not
inherit) and never writes anything of the course.
"""
from __future__ import annotations

import ctypes
import multiprocessing
import multiprocessing.connection
import os
import signal
import time
import traceback

from .records import Failure, Result

PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid):
    """Ask Linux to SIGKILL this process when its parent exits; exit now if the parent is already gone."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):       # not Linux: the parent's own clean-up still stops its workers
        pass
    if os.getppid() != parent_pid:
        os._exit(1)


def _work(function, job, connection, parent_pid):
    die_with_parent(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)     # Ctrl-C is the parent's to handle
    try:
        result = function(job)
    except BaseException as error:                   # the function never raises; if it does, say why
        result = Result.failed(job, Failure.BUG, f"{type(error).__name__}: {error}",
                               traceback=traceback.format_exc(limit=8))
    try:
        connection.send(result)
    finally:
        os._exit(0)                                  # no atexit handlers, no finalizers of the parent's objects


class Running:
    def __init__(self, student, process, connection, deadline):
        self.student, self.process, self.connection, self.deadline = student, process, connection, deadline


def run_local(function, jobs, workers, deadline_seconds):
    """Yield ``(student, result)`` as each of ``jobs`` (student -> job) finishes, at most ``workers`` at once.

    A result is what ``function(job)`` returned, or a failed ``records.Result``: ``Failure.WORKER`` (retried) when
    the worker died, ``Failure.DEADLINE`` when it ran out of time.
    """
    waiting = list(jobs.items())
    with LocalPool(function, deadline_seconds) as pool:
        while waiting or pool.running:
            while waiting and len(pool.running) < workers:
                pool.start(*waiting.pop(0))
            yield from pool.finished()


class LocalPool:
    """Forked workers started one job at a time (``start``), collected as they finish (``finished``); the
    parent enforces each one's wall deadline.  ``run_local`` feeds it a fixed set of jobs; the watcher
    (``grading.watch``) feeds it submissions as they arrive.  Leaving the ``with`` block stops what still runs."""

    def __init__(self, function, deadline_seconds):
        self.function, self.deadline_seconds = function, deadline_seconds
        self.context = multiprocessing.get_context("fork")
        self.running, self.jobs = {}, {}

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop_all()

    def start(self, key, job):
        receive, send = self.context.Pipe(duplex=False)
        process = self.context.Process(target=_work, args=(self.function, job, send, os.getpid()), daemon=True)
        process.start()
        send.close()
        self.jobs[key] = job
        self.running[receive] = Running(key, process, receive, time.monotonic() + self.deadline_seconds)

    def finished(self, timeout=None):
        """Yield ``(key, result)`` of the workers that finish or pass their deadline within ``timeout`` seconds
        (None: until the soonest one does)."""
        if not self.running:
            return
        soonest = min(r.deadline for r in self.running.values()) - time.monotonic()
        wait = max(0.0, soonest if timeout is None else min(timeout, soonest))
        for connection in multiprocessing.connection.wait(list(self.running), timeout=wait):
            worker = self.running.pop(connection)
            yield worker.student, _collect(worker, self.jobs.pop(worker.student))
        now = time.monotonic()
        for connection, worker in list(self.running.items()):
            if now >= worker.deadline:
                del self.running[connection]
                _stop(worker)
                yield worker.student, Result.failed(self.jobs.pop(worker.student), Failure.DEADLINE,
                                                    f"grading took longer than its {self.deadline_seconds:g} s "
                                                    f"wall-time limit; the worker was stopped")

    def stop_all(self):
        for worker in self.running.values():
            _stop(worker)
        self.running.clear()
        self.jobs.clear()


def _collect(worker, job):
    try:
        result = worker.connection.recv()
    except (EOFError, OSError):
        worker.process.join(timeout=5)
        code = worker.process.exitcode
        how = f"was killed by signal {-code}" if code is not None and code < 0 else f"exited with status {code}"
        result = Result.failed(job, Failure.WORKER, f"the grading worker failed: it {how} before returning a result")
    worker.connection.close()
    worker.process.join(timeout=5)
    if worker.process.is_alive():
        worker.process.kill()
        worker.process.join()
    return result


def _stop(worker):
    worker.process.kill()
    worker.process.join()
    worker.connection.close()

