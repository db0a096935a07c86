"""The session's background pool starts a session fixture's slow set-up before the tests' own runs, and only when a
selected test needs that fixture (tests/background_runs.py)."""
from __future__ import annotations

import threading
from types import SimpleNamespace

from tests import background_runs


class Item:
    def __init__(self, fixturenames=(), marker_args=None):
        self.fixturenames = list(fixturenames)
        self._marker = SimpleNamespace(args=marker_args) if marker_args else None

    def get_closest_marker(self, name):
        return self._marker if name == background_runs.MARKER else None


def test_a_fixtures_run_starts_first_and_only_when_a_test_needs_the_fixture(monkeypatch):
    monkeypatch.setenv("BACKGROUND_JOBS", "1")
    monkeypatch.setattr(background_runs, "FIXTURE_RUNS", {})
    started, gate = [], threading.Event()

    def run(name):
        gate.wait(10)           # nothing runs until every run has been submitted
        started.append(name)
        return name

    background_runs.fixture_run("book", ("book",), run, "book")
    background_runs.fixture_run("unused", ("unused",), run, "unused")
    runs = background_runs.BackgroundRuns()
    monkeypatch.setattr(background_runs, "RUNS", runs)
    items = [Item(marker_args=(("chapter", 1), run, "chapter 1")), Item(fixturenames=["browser", "book"]),
             Item(marker_args=(("chapter", 2), run, "chapter 2"))]
    background_runs.start_for(items)
    gate.set()
    assert runs.result(("chapter", 2), run, "chapter 2") == "chapter 2"
    assert runs.result(("book",), run, "book") == "book"
    assert started == ["book", "chapter 1", "chapter 2"]
    runs.stop()
