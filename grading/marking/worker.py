"""Grade one submission: the function that runs in a pool process or on a Dask worker.

``grade_submission(job)`` reads the student's files (never writing anything of the course), runs each notebook's
cells in a fresh sandbox and the source's tests here, in this trusted process, against it; it returns plain data:
the scores, the autograded notebooks (as JSON text), flags and timings.  The parent process alone writes the
gradebook and the files.
"""
from __future__ import annotations

import json
import os
import socket
import time
import traceback

from .. import flags as flag
from ..files import readable
from ..errors import SandboxStartError, UnmatchedNotebooks
from ..records import Failure, Result
from .feedback import name_the_failed_cell, verdict_output
from .kernel import Kernel
from .sandbox import KernelProcess, Staging
from .submission import plan_notebook, read_notebook
from .suspicious import scan_code
from .trusted import failed_verdicts, run_tests
from ..names import match_notebooks, submitted_notebooks

MAX_OUTPUT_IN_NOTEBOOK = 10_000        # characters of output kept per cell of the autograded notebook
MAX_OUTPUTS_IN_NOTEBOOK = 1_000_000    # ... and in all its cells together
SHADOWING = {"numpy", "grading", "nnlib", "protocol", "runner", "builtins", "sitecustomize", "usercustomize", "os",
             "sys", "json", "math", "random"}


def warm_up():
    """Import what grading needs once, in the parent, before it forks one worker per submission."""
    import nnlib  # noqa: F401
    import numpy  # noqa: F401


def grade_submission(job):
    """Grade one student's submission of one assignment (a ``records.Job``); never raises: returns a
    ``records.Result``, graded or failed with its reason."""
    started = time.monotonic()
    result = Result(student=job.student, assignment=job.assignment, key=job.key,
                    worker=f"{socket.gethostname()}:{os.getpid()}")
    try:
        spec = job.spec
        folder = job.path
        linked = job.linked or os.path.islink(folder)
        if linked:
            result.flags.append((flag.SYMLINK, "the submission is a symbolic link or not a folder; it was not read"))
        files = None if linked else match_notebooks(list(spec.notebooks), submitted_notebooks(folder))
        if files is not None:
            if files.problems:
                raise UnmatchedNotebooks("; ".join(files.problems))
            result.flags += files.flags()
        for name, nb_spec in spec.notebooks.items():
            result.notebooks[name] = _grade_notebook(job, spec, nb_spec, None if linked else folder, result,
                                                     files.found.get(name) if files is not None else None)
    except UnmatchedNotebooks as error:
        result.fail(Failure.NOTEBOOKS, str(error))
    except SandboxStartError as error:
        result.fail(Failure.SANDBOX, str(error))
    except Exception as error:      # a bug of ours, or the machine: list the submission as failed, with why
        result.fail(Failure.BUG, f"{type(error).__name__}: {error}")
        result.traceback = traceback.format_exc(limit=8)
    result.seconds = time.monotonic() - started
    result.flags = [list(f) for f in dict.fromkeys(tuple(f) for f in result.flags)]
    return result


