"""``python -m grading release``: regenerate exercises/ from solutions/ and prove nothing secret leaked.

Runs ``nbgrader generate_assignment --force`` for every assignment, then checks each released notebook: no
solution or hidden-test delimiter, no line of a solution region or hidden-test block (unless that same line is
also public elsewhere in the source), and no outputs.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import nbformat

from .course import Course

MIN_SECRET_LENGTH = 10


def _split(source, delimiters):
    """(lines inside begin/end delimiter pairs, lines outside them), stripped; delimiter lines in neither."""
    secret, public, end = [], [], None
    for line in source.split("\n"):
        if end is None:
            begin = next((pair for pair in delimiters if pair[0] in line), None)
            if begin is not None:
                end = begin[1]
                continue
            public.append(line.strip())
        elif end in line:
            end = None
        else:
            secret.append(line.strip())
    return secret, public


def secret_lines(source_nb, config):
    """The lines of solution regions and hidden tests that appear nowhere public, and the delimiters."""
    delimiters = [
        (config.ClearSolutions.get("begin_solution_delimeter", "BEGIN SOLUTION"),
         config.ClearSolutions.get("end_solution_delimeter", "END SOLUTION")),
        (config.ClearHiddenTests.get("begin_test_delimeter", "BEGIN HIDDEN TESTS"),
         config.ClearHiddenTests.get("end_test_delimeter", "END HIDDEN TESTS")),
    ]
    secret, public = set(), set()
    for cell in source_nb.cells:
        inside, outside = _split(cell.source, delimiters)
        secret.update(inside)
        public.update(outside)
    markers = [d for pair in delimiters for d in pair]
    return {line for line in secret - public if len(line) >= MIN_SECRET_LENGTH and not line.startswith("#")}, markers


def verify_release(course, assignments):
    """A list of problems (empty when every release is clean)."""
    problems = []
    for assignment in assignments:
        for source_path in sorted(course.source_dir(assignment).glob("*.ipynb")):
            release_path = course.folder("release") / assignment / source_path.name
            if not release_path.exists():
                problems.append(f"{release_path}: missing (run nbgrader generate_assignment {assignment})")
                continue
            secrets, markers = secret_lines(nbformat.read(str(source_path), as_version=4), course.config)
            release = nbformat.read(str(release_path), as_version=4)
            for index, cell in enumerate(release.cells):
                where = f"{release_path} cell {index}"
                for marker in markers:
                    if marker in cell.source:
                        problems.append(f"{where}: contains the delimiter {marker!r}")
                leaked = sorted({line.strip() for line in cell.source.split("\n")} & secrets)
                for line in leaked[:3]:
                    problems.append(f"{where}: contains a solution or hidden-test line: {line!r}")
                if cell.get("outputs"):
                    dumped = json.dumps(cell.outputs)
                    problems.append(f"{where}: has outputs ({len(dumped)} characters)")
    return problems


def release(root=".", assignments=None, out=sys.stdout):
    course = Course(root)
    assignments = assignments or course.assignments()
    if not assignments:
        print(f"no assignments in {course.folder('source')}", file=out)
        return 1
    env = dict(os.environ)
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    for assignment in assignments:
        print(f"nbgrader generate_assignment {assignment} --force", file=out)
        result = subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", assignment, "--force"],
                                cwd=course.root, env=env, capture_output=True, text=True)
        if result.returncode != 0:
            print(result.stdout + result.stderr, file=out)
            return result.returncode
    problems = verify_release(course, assignments)
    for problem in problems:
        print(f"LEAK: {problem}", file=out)
    if problems:
        return 1
    print(f"released {', '.join(assignments)} into {course.folder('release')}: no solution or hidden test leaked",
          file=out)
    return 0
