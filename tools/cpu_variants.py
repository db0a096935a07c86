"""Run chapter notebooks as other CPUs would: other OpenBLAS kernels, other NumPy SIMD levels, BLAS threads.

A training run is chaotic: a CPU with other SIMD units (or OpenBLAS blocking, or another thread count)
sums in another order, and after a few hundred steps the run ends somewhere else.  A claim a chapter
makes (and asserts in a hidden cell) must hold on every machine, so authors and the tests execute the
chapters under several kernel configurations a real machine could pick::

    python tools/cpu_variants.py book/part4/10_vanishing_gradients_and_initialization.ipynb
    python tools/cpu_variants.py --variants native,sse-sandybridge book/part1/*.ipynb
    python tools/cpu_variants.py --list

It prints, for every notebook and variant, whether it ran through (and which assertion failed), and a
table of every glued number that differs between the variants: the spread an author's thresholds
and prose must allow for.  Exit status 1 if any variant failed.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

# Each variant is the environment a kernel runs with.  ONE_THREAD matches `make`'s default.
ONE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
VARIANTS = {
    # whatever this machine picks (on AVX-512 hardware: OpenBLAS SkylakeX, NumPy's AVX-512 loops)
    "native": {**ONE_THREAD},
    # a machine with AVX2 but no AVX-512 (Zen 2/3, Haswell to Comet Lake)
    "avx2-haswell": {**ONE_THREAD, "OPENBLAS_CORETYPE": "Haswell",
                     "NPY_DISABLE_CPU_FEATURES": "X86_V4 AVX512_ICL AVX512_SPR"},
    # an older machine: AVX kernels in OpenBLAS, SSE4-level loops in NumPy
    "sse-sandybridge": {**ONE_THREAD, "OPENBLAS_CORETYPE": "Sandybridge",
                        "NPY_DISABLE_CPU_FEATURES": "X86_V3 X86_V4 AVX512_ICL AVX512_SPR"},
    # OpenBLAS's generic SSE kernels with two BLAS threads (another blocking and summation order)
    "prescott-2threads": {"OPENBLAS_NUM_THREADS": "2", "OMP_NUM_THREADS": "2", "OPENBLAS_CORETYPE": "Prescott"},
    # for authors' own checks (not in CI): SSE4.2-era OpenBLAS kernels, AVX2 NumPy loops, two BLAS threads
    "nehalem-2threads": {"OPENBLAS_NUM_THREADS": "2", "OMP_NUM_THREADS": "2", "OPENBLAS_CORETYPE": "Nehalem",
                         "NPY_DISABLE_CPU_FEATURES": "X86_V4 AVX512_ICL AVX512_SPR"},
}
# The variants `make test` runs besides the native run (tests/chapters/test_cpu_variants.py).
CI_VARIANTS = ["avx2-haswell", "sse-sandybridge", "prescott-2threads"]
DEFAULT_VARIANTS = ["native", *CI_VARIANTS]   # what this tool runs without --variants
# The OpenBLAS kernel set threadpoolctl reports for a forced core type.  OpenBLAS builds without DYNAMIC_OLDER
# (NumPy's wheels) run Prescott and Core2 on the generic "Katmai" SSE kernels; without a name here, the core
# type must be reported under its own name.
OPENBLAS_KERNELS = {"Prescott": "Katmai", "Core2": "Katmai", "Penryn": "Katmai", "Zen": "Haswell"}
ENV_NAMES = ("OPENBLAS_CORETYPE", "NPY_DISABLE_CPU_FEATURES", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")
# "inherit" runs with the caller's environment unchanged: try any other configuration, e.g.
#   OPENBLAS_CORETYPE=Nehalem NPY_DISABLE_CPU_FEATURES="X86_V4 AVX512_ICL AVX512_SPR" \
#       python tools/cpu_variants.py --variants inherit book/part1/01_learning_from_data.ipynb
INHERIT = "inherit"

_RUNNER = r"""
import json, sys, nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
path, timeout = sys.argv[1], int(sys.argv[2])
nb = nbformat.read(path, as_version=4)
PROBE = nbformat.v4.new_code_cell(PROBE_SOURCE)
nb.cells.insert(0, PROBE)
error = None
try:
    NotebookClient(nb, timeout=timeout, kernel_name="python3",
                   resources={"metadata": {"path": str(__import__("pathlib").Path(path).parent)}}).execute()
