"""Try to outlast grading: kill every process in reach, start detached children that hold the files they can open
and ignore SIGTERM, and leave them running.  Inside its PID namespace the student reaches only its own sandbox:
the grader goes on, grades it, and nothing of it survives the run (checked for all by the corpus)."""
from ._common import MAX_SCORE, add_cells, answers, graded, student

OUTLIVE = r'''import os, signal, time
for pid in range(2, 200):
    try:
        os.kill(pid, signal.SIGKILL) if pid != os.getpid() else None
    except OSError:
        pass
if os.fork() == 0:
    os.setsid()
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    held = [open(path, "rb") for path in ("/opt/grader/runner/runner.py",) if os.path.exists(path)]
    time.sleep(600)
    os._exit(0)
print("detached")'''


def submit(course, ctx):
    course.submit(student(__name__), answers(), add_cells(OUTLIVE))


def check(course, ctx):
    name = student(__name__)
    graded(course, name)
    assert course.total(name) == MAX_SCORE
