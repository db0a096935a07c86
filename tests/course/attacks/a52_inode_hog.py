"""Create millions of empty files in the scratch space: each costs kernel memory (about 1.2 kB), which a tmpfs
capped in bytes does not count.  The scratch tmpfs is capped in files too (``Limits.scratch_files``): the code gets
"No space left on device" and the notebook goes on."""
import os

from grading.limits import Limits

from ._common import MAX_SCORE, add_cells, answers, graded, student

HOG = '''import os
os.makedirs("many", exist_ok=True)
made = 0
try:
    while made < 3_000_000:
        open(f"many/{made}", "w").close()
        made += 1
    print("MADE", made)
except OSError as error:
    print("stopped after", made, "files:", error.strerror)'''


def submit(course, ctx):
    course.submit(student(__name__), answers(), add_cells(HOG))


def check(course, ctx):
    name = student(__name__)
    graded(course, name)
    out = course.outputs(name)
    assert "MADE" not in out
    if os.geteuid() == 0:           # without root the tmpfs is capped in bytes only (the grader warns)
        made = int(out.split("stopped after ")[1].split()[0])
        assert made <= Limits().scratch_files and "No space left on device" in out, out[-500:]
    assert course.total(name) == MAX_SCORE
