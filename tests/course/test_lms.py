"""The LMS download names that ``nbgrader zip_collect`` understands with the shipped config (grading/lms.py)."""
from __future__ import annotations

import pytest
from traitlets.config import Config

from grading.lms import LMSFileNames, parse

NAMES = [
    ("x/extracted/doejane_12345_9000001_ps01_neuron.ipynb", "12345", "ps01_neuron.ipynb", "canvas", False),
    ("x/extracted/doejane_LATE_12345_9000001_ps01_neuron-1.ipynb", "12345", "ps01_neuron-1.ipynb", "canvas", True),
    ("x/extracted/doejane_late_12345_9000001_ps01_neuron.ipynb", "12345", "ps01_neuron.ipynb", "canvas", True),
    ("x/extracted/Jane Doe_4242_assignsubmission_file_ps01_neuron.ipynb", "jane-doe", "ps01_neuron.ipynb", "moodle",
     False),
    ("x/extracted/all/Jane Doe_4242_assignsubmission_file_/ps01_neuron (1).ipynb", "jane-doe",
     "ps01_neuron (1).ipynb", "moodle", False),
    ("x/extracted/all/José Núñez-Ortiz_77_assignsubmission_file/ps01_neuron.ipynb", "josé-núñez-ortiz",
     "ps01_neuron.ipynb", "moodle", False),
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
