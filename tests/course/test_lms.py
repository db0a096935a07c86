"""The LMS download names that ``nbgrader zip_collect`` understands with the shipped config (grading/lms.py)."""
from __future__ import annotations

import json
import zipfile

import pytest
from traitlets.config import Config

from grading.lms import LMSFileNames, parse

NAMES = [
    ("x/extracted/doejane_12345_9000001_ps01_neuron.ipynb", "12345", "ps01_neuron.ipynb", "canvas", False),
    ("x/extracted/doejane_LATE_12345_9000001_ps01_neuron-1.ipynb", "12345", "ps01_neuron-1.ipynb", "canvas", True),
    ("x/extracted/doejane_late_12345_9000001_ps01_neuron.ipynb", "12345", "ps01_neuron.ipynb", "canvas", True),
    ("x/extracted/Jane Doe_4242_assignsubmission_file_ps01_neuron.ipynb", "jane-doe-4242", "ps01_neuron.ipynb",
     "moodle", False),
    ("x/extracted/all/Jane Doe_4242_assignsubmission_file_/ps01_neuron (1).ipynb", "jane-doe-4242",
     "ps01_neuron (1).ipynb", "moodle", False),
    ("x/extracted/all/José Núñez-Ortiz_77_assignsubmission_file/ps01_neuron.ipynb", "josé-núñez-ortiz-77",
     "ps01_neuron.ipynb", "moodle", False),
    ("x/extracted/JANE-DOE_4243_assignsubmission_file_ps01_neuron.ipynb", "jane-doe-4243", "ps01_neuron.ipynb",
     "moodle", False),
    ("x/extracted/_4244_assignsubmission_file_ps01_neuron.ipynb", "4244", "ps01_neuron.ipynb", "moodle", False),
    ("x/extracted/Jane_Doe_4245_assignsubmission_file_ps01_neuron.ipynb", "jane-doe-4245", "ps01_neuron.ipynb",
     "moodle", False),
]


@pytest.mark.parametrize("path, student, file, lms, late", NAMES)
def test_canvas_and_moodle_names(path, student, file, lms, late):
    assert parse(path) == {"student_id": student, "file_id": file, "lms": lms, "late": late}


@pytest.mark.parametrize("path", ["x/extracted/ps01_neuron.ipynb", "x/extracted/jane_ps01_neuron.ipynb",
                                  "x/extracted/Jane Doe_4242_onlinetext_ps01.ipynb"])
def test_other_names_are_not_claimed(path):
    assert parse(path) is None


def test_an_instructors_own_regexp_wins():
    config = Config()
    config.FileNameCollectorPlugin.named_regexp = r".*/(?P<student_id>\w+)--(?P<file_id>\w+\.ipynb)"
    plugin = LMSFileNames(config=config)
    assert plugin.collect("/c/downloaded/ps01/extracted/hacker--ps01_neuron.ipynb") == {
        "student_id": "hacker", "file_id": "ps01_neuron.ipynb"}
    assert LMSFileNames().collect("/c/downloaded/ps01/extracted/doejane_12345_1_ps01.ipynb") == {
        "student_id": "12345", "file_id": "ps01.ipynb"}


def test_moodle_names_that_read_alike_never_block_or_drop_anybody(demo_course, tmp_path):
    """Issue #23 class 7: "Jane Doe" and "JANE-DOE" (two participants) used to share the id jane-doe, so nbgrader's
    zip_collect stopped ("Duplicate submission file") and collected nobody, an unrelated student included; with a
    browser's " (1)" on one file, both landed in one folder.  The same download unpacked twice (one participant's
    file in the flat and the folder form) must not stop the collection either."""
    from tests.course.test_term import run
    release = json.dumps(demo_course.release)
    archive = demo_course.root / "downloaded" / "demo" / "archive"
    archive.mkdir(parents=True)
    with zipfile.ZipFile(archive / "moodle.zip", "w") as zipped:
        for name in ["Jane Doe_101_assignsubmission_file_demo.ipynb", "JANE-DOE_102_assignsubmission_file_demo.ipynb",
                     "Jane  Doe_103_assignsubmission_file_/demo (1).ipynb",
                     "Ann Lee_104_assignsubmission_file_demo.ipynb", "Ann Lee_104_assignsubmission_file_/demo.ipynb"]:
            zipped.writestr(name, release)
    home = tmp_path / "home"
    home.mkdir()
    collected = run(demo_course.root, "zip_collect", "demo", home=home)
    assert "5 files collected" in collected.stdout + collected.stderr, collected.stderr
    found = {p.relative_to(demo_course.root / "submitted").as_posix()
             for p in (demo_course.root / "submitted").glob("*/demo/*.ipynb")}
    assert found == {"jane-doe-101/demo/demo.ipynb", "jane-doe-102/demo/demo.ipynb",
                     "jane-doe-103/demo/demo (1).ipynb", "ann-lee-104/demo/demo.ipynb",
                     "ann-lee-104/demo/demo (2).ipynb"}
