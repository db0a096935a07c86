"""The flags a graded submission can carry: the whole vocabulary, with what each means.

A flag is ``(code, message)``: the code from this module, the message saying what was seen.  Flags never change a
grade; they ask a human to look (the report lists them, nbgrader's gradebook marks the notebook ``flagged``).
``tests/course/test_records.py`` checks that the grader emits no other code and that grading/README.md documents
each one.
"""
from __future__ import annotations

# the notebook as submitted (marking/submission.py, names.py, worker.py)
BAD_CELL = "bad-cell"
DUPLICATED_CELL = "duplicated-cell"
EDITED_TEST_CELL = "edited-test-cell"
EDITED_LOCKED_CELL = "edited-locked-cell"
DELETED_TEST_CELL = "deleted-test-cell"
DELETED_LOCKED_CELL = "deleted-locked-cell"
DELETED_SOLUTION_CELL = "deleted-solution-cell"
METADATA_CHANGED = "metadata-changed"
UNKNOWN_CELL = "unknown-cell"
RENAMED_NOTEBOOK = "renamed-notebook"
EXTRA_NOTEBOOK = "extra-notebook"
UNREADABLE = "unreadable"
# the submission's code and files (marking/suspicious.py, worker.py)
SUSPICIOUS_CODE = "suspicious-code"
SHADOW_MODULE = "shadow-module"
FILES_SKIPPED = "files-skipped"
SYMLINK = "symlink"
# what happened when it ran (marking/kernel.py, worker.py)
TIMEOUT = "timeout"
KERNEL_DIED = "kernel-died"
MEMORY = "memory"
PROTOCOL = "protocol"
TOO_MUCH_DATA = "too-much-data"

MEANING = {
    BAD_CELL: "a cell that is not a notebook cell was ignored",
    DUPLICATED_CELL: "an nbgrader cell appears more than once (a duplicated answer cell runs as a plain cell)",
    EDITED_TEST_CELL: "a test cell was changed; the source's was used",
    EDITED_LOCKED_CELL: "a locked cell was changed; the source's was used",
    DELETED_TEST_CELL: "a test cell was missing and was restored from the source",
    DELETED_LOCKED_CELL: "a locked cell was missing and was restored from the source",
    DELETED_SOLUTION_CELL: "an answer cell was missing and was restored as released",
    METADATA_CHANGED: "a cell's nbgrader metadata was changed",
    UNKNOWN_CELL: "a cell claims to be an nbgrader cell the source does not have (run as an ordinary cell)",
    RENAMED_NOTEBOOK: "the notebook was found under a name a download or an LMS gave it",
    EXTRA_NOTEBOOK: "notebooks that are not part of the assignment (not graded)",
    UNREADABLE: "the notebook could not be read (not JSON, too large, not a file)",
    SUSPICIOUS_CODE: "code that looks like tampering (patching NumPy, builtins or the asserts, exec, low-level "
                     "modules, course paths), read from the syntax tree",
    SHADOW_MODULE: "files named like modules the grader imports (numpy.py, os.py, ...)",
    FILES_SKIPPED: "files not copied into the sandbox (links, FIFOs, devices, too deep or too big)",
    SYMLINK: "the submission folder is a symbolic link or not a folder; it was not read",
    TIMEOUT: "a cell or a call did not finish in time, or the notebook ran out of its time",
    KERNEL_DIED: "the student's Python process ended (exit, crash, a limit), or had to be restarted too often",
    MEMORY: "a cell ran out of memory",
    PROTOCOL: "the student's process sent malformed data",
    TOO_MUCH_DATA: "a call returned more data than the grader accepts",
}
CODES = frozenset(MEANING)
