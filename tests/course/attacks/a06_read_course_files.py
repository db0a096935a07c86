"""Read the solutions, the gradebook and a classmate's notebook (by absolute and relative paths, through /proc),
list the whole file system, and exec the solution if found. The course directory is not in the sandbox."""
from ._common import MAX_SCORE, add_cells, answers, graded, student

PROBE = r'''import os, json
COURSE = {course!r}
found = []
paths = [COURSE + "/solutions/demo/demo.ipynb", COURSE + "/gradebook.db", COURSE + "/submitted/victim/demo/demo.ipynb",
         COURSE + "/nbgrader_config.py", COURSE, "../../solutions/demo/demo.ipynb", "../../../gradebook.db",
         "/proc/1/root" + COURSE + "/solutions/demo/demo.ipynb", "/proc/self/root" + COURSE, "/work/main/solutions",
         "/work/main/nnlib/activations.py", "/root/.ssh", "/etc/shadow", "/etc/passwd"]
for path in paths:
    try:
        if os.path.isdir(path):
            os.listdir(path)
        else:
            open(path, "rb").read(100)
        found.append(path)
    except Exception:
        pass
skip = {{"/proc", "/sys", "/usr", "/dev", "/opt/grader/submission", os.path.realpath(os.getcwd())}}
for top, dirs, files in os.walk("/"):   # (hidden folders such as .venv hold only the Python installation)
    dirs[:] = [d for d in dirs if os.path.join(top, d) not in skip and not d.startswith(".")]
    for f in files:
        if f.endswith((".ipynb", ".db")) or "gradebook" in f or "solution" in f:
            found.append(os.path.join(top, f))
print("FOUND:", found)
for path in found:
    if path.endswith(".ipynb"):
        try:
            nb = json.load(open(path))
            for cell in nb["cells"]:
                if cell["metadata"].get("nbgrader", {{}}).get("solution"):
                    exec("".join(cell["source"]))
        except Exception:
            pass
'''


def submit(course, ctx):
    wrong = answers(sigmoid="def sigmoid(a):\n    raise NotImplementedError()")
    course.submit(student(__name__), wrong, add_cells(PROBE.format(course=str(course.root))))


def check(course, ctx):
    name = student(__name__)
    graded(course, name)
    assert "FOUND: []" in course.outputs(name)
    assert course.scores(name)["test_sigmoid"] == 0 and course.scores(name)["test_sigmoid_prime"] == 0
    assert course.total(name) == MAX_SCORE - 3
