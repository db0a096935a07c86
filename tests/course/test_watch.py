"""``python -m grading watch``: feedback while a problem set is open, through nbgrader's own exchange.

Students are separate processes with their own HOME (``fixtures/as_student.py`` gives each its Unix user name)
running ``nbgrader submit`` and ``fetch_feedback``; the watcher is a ``python -m grading watch`` process that each
test starts and stops by its PID (SIGTERM: exit status 0; ``kill -9`` in the crash test).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import datetime, timedelta, timezone

import numpy as np
import pytest

from nbgrader.utils import notebook_hash
from tests.conftest import require
from tests.course.conftest import venv_env
from tests.course.fixtures.demo import HIDDEN_MARKER, MAX_SCORE, POINTS, SOLUTIONS, submission
from tests.course.test_term import AS_STUDENT, EXPECTED, NO_SGD, WRONG_MSE

# right on the visible test (Y of shape (2, 1): size = len), a factor 3 off on the hidden one (Y of shape (6, 3))
HIDDEN_ONLY_MSE = dict(SOLUTIONS, mse="def mse(Y, T):\n    return float(np.sum((Y - T) ** 2) / Y.size)")
CONCEPTS = {"chapter": "03_losses", "concepts": ["mean squared error"]}
LIMITS = ("--cell-timeout", "3", "--call-timeout", "3", "--timeout", "30")


class Term:
    """The demo course released to the exchange; students who submit; a watcher process."""

    def __init__(self, course, tmp_path):
        self.course, self.root, self.tmp = course, course.root, tmp_path
        self.exchange = self.root / "exchange"
        self.instructor = tmp_path / "instructor"
        self.instructor.mkdir()
        self.nbgrader(self.root, "release_assignment", "demo")
        self.watchers = []

    def env(self, home):
        return dict(venv_env(), HOME=str(home), COURSE_EXCHANGE=str(self.exchange), OPENBLAS_NUM_THREADS="1")

    def nbgrader(self, cwd, *args, student=None, wait=True, home=None):
        home = home or (self.tmp / student if student else self.instructor)
        command = [sys.executable, str(AS_STUDENT), student] if student else [sys.executable, "-m", "nbgrader"]
        process = subprocess.Popen([*command, *args], cwd=cwd, env=self.env(home), stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True)
        return self.done(process) if wait else process

    @staticmethod
    def done(process):
        out, _ = process.communicate(timeout=300)
        assert process.returncode == 0, out
        return out

    def write(self, student, answers, filename="demo.ipynb", home=None):
        """The student's assignment folder holding only ``filename`` with these answers."""
        folder = (home or self.tmp / student) / "demo"
        if not folder.exists():
            shutil.copytree(self.root / "exercises" / "demo", folder)   # what fetch_assignment gives them
        for old in folder.glob("*.ipynb"):
            old.unlink()
        (folder / filename).write_text(json.dumps(submission(self.course.release, answers)))

    def submit(self, student, answers, filename="demo.ipynb", *options, home=None):
        self.write(student, answers, filename, home)
        return self.nbgrader(home or self.tmp / student, "submit", "demo", *options, student=student, home=home)

    def fetch(self, student):
        """Every feedback page the student has after nbgrader fetch_feedback, by submission timestamp."""
        self.nbgrader(self.tmp / student, "fetch_feedback", "demo", student=student)
        return {p.parent.name: p.read_text() for p in (self.tmp / student / "demo" / "feedback").glob("*/*.html")}

    def start(self, *args):
        log = open(self.tmp / f"watch-{len(self.watchers)}.log", "w")
        process = subprocess.Popen([sys.executable, "-m", "grading", "watch", "demo", "--workers", "2", *LIMITS,
                                    *args], cwd=self.root, env=self.env(self.instructor), stdout=log, stderr=log)
        self.watchers.append(process)
        return process

    def stop(self, process, how=signal.SIGTERM):
        os.kill(process.pid, how)
        return process.wait(timeout=120)

    def events(self):
        path = self.root / "autograded" / ".grading" / "demo" / "watch" / "ledger.jsonl"
        return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []

    def steps(self):
        """id -> the set of events recorded for it."""
        found = {}
        for event in self.events():
            found.setdefault(event["id"], set()).add(event["e"])
        return found

    def wait_for(self, predicate, what, timeout=240):
        started = time.monotonic()
        while not predicate():
            logs = "\n".join(p.read_text()[-2000:] for p in self.tmp.glob("watch-*.log"))
            assert time.monotonic() - started < timeout, f"waited {timeout} s for {what}:\n{logs}"
            ended = [p.returncode for p in self.watchers[-1:] if p.poll() is not None]
            assert not ended, f"the watcher ended (exit status {ended[0]}) before {what}:\n{logs}"
            time.sleep(0.5)

    def sent(self, n):
        self.wait_for(lambda: sum("sent" in s for s in self.steps().values()) >= n, f"{n} feedback files")

    def released(self):
        """id -> the feedback file's text in the exchange, for each submission (by nbgrader's hash)."""
        pages = {}
        for event in self.events():
            if event["e"] == "seen":
                path = self.exchange / "neural-networks" / "feedback" / \
                    f"{notebook_hash(secret=event['secret'], notebook_id=event['notebooks'][0])}.html"
                pages[event["id"]] = path.read_text() if path.exists() else None
        return pages


