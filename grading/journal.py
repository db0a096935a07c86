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

from .files import open_entry, walk


MAX_HASHED_BYTES = 64 * 1024 * 1024     # per file: beyond it, the size and modification time stand for the rest


def submission_key(folder, fingerprint, linked=False):
    """Hash of the assignment's source fingerprint and the submission's files (names and contents).

    Never raises and never blocks on what a student put in the folder (``grading.files.walk``): odd names,
    deep folders, FIFOs, loops of links and huge files all give a key.
    """
    digest = hashlib.sha256(fingerprint.encode())
    if linked:                          # a symbolic link is never read: only where it points counts
        digest.update(b"symlink:" + os.fsencode(os.path.realpath(folder)))
        return digest.hexdigest()
    for entry in walk(folder):
        digest.update(f"{entry.kind}:".encode() + os.fsencode(entry.path) + b"\0")
        if entry.kind == "symlink":
            digest.update(os.fsencode(entry.target) + b"\0")
        elif entry.kind == "file":
            digest.update(f"{entry.size}\0".encode())
            _hash_file(digest, entry)
    return digest.hexdigest()


def _hash_file(digest, entry):
    f = open_entry(entry)
    if f is None:
        digest.update(b"unreadable\0")
        return
    with f:
        left = MAX_HASHED_BYTES
        try:
            for block in iter(lambda: f.read(min(1 << 20, left)), b""):
                digest.update(block)
                left -= len(block)
                if left <= 0:
                    digest.update(f"mtime:{entry.mtime_ns}".encode())
                    break
        except OSError:
            digest.update(b"unreadable\0")


class Journal:
    def __init__(self, path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)

    def latest(self):
        """student -> their latest entry (a line cut short by a killed run is ignored)."""
        entries = {}
        for entry in self.entries():
            if isinstance(entry.get("student"), str):
                entries[entry["student"]] = entry
        return entries

    def entries(self):
        """Every line that is a JSON object, in order (a line cut short by a killed run is skipped)."""
        if not self.path.exists():
            return
        for line in self.path.read_text(errors="replace").splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if isinstance(entry, dict):
                yield entry

    def append(self, entry):
        entry = dict(entry, time=time.strftime("%Y-%m-%d %H:%M:%S"))
        with open(self.path, "a", encoding="ascii") as f:       # ASCII JSON: any text can be written
            f.write(json.dumps(entry, ensure_ascii=True) + "\n")
            f.flush()
            os.fsync(f.fileno())


class RunLock:
    """One grading run per course at a time: the gradebook has a single writer.

    A POSIX record lock (``lockf``): it belongs to this process alone, so forked grading workers do not hold it,
    and the kernel drops it the moment this process dies, however it dies (``kill -9`` included): a rerun can
    start at once.  POSIX locks do not exclude the same process, so paths held here are remembered too.
    """
    _held = set()

    def __init__(self, path):
        self.path = Path(path)

    def __enter__(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.key = os.path.realpath(self.path)
        if self.key in RunLock._held:       # (opening the file again and closing it would drop the lock)
            self._refuse(f"pid {os.getpid()}")
        self.file = open(self.path, "a+")
        try:
            fcntl.lockf(self.file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except (BlockingIOError, PermissionError):
            self.file.seek(0)
            holder = self.file.read().strip() or "another process"
            self.file.close()
            self._refuse(holder)
        RunLock._held.add(self.key)
        self.file.seek(0)
        self.file.truncate()
        self.file.write(f"pid {os.getpid()}\n")
        self.file.flush()
        return self

    def _refuse(self, holder):
        raise RuntimeError(f"another grading run is in progress in this course ({holder}; lock file "
                           f"{self.path}); wait for it to finish") from None

    def __exit__(self, *exc):
        RunLock._held.discard(self.key)
        fcntl.lockf(self.file, fcntl.LOCK_UN)
        self.file.close()
