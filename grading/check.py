"""``python -m grading check NOTEBOOK``: a student's self-check before submitting.

Runs the notebook top to bottom in a fresh kernel (as ``nbgrader validate`` does), then lists every test cell
that fails with its message, and exits with status 1 if any does (``nbgrader validate`` exits 0 even then).
Only the visible tests run: the hidden ones are in the instructor's copy and run when the notebook is graded.
"""
from __future__ import annotations

import os
import re
import sys

import nbformat

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
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError
    kernel = nb.metadata.get("kernelspec", {}).get("name") or "python3"
    os.environ.update(NBGRADER_VALIDATING="1", NBGRADER_EXECUTION="validate")
    client = NotebookClient(nb, timeout=timeout, kernel_name=kernel, allow_errors=True,
                            resources={"metadata": {"path": folder}})
    try:
        client.execute()
    except DeadKernelError as error:
        return f"the kernel died ({error})"
    except Exception as error:      # a cell timed out, or the kernel could not start
        return f"{type(error).__name__}: {ANSI.sub('', str(error)).strip().splitlines()[-1:] or ''}"
    return None


def check(path, timeout=120, out=sys.stdout):
    """Run the visible tests of one notebook; print what fails; return the exit status (0 = all pass)."""
    if not os.path.isfile(path):
        print(f"no such notebook: {path}", file=out)
        return 2
    nb = nbformat.read(path, as_version=4)
    tests = [cell for cell in nb.cells if _is_test(cell)]
    changed = [cell.metadata.nbgrader.get("grade_id") for cell in tests if _changed(cell)]
    print(f"Checking {path} in a fresh kernel (visible tests only: hidden tests also run when it is graded) …",
          file=out)
    problem = run_notebook(nb, os.path.dirname(os.path.abspath(path)), timeout)

    failed, points, total = [], 0.0, 0.0
    for cell in tests:
        meta = cell.metadata.nbgrader
        cell_points = float(meta.get("points") or 0)
        total += cell_points
        error = _error(cell)
        ran = cell.get("execution_count") is not None or cell.get("outputs")
        if error is None and ran and not problem:
            points += cell_points
            print(f"  ✔ {meta.get('grade_id')} ({_points(cell_points)})", file=out)
        else:
            failed.append(meta.get("grade_id"))
            print(f"  ✘ {meta.get('grade_id')} ({_points(cell_points)}): {error or 'did not run'}", file=out)
    own_errors = [(i, _error(cell)) for i, cell in enumerate(nb.cells)
                  if cell.cell_type == "code" and not _is_test(cell) and _error(cell)]
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
