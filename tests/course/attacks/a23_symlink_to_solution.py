"""Submit a symbolic link to the instructor's solution notebook instead of a notebook: it is never followed."""
import os

from ._common import flag_codes, student


def submit(course, ctx):
    folder = course.root / "submitted" / student(__name__) / "demo"
    folder.mkdir(parents=True)
    os.symlink(course.root / "solutions" / "demo" / "demo.ipynb", folder / "demo.ipynb")
    os.symlink(course.root / "solutions" / "demo" / "demo_data.txt", folder / "notes.txt")


def check(course, ctx):
    name = student(__name__)
    assert course.entry(name)["status"] == "graded"
    assert course.total(name) == 0 and None not in course.scores(name).values()
    assert "unreadable" in flag_codes(course, name)
    assert "BEGIN SOLUTION" not in course.autograded(name)
