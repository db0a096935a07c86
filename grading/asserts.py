"""Assertions used by the problem sets' test cells, with failure messages that teach.

The same functions run in a student's own kernel (the visible tests, for self-checking) and in the
trusted grading process, where ``actual`` is plain data that came back from the sandboxed kernel.
They check the exact type first, so an object that pretends to be an array (or whose ``__eq__``
always says True) fails instead of passing.
"""
from __future__ import annotations

import copy
import numbers

import numpy as np


class CheckFailed(AssertionError):
    """A test found a wrong answer; the message says what was expected and what came back.

    ``problem`` says the same from a fixed vocabulary (``PROBLEMS``: no value, shape, length or name the checked
    code chose), for hidden tests and for anything checked after hidden tests called the student's code: the grader
    shows ``public`` (``"hidden test: <what> — <problem>"``) or ``summary`` instead of the message then.  ``what``
    and ``hint`` are the instructor's words.  ``kind`` names the slip in one word ("shape", "transposed", "factor",
    "sign", "nan", "values", ...), for the instructor's item analysis.
    """

    def __init__(self, message, public=None, kind=None, *, what=None, problem=None, hint=None, expected=None):
        super().__init__(message)
        self.what, self.problem, self.hint = what, problem, hint
        self.expected = expected    # a number, string or bool the check expected (None: an array, or not said)
        self.public = public if public is not None or what is None else f"hidden test: {self.summary}"
        self.kind = kind

    @property
    def summary(self):
        """What was checked and the problem in fixed words (None for a check without them)."""
        return self.summary_with()

    def summary_with(self, detail=""):
        """``summary`` with ``detail`` (e.g. ", expected 13") after the problem, before the hint."""
        if self.what is None:
            return self.public.removeprefix("hidden test: ") if self.public else None
        return _hint(f"{self.what} — {self.problem}{detail}", self.hint)


# Everything a public message may say about the checked value (the test's own `what`, `hint` and expected shape
# aside): a fixed vocabulary, so that a hidden input the student's code has seen cannot be spelled out in it.
NOUNS = {np.ndarray: "a NumPy array", list: "a list", tuple: "a tuple", dict: "a dict", set: "a set", str: "a str",
         bool: "a bool", int: "an int", float: "a float", complex: "a complex number", type(None): "None",
         np.dtype: "a NumPy dtype", bytes: "bytes"}
OTHER_NOUN = "a value of another type"
OBJECT_NOUN = "an object the grader cannot check (it checks NumPy arrays, numbers, strings, and lists, tuples or " \
    "dicts of these)"
SHAPE_HINTS = {
    "transposed": " (the transpose: is a matrix transposed, e.g. W instead of Wᵀ?)",
    "same-size": " (same number of entries: check the axis of a sum or a reshape)",
    "fewer-dims": " (fewer dimensions: did a sum lose its axis? try keepdims=True)",
    "": "",
}
SLIPS = {"sign": " — exactly the negative of the expected values: a sign error?",
         "factor": " — every value is the same multiple of the expected one: a missing or extra factor?",
         "values": ""}
PROBLEMS = ("returned {noun} instead of a NumPy array of shape {shape}", "the array's dtype is not a number type",
            "wrong shape: expected {shape}{shape_hint}", "the result contains NaN or infinity (an overflow, a log "
            "of 0, or a division by 0?)", "wrong values (shape {shape}){slip}", "expected a number but got {noun}",
            "expected a finite number", "wrong value{slip}", "wrong value (got {noun})",
            "{message}")      # assert_true: the instructor's own message


def _noun(x):
    """A value's kind in the fixed vocabulary of ``NOUNS`` (NumPy numbers by their Python kind)."""
    if getattr(type(x), "_describe_for_grading", None) is not None:     # the grader's stand-in for such a value
        return OBJECT_NOUN
    if isinstance(x, np.generic):
        x = x.item() if type(x).__module__ == "numpy" else x
    return NOUNS.get(type(x), OTHER_NOUN)


