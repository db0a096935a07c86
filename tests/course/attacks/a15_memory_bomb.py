"""Exhaust memory: a huge allocation in a cell, a growing list, and a function that allocates 8 GB. The
address-space limit turns them into MemoryErrors; only the test of that function fails."""
from ._common import MAX_SCORE, add_cells, answers, graded, student

BOMBS = ("x = bytearray(50 * 2**30)",
         "blocks = []\nfor i in range(200):\n    blocks.append(bytearray(64 * 2**20))",
         "blocks = None")


def submit(course, ctx):
    greedy = "def mse(Y, T):\n    waste = np.ones((2**30,))\n    return float(np.sum((Y - T) ** 2) / len(Y))"
    course.submit(student(__name__), answers(mse=greedy), add_cells(*BOMBS))


def check(course, ctx):
    name = student(__name__)
    graded(course, name)
    assert course.scores(name)["test_mse"] == 0
    assert "MemoryError" in course.messages(name)["test_mse"]
    assert course.total(name) == MAX_SCORE - 1
