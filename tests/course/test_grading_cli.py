"""The commands around grading: refusing to grade without a sandbox, --unsandboxed, the student's self-check,
make release's leak check, the Makefile targets, and the strict plain-data protocol."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import numpy as np
import pytest

from grading import protocol
from grading.course import Course
from grading.release import verify_release
from tests.conftest import ROOT, require
from tests.course.conftest import venv_env
from tests.course.fixtures.demo import HIDDEN_MARKER, MAX_SCORE, POINTS, SOLUTIONS, submission

CHEAT = dict(SOLUTIONS, sigmoid="import numpy\nnumpy.allclose = lambda *a, **k: True\n"
                                "def sigmoid(a):\n    return np.zeros_like(a)")


def test_refuses_to_grade_without_bubblewrap_and_says_why(demo_course):
    demo_course.submit("alice", SOLUTIONS)
    env = venv_env()
    env["PATH"] = os.path.dirname(sys.executable)           # no bwrap on this PATH
    result = subprocess.run([sys.executable, "-m", "grading", "autograde", "demo"], cwd=demo_course.root, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert "bubblewrap (bwrap) is not installed" in result.stderr and "--unsandboxed" in result.stderr
    assert not (demo_course.root / "autograded" / "alice").exists()


def test_unsandboxed_grading_still_decides_marks_outside_the_students_process(demo_course):
    demo_course.submit("alice", SOLUTIONS)
    demo_course.submit("mallory", CHEAT)
    summary = demo_course.grade(unsandboxed=True)
    assert (summary.graded, summary.failed) == (2, 0)
    assert demo_course.scores("alice") == POINTS
    assert demo_course.scores("mallory")["test_sigmoid"] == 0


def _student_notebook(demo_course, name, answers):
    path = demo_course.root / "exercises" / "demo" / f"{name}.ipynb"
    path.write_text(json.dumps(submission(demo_course.release, answers)))
    return path


def test_check_passes_a_correct_notebook_and_lists_failures_with_exit_status_1(demo_course):
    from grading.check import check
    good = _student_notebook(demo_course, "good", SOLUTIONS)
    out = io.StringIO()
    assert check(str(good), out=out) == 0, out.getvalue()
    assert f"{len(POINTS)} of {len(POINTS)} test cells pass" in out.getvalue()
    assert check("no/such/notebook.ipynb", out=out) == 2

    bad = _student_notebook(demo_course, "bad", dict(SOLUTIONS, mse="def mse(Y, T):\n    return 1.0"))
    result = demo_course.cli("check", str(bad))
    assert result.returncode == 1
    assert "✘ test_mse (1 point): CheckFailed: mse on two samples: expected 0.5, got 1" in result.stdout
    assert "✔ test_sigmoid" in result.stdout and HIDDEN_MARKER not in result.stdout


def test_release_regenerates_exercises_and_detects_leaks(demo_course):
    result = demo_course.cli("release")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no solution or hidden test leaked" in result.stdout
    course = Course(demo_course.root)
    assert verify_release(course, ["demo"]) == []

    release = demo_course.root / "exercises" / "demo" / "demo.ipynb"
    nb = json.loads(release.read_text())
    nb["cells"][-1]["source"] += "\nassert_close(sigmoid(a), nnlib.activations.sigmoid(a), " \
                                 "\"sigmoid on an array of shape (4, 7)\")"
    nb["cells"][3]["source"] = SOLUTIONS["sigmoid"]
    release.write_text(json.dumps(nb))
    problems = verify_release(course, ["demo"])
    assert any("hidden-test line" in p and "nnlib.activations.sigmoid(a)" in p for p in problems)
    assert any("1 / (1 + np.exp(-a))" in p for p in problems)


def test_makefile_has_the_course_targets():
    for target, expected in [("release", "-m grading release"),
                             ("grade ASSIGNMENT=ps01 WORKERS=2", "-m grading autograde ps01 --workers 2"),
                             ("check NOTEBOOK=x.ipynb", "-m grading check \"x.ipynb\"")]:
        result = subprocess.run(["make", "-n", *target.split()], cwd=ROOT, capture_output=True, text=True)
        assert expected in result.stdout, result.stdout + result.stderr


def test_help_explains_each_command():
    result = subprocess.run([sys.executable, "-m", "grading", "autograde", "--help"], cwd=ROOT, capture_output=True,
                            text=True)
    assert result.returncode == 0
    for option in ("--workers", "--scheduler", "--unsandboxed", "--timeout"):
        assert option in result.stdout


# -- the plain-data protocol ---------------------------------------------------------------------------------------

ROUND_TRIP = [None, True, 3, 2.5, float("nan"), "text", [1, [2.0]], (1, "a"), {"k": (1, 2)}, {(1, 2): None},
              {1, 2}, frozenset({3}), 1 + 2j, range(2, 9, 3), np.float64(0.25), np.int32(-4), np.bool_(True),
              np.arange(6, dtype=np.int16).reshape(2, 3), np.zeros((0, 3)), np.array([1 + 1j]), np.float64,
              np.dtype("float32"), float]


@pytest.mark.parametrize("value", ROUND_TRIP, ids=lambda v: type(v).__name__)
def test_plain_values_cross_with_their_exact_type(value):
    back = protocol.decode(protocol.loads(protocol.dumps({"value": protocol.encode(value)}))["value"])
    assert type(back) is type(value)
    if isinstance(value, np.ndarray):
        assert back.dtype == value.dtype and back.shape == value.shape and np.array_equal(back, value)
    elif value == value:                                 # (NaN is not equal to itself)
        assert back == value


def test_a_generator_crosses_by_its_state():
    rng = np.random.default_rng(5)
    back = protocol.decode(protocol.loads(protocol.dumps({"value": protocol.encode(rng)}))["value"])
    assert back.random() == rng.random()


class Pretender(float):
    def __eq__(self, other):
        return True


@pytest.mark.parametrize("make", [lambda: Pretender(1.0), lambda: np.array([object()]),
                                  lambda: np.ma.masked_array([1.0]), lambda: np.char.array(["a"]), object,
                                  lambda: (lambda: 1)])
def test_anything_else_has_no_plain_form(make):
    with pytest.raises(protocol.Unencodable):
        protocol.encode(make())


BAD = [
    '{"$array": "AAAA", "dtype": "<f8", "shape": [1]}',            # 3 bytes for one float64
    '{"$array": "AAAAAAAAAAA=", "dtype": "|O", "shape": [1]}',      # object dtype
    '{"$array": "AAAAAAAAAAA=", "dtype": "<f8", "shape": [-1]}',
    '{"$array": "!!!", "dtype": "<f8", "shape": [0]}',
    '{"$scalar": "AAAA", "dtype": "<f8"}',
    '{"$pickle": "gAR9lC4="}',
    '{"$tuple": [1], "extra": 2}',
    '{"$remote": 1, "type": "x", "callable": true}',               # handles need a resolver
    '{"$set": [[1, 2]]}',                                           # unhashable member
    '{"$type": "os.system"}',
    '{"$rng": {"bit_generator": "Evil", "state": {}}}',
    '{"plain": "dict"}',
    '[' * 200 + ']' * 200,
]


@pytest.mark.parametrize("text", BAD)
def test_malformed_data_is_rejected(text):
    with pytest.raises(protocol.ProtocolError):
        protocol.decode(json.loads(text))


def test_sandbox_check_reports_a_working_bubblewrap():
    require("bwrap", "sandboxed grading")
    from grading.marking.sandbox import check_sandbox
    check_sandbox()


def test_grading_the_demo_solution_gives_full_marks_in_one_call(demo_course):
    """The worker function alone (what a pool process or a Dask worker runs)."""
    require("bwrap", "sandboxed grading")
    from grading.source import load_assignment
    from grading.marking.worker import grade_submission
    from grading.records import Job
    from tests.course.conftest import TEST_LIMITS
    path = demo_course.submit("alice", SOLUTIONS)
    spec = load_assignment(Course(demo_course.root), "demo")
    result = grade_submission(Job(student="alice", assignment="demo", key="k", spec=spec, path=str(path.parent),
                                  limits=TEST_LIMITS))
    assert result.status == "graded" and result.notebooks["demo"]["score"] == MAX_SCORE
    assert result.sandbox_seconds < 3
