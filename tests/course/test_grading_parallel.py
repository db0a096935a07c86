"""Parallel grading that loses nothing: a Dask cluster, a run killed midway and resumed, a class graded by two
workers with every gradebook row present exactly once, and one grading run at a time."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest

from grading.journal import RunLock
from tests.conftest import require
from tests.course.conftest import venv_env
from tests.course.fixtures.demo import MAX_SCORE, POINTS, SOLUTIONS

WRONG_MSE = dict(SOLUTIONS, mse="def mse(Y, T):\n    return float(np.sum((Y - T) ** 2))")


def _class(course, n):
    for i in range(n):
        course.submit(f"student{i:02d}", SOLUTIONS if i % 3 else WRONG_MSE)


def _expected(i):
    return MAX_SCORE if i % 3 else MAX_SCORE - POINTS["test_mse"]


def test_dask_local_cluster_two_worker_processes(demo_course):
    require("bwrap", "sandboxed grading")
    distributed = pytest.importorskip("distributed")
    _class(demo_course, 6)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        worker_pids = set(client.run(os.getpid).values())
        summary = demo_course.grade(scheduler=cluster.scheduler_address, workers=None)
    assert (summary.graded, summary.failed) == (6, 0), summary.failures
    assert summary.executor.startswith("Dask at tcp://127.0.0.1")
    for i in range(6):
        assert demo_course.total(f"student{i:02d}") == _expected(i)
    used = {int(entry["worker"].rsplit(":", 1)[1]) for entry in demo_course.report()["submissions"].values()}
    assert used <= worker_pids and os.getpid() not in used


def test_killed_run_resumes_without_regrading_or_losing(demo_course):
    require("bwrap", "sandboxed grading")
    slow = dict(SOLUTIONS, n_params="import time\ntime.sleep(1.5)\nn_params = 13")
    for i in range(6):
        demo_course.submit(f"student{i:02d}", slow)
    journal = demo_course.root / "autograded" / ".grading" / "demo" / "journal.jsonl"
    run = subprocess.Popen([sys.executable, "-m", "grading", "autograde", "demo", "--workers", "1", "--no-progress"],
                           cwd=demo_course.root, env=venv_env(), start_new_session=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and run.poll() is None:
        if journal.exists() and len(journal.read_text().splitlines()) >= 2:
            break
        time.sleep(0.1)
    os.killpg(run.pid, signal.SIGKILL)
    run.wait()
    finished = {json.loads(line)["student"] for line in journal.read_text().splitlines()}
    assert 2 <= len(finished) < 6, "the run was not killed midway"

    summary = demo_course.grade(workers=2)
    assert summary.skipped == len(finished)
    assert summary.graded == 6 - len(finished) and summary.failed == 0
    for i in range(6):
        assert demo_course.scores(f"student{i:02d}") == POINTS
    rows = demo_course.grade_rows()
    assert len(rows) == 6 * len(POINTS) and len(set((s, c) for s, c, _ in rows)) == len(rows)


def test_concurrent_workers_lose_and_duplicate_no_rows(demo_course):
    require("bwrap", "sandboxed grading")
    n = 12
    _class(demo_course, n)
    summary = demo_course.grade(workers=2)
    assert (summary.graded, summary.failed) == (n, 0)
    rows = demo_course.grade_rows()
    counts = Counter((student, cell) for student, cell, _ in rows)
    assert len(counts) == n * len(POINTS) and set(counts.values()) == {1}
    assert all(score is not None for _, _, score in rows)
    for i in range(n):
        assert demo_course.total(f"student{i:02d}") == _expected(i)
    again = demo_course.grade(workers=2, force=True)
    assert again.graded == n
    assert sorted(demo_course.grade_rows()) == sorted(rows)
    journal = demo_course.root / "autograded" / ".grading" / "demo" / "journal.jsonl"
    assert len(journal.read_text().splitlines()) == 2 * n


def test_one_grading_run_at_a_time(demo_course):
    demo_course.submit("alice", SOLUTIONS)
    with RunLock(demo_course.root / "autograded" / ".grading" / "lock"):
        with pytest.raises(RuntimeError, match="another grading run is in progress"):
            demo_course.grade(unsandboxed=True)


def crash_some_workers(job):
    """A grading function whose worker process dies: always for "doomed", once for "unlucky"."""
    from grading.marking.worker import grade_submission
    marker = os.path.join(job.path, "..", "..", "..", "crashed-once")
    if job.student == "doomed" or (job.student == "unlucky" and not os.path.exists(marker)):
        open(marker, "w").close()
        os._exit(1)
    return grade_submission(job)


def test_a_crashed_worker_is_retried_once_then_listed(demo_course, monkeypatch):
    require("bwrap", "sandboxed grading")
    import grading.autograde
    monkeypatch.setattr(grading.autograde, "grade_submission", crash_some_workers)
    for student in ("doomed", "unlucky", "fine"):
        demo_course.submit(student, SOLUTIONS)
    summary = demo_course.grade(workers=1)
    assert (summary.graded, summary.failed) == (2, 1)
    assert "the grading worker failed" in summary.failures["doomed"]
    assert demo_course.scores("unlucky") == POINTS and demo_course.scores("fine") == POINTS
    assert demo_course.report()["submissions"]["doomed"]["status"] == "failed"
    assert "doomed" in (demo_course.root / "autograded" / ".grading" / "demo" / "report.md").read_text()