def _describe(x):
    if type(x) is np.ndarray:
        return f"an array of shape {x.shape} and dtype {x.dtype}"
    describe = getattr(type(x), "_describe_for_grading", None)   # the grader's stand-ins for unsupported values
    if describe is not None:
        return describe(x)
    return f"a {type(x).__name__}"


def _hint(message, hint):
    if not hint:
        return message
    return f"{message}{'' if message.endswith(('?', '.')) else '.'} Hint: {hint}"


def _fail(what, message, problem, hint, kind="values", expected=None):
    """CheckFailed with the full message and its public form "hidden test: <what> — <problem>"."""
    return CheckFailed(_hint(f"{what}: {message}", hint), kind=kind, what=what, problem=problem, hint=hint,
                       expected=expected)


def _is_real_number(x):
    return isinstance(x, (float, int, np.floating, np.integer)) and not isinstance(x, (bool, np.bool_)) \
        and type(x).__module__ in ("builtins", "numpy")


def assert_close(actual, expected, what, rtol=1e-6, atol=1e-8, hint=None):
    """``actual`` must be numerically equal to ``expected`` (an array or a number).

    Arrays: exact type ``numpy.ndarray``, a float or integer dtype, the same shape, all finite, and
    ``allclose`` within rtol/atol.  Numbers: a real Python or NumPy number, finite, and close.
    """
    if isinstance(expected, np.ndarray):
        if type(actual) is not np.ndarray:
            raise _fail(what, f"expected a NumPy array of shape {expected.shape} but got {_describe(actual)}",
                        f"returned {_noun(actual)} instead of a NumPy array of shape {expected.shape}", hint,
                        "type")
        if actual.dtype.kind not in "fiu":
            raise _fail(what, f"expected numbers but the array has dtype {actual.dtype}",
                        "the array's dtype is not a number type", hint, "type")
        if actual.shape != expected.shape:
            relation, kind = "", "shape"
            if actual.shape == expected.shape[::-1] and actual.ndim == 2:
                relation, kind = "transposed", "transposed"
            elif actual.size == expected.size:
                relation = "same-size"
            elif actual.ndim < expected.ndim:
                relation = "fewer-dims"
            extra = SHAPE_HINTS[relation]
            raise _fail(what, f"expected shape {expected.shape} but got shape {actual.shape}{extra}",
                        f"wrong shape: expected {expected.shape}{extra}", hint, kind)
        if not np.all(np.isfinite(actual)):
            raise _fail(what, "the result contains NaN or infinity (an overflow, a log of 0, or a division by 0?)",
                        "the result contains NaN or infinity (an overflow, a log of 0, or a division by 0?)", hint,
                        "nan")
        if not np.allclose(actual, expected, rtol=rtol, atol=atol):
            diff = np.abs(actual.astype(float) - expected)
            i = np.unravel_index(np.argmax(diff), diff.shape)
            kind, ratio = _slip(actual, expected)
            raise _fail(what, f"wrong values; the largest difference is at index {tuple(map(int, i))}: "
                              f"expected {float(expected[i]):.6g}, got {float(actual[i]):.6g}" + ratio,
                        f"wrong values (shape {expected.shape})" + SLIPS[kind], hint, kind)
        return
    if not _is_real_number(actual):
        raise _fail(what, f"expected a number but got {_describe(actual)}",
                    f"expected a number but got {_noun(actual)}", hint, "type")
    actual = float(actual)
    if not np.isfinite(actual):
        raise _fail(what, f"expected a finite number, got {actual}", "expected a finite number", hint, "nan")
    if not np.isclose(actual, float(expected), rtol=rtol, atol=atol):
        kind, ratio = _slip(np.array(actual), np.array(float(expected)))
        raise _fail(what, f"expected {float(expected):.6g}, got {actual:.6g}" + ratio, "wrong value" + SLIPS[kind],
                    hint, kind, expected)


