"""File names of an LMS's "download all submissions" zip, for ``nbgrader zip_collect`` (see nbgrader_config.py).

``nbgrader zip_collect ASSIGNMENT`` unpacks ``downloaded/ASSIGNMENT/archive/*.zip`` into ``.../extracted/`` and asks
this plugin, for every file, which student it belongs to and which file of the assignment it is.  Two namings are
understood (the file name inside the zip; the original name may have gained a suffix such as ``-1``):

* **Canvas**: ``<name>_<user id>_<submission id>_<original name>``, with ``LATE_`` (or ``late_``) after the name when
  Canvas marked the submission late, e.g. ``doejane_LATE_12345_6789012_ps01_neuron-1.ipynb``.  The student id is
  Canvas's numeric user id (the ``ID`` column of Canvas's gradebook, which ``python -m grading export --format
  canvas`` fills in).
* **Moodle**: ``<Full Name>_<participant id>_assignsubmission_file_<original name>``, or the same as a folder
  (``<Full Name>_<participant id>_assignsubmission_file_/<original name>``, "download submissions in folders").
  The student id is the name, lower case, with every run of other characters than letters and digits replaced by
  ``-``, followed by Moodle's participant id (``Jane Doe``, 4242 -> ``jane-doe-4242``): two students whose names
  read alike ("Jane Doe" and "JANE-DOE") never share an id.  Moodle's participant id belongs to one assignment (it
  is the "Participant 4242" of that assignment's grading worksheet), so the same student has another id in the
  next assignment.

A file whose student and notebook were already collected in this run (the same download unpacked twice, or the
folder and the flat form of one submission) would stop nbgrader's whole ``zip_collect`` ("Duplicate submission
file"): it is collected under a numbered name instead (``demo (2).ipynb``), with a warning, and grading then lists it
(``extra-notebook``, or a failure naming both files when neither has the notebook's own name).

Another LMS: set nbgrader's ``c.FileNameCollectorPlugin.named_regexp`` and it is used instead.

A Canvas "late" mark is kept in ``downloaded/ASSIGNMENT/late.json`` (student id -> the file names) and shown by the
report and ``python -m grading export --format csv``.  The LMS gives no submission time, so no ``timestamp.txt``
is written and the late-submission penalty (which needs one) does not apply to LMS downloads.
"""
from __future__ import annotations

import json
import os
import re

from nbgrader.plugins.zipcollect import FileNameCollectorPlugin

CANVAS = re.compile(r"(?P<name>[^/_]+)_(?:(?P<late>late)_)?(?P<student_id>\d+)_(?P<submission>\d+)_"
                    r"(?P<file_id>[^/]+)$", re.IGNORECASE)
MOODLE = re.compile(r"(?P<name>[^/]*?)_(?P<participant>\d+)_assignsubmission_file_?/?(?P<file_id>[^/]+)$")
LATE_FILE = "late.json"


def moodle_student_id(name, participant):
    """``jane-doe-4242``: the name, readable, and the participant id, which no other participant has."""
    readable = re.sub(r"[\W_]+", "-", name.strip().lower()).strip("-")
    return f"{readable}-{participant}" if readable else participant


def parse(path):
    """{'student_id', 'file_id', 'lms', 'late'} from a downloaded file's path, or None if neither LMS named it."""
    path = path.replace(os.sep, "/")
    tail = "/".join(path.split("/")[-2:])           # Moodle's folder form puts the student in the folder's name
    moodle = MOODLE.search(tail)
    if moodle:
        return {"student_id": moodle_student_id(moodle["name"], moodle["participant"]), "file_id": moodle["file_id"],
                "lms": "moodle",
                "late": False}
    canvas = CANVAS.match(path.split("/")[-1])
    if canvas:
        return {"student_id": canvas["student_id"], "file_id": canvas["file_id"], "lms": "canvas",
                "late": bool(canvas["late"])}
    return None


def late_marks(course_root, assignment, downloaded="downloaded"):
    """student id -> file names the LMS marked late, as the last ``nbgrader zip_collect`` found them."""
    path = os.path.join(course_root, downloaded, assignment, LATE_FILE)
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


class LMSFileNames(FileNameCollectorPlugin):
    """The collector plugin of ``nbgrader zip_collect`` for Canvas's and Moodle's download names."""

    def collect(self, submitted_file):
        if self.named_regexp:           # an instructor's own c.FileNameCollectorPlugin.named_regexp wins
            return super().collect(submitted_file)
        if os.path.splitext(submitted_file)[1] not in self.valid_ext:
            return None
        info = parse(submitted_file)
        if info is None:
            self.log.warning("Skipped %s: neither Canvas's nor Moodle's download naming (see grading/lms.py)",
                             submitted_file)
            return None
        self._remember_late(info, os.path.basename(submitted_file))
        return {"student_id": info["student_id"], "file_id": self._unique_file_id(info, submitted_file)}

    def _unique_file_id(self, info, submitted_file):
        """The file id, numbered if this student's file of that name was already collected in this run (nbgrader
        would stop the whole collection at the second one)."""
        if not hasattr(self, "_collected"):
            self._collected = set()         # (student id, file name as nbgrader stores it) of this run
        stem, suffix = os.path.splitext(info["file_id"])
        ext = os.path.splitext(submitted_file)[1]       # nbgrader names the file stem + the file's own extension
        candidate, number = stem, 1
        while (info["student_id"], candidate + ext) in self._collected:
            number += 1
            candidate = f"{stem} ({number})"
        if number > 1:
            self.log.warning("%s: student %s already has a file %s in this download; collected as %s",
                             submitted_file, info["student_id"], stem + ext, candidate + ext)
        self._collected.add((info["student_id"], candidate + ext))
        return candidate + suffix

    def _remember_late(self, info, filename):
        app = self.parent
        if app is None or not hasattr(app, "coursedir"):
            return
        if not hasattr(self, "_late"):
            self._late = {}                 # a fresh record for every zip_collect run
        if info["late"]:
            self._late.setdefault(info["student_id"], []).append(filename)
        folder = os.path.join(app.coursedir.root, app.downloaded_directory, app.coursedir.assignment_id)
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, LATE_FILE), "w", encoding="utf-8") as f:
            json.dump(self._late, f, indent=1, ensure_ascii=False)
