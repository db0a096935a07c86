"""Fixtures for the tests of the built HTML book: one build, one local web server, one browser per session.

The book is built once per session with the same command as ``make book`` (cached execution makes a
rebuild with nothing changed take seconds), in the session's background pool from the start of the run.
``BOOK_BUILD_DIR`` chooses the build folder (default ``<repo>/_build``); the pages are in ``$BOOK_BUILD_DIR/html``. (jupyter-book always writes into a folder
named ``_build``: a BOOK_BUILD_DIR with another name gets one inside it.) Browser screenshots go to
``$TEST_OUTPUT_DIR/screenshots`` (default ``<repo>/test-output``).
"""
from __future__ import annotations

import fcntl
import functools
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest
import yaml

from tests import background_runs

ROOT = Path(__file__).resolve().parents[2]
BUILD_DIR = Path(os.environ.get("BOOK_BUILD_DIR") or ROOT / "_build").resolve()
if BUILD_DIR.name != "_build":
    BUILD_DIR = BUILD_DIR / "_build"
HTML_DIR = BUILD_DIR / "html"
OUTPUT_DIR = Path(os.environ.get("TEST_OUTPUT_DIR") or ROOT / "test-output").resolve()
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def toc_files(toc_path=ROOT / "_toc.yml"):
    """Every document of the table of contents, in reading order, as paths without suffix."""
    toc = yaml.safe_load(toc_path.read_text())
    found = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                found.append(entry["file"])
            for key in ("chapters", "sections", "parts"):
                walk(entry.get(key))

    walk(toc.get("parts"))
    walk(toc.get("chapters"))
    return [str(Path(f).with_suffix("")) for f in found]


def toc_pages():
    """The HTML page of every document in the table of contents, relative to the HTML folder."""
    return [f + ".html" for f in toc_files()]


def source_of(doc):
    """The source file of a toc document (``book/intro`` -> ``book/intro.md``), or None."""
    for suffix in (".ipynb", ".md"):
        path = ROOT / (doc + suffix)
        if path.exists():
            return path
    return None


def _build_command():
    cmd = [str(Path(sys.executable).with_name("jupyter-book")), "build", "-W", "--keep-going"]
    if BUILD_DIR.parent != ROOT:
        cmd += ["--path-output", str(BUILD_DIR.parent)]  # jupyter-book writes into <path-output>/_build
    return cmd + ["."]


def build_book():
    """``make book``'s build (cached: only changed pages are rebuilt): (exit status, its output)."""
    BUILD_DIR.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
               MPLBACKEND="Agg")
    # one build at a time, also across pytest-xdist workers
    with open(BUILD_DIR / ".build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        proc = subprocess.run(_build_command(), cwd=ROOT, env=env, capture_output=True, text=True)
    return proc.returncode, proc.stdout + proc.stderr


BOOK_BUILD = ("book build",)
# started in the session's background pool as soon as a test that needs the book is collected
background_runs.fixture_run("html_dir", BOOK_BUILD, build_book)


@pytest.fixture(scope="session")
def html_dir():
    """The folder of the built book's HTML pages (the build starts in the background pool at collection)."""
    returncode, output = background_runs.RUNS.result(BOOK_BUILD, build_book)
    if returncode != 0:
        pytest.fail(f"`{' '.join(_build_command())}` failed ({returncode}):\n" + output[-6000:], pytrace=False)
    return HTML_DIR


@pytest.fixture(scope="session")
def output_dir():
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    return OUTPUT_DIR


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def server(html_dir):
    """Serve the built book on 127.0.0.1 (a free port); yields the base URL ending in '/'."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                            functools.partial(_QuietHandler, directory=str(html_dir)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


class Browser:
    """One Chromium for the session; every request that would leave 127.0.0.1 is aborted and recorded."""

    def __init__(self, playwright, executable, base_url):
        self.base_url = base_url
        self.external = []  # URLs the pages tried to load from anywhere but the local server
        self._executable = executable
        self._plain = None  # a second, non-persistent Chromium for fresh_context()
        self._profile = tempfile.mkdtemp(prefix="nnbook-chromium-")
        self._playwright = playwright
        self.context = self._playwright.chromium.launch_persistent_context(
            self._profile, executable_path=executable, args=CHROMIUM_ARGS, headless=True,
            viewport={"width": 1280, "height": 900}, service_workers="block")
        self.context.route("**/*", self._route)

    def _route(self, route):
        url = route.request.url
        if url.startswith(self.base_url):
            route.continue_()
        else:
            self.external.append(url)
            route.abort()

    def open(self, path, problems):
        """Open ``path`` in a new tab, recording console errors, page errors and failed requests in ``problems``."""
        page = self.context.new_page()
        page.on("console", lambda m: m.type == "error" and problems.append(f"console error: {m.text} {m.location}"))
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        page.on("response", lambda r: r.status >= 400 and problems.append(f"HTTP {r.status}: {r.url}"))
        page.on("requestfailed", lambda r: r.url.startswith(self.base_url)
                and problems.append(f"request failed: {r.url} ({r.failure})"))
        page.goto(self.base_url + path, wait_until="networkidle")
        return page

    def fresh_context(self, **options):
        """A new browser context of its own (no cache, cookies or storage shared), e.g. a phone's:
        ``fresh_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)``."""
        if self._plain is None:
            self._plain = self._playwright.chromium.launch(executable_path=self._executable, args=CHROMIUM_ARGS,
                                                           headless=True)
        context = self._plain.new_context(service_workers="block", **options)
        context.route("**/*", self._route)
        return context

    def close(self):
        if self._plain is not None:
            self._plain.close()
        self.context.close()
        shutil.rmtree(self._profile, ignore_errors=True)


@pytest.fixture(scope="session")
def browser(server, playwright):
    from tests.conftest import require

    executable = require("chromium", "browser tests of the built book")
    b = Browser(playwright, executable, server)
    yield b
    b.close()
