"""A term as instructors and students run it, with nbgrader's own commands and the shipped nbgrader_config.py:

* the exchange: release → two students (each with their own HOME) list, fetch and submit → collect → sandboxed
  autograde → generate_feedback → release_feedback → fetch_feedback, then grades exported for Canvas;
* an LMS download: Canvas- and Moodle-named notebooks in a zip → ``nbgrader zip_collect`` → autograde → export;
* a late-submission policy and a grader's manual score, the same in ``nbgrader export``, the report and the export.
"""
from __future__ import annotations

import csv
import json
import os
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import require
from tests.course.conftest import venv_env
from tests.course.fixtures.demo import HIDDEN_MARKER, MAX_SCORE, POINTS, SOLUTIONS, submission

pytestmark = pytest.mark.slow

AS_STUDENT = Path(__file__).parent / "fixtures" / "as_student.py"
SYSTEM_EXCHANGE = "/usr/local/share/nbgrader/exchange"      # nbgrader's default, which nothing may touch
WRONG_MSE = dict(SOLUTIONS, mse="def mse(Y, T):\n    return 1.0")
NO_SGD = {k: v for k, v in WRONG_MSE.items() if k != "sgd"}
EXPECTED = {"full": MAX_SCORE, "no-mse-no-sgd": MAX_SCORE - POINTS["test_mse"] - POINTS["test_sgd"],
            "no-mse": MAX_SCORE - POINTS["test_mse"]}

# Canvas's gradebook import (Canvas guides, "How do I import grades in the Gradebook?"): the header has these
# five columns first, then one column per assignment; an optional second row starts with "Points Possible";
# each student row identifies the student by ID, SIS User ID or SIS Login ID; scores are numbers (or empty).
CANVAS_HEADER = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]


def run(cwd, *args, home, student=None, exchange=None, check=True):
    """nbgrader (or python -m grading) with HOME=home; a student's command runs as that student."""
    env = venv_env()
    env["HOME"] = str(home)
    env.pop("COURSE_EXCHANGE", None)
    if exchange:
        env["COURSE_EXCHANGE"] = str(exchange)
    if args[0] == "grading":
        command = [sys.executable, "-m", *args]
    elif student:
        command = [sys.executable, str(AS_STUDENT), student, *args]
    else:
        command = [sys.executable, "-m", "nbgrader", *args]
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    if check:
        assert result.returncode == 0, f"{' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result


def grading(course, *args):
    """``python -m grading ARGS`` in this process (the CLI's code path without a second interpreter start)."""
    from contextlib import redirect_stderr, redirect_stdout
    from io import StringIO

    from grading.__main__ import main
    out, err = StringIO(), StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        status = main([*args, "--course", str(course)])
    assert status == 0, out.getvalue() + err.getvalue()
    return out.getvalue()


def read_canvas(path):
    """The rows of a Canvas gradebook import file, checked against the documented layout."""
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header, points, students = rows[0], rows[1], rows[2:]
    assert header[:5] == CANVAS_HEADER and len(header) > 5, header
    assert points[0] == "Points Possible" and all(float(p) >= 0 for p in points[5:]), points
    scores = {}
    for row in students:
        assert len(row) == len(header), row
        assert row[1] or row[2] or row[3], f"a row Canvas cannot match to a student: {row}"
        scores[row[1] or row[3]] = [float(cell) for cell in row[5:]]
    return header, scores