def _slip(actual, expected):
    """Recognize the classic slips: a sign error, a missing or extra factor (1/N, 2, ½); (kind, words)."""
    actual, expected = np.asarray(actual, float), np.asarray(expected, float)
    if np.allclose(actual, -expected, rtol=1e-6, atol=1e-10) and np.any(expected != 0):
        return "sign", " — exactly the negative of the expected values: a sign error?"
    mask = np.abs(expected) > 1e-12
    if mask.any():
        ratio = actual[mask] / expected[mask]
        if np.allclose(ratio, ratio.flat[0], rtol=1e-6) and not np.isclose(ratio.flat[0], 1.0) \
                and not np.isclose(ratio.flat[0], 0.0):
            return "factor", (f" — every value is {ratio.flat[0]:.4g} times the expected one: "
                              "a missing or extra factor?")
    return "values", ""


def assert_shape(actual, shape, what, hint=None):
    """``actual`` must be a NumPy array of exactly this shape."""
    if type(actual) is not np.ndarray:
        raise _fail(what, f"expected a NumPy array of shape {tuple(shape)} but got {_describe(actual)}",
                    f"returned {_noun(actual)} instead of a NumPy array of shape {tuple(shape)}", hint, "type")
    if actual.shape != tuple(shape):
        kind = "transposed" if actual.shape == tuple(shape)[::-1] and actual.ndim == 2 else "shape"
        raise _fail(what, f"expected shape {tuple(shape)} but got shape {actual.shape}",
                    f"wrong shape: expected {tuple(shape)}" + SHAPE_HINTS["transposed" if kind == "transposed" else ""],
                    hint, kind)


def assert_equal(actual, expected, what, hint=None):
    """Exact equality for integers, booleans and strings, with exact type (no look-alike objects)."""
    if isinstance(expected, (bool, np.bool_)):
        ok = isinstance(actual, (bool, np.bool_)) and bool(actual) == bool(expected)
    elif isinstance(expected, numbers.Integral):
        ok = isinstance(actual, (int, np.integer)) and not isinstance(actual, (bool, np.bool_)) \
            and type(actual).__module__ in ("builtins", "numpy") and int(actual) == int(expected)
    elif isinstance(expected, str):
        ok = type(actual) is str and actual == expected
    else:
        raise TypeError(f"assert_equal compares ints, bools and strings, not {type(expected).__name__}")
    if not ok:
        raise _fail(what, f"expected {expected!r}, got {_show(actual)} ({type(actual).__name__})",
                    # never the student's value: on hidden inputs it could spell out those inputs
                    "wrong value" if type(actual) is type(expected) else f"wrong value (got {_noun(actual)})",
                    hint, expected=expected)


def _show(x):
    """repr of a value for a message, shortened (and never the repr of an object the grader does not know)."""
    if getattr(type(x), "_describe_for_grading", None) is not None:
        return _describe(x)
    text = repr(x)
    return text if len(text) <= 200 else text[:200] + "…"


def assert_true(condition, message):
    """A plain condition with a message (the condition must be a real bool)."""
    if not (isinstance(condition, (bool, np.bool_)) and bool(condition)):
        raise CheckFailed(message, public=f"hidden test: {message}", kind="condition")


def after_call(function, *args, **kwargs):
    """``(result, args, kwargs)`` of ``function`` called on copies of the arguments, the copies as it left them.

    For tasks that update an argument in place: compute the expected values *before* the call, then compare
    them with the returned copies, e.g. ``_, (w_after, _, _), _ = after_call(sgd_step, w, g, 0.1)``.  The
    test's own variables never change, so nothing the function does to them can move what the test expects.
    When grading, ``function`` is the student's function in the sandbox, which gets copies anyway.
    """
    on_copies = getattr(type(function), "_call_on_copies", None)    # the grader's proxy of a student's function
    if on_copies is not None:
        return on_copies(function, args, kwargs)
    args, kwargs = copy.deepcopy(args), copy.deepcopy(kwargs)
    result = function(*args, **kwargs)
    return result, list(args), kwargs
