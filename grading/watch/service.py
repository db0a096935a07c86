"""``python -m grading watch ASSIGNMENT``: grade each new submission in the exchange and release a preview.

One loop in the instructor's process, every ``interval`` seconds (polling: a listing of ``inbound/`` costs
microseconds, needs no inotify package, and works on the network file systems a shared exchange may live on):

1. notice complete new folders of the assignment in ``inbound/`` (``exchange.Inbound``), copy each into the
   course folder (0700/0600) and record it as ``seen`` in the ledger;
2. release every decided submission that has no feedback yet (from its saved preview, or the budget note);
3. start the oldest waiting submissions while a worker is free: the same one costs nothing (``same``), over the
   budget gets a note (``over``), otherwise a run is charged (``run``) and the submission graded by
   ``marking.worker.grade_submission`` in a forked worker (``workers.LocalPool``, as ``autograde`` does);
4. save each result as a preview page, record ``graded``/``failed``, release it.

It never writes the gradebook or ``autograded/``: grades are what ``nbgrader collect`` and ``python -m grading
autograde`` give at the deadline.  SIGTERM or Ctrl-C stop it at the next step: a grade still running is abandoned
(its worker and sandbox are killed) and done again at the next start, without a second charge.
"""
from __future__ import annotations

import os
import shutil
import signal
import sys
import time
from pathlib import Path

from ..autograde import _Run, open_assignment, submission_deadline
from ..journal import RunLock, submission_key
from ..limits import Limits
from ..marking.worker import grade_submission, warm_up
from ..records import Job
from ..workers import LocalPool
from . import preview
from .budget import Budget
from .exchange import Inbound, copy_submission, release_feedback, staging_name
from .ledger import Ledger


def exchange_root(config):
    from nbgrader.exchange.abc import Exchange
    root = config.get("Exchange", {}).get("root")
    return Path(root if isinstance(root, str) else Exchange.root.default_value)


class Stop:
    """SIGTERM (exit status 0) and SIGINT (130) ask the loop to stop at its next step."""

    def __init__(self):
        self.code = None
        self.previous = {sig: signal.signal(sig, self._handle) for sig in (signal.SIGTERM, signal.SIGINT)}

    def _handle(self, signum, frame):
        self.code = 130 if signum == signal.SIGINT else 0

    def restore(self):
        for sig, handler in self.previous.items():
            signal.signal(sig, handler)