def test_a_term_through_the_exchange_with_two_students(demo_course, tmp_path):
    require("bwrap", "sandboxed grading")
    assert (Path(sys.prefix) / "etc" / "jupyter" / "nbgrader_config.py").is_file(), \
        "make install writes the environment's nbgrader_config.py (the students' link to the course settings)"
    course, exchange = demo_course.root, demo_course.root / "exchange"
    instructor = tmp_path / "instructor-home"
    homes = {"alice": tmp_path / "alice", "bob": tmp_path / "bob"}
    for home in [instructor, *homes.values()]:
        home.mkdir()
    system_exchange_before = os.path.exists(SYSTEM_EXCHANGE)

    run(course, "release_assignment", "demo", home=instructor)
    assert (exchange / "neural-networks" / "outbound" / "demo" / "demo.ipynb").is_file()

    lister = ("from nbgrader.server_extensions.assignment_list.handlers import AssignmentList\n"
              "import json, os\nlister = AssignmentList()\nlister.root_dir = os.getcwd()\n"
              "print(json.dumps(lister.list_released_assignments()))")
    answers = {"alice": SOLUTIONS, "bob": NO_SGD}
    env = dict(venv_env(), HOME=str(homes["alice"]), COURSE_EXCHANGE=str(exchange))
    listed = subprocess.run([sys.executable, "-c", lister], cwd=homes["alice"], env=env, capture_output=True, text=True)
    value = json.loads(listed.stdout.strip().splitlines()[-1])          # what JupyterLab's Assignment List shows
    assert value["success"] and [a["assignment_id"] for a in value["value"]] == ["demo"], listed.stderr
    for student, home in homes.items():
        run(home, "fetch_assignment", "demo", home=home, student=student, exchange=exchange)
        fetched = home / "demo" / "demo.ipynb"
        fetched.write_text(json.dumps(submission(json.loads(fetched.read_text()), answers[student])))
        run(home, "submit", "demo", home=home, student=student, exchange=exchange)

    run(course, "collect", "demo", home=instructor)
    assert sorted(p.name for p in (course / "submitted").iterdir()) == ["alice", "bob"]
    assert "graded 2" in grading(course, "autograde", "demo", "--workers", "2", "--no-progress")
    run(course, "generate_feedback", "demo", home=instructor)
    run(course, "release_feedback", "demo", home=instructor)
    for student, home in homes.items():
        run(home, "fetch_feedback", "demo", home=home, student=student, exchange=exchange)
        feedback = list((home / "demo" / "feedback").glob("*/demo.html"))
        assert len(feedback) == 1, list((home / "demo").rglob("*"))
        expected = EXPECTED["full" if student == "alice" else "no-mse-no-sgd"]
        text = feedback[0].read_text()
        assert f"demo (Score: {float(expected)} / {float(MAX_SCORE)})" in text
        assert HIDDEN_MARKER not in text

    exported = grading(course, "export", "demo", "--format", "canvas")
    header, scores = read_canvas(course / "exports" / "demo-canvas.csv")
    assert header[5] == "demo" and "exports/demo-canvas.csv" in exported
    assert scores == {"alice": [EXPECTED["full"]], "bob": [EXPECTED["no-mse-no-sgd"]]}

    assert os.path.exists(SYSTEM_EXCHANGE) == system_exchange_before       # nothing outside the course
    assert not any(instructor.iterdir()), list(instructor.rglob("*"))


def _zip(path, members):
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as archive:
        for name, nb in members.items():
            archive.writestr(name, json.dumps(nb))


