"""Hunt for the hidden tests from inside the sandbox — in memory (gc), other processes (/proc/*/cmdline,
environ, mem), the arguments and callbacks it receives — and put whatever it finds into its error messages and
outputs, which the student sees as feedback."""
from ._common import HIDDEN_MARKER, answers, graded, student

HUNT = r'''import gc, os, sys
def hunt():
    found = []
    for obj in gc.get_objects():
        if isinstance(obj, str) and ("HIDDEN" in obj or "nnlib" in obj):
            found.append(obj[:80])
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            for what in ("cmdline", "environ"):
                try:
                    found.append(open(f"/proc/{pid}/{what}", "rb").read()[:200].decode(errors="replace"))
                except Exception:
                    pass
    try:
        found.append(open(f"/proc/{os.getppid()}/mem", "rb").read(100).decode(errors="replace"))
    except Exception:
        pass
    return found
print("HUNT:", hunt())
'''

CODE = {
    "mse": "def mse(Y, T):\n    raise ValueError(repr(hunt()) + repr(sys._getframe().f_back))",
    "numgrad": ("def numerical_gradient(f, x, h=1e-5):\n"
                "    cells = [repr(c.cell_contents)[:100] for c in (f.__closure__ or [])]\n"
                "    raise ValueError(repr(cells) + repr(f.__code__.co_consts) + repr(f.__globals__.get('__file__')))"),
}


def submit(course, ctx):
    from ._common import add_cells
    course.submit(student(__name__), answers(**CODE), add_cells(HUNT))


def check(course, ctx):
    name = student(__name__)
    graded(course, name)
    assert course.scores(name)["test_mse"] == 0 and course.scores(name)["test_numgrad"] == 0
    shown = course.autograded(name) + ctx.feedback(name)
    assert HIDDEN_MARKER not in shown
    assert "default_rng(9)" not in shown and "import nnlib" not in shown