@pytest.fixture
def term(demo_course, tmp_path):
    require("bwrap", "sandboxed grading")
    term = Term(demo_course, tmp_path)
    yield term
    for process in term.watchers:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()


def hidden_values():
    """Texts of what the hidden tests feed the student's code and expect back (inputs, expected values, the
    instructor's descriptions of the hidden checks), as they would be printed."""
    import nnlib
    rng = np.random.default_rng(9)                       # test_mse's hidden block (fixtures/demo.py)
    Y, T = rng.normal(size=(6, 3)), rng.normal(size=(6, 3))
    numbers = [*Y.ravel(), *T.ravel(), nnlib.losses.mse(Y, T), float(np.sum((Y - T) ** 2) / Y.size)]
    rng = np.random.default_rng(7)                       # test_sigmoid's
    numbers += list(rng.normal(size=(4, 7)).ravel()[:6])
    texts = {f"{x:.4f}" for x in numbers} | {f"{x:.3g}" for x in numbers if abs(x) > 0.1}
    texts |= {"mse for Y of shape (6, 3)", "(6, 3)", "(4, 7)", HIDDEN_MARKER, "nnlib"}
    return texts


def leaked(page):
    """The hidden values found in a feedback page (its timestamps set aside: their digits are nobody's)."""
    page = re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d(:\d\d(\.\d+)?)?", "", page)
    return [text for text in hidden_values() if text in page]


