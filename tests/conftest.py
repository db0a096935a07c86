"""Shared test helpers.

Tests that need an external tool (Chromium, bubblewrap) call ``require(...)``: it skips with a reason
when the tool is missing, except under CI=true, where a missing tool is a failure (CI installs them).
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests import background_runs

ROOT = Path(__file__).resolve().parents[1]
IN_CI = os.environ.get("CI", "").lower() == "true"


def require(executable, why):
    """Skip (or, under CI=true, fail) unless ``executable`` is on PATH; return its path."""
    path = shutil.which(executable)
    if path is None:
        message = f"{executable} is not installed ({why}); `.ci/run` installs it with apt-get"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def playwright():
    """The run's one Playwright: its sync API allows a single running instance per thread, so the book's browser
    tests and the JupyterLab tests share it (each launches its own Chromium)."""
    from playwright.sync_api import sync_playwright

    instance = sync_playwright().start()
    yield instance
    instance.stop()


@pytest.fixture(scope="session")
def root():
    return ROOT


def pytest_configure(config):
    config.addinivalue_line("markers", f"{background_runs.MARKER}(key, function, *args): the test waits for "
                                       "function(*args), started in the session's background pool (tests/background_runs.py)")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    background_runs.move_to_end(items)


def pytest_collection_finish(session):
    background_runs.start_for(session.items)


def pytest_sessionfinish(session):
    background_runs.RUNS.stop()


# after ROOT, IN_CI and require, which it imports
# (a session fixture, defined once: the students' environment is built once per run)
from tests.shared_machine import shared_machine  # noqa: E402,F401
