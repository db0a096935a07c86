"""The suspicious-code flags read the syntax tree Python executes (grading/marking/suspicious.py), so names
spelled in other Unicode forms, comments and spacing change nothing; honest code gets no flag."""
from __future__ import annotations

import keyword
import re

import pytest

from grading.marking import suspicious as s
from tests.course.fixtures.demo import SOLUTIONS


def fullwidth(text):
    """ASCII letters as their fullwidth forms (NFKC folds them back)."""
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalpha() else c for c in text)


def fullwidth_names(code):
    """``code`` with every identifier (not keywords, strings or magics) in fullwidth letters: the same program."""
    out, lines = [], code.split("\n")
    for line in lines:
        if line.lstrip().startswith(("!", "%")):
            out.append(line)
            continue
        words = re.split(r"(\w+|'[^']*'|\"[^\"]*\")", line)
        out.append("".join(fullwidth(w) if w.isidentifier() and not keyword.iskeyword(w) else w for w in words))
    return "\n".join(out)


CASES = [
    ("np.allclose = lambda *a, **k: True", s.NUMPY),
    ("import numpy as n\nm = n\nm.testing.assert_allclose = print", s.NUMPY),
    ("from numpy import linalg as L\ndel L.norm", s.NUMPY),
    ("import ctypes", s.LOW_LEVEL),
    ("from multiprocessing import Process", s.LOW_LEVEL),
    ('exec("x = 1")', s.GENERATED),
    ("f = eval", s.GENERATED),
    ("import sys\nsys.settrace(None)", s.INTERPRETER),
    ("from sys import _getframe as g", s.INTERPRETER),
    ("import os\nos.system('ls')", s.OS_CALLS),
    ("setattr(np, 'allclose', 1)", s.SETATTR),
    ("class A:\n    def __eq__(self, other):\n        return True", s.SPECIAL),
    ("import builtins", s.BUILTINS),
    ("raise SystemExit", s.EXITS),
    ("assert_close = lambda *a, **k: None", s.HELPERS),
    ("open('/etc/passwd')", s.ABSOLUTE_OPEN),
    ("x = '../solutions/demo'", s.PATHS),
    ("!ls\n%matplotlib inline", s.MAGICS),
    ("import nnlib", s.NNLIB),
]


@pytest.mark.parametrize("code, why", CASES)
def test_each_kind_is_found_in_ascii_and_in_fullwidth(code, why):
    assert why in s.suspicious(code)
    folded = fullwidth_names(code)
    assert why in s.suspicious(folded), folded
    if why in (s.NUMPY, s.LOW_LEVEL, s.GENERATED, s.INTERPRETER, s.SETATTR, s.OS_CALLS):
        assert folded != code


def test_the_issues_fullwidth_examples_are_flagged():
    flags = {message for _, message in s.scan_code(["ｎｐ.ａｌｌｃｌｏｓｅ = lambda *a, **k: True", "import ｃｔｙｐｅｓ",
                                                    'ｅｘｅｃ("1")', "import sys\nｓｙｓ.ｓｅｔｔｒａｃｅ(None)"])}
    assert flags == {f"the code {why}" for why in (s.NUMPY, s.LOW_LEVEL, s.GENERATED, s.INTERPRETER)}


def test_comments_strings_and_honest_answers_are_not_flagged():
    assert s.scan_code(list(SOLUTIONS.values())) == []
    assert s.suspicious("# np.allclose = f, import ctypes, exec(...)\nx = 'exec(1)'\ny = np.exp(x)") == set()


def test_a_cell_that_does_not_parse_is_read_as_folded_text():
    assert s.NUMPY in s.suspicious("ｎｐ.ａｌｌｃｌｏｓｅ = 1\ndef broken(:")
