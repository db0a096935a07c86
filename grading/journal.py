"""What a grading run has finished, so a re-run or a resumed run skips it: an append-only JSON-lines journal.

One line per finished submission (graded or failed), written after its grades and autograded notebook are
saved and flushed to disk.  The key of a submission is a hash of the grader version, the source's tests and every
file the student submitted: a resubmission or a changed test gets a new key and is graded again.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import time
from pathlib import Path


def submission_key(folder, fingerprint, linked=False):
    """Hash of the assignment's source fingerprint and the submission's files (names and contents)."""
    digest = hashlib.sha256(fingerprint.encode())
    folder = Path(folder)
    if linked:                          # a symbolic link is never read: only where it points counts
        digest.update(b"symlink:" + os.path.realpath(folder).encode(errors="replace"))
        return digest.hexdigest()
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath, name)
            digest.update(str(path.relative_to(folder)).encode(errors="replace") + b"\0")
            if path.is_symlink():
                digest.update(b"symlink:" + os.readlink(path).encode(errors="replace"))
            elif path.is_file():
                with open(path, "rb") as f:
                    for block in iter(lambda: f.read(1 << 20), b""):
                        digest.update(block)
    return digest.hexdigest()


class Journal:
    def __init__(self, path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)

    def latest(self):
        """student -> their latest entry (a line cut short by a killed run is ignored)."""
        entries = {}
        if self.path.exists():
            for line in self.path.read_text(errors="replace").splitlines():
                try:
                    entry = json.loads(line)
                except ValueError:
                    continue
                if isinstance(entry, dict) and isinstance(entry.get("student"), str):
                    entries[entry["student"]] = entry
        return entries

    def append(self, entry):
        entry = dict(entry, time=time.strftime("%Y-%m-%d %H:%M:%S"))
        with open(self.path, "a", encoding="utf-8") as f:
            f.write(json.dumps(entry, ensure_ascii=False) + "\n")
            f.flush()
            os.fsync(f.fileno())


class RunLock:
    """One grading run per course at a time: the gradebook has a single writer."""

    def __init__(self, path):
        self.path = Path(path)

    def __enter__(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.file = open(self.path, "a+")
        try:
            fcntl.flock(self.file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.file.seek(0)
            holder = self.file.read().strip() or "another process"
            self.file.close()
            raise RuntimeError(f"another grading run is in progress in this course ({holder}; lock file "
                               f"{self.path}); wait for it to finish") from None
        self.file.seek(0)
        self.file.truncate()
        self.file.write(f"pid {os.getpid()}\n")
        self.file.flush()
        return self

    def __exit__(self, *exc):
        fcntl.flock(self.file, fcntl.LOCK_UN)
        self.file.close()
