"""Look for the code that decides marks from inside the sandbox: import grading.marking, the journal, the
gradebook writer; list what the grader mounted.  Only grading/sandboxed/runner.py, protocol.py and
asserts.py exist there; the rest of the trust boundary's other side is not in the sandbox at all."""
from ._common import MAX_SCORE, add_cells, answers, graded, student

PROBE = r'''import os, importlib
reached = []
for module in ("grading.marking", "grading.marking.trusted", "grading.journal", "grading.gradebook",
               "grading.autograde", "grading.workers", "grading.files", "nnlib"):
    try:
        importlib.import_module(module)
        reached.append(module)
    except Exception:
        pass
mounted = sorted(os.path.relpath(os.path.join(top, f), "/opt/grader") for top, _, files in os.walk("/opt/grader")
                 for f in files if "submission" not in top)
print("REACHED:", reached)
print("MOUNTED:", mounted)'''


def submit(course, ctx):
    course.submit(student(__name__), answers(), add_cells(PROBE))


def check(course, ctx):
    name = student(__name__)
    graded(course, name)
    out = course.outputs(name)
    assert "REACHED: []" in out, out
    assert "MOUNTED: ['lib/grading/__init__.py', 'lib/grading/asserts.py', 'runner/protocol.py', " \
           "'runner/runner.py']" in out, out
    assert course.total(name) == MAX_SCORE
