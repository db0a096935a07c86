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
}
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
error = None
try:
    NotebookClient(nb, timeout=timeout, kernel_name="python3",
                   resources={"metadata": {"path": str(__import__("pathlib").Path(path).parent)}}).execute()
except CellExecutionError as exc:
    error = str(exc)
except Exception as exc:  # a kernel that died, a timeout
    error = f"{type(exc).__name__}: {exc}"
glued = {}
for cell in nb.cells:
    for out in cell.get("outputs", []):
        name = out.get("metadata", {}).get("scrapbook", {}).get("name")
        if name:
            glued[name] = out.get("data", {}).get("text/plain")
print(json.dumps({"error": error, "glued": glued}))
"""


def run_one(notebook: Path, variant: str, timeout: int = 600) -> dict:
    """Execute ``notebook`` in a fresh kernel under ``variant``'s environment; return its error and glue."""
    if variant == INHERIT:
        env = dict(os.environ)
    else:
        env = {k: v for k, v in os.environ.items()
               if k not in ("OPENBLAS_CORETYPE", "NPY_DISABLE_CPU_FEATURES", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")}
        env.update(VARIANTS[variant])
    env.update(MPLBACKEND="Agg", PYDEVD_DISABLE_FILE_VALIDATION="1")
    proc = subprocess.run([sys.executable, "-c", _RUNNER, str(notebook), str(timeout)],
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
    parser.add_argument("--variants", default=",".join(VARIANTS), help="comma-separated names (default: all)")
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
            failed += error is not None
            print(f"  {v:20s} {'ok' if error is None else 'FAILED'}")
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
