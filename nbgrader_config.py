"""nbgrader settings of the course (read by `nbgrader ...` and by `python -m grading ...`, run from this folder).

Instructor versions of the problem sets live in solutions/<assignment>/, student versions are generated into
exercises/<assignment>/ by `make release`.  Submissions go to submitted/<student>/<assignment>/, and
`make grade ASSIGNMENT=...` (python -m grading autograde) writes autograded/ and the gradebook next to this file.
"""
import os

c = get_config()  # noqa: F821  (provided by traitlets when it loads this file)

HERE = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.course_id = "neural-networks"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(HERE, "gradebook.db")

# A cell of a student's notebook may run this long when nbgrader itself executes it (validate, autograde).
# `python -m grading autograde` has its own, stricter limits (see grading/limits.py and its --help).
c.Execute.timeout = 60

c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