@pytest.mark.slow
def test_feedback_arrives_through_fetch_feedback_and_shows_no_hidden_input(term):
    source = term.root / "solutions" / "demo" / "demo.ipynb"
    nb = json.loads(source.read_text())
    for cell in nb["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == "test_mse":
            cell["metadata"]["curriculum"] = CONCEPTS
    source.write_text(json.dumps(nb))
    watcher = term.start()
    term.submit("alice", HIDDEN_ONLY_MSE)
    term.submit("bob", SOLUTIONS)
    term.sent(2)
    assert term.stop(watcher) == 0

    alice, = term.fetch("alice").values()
    bob, = term.fetch("bob").values()
    assert "preview" in alice and "not your grade" in bob
    assert f"{MAX_SCORE - POINTS['test_mse']} / {MAX_SCORE} points" in alice and f"{MAX_SCORE} / {MAX_SCORE}" in bob
    # the hidden failure (a factor 3 off) in the task's and concept's names only, not the kind of slip
    assert "<code>test_mse</code>: ✘ failed, 0/1 points: a hidden test of this task failed (concepts: mean squared " \
           "error)</li>" in alice
    for page in [alice, bob, *term.released().values()]:
        assert not leaked(page), leaked(page)

    assert term.course.grade_rows() == [], "previews never go into the gradebook"
    assert not (term.root / "autograded" / "alice").exists()
    assert not any(term.instructor.iterdir()), list(term.instructor.rglob("*"))
    state = term.root / "autograded" / ".grading" / "demo" / "watch"
    copies = list((state / "submissions").rglob("*"))
    assert copies and all(os.stat(p).st_mode & 0o777 == (0o700 if p.is_dir() else 0o600) for p in copies)
    feedback = list((term.exchange / "neural-networks" / "feedback").glob("*.html"))
    assert len(feedback) == 2 and all(os.stat(p).st_mode & 0o777 == 0o644 for p in feedback)


@pytest.mark.slow
def test_the_budget_holds_for_renamed_same_second_and_repeated_submissions(term):
    watcher = term.start()
    term.submit("alice", SOLUTIONS)
    term.sent(1)
    term.submit("alice", WRONG_MSE, "Copy of demo.ipynb")               # renamed: a run of its own
    # two with the same timestamp (a student can set nbgrader's timestamp format to a fixed string), from two
    # homes (nbgrader's cache of one home refuses a second submission with the same timestamp)
    stamp = (f"--Exchange.timestamp_format={datetime.now(timezone.utc):%Y-%m-%d %H:%M:%S} UTC",)
    term.submit("alice", NO_SGD, "demo.ipynb", *stamp)
    term.submit("alice", HIDDEN_ONLY_MSE, "demo.ipynb", *stamp, home=term.tmp / "alice-laptop")
    term.submit("alice", SOLUTIONS)                                      # the first one again: costs nothing
    term.sent(5)
    assert term.stop(watcher) == 0

    events = term.events()
    seen = [e for e in events if e["e"] == "seen"]
    assert len(seen) == 5 and len({e["timestamp"] for e in seen[2:4]}) == 1, seen
    counts = Counter(e["e"] for e in events)
    assert counts["run"] == 3 and counts["over"] == 1 and counts["same"] == 1, counts
    first_run = next(e["t"] for e in events if e["e"] == "run")
    over = next(e for e in events if e["e"] == "over")
    assert over["id"] in {e["id"] for e in seen[2:4]}
    same = next(e for e in events if e["e"] == "same")
    assert (same["id"], same["as"]) == (seen[4]["id"], seen[0]["id"])

    pages = term.released()
    expected = datetime.fromtimestamp(first_run, timezone.utc) + timedelta(hours=24)
    assert f"the next feedback run is available at {expected:%Y-%m-%d %H:%M:%S} UTC" in pages[over["id"]]
    assert pages[seen[4]["id"]] == pages[seen[0]["id"]]
    fetched = term.fetch("alice").values()
    assert sum("preview feedback" in page for page in fetched) >= 3


@pytest.mark.slow
def test_kill_9_in_a_burst_with_attacks_then_restart_grades_each_submission_once(term):
    from tests.course.attacks import a13_endless_cells, a14_hang_in_hidden_test

    class Capture:                      # an attack's notebook, submitted through the exchange like any other
        release = term.course.release

        def submit(self, student, answers=None, mutate=None):
            self.nb = submission(self.release, answers, mutate)
    attackers = {}
    for name, attack in [("mallory", a13_endless_cells), ("trudy", a14_hang_in_hidden_test)]:
        capture = Capture()
        attack.submit(capture, None)
        term.write(name, SOLUTIONS)
        (term.tmp / name / "demo" / "demo.ipynb").write_text(json.dumps(capture.nb))
        attackers[name] = capture.nb
    kinds = [(SOLUTIONS, EXPECTED["full"]), (WRONG_MSE, EXPECTED["no-mse"]), (NO_SGD, EXPECTED["no-mse-no-sgd"])]
    students = {f"s{i}": kinds[i % 3] for i in range(4)}
    submits = [term.nbgrader(term.tmp / name, "submit", "demo", student=name, wait=False) for name in attackers]
    for student, (answers, _) in students.items():
        term.write(student, answers)
        submits.append(term.nbgrader(term.tmp / student, "submit", "demo", student=student, wait=False))
    for process in submits:
        term.done(process)
    total = len(students) + len(attackers)

    first = term.start()
    term.wait_for(lambda: any({"graded", "failed"} & s for s in term.steps().values()), "a first grade")
    finished = sum(bool({"graded", "failed"} & s) for s in term.steps().values())
    os.kill(first.pid, signal.SIGKILL)
    first.wait()
    assert finished < total, "the kill came after the burst was over"
    second = term.start()
    term.sent(total)
    assert term.stop(second) == 0

    per_id = Counter((e["id"], e["e"]) for e in term.events())
    ids = {e["id"] for e in term.events()}
    assert len(ids) == total
    for id in ids:
        assert per_id[id, "graded"] + per_id[id, "failed"] == 1, (id, per_id)
        assert per_id[id, "run"] == 1 and per_id[id, "seen"] == 1, (id, per_id)
    pages = term.released()
    assert all(pages.values()), pages
    assert not {id: leaked(page) for id, page in pages.items() if leaked(page)}
    by_student = {id.split("+")[0]: id for id in ids}
    assert f"{MAX_SCORE} / {MAX_SCORE} points" in pages[by_student["mallory"]]      # endless cells skipped
    trudy = pages[by_student["trudy"]]                                               # hangs on hidden inputs only
    assert f"{MAX_SCORE - POINTS['test_sigmoid_prime']} / {MAX_SCORE} points" in trudy
    assert "test_sigmoid_prime</code>: ✘ failed, 0/2 points: a hidden test of this task failed" in trudy
    for student, (_, expected) in students.items():
        assert f"{expected} / {MAX_SCORE} points" in pages[by_student[student]], pages[by_student[student]]


@pytest.mark.slow
def test_the_deadline_grade_is_collect_and_autograde_of_the_last_on_time_submission(term):
    watcher = term.start()
    term.submit("alice", WRONG_MSE)
    term.submit("bob", NO_SGD)
    term.sent(2)
    time.sleep(1.1)
    due = datetime.now(timezone.utc).replace(microsecond=0)           # after both, before the next one
    term.nbgrader(term.root, "db", "assignment", "add", "demo", f"--duedate={due:%Y-%m-%d %H:%M:%S} UTC")
    time.sleep(1.1)
    term.submit("alice", SOLUTIONS)                                      # late: previewed, not the deadline's
    term.sent(3)
    assert term.stop(watcher) == 0
    assert term.course.grade_rows() == []

    previews = {}
    for event in term.events():
        if event["e"] == "graded":
            previews[event["id"]] = event["score"]
    seen = [e for e in term.events() if e["e"] == "seen"]
    on_time = {}
    for event in seen:                                                   # nbgrader's order: the timestamp
        if datetime.strptime(event["timestamp"], "%Y-%m-%d %H:%M:%S.%f %Z").replace(tzinfo=timezone.utc) <= due:
            on_time[event["student"]] = previews[event["id"]]
    assert on_time["alice"] != previews[seen[-1]["id"]], "the late submission scores differently"

    term.nbgrader(term.root, "collect", "--before-duedate", "demo")
    from grading.autograde import autograde
    autograde(term.root, "demo", workers=2, progress=False, log=lambda m: None)
    assert {student: term.course.total(student) for student in on_time} == on_time


def test_runs_are_counted_per_folder_owner_too_and_the_next_run_is_exact(tmp_path):
    """Made-up student ids do not get a fresh budget when the folders have one owner (not the watcher's uid);
    with count_by_owner off they do; the next run is available when the oldest run in the window expires."""
    from grading.watch.budget import Budget
    from grading.watch.ledger import Ledger
    ledger, stranger = Ledger(tmp_path / "ledger.jsonl"), os.getuid() + 1
    for i, student in enumerate(["alice", "fake1", "fake2", "fake3"]):
        ledger.record("seen", f"{student}+demo+t+{i}", student=student, owner=stranger, t=1000.0 + i)
        if i < 3:
            ledger.record("run", f"{student}+demo+t+{i}", t=1000.0 + i)
    fourth = ledger.submissions["fake3+demo+t+3"]
    budget = Budget(runs=3, hours=1)
    assert budget.next_run(ledger, fourth, now=2000.0) == 1000.0 + 3600
    assert budget.next_run(ledger, fourth, now=4601.0) is None          # the first run left the window
    assert Budget(runs=3, hours=1, by_owner=False).next_run(ledger, fourth, now=2000.0) is None
    assert Ledger(tmp_path / "ledger.jsonl").submissions.keys() == ledger.submissions.keys()
