"""What an operator sees: commands from a subfolder, an empty run, Ctrl-C, a failing install, an old Python, and
student data kept out of git."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from tests.conftest import ROOT
from tests.course.conftest import venv_env
from tests.course.fixtures.demo import SOLUTIONS


def test_commands_from_a_subfolder_find_the_course(demo_course, tmp_path):
    sub = demo_course.root / "exercises" / "demo"
    result = subprocess.run([sys.executable, "-m", "grading", "export", "demo", "--format", "csv"], cwd=sub,
                            env=venv_env(), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (demo_course.root / "exports" / "demo-csv.csv").is_file()

    elsewhere = subprocess.run([sys.executable, "-m", "grading", "autograde", "demo"], cwd=tmp_path, env=venv_env(),
                               capture_output=True, text=True)
    assert elsewhere.returncode == 2
    assert elsewhere.stderr.strip().splitlines() == [
        f"error: {tmp_path} is not in a course folder (no nbgrader_config.py here or above): run this from the course "
        f"folder, where nbgrader_config.py is, or pass --course FOLDER"]


def test_a_run_without_submissions_keeps_the_report_and_says_so(demo_course):
    report = demo_course.root / "autograded" / ".grading" / "demo" / "report.md"
    report.parent.mkdir(parents=True)
    report.write_text("# the last real report\n")
    result = demo_course.cli("autograde", "demo", "--unsandboxed", "--no-progress")
    assert result.returncode == 1
    submitted = demo_course.root / "submitted"
    assert result.stderr.strip().splitlines()[-1] == (f"nothing graded: no submissions of demo in {submitted} "
                                                      f"(the report was left as it was).")
    assert report.read_text() == "# the last real report\n"


@pytest.mark.slow
def test_ctrl_c_says_what_finished_and_a_rerun_resumes(demo_course):
    for student in ("a1", "a2"):
        demo_course.submit(student, SOLUTIONS)
    demo_course.submit("z-slow", dict(SOLUTIONS, mse="import time\ntime.sleep(60)"))
    command = [sys.executable, "-m", "grading", "autograde", "demo", "--unsandboxed", "--workers", "1",
               "--no-progress", "--cell-timeout", "120", "--timeout", "300"]
    process = subprocess.Popen(command, cwd=demo_course.root, env=venv_env(), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))  # as in a terminal
    journal = demo_course.root / "autograded" / ".grading" / "demo" / "journal.jsonl"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and (not journal.exists() or len(journal.read_text().splitlines()) < 2):
        time.sleep(0.2)
    time.sleep(1.0)                                         # the slow one is running now
    os.killpg(process.pid, signal.SIGINT)                   # Ctrl-C reaches the terminal's whole process group
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, out + err
    assert "Traceback" not in out + err
    assert err.strip().splitlines()[-1] == ("interrupted: 2 submission(s) graded and saved in this run (0 failed, 0 "
                                            "already graded); run the same command again to resume (finished ones "
                                            "are skipped).")
    again = demo_course.cli("autograde", "demo", "--unsandboxed", "--workers", "1", "--no-progress", "--student", "a1",
                            "--student", "a2")
    assert again.returncode == 0 and "skipped 2" in again.stdout, again.stdout + again.stderr


def _fake_python(folder, body):
    path = folder / "python3"
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)
    return path


def _make_install(tmp_path, python, venv_python=None):
    """``make install`` of a copy of the Makefile in ``tmp_path``, with ``python`` as PYTHON."""
    for name in ("Makefile", "requirements.txt", "pyproject.toml", "nbgrader_config.py"):
        shutil.copy(ROOT / name, tmp_path / name)
    if venv_python:
        (tmp_path / ".venv" / "bin").mkdir(parents=True)
        shutil.copy(venv_python, tmp_path / ".venv" / "bin" / "python")
    return subprocess.run(["make", "install", f"PYTHON={python}"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=120)


def test_a_failing_pip_install_stops_make(tmp_path):
    fakes = tmp_path / "fakes"
    fakes.mkdir()
    pip_fails = _fake_python(fakes, 'case "$*" in *"-r requirements.txt"*) echo "ERROR: No matching distribution '
                                    'found for numpy==2.4.6" >&2; exit 1;; esac; exit 0')
    course = tmp_path / "course"
    course.mkdir()
    result = _make_install(course, sys.executable, venv_python=pip_fails)
    assert result.returncode != 0
    assert "No matching distribution" in result.stdout + result.stderr
    assert not (course / ".venv" / ".installed").exists()


def test_an_old_python_is_refused_up_front(tmp_path):
    old = _fake_python(tmp_path, 'case "$1" in --version) echo "Python 3.10.12";; *) exit 1;; esac')
    course = tmp_path / "course"
    course.mkdir()
    result = _make_install(course, old)
    assert result.returncode != 0
    assert "Python 3.11 or newer is needed" in result.stdout and "Python 3.10.12" in result.stdout
    assert not (course / ".venv").exists()


def test_the_documented_python_is_the_one_the_pins_need():
    assert 'requires-python = ">=3.11"' in (ROOT / "pyproject.toml").read_text()
    readme = (ROOT / "README.md").read_text()
    assert "3.11 or newer" in readme and "3.10 or newer" not in readme


@pytest.mark.parametrize("path", ["grades.csv", "gradebook.db", ".nbgrader.log", "submitted/alice/ps01/ps01.ipynb",
                                  "autograded/alice/ps01/ps01.ipynb", "feedback/alice/ps01/ps01.html",
                                  "downloaded/ps01/archive/submissions.zip", "exchange/neural-networks/inbound/x",
                                  "exports/ps01-canvas.csv", "release/ps01/ps01.ipynb"])
def test_runtime_output_with_student_data_is_gitignored(path):
    result = subprocess.run(["git", "check-ignore", "-q", "--no-index", path], cwd=ROOT)
    assert result.returncode == 0, f"{path} is not ignored by .gitignore"
