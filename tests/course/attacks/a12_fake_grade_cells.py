"""Invent grade cells worth 50 points and turn a solution cell into a grade cell: ignored (no such cells in the
source), the maximum and the score stay what the source says."""
from ._common import MAX_SCORE, answers, flag_codes, graded, student


def forge(nb):
    bonus = {"cell_type": "code", "execution_count": None, "outputs": [], "source": "assert True",
             "metadata": {"nbgrader": {"grade": True, "grade_id": "bonus", "locked": True, "points": 50,
                                       "schema_version": 3, "solution": False, "task": False}}}
    nb["cells"].append(bonus)
    for cell in nb["cells"]:
        meta = cell["metadata"].get("nbgrader", {})
        if meta.get("grade_id") == "mse":
            meta.update(grade=True, points=10)
    return nb


def submit(course, ctx):
    course.submit(student(__name__), answers(), forge)


def check(course, ctx):
    name = student(__name__)
    graded(course, name)
    assert "bonus" not in course.scores(name)
    assert course.total(name) == MAX_SCORE and course.entry(name)["max_score"] == MAX_SCORE
    assert {"unknown-cell", "metadata-changed"} <= flag_codes(course, name)