def _grade_notebook(job, spec, nb_spec, folder, result, filename=None):
    """Grade one notebook of the submission in ``folder`` (None: a folder that must not be read), read from
    ``filename`` (the name grading.names matched; by default the notebook's own name)."""
    if folder is None:
        nb, problem = None, "the submission is a symbolic link or not a folder"
    else:
        nb, problem = read_notebook(os.path.join(folder, filename or f"{nb_spec.name}.ipynb"))
    if nb is None:
        if problem != "the notebook was not submitted":
            result.flags.append((flag.UNREADABLE, problem))
        verdicts = failed_verdicts(nb_spec, problem)
        plan = plan_notebook(nb_spec, {"cells": []})
        return _notebook_result(nb_spec, plan, verdicts, {}, problem)

    plan = plan_notebook(nb_spec, nb)
    result.flags += plan.flags
    student_code = [plan.cells[p]["source"] for p in plan.run if not plan.cells[p]["metadata"].get("nbgrader", {})
                    .get("locked")]
    result.flags += scan_code(student_code)

    shadows = sorted(readable(name) for name in os.listdir(folder) if name.removesuffix(".py") in SHADOWING)
    if shadows:
        result.flags.append((flag.SHADOW_MODULE, "files named like modules: " + ", ".join(shadows)))
    limits = job.limits
    staging = Staging(folder, spec.data_files, limits)
    if staging.skipped:
        more = f" and {len(staging.skipped) - 20} more" if len(staging.skipped) > 20 else ""
        result.flags.append((flag.FILES_SKIPPED, "files not copied for grading: " + ", ".join(staging.skipped[:20])
                                + more))
    kernel = Kernel(lambda: KernelProcess(staging, limits, job.sandboxed, spec.name),
                    [(p, plan.cells[p]["source"]) for p in plan.run], limits)
    try:
        verdicts, warnings = run_tests(nb_spec, kernel, plan.positions)
        if kernel.tainted:          # the cells after the last test would run after the hidden tests: not run
            for position in plan.run:
                if position > kernel.executed:
                    kernel.results.setdefault(position, {"status": "withheld", "output": "", "error": None})
        else:
            kernel.advance(len(plan.cells), restart=False)  # the cells after the last test, for their output
    finally:
        kernel.close()
        staging.cleanup()
    result.flags += kernel.flags
    for grade_id, verdict in verdicts.items():
        if verdict["kind"] == "undefined" and grade_id in plan.tests:
            verdict["message"] = name_the_failed_cell(verdict["message"], plan.cells, kernel.results,
                                                      plan.tests[grade_id])
    for index, outcome in sorted(kernel.results.items()):
        if outcome["status"] == "error" and "MemoryError" in (outcome["error"] or ""):
            result.flags.append((flag.MEMORY, f"cell {index} ran out of memory"))
    result.sandbox_seconds += kernel.sandbox_seconds
    result.warnings.extend(warnings)
    return _notebook_result(nb_spec, plan, verdicts, kernel.results, None, kernel.skipped)


def _notebook_result(nb_spec, plan, verdicts, cell_results, problem, skipped=None):
    """Scores plus the autograded notebook: cells with their outputs, test cells with the verdicts."""
    cells, room = plan.cells, MAX_OUTPUTS_IN_NOTEBOOK
    for position, cell in enumerate(cells):
        if cell["cell_type"] != "code":
            continue
        outcome = cell_results.get(position)
        if outcome is not None:
            cell["outputs"] = _cell_outputs(outcome) if room > 0 else \
                [{"output_type": "stream", "name": "stdout", "text": "[output omitted: too much output]\n"}]
            room -= len(json.dumps(cell["outputs"]))
    for grade_id, position in plan.tests.items():
        cells[position]["outputs"] = [verdict_output(verdicts[grade_id])]
    if problem:
        cells.insert(0, {"cell_type": "markdown", "metadata": {},
                         "source": f"**This notebook could not be graded:** {problem}."})
    notebook = {"cells": cells, "metadata": nb_spec.metadata, "nbformat": 4, "nbformat_minor": 5}
    for i, cell in enumerate(cells):
        cell["id"] = f"cell-{i}"
    return {"verdicts": verdicts, "unanswered": sorted(plan.unanswered), "problem": problem,
            "score": sum(v["score"] for v in verdicts.values()), "max_score": nb_spec.max_score,
            "autograded": json.dumps(notebook, ensure_ascii=False), "skipped_cells": skipped or {}}


WITHHELD = ("[not shown: this cell ran (or would have run) after hidden tests had called your code, so its output "
            "could contain their inputs]\n")


def _cell_outputs(outcome):
    if outcome.get("status") == "withheld":
        return [{"output_type": "stream", "name": "stdout", "text": WITHHELD}]
    outputs = []
    text = outcome.get("output") or ""
    if text:
        if len(text) > MAX_OUTPUT_IN_NOTEBOOK:
            text = text[:MAX_OUTPUT_IN_NOTEBOOK] + "\n[... output truncated ...]\n"
        outputs.append({"output_type": "stream", "name": "stdout", "text": text})
    if outcome.get("status") == "error":
        error = (outcome.get("error") or "error")[-MAX_OUTPUT_IN_NOTEBOOK:]
        last = error.strip().splitlines()[-1] if error.strip() else "error"
        ename, _, evalue = last.partition(":")
        outputs.append({"output_type": "error", "ename": ename.strip()[:100] or "Error",
                        "evalue": evalue.strip(), "traceback": error.splitlines()})
    return outputs
