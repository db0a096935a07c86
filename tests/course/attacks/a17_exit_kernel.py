"""End the kernel from a cell: sys.exit, KeyboardInterrupt, os._exit, SIGKILL to itself. The runner survives the
first two; the others end the process, and a fresh sandbox re-runs the notebook without those cells."""
from ._common import MAX_SCORE, add_cells, answers, flag_codes, graded, student

EXITS = ("import sys\nsys.exit(1)", "raise KeyboardInterrupt", "import os\nos._exit(3)",
         "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)")


def submit(course, ctx):
    course.submit(student(__name__), answers(), add_cells(*EXITS))


def check(course, ctx):
    name = student(__name__)
    graded(course, name)
    assert course.total(name) == MAX_SCORE
    assert "kernel-died" in flag_codes(course, name)
