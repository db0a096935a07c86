"""Send a reply that is cheap to make and very expensive to decode: the runner's encoder (which the student's code
shares a process with) is patched so that mse's answer becomes a set of 300,000 integers that all hash alike.
Building it would take the grader hours (n² comparisons); the decoder refuses such sets at once, the submission
is flagged, and the run goes on."""
from ._common import answers, flag_codes, graded, student

CODE = {
    "mse": '''import sys
_protocol = sys.modules["protocol"]
_encode = _protocol.encode
_M = 2 ** 61 - 1

def _costly(value, other=None, _depth=0):
    if type(value) is float and value == 13.5:
        return {"$set": list(range(_M, _M * 300_000, _M))}      # every element hashes to 0
    return _encode(value, other, _depth)

_protocol.encode = _costly

def mse(Y, T):
    return 13.5''',
}


def submit(course, ctx):
    course.submit(student(__name__), answers(**CODE))


def check(course, ctx):
    name = student(__name__)
    graded(course, name)
    assert course.scores(name)["test_mse"] == 0
    assert "protocol" in flag_codes(course, name)
    assert course.entry(name)["seconds"] < 40, course.entry(name)["seconds"]
