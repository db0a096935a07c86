"""Every chapter, all hidden assertions on, under CPU variants other than this machine's (issue #20).

A training run is chaotic: another CPU sums in another order and the run ends elsewhere, so a chapter's claims
must hold on any machine. This module runs each chapter natively and under the variants of ``tools/cpu_variants.py``
in ``CI_VARIANTS`` (other OpenBLAS kernels, NumPy SIMD levels, BLAS threads) and checks, with threadpoolctl inside
the kernel, that each variant runs the kernels it names. The executions start in the session's background pool
(tests/background_runs.py) and these tests collect them; ``make test`` runs no other execution of the chapters but
the book build's (``pytest book/...`` still runs one chapter cell by cell with nbval).
``CPU_VARIANTS=avx2-haswell,sse-sandybridge`` chooses other variants.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import cpu_variants  # noqa: E402

CHAPTERS = sorted((ROOT / "book").glob("**/*.ipynb"))
# natively too: `make test` executes the chapters nowhere else but in the book build
VARIANTS = (cpu_variants.variants_under_test() if os.environ.get("CPU_VARIANTS")
            else ["native", *cpu_variants.CI_VARIANTS])
TIMEOUT = 900   # seconds per cell; a chapter takes well under a minute on a quiet machine


def run_chapter(chapter: Path, variant: str) -> dict:
    return cpu_variants.run_one(chapter, variant, timeout=TIMEOUT)


def _case(chapter, variant):
    key = ("chapter", chapter.name, variant)
    return pytest.param(chapter, variant, id=f"{chapter.stem}-{variant}",
                        marks=[pytest.mark.slow, pytest.mark.background_run(key, run_chapter, chapter, variant)])


@pytest.mark.parametrize("chapter,variant", [_case(c, v) for c in CHAPTERS for v in VARIANTS])
def test_chapter_holds_on_variant(chapter, variant, request):
    from tests.background_runs import RUNS

    result = RUNS.result(*request.node.get_closest_marker("background_run").args)
    name = chapter.relative_to(ROOT)
    ran = result.get("probe") is not None or not result["error"]   # else the kernel never started: say why below
    wrong_kernels = cpu_variants.kernel_problems(variant, result.get("probe")) if ran else []
    assert not wrong_kernels, f"{name} did not run on variant {cpu_variants.describe(variant)}: " + "; ".join(
        wrong_kernels)
    if result["error"]:
        # the first line is what pytest's short summary shows: chapter, variant, assertion and exception
        pytest.fail(f"{name} failed on variant {variant} at: {cpu_variants.failed_assertion(result['error'])}\n"
                    f"variant {cpu_variants.describe(variant)}\n\n{cpu_variants.short_error(result['error'])}",
                    pytrace=False)
