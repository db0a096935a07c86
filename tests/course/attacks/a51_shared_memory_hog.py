"""Hold 3 GB of shared memory (memfd_create + posix_fallocate, 60 MB each, under the file-size limit) that the
address-space limit does not count: the sandbox's memory control group does (the kernel kills the process at the
limit, listed as out of memory); where no control group can be made, memfd_create is denied."""
from grading.marking import confinement

from ._common import MAX_SCORE, add_cells, answers, flag_codes, graded, student

HOG = '''import os
held = []
try:
    for i in range(50):
        fd = os.memfd_create("hog")
        os.posix_fallocate(fd, 0, 60 * 2**20)
        held.append(fd)
    print("HELD", 60 * len(held), "MB")
except OSError as error:
    print("stopped after", 60 * len(held), "MB:", error)'''


def submit(course, ctx):
    course.submit(student(__name__), answers(), add_cells(HOG))


def check(course, ctx):
    name = student(__name__)
    graded(course, name)
    assert "HELD" not in course.outputs(name)
    if confinement.problem() is None:
        assert "kernel-died" in flag_codes(course, name)
        reasons = " ".join(text for _, text in course.entry(name)["flags"])
        assert "ran out of memory" in reasons, reasons
    else:
        assert "stopped after 0 MB" in course.outputs(name)
    assert course.total(name) == MAX_SCORE
