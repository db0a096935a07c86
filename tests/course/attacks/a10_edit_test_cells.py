"""Replace test cells with `pass`, raise their points to 100, unlock them, rename one: the source's tests and
points are used anyway."""
from ._common import MAX_SCORE, answers, flag_codes, graded, student


def rewrite_tests(nb):
    for cell in nb["cells"]:
        meta = cell["metadata"].get("nbgrader", {})
        if meta.get("grade"):
            cell["source"] = "pass"
            meta.update(points=100, locked=False)
            if meta["grade_id"] == "test_mse":
                meta["grade_id"] = "test_mse_renamed"
    return nb


def submit(course, ctx):
    wrong = answers(sigmoid="def sigmoid(a):\n    return np.zeros_like(a)", mse="def mse(Y, T):\n    return 0.0",
                    sigmoid_prime="def sigmoid_prime(a):\n    s = 1 / (1 + np.exp(-a))\n    return s * (1 - s)")
    course.submit(student(__name__), wrong, rewrite_tests)


def check(course, ctx):
    name = student(__name__)
    graded(course, name)
    scores = course.scores(name)
    assert scores["test_sigmoid"] == 0 and scores["test_mse"] == 0
    assert course.total(name) == MAX_SCORE - 2
    assert course.entry(name)["max_score"] == MAX_SCORE
    assert {"edited-test-cell", "deleted-test-cell", "unknown-cell"} <= flag_codes(course, name)
