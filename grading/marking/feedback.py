"""Words for the student: what a failed test means, without ever quoting hidden test code.

A failure in the *visible* part of a test cell shows the full assertion message (the student has that code).
A failure in the *hidden* part shows only what was checked, in the instructor's words (the ``what`` and ``hint``
given to the assertion helpers) and the kind of problem (wrong values, wrong shape, ...): never the hidden source,
never its expected numbers, never a traceback.
"""
from __future__ import annotations

import re

from ..asserts import CheckFailed
from ..errors import (KernelDied, KernelTimeout, KernelUnavailable, NotebookTimeLimit,  # noqa: F401
                      ResultTooLarge, StudentError)
from ..graded_kernel import UNAVAILABLE

MAX_MESSAGE = 1500


def _clip(text, limit=MAX_MESSAGE):
    text = " ".join(str(text).split()) if "\n" not in str(text) else str(text).strip()
    return text if len(text) <= limit else text[:limit] + " …"


def _names(used):
    unique = list(dict.fromkeys(used))
    return ", ".join(unique[-3:]) if unique else "your code"


AFTER_HIDDEN = " (details not shown: hidden tests had already called your code; run this test in your notebook " \
    "to see them)"


def failure_message(error, hidden, used, line=None, tainted=False, visible_literals=()):
    """One readable sentence (or a few) saying why a test cell failed.

    ``tainted``: the student's process that answered this test had already served a hidden test, so whatever it
    returned may be built from hidden inputs; a visible test's failure is then told in the fixed words of a hidden
    one (no value, shape, length or name of the student's choosing), see grading/README.md's channel table.  The
    expected number or string is said only if it is one of ``visible_literals`` (the constants written in the
    test's visible code, which the student can read anyway).
    """
    if tainted and not hidden:
        if isinstance(error, CheckFailed) and error.what is not None and _known(error.expected, visible_literals):
            return _clip(error.summary_with(f", expected {_literal(error.expected)}") + AFTER_HIDDEN)
        return _clip(_fixed_words(error, "", used, line) + AFTER_HIDDEN)
    if hidden:
        return _fixed_words(error, "hidden test: ", used, line)
    if isinstance(error, CheckFailed):
        return _clip(str(error))
    if isinstance(error, (StudentError, NameError, ResultTooLarge, KernelTimeout, KernelDied, KernelUnavailable,
                          NotebookTimeLimit)):
        return _fixed_words(error, "", used, line)
    if isinstance(error, AssertionError):
        text = str(error)
        return _clip(text if text else f"this check failed: {line}" if line else "an assertion failed")
    where = f" in `{line.strip()}`" if line else ""
    return _clip(f"{type(error).__name__}: {error}{where}")


def _known(expected, literals):
    """Whether ``expected`` is one of the constants of the visible test code (a number equal to one, or a string)."""
    if expected is None or isinstance(expected, bool):
        return False
    if isinstance(expected, str):
        return any(type(x) is str and x == expected for x in literals)
    return any(type(x) in (int, float) and x == expected for x in literals)


def _literal(x):
    return repr(x) if isinstance(x, str) else str(int(x)) if float(x).is_integer() else f"{float(x):.6g}"


def _fixed_words(error, prefix, used, line):
    """The failure in words that the student's process cannot choose: the instructor's ``what``/``hint``, the names
    the test read, a phrase of a fixed vocabulary, the type of an exception (a built-in one's name, or a class of
    the grader's own)."""
    if isinstance(error, CheckFailed):
        summary = error.summary
        return _clip(prefix + summary if summary else f"{prefix}a check of {_names(used)} failed")
    if isinstance(error, StudentError):
        if error.type_name == "NotImplementedError" and not error.message and not error.withheld:
            return _clip(f"{prefix}{error.name.removesuffix('(...)')} is not implemented yet (it raised "
                         f"NotImplementedError)")
        said = f": {error.message}" if error.message else ""
        if error.withheld:
            said = (" (its message is not shown, as hidden tests had already called your code: run this test in "
                    "your notebook to see it)")
        return _clip(f"{prefix}calling {error.name} raised {error.type_name}{said}")
    if isinstance(error, NameError):
        name = getattr(error, "name", None) or str(error).split("'")[1:2] or ["a name"]
        name = name if isinstance(name, str) else name[0]
        return _clip(f"{prefix}{name} is not defined in your notebook (was its cell deleted, renamed, or did it "
                     f"fail to run?)")
    if isinstance(error, ResultTooLarge):
        return _clip(f"{prefix}{_names(used)} returned {error} (far more than the task asks for)")
    if isinstance(error, KernelTimeout):
        return _clip(f"{prefix}{_names(used)} did not return in time (an endless loop, or far too slow?)")
    if isinstance(error, KernelDied):
        return _clip(f"{prefix}your notebook's Python process ended while running {_names(used)}: {error}")
    if isinstance(error, (KernelUnavailable, NotebookTimeLimit)):
        return _clip(f"not run: {error}")
    if isinstance(error, AssertionError):
        if prefix:
            return _clip(f"{prefix}a check of {_names(used)} on other inputs failed")
        return _clip(f"this check failed: {line}" if line else "an assertion failed")
    if prefix:
        return _clip(f"{prefix}checking {_names(used)} raised {type(error).__name__} (does it return the type "
                     f"and shape that the task asks for?)")
    where = f" in `{line.strip()}`" if line else ""
    return _clip(f"{type(error).__name__}{where}")