def test_lms_downloads_are_collected_graded_and_exported(demo_course, tmp_path):
    require("bwrap", "sandboxed grading")
    course, release = demo_course.root, demo_course.release
    archive = course / "downloaded" / "demo" / "archive"
    _zip(archive / "submissions.zip", {                             # Canvas: name_[LATE_]userid_submissionid_file
        "doejane_12345_9000001_demo.ipynb": submission(release, SOLUTIONS),
        "roepat_LATE_67890_9000002_demo-1.ipynb": submission(release, WRONG_MSE)})
    _zip(archive / "moodle.zip", {                                  # Moodle: Full Name_id_assignsubmission_file_
        "Ann Lee_4242_assignsubmission_file_/demo (1).ipynb": submission(release, NO_SGD),
        "Bo Chen_4243_assignsubmission_file_Copy of demo.ipynb": submission(release, SOLUTIONS),
        "Bo Chen_4243_assignsubmission_file_notes.txt": {}})
    home = tmp_path / "home"
    home.mkdir()

    collected = run(course, "zip_collect", "demo", home=home)
    assert "4 files collected" in collected.stderr or "4 files collected" in collected.stdout, collected.stderr
    folders = {p.parent.parent.name: p.name for p in (course / "submitted").glob("*/demo/*.ipynb")}
    assert folders == {"12345": "demo.ipynb", "67890": "demo-1.ipynb", "ann-lee-4242": "demo (1).ipynb",
                       "bo-chen-4243": "Copy of demo.ipynb"}

    grading(course, "autograde", "demo", "--workers", "2", "--no-progress")
    report = demo_course.report()["submissions"]
    assert {s: e["status"] for s, e in report.items()} == dict.fromkeys(folders, "graded")
    for student in ("67890", "ann-lee-4242", "bo-chen-4243"):
        assert ["renamed-notebook", f"{folders[student]} was graded as demo.ipynb"] in report[student]["flags"]
    assert "67890 | graded (late in the LMS)" in (course / "autograded" / ".grading" / "demo" / "report.md").read_text()

    grading(course, "export", "demo", "--format", "canvas", "--questions")
    header, scores = read_canvas(course / "exports" / "demo-canvas.csv")
    expected = {"12345": EXPECTED["full"], "67890": EXPECTED["no-mse"], "ann-lee-4242": EXPECTED["no-mse-no-sgd"],
                "bo-chen-4243": EXPECTED["full"]}
    assert {student: row[0] for student, row in scores.items()} == expected
    assert header[6:] == [f"demo: {cell}" for cell in POINTS]
    assert scores["67890"][1:] == [0.0 if cell == "test_mse" else points for cell, points in POINTS.items()]

    grading(course, "export", "demo", "--format", "csv")
    with open(course / "exports" / "demo-csv.csv", newline="") as f:
        rows = {row["student_id"]: row for row in csv.DictReader(f)}
    assert {s: float(r["score"]) for s, r in rows.items()} == expected
    assert {s for s, r in rows.items() if r["late_in_lms"]} == {"67890"}


def test_late_policy_and_manual_scores_agree_in_nbgrader_export_report_and_lms_file(demo_course, tmp_path):
    require("bwrap", "sandboxed grading")
    course = demo_course.root
    config = course / "nbgrader_config.py"
    config.write_text(config.read_text().replace('penalty_method = "none"', 'penalty_method = "zero"'))
    home = tmp_path / "home"
    home.mkdir()
    run(course, "db", "assignment", "add", "demo", "--duedate=2026-03-01 12:00:00 UTC", home=home)
    for student, stamp in [("ontime", "2026-03-01 11:00:00.000000 UTC"), ("late", "2026-03-02 09:00:00.000000 UTC")]:
        path = demo_course.submit(student, WRONG_MSE)
        (path.parent / "timestamp.txt").write_text(stamp)
    grading(course, "autograde", "demo", "--workers", "2", "--no-progress")

    with sqlite3.connect(demo_course.db) as db:          # a grader gives 'ontime' the point for test_mse by hand
        db.execute("UPDATE grade SET manual_score = 1.0 WHERE id IN (SELECT grade.id FROM grade "
                   "JOIN base_cell ON grade.cell_id = base_cell.id JOIN submitted_notebook ON grade.notebook_id = "
                   "submitted_notebook.id JOIN submitted_assignment ON submitted_notebook.assignment_id = "
                   "submitted_assignment.id WHERE student_id = 'ontime' AND base_cell.name = 'test_mse')")
    grading(course, "autograde", "demo", "--no-progress")          # all skipped: the report is rewritten
    report = demo_course.report()["submissions"]
    grading(course, "export", "demo", "--format", "canvas")
    _, canvas = read_canvas(course / "exports" / "demo-canvas.csv")
    run(course, "export", home=home)
    with open(course / "grades.csv", newline="") as f:
        nbgrader_rows = {row["student_id"]: row for row in csv.DictReader(f)}

    expected = {"ontime": MAX_SCORE, "late": 0.0}
    assert {s: float(r["score"]) for s, r in nbgrader_rows.items()} == expected
    assert float(nbgrader_rows["late"]["late_submission_penalty"]) == MAX_SCORE - POINTS["test_mse"]
    assert {s: e["score"] for s, e in report.items()} == expected
    assert {s: row[0] for s, row in canvas.items()} == expected
    assert f"| late | graded | 0 / {MAX_SCORE:g} (late: {MAX_SCORE - 1:g} − {MAX_SCORE - 1:g})" in \
        (course / "autograded" / ".grading" / "demo" / "report.md").read_text()
