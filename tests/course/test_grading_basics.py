"""Grading the demo assignment end to end: right answers, no answers, wrong answers, feedback, export."""
from __future__ import annotations

import subprocess
import sys

from tests.conftest import require
from tests.course.conftest import venv_env
from tests.course.fixtures.demo import HIDDEN_MARKER, MAX_SCORE, POINTS, SOLUTIONS

WRONG = dict(SOLUTIONS,
             sigmoid="def sigmoid(a):\n    return np.array([0.5, 0.880797078])",          # fits the visible case only
             sigmoid_prime="def sigmoid_prime(a):\n    s = 1 / (1 + np.exp(-a))\n    return s * (1 - s)",
             mse="def mse(Y, T):\n    return float(np.sum((Y - T) ** 2))",                   # forgets 1/N
             sgd="def sgd_step(w, grad, lr):\n    return w - lr * grad")                     # not in place


def test_solutions_full_marks_release_zero_wrong_answers_partial(demo_course):
    require("bwrap", "sandboxed grading")

    def read_data_file(nb):        # the assignment's data files are next to the notebook when it is graded
        # (before the first test: the output of cells that run after hidden tests is withheld)
        nb["cells"].insert(3, {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                               "source": "print(open('demo_data.txt').read())"})
        return nb

    demo_course.submit("alice", SOLUTIONS, read_data_file)
    demo_course.submit("bob")                       # the release, untouched
    demo_course.submit("carol", WRONG)
    summary = demo_course.grade()
    assert (summary.graded, summary.failed) == (3, 0), summary.failures

    assert demo_course.scores("alice") == POINTS
    assert "demo data: 42" in demo_course.outputs("alice")
    assert demo_course.total("bob") == 0 and None not in demo_course.scores("bob").values()
    carol = demo_course.scores("carol")
    assert carol == dict(POINTS, test_sigmoid=0, test_mse=0, test_sgd=0)
    assert demo_course.total("carol") == MAX_SCORE - 3

    messages = demo_course.messages("carol")
    assert messages["test_sigmoid_prime"].startswith("✔ passed, 2/2 points")
    assert "hidden test: sigmoid on an array of shape (4, 7)" in messages["test_sigmoid"]
    assert "wrong shape: expected (4, 7)" in messages["test_sigmoid"]
    assert "(2,)" not in messages["test_sigmoid"]              # the shape of what came back is the student's
    # visible, but after hidden tests called the process that answered: fixed words, no value of the student's
    assert "mse on two samples — wrong value — every value is the same multiple of the expected one" \
        in messages["test_mse"]
    assert "details not shown" in messages["test_mse"] and "got" not in messages["test_mse"]
    assert "sigmoid_prime" not in messages["test_sgd"] and "w after sgd_step" in messages["test_sgd"]
    assert "is not implemented yet" in demo_course.messages("bob")["test_sigmoid"]

    for student in ("alice", "bob", "carol"):
        assert HIDDEN_MARKER not in demo_course.autograded(student)
        assert "import nnlib" not in demo_course.autograded(student)
    assert not demo_course.entry("bob")["flags"]
    assert demo_course.report()["graded"] == 3


def test_feedback_and_export_work_and_never_show_hidden_tests(demo_course):
    require("bwrap", "sandboxed grading")
    demo_course.submit("alice", SOLUTIONS)
    demo_course.submit("carol", WRONG)
    demo_course.grade()
    env = venv_env()
    feedback = subprocess.run([sys.executable, "-m", "nbgrader", "generate_feedback", "demo"], cwd=demo_course.root,
                              env=env, capture_output=True, text=True)
    assert feedback.returncode == 0, feedback.stderr
    html = (demo_course.root / "feedback" / "carol" / "demo" / "demo.html").read_text()
    assert "hidden test: sigmoid on an array of shape (4, 7)" in html
    assert HIDDEN_MARKER not in html and "default_rng(7)" not in html and "most recent call last" not in html
    export = subprocess.run([sys.executable, "-m", "nbgrader", "export"], cwd=demo_course.root, env=env,
                            capture_output=True, text=True)
    assert export.returncode == 0, export.stderr
    csv = (demo_course.root / "grades.csv").read_text().splitlines()
    rows = {line.split(",")[3]: line.split(",") for line in csv[1:]}
    assert float(rows["alice"][7]) == MAX_SCORE and float(rows["carol"][7]) == MAX_SCORE - 3


def test_rerun_is_idempotent_and_resubmission_is_regraded(demo_course):
    require("bwrap", "sandboxed grading")
    demo_course.submit("alice", SOLUTIONS)
    demo_course.submit("carol", WRONG)
    demo_course.grade()
    rows = sorted(demo_course.grade_rows())
    again = demo_course.grade()
    assert (again.graded, again.skipped) == (0, 2)
    assert sorted(demo_course.grade_rows()) == rows
    demo_course.submit("carol", SOLUTIONS)          # a new version of carol's notebook
    third = demo_course.grade()
    assert (third.graded, third.skipped) == (1, 1)
    assert demo_course.scores("carol") == POINTS
    assert len(demo_course.grade_rows()) == len(rows)


def test_each_test_sees_the_notebook_as_run_all_leaves_it_at_its_place(demo_course):
    """A scratch cell at the end that redefines answers does not change the tests above it (as in nbgrader);
    a definition moved below its test is missing when that test runs."""
    require("bwrap", "sandboxed grading")

    def scratch_at_end(nb):
        nb["cells"].append({"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                            "source": "def sigmoid(a):\n    return 0 * a\nn_params = 0"})
        return nb

    def mse_below_its_test(nb):
        cells = nb["cells"]
        at = next(i for i, c in enumerate(cells) if c["metadata"].get("nbgrader", {}).get("grade_id") == "mse")
        cells.insert(at + 1, cells.pop(at))          # now after test_mse
        return nb

    demo_course.submit("dora", SOLUTIONS, scratch_at_end)
    demo_course.submit("emil", SOLUTIONS, mse_below_its_test)
    demo_course.grade()
    assert demo_course.scores("dora") == POINTS
    assert demo_course.scores("emil") == dict(POINTS, test_mse=0)
    assert "mse is not defined" in demo_course.messages("emil")["test_mse"]
