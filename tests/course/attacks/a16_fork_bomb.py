"""Fork as many processes as possible (each child sleeps): the process limit stops it; the children die with
the sandbox; grading goes on."""
from tests.course.conftest import TEST_LIMITS

from ._common import MAX_SCORE, add_cells, answers, graded, student

FORK = '''import os, time
count = 0
try:
    for i in range(400):
        pid = os.fork()
        if pid == 0:
            time.sleep(120)
            os._exit(0)
        count += 1
except OSError as error:
    print("fork stopped after", count, type(error).__name__)
print("forks:", count)'''


def submit(course, ctx):
    course.submit(student(__name__), answers(), add_cells(FORK))


def check(course, ctx):
    name = student(__name__)
    graded(course, name)
    out = course.outputs(name)
    assert "fork stopped after" in out, out[-500:]
    count = int(out.split("forks:")[1].split()[0])
    assert count < TEST_LIMITS.processes
    assert course.total(name) == MAX_SCORE
