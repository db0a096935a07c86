"""Look at who and where the code is: its uid, capabilities, environment variables, hostname. It must not be
root, hold no capabilities, and see none of the grader's environment (but its OPENBLAS_/NPY_/OMP_ settings)."""
import os

from ._common import MAX_SCORE, add_cells, answers, graded, student

PROBE = '''import os, socket
status = open("/proc/self/status").read()
print("UID:", os.getuid(), os.geteuid())
print("CAPS:", [line.split()[1] for line in status.splitlines() if line.startswith("CapEff")][0])
print("ENV:", sorted(os.environ))
print("HOST:", socket.gethostname())'''


def submit(course, ctx):
    course.submit(student(__name__), answers(), add_cells(PROBE))


def check(course, ctx):
    from grading.marking.sandbox import SANDBOX_ENV, cpu_settings
    name = student(__name__)
    graded(course, name)
    out = course.outputs(name)
    if os.geteuid() == 0:
        uid = int(out.split("UID:")[1].split()[0])
        assert uid >= 100_000
        assert "CAPS: 0000000000000000" in out
    env = eval(out.split("ENV:")[1].splitlines()[0])
    assert set(env) <= set(SANDBOX_ENV) | set(cpu_settings()) | {"PWD"}   # only the instructor's BLAS/SIMD settings
    assert "HOST: sandbox" in out
    assert course.total(name) == MAX_SCORE
