"""What the parent hands a worker (``Job``) and what comes back (``Result``), as typed records.

Both are plain dataclasses of plain data (the assignment's parsed spec and ``Limits`` aside), so they cross a
process pipe or a Dask cluster by pickle between trusted processes.  A failed result stores *why* as a
``Failure`` kind as well as in words: the parent decides on a retry by the kind (``Result.retry``), never by reading
the sentence.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Failure(str, Enum):
    """Why a submission was not graded (the words are in ``Result.reason``)."""
    SANDBOX = "sandbox"             # the sandbox did not start on this machine: retried once, alone
    WORKER = "worker"               # the worker process died or the cluster lost it: retried once, alone
    DEADLINE = "deadline"           # past its wall deadline (stopped by the parent, or the cluster's bound)
    NOTEBOOKS = "notebooks"         # the submitted notebooks cannot be matched to the assignment's
    SAVE = "save"                   # the parent could not save the grades
    BUG = "bug"                     # an exception of the grader's own (the traceback is kept)


RETRIED = frozenset({Failure.SANDBOX, Failure.WORKER})


@dataclass
class Job:
    """One student's submission of one assignment, to be graded by ``marking.worker.grade_submission``."""
    student: str
    assignment: str
    key: str                        # the journal's key: a hash of the submitted files and the tests
    spec: object                    # source.Assignment: the parsed source notebooks
    path: str                       # the submission folder
    limits: object                  # limits.Limits
    sandboxed: bool = True
    linked: bool = False            # the folder is a symbolic link (never read)


@dataclass
class Result:
    """A graded submission (``status == "graded"``) or a failed one (``failure`` and ``reason`` say why)."""
    student: str
    assignment: str
    key: str
    status: str = "graded"
    failure: Failure | None = None
    reason: str | None = None
    notebooks: dict = field(default_factory=dict)   # notebook name -> scores, verdicts, the autograded notebook
    flags: list = field(default_factory=list)       # [code, message] with codes of grading.flags
    seconds: float = 0.0
    sandbox_seconds: float = 0.0
    worker: str | None = None                       # host:pid of the grading worker
    traceback: str | None = None
    warnings: list = field(default_factory=list)

    @classmethod
    def failed(cls, job, failure, reason, **details):
        return cls(student=job.student, assignment=job.assignment, key=job.key, status="failed",
                   failure=Failure(failure), reason=reason, **details)

    def fail(self, failure, reason):
        self.status, self.failure, self.reason = "failed", Failure(failure), reason

    @property
    def retry(self):
        return self.status == "failed" and self.failure in RETRIED
