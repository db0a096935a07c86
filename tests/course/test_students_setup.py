"""Students on a shared course machine (issue #26): with real Unix accounts, nothing of the instructor's is within a
student's reach, and the exchange still works for them.

The machine is the one ``tests/shared_machine.py`` sets up with the README's command.  The module's round trip —
release, both students fetch and submit from their homes, the instructor collects, grades, releases feedback, both
students fetch it — runs once; each test then checks what one account can and cannot do.
"""
from __future__ import annotations

import os
import stat

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.sandbox]

ASSIGNMENT = "ps02_forward"


@pytest.fixture(scope="module")
def course(shared_machine):
    m = shared_machine
    m.nbgrader("release_assignment", ASSIGNMENT)
    for student in m.students:
        student.run("nbgrader", "fetch_assignment", ASSIGNMENT)
        student.run("nbgrader", "submit", ASSIGNMENT)
    inbound = sorted((m.exchange / "neural-networks" / "inbound").iterdir())
    m.inbound = {student.name: next(p for p in inbound if p.name.startswith(student.name + "+"))
                 for student in m.students}
    m.nbgrader("collect", ASSIGNMENT)
    m.grading("autograde", ASSIGNMENT, "--no-progress", "--workers", "1")
    m.nbgrader("generate_feedback", ASSIGNMENT)
    m.nbgrader("release_feedback", ASSIGNMENT)
    for student in m.students:
        student.run("nbgrader", "fetch_feedback", ASSIGNMENT)
    return m


def test_students_fetch_submit_and_fetch_feedback_from_their_homes(course):
    for student in course.students:
        assert (student.home / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").is_file()
        feedback = list((student.home / ASSIGNMENT / "feedback").glob(f"*/{ASSIGNMENT}.html"))
        assert feedback, f"{student.name} fetched no feedback"
        assert "Score" in feedback[0].read_text()


def test_a_student_reads_nothing_in_the_course_folder(course):
    student = course.students[0]
    assert not student.lists(course.course)
    assert not student.lists(course.course / "solutions" / ASSIGNMENT)
    assert not student.reads(course.course / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    assert not student.reads(course.course / "gradebook.db")
    assert not student.reads(course.course / "nbgrader_config.py")


def test_the_instructors_files_are_the_instructors_alone(course):
    owner = course.course.stat().st_uid
    for name in ["solutions", "submitted", "autograded", "feedback", "downloaded", "exports"]:
        info = (course.course / name).stat()
        assert (info.st_uid, stat.S_IMODE(info.st_mode) & 0o077) == (owner, 0), name
    gradebook = (course.course / "gradebook.db").stat()
    assert (gradebook.st_uid, stat.S_IMODE(gradebook.st_mode)) == (owner, 0o600)
    assert stat.S_IMODE(course.course.stat().st_mode) & 0o077 == 0


def test_a_student_cannot_read_or_write_another_students_submission_or_feedback(course):
    a, b = course.students
    inbound = course.inbound[a.name]
    assert not b.lists(inbound.parent)                               # inbound is write-only: names stay hidden
    assert not b.can("-w", inbound / f"{ASSIGNMENT}.ipynb")
    submitted = course.course / "submitted" / a.name / ASSIGNMENT
    assert not b.reads(submitted / f"{ASSIGNMENT}.ipynb")
    assert not b.can("-w", submitted)
    assert not b.reads(course.course / "feedback" / a.name / ASSIGNMENT / f"{ASSIGNMENT}.html")
    released = course.exchange / "neural-networks" / "feedback"
    assert not b.lists(released)                                     # feedback is found by a hash only its owner knows


def test_collect_leaves_submissions_writable_by_the_instructor_alone(course):
    for student in course.students:
        folder = course.course / "submitted" / student.name / ASSIGNMENT
        for path in [folder, *folder.rglob("*")]:
            info = path.lstat()
            assert stat.S_IMODE(info.st_mode) & 0o022 == 0, f"{path} is {stat.filemode(info.st_mode)}"
            assert not student.can("-w", path)


def test_autograde_refuses_a_submission_another_account_could_change(course):
    folder = course.course / "submitted" / course.students[0].name / ASSIGNMENT
    mode = folder.stat().st_mode
    os.chmod(folder, 0o777)         # what nbgrader's own collect leaves (the exchange's mode)
    try:
        refused = course.grading("autograde", ASSIGNMENT, "--no-progress", "--force", check=False)
    finally:
        os.chmod(folder, stat.S_IMODE(mode))
    assert refused.returncode == 2
    assert "refusing to grade" in refused.stderr and f"{folder} (drwxrwxrwx)" in refused.stderr


def test_the_students_settings_hold_no_gradebook_and_no_instructor_tools(course):
    student = course.students[0]
    config = (course.prefix / "etc" / "jupyter" / "nbgrader_config.py").read_text()
    assert "db_url" not in config and str(course.course) not in config
    shown = student.run("python", "-c", "from nbgrader.apps.baseapp import NbGrader; "
                        "app = NbGrader(); app.initialize([]); print(app.config)")
    assert "db_url" not in shown.stdout and "neural-networks" in shown.stdout
    extensions = student.run("jupyter", "server", "extension", "list")
    listing = extensions.stdout + extensions.stderr
    for name in ("formgrader", "course_list"):
        line = next(text for text in listing.splitlines() if f"nbgrader.server_extensions.{name}" in text)
        assert "disabled" in line, line
    lab = student.run("jupyter", "labextension", "list")
    listing = lab.stdout + lab.stderr
    for plugin in ("formgrader", "create-assignment", "course-list"):
        assert f"@jupyter/nbgrader:{plugin}" in listing
    # the course's own extension that opens a feedback page on one click of "(view feedback)"
    feedback_link = next(text for text in listing.splitlines() if "nn-course-feedback" in text)
    assert "enabled" in feedback_link and "OK" in feedback_link, feedback_link
