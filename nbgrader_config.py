"""nbgrader settings of the course (read by `nbgrader ...` and by `python -m grading ...`, run from this folder).

Instructor versions of the problem sets live in solutions/<assignment>/, student versions are generated into
exercises/<assignment>/ by `make release`.  Submissions go to submitted/<student>/<assignment>/ (by `nbgrader
collect` from the exchange, or `nbgrader zip_collect` from an LMS download), and `make grade ASSIGNMENT=...`
(python -m grading autograde) writes autograded/ and the gradebook next to this file.  Every path below is inside
this folder except the exchange (see below).
"""
import os

c = get_config()  # noqa: F821  (provided by traitlets when it loads this file)

HERE = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.course_id = "neural-networks"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(HERE, "gradebook.db")

# The exchange: where `nbgrader release_assignment` puts the problem sets, students' `fetch_assignment`/`submit`
# and JupyterLab's Assignment List find them, `collect` takes submissions from and `release_feedback` /
# `fetch_feedback` pass feedback through.  The COURSE_EXCHANGE environment variable if set; else the folder that
# `python -m grading students-setup --exchange ...` (a shared machine or JupyterHub) wrote into course_exchange.txt;
# else exchange/ here.  `collect` makes the copies in submitted/ the instructor's alone (nbgrader would keep the
# exchange's drwxrwxrwx, and `python -m grading autograde` refuses a submission another account could change).
_remembered = os.path.join(HERE, "course_exchange.txt")
c.Exchange.root = os.environ.get("COURSE_EXCHANGE") or (
    open(_remembered).read().strip() if os.path.isfile(_remembered) else os.path.join(HERE, "exchange"))
c.ExchangeFactory.collect = "grading.private_files.PrivateCollect"

# LMS downloads: `nbgrader zip_collect ASSIGNMENT` reads downloaded/ASSIGNMENT/archive/ (the zip from Canvas or
# Moodle) and files each notebook by the name the LMS gave it (patterns in grading/lms.py and grading/README.md).
c.ZipCollectApp.collector_plugin = "grading.lms.LMSFileNames"

# Late submissions: a submission whose timestamp is after the assignment's due date (`nbgrader db assignment add
# ASSIGNMENT --duedate=...`) loses what this plugin says; nbgrader's built-in methods are 'none' and 'zero'.
# `python -m grading autograde` stores the penalty in the gradebook, so `nbgrader export`, the report and
# `python -m grading export` all subtract the same number.
c.LateSubmissionPlugin.penalty_method = "none"

# A cell of a student's notebook may run this long when nbgrader itself executes it (validate, autograde).
# `python -m grading autograde` has its own, stricter limits (see grading/limits.py and its --help).
c.Execute.timeout = 60

c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Validate (JupyterLab's and Notebook 7's button, `nbgrader validate`) runs a notebook as grading does: in the kernel
# of grading/graded_kernel.py, without nnlib (the kernel of `python -m grading check`; `make install` installs it), and
# also shows the errors of answer cells (a failed import of nnlib), not only the test cells that fail after them.
c.Execute.kernel_name = "python3-as-graded"
c.Validator.validate_all = True
# Feedback pages (`nbgrader generate_feedback`) carry their math as MathML: it renders with scripts off ("Trust HTML"
# not clicked) and offline (grading/feedback_math.py).
c.HTMLExporter.preprocessors = ["grading.feedback_math.MathToMathML"]

# `python -m grading watch ASSIGNMENT` (grading/watch/): previews of each submission while a problem set is open.
# A student gets at most `feedback_runs` previews per `budget_hours` (rolling window, per student and assignment,
# counted from the watcher's ledger; an identical resubmission costs nothing); later submissions are kept for the
# deadline and their feedback says when the next preview is available.  0 runs: no previews at all.  Runs are
# also counted per Unix owner of the submitted folder (made-up student ids do not help); set count_by_owner to
# False where all students' files have one uid (e.g. containers that all run as jovyan).
c.Watch.feedback_runs = 3
c.Watch.budget_hours = 24
c.Watch.count_by_owner = True
