"""The same journeys outside the chapters' JupyterLab tab: a chapter in Notebook 7, and the problem sets.

* Notebook 7 (``/notebooks/...``) runs a chapter, renders its MyST and redraws its explorer live, checked
  exactly as in JupyterLab (``check_chapter``).
* Every problem set of ``exercises/`` opens in JupyterLab, renders without raw MyST and runs up to the
  first task a student has to answer (which raises NotImplementedError, as released); nbgrader's
  Validate button (its lab extension) validates the notebook on the server and reports that task.
* Validate gives the grader's verdict: an answer that imports nnlib (which grading does not provide) is not a
  "Success!", in JupyterLab and in Notebook 7, and the dialog says why.
"""
from __future__ import annotations

import nbformat
import pytest

from tests.conftest import ROOT
from tests.course.test_validate import NNLIB_ANSWER, with_answer
from tests.jupyter import notebook_page as nbp
from tests.jupyter.test_live_chapters import check_chapter

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PROBLEM_SETS = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "exercises").glob("ps*/ps*.ipynb"))


def test_a_chapter_in_notebook7(page, jupyter):
    server, _ = jupyter
    chapter = "book/using_this_book.ipynb"  # the shortest page with an explorer
    nbp.open_notebook(page, server.notebook7(chapter))
    assert page.evaluate("document.querySelector('#main-panel, .jp-NotebookShell') !== null")  # Notebook 7's shell
    nbp.run_all(page)
    check_chapter(page, chapter)


@pytest.mark.parametrize("problem_set", PROBLEM_SETS)
def test_problem_set_renders_and_runs(lab, problem_set):
    nbp.open_in_lab(lab, problem_set)
    try:
        nbp.run_all(lab)
        raised = nbp.errors(lab)
        # Run All stops at the first unanswered task; on a loaded machine ipykernel may already have taken later
        # cells' requests off its queue (its stop_on_error_timeout is 0 s), and they fail as unanswered work does:
        # another task's NotImplementedError, or a NameError for a function the unanswered cell did not define.
        assert raised and raised[0].startswith("NotImplementedError"), raised
        assert all(error.startswith(("NameError", "NotImplementedError")) for error in raised[1:]), raised
        assert nbp.markdown_texts(lab)
        assert nbp.wait_for_clean_markdown(lab) == []
        if problem_set == PROBLEM_SETS[0]:
            report = validate(lab)
            assert "The following cell failed" in report and "NotImplementedError" in report, report[:500]
    finally:
        nbp.close_current(lab)


def validate(page):
    """Click Validate, wait for nbgrader's verdict, close its dialog; the dialog's text."""
    page.get_by_role("button", name="Validate").click()
    dialog = page.locator(".jp-Dialog")
    dialog.wait_for(timeout=90_000)
    page.wait_for_function("!document.querySelector('.jp-Dialog').innerText.includes('Validating')",
                           timeout=90_000)
    report = dialog.inner_text()
    page.keyboard.press("Escape")
    return report


def _uses_nnlib(server):
    relative = "exercises/ps01_neuron/ps01_uses_nnlib.ipynb"
    nbformat.write(with_answer("ps01_neuron", "neuron", NNLIB_ANSWER), server.root / relative)
    return relative


def _is_the_graders_verdict(report):
    assert "Success" not in report, report[:500]
    assert "No module named 'nnlib': it is not available when graded" in report, report[:2000]
    assert "name 'neuron' is not defined" in report, report[:2000]


def test_validate_in_lab_fails_an_answer_that_imports_nnlib(lab, jupyter):
    nbp.open_in_lab(lab, _uses_nnlib(jupyter[0]))
    try:
        _is_the_graders_verdict(validate(lab))
    finally:
        nbp.close_current(lab)


def test_validate_in_notebook7_fails_an_answer_that_imports_nnlib(page, jupyter):
    server, _ = jupyter
    nbp.open_notebook(page, server.notebook7(_uses_nnlib(server)))
    _is_the_graders_verdict(validate(page))