except CellExecutionError as exc:
    error = str(exc)
except Exception as exc:  # a kernel that died, a timeout
    error = f"{type(exc).__name__}: {exc}"
probe = json.loads("".join(o.get("text", "") for o in PROBE.get("outputs", [])) or "null")
nb.cells.remove(PROBE)
glued = {}
for cell in nb.cells:
    for out in cell.get("outputs", []):
        name = out.get("metadata", {}).get("scrapbook", {}).get("name")
        if name:
            data = out.get("data", {})  # display=False glue keeps its value under a papermill.record key
            glued[name] = data.get("text/plain") or next(
                (v for k, v in data.items() if k.endswith("text/plain")), None)
print(json.dumps({"error": error, "glued": glued, "probe": probe}))
"""
# The first cell of every run (removed again before glue is read): what the kernel really runs, seen from inside.
PROBE_SOURCE = r"""
import json as _json, numpy as _np, threadpoolctl as _tpc
from numpy._core._multiarray_umath import __cpu_dispatch__ as _dispatch, __cpu_features__ as _features
print(_json.dumps({"blas": [{k: i.get(k) for k in ("internal_api", "architecture", "num_threads")}
                            for i in _tpc.threadpool_info() if i["user_api"] == "blas"],
                   "numpy_dispatch": [f for f in _dispatch if _features.get(f)]}))
