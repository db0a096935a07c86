"""Submitted notebooks renamed by browsers and LMSs are graded as the assignment's notebook, and flagged; notebooks
that cannot be matched make a listed failure that names them; extra notebooks are reported."""
from __future__ import annotations

import json

import pytest

from grading.names import match_notebooks, plain_name
from tests.conftest import require
from tests.course.fixtures.demo import MAX_SCORE, SOLUTIONS, submission


@pytest.mark.parametrize("stem", ["ps05_backprop (1)", "Copy of ps05_backprop", "PS05_Backprop", "ps05_backprop-1",
                                  "Copy of ps05_backprop (2)", "ps05_backprop-2 (1)", "ps05_backprop-Copy1",
                                  "ps05_backprop copy", "ps05_backprop(3)"])
def test_what_downloads_add_is_ignored(stem):
    assert plain_name(stem) == "ps05_backprop"
    matching = match_notebooks(["ps05_backprop"], [f"{stem}.ipynb"])
    assert matching.found == matching.renamed == {"ps05_backprop": f"{stem}.ipynb"}
    assert not matching.problems and not matching.extra


@pytest.mark.parametrize("stem", ["ps05", "ps05_backprop_v2", "my ps05_backprop", "ps05_backprop final",
                                  "ps06_optimizers"])
def test_other_names_are_not_guessed(stem):
    matching = match_notebooks(["ps05_backprop"], [f"{stem}.ipynb"])
    assert not matching.found
    assert matching.problems == [f"ps05_backprop.ipynb not found; the submission has {stem}.ipynb instead "
                                 f"(rename it to ps05_backprop.ipynb)"]


def test_the_exact_name_wins_and_the_rest_are_extra():
    matching = match_notebooks(["ps05_backprop"], ["ps05_backprop (1).ipynb", "ps05_backprop.ipynb", "scratch.ipynb"])
    assert matching.found == {"ps05_backprop": "ps05_backprop.ipynb"} and not matching.renamed
    assert matching.extra == ["ps05_backprop (1).ipynb", "scratch.ipynb"] and not matching.problems


def test_two_candidates_are_a_problem_naming_both():
    matching = match_notebooks(["ps05_backprop"], ["ps05_backprop (1).ipynb", "ps05_backprop (2).ipynb"])
    assert not matching.found
    assert matching.problems == ["ps05_backprop.ipynb is missing and several files could be it: "
                                 "ps05_backprop (1).ipynb, ps05_backprop (2).ipynb (keep one)"]


def test_grading_uses_the_matched_notebook_and_lists_what_it_cannot_match(demo_course):
    require("bwrap", "sandboxed grading")
    good = json.dumps(submission(demo_course.release, SOLUTIONS))
    files = {"renamed": ["demo (1).ipynb"], "copy": ["Copy of demo.ipynb"], "upper": ["DEMO.ipynb"],
             "canvas": ["demo-1.ipynb"], "extra": ["demo.ipynb", "scratch.ipynb"], "other": ["homework.ipynb"],
             "twice": ["demo (1).ipynb", "demo (2).ipynb"]}
    for student, names in files.items():
        folder = demo_course.root / "submitted" / student / "demo"
        folder.mkdir(parents=True)
        for name in names:
            (folder / name).write_text(good)
    summary = demo_course.grade()
    assert (summary.graded, summary.failed) == (5, 2)
    for student in ("renamed", "copy", "upper", "canvas"):
        assert demo_course.total(student) == MAX_SCORE
        flag = ["renamed-notebook", f"{files[student][0]} was graded as demo.ipynb"]
        assert flag in demo_course.entry(student)["flags"]
    assert demo_course.total("extra") == MAX_SCORE
    assert ["extra-notebook", "notebooks that are not part of the assignment (not graded): scratch.ipynb"] in \
        demo_course.entry("extra")["flags"]
    assert "homework.ipynb" in summary.failures["other"] and "demo.ipynb not found" in summary.failures["other"]
    assert "demo (1).ipynb, demo (2).ipynb" in summary.failures["twice"]
    report = (demo_course.root / "autograded" / ".grading" / "demo" / "report.md").read_text()
    assert "**other**: demo.ipynb not found; the submission has homework.ipynb" in report
