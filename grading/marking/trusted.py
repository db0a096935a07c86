"""Run the source's test cells in the trusted grader process, against the student's sandboxed kernel.

The test code (visible and hidden parts) comes from the source notebook and runs here, in a namespace with
``np``, ``nnlib`` and the assertion helpers.  Any other name it reads is looked up in the student's kernel
(``StudentNamespace.__missing__``): plain values arrive as data, functions as proxies whose calls send plain data
over the pipe.  So a submission cannot patch ``np.allclose``, the asserts, or builtins where the marks are
decided, and a value that merely pretends to be an array fails the exact-type checks.

The source's other locked code cells (setup, worked examples, helpers) also run here, in order, so the tests see
the instructor's data and helpers, not the student's versions of them.
"""
from __future__ import annotations

import ast
import builtins
import contextlib
import io
import sys
import tokenize

import numpy as np

from .. import asserts
from .feedback import failure_kind, failure_message
from ..errors import SandboxStartError

BUILTIN_NAMES = frozenset(dir(builtins))


class StudentNamespace(dict):
    """Globals of the test code: what the tests define, then builtins, then the student's kernel.

    Builtins come first on purpose: a student's ``isinstance`` or ``len`` must never answer for the tests.  So a
    problem set must not ask for a function named like a builtin (``grading.source`` warns about it).
    """

    def __init__(self, kernel):
        super().__init__()
        self.kernel = kernel
        self.used = []              # student names the current test cell read, for the feedback

    def __missing__(self, name):
        if name in BUILTIN_NAMES or name.startswith("__"):
            raise KeyError(name)
        value = self.kernel.lookup(name)        # KeyError when the student never defined it
        self.used.append(name)
        return value


def trusted_namespace(kernel):
    import nnlib
    ns = StudentNamespace(kernel)
    ns.update({"__name__": "__main__", "__builtins__": builtins, "np": np, "numpy": np, "nnlib": nnlib,
               "CheckFailed": asserts.CheckFailed, "assert_close": asserts.assert_close,
               "assert_shape": asserts.assert_shape, "assert_equal": asserts.assert_equal,
               "assert_true": asserts.assert_true, "after_call": asserts.after_call})
    return ns


def _failure_location(error, cells_by_filename):
    """(cell, line number) of the innermost frame of test or locked code in the traceback."""
    found = None
    tb = error.__traceback__
    while tb is not None:
        cell = cells_by_filename.get(tb.tb_frame.f_code.co_filename)
        if cell is not None:
            found = (cell, tb.tb_lineno)
        tb = tb.tb_next
    return found


class _Redirect(contextlib.AbstractContextManager):
    """Test code may print; nothing of it must reach the grader's console or the feedback."""

    def __init__(self, sink):
        self.stack = contextlib.ExitStack()
        self.sink = sink

    def __enter__(self):
        self.stack.enter_context(contextlib.redirect_stdout(self.sink))
        self.stack.enter_context(contextlib.redirect_stderr(self.sink))
        return self

    def __exit__(self, *exc):
        return self.stack.__exit__(*exc)


def hidden_caller(cells):
    """A function telling whether the code running now was called from a hidden line of one of ``cells``."""
    hidden = {cell.filename: cell.hidden_lines for cell in cells if cell.hidden_lines}

    def from_hidden_test():
        frame = sys._getframe(1)
        while frame is not None:
            lines = hidden.get(frame.f_code.co_filename)
            if lines is not None and frame.f_lineno in lines:
                return True
            frame = frame.f_back
        return False
    return from_hidden_test


def visible_literals(cell):
    """The numbers (with their negatives) and strings written in the visible lines of a test cell."""
    lines = cell.source.split("\n")
    visible = "\n".join("" if number in cell.hidden_lines else line for number, line in enumerate(lines, start=1))
    found = set()
    try:
        for token in tokenize.generate_tokens(io.StringIO(visible).readline):
            if token.type in (tokenize.NUMBER, tokenize.STRING):
                with contextlib.suppress(ValueError, SyntaxError):
                    value = ast.literal_eval(token.string)
                    found |= {value, -value} if token.type == tokenize.NUMBER else {value}
    except (tokenize.TokenError, SyntaxError):
        pass
    return found


def run_tests(spec, kernel, positions):
    """Execute the source's locked and test code cells in order; return one verdict per test cell.

    ``positions`` maps each cell's grade_id to its place in the graded notebook: the student's cells before it
    run first, so every test sees the student's names as Run All would have left them at that point.
    """
    ns = trusted_namespace(kernel)
    kernel.from_hidden_test = hidden_caller(spec.cells)
    cells_by_filename = {cell.filename: cell for cell in spec.cells if cell.kind in ("test", "locked")}
    verdicts, warnings = {}, []
    for cell in spec.cells:
        if cell.cell_type != "code" or cell.kind not in ("test", "locked"):
            continue
        ns.used = []
        tainted_before = kernel.tainted_requests
        kernel.advance(positions.get(cell.grade_id, kernel.target))
        try:
            code = compile(cell.source, cell.filename, "exec")
        except SyntaxError as error:
            if cell.kind == "test":
                verdicts[cell.grade_id] = _verdict(cell, False, f"the test cell could not be compiled ({error.msg}); "
                                                                "please tell your instructor", kind="test-broken")
                warnings.append(f"test cell {cell.grade_id} does not compile: {error}")
            continue                # e.g. a locked cell with IPython magics: it ran in the sandbox only
        try:
            with _Redirect(io.StringIO()):
                exec(code, ns)
        except SandboxStartError:
            raise                   # the machine's fault, not the student's: the submission is listed as failed
        except Exception as error:
            if cell.kind == "locked":
                continue
            where = _failure_location(error, cells_by_filename)
            hidden = where is None or where[1] in where[0].hidden_lines
            line = None
            if where is not None and not hidden:
                lines = where[0].source.split("\n")
                line = lines[where[1] - 1] if 0 < where[1] <= len(lines) else None
            tainted = kernel.tainted_requests > tainted_before     # a process that had served a hidden test answered
            message = failure_message(error, hidden, ns.used, line, tainted, visible_literals(cell) if tainted else ())
            verdicts[cell.grade_id] = _verdict(cell, False, message, hidden, failure_kind(error))
        else:
            if cell.kind == "test":
                verdicts[cell.grade_id] = _verdict(cell, True, "")
    return verdicts, warnings


def _verdict(cell, passed, message, hidden=False, kind=None):
    """``kind``: the failure in one word (feedback.failure_kind), None for a pass."""
    return {"grade_id": cell.grade_id, "points": cell.points, "score": cell.points if passed else 0.0,
            "passed": passed, "message": message, "hidden": hidden, "kind": None if passed else kind or "error"}


def failed_verdicts(spec, message):
    """Every test cell failed for one reason (no notebook, unreadable notebook, sandbox refused...)."""
    return {cell.grade_id: _verdict(cell, False, message, kind="not-run") for cell in spec.tests}
