"""Leave processes behind: a child in a new session that outlives its parent, a daemon thread. All of them die
with the sandbox (its own PID namespace), nothing is left running after grading."""
from ._common import MAX_SCORE, add_cells, answers, graded, student

DAEMON = '''import os, time, threading
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        time.sleep(600)
    os._exit(0)
threading.Thread(target=lambda: time.sleep(600), daemon=True).start()'''


def submit(course, ctx):
    course.submit(student(__name__), answers(), add_cells(DAEMON))


def check(course, ctx):
    name = student(__name__)
    graded(course, name)
    assert course.total(name) == MAX_SCORE
    assert ctx.leftover_processes() == []
