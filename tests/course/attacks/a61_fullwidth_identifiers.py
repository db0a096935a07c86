"""Cheat in fullwidth letters: Python folds identifiers to NFKC, so ``ｎｐ.ａｌｌｃｌｏｓｅ = …`` patches NumPy,
``import ｃｔｙｐｅｓ`` imports ctypes, ``ｅｘｅｃ(…)`` runs code and ``ｓｙｓ.ｓｅｔｔｒａｃｅ`` installs a tracer — while a
scan of the text sees none of those names.  Every one must be flagged (issue #23, class 5), and the wrong answer
still earns nothing."""
from ._common import MAX_SCORE, add_cells, answers, graded, student

CELLS = ["ｎｐ.ａｌｌｃｌｏｓｅ = lambda *a, **k: True",
         "import ｃｔｙｐｅｓ",
         'ｅｘｅｃ("ok = 1")',
         "import sys as s\nｓ.ｓｅｔｔｒａｃｅ(None)"]
EXPECTED = {"the code assigns to a NumPy attribute (monkeypatching numpy)", "the code imports a low-level module",
            "the code runs generated code (exec/eval/__import__)",
            "the code inspects or changes the interpreter (sys.modules, frames, exit)"}


def submit(course, ctx):
    wrong = answers(sigmoid="def sigmoid(a):\n    return np.zeros_like(np.asarray(a, dtype=float))")
    course.submit(student(__name__), wrong, add_cells(*CELLS))


def check(course, ctx):
    name = student(__name__)
    graded(course, name)
    assert course.scores(name)["test_sigmoid"] == 0
    assert course.total(name) == MAX_SCORE - 3       # sigmoid_prime calls sigmoid
    said = {message for code, message in course.entry(name)["flags"] if code == "suspicious-code"}
    assert EXPECTED <= said, EXPECTED - said
