"""Crash safety and the parent's deadline.

* ``kill -9`` of the grading process (only it: not its process group) at several points — workers just started,
  some submissions saved, most saved — leaves no worker behind, and a rerun started right away is not refused
  and resumes; in the end every student has exactly one grade per test cell.
* A submission whose worker never returns is stopped by the parent after its wall-time limit and listed as
  failed with the reason; the classmates are graded.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from grading.limits import Limits
from tests.conftest import require
from tests.course.conftest import TEST_LIMITS, venv_env
from tests.course.fixtures.demo import MAX_SCORE, POINTS, SOLUTIONS

STUDENTS = [f"student{i:02d}" for i in range(8)]
SLOW = dict(SOLUTIONS, n_params="import time\ntime.sleep(0.8)\nn_params = 13")


def _children(pid):
    """Every descendant of ``pid`` (from /proc)."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _alive(pids):
    alive = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.add(pid)
    return alive


def _journal_lines(root):
    journal = root / "autograded" / ".grading" / "demo" / "journal.jsonl"
    return len(journal.read_text().splitlines()) if journal.exists() else 0


@pytest.mark.slow
def test_kill_9_of_the_parent_at_several_points_then_rerun(demo_course):
    require("bwrap", "sandboxed grading")
    root = demo_course.root
    for student in STUDENTS:
        demo_course.submit(student, SLOW)
    points = [("workers started", lambda run: len(_children(run.pid)) >= 2),
              ("two saved", lambda run: _journal_lines(root) >= 2),
              ("five saved", lambda run: _journal_lines(root) >= 5)]
    for what, reached in points:
        run = subprocess.Popen([sys.executable, "-m", "grading", "autograde", "demo", "--workers", "2",
                                "--no-progress"], cwd=root, env=venv_env(), start_new_session=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and run.poll() is None and not reached(run):
            time.sleep(0.02)
        assert run.poll() is None, f"the run ended before '{what}' (or was refused):\n{run.stdout.read()[-2000:]}"
        workers = _children(run.pid)
        os.kill(run.pid, signal.SIGKILL)              # the parent alone, as a crash or an OOM kill would
        run.wait()
        run.stdout.close()
        deadline = time.monotonic() + 15
        while _alive(workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(workers), f"after kill -9 at '{what}', workers outlived the parent: {_alive(workers)}"

    summary = demo_course.grade(workers=2)            # right after the last kill: not refused, resumes
    assert summary.failed == 0, summary.failures
    assert summary.graded + summary.skipped == len(STUDENTS) and summary.skipped >= 5
    rows = demo_course.grade_rows()
    counts = Counter((student, cell) for student, cell, _ in rows)
    assert set(counts) == {(s, c) for s in STUDENTS for c in POINTS} and set(counts.values()) == {1}
    for student in STUDENTS:
        assert demo_course.total(student) == MAX_SCORE


def never_returns_for_stuck(job):
    """A grading function whose worker hangs (as one stuck in the trusted side's work would) for "stuck"."""
    from grading.marking.worker import grade_submission
    if job.student == "stuck":
        time.sleep(3600)
    return grade_submission(job)


def test_the_parent_stops_a_submission_past_its_wall_deadline(demo_course, monkeypatch):
    require("bwrap", "sandboxed grading")
    import grading.autograde
    monkeypatch.setattr(grading.autograde, "grade_submission", never_returns_for_stuck)
    for student in ("stuck", "fine", "also_fine"):
        demo_course.submit(student, SOLUTIONS)
    limits = Limits(**{**TEST_LIMITS.__dict__, "submission_seconds": 8.0})

    def too_long(signum, frame):
        raise TimeoutError("the grading run did not stop the stuck submission")
    previous = signal.signal(signal.SIGALRM, too_long)
    signal.alarm(150)
    try:
        started = time.monotonic()
        summary = demo_course.grade(workers=2, limits=limits)
        seconds = time.monotonic() - started
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert (summary.graded, summary.failed) == (2, 1), summary.failures
    assert "wall-time limit" in summary.failures["stuck"]
    assert seconds < 60
    entry = demo_course.report()["submissions"]["stuck"]
    assert entry["status"] == "failed" and "8 s" in entry["reason"]
    assert demo_course.total("fine") == MAX_SCORE and demo_course.total("also_fine") == MAX_SCORE
    journal = demo_course.root / "autograded" / ".grading" / "demo" / "journal.jsonl"
    assert [json.loads(line)["student"] for line in journal.read_text().splitlines()].count("stuck") == 1
