"""The watcher's side of nbgrader's exchange: new folders in ``inbound/``, copies of them, feedback files.

``nbgrader submit`` (0.9.6, ``exchange/default/submit.py``) writes
``<exchange>/<course>/inbound/<student>+<assignment>+<timestamp>+<random>/`` — the notebooks, then
``timestamp.txt`` and ``submission_secret.txt`` — and finally makes the folder mode 0777.  ``fetch_feedback`` looks
for ``<exchange>/<course>/feedback/<md5(secret + notebook name)>.html`` for every notebook of the student's cached
copy of that submission, so feedback is released under each submitted notebook's own name (renamed ones too).

Students write the inbound folder: its names, files and modes are theirs.  Nothing here follows a link or opens
anything but folders and regular files (``grading.files.walk``); the copy in the course folder is the
instructor's, 0700 folders and 0600 files.
"""
from __future__ import annotations

import hashlib
import os
import stat
import time
from dataclasses import dataclass
from pathlib import Path

from nbgrader.utils import notebook_hash

from ..files import open_entry, walk

SECRET = "submission_secret.txt"
TIMESTAMP = "timestamp.txt"
NOT_COPIED = {SECRET, TIMESTAMP}        # kept in the watcher's ledger; a resubmission of the same files is "same"
SETTLE_SECONDS = 10                      # a folder not yet 0777 is taken this long after it was first seen
MAX_COPY_BYTES = 64 * 1024 * 1024        # the whole copy (the sandbox takes at most Limits.max_submission_mb)


@dataclass
class Arrival:
    name: str               # the inbound folder's name (chosen by the student's nbgrader, or by the student)
    student: str
    timestamp: str
    owner: int              # uid that owns the folder


def parse(name, assignment):
    """(student, timestamp) of an inbound folder name of ``assignment`` (as ``nbgrader collect`` splits it)."""
    parts = name.rsplit("+", 3)
    if len(parts) != 4 or parts[1] != assignment or not parts[0] or name.startswith("."):
        return None
    return parts[0], parts[2]


class Inbound:
    """New, complete submissions of one assignment in the exchange's inbound folder (polled)."""

    def __init__(self, exchange_course, assignment):
        self.folder = Path(exchange_course) / "inbound"
        self.assignment = assignment
        self.first_seen = {}

    def arrivals(self, known):
        """Complete folders of the assignment whose names are not in ``known``, oldest first."""
        found = []
        try:
            entries = list(os.scandir(self.folder))
        except OSError:
            return found
        for entry in entries:
            parsed = parse(entry.name, self.assignment)
            if parsed is None or entry.name in known:
                continue
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if not stat.S_ISDIR(info.st_mode) or not self._complete(entry, info):
                continue
            found.append((info.st_mtime, Arrival(entry.name, parsed[0], parsed[1], info.st_uid)))
        return [arrival for _, arrival in sorted(found, key=lambda pair: (pair[0], pair[1].name))]

    def _complete(self, entry, info):
        """nbgrader submit has finished: the secret is there and the folder is 0777 (its last step), or the
        folder has been there for SETTLE_SECONDS (a student's own tool)."""
        secret = os.path.join(entry.path, SECRET)
        if not os.path.isfile(secret) or os.path.islink(secret) or os.path.getsize(secret) == 0:
            return False
        first = self.first_seen.setdefault(entry.name, time.monotonic())
        return stat.S_IMODE(info.st_mode) == 0o777 or time.monotonic() - first >= SETTLE_SECONDS

    def secret(self, name):
        path = self.folder / name / SECRET
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                raise OSError(f"{SECRET} is not a regular file")
            return f.read(1024).decode("utf-8", "replace")

    def notebook_ids(self, name):
        """The names (without .ipynb) of the submission's top-level notebooks, as fetch_feedback globs them."""
        try:
            return sorted(e.name[:-6] for e in os.scandir(self.folder / name)
                          if e.name.endswith(".ipynb") and not e.name.startswith(".")
                          and e.is_file(follow_symlinks=False))
        except OSError:
            return []


def copy_submission(source, destination):
    """Copy the folders and regular files of ``source`` (never links, FIFOs, devices) to ``destination``, 0700
    folders and 0600 files owned by this process; at most MAX_COPY_BYTES in all.  Returns what was left out."""
    destination = Path(destination)
    destination.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(destination, 0o700)
    skipped, left = [], MAX_COPY_BYTES
    for entry in walk(source, skip_dirs=(".ipynb_checkpoints",)):
        target = destination / entry.path
        if entry.kind == "dir":
            target.mkdir(mode=0o700, exist_ok=True)
        elif entry.kind == "file" and entry.path not in NOT_COPIED and entry.size <= left:
            f = open_entry(entry)
            if f is None:
                skipped.append(entry.path)
                continue
            with f, open(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600), "wb") as out:
                left -= out.write(f.read(left))
        elif entry.path not in NOT_COPIED and entry.kind != "dir":
            skipped.append(entry.path)
    return skipped


def release_feedback(exchange_course, secret, notebook_ids, html):
    """Put ``html`` where ``nbgrader fetch_feedback`` looks for each notebook of the submission (a temporary
    name first, then ``os.replace``: a half-written feedback file is never visible).  nbgrader's modes: the
    feedback folder 0711 (others find a file only by its hash), the file 0644."""
    folder = Path(exchange_course) / "feedback"
    if not folder.is_dir():
        folder.mkdir(mode=0o711, parents=True)
        os.chmod(folder, 0o711)
    paths = []
    for notebook_id in notebook_ids:
        path = folder / f"{notebook_hash(secret=secret, notebook_id=notebook_id)}.html"
        temporary = folder / f".{path.stem}.tmp{os.getpid()}"
        with open(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o644), "w",
                  encoding="utf-8") as f:
            f.write(html)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
        paths.append(path)
    return paths


def staging_name(name):
    """A safe folder name for an inbound name the student chose (any bytes)."""
    return hashlib.sha256(os.fsencode(name)).hexdigest()[:32]