del _json, _np, _tpc, _dispatch, _features
"""


def variants_under_test() -> list[str]:
    """The variants the tests run: ``$CPU_VARIANTS`` (comma-separated) or ``CI_VARIANTS``."""
    return [v for v in os.environ.get("CPU_VARIANTS", ",".join(CI_VARIANTS)).split(",") if v]


def variant_environment(variant: str, base: dict | None = None) -> dict:
    """``base`` (default: this process's environment) with the variant's settings in place of the caller's."""
    env = {k: v for k, v in (os.environ if base is None else base).items() if k not in ENV_NAMES}
    env.update(VARIANTS[variant])
    return env


def kernel_problems(variant: str, probe: dict | None) -> list[str]:
    """What differs between the kernels ``variant`` names and those the probe saw running ([] if none).

    A variant that silently falls back (an unknown core type, a CPU without the forced kernels, an environment
    stripped on the way to the kernel) would test the native configuration twice; this says so.
    """
    if probe is None:
        return ["the probe cell printed nothing: the kernel's BLAS and SIMD level are unknown"]
    settings, problems = VARIANTS[variant], []
    blas = [b for b in probe["blas"] if b["internal_api"] == "openblas"]
    if not blas:
        return [f"no OpenBLAS in the kernel (threadpoolctl saw {probe['blas']})"]
    coretype = settings.get("OPENBLAS_CORETYPE")
    if coretype and blas[0]["architecture"] != OPENBLAS_KERNELS.get(coretype, coretype):
        problems.append(f"OPENBLAS_CORETYPE={coretype} should run the {OPENBLAS_KERNELS.get(coretype, coretype)} "
                        f"kernels, threadpoolctl reports {blas[0]['architecture']}")
    threads = int(settings.get("OPENBLAS_NUM_THREADS", 0))
    if threads and blas[0]["num_threads"] != threads:
        problems.append(f"OPENBLAS_NUM_THREADS={threads}, threadpoolctl reports {blas[0]['num_threads']} threads")
    still_on = set(settings.get("NPY_DISABLE_CPU_FEATURES", "").split()) & set(probe["numpy_dispatch"])
    if still_on:
        problems.append(f"NumPy still dispatches to {sorted(still_on)} (NPY_DISABLE_CPU_FEATURES did not reach it)")
    return problems


def describe(variant: str) -> str:
    """``name (VAR=value ...)``: a variant as a failure message names it."""
    if variant == INHERIT:
        return f"{INHERIT} (the caller's environment)"
    return f"{variant} ({' '.join(f'{k}={v}' for k, v in VARIANTS[variant].items())})"


def failed_assertion(error: str) -> str:
    """Where a chapter failed: the cell's failing line (IPython marks it ``---->``) and the exception."""
    lines = [line.rstrip() for line in re.sub(r"\x1b\[[0-9;]*m", "", error).splitlines() if line.strip()]
    marked = [line for line in lines if line.lstrip().startswith("---->")]
    where = re.sub(r"^\s*---->\s*\d*\s*", "", marked[-1]) if marked else "?"
    exception = next((line for line in reversed(lines) if re.match(r"^\w*(Error|Exception|Interrupt)\b", line)),
                     lines[-1] if lines else "")
    return f"{where}  ->  {exception}"


def run_one(notebook: Path, variant: str, timeout: int = 600) -> dict:
    """Execute ``notebook`` in a fresh kernel under ``variant``'s environment; return its error and glue."""
    if variant == INHERIT:
        env = dict(os.environ)
    else:
        env = variant_environment(variant)
    env.update(MPLBACKEND="Agg", PYDEVD_DISABLE_FILE_VALIDATION="1")
    proc = subprocess.run([sys.executable, "-c", f"PROBE_SOURCE = {PROBE_SOURCE!r}\n" + _RUNNER, str(notebook),
                           str(timeout)],
                          capture_output=True, text=True, env=env)
    if proc.returncode != 0 or not proc.stdout.strip():
        return {"error": f"runner failed: {proc.stderr[-2000:]}", "glued": {}}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def short_error(error: str, lines: int = 12) -> str:
    """The end of a cell error: the failing line and its exception, without the whole cell."""
    text = [line for line in re.sub(r"\x1b\[[0-9;]*m", "", error).splitlines() if line.strip()]
    return "\n".join(text[-lines:])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--variants", default=",".join(DEFAULT_VARIANTS),
                        help=f"comma-separated names (default: {','.join(DEFAULT_VARIANTS)})")
    parser.add_argument("--jobs", type=int, default=2, help="notebooks executed at a time (default 2)")
    parser.add_argument("--list", action="store_true", help="list the variants and their environments")
    args = parser.parse_args(argv)
    if args.list or not args.notebooks:
        for name, env in VARIANTS.items():
            print(f"{name:20s} {' '.join(f'{k}={v!r}' for k, v in env.items())}")
        return 0
    variants = args.variants.split(",")
    unknown = [v for v in variants if v not in VARIANTS and v != INHERIT]
    if unknown:
        parser.error(f"unknown variant(s) {unknown}; known: {', '.join(VARIANTS)}")
    jobs = [(nb, v) for nb in args.notebooks for v in variants]
    with ThreadPoolExecutor(args.jobs) as pool:
        results = dict(zip(jobs, pool.map(lambda job: run_one(*job), jobs)))
    failed = 0
    for nb in args.notebooks:
        print(f"\n=== {nb}")
        for v in variants:
            error = results[(nb, v)]["error"]
            wrong_kernels = [] if v == INHERIT else kernel_problems(v, results[(nb, v)].get("probe"))
            failed += error is not None or bool(wrong_kernels)
            print(f"  {v:20s} {'ok' if error is None else 'FAILED at ' + failed_assertion(error)}")
            for problem in wrong_kernels:
                print(f"    not the variant it names: {problem}")
            if error:
                print("    " + short_error(error).replace("\n", "\n    "))
        names = sorted({n for v in variants for n in results[(nb, v)]["glued"]})
        differing = [n for n in names if len({results[(nb, v)]["glued"].get(n) for v in variants}) > 1]
        if differing:
            print(f"  glued values that differ between variants ({len(differing)} of {len(names)}):")
            print("    " + "name".ljust(28) + "".join(v[:16].rjust(18) for v in variants))
            for n in differing:
                print("    " + n[:28].ljust(28)
                      + "".join(str(results[(nb, v)]["glued"].get(n))[:16].rjust(18) for v in variants))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
