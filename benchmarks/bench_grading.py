"""Benchmark of `python -m grading autograde`: 100 generated submissions of the demo assignment, graded serially
(--workers 1) and with --workers 2, sandboxed; and once unsandboxed, to measure what the sandbox costs.

    .venv/bin/python benchmarks/bench_grading.py [--n 100] [--repeat 3]
    .venv/bin/python benchmarks/bench_grading.py --hog [--n 12] [--repeat 3]

Targets on the 2-core development machine: ≥ 1.8× the serial throughput with 2 workers, ≤ 1.5 s of sandbox
overhead per notebook, ≤ 0.2 s to start a sandbox.  ``--hog``: honest classmates graded with 2 workers, alone and
beside a CPU hog (48 spinning processes, each in its own session, for 20 s), interleaved: their seconds per
notebook both ways.  Not a test: the numbers depend on the machine and its load; it prints them.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from grading.autograde import autograde  # noqa: E402
from tests.course.attacks._common import add_cells  # noqa: E402
from tests.course.fixtures.demo import POINTS, SOLUTIONS, SOURCE, submission, write_submission  # noqa: E402

MISTAKES = [
    {},
    {"mse": "def mse(Y, T):\n    return float(np.sum((Y - T) ** 2))"},
    {"sigmoid": "def sigmoid(a):\n    return np.zeros_like(a)"},
    {"minibatches": "def minibatches(N, batch_size):\n    return [np.arange(N)]"},
]


HOG = '''import os, time
for i in range(48):
    if os.fork() == 0:
        os.setsid()
        while True:
            pass
started = time.monotonic()
while time.monotonic() - started < 20:
    pass'''


def make_course(folder, n, hog=False):
    shutil.copy(ROOT / "nbgrader_config.py", folder / "nbgrader_config.py")
    shutil.copytree(SOURCE.parent, folder / "solutions" / "demo")
    env = dict(os.environ, PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", "demo", "--force"], cwd=folder,
                   env=env, check=True, capture_output=True)
    release = json.loads((folder / "exercises" / "demo" / "demo.ipynb").read_text())
    for i in range(n):
        answers = dict(SOLUTIONS, **MISTAKES[i % len(MISTAKES)])
        write_submission(folder, f"student{i:03d}", submission(release, answers))
    if hog:             # sorted first, so it is graded while the classmates are
        write_submission(folder, "a-hog", submission(release, SOLUTIONS, add_cells(HOG)))


def run(template, workers, unsandboxed=False, only=None):
    with tempfile.TemporaryDirectory(prefix="bench-grading-") as tmp:
        course = Path(tmp) / "course"
        shutil.copytree(template, course)
        started = time.perf_counter()
        summary = autograde(course, "demo", workers=workers, unsandboxed=unsandboxed, progress=False,
                            log=lambda m: None)
        seconds = time.perf_counter() - started
        report = json.loads((course / "autograded" / ".grading" / "demo" / "report.json").read_text())
        entries = report["submissions"].values()
        assert summary.graded == len(entries) and summary.failed == 0, summary.failures
        entries = [e for name, e in report["submissions"].items() if only is None or name.startswith(only)]
        per_notebook = sum(e["seconds"] for e in entries) / len(entries)
        startup = sum(e["sandbox_seconds"] for e in entries) / len(entries)
        return seconds, per_notebook, startup


def hog(n, repeat):
    """Classmates' grading time alone and beside a CPU hog, interleaved."""
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    times = {"alone": [], "beside the hog": []}
    with tempfile.TemporaryDirectory(prefix="bench-grading-template-") as alone, \
            tempfile.TemporaryDirectory(prefix="bench-grading-template-") as beside:
        make_course(Path(alone), n)
        make_course(Path(beside), n, hog=True)
        for _ in range(repeat):
            times["alone"].append(run(Path(alone), workers=2, only="student"))
            times["beside the hog"].append(run(Path(beside), workers=2, only="student"))
    print(f"{n} honest classmates graded with --workers 2, alone and beside a CPU hog, on {os.cpu_count()} cores "
          f"(load average before: {load}), {repeat} interleaved rounds")
    for kind, rounds in times.items():
        print(f"  {kind + ':':<16} {', '.join(f'{r[1]:.2f}' for r in rounds)} s per classmate's notebook; "
              f"sandbox start {', '.join(f'{r[2]:.3f}' for r in rounds)} s")
    ratios = [b[1] / a[1] for a, b in zip(times["alone"], times["beside the hog"])]
    print(f"  slowdown beside the hog: {', '.join(f'{r:.2f}' for r in ratios)}×")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=None, help="number of submissions (default 100; 12 with --hog)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="interleaved rounds of serial, parallel and unsandboxed runs (default 3)")
    parser.add_argument("--hog", action="store_true", help="classmates' grading time beside a CPU hog")
    args = parser.parse_args()
    if args.hog:
        return hog(args.n or 12, args.repeat)
    args.n = args.n or 100
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())     # the machine may be shared: say how busy it was
    runs = {"serial": [], "parallel": [], "unsandboxed": []}
    with tempfile.TemporaryDirectory(prefix="bench-grading-template-") as tmp:
        template = Path(tmp)
        make_course(template, args.n)
        for _ in range(args.repeat):            # interleaved, so a noisy spell slows all three alike
            runs["serial"].append(run(template, workers=1))
            runs["parallel"].append(run(template, workers=2))
            runs["unsandboxed"].append(run(template, workers=1, unsandboxed=True))
    n = args.n
    best = {kind: min(values) for kind, values in runs.items()}         # (seconds, per notebook, start-up)
    ratios = sorted(s[0] / p[0] for s, p in zip(runs["serial"], runs["parallel"]))
    print(f"{n} submissions of the demo assignment ({len(POINTS)} test cells each), on {os.cpu_count()} cores "
          f"(load average before: {load}), "
          f"{args.repeat} interleaved rounds (best round shown)")
    for kind, label in [("serial", "serial (--workers 1)"), ("parallel", "parallel (--workers 2)"),
                        ("unsandboxed", "unsandboxed (--workers 1)")]:
        seconds, each, _ = best[kind]
        all_runs = ", ".join(f"{r[0]:.1f}" for r in runs[kind])
        print(f"  {label + ':':<28}{seconds:6.1f} s   {n / seconds:5.2f} notebooks/s   "
              f"{each:.3f} s per notebook in its worker   (all rounds: {all_runs} s)")
    print(f"  throughput ratio:           {best['serial'][0] / best['parallel'][0]:6.2f}× best vs best; "
          f"per round {', '.join(f'{r:.2f}' for r in ratios)}   (target ≥ 1.8×)")
    overhead = best["serial"][1] - best["unsandboxed"][1]
    print(f"  sandbox overhead:           {overhead:6.3f} s per notebook (sandboxed − unsandboxed); "
          f"{best['serial'][2]:.3f} s of it starting bubblewrap + Python + NumPy   (target ≤ 1.5 s)")


if __name__ == "__main__":
    main()
