"""The gradebook writer: a first submission written directly has exactly the rows nbgrader's own API writes."""
from __future__ import annotations

import sqlite3

import pytest
from nbgrader.api import Gradebook

from grading.course import Course
from grading.gradebook import GradebookWriter
from grading.records import Result
from tests.course.fixtures.demo import POINTS, SOLUTIONS

# nbgrader's own add_submission (used here to set up the regrade path) makes SQLAlchemy warn; it is harmless.
pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")

GRADES = {"test_sigmoid": 1.0, "test_sigmoid_prime": 0.5, "test_mse": 0.0, "test_n_params": 1.0,
          "test_numgrad": 2.0, "test_minibatches": 1.0}   # test_sgd has no verdict: it is left to the graders


def result(student, flags):
    return Result(student=student, assignment="demo", key="k", flags=flags,
                  notebooks={"demo": {"verdicts": {name: {"score": score} for name, score in GRADES.items()},
                                      "unanswered": ["mse", "sgd"]}})


def rows(db_path, student):
    """Everything the gradebook holds about one student's submission, without the random ids."""
    with sqlite3.connect(db_path) as db:
        def query(sql):
            return sorted(tuple(row) for row in db.execute(sql, (student,)))
        where = ("JOIN submitted_notebook sn ON x.notebook_id = sn.id "
                 "JOIN submitted_assignment sa ON sn.assignment_id = sa.id "
                 "JOIN base_cell c ON x.cell_id = c.id WHERE sa.student_id = ?")
        return {
            "submission": query("SELECT a.name, sa.timestamp, sa.extension FROM submitted_assignment sa "
                                "JOIN assignment a ON sa.assignment_id = a.id WHERE sa.student_id = ?"),
            "notebooks": query("SELECT n.name, sn.flagged, sn.late_submission_penalty FROM submitted_notebook sn "
                               "JOIN notebook n ON sn.notebook_id = n.id "
                               "JOIN submitted_assignment sa ON sn.assignment_id = sa.id WHERE sa.student_id = ?"),
            "grades": query("SELECT c.name, c.type, x.auto_score, x.manual_score, x.extra_credit, "
                            f"x.needs_manual_grade FROM grade x {where}"),
            "comments": query(f"SELECT c.name, c.type, x.auto_comment, x.manual_comment FROM comment x {where}"),
        }


@pytest.mark.parametrize("timestamp, flags", [("2026-11-20 10:00:00.000000 UTC", ["a flag"]),
                                              ("not a time", []), (None, [])])
def test_a_first_submission_gets_the_rows_nbgraders_api_gives(demo_course, timestamp, flags):
    course = Course(demo_course.root)
    writer = GradebookWriter(course, "demo")
    try:
        writer.record(result("direct", flags), timestamp)          # new: written directly, in one transaction
        with Gradebook(course.db_url, course.course_id) as gb:   # already submitted: updated through the API
            gb.add_student("through_api")
            gb.add_submission("demo", "through_api")
        writer.record(result("through_api", flags), timestamp)
    finally:
        writer.close()
    direct, through_api = rows(demo_course.db, "direct"), rows(demo_course.db, "through_api")
    assert direct == through_api
    assert len(direct["grades"]) == len(POINTS) and len(direct["comments"]) == len(SOLUTIONS)
    assert ("test_sgd", "GradeCell", None, None, None, 1) in direct["grades"]     # no verdict: needs a grader
    assert ("test_sigmoid_prime", "GradeCell", 0.5, None, None, 0) in direct["grades"]
    assert ("mse", "SolutionCell", "No response.", None) in direct["comments"]
    assert direct["notebooks"] == [("demo", int(bool(flags)), None)]
    assert (direct["submission"][0][1] is None) == (timestamp != "2026-11-20 10:00:00.000000 UTC")


def test_a_regrade_keeps_what_a_grader_entered(demo_course):
    course = Course(demo_course.root)
    writer = GradebookWriter(course, "demo")
    try:
        writer.record(result("kim", []))
        with Gradebook(course.db_url, course.course_id) as gb:
            grade = gb.find_grade("test_sgd", "demo", "demo", "kim")
            grade.manual_score = 0.5
            gb.find_comment("sgd", "demo", "demo", "kim").manual_comment = "see me"
            gb.db.commit()
        writer.record(result("kim", []))
    finally:
        writer.close()
    kim = rows(demo_course.db, "kim")
    assert ("test_sgd", "GradeCell", None, 0.5, None, 1) in kim["grades"]
    assert ("sgd", "SolutionCell", "No response.", "see me") in kim["comments"]
    assert len(kim["grades"]) == len(POINTS)
