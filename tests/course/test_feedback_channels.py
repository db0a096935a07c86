"""The channel from a student's process to the feedback, once hidden inputs may have reached it (issue #23 class
1): what a hidden test — or a visible test answered by a process that had served a hidden one — says about a
failed check comes from a fixed vocabulary.  Whatever the student's code returns, the number of different
messages one check can produce stays small and fixed, so a test can carry only a few bits of what the code saw;
the full messages (values, shapes) are for visible tests answered before any hidden call."""
from __future__ import annotations

import math

import numpy as np
import pytest

from grading.asserts import CheckFailed, assert_close, assert_equal, assert_shape
from grading.marking.feedback import failure_message

rng = np.random.default_rng(0)
HOSTILE = ([np.zeros((0, 7919, n)) for n in (123457, 9, 31)] + [rng.normal(size=s) for s in [(5,), (4, 7), (7, 4)]]
           + [np.full(5, 0.25) * k for k in (1.2345678, -1.0, 31.41593)] + [np.array([np.nan] * 5), np.arange(5)]
           + [np.zeros(5, dtype=bool), np.zeros(5, dtype=complex), 0.123457, -7.7, np.float32(2.5), np.inf, 13, 17,
              "x" * 150, "LEAK-0.123457", [0.123457, 1], (1, 2), {"k": 0.5}, None, True, b"raw"])
CHECKS = {"assert_close (5,)": lambda x: assert_close(x, np.full(5, 0.25), "sigmoid_prime(0)"),
          "assert_close number": lambda x: assert_close(x, 0.5, "mse on two samples"),
          "assert_shape": lambda x: assert_shape(x, (5,), "the output"),
          "assert_equal": lambda x: assert_equal(x, 13, "count_parameters([2, 3, 1])")}


def _public_messages(check, tainted):
    found = set()
    for actual in HOSTILE:
        try:
            check(actual)
        except CheckFailed as error:
            found.add(failure_message(error, hidden=not tainted, used=["f"], tainted=tainted,
                                      visible_literals={13, 0.25, 0.5, 5}))
    return found


@pytest.mark.parametrize("tainted", [False, True], ids=["hidden test", "visible test after a hidden one"])
@pytest.mark.parametrize("name", CHECKS)
def test_a_check_has_a_few_fixed_messages_whatever_the_student_returns(name, tainted):
    messages = _public_messages(CHECKS[name], tainted)
    assert 1 <= len(messages) <= 23, messages          # the README's bound: at most 23 phrases, 4.6 bits
    text = "\n".join(messages)
    for chosen in ("7919", "123457", "1.23457", "31.4159", "0.123457", "LEAK", "7.7", "xxxx", "(4, 7)", "(7, 4)",
                   "complex", "float32", "17"):
        assert chosen not in text, (chosen, text)


def test_the_capacity_of_the_vocabulary_is_what_the_readme_says():
    bits = {name: math.log2(len(_public_messages(check, tainted=True))) for name, check in CHECKS.items()}
    assert max(bits.values()) <= math.log2(23), bits


def test_visible_tests_before_any_hidden_call_keep_their_full_message():
    with pytest.raises(CheckFailed) as caught:
        assert_close(np.full(5, 0.3), np.full(5, 0.25), "sigmoid_prime(0)")
    message = failure_message(caught.value, hidden=False, used=["sigmoid_prime"])
    assert "expected 0.25, got 0.3" in message


def test_after_a_hidden_call_only_constants_of_the_visible_code_are_quoted():
    with pytest.raises(CheckFailed) as caught:
        assert_equal(9, 13, "count_parameters([2, 3, 1])")
    said = failure_message(caught.value, hidden=False, used=[], tainted=True, visible_literals={13, 2, 3, 1})
    assert "expected 13" in said and "9" not in said and "details not shown" in said
    unsaid = failure_message(caught.value, hidden=False, used=[], tainted=True, visible_literals={2, 3, 1})
    assert "13" not in unsaid
