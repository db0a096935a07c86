"""``python -m grading check NOTEBOOK``: a student's self-check before submitting.

Runs the notebook top to bottom in a fresh kernel with what grading allows: the kernel of ``graded_kernel.py`` (the
one nbgrader's Validate uses too), which has NumPy and ``grading.asserts`` but not nnlib, as the grading sandbox (an
answer that uses nnlib fails here as it would when graded).  Then it lists every test cell that fails with its
message, and exits with status 1 if any does (``nbgrader validate`` exits 0 even then).  Only the visible tests run:
the hidden ones are in the instructor's copy and run when the notebook is graded.  A file that is not a notebook,
or a cell that does not finish, is reported in one line.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys

import nbformat

from grading.graded_kernel import UNAVAILABLE, kernel_manager

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _is_test(cell):
    meta = cell.metadata.get("nbgrader", {})
    return cell.cell_type == "code" and meta.get("grade") and not meta.get("solution")


def _error(cell):
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            evalue = ANSI.sub("", str(output.get("evalue", ""))).strip()
            return f"{output.get('ename', 'Error')}: {evalue}" if evalue else output.get("ename", "Error")
    return None


def _changed(cell):
    from nbgrader.utils import compute_checksum
    checksum = cell.metadata.get("nbgrader", {}).get("checksum")
    try:
        return checksum is not None and compute_checksum(cell) != checksum
    except Exception:
        return False


def _points(n):
    return f"{n:g} point" + ("" if n == 1 else "s")


def run_notebook(nb, folder, timeout):
    """Execute ``nb`` in place in ``folder``; None, or why it did not run to the end (one line)."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    client = NotebookClient(nb, km=kernel_manager(), timeout=timeout, allow_errors=True,
                            resources={"metadata": {"path": folder}})
    running = [None]                # the index of the cell being executed
    client.on_cell_start = lambda cell, cell_index: running.__setitem__(0, cell_index)
    env = dict(os.environ, NBGRADER_VALIDATING="1", NBGRADER_EXECUTION="validate")     # as nbgrader validate's
    try:
        # the kernel's own log (warnings, its traceback when a cell is interrupted) is not the student's business
        client.execute(env=env, stderr=subprocess.DEVNULL)
    except CellTimeoutError:
        first = (nb.cells[running[0]].source.strip().splitlines() or [""])[0][:60]
        return (f"cell {running[0]} ({first!r}) did not finish within {timeout:g} s (an endless loop, or too "
                f"slow?); it and the cells after it did not run")
    except DeadKernelError as error:
        return f"the kernel died in cell {running[0]} ({ANSI.sub('', str(error)).strip()[:200]})"
    except Exception as error:      # the kernel could not start
        last = (ANSI.sub("", str(error)).strip().splitlines() or [""])[-1]
        return f"{type(error).__name__}: {last}"
    return None


def _read(path):
    """(notebook, None) or (None, one line saying why it cannot be checked)."""
    if not os.path.isfile(path):
        return None, f"no such notebook: {path}"
    try:
        return nbformat.read(path, as_version=4), None
    except Exception as error:          # not JSON, not a notebook, not UTF-8
        reason = (ANSI.sub("", str(error)).strip().splitlines() or [type(error).__name__])[0]
        reason = "it is not valid JSON: cut short, or edited outside Jupyter" if "JSON" in reason else reason[:160]
        return None, (f"{path} is not a notebook Jupyter can open ({reason}); restore it from a checkpoint "
                      f"(File > Revert Notebook to Checkpoint) or fetch the assignment again")


def check(path, timeout=120, out=sys.stdout):
    """Run the visible tests of one notebook; print what fails; return the exit status (0 = all pass)."""
    nb, problem = _read(path)
    if nb is None:
        print(problem, file=out)
        return 2
    tests = [cell for cell in nb.cells if _is_test(cell)]
    changed = [cell.metadata.nbgrader.get("grade_id") for cell in tests if _changed(cell)]
    print(f"Checking {path} as it is graded: a fresh kernel with NumPy and grading.asserts, without "
          f"{', '.join(UNAVAILABLE)} (grading does not provide it). Visible tests only: hidden tests also run when "
          f"it is graded …", file=out)
    problem = run_notebook(nb, os.path.dirname(os.path.abspath(path)), timeout)

    failed, points, total = [], 0.0, 0.0
    for cell in tests:
        meta = cell.metadata.nbgrader
        cell_points = float(meta.get("points") or 0)
        total += cell_points
        error = _error(cell)
        ran = cell.get("execution_count") is not None or cell.get("outputs")
        if error is None and ran:
            points += cell_points
            print(f"  ✔ {meta.get('grade_id')} ({_points(cell_points)})", file=out)
        else:
            failed.append(meta.get("grade_id"))
            print(f"  ✘ {meta.get('grade_id')} ({_points(cell_points)}): {error or 'did not run'}", file=out)
    own_errors = [(i, _error(cell)) for i, cell in enumerate(nb.cells)       # (an interrupted cell is in problem)
                  if cell.cell_type == "code" and not _is_test(cell)
                  and _error(cell) not in (None, "KeyboardInterrupt")]
    for index, error in own_errors:
        print(f"  ! cell {index} (not a test) raised {error}", file=out)
    if changed:
        print(f"  ! test cells changed from the released version (the originals are used when grading): "
              f"{', '.join(map(str, changed))}", file=out)
    if problem:
        print(f"  ! the notebook did not run to the end: {problem}", file=out)
    print(f"{len(tests) - len(failed)} of {len(tests)} test cells pass ({points:g} of {total:g} points in the "
          f"visible tests).", file=out)
    return 1 if failed or problem else 0
