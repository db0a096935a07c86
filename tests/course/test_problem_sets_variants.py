"""The problem sets graded as other CPUs would (issue #20): ``python -m grading autograde`` under each CPU variant.

Under every variant of ``tools/cpu_variants.py`` in ``CI_VARIANTS`` (or ``$CPU_VARIANTS``) the solution scores full marks and the
untouched exercise its floor (0), so every hidden test's tolerance holds whatever BLAS kernels, SIMD level and
thread count the grading machine has. The sandbox passes the instructor's ``OPENBLAS_*``/``NPY_*``/``OMP_*``
settings to the kernel; a probe cell in the solution's submission checks, with threadpoolctl inside the sandboxed
kernel, that the variant really arrived. The gradings run in the session's background pool (tests/background_runs.py).
"""
from __future__ import annotations

import atexit
import json
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import nbformat
import pytest

from tests.conftest import require
from tests.course.test_problem_sets import (ASSIGNMENTS, GENERATE, _env, _exercise_path, _nbgrader_meta,
                                            _output_text, _source_path, _submission)

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import cpu_variants  # noqa: E402

VARIANTS = cpu_variants.variants_under_test()


_GRADEBOOK_LOCK = threading.Lock()
_GRADEBOOK: list[Path] = []


def template_gradebook() -> Path:
    """A gradebook that records every assignment, made once (creating one costs about half of each grading run)."""
    with _GRADEBOOK_LOCK:
        if not _GRADEBOOK:
            out = Path(tempfile.mkdtemp(prefix="variant-gradebook-"))
            atexit.register(shutil.rmtree, out, True)
            proc = subprocess.run([sys.executable, "-c", GENERATE, str(ROOT), str(out / "release"),
                                   str(out / "gradebook.db"), *ASSIGNMENTS], cwd=out, env=_env(), capture_output=True,
                                  text=True, timeout=1200)
            if proc.returncode != 0:
                raise RuntimeError(f"nbgrader's GenerateAssignment failed:\n{proc.stderr[-3000:]}")
            _GRADEBOOK.append(out / "gradebook.db")
        return _GRADEBOOK[0]


def grade_under_variant(assignment: str, variant: str) -> dict:
    """Autograde the solution (with a probe cell) and the untouched exercise under ``variant``, in a temporary course."""
    if shutil.which("bwrap") is None:
        return {"missing": "bwrap"}
    with tempfile.TemporaryDirectory(prefix=f"variant-{assignment}-") as tmp:
        course = Path(tmp)
        for folder in ("solutions", "exercises"):
            shutil.copytree(ROOT / folder / assignment, course / folder / assignment)
        shutil.copy(ROOT / "nbgrader_config.py", course / "nbgrader_config.py")
        shutil.copy(template_gradebook(), course / "gradebook.db")
        source = nbformat.read(_source_path(assignment), as_version=4)
        exercise = nbformat.read(_exercise_path(assignment), as_version=4)
        solution = _submission(exercise, source)
        solution.cells.insert(1, nbformat.v4.new_code_cell(cpu_variants.PROBE_SOURCE))
        for student, nb in {"solution": solution, "untouched": exercise}.items():
            folder = course / "submitted" / student / assignment
            folder.mkdir(parents=True)
            nbformat.write(nb, folder / f"{assignment}.ipynb")
        proc = subprocess.run([sys.executable, "-m", "grading", "autograde", assignment, "--workers", "1",
                               "--no-progress"], cwd=course, env=cpu_variants.variant_environment(variant, _env()),
                              capture_output=True, text=True, timeout=1200)
        if proc.returncode != 0:
            return {"error": (proc.stdout + proc.stderr)[-4000:]}
        from nbgrader.api import Gradebook
        result = {"points": {}, "scores": {}, "feedback": {}, "probe": None}
        with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
            for student in ("solution", "untouched"):
                notebook = gb.find_submission_notebook(assignment, assignment, student)
                result["scores"][student] = {g.name: g.auto_score for g in notebook.grades}
                result["points"] = {g.name: g.max_score for g in notebook.grades}
        for student in ("solution", "untouched"):
            graded = nbformat.read(course / "autograded" / student / assignment / f"{assignment}.ipynb", as_version=4)
            result["feedback"][student] = {_nbgrader_meta(c)["grade_id"]: _output_text(c) for c in graded.cells
                                           if _nbgrader_meta(c).get("grade") and c.cell_type == "code"}
            for cell in graded.cells:
                if cell.source.strip() == cpu_variants.PROBE_SOURCE.strip():   # (autograde drops its metadata)
                    result["probe"] = json.loads(_output_text(cell).strip() or "null")
        return result


def _case(assignment, variant):
    key = ("problem set", assignment, variant)
    return pytest.param(assignment, variant, id=f"{assignment}-{variant}", marks=[
        pytest.mark.slow, pytest.mark.sandbox, pytest.mark.background_run(key, grade_under_variant, assignment, variant)])


@pytest.mark.parametrize("assignment,variant", [_case(a, v) for a in ASSIGNMENTS for v in VARIANTS])
def test_problem_set_grades_the_same_on_variant(assignment, variant, request):
    from tests.background_runs import RUNS

    require("bwrap", "sandboxed grading")
    graded = RUNS.result(*request.node.get_closest_marker("background_run").args)
    where = f"{assignment} graded on variant {cpu_variants.describe(variant)}"
    assert "error" not in graded, f"python -m grading autograde failed for {where}:\n{graded.get('error')}"
    wrong_kernels = cpu_variants.kernel_problems(variant, graded["probe"])
    assert not wrong_kernels, f"the sandboxed kernel did not run the variant ({where}): " + "; ".join(wrong_kernels)
    lost = {g: graded["feedback"]["solution"][g] for g, s in graded["scores"]["solution"].items()
            if s != graded["points"][g]}
    assert not lost, f"the solution lost points when {where}: {lost}"
    earned = [g for g, s in graded["scores"]["untouched"].items() if s]
    assert not earned, f"the untouched exercise earned points in {earned} when {where}"
