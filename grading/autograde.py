"""``python -m grading autograde ASSIGNMENT``: grade every submission, in parallel, and lose nothing.

1. Check that the sandbox works (or that --unsandboxed was asked for), read the source's tests, make sure the
   gradebook knows the assignment (nbgrader generate_assignment with a temporary release folder).
2. Skip submissions the journal says are graded with the same key (same files, same tests) and whose grades are
   in the gradebook; everything else becomes a job.
3. Run the jobs in forked local workers (``--workers N``, ``grading.workers``: one process per submission, a wall
   deadline each, enforced here) or on a Dask cluster (``--scheduler ADDRESS``).  Workers return plain data.
4. This process alone writes: the autograded notebook, the gradebook rows, then the journal line — one
   submission at a time, as results arrive.  A run killed midway resumes where it stopped.
5. Jobs whose worker crashed are retried once, one at a time; what still fails is listed with its reason.
   A report (report.md / report.json) lists every submission: score, flags, or failure.
"""
from __future__ import annotations

import concurrent.futures as cf
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from .course import Course
from .errors import ChangeableSubmissions, Interrupted, NoSubmissions  # noqa: F401 (re-exported)
from .records import Failure, Job, Result
from .export import gradebook_scores
from .gradebook import GradebookWriter, ensure_assignment
from .journal import Journal, RunLock, submission_key
from .late import apply_late_penalties
from .lms import late_marks
from .limits import Limits
from .report import write_report
from .marking.sandbox import check_course_not_exposed, check_sandbox
from .private_files import changeable_by_others
from .source import load_assignment
from .marking.worker import grade_submission, warm_up
from .workers import run_local


@dataclass
class Summary:
    graded: int = 0
    failed: int = 0
    flagged: int = 0
    skipped: int = 0
    seconds: float = 0.0
    executor: str = ""
    report: Path | None = None
    failures: dict = field(default_factory=dict)        # student -> reason

    def text(self):
        done = self.graded + self.failed
        rate = f", {self.seconds / done:.2f} s per submission" if done else ""
        return (f"graded {self.graded} ({self.flagged} flagged), failed {self.failed}, skipped {self.skipped} "
                f"(already graded) in {self.seconds:.1f} s on {self.executor}{rate}\nreport: {self.report}")


