"""Collected submissions are the instructor's alone: at collect, and checked again before grading.

``nbgrader collect`` copies a submission from the exchange with the modes it had there, and ``nbgrader submit``
makes the submission's folder ``drwxrwxrwx`` (so that the instructor may delete it): a collected copy in
``submitted/<student>/<assignment>/`` could then be replaced by any account before autograde.
``PrivateCollect`` (set as ``c.ExchangeFactory.collect`` in nbgrader_config.py) copies as nbgrader does, then takes
group and other access away.  ``changeable_by_others`` is what ``python -m grading autograde`` checks first: it
refuses a submission that an account other than the instructor's (or root) owns or may write, rather than quietly
fixing the modes of a folder that may already have been changed.
"""
from __future__ import annotations

import os
import stat

from nbgrader.exchange.default.collect import ExchangeCollect

from .files import readable, walk


def make_private(path):
    """``path`` and everything below it: no access for group and others (symbolic links are left as they are)."""
    for folder, dirs, files in os.walk(path):
        for name in [folder, *(os.path.join(folder, n) for n in dirs + files)]:
            mode = os.lstat(name).st_mode
            if not stat.S_ISLNK(mode):
                os.chmod(name, stat.S_IMODE(mode) & 0o700)


class PrivateCollect(ExchangeCollect):
    """``nbgrader collect``, but the collected copy is the instructor's alone (0700 folders, no group/other bits)."""

    def do_copy(self, src, dest, log=None):
        super().do_copy(src, dest, log)
        make_private(dest)


def _changeable(mode, uid, trusted):
    return uid not in trusted or bool(stat.S_IMODE(mode) & (stat.S_IWGRP | stat.S_IWOTH))


def changeable_by_others(submission_path, owner_uid):
    """Paths in or above a submission folder (up to ``submitted/``) that an account other than ``owner_uid``, the
    grader's and root could change: owned by another account, or writable by group or others."""
    trusted = {0, os.geteuid(), owner_uid}
    found = []
    for path in (submission_path.parent.parent, submission_path.parent, submission_path):
        info = os.lstat(path)
        if not stat.S_ISLNK(info.st_mode) and _changeable(info.st_mode, info.st_uid, trusted):   # a link's mode is moot
            found.append(f"{path} ({stat.filemode(info.st_mode)})")
    if os.path.isdir(submission_path) and not os.path.islink(submission_path):
        for entry in walk(submission_path):
            if entry.kind in ("dir", "file", "other") and _changeable(entry.mode, entry.uid, trusted):
                found.append(f"{submission_path}/{readable(entry.path)} ({stat.filemode(entry.mode)})")
    return found
