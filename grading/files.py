"""Reading a student's folder without trusting it: any names, any depth, any file types, any sizes.

``walk(folder)`` lists what is in a submission the only safe way: through directory file descriptors (so no
path ever grows past PATH_MAX), never following a symbolic link, never opening anything but folders (a FIFO or
a device would block or worse), at most MAX_DEPTH folders deep and MAX_ENTRIES entries in all.  Names stay as
the operating system gives them (``str`` with surrogate escapes for bytes that are not UTF-8); ``readable``
turns one into text that is safe to print, store as JSON and show in a report.

Both the parent (the submission's key, ``grading.journal``) and the worker (the sandbox's copy,
``grading.marking.sandbox``) use it.
"""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass

MAX_DEPTH = 24              # folders below the submission's own
MAX_ENTRIES = 10_000        # files, folders and links listed in all
MAX_PATH = 1024             # characters of a relative path
SKIPPED_DIRS = (".ipynb_checkpoints", "__pycache__")


@dataclass
class Entry:
    path: str                   # relative to the folder, "/"-separated (may hold surrogate escapes)
    kind: str                   # dir, file, symlink, other (FIFO, socket, device), too-deep, too-many, unreadable
    size: int = 0
    mtime_ns: int = 0
    target: str = ""            # where a symbolic link points
    dir_fd: int | None = None   # open while the walk is at this entry (for ``open_entry``)
    name: str = ""
    mode: int = 0               # st_mode and owner of a dir, file or other (who else could change it)
    uid: int = -1


def readable(name, limit=160):
    """``name`` as printable text: bytes that are not UTF-8 and control characters escaped, long names cut."""
    text = os.fsencode(name).decode("utf-8", "backslashreplace") if isinstance(name, str) else \
        bytes(name).decode("utf-8", "backslashreplace")
    text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    return text if len(text) <= limit else text[:limit] + "…"


def walk(folder, skip_dirs=()):
    """Yield an Entry for everything under ``folder`` (see the module docstring); never raises OSError."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError as error:
        yield Entry("", "unreadable", target=os.strerror(error.errno or 0))
        return
    try:
        yield from _walk(fd, "", 0, [0], skip_dirs)
    finally:
        os.close(fd)


def _walk(fd, prefix, depth, count, skip_dirs):
    try:
        names = sorted(os.listdir(fd))
    except OSError as error:
        yield Entry(prefix, "unreadable", target=os.strerror(error.errno or 0))
        return
    for name in names:
        count[0] += 1
        if count[0] > MAX_ENTRIES:
            yield Entry(prefix, "too-many")
            return
        path = f"{prefix}/{name}" if prefix else name
        try:
            info = os.stat(name, dir_fd=fd, follow_symlinks=False)
        except OSError as error:
            yield Entry(path, "unreadable", target=os.strerror(error.errno or 0))
            continue
        mode = info.st_mode
        if stat.S_ISDIR(mode):
            if name in skip_dirs:
                continue
            if depth >= MAX_DEPTH or len(path) > MAX_PATH:
                yield Entry(path, "too-deep")
                continue
            try:
                child = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
            except OSError as error:
                yield Entry(path, "unreadable", target=os.strerror(error.errno or 0))
                continue
            try:
                yield Entry(path, "dir", mode=mode, uid=info.st_uid)
                yield from _walk(child, path, depth + 1, count, skip_dirs)
            finally:
                os.close(child)
        elif stat.S_ISREG(mode):
            kind = "file" if len(path) <= MAX_PATH else "too-deep"
            yield Entry(path, kind, info.st_size, info.st_mtime_ns, dir_fd=fd, name=name, mode=mode, uid=info.st_uid)
        elif stat.S_ISLNK(mode):
            try:
                target = os.readlink(name, dir_fd=fd)
            except OSError:
                target = "?"
            yield Entry(path, "symlink", target=target)
        else:
            yield Entry(path, "other", mode=mode, uid=info.st_uid)


def open_entry(entry):
    """A binary file object of a regular file the walk is at (None if it is no longer a regular file)."""
    try:
        fd = os.open(entry.name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=entry.dir_fd)
    except OSError:
        return None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        return None
    return os.fdopen(fd, "rb")