def _write_atomic(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp{os.getpid()}")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def _submission_secret(submission):
    """The secret ``nbgrader submit`` put beside the notebook (a short regular file), or None."""
    path = submission.path / "submission_secret.txt"
    if submission.linked or path.is_symlink() or not path.is_file() or path.stat().st_size > 1024:
        return None
    return path.read_text(errors="replace")


def submission_deadline(spec, limits):
    """Wall seconds one submission may take in its worker: every notebook's limit, plus a margin."""
    if limits.submission_seconds:
        return limits.submission_seconds
    return len(spec.notebooks) * (limits.notebook_seconds + limits.startup_seconds) + 30


def make_executor(scheduler):
    """(executor, description, shutdown) of a Dask cluster (local workers: ``grading.workers.run_local``)."""
    from distributed import Client
    client = Client(scheduler)
    n = len(client.scheduler_info().get("workers", {}))
    return client.get_executor(pure=False), f"Dask at {scheduler} ({n} workers)", client.close


def _encodable(value):
    """``value`` with every string made encodable as UTF-8 (a file name that is not UTF-8 arrives with lone
    surrogates, which no file, JSON line or database row would accept: they become visible \\udcxx escapes)."""
    if type(value) is str:
        try:
            value.encode("utf-8")
            return value
        except UnicodeEncodeError:
            return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if type(value) in (list, tuple):
        return type(value)(_encodable(item) for item in value)
    if type(value) is dict:
        return {_encodable(k): _encodable(v) for k, v in value.items()}
    return value


def _progress(total, enabled):
    try:
        from tqdm import tqdm
        tqdm.monitor_interval = 0       # no monitor thread: workers are forked while the bar is shown
        return tqdm(total=total, unit="submission", disable=not enabled, dynamic_ncols=True)
    except ImportError:         # pragma: no cover
        class _Nothing:
            def update(self, n=1): pass
            def set_postfix_str(self, text): pass
            def close(self): pass
        return _Nothing()


def open_assignment(root, assignment, unsandboxed, log):
    """(Course, AssignmentSpec), after checking that the sandbox works and cannot see the course (unless
    ``unsandboxed``); used by ``autograde`` and ``grading.watch``."""
    course = Course(root)
    if not unsandboxed:
        for warning in check_sandbox():
            log(f"warning: {warning}")
        check_course_not_exposed(course.root)
    return course, load_assignment(course, assignment)


def autograde(root, assignment, workers=None, scheduler=None, unsandboxed=False, limits=None, students=None,
              force=False, progress=True, log=print):
    """Grade ``assignment`` for every student in ``root``/submitted; returns a Summary."""
    started = time.monotonic()
    limits = limits or Limits()
    course, spec = open_assignment(root, assignment, unsandboxed, log)
    if not course.submissions(assignment, students):
        raise NoSubmissions(f"no submissions of {assignment} in {course.folder('submitted')}"
                            + (f" for {', '.join(students)}" if students else ""))
    _refuse_changeable(course, assignment, students)
    for warning in spec.warnings:
        log(f"warning: {warning}")
    state = course.state_dir(assignment)
    with RunLock(course.folder("autograded") / ".grading" / "lock"):
        if ensure_assignment(course, assignment, spec):
            log(f"recorded {assignment} in the gradebook from {course.source_dir(assignment)}")
        run = _Run(course, assignment, spec, Journal(state / "journal.jsonl"), GradebookWriter(course, assignment))
        try:
            jobs = run.jobs(limits, not unsandboxed, students, force)
            run.execute(jobs, workers, scheduler, progress, log)
        except KeyboardInterrupt:
            raise Interrupted(run.summary) from None
        finally:
            run.writer.close()
        apply_late_penalties(course, assignment)
        _, totals = gradebook_scores(course, assignment)
        summary = run.summary
        latest = run.journal.latest()
        entries = {s.student: latest[s.student] for s in course.submissions(assignment, students)
                   if s.student in latest}
        summary.seconds = time.monotonic() - started
        summary.report = write_report(state, assignment, entries,
                                      {"graded": summary.graded, "failed": summary.failed, "skipped": summary.skipped,
                                       "seconds": summary.seconds, "executor": summary.executor},
                                      totals={row.student: row for row in totals},
                                      late=late_marks(course.root, assignment))
    return summary


def _refuse_changeable(course, assignment, students):
    """Grade nothing if another account could change a submission (nbgrader collect copies the exchange's
    drwxrwxrwx; this course's nbgrader_config.py collects with grading.private_files.PrivateCollect instead)."""
    owner = course.root.stat().st_uid
    found = [path for s in course.submissions(assignment, students) for path in changeable_by_others(s.path, owner)]
    if found:
        shown = "\n  ".join(found[:20]) + (f"\n  ... and {len(found) - 20} more" if len(found) > 20 else "")
        raise ChangeableSubmissions(
            f"another account than yours could change these submissions before they are graded (owned by another "
            f"account, or group/other-writable):\n  {shown}\nCollect with this course's nbgrader_config.py (its "
            f"collect makes the copies yours alone), or check the files and take the access away: "
            f"chmod -R go-w {course.folder('submitted')}")


class _Run:
    """One grading run: which submissions need grading, running them, saving each result as it arrives."""

    def __init__(self, course, assignment, spec, journal, writer):
        self.course, self.assignment, self.spec = course, assignment, spec
        self.journal, self.writer = journal, writer
        self.summary = Summary()
        self.timestamps = {}
        self.secrets = {}           # student -> nbgrader's submission_secret.txt (release_feedback needs it)
        self.bar = None

    def jobs(self, limits, sandboxed, students, force):
        """student -> job, for every submission not already graded with the same files and tests."""
        done, jobs = self.journal.latest(), {}
        for submission in self.course.submissions(self.assignment, students):
            key = submission_key(submission.path, self.spec.fingerprint, submission.linked)
            if not force and self._already_graded(submission.student, key, done.get(submission.student, {})):
                self.summary.skipped += 1
                continue
            self.timestamps[submission.student] = submission.timestamp
            self.secrets[submission.student] = _submission_secret(submission)
            jobs[submission.student] = Job(student=submission.student, assignment=self.assignment, key=key,
                                           spec=self.spec, path=str(submission.path), linked=submission.linked,
                                           limits=limits, sandboxed=sandboxed)
        return jobs

    def _already_graded(self, student, key, entry):
        folder = self.course.autograded_dir(student, self.assignment)
        return entry.get("status") == "graded" and entry.get("key") == key \
            and all((folder / f"{name}.ipynb").exists() for name in self.spec.notebooks) \
            and self.writer.has_grades(student, self.spec)

    def execute(self, jobs, workers, scheduler, progress, log):
        """Grade the jobs in parallel; those whose worker crashed or whose sandbox did not start are tried once
        more, each alone, and then listed as failed.  Local workers have a wall deadline each (the parent
        stops a worker that passes it); on Dask the workers' own limits apply."""
        if not jobs:
            self.summary.executor = "nothing to do"
            return
        self.bar = _progress(len(jobs), progress)
        retry = {}
        for result in self._results(jobs, workers, scheduler):
            if result.retry:
                retry[result.student] = jobs[result.student]
            else:
                self.finish(result)
        if retry:
            log(f"retrying {len(retry)} submission(s) whose worker or sandbox failed, one at a time")
            for result in self._results(retry, 1, scheduler):
                self.finish(result)
        self.bar.close()

    def _results(self, jobs, workers, scheduler):
        if not scheduler:
            workers = workers or os.cpu_count() or 1
            self.summary.executor = f"{workers} local worker process{'es' if workers > 1 else ''}"
            deadline = self.deadline(jobs)
            warm_up()               # imported once here; every forked worker starts with it
            for student, result in run_local(grade_submission, jobs, workers, deadline):
                yield self._checked(result, jobs[student])
            return
        executor, self.summary.executor, shutdown = make_executor(scheduler)
        try:
            futures = {executor.submit(grade_submission, job): student for student, job in jobs.items()}
            limit = self.deadline(jobs) * len(jobs)     # as if the cluster graded one at a time: a bound, not a pace
            try:
                for future in cf.as_completed(futures, timeout=limit):
                    yield self._result(future, jobs[futures.pop(future)])
            except cf.TimeoutError:
                for future, student in futures.items():
                    future.cancel()
                    yield Result.failed(jobs[student], Failure.DEADLINE,
                                        f"the cluster did not finish it within the run's {limit:g} s limit")
        finally:
            shutdown()

    def deadline(self, jobs):
        """Wall seconds one submission may take in its worker: every notebook's limit, plus a margin."""
        return submission_deadline(self.spec, next(iter(jobs.values())).limits)

    @classmethod
    def _result(cls, future, job):
        try:
            result = future.result()
        except Exception as error:          # the worker process died, or the cluster lost it
            return Result.failed(job, Failure.WORKER, f"the grading worker failed: {type(error).__name__}: {error}")
        return cls._checked(result, job)

    @staticmethod
    def _checked(result, job):
        """The worker's Result, or a failure if what came back is not one (a grading function of a test, say)."""
        if type(result) is not Result or (result.student, result.key) != (job.student, job.key):
            return Result.failed(job, Failure.BUG, f"the grading worker returned {type(result).__name__}, "
                                                   f"not this submission's result")
        return result

    def finish(self, result):
        """Save one result: autograded notebooks, gradebook, then the journal line (so a crash loses nothing)."""
        result.reason, result.flags, result.notebooks = map(_encodable, (result.reason, result.flags,
                                                                         result.notebooks))
        student, summary = result.student, self.summary
        if result.status == "graded":
            try:
                folder = self.course.autograded_dir(student, self.assignment)
                for name, outcome in result.notebooks.items():
                    _write_atomic(folder / f"{name}.ipynb", outcome["autograded"])
                if self.timestamps.get(student):
                    _write_atomic(folder / "timestamp.txt", self.timestamps[student])
                if self.secrets.get(student):
                    _write_atomic(folder / "submission_secret.txt", self.secrets[student])
                self.writer.record(result, self.timestamps.get(student))
            except Exception as error:
                result.fail(Failure.SAVE, f"could not save the grades: {type(error).__name__}: {error}")
        entry = {"student": student, "key": result.key, "status": result.status, "worker": result.worker}
        if result.status == "graded":
            entry.update(score=sum(o["score"] for o in result.notebooks.values()),
                         max_score=sum(o["max_score"] for o in result.notebooks.values()),
                         flags=result.flags, seconds=round(result.seconds, 3),
                         sandbox_seconds=round(result.sandbox_seconds, 3))
            entry["verdicts"] = {name: {grade_id: {"score": v["score"], "kind": v.get("kind")}
                                        for grade_id, v in outcome["verdicts"].items()}
                                 for name, outcome in result.notebooks.items()}   # for `grading analyze`
            summary.graded += 1
            summary.flagged += bool(result.flags)
        else:
            entry.update(reason=result.reason, failure=result.failure.value)
            summary.failed += 1
            summary.failures[student] = result.reason
        self.journal.append(entry)
        self.bar.update(1)
        self.bar.set_postfix_str(f"failed {summary.failed}, flagged {summary.flagged}")
