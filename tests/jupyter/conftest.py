"""One JupyterLab server and one Chromium for the session's live-notebook tests.

The chapters and problem sets are copied into a temporary folder that the server serves, so running
them (and anything the front end might save) never touches the repository.
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from tests.conftest import ROOT, require
from tests.jupyter import notebook_page as nbp
from tests.jupyter.lab import JupyterServer

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def jupyter(playwright):
    chromium = require("chromium", "live-notebook tests in JupyterLab")

    work = Path(tempfile.mkdtemp(prefix="nnbook-jupyter-"))
    root, home = work / "root", work / "home"
    for folder in ("book", "exercises"):
        shutil.copytree(ROOT / folder, root / folder, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "_build"))
    server = JupyterServer(root, home)
    browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
    try:
        yield server, browser
    finally:
        browser.close()
        server.stop()
        shutil.rmtree(work, ignore_errors=True)


def new_page(server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    # Only the local server: a page that reached for the internet would fail here, not hang.
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(server.url)
                  or route.request.url.startswith(("data:", "blob:")) else route.abort())
    return context, context.new_page()


@pytest.fixture(scope="session")
def lab(jupyter):
    """One JupyterLab page for the session; each test opens its notebook in it as a tab."""
    server, browser = jupyter
    context, page = new_page(server, browser)
    nbp.open_lab(page, server)
    yield page
    context.close()


class AheadRunner:
    """Runs the chapters in ``order`` ahead of the tests: while a test checks chapter N in its tab,
    chapters N+1 … N+AHEAD already run in tabs behind it, which overlaps kernels' work with the checks."""

    AHEAD = 1  # two was no faster on 2 cores (4 min 07 s against 4 min 15 s), only heavier

    def __init__(self, page, order):
        self.page, self.order, self.started = page, list(order), set()

    def start(self, path):
        if path not in self.started:
            self.started.add(path)
            nbp.open_in_lab(self.page, path)
            nbp.start_run_all(self.page)

    def ran(self, path):
        """Start ``path`` (if it has not started) and the next ones; bring ``path`` up once it has run."""
        self.start(path)
        later = self.order[self.order.index(path) + 1:] if path in self.order else []
        for ahead in later[:self.AHEAD]:
            self.start(ahead)
        nbp.activate(self.page, path)
        nbp.wait_for_run(self.page)
        return self.page


@pytest.fixture(scope="session")
def chapters_ahead(lab, request):
    """An AheadRunner over the chapters the session's tests ask for, in the order they run."""
    order = [item.callspec.params["chapter"] for item in request.session.items
             if hasattr(item, "callspec") and "chapter" in item.callspec.params and "lab" in item.fixturenames]
    return AheadRunner(lab, order)


@pytest.fixture
def page(jupyter):
    """A fresh browser page (e.g. for Notebook 7); kernels it started are shut down afterwards."""
    server, browser = jupyter
    context, p = new_page(server, browser)
    yield p
    context.close()
    server.shut_down_kernels()
