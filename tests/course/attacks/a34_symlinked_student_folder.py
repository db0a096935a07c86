"""Make the student's whole folder a symbolic link to the instructor's solutions/ (so that
submitted/<student>/demo/demo.ipynb is the solution notebook): the folder is never read."""
import os

from ._common import flag_codes, student


def submit(course, ctx):
    os.symlink(course.root / "solutions", course.root / "submitted" / student(__name__))


def check(course, ctx):
    name = student(__name__)
    assert course.entry(name)["status"] == "graded"
    assert course.total(name) == 0 and None not in course.scores(name).values()
    assert "symlink" in flag_codes(course, name)
    assert "BEGIN SOLUTION" not in course.autograded(name) and "1 / (1 + np.exp(-a))" not in course.autograded(name)
