"""A student's problem set in JupyterLab on the shared course machine, end to end (issue #26).

JupyterLab runs from the students' environment (``python -m grading students-setup``), as the student's Unix
account, in their home (tests/shared_machine.py).  Chromium drives it as the student would: the Assignment List
shows the course, Fetch, open the notebook, answer every task (the tasks before and after from the solutions, the
neuron by importing it from nnlib, which grading does not provide), Validate — which must not say "Success!" —,
the Nbgrader menu without the instructor's tools, Submit; the instructor collects, grades, generates and releases
feedback; Fetch Feedback, and the feedback page shows the gradebook's score.
"""
from __future__ import annotations

import json

import pytest
from nbgrader.api import Gradebook

from tests.jupyter import notebook_page as nbp
from tests.jupyter.conftest import CHROMIUM_ARGS, new_page
from tests.jupyter.lab import JupyterServer
from tests.conftest import require

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.sandbox]

ASSIGNMENT = "ps01_neuron"
NOTEBOOK = f"{ASSIGNMENT}/{ASSIGNMENT}.ipynb"
IMPORTED = "from nnlib.neuron import neuron"


@pytest.fixture
def student_lab(shared_machine, playwright):
    chromium = require("chromium", "the student's JupyterLab journey")
    student = shared_machine.students[0]
    server = JupyterServer(student.home, student.home / ".lab-test", account=student)
    browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
    try:
        context, page = new_page(server, browser)
        yield shared_machine, student, server, page
        context.close()
    finally:
        browser.close()
        server.stop()


def _solutions(course):
    """grade_id -> the instructor's solution cell of every task (read as root: the course is the instructor's)."""
    notebook = json.loads((course / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text())
    return {c["metadata"]["nbgrader"]["grade_id"]: "".join(c["source"]) for c in notebook["cells"]
            if c["metadata"].get("nbgrader", {}).get("solution")}


def _answer(page, solutions):
    """Every answer cell from the solutions, but the neuron's typed in as an import from nnlib."""
    page.evaluate(f"""(solutions) => {{
        for (const cell of {nbp.CURRENT}.content.widgets) {{
            const id = cell.model.getMetadata('nbgrader')?.grade_id;
            if (id in solutions && id !== 'neuron') cell.model.sharedModel.setSource(solutions[id]);
        }}
    }}""", solutions)
    index = page.evaluate(f"""() => {nbp.CURRENT}.content.widgets.findIndex(
        c => c.model.getMetadata('nbgrader')?.grade_id === 'neuron')""")
    editor = page.locator(".jp-Notebook .jp-Cell").nth(index).locator(".cm-content")
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(IMPORTED)
    page.evaluate("jupyterapp.commands.execute('docmanager:save')")
    page.wait_for_function(f"() => !{nbp.CURRENT}.context.model.dirty")


def _assignment_row(page, section):
    return page.locator(f"#{section}_assignments_list .list_item:not(.nested_list_item)", has_text=ASSIGNMENT)


def _validate(page):
    page.get_by_role("button", name="Validate").click()
    dialog = page.locator(".jp-Dialog")
    dialog.wait_for(timeout=120_000)
    page.wait_for_function("!document.querySelector('.jp-Dialog').innerText.includes('Validating')", timeout=120_000)
    report = dialog.inner_text()
    page.keyboard.press("Escape")
    return report


def _nbgrader_menu(page):
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
    items = page.locator("#jp-mainmenu-nbgrader .lm-Menu-item:visible").all_inner_texts()
    page.keyboard.press("Escape")
    return items


def test_a_student_fetches_validates_submits_and_reads_feedback(student_lab):
    machine, student, server, page = student_lab
    machine.nbgrader("release_assignment", ASSIGNMENT)
    nbp.open_lab(page, server)
    page.evaluate("jupyterapp.commands.execute('nbgrader:open-assignment-list')")
    released = _assignment_row(page, "released")
    released.wait_for(timeout=60_000)
    assert "neural-networks" in released.inner_text()
    released.get_by_role("button", name="Fetch").click()
    _assignment_row(page, "fetched").wait_for(timeout=60_000)

    nbp.open_in_lab(page, NOTEBOOK)
    _answer(page, _solutions(machine.course))
    report = _validate(page)
    assert "Success!" not in report, report[:500]

    menu = " | ".join(_nbgrader_menu(page)).lower()      # nbgrader's labels: "Formgrader", "Create assignment"
    assert "assignment list" in menu and "formgrader" not in menu and "create assignment" not in menu, menu
    tabs = page.locator(".lm-TabBar-tab").all_inner_texts() + page.locator(".lm-TabBar-tab").evaluate_all(
        "tabs => tabs.map(t => t.title || t.getAttribute('title') || '')")
    assert not any("create assignment" in tab.lower() for tab in tabs), tabs

    page.evaluate("jupyterapp.commands.execute('nbgrader:open-assignment-list')")
    _assignment_row(page, "fetched").get_by_role("button", name="Submit").click()
    _assignment_row(page, "submitted").wait_for(timeout=60_000)

    machine.nbgrader("collect", ASSIGNMENT)
    machine.grading("autograde", ASSIGNMENT, "--no-progress", "--workers", "1")
    machine.nbgrader("generate_feedback", ASSIGNMENT)
    machine.nbgrader("release_feedback", ASSIGNMENT)
    with Gradebook(f"sqlite:///{machine.course / 'gradebook.db'}") as gradebook:
        graded = gradebook.find_submission(ASSIGNMENT, student.name)
        score, max_score = graded.score, graded.max_score
    assert score < max_score        # the imported neuron lost its tests' points

    page.locator("#refresh_assignments_list").click()
    submitted = _assignment_row(page, "submitted")
    submitted.get_by_role("button", name="Fetch Feedback").click()
    submitted.get_by_text("(view feedback)").wait_for(timeout=60_000)
    feedback = next((student.home / ASSIGNMENT / "feedback").glob(f"*/{ASSIGNMENT}.html"))
    page.goto(f"{server.url}/files/{feedback.relative_to(student.home)}?token={server.token}")
    assert f"Score: {score:g} / {max_score:g}" in page.inner_text("body") or \
        f"Score: {score} / {max_score}" in page.inner_text("body"), page.inner_text("body")[:500]
