"""Turn a submitted notebook into what is graded: the student's own cells, and every locked and test cell
restored from the source — whatever the student did to them (edited, deleted, duplicated, metadata changed).

``plan_notebook`` returns the autograded notebook's cells (release versions of locked/test cells, the student's
answers in solution cells, the student's extra cells), which of them run in the sandbox (never a test cell), and
flags for the instructor (``suspicious.scan_code`` adds flags for code that looks like an attempt to cheat).
"""
from __future__ import annotations

import copy
import json
import os
from dataclasses import dataclass, field

from .. import flags as flag

MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024
NBGRADER_KEYS = ("grade", "solution", "locked", "task", "points", "grade_id")


@dataclass
class Plan:
    cells: list                                  # the autograded notebook's cells (nbformat dicts)
    run: list                                    # positions (into cells) of the code cells to execute
    tests: dict                                  # test grade_id -> position in cells
    positions: dict                              # grade_id of every source cell -> position in cells
    flags: list = field(default_factory=list)    # (code, message)
    unanswered: set = field(default_factory=set)   # solution cells left exactly as released


def read_notebook(path):
    """(notebook dict, None) or (None, why it cannot be graded)."""
    if os.path.islink(path):
        return None, "the notebook is a symbolic link, not a file (it was not opened)"
    if not os.path.exists(path):
        return None, "the notebook was not submitted"
    if not os.path.isfile(path):
        return None, "the notebook is not a regular file"
    if os.path.getsize(path) > MAX_NOTEBOOK_BYTES:
        return None, f"the notebook is larger than {MAX_NOTEBOOK_BYTES // 2**20} MB"
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        with open(fd, "rb") as f:
            nb = json.loads(f.read(MAX_NOTEBOOK_BYTES + 1).decode("utf-8"))
    except OSError as error:
        return None, f"the notebook could not be read ({os.strerror(error.errno or 0)})"
    except (ValueError, UnicodeDecodeError, RecursionError) as error:
        return None, f"the notebook is not valid JSON ({type(error).__name__})"
    if type(nb) is not dict or type(nb.get("cells")) is not list:
        return None, "the file is not a Jupyter notebook (no list of cells)"
    return nb, None


def _text(source):
    if isinstance(source, str):
        return source
    if isinstance(source, list):
        return "".join(part for part in source if isinstance(part, str))
    return ""


def _student_cell(raw):
    """(cell_type, source, nbgrader metadata or None) of a raw cell, or None if it is not a cell at all."""
    if type(raw) is not dict or raw.get("cell_type") not in ("code", "markdown", "raw"):
        return None
    metadata = raw.get("metadata") if type(raw.get("metadata")) is dict else {}
    nbgrader = metadata.get("nbgrader") if type(metadata.get("nbgrader")) is dict else None
    return raw["cell_type"], _text(raw.get("source")), nbgrader


def _new_cell(cell_type, source, metadata=None):
    cell = {"cell_type": cell_type, "metadata": metadata or {}, "source": source}
    if cell_type == "code":
        cell.update(outputs=[], execution_count=None)
    return cell


def _release_cell(spec_cell):
    cell = copy.deepcopy(spec_cell.release)
    cell["source"] = _text(cell.get("source", ""))
    if cell["cell_type"] == "code":
        cell.update(outputs=[], execution_count=None)
    return cell


def _same_metadata(student_meta, release_meta):
    return all(student_meta.get(key) == release_meta.get(key) for key in NBGRADER_KEYS
               if key in student_meta or key in release_meta)


def plan_notebook(spec, nb):
    """Reconcile a submitted notebook with its source (see the module docstring)."""
    cells, runs, flags, unanswered = [], [], [], set()
    positions = {}                      # source grade_id -> position in cells
    for raw in nb["cells"]:
        parsed = _student_cell(raw)
        if parsed is None:
            flags.append((flag.BAD_CELL, "a cell that is not a notebook cell was ignored"))
            continue
        cell_type, source, meta = parsed
        grade_id = meta.get("grade_id") if meta and type(meta.get("grade_id")) is str else None
        original = spec.by_id.get(grade_id)
        if original is not None and original.kind != "plain":
            release_meta = original.release.get("metadata", {}).get("nbgrader", {})
            release_source = _text(original.release.get("source", ""))
            if grade_id in positions:
                flags.append((flag.DUPLICATED_CELL, f"cell {grade_id} appears more than once"))
                if original.kind == "solution" and cell_type == "code":      # keep the code, as a plain cell
                    runs.append(len(cells))
                    cells.append(_new_cell("code", source))
                continue
            positions[grade_id] = len(cells)
            if original.kind in ("test", "locked"):
                if cell_type != original.cell_type or source.rstrip() != release_source.rstrip():
                    code = flag.EDITED_TEST_CELL if original.kind == "test" else flag.EDITED_LOCKED_CELL
                    flags.append((code, f"{original.kind} cell {grade_id} was changed; the original was used"))
                elif not _same_metadata(meta, release_meta):
                    flags.append((flag.METADATA_CHANGED, f"the nbgrader metadata of cell {grade_id} was changed"))
                if original.kind == "locked" and original.cell_type == "code":
                    runs.append(len(cells))
                cells.append(_release_cell(original))
            else:                                                           # the student's answer
                if not _same_metadata(meta, release_meta) or cell_type != original.cell_type:
                    flags.append((flag.METADATA_CHANGED, f"the nbgrader metadata of cell {grade_id} was changed"))
                if source.rstrip() == release_source.rstrip():
                    unanswered.add(grade_id)
                cell = _new_cell(original.cell_type, source, copy.deepcopy(original.release.get("metadata", {})))
                if original.cell_type == "code":
                    runs.append(len(cells))
                cells.append(cell)
            continue
        if meta and any(meta.get(key) for key in ("grade", "solution", "locked", "task")):
            flags.append((flag.UNKNOWN_CELL, f"a cell claims to be nbgrader cell {grade_id!r}, which the source does "
                                          f"not have; it was treated as an ordinary cell"))
        if cell_type == "code":
            runs.append(len(cells))
        cells.append(_new_cell(cell_type, source))

    # Restore every locked, test and solution cell that is missing, after the source cell that precedes it.
    order = [c for c in spec.cells if c.grade_id and c.kind != "plain"]
    for i, original in enumerate(order):
        if original.grade_id in positions:
            continue
        kinds = {"test": flag.DELETED_TEST_CELL, "locked": flag.DELETED_LOCKED_CELL,
                 "solution": flag.DELETED_SOLUTION_CELL}
        flags.append((kinds[original.kind], f"{original.kind} cell {original.grade_id} was missing and was "
                                            f"restored from the source"))
        before = [positions[c.grade_id] for c in order[:i] if c.grade_id in positions]
        at = max(before) + 1 if before else 0
        cells.insert(at, _release_cell(original))
        runs = [p + 1 if p >= at else p for p in runs]
        positions = {k: (p + 1 if p >= at else p) for k, p in positions.items()}
        positions[original.grade_id] = at
        if original.kind != "test" and original.cell_type == "code":
            runs.append(at)
        if original.kind == "solution":
            unanswered.add(original.grade_id)
    tests = {gid: p for gid, p in positions.items() if spec.by_id[gid].kind == "test"}
    return Plan(cells=cells, run=sorted(runs), tests=tests, positions=positions, flags=flags, unanswered=unanswered)