class Watcher:
    def __init__(self, course, assignment, spec, limits, sandboxed, workers, log):
        self.course, self.assignment, self.spec, self.log = course, assignment, spec, log
        self.limits, self.sandboxed, self.workers = limits, sandboxed, workers
        self.exchange = exchange_root(course.config) / course.course_id
        self.inbound = Inbound(self.exchange, assignment)
        self.state = course.state_dir(assignment) / "watch"
        for folder in (self.state, self.state / "submissions", self.state / "previews"):
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.chmod(folder, 0o700)
        self.ledger = Ledger(self.state / "ledger.jsonl")
        self.budget = Budget.from_config(course.config)
        from ..insight.records import test_cells
        self.items = {item.key: item for item in test_cells(course, assignment)}
        self.retried, self.refused, self.jobs, self.shown = set(), set(), {}, None

    # 1. notice
    def notice(self):
        for arrival in self.inbound.arrivals(self.ledger.submissions.keys() | self.refused):
            staged = self.state / "submissions" / staging_name(arrival.name)
            if staged.exists():
                shutil.rmtree(staged)
            try:
                secret = self.inbound.secret(arrival.name)
                skipped = copy_submission(self.inbound.folder / arrival.name, staged)
            except OSError as error:
                self.log(f"skipping {arrival.name!r}: {error}")
                self.refused.add(arrival.name)
                continue
            self.ledger.record("seen", arrival.name, student=arrival.student, owner=arrival.owner,
                               timestamp=arrival.timestamp, t=time.time(), secret=secret, skipped=skipped,
                               notebooks=self.inbound.notebook_ids(arrival.name),
                               key=submission_key(staged, self.spec.fingerprint))

    # 2. release
    def release_all(self):
        for submission in self.ledger.unsent():
            self.release(submission)

    def release(self, submission):
        seen = submission.events["seen"]
        step = submission.step
        if step == "over":
            html = preview.over_budget_page(self.assignment, self.budget, submission.events["over"]["next"],
                                            submission.timestamp)
        else:
            source = submission.events["same"]["as"] if step == "same" else submission.id
            html = self._preview_path(source).read_text(encoding="utf-8")
        release_feedback(self.exchange, seen["secret"], seen["notebooks"], html)
        self.ledger.record("sent", submission.id)

    def _preview_path(self, id):
        return self.state / "previews" / f"{staging_name(id)}.html"

    # 3. decide and start
    def start_waiting(self, pool):
        for submission in self.ledger.pending():
            if len(pool.running) >= self.workers:
                return
            if submission.id in self.jobs:
                continue
            if submission.step == "seen" and not self._decide(submission):
                continue
            if submission.step == "run":
                job = Job(student=submission.student, assignment=self.assignment, key=submission.key,
                          spec=self.spec, path=str(self.state / "submissions" / staging_name(submission.id)),
                          limits=self.limits, sandboxed=self.sandboxed)
                self.jobs[submission.id] = job
                pool.start(submission.id, job)

    def _decide(self, submission):
        """Record same, over or run; False if an identical submission is still being graded (wait for it)."""
        twins = [s for s in self.ledger.submissions.values() if s is not submission and s.key == submission.key
                 and s.student == submission.student and s.charged_at is not None]
        done = [s for s in twins if "graded" in s.events]
        if done:
            self.ledger.record("same", submission.id, **{"as": done[-1].id})
            self.release(submission)
            return True
        if any(s.step == "run" for s in twins):
            return False
        now = time.time()
        next_run = self.budget.next_run(self.ledger, submission, now)
        if next_run is not None:
            self.ledger.record("over", submission.id, next=next_run, t=now)
            self.release(submission)
        else:
            self.ledger.record("run", submission.id, t=now)
        return True

    # 4. results
    def finish(self, id, result):
        job = self.jobs.pop(id)
        result = _Run._checked(result, job)
        if result.retry and id not in self.retried:
            self.retried.add(id)
            return False                # stays "run": started again by start_waiting
        submission = self.ledger.submissions[id]
        path = self._preview_path(id)
        temporary = path.with_name(path.name + ".tmp")
        if result.status == "graded":
            html = preview.graded_page(self.assignment, result, self.items, submission.timestamp)
            fields = {"score": sum(o["score"] for o in result.notebooks.values()),
                      "max_score": sum(o["max_score"] for o in result.notebooks.values())}
        else:
            html = preview.failed_page(self.assignment, result, submission.timestamp)
            fields = {"failure": result.failure.value, "reason": result.reason}
        with open(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w", encoding="utf-8",
                  errors="backslashreplace") as f:
            f.write(html)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, path)
        self.ledger.record(result.status, id, seconds=round(result.seconds, 3), **fields)
        self.release(self.ledger.submissions[id])
        return True

    def progress(self, running, stream):
        """One line for the instructor, written again when it changes."""
        submissions = list(self.ledger.submissions.values())
        count = {name: sum(1 for s in submissions if name in s.events) for name in ("graded", "failed", "over")}
        waiting = sum(1 for s in submissions if s.step in ("seen", "run")) - running
        used = self.budget.used(self.ledger)
        line = (f"{self.assignment}: queued {waiting}, grading {running}, graded {count['graded']}, failed "
                f"{count['failed']}, feedback sent {sum(1 for s in submissions if s.step == 'sent')} "
                f"({count['over']} over budget); budget used: {sum(used.values())} run(s) by {len(used)} "
                f"student(s), {sum(1 for n in used.values() if n >= self.budget.runs)} at the limit of "
                f"{self.budget.runs} per {self.budget.hours:g} h")
        if line != self.shown:
            self.shown = line
            if stream.isatty():
                stream.write("\r\033[K" + line)
            else:
                stream.write(line + "\n")
            stream.flush()


def watch(root, assignment, workers=None, unsandboxed=False, limits=None, interval=1.0, log=print,
          stream=sys.stderr):
    """Run until SIGTERM (returns 0) or SIGINT (returns 130)."""
    limits = limits or Limits()
    course, spec = open_assignment(root, assignment, unsandboxed, log)
    workers = workers or os.cpu_count() or 1
    stop = Stop()
    try:
        with RunLock(course.state_dir(assignment) / "watch.lock"):
            watcher = Watcher(course, assignment, spec, limits, not unsandboxed, workers, log)
            log(f"watching {watcher.inbound.folder} for {assignment} ({workers} worker(s), "
                f"{watcher.budget.runs} feedback run(s) per student per {watcher.budget.hours:g} h); "
                f"SIGTERM or Ctrl-C stops")
            warm_up()
            with LocalPool(grade_submission, submission_deadline(spec, limits)) as pool:
                while stop.code is None:
                    watcher.notice()
                    watcher.release_all()
                    watcher.start_waiting(pool)
                    watcher.progress(len(pool.running), stream)
                    if not pool.running:
                        time.sleep(interval)
                    done = list(pool.finished(timeout=interval))
                    watcher.start_waiting(pool)          # the free workers first, then the paperwork
                    for id, result in done:
                        watcher.finish(id, result)
                watcher.jobs.clear()
            if stream.isatty():
                stream.write("\n")
    finally:
        stop.restore()
    return stop.code

