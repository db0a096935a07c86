"""A course on one shared machine with real Unix accounts, set up as the README says for students.

``shared_machine`` (session-scoped, imported by tests/conftest.py so that the students' environment is built once)
creates an instructor and two student accounts with homes in a temporary folder, copies the course next to them
(the folder as a clone leaves it, owned by the instructor), and runs the README's command as root (the packages of
both environments are installed ahead, in the session's background pool: ``build_environments``)::

    python -m grading students-setup --exchange EXCHANGE --prefix PREFIX --python /usr/bin/python3

Everything runs as an account through ``setpriv`` (no PAM session, so the process is the command itself and can be
stopped by its id).  At the end the accounts and their groups are removed and the folder is deleted, even on failure.
"""
from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests import background_runs
from tests.conftest import IN_CI, ROOT, require

# The students' environment is based on Debian's Python: this machine's .venv is built on a Python under /root,
# which no other account may run.  For the same reason the instructor gets an environment of their own here, as
# on a real machine: the same packages, and nnlib and grading from the course folder (a .pth file, like the
# editable install of `make install`), so that the grading sandbox, which mounts the Python installation but not
# the course, has no nnlib.
SYSTEM_PYTHON = "/usr/bin/python3"
COURSE_FILES = ["nbgrader_config.py", "requirements.txt", "solutions", "exercises", "nnlib", "grading",
                "build/share/jupyter/labextensions/nn-course-feedback"]    # built by make install


@dataclass
class Account:
    name: str
    home: Path
    bin: Path           # the environment this account runs: the instructor's, or the students'

    def argv(self, argv, **env):
        settings = [f"PATH={self.bin}:/usr/bin:/bin", "OPENBLAS_NUM_THREADS=1", "PYTHONDONTWRITEBYTECODE=1",
                    *(f"{key}={value}" for key, value in env.items())]
        return ["setpriv", f"--reuid={self.name}", f"--regid={self.name}", "--init-groups", "--reset-env",
                "env", *settings, *map(str, argv)]

    def run(self, *argv, cwd=None, check=True, timeout=600, **env):
        result = subprocess.run(self.argv(argv, **env), cwd=cwd or self.home, capture_output=True, text=True,
                                timeout=timeout)
        if check and result.returncode:
            raise AssertionError(f"{self.name}: {' '.join(map(str, argv))} exited {result.returncode}:\n"
                                 f"{result.stdout}\n{result.stderr}")
        return result

    def popen(self, argv, cwd=None, **kwargs):
        return subprocess.Popen(self.argv(argv), cwd=cwd or self.home, **kwargs)

    def can(self, test, path):
        """Whether this account may read (``-r``), write (``-w``) or list (``-x`` + ``-r``) ``path``."""
        return self.run("test", test, path, check=False).returncode == 0

    def reads(self, path):
        return self.run("cat", path, check=False).returncode == 0

    def lists(self, path):
        return self.run("ls", path, check=False).returncode == 0


@dataclass
class SharedMachine:
    work: Path
    course: Path
    exchange: Path
    prefix: Path
    instructor: Account
    students: list
    setup_output: str

    def nbgrader(self, *args, check=True):
        return self.instructor.run("nbgrader", *args, cwd=self.course, check=check)

    def grading(self, *args, check=True):
        return self.instructor.run("python", "-m", "grading", *args, cwd=self.course, check=check)


def _useradd(name, home):
    subprocess.run(["useradd", "--create-home", "--home-dir", str(home), "--user-group", "--shell", "/bin/sh", name],
                   check=True, capture_output=True)


def _userdel(name):
    subprocess.run(["userdel", name], capture_output=True)       # removes its user group too
    subprocess.run(["groupdel", name], capture_output=True)      # in case useradd stopped half-way


def build_environments():
    """The slow part of ``shared_machine``, started in the session's background pool: a work folder with the students'
    environment (at the prefix the README's command is then given: it finds the packages installed and does the
    rest) and the instructor's.  (work folder, the instructor's site-packages), or None where accounts cannot be made.
    """
    from grading.students_setup import install_packages     # here: tests/conftest.py imports this module
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        return None
    work = Path(tempfile.mkdtemp(prefix="nnbook-shared-"))
    work.chmod(0o755)       # our own temporary folder: the accounts must reach their homes in it
    quiet = lambda *args: None  # noqa: E731
    install_packages(work / "students", SYSTEM_PYTHON, ROOT / "requirements.txt", log=quiet)
    site = install_packages(work / "instructor-env", SYSTEM_PYTHON, ROOT / "requirements.txt",
                            extra=["latex2mathml"], log=quiet)
    return work, site


ENVIRONMENTS = ("shared machine", "environments")
background_runs.fixture_run("shared_machine", ENVIRONMENTS, build_environments)


@pytest.fixture(scope="session")
def shared_machine():
    require("setpriv", "running tests as other Unix accounts")
    if os.geteuid() != 0:
        message = "creating Unix accounts needs root (CI runs the tests as root)"
        pytest.fail(message) if IN_CI else pytest.skip(message)
    work, site = background_runs.RUNS.result(ENVIRONMENTS, build_environments)
    tag = secrets.token_hex(3)
    names = {"instructor": f"nn{tag}i", "students": [f"nn{tag}a", f"nn{tag}b"]}
    created = []
    try:
        for name in [names["instructor"], *names["students"]]:
            created.append(name)
            _useradd(name, work / "home" / name)
        course, exchange, prefix = work / "course", work / "exchange", work / "students"
        for name in COURSE_FILES:
            source, target = ROOT / name, course / name
            if source.is_dir():
                shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"))
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)
        subprocess.run(["chown", "-R", f"{names['instructor']}:", str(course)], check=True)
        setup = subprocess.run([sys.executable, "-m", "grading", "students-setup", "--exchange", str(exchange),
                                "--prefix", str(prefix), "--python", SYSTEM_PYTHON], cwd=course, capture_output=True,
                               text=True, timeout=1200)
        assert setup.returncode == 0, setup.stdout + setup.stderr
        (site / "course.pth").write_text(f"{course}\n")
        instructor = Account(names["instructor"], work / "home" / names["instructor"], work / "instructor-env" / "bin")
        students = [Account(name, work / "home" / name, prefix / "bin") for name in names["students"]]
        yield SharedMachine(work, course, exchange, prefix, instructor, students, setup.stdout + setup.stderr)
    finally:
        for name in created:
            _userdel(name)
        shutil.rmtree(work, ignore_errors=True)