UNDEFINED = re.compile(r"(\w+) is not defined in your notebook")
MISSING_MODULE = re.compile(r"ModuleNotFoundError: No module named '(\w+)")


def name_the_failed_cell(message, cells, results, before):
    """``message`` (a test found a name undefined) and the error of the student's cell that should have defined it:
    of the student's cells before position ``before`` that raised, the last whose code mentions the name, else the
    last.  ``results`` (cell position -> outcome, as the kernel recorded it) shows no error of a cell that ran after
    hidden tests had called the student's code ("withheld"): only errors the autograded notebook shows are named."""
    undefined = UNDEFINED.search(message)
    raised = [p for p, outcome in sorted(results.items())
              if p < before and outcome.get("status") == "error" and _students(cells[p])]
    if undefined is None or not raised:
        return message
    mentions = [p for p in raised if re.search(rf"\b{re.escape(undefined.group(1))}\b", cells[p]["source"])]
    position = (mentions or raised)[-1]
    error = ((results[position].get("error") or "").strip().splitlines() or ["an error"])[-1]
    missing = MISSING_MODULE.match(error)
    why = f" — {missing.group(1)} is not available when your notebook is graded" \
        if missing and missing.group(1) in UNAVAILABLE else ""
    first = (cells[position]["source"].strip().splitlines() or [""])[0][:60]
    return _clip(f"{message}; your cell {position + 1} (`{first}`) raised {_clip(error, 300)}{why}")


def _students(cell):
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.get("cell_type") == "code" and not meta.get("locked") and not (meta.get("grade")
                                                                                and not meta.get("solution"))


def failure_kind(error):
    """The kind of failure in one word, recorded with each verdict for the instructor's item analysis: the slip an
    assertion recognised ("shape", "transposed", "factor", "sign", "nan", "type", "values", ...), or what else
    went wrong ("not-implemented", "undefined", "raised", "timeout", "crashed", "not-run", ...)."""
    if isinstance(error, CheckFailed):
        return getattr(error, "kind", None) or "values"
    if isinstance(error, NameError):
        return "undefined"
    if isinstance(error, StudentError):
        return "not-implemented" if error.type_name == "NotImplementedError" else "raised"
    if isinstance(error, ResultTooLarge):
        return "too-large"
    if isinstance(error, KernelTimeout):
        return "timeout"
    if isinstance(error, KernelDied):
        return "crashed"
    if isinstance(error, (KernelUnavailable, NotebookTimeLimit)):
        return "not-run"
    if isinstance(error, AssertionError):
        return "assertion"
    return "error"


def verdict_text(verdict):
    points = f"{_number(verdict['score'])}/{_number(verdict['points'])} points"
    if verdict["passed"]:
        return f"✔ passed, {points}"
    return f"✘ failed, {points}: {verdict['message']}"


def _number(x):
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def verdict_output(verdict):
    """The output a test cell shows in the autograded notebook and the feedback: a stream, or an error."""
    text = verdict_text(verdict)
    if verdict["passed"]:
        return {"output_type": "stream", "name": "stdout", "text": text + "\n"}
    return {"output_type": "error", "ename": "TestFailed", "evalue": text, "traceback": [text]}
