"""Write to the gradebook, the solutions, a classmate's submission, the grader's journal and the runner; delete
them. Only the sandbox's own scratch folder is writable (the run's checks compare every course file's hash)."""
from ._common import MAX_SCORE, add_cells, answers, graded, student

PROBE = r'''import os
COURSE = {course!r}
wrote = []
targets = {{"gradebook": COURSE + "/gradebook.db", "solution": COURSE + "/solutions/demo/demo.ipynb",
           "victim": COURSE + "/submitted/victim/demo/demo.ipynb", "config": COURSE + "/nbgrader_config.py",
           "journal": COURSE + "/autograded/.grading/demo/journal.jsonl",
           "runner": "/opt/grader/runner/runner.py", "own-submission": "/opt/grader/submission/demo.ipynb",
           "asserts": "/opt/grader/lib/grading/asserts.py", "python": os.__file__, "root": "/pwned",
           "scratch": "scratch-file.txt"}}
for label, path in targets.items():
    try:
        with open(path, "a") as f:
            f.write("pwned")
        wrote.append(label)
    except Exception:
        pass
    try:
        os.remove(path)
        wrote.append(label + "-deleted")
    except Exception:
        pass
print("WROTE:", sorted(wrote))
'''


def submit(course, ctx):
    course.submit(student(__name__), answers(), add_cells(PROBE.format(course=str(course.root))))


def check(course, ctx):
    name = student(__name__)
    graded(course, name)
    assert "WROTE: ['scratch', 'scratch-deleted']" in course.outputs(name)
    assert course.total(name) == MAX_SCORE
    assert course.total("victim") == MAX_SCORE
