"""Ship files that shadow modules (numpy.py, grading/asserts.py that passes everything, nnlib.py) next to the
notebook, with wrong answers: they can only affect the student's own process, never the grader's checks."""
from ._common import MAX_SCORE, answers, graded, student

FILES = {
    "numpy.py": "raise ImportError('shadowed numpy')\n",
    "grading/__init__.py": "",
    "grading/asserts.py": "def assert_close(*a, **k): pass\nassert_equal = assert_true = assert_shape = assert_close\n",
    "nnlib.py": "raise SystemExit('shadowed nnlib')\n",
}


def submit(course, ctx):
    name = student(__name__)
    course.submit(name, answers(mse="def mse(Y, T):\n    return 0.5"))
    folder = course.root / "submitted" / name / "demo"
    for relname, text in FILES.items():
        (folder / relname).parent.mkdir(parents=True, exist_ok=True)
        (folder / relname).write_text(text)


def check(course, ctx):
    name = student(__name__)
    graded(course, name)
    assert course.scores(name)["test_mse"] == 0
    assert course.total(name) == MAX_SCORE - 1
