"""What a real ``nbgrader submit`` carries: the notebook, not JupyterLab's ``.ipynb_checkpoints/`` (issue #26).

nbgrader leaves out what ``CourseDirectory.ignore`` names; its default names ``.ipynb_checkpoints``, and this test
guards that the course's settings keep it so, through release, fetch, submit and collect."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.course.conftest import venv_env

pytestmark = pytest.mark.slow


def _nbgrader(folder, exchange, *args):
    env = dict(venv_env(), COURSE_EXCHANGE=str(exchange), HOME=str(folder))
    result = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=folder, env=env, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-1000:] + result.stderr[-2000:]


def test_checkpoints_do_not_travel_into_a_submission(demo_course, tmp_path):
    exchange, student = tmp_path / "exchange", tmp_path / "student"
    exchange.mkdir(mode=0o777)
    student.mkdir()
    (student / "nbgrader_config.py").write_text((demo_course.root / "nbgrader_config.py").read_text())
    _nbgrader(demo_course.root, exchange, "release_assignment", "demo")
    _nbgrader(student, exchange, "fetch_assignment", "demo")
    checkpoints = student / "demo" / ".ipynb_checkpoints"
    checkpoints.mkdir()
    (checkpoints / "demo-checkpoint.ipynb").write_text((student / "demo" / "demo.ipynb").read_text())
    _nbgrader(student, exchange, "submit", "demo")
    _nbgrader(demo_course.root, exchange, "collect", "demo")
    submitted = [path for path in (demo_course.root / "submitted").rglob("*")]
    assert any(path.name == "demo.ipynb" for path in submitted), submitted
    assert not [path for path in submitted if ".ipynb_checkpoints" in path.parts], submitted
    inbound = [name for _, folders, files in os.walk(exchange) for name in folders + files]
    assert ".ipynb_checkpoints" not in inbound and "demo-checkpoint.ipynb" not in inbound
