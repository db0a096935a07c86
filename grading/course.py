"""The course directory as nbgrader sees it: nbgrader_config.py, source/release/submitted/autograded folders."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from nbgrader.coursedir import CourseDirectory
from nbgrader.utils import find_all_files
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from .errors import NotACourse  # noqa: F401 (re-exported)


def find_course_root(start="."):
    """The nearest folder at or above ``start`` that holds nbgrader_config.py (commands may run from a subfolder)."""
    start = Path(start).resolve()
    for folder in (start, *start.parents):
        if (folder / "nbgrader_config.py").is_file():
            return folder
    raise NotACourse(f"{start} is not in a course folder (no nbgrader_config.py here or above): run this from the "
                     f"course folder, where nbgrader_config.py is, or pass --course FOLDER")


def load_config(root):
    """The traitlets Config of ``root/nbgrader_config.py`` (empty if there is none)."""
    root = Path(root)
    if not (root / "nbgrader_config.py").exists():
        return Config()
    return PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()


@dataclass
class Submission:
    student: str
    path: Path          # submitted/<student>/<assignment>
    timestamp: str | None
    linked: bool        # not a real folder (a symbolic link somewhere, or a file): it is never read


class Course:
    """Paths and settings of one course directory (the folder that holds nbgrader_config.py)."""

    def __init__(self, root="."):
        self.root = Path(root).resolve()
        self.config = load_config(self.root)
        self.coursedir = CourseDirectory(config=self.config)
        self.coursedir.root = str(self.root)

    @property
    def db_url(self):
        return self.coursedir.db_url

    @property
    def course_id(self):
        return self.coursedir.course_id

    def folder(self, step):
        return self.root / getattr(self.coursedir, f"{step}_directory")

    def source_dir(self, assignment):
        return self.folder("source") / assignment

    def autograded_dir(self, student, assignment):
        return self.folder("autograded") / student / assignment

    def state_dir(self, assignment):
        """Where the grader keeps its journal and report (hidden from nbgrader's student globs)."""
        return self.folder("autograded") / ".grading" / assignment

    def assignments(self):
        source = self.folder("source")
        return sorted(p.name for p in source.iterdir() if p.is_dir() and list(p.glob("*.ipynb"))) \
            if source.is_dir() else []

    def data_files(self, assignment):
        """Non-notebook files of the assignment (data sets, helper modules): nbgrader copies them for grading."""
        source = self.source_dir(assignment)
        files = find_all_files(str(source), list(self.coursedir.ignore) + ["*.ipynb"])
        return [(os.path.relpath(path, source), path) for path in sorted(files)]

    def submissions(self, assignment, students=None):
        """Every submitted/<student>/<assignment> folder, sorted by student id."""
        submitted = self.folder("submitted")
        found = []
        if not submitted.is_dir():
            return found
        for student_dir in sorted(submitted.iterdir()):
            student = student_dir.name
            if student.startswith(".") or (students and student not in students):
                continue
            path = student_dir / assignment
            if not os.path.lexists(path):
                continue
            linked = not path.is_dir() or \
                os.path.realpath(path) != os.path.join(os.path.realpath(submitted), student, assignment)
            found.append(Submission(student, path, None if linked else _timestamp(path), linked))
        return found


def _timestamp(path):
    stamp = path / "timestamp.txt"
    if path.is_symlink() or stamp.is_symlink() or not stamp.is_file():
        return None
    with open(stamp, "rb") as f:                     # only the first bytes: the file may be huge
        text = f.read(100).decode("utf-8", "replace").strip()
    return text or None
