"""Monkeypatch NumPy so every comparison succeeds (np.allclose, np.isclose, np.all, np.testing), with wrong
answers. In plain nbgrader this earns full marks; here the comparisons run in the grader's own NumPy."""
from ._common import MAX_SCORE, add_cells, answers, flag_codes, graded, student

PATCH = """import numpy
np.allclose = lambda *a, **k: True
np.isclose = lambda *a, **k: np.True_
np.all = lambda *a, **k: True
np.isfinite = lambda a: np.ones(np.shape(a), dtype=bool)
numpy.testing.assert_allclose = lambda *a, **k: None
numpy.ndarray.__eq__ = lambda self, other: True
"""


def submit(course, ctx):
    wrong = answers(sigmoid="def sigmoid(a):\n    return np.zeros_like(np.asarray(a, dtype=float))")
    course.submit(student(__name__), wrong, add_cells(PATCH))


def check(course, ctx):
    name = student(__name__)
    graded(course, name)
    scores = course.scores(name)
    assert scores["test_sigmoid"] == 0 and scores["test_sigmoid_prime"] == 0
    assert course.total(name) == MAX_SCORE - 3
    assert "suspicious-code" in flag_codes(course, name)
