"""The feedback page a student opens: its math is MathML that Chromium renders with scripts off (as JupyterLab
shows an HTML file until "Trust HTML" is clicked) and offline, not raw ``$…$`` (issue #26)."""
from __future__ import annotations

import subprocess
import sys

import pytest

from grading.feedback_math import markdown_with_mathml
from tests.conftest import require
from tests.course.conftest import venv_env
from tests.course.fixtures.demo import SOLUTIONS

NOTES = r"My notes: $\sigma(a) = \frac{1}{1 + e^{-a}}$, so $$\frac{\partial E}{\partial a} = \delta.$$ Code: `$HOME`"


def _with_notes(nb):
    nb["cells"].insert(1, {"cell_type": "markdown", "metadata": {}, "source": NOTES})


@pytest.mark.slow
@pytest.mark.sandbox
@pytest.mark.browser
def test_the_feedback_page_shows_math_with_scripts_off(demo_course, playwright):
    demo_course.submit("writes_math", SOLUTIONS, mutate=_with_notes)
    demo_course.grade()
    result = subprocess.run([sys.executable, "-m", "nbgrader", "generate_feedback", "demo"], cwd=demo_course.root,
                            env=venv_env(), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    page_file = demo_course.root / "feedback" / "writes_math" / "demo" / "demo.html"
    browser = playwright.chromium.launch(executable_path=require("chromium", "the feedback page in Chromium"),
                                         args=["--no-sandbox", "--disable-gpu"], headless=True)
    try:
        context = browser.new_context(java_script_enabled=False)
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                      else route.abort())                                   # offline: nothing from a CDN
        page = context.new_page()
        page.goto(page_file.as_uri())
        notes = page.locator("p", has_text="My notes")
        assert "$" not in notes.inner_text().replace("$HOME", ""), notes.inner_text()
        formulas = page.locator("math")
        assert formulas.count() == 2
        for i in range(2):
            box = formulas.nth(i).bounding_box()
            assert box and box["width"] > 20 and box["height"] > 10, box       # laid out as math, not hidden
        assert page.locator("math[display=block] mfrac").count() == 1
    finally:
        browser.close()


def test_code_and_dollars_that_are_not_math_stay():
    assert markdown_with_mathml("costs `$x$` and ```\n$y$\n```") == "costs `$x$` and ```\n$y$\n```"
    assert markdown_with_mathml(r"an escaped \$5 and 3$") == r"an escaped \$5 and 3$"
    assert markdown_with_mathml(r"$\notacommand{x}$").startswith("$")        # left for MathJax, not lost
