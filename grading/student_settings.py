"""Settings of the students' environment (kept apart from the instructor's course folder).

Validate: ``validate_lines()`` are the lines the students' ``nbgrader_config.py`` needs so that the Validate button
and ``nbgrader validate`` run a notebook as grading does (``grading/graded_kernel.py``), and
``install_validate_kernel(prefix)`` puts that kernel into the students' environment (``prefix`` is its
``sys.prefix``; ``pip install`` of this package does it too, an editable install does not).
"""
from __future__ import annotations

import sys

from grading import graded_kernel


def validate_lines():
    return ["# Validate runs a notebook as grading does: without nnlib, and shows the errors of answer cells too",
            *graded_kernel.SETTINGS]


def install_validate_kernel(prefix=sys.prefix):
    return graded_kernel.install(prefix)
