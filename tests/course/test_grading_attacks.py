"""The adversarial corpus: one class of the demo assignment where every student attacks the grader differently.

Each module of tests/course/attacks/ writes one submission and asserts what must happen to it.  All of them are
graded in one run (two worker processes), next to an honest student and a "victim" the attacks try to harm;
then feedback is generated.  Besides each attack's own checks: every submission ends graded (or listed as
failed with a reason), no course file changes, no hidden test reaches anything a student sees, the honest
students are unaffected, and no sandbox process outlives the run.
"""
from __future__ import annotations

import hashlib
import importlib
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest

from grading.files import open_entry, walk
from grading.marking.sandbox import sandbox_uids
from tests.conftest import require
from tests.course.conftest import DemoCourse, venv_env
from tests.course.fixtures.demo import HIDDEN_MARKER, MAX_SCORE, POINTS, SOLUTIONS

ATTACKS = sorted(p.stem for p in (Path(__file__).parent / "attacks").glob("a[0-9]*.py"))
if os.environ.get("GRADING_ATTACKS"):       # e.g. GRADING_ATTACKS=a60,a61: grade only these (while writing one)
    ATTACKS = [name for name in ATTACKS if name.split("_")[0] in os.environ["GRADING_ATTACKS"].split(",")]


def _attack(name):
    return importlib.import_module(f"tests.course.attacks.{name}")


def _hashes(root):
    """Digest of every regular file of the course (walked like the grader does: some names are hostile)."""
    found = {}
    for folder in ("solutions", "exercises", "submitted"):
        for entry in walk(root / folder):
            if entry.kind == "file":
                digest = hashlib.sha256(f"{entry.size}:{entry.mtime_ns}".encode())
                if entry.size < 64 * 1024 * 1024:
                    with open_entry(entry) as f:
                        digest.update(f.read())
                found[f"{folder}/{entry.path}"] = digest.hexdigest()
    found["nbgrader_config.py"] = hashlib.sha256((root / "nbgrader_config.py").read_bytes()).hexdigest()
    return found


def _sandbox_processes(root):
    """Processes still running as the uid of one of this run's sandboxes (only meaningful when grading as root).

    Each grading worker gives its sandboxes uids of ``sandbox_uids(worker pid)``, and the journal names the worker
    of every submission.  Other tests may be grading at the same time (pytest -n 2): their sandboxes have other
    uids and are rightly alive, so only this run's uids count.
    """
    journal = root / "autograded" / ".grading" / "demo" / "journal.jsonl"
    workers = {entry["worker"] for entry in map(json.loads, journal.read_text().splitlines()) if entry.get("worker")}
    uids = set().union(*(sandbox_uids(int(worker.rsplit(":", 1)[1])) for worker in workers))
    assert uids, "the journal names no grading worker"
    left = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            uid = int(next(line for line in status.splitlines() if line.startswith("Uid:")).split()[1])
            if uid in uids:
                left.append((pid, uid))
    return left


def _listen():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    connections = []

    def accept():
        while True:
            try:
                conn, address = server.accept()
            except OSError:
                return
            connections.append(address)
            conn.close()
    threading.Thread(target=accept, daemon=True).start()
    return server, connections


@pytest.fixture(scope="module")
def attack_run(demo_template, tmp_path_factory):
    require("bwrap", "sandboxed grading")
    root = tmp_path_factory.mktemp("attacks") / "course"
    shutil.copytree(demo_template, root)
    course = DemoCourse(root)
    server, connections = _listen()
    ctx = SimpleNamespace(port=server.getsockname()[1], connections=connections,
                          leftover_processes=lambda: _sandbox_processes(root) if os.geteuid() == 0 else [],
                          feedback=lambda student: (root / "feedback" / student / "demo" / "demo.html").read_text()
                          if (root / "feedback" / student / "demo" / "demo.html").exists() else "")
    course.submit("honest", SOLUTIONS)
    course.submit("victim", SOLUTIONS)
    for name in ATTACKS:
        _attack(name).submit(course, ctx)
    before = _hashes(root)
    ctx.summary = course.grade()
    ctx.changed = {path for path, digest in _hashes(root).items() if before.get(path) != digest} | \
        (set(before) - set(_hashes(root)))
    feedback = subprocess.run([sys.executable, "-m", "nbgrader", "generate_feedback", "demo"], cwd=root,
                              env=venv_env(), capture_output=True, text=True)
    ctx.feedback_log = feedback.stdout + feedback.stderr
    server.close()
    return course, ctx


@pytest.mark.parametrize("name", ATTACKS)
def test_attack(attack_run, name):
    course, ctx = attack_run
    _attack(name).check(course, ctx)


def test_corpus_is_large_enough():
    assert len(ATTACKS) >= 15


def test_every_submission_is_graded_or_listed(attack_run):
    course, ctx = attack_run
    students = {"honest", "victim", *ATTACKS}
    entries = course.report()["submissions"]
    assert set(entries) == students
    assert all(entry["status"] == "graded" or entry.get("reason") for entry in entries.values())
    assert ctx.summary.graded + ctx.summary.failed == len(students)
    assert "Traceback" not in ctx.feedback_log, ctx.feedback_log[-2000:]


def test_no_course_file_changed(attack_run):
    course, ctx = attack_run
    assert ctx.changed == set()


def test_honest_students_are_unaffected(attack_run):
    course, ctx = attack_run
    for student in ("honest", "victim"):
        assert course.scores(student) == POINTS
        assert course.entry(student)["flags"] == []
        assert not course.flagged(student)


def test_hidden_tests_reach_nothing_a_student_sees(attack_run):
    course, ctx = attack_run
    for folder in ("autograded", "feedback"):
        for path in (course.root / folder).rglob("*"):
            if path.is_file():
                text = path.read_text(errors="replace")
                assert HIDDEN_MARKER not in text, path
                assert "default_rng(7)" not in text and "BEGIN HIDDEN TESTS" not in text, path


def test_no_sandbox_process_survives(attack_run):
    course, ctx = attack_run
    assert ctx.leftover_processes() == []


def test_scores_never_exceed_the_source(attack_run):
    course, ctx = attack_run
    for student in ATTACKS:
        scores = course.scores(student)
        assert set(scores) <= set(POINTS)
        assert all(scores[g] in (0, POINTS[g]) for g in scores)
        assert course.total(student) <= MAX_SCORE


def test_every_flag_raised_is_in_the_vocabulary(attack_run):
    from grading.flags import CODES
    course, ctx = attack_run
    raised = {code for entry in course.report()["submissions"].values() for code, _ in entry.get("flags", [])}
    assert raised and raised <= CODES, raised - CODES
