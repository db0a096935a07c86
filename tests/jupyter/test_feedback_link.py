"""One click from JupyterLab's Assignment List to the feedback page (issue #26).

A term of the demo assignment with nbgrader's own commands (release → the student fetches and submits → collect →
sandboxed autograde → generate and release feedback → the student fetches it), then the student's JupyterLab (their
HOME as its root, the course's exchange) lists the submission with "(view feedback)". nbgrader's link only shows the
feedback's timestamped folder in the file browser; with labextension/nn-course-feedback, one click shows the feedback
page itself, with its score, in a Lab tab.
"""
from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.conftest import require
from tests.course.conftest import demo_course, demo_template  # noqa: F401  (fixtures of the course tests)
from tests.course.fixtures.demo import MAX_SCORE, SOLUTIONS, submission
from tests.course.test_term import grading, run
from tests.jupyter import notebook_page as nbp
from tests.jupyter.conftest import new_page
from tests.jupyter.lab import JupyterServer
from tests.jupyter.test_pins import labextension_list


def test_the_extension_is_enabled_and_compatible():
    lines = [line for line in labextension_list().splitlines() if line.split()[:1] == ["nn-course-feedback"]]
    assert len(lines) == 1 and re.search(r" enabled +OK\b", lines[0]), lines


def a_term_up_to_fetched_feedback(course, student, instructor):
    """The demo assignment released, answered in full, submitted, graded and its feedback fetched by the student."""
    exchange = course / "exchange"
    run(course, "release_assignment", "demo", home=instructor)
    run(student, "fetch_assignment", "demo", home=student, exchange=exchange)
    fetched = student / "demo" / "demo.ipynb"
    fetched.write_text(json.dumps(submission(json.loads(fetched.read_text()), SOLUTIONS)))
    run(student, "submit", "demo", home=student, exchange=exchange)
    run(course, "collect", "demo", home=instructor)
    assert "graded 1" in grading(course, "autograde", "demo", "--workers", "1", "--no-progress")
    run(course, "generate_feedback", "demo", home=instructor)
    run(course, "release_feedback", "demo", home=instructor)
    run(student, "fetch_feedback", "demo", home=student, exchange=exchange)
    return exchange


@pytest.mark.browser
@pytest.mark.slow
def test_view_feedback_opens_the_feedback_page(demo_course, jupyter, tmp_path, monkeypatch):
    require("bwrap", "sandboxed grading")
    student, instructor, lab_home = tmp_path / "student", tmp_path / "instructor", tmp_path / "lab"
    for folder in (student, instructor, lab_home):
        folder.mkdir()
    # nbgrader keeps the student's submissions in JUPYTER_DATA_DIR/nbgrader_cache: the same for the command line
    # and the student's JupyterLab (which has its own JUPYTER_DATA_DIR)
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(lab_home / "data"))
    exchange = a_term_up_to_fetched_feedback(demo_course.root, student, instructor)

    monkeypatch.setenv("HOME", str(student))
    monkeypatch.setenv("COURSE_EXCHANGE", str(exchange))
    server = JupyterServer(student, lab_home)
    context, page = new_page(server, jupyter[1])
    try:
        nbp.open_lab(page, server)
        page.evaluate("jupyterapp.commands.execute('nbgrader:open-assignment-list')")
        page.get_by_text("(view feedback)").click(timeout=60_000)
        score = f"Score: {float(MAX_SCORE)} / {float(MAX_SCORE)}"
        try:
            page.frame_locator(".jp-HTMLViewer iframe").get_by_text(score).first.wait_for(timeout=30_000)
        except PlaywrightTimeout:
            pytest.fail(f"one click on (view feedback) did not show the feedback page ({score!r}) in a Lab tab")
    finally:
        context.close()
        server.stop()
