"""tools/cpu_variants.py itself: it notices a variant that silently falls back, and names the failing assertion."""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import cpu_variants  # noqa: E402


def test_a_variant_that_falls_back_is_caught_and_the_failing_assertion_named(tmp_path, monkeypatch):
    notebook = tmp_path / "tiny.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import numpy as np\nx = np.ones(3) @ np.ones(3)"),
                nbformat.v4.new_code_cell("y = 2\nassert x == 4, 'three ones'   # exact")]
    nbformat.write(nb, notebook)
    # an unknown core type: OpenBLAS quietly keeps its native kernels, and NumPy is asked for nothing
    monkeypatch.setitem(cpu_variants.VARIANTS, "no-such-core", {"OPENBLAS_CORETYPE": "NoSuchCore",
                                                                  "OPENBLAS_NUM_THREADS": "1"})
    result = cpu_variants.run_one(notebook, "no-such-core", timeout=120)
    problems = cpu_variants.kernel_problems("no-such-core", result["probe"])
    assert len(problems) == 1 and "OPENBLAS_CORETYPE=NoSuchCore" in problems[0], problems
    assert cpu_variants.failed_assertion(result["error"]) == \
        "assert x == 4, 'three ones'   # exact  ->  AssertionError: three ones"


def test_kernel_problems_reads_threads_and_simd_level():
    probe = {"blas": [{"internal_api": "openblas", "architecture": "Katmai", "num_threads": 1}],
             "numpy_dispatch": ["X86_V3", "X86_V4"]}
    assert cpu_variants.kernel_problems("prescott-2threads", probe) == [
        "OPENBLAS_NUM_THREADS=2, threadpoolctl reports 1 threads"]
    problems = cpu_variants.kernel_problems("avx2-haswell", probe)
    assert any("Haswell" in p for p in problems) and any("X86_V4" in p for p in problems)
