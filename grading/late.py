"""The late-submission policy of nbgrader_config.py, applied to what ``python -m grading autograde`` stored.

nbgrader's own autograder runs ``AssignLatePenalties`` on every notebook it grades; this module does the same for
the sandboxed grader's results: for each submitted notebook, ``late_submission_penalty`` is what the configured
``LateSubmissionPlugin`` (``c.AssignLatePenalties.plugin_class``, ``c.LateSubmissionPlugin.penalty_method``) says
for its current score and the submission's seconds past the due date, kept between 0 and the score.  The penalty
is stored in the gradebook, so ``nbgrader export``, the report and ``python -m grading export`` subtract the same
number.  It is recomputed after every grading run and before every export (a grader's manual score changes the
score it applies to).
"""
from __future__ import annotations

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.preprocessors import AssignLatePenalties

from .gradebook import venv_tools_on_path


def late_policy(config):
    """The configured plugin instance (``late_submission_penalty(student_id, score, total_seconds_late)``)."""
    preprocessor = AssignLatePenalties(config=config)
    preprocessor.init_plugin()
    return preprocessor.plugin_inst


def apply_late_penalties(course, assignment):
    """Store the penalty of every submission of ``assignment``; returns {student: total penalty} of late ones."""
    venv_tools_on_path()
    policy = late_policy(course.config)
    penalties = {}
    with Gradebook(course.db_url, course.course_id) as gb:
        try:
            submissions = gb.assignment_submissions(assignment)
        except MissingEntry:
            return penalties
        for submission in submissions:
            seconds = submission.total_seconds_late
            for notebook in submission.notebooks:
                penalty = None
                if seconds > 0:
                    penalty = policy.late_submission_penalty(submission.student.id, notebook.score, seconds)
                    if penalty is not None:
                        penalty = min(max(float(penalty), 0.0), float(notebook.score))
                        penalties[submission.student.id] = penalties.get(submission.student.id, 0.0) + penalty
                notebook.late_submission_penalty = penalty
        gb.db.commit()
    return penalties
