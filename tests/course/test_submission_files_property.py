"""Property: whatever a student puts in their submission folder — any file names (any bytes but "/" and NUL, up to
255 of them, control characters), any depth, FIFOs, sockets, symbolic links (loops too), hard links, empty and
large sparse files — the whole autograde ends with that student graded or listed as failed with a readable
reason, the classmate is graded in full, the journal and the report are written, and a rerun repeats no crash.

Real sandboxed runs, so only a few seeded examples (each grades two students twice).
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.conftest import require
from tests.course.conftest import DemoCourse
from tests.course.fixtures.demo import MAX_SCORE, SOLUTIONS

names = st.binary(min_size=1, max_size=255).map(lambda b: b.replace(b"/", b"_").replace(b"\0", b"_")) \
    .filter(lambda b: b not in (b".", b".."))
kinds = st.sampled_from(["file", "empty", "sparse", "fifo", "socket", "symlink", "loop", "hardlink", "deep"])
entries = st.lists(st.tuples(kinds, names, st.integers(min_value=1, max_value=120)), min_size=1, max_size=6)


def _deep(folder_fd, name, depth):
    """A chain of ``depth`` folders (made through file descriptors: the path may exceed PATH_MAX)."""
    fd = os.dup(folder_fd)
    for _ in range(depth):
        try:
            os.mkdir(name, dir_fd=fd)
        except FileExistsError:
            break
        child = os.open(name, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
        os.close(fd)
        fd = child
    os.close(fd)


def make(folder, kind, name, size):
    """One entry called ``name`` (bytes) in ``folder``; an existing name is left alone."""
    raw = os.fsencode(folder) + b"/" + name
    if os.path.lexists(raw):
        return
    if kind in ("file", "empty", "sparse"):
        with open(raw, "wb") as f:
            if kind == "file":
                f.write(b"x" * size)
            elif kind == "sparse":
                f.truncate(size * 1024 * 1024)
    elif kind == "fifo":
        os.mkfifo(raw)
    elif kind == "socket":
        here = os.getcwd()
        os.chdir(folder)                        # a socket's path is limited to 108 bytes
        try:
            server = socket.socket(socket.AF_UNIX)
            server.bind(name[:100])
            server.close()
        except OSError:
            pass
        finally:
            os.chdir(here)
    elif kind == "symlink":
        os.symlink(b"/etc/passwd", raw)
    elif kind == "loop":
        os.symlink(name, raw)                   # points at itself
    elif kind == "hardlink":
        os.link(os.path.join(folder, "demo.ipynb"), raw)
    else:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            _deep(fd, name, size * 5)
        finally:
            os.close(fd)


@pytest.mark.slow
@settings(max_examples=5, derandomize=True, deadline=None, database=None, phases=[Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(entries)
def test_any_files_end_graded_or_listed(demo_template, spec):
    require("bwrap", "sandboxed grading")
    with tempfile.TemporaryDirectory(prefix="hostile-files-") as tmp:
        root = Path(tmp) / "course"
        shutil.copytree(demo_template, root)
        course = DemoCourse(root)
        course.submit("classmate", SOLUTIONS)
        folder = course.submit("hostile", SOLUTIONS).parent
        for kind, name, size in spec:
            make(folder, kind, name, size)

        first = course.grade()
        assert first.graded + first.failed == 2, first
        report = course.report()["submissions"]
        assert report["classmate"]["status"] == "graded" and course.total("classmate") == MAX_SCORE
        hostile = report["hostile"]
        assert hostile["status"] == "graded" or hostile.get("reason"), hostile
        if hostile["status"] == "graded":
            assert course.total("hostile") == MAX_SCORE
        text = (root / "autograded" / ".grading" / "demo" / "report.md").read_text(encoding="utf-8")
        assert "hostile" in text and not any(c in text for c in "\x00\x07\x1b")
        journal = (root / "autograded" / ".grading" / "demo" / "journal.jsonl").read_text(encoding="ascii")
        assert [json.loads(line)["student"] for line in journal.splitlines()].count("hostile") == 1

        again = course.grade()                  # the same files: nothing to regrade, no crash either
        assert again.skipped == first.graded and again.failed == first.failed, again
