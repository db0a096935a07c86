"""Helpers shared by the attack submissions (each attack is one module of this folder).

Every attack module defines ``submit(course, ctx)`` — write the submission of the student ``student(__name__)`` —
and ``check(course, ctx)`` — assert what must happen.  ``ctx`` carries what a check needs from the run: a
listening port for the network attack, the connections it saw, the feedback HTML of a student.
"""
from __future__ import annotations

from tests.course.fixtures.demo import HIDDEN_MARKER, MAX_SCORE, POINTS, SOLUTIONS  # noqa: F401 (for the attacks)


def student(module_name):
    return module_name.rsplit(".", 1)[-1]


def answers(**overrides):
    """The reference answers with some cells replaced (grade_id -> code)."""
    return dict(SOLUTIONS, **overrides)


def add_cells(*codes, after="setup"):
    """A notebook mutation inserting plain code cells after the cell ``after`` (None: at the end)."""
    def mutate(nb):
        cells = [{"cell_type": "code", "metadata": {}, "source": code, "outputs": [], "execution_count": None}
                 for code in codes]
        if after is None:
            nb["cells"].extend(cells)
            return nb
        at = next(i for i, c in enumerate(nb["cells"]) if c["metadata"].get("nbgrader", {}).get("grade_id") == after)
        nb["cells"][at + 1:at + 1] = cells
        return nb
    return mutate


def flag_codes(course, name):
    return {code for code, _ in course.entry(name)["flags"]}


def graded(course, name):
    entry = course.entry(name)
    assert entry["status"] == "graded", entry
    assert None not in course.scores(name).values(), course.scores(name)
    assert set(course.scores(name)) == set(POINTS), "every test cell of the source has exactly one grade"
