"""Every exception the grader raises or catches on purpose, in one place (the modules that raise them import them
from here; their old homes re-export them).

Three kinds stay where they must be self-contained and are re-exported: ``protocol.ProtocolError`` and
``protocol.Unencodable`` and ``asserts.CheckFailed`` (those files are copied into the sandbox, which sees nothing
else of the course), and the sandbox's own ``SandboxUnavailable``, ``KernelDied``, ``KernelTimeout`` and
``MessageTooLarge`` (``marking/sandbox.py``) and ``SeccompUnavailable`` (``marking/seccomp.py``).
"""
from __future__ import annotations

from .asserts import CheckFailed
from .protocol import ProtocolError, Unencodable

__all__ = ["CheckFailed", "ProtocolError", "Unencodable", "NotACourse", "NoSubmissions", "ChangeableSubmissions",
           "Interrupted", "SetupError",
           "GradebookError", "ExportError", "InsightError", "SandboxStartError", "UnmatchedNotebooks",
           "StudentError", "KernelUnavailable", "NotebookTimeLimit", "ResultTooLarge", "UnsupportedValue",
           "SandboxUnavailable", "KernelDied", "KernelTimeout", "MessageTooLarge", "SeccompUnavailable"]


# -- the instructor's commands (one clear line each) ------------------------------------------------------------

class NotACourse(Exception):
    """Neither the folder nor any folder above it has nbgrader_config.py."""


class NoSubmissions(Exception):
    """There is nothing to grade: no submitted/<student>/ASSIGNMENT folder (the report is left as it was)."""


class ChangeableSubmissions(Exception):
    """A submission that an account other than the instructor's could change (it is not graded)."""


class Interrupted(Exception):
    """Ctrl-C: what finished is saved (``summary``); a re-run resumes."""

    def __init__(self, summary):
        super().__init__("interrupted")
        self.summary = summary


class GradebookError(Exception):
    """The gradebook cannot be brought in line with the source notebooks."""


class ExportError(Exception):
    """The gradebook has nothing to export for this assignment."""


class SetupError(Exception):
    """`students-setup` cannot make the students' set-up as asked (the message says why, in one line)."""


class InsightError(Exception):
    """The records cannot answer the question (never graded, nobody graded, ...); the message is one line."""


# -- grading one submission (the worker) -------------------------------------------------------------------------

class SandboxStartError(Exception):
    """The sandbox did not start (not the student's fault: the submission is listed as a failure, and retried)."""


class UnmatchedNotebooks(Exception):
    """A submitted notebook cannot be told apart as one of the assignment's (the message names the files)."""


class StudentError(Exception):
    """The student's function raised an exception (it arrives as its type name and message)."""

    def __init__(self, name, type_name, message, withheld=False):
        super().__init__(f"{type_name}: {message}")
        self.name, self.type_name, self.message = name, type_name, message
        self.withheld = withheld    # the message was dropped: it came after hidden tests had called the code


class KernelUnavailable(Exception):
    """The student's kernel cannot be used any more (it died or hung too often, or broke the protocol)."""


class NotebookTimeLimit(Exception):
    """The whole notebook ran out of its wall-time budget."""


class ResultTooLarge(Exception):
    """The student's function returned more data than the grader accepts."""


class UnsupportedValue(CheckFailed):
    """A test used a student's object that has no plain-data form as if it were a value."""


from .marking.sandbox import KernelDied, KernelTimeout, MessageTooLarge, SandboxUnavailable  # noqa: E402
from .marking.seccomp import SeccompUnavailable  # noqa: E402
