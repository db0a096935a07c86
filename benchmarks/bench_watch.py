"""Benchmark of `python -m grading watch`: how soon a student has feedback, and how fast a burst is cleared.

    .venv/bin/python benchmarks/bench_watch.py [--n 200] [--repeat 1] [--latency 3]

* latency (empty queue, ``--workers 2``): from the start of a student's ``nbgrader submit`` (a process with its own
  HOME) until the watcher has released the feedback file, and until ``nbgrader fetch_feedback`` has put it in the
  student's folder (target ≤ 30 s);
* burst: ``--n`` submissions already in the exchange's inbound folder when the watcher starts, cleared with
  ``--workers 1`` and ``--workers 2``, interleaved; seconds from the first run the watcher charges to the last
  feedback file (target ≥ 1.8× the serial throughput).  The burst's folders are written as ``nbgrader submit``
  writes them (notebook, timestamp.txt, submission_secret.txt, mode 0777): 200 student processes would measure
  nbgrader's start-up, not the watcher.  Each student gets one submission, so the budget never stops one.

Not a test: the numbers depend on the machine and its load (printed, with the load average).
"""
from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from bench_grading import MISTAKES, make_course, run as autograde_run  # noqa: E402
from tests.course.fixtures.demo import SOLUTIONS, submission  # noqa: E402

AS_STUDENT = ROOT / "tests" / "course" / "fixtures" / "as_student.py"


class Course:
    def __init__(self, folder):
        self.root = Path(folder)
        self.root.mkdir(parents=True)
        make_course(self.root, 0)
        self.exchange = self.root / "exchange"
        self.instructor = self.root.parent / "instructor"
        self.instructor.mkdir(exist_ok=True)
        self.run([sys.executable, "-m", "nbgrader", "release_assignment", "demo"], self.root, self.instructor)
        self.release = json.loads((self.root / "exercises" / "demo" / "demo.ipynb").read_text())

    def env(self, home):
        return dict(os.environ, HOME=str(home), COURSE_EXCHANGE=str(self.exchange), OPENBLAS_NUM_THREADS="1",
                    PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))

    def run(self, command, cwd, home):
        subprocess.run(command, cwd=cwd, env=self.env(home), check=True, capture_output=True)

    def start(self, workers):
        return subprocess.Popen([sys.executable, "-m", "grading", "watch", "demo", "--workers", str(workers)],
                                cwd=self.root, env=self.env(self.instructor), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)

    def events(self):
        path = self.root / "autograded" / ".grading" / "demo" / "watch" / "ledger.jsonl"
        return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []

    def reset(self):
        """An empty exchange inbox and no watcher state (the next burst starts from scratch)."""
        for folder in (self.exchange / "neural-networks" / "inbound", self.exchange / "neural-networks" / "feedback"):
            for entry in folder.iterdir() if folder.is_dir() else ():
                shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
        shutil.rmtree(self.root / "autograded" / ".grading" / "demo" / "watch", ignore_errors=True)

    def inbound(self, student, nb):
        stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f UTC")
        folder = self.exchange / "neural-networks" / "inbound" / f"{student}+demo+{stamp}+{secrets.token_hex(6)}"
        folder.mkdir()
        (folder / "demo.ipynb").write_text(json.dumps(nb))
        (folder / "timestamp.txt").write_text(stamp)
        (folder / "submission_secret.txt").write_text(secrets.token_hex(64))
        os.chmod(folder, 0o777)


def stop(process):
    os.kill(process.pid, signal.SIGTERM)
    assert process.wait(timeout=120) == 0


def wait_sent(course, n, timeout):
    started = time.monotonic()
    while sum(e["e"] == "sent" for e in course.events()) < n:
        if time.monotonic() - started > timeout:
            raise TimeoutError(f"fewer than {n} feedback files after {timeout} s")
        time.sleep(0.1)
    return time.time()


def latency(course, rounds):
    """(submit → released, submit → in the student's folder) seconds, one submission at a time."""
    course.reset()
    watcher = course.start(workers=2)
    results = []
    try:
        time.sleep(5)                           # the watcher's start-up is not part of a student's wait
        for i in range(rounds):
            student = f"latency{i}"
            home = course.root.parent / student
            shutil.copytree(course.root / "exercises" / "demo", home / "demo")
            (home / "demo" / "demo.ipynb").write_text(json.dumps(submission(course.release, SOLUTIONS)))
            started = time.time()
            course.run([sys.executable, str(AS_STUDENT), student, "submit", "demo"], home, home)
            released = wait_sent(course, i + 1, 300)
            course.run([sys.executable, str(AS_STUDENT), student, "fetch_feedback", "demo"], home, home)
            assert list((home / "demo" / "feedback").glob("*/demo.html")), "fetch_feedback found no feedback"
            results.append((released - started, time.time() - started))
    finally:
        stop(watcher)
    return results


def burst(course, n, workers):
    """Seconds from the first charged run to the n-th feedback file, with all n queued at the start."""
    course.reset()
    for i in range(n):
        course.inbound(f"student{i:03d}", submission(course.release, dict(SOLUTIONS, **MISTAKES[i % len(MISTAKES)])))
    watcher = course.start(workers)
    try:
        ended = wait_sent(course, n, 60 * n)
        peak = peak_memory_mb(watcher.pid)
    finally:
        stop(watcher)
    first = min(e["t"] for e in course.events() if e["e"] == "run")
    assert sum(e["e"] == "graded" for e in course.events()) == n
    return ended - first, peak


def peak_memory_mb(pid):
    """The watcher process's peak resident memory (VmHWM; its workers are processes of their own)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="submissions in the burst (default 200)")
    parser.add_argument("--repeat", type=int, default=1, help="interleaved serial/parallel bursts (default 1)")
    parser.add_argument("--latency", type=int, default=3, help="single submissions timed (default 3)")
    parser.add_argument("--no-reference", action="store_true",
                        help="skip `autograde` of the same burst with 1 and 2 workers in each round (the ratio the "
                             "grader itself reaches under the same load)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-watch-") as tmp:
        course = Course(Path(tmp) / "course")
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        times = latency(course, args.latency)
        print(f"latency on {os.cpu_count()} cores, empty queue, --workers 2 (load average before: {load}):")
        for released, fetched in times:
            print(f"  nbgrader submit → feedback released {released:5.1f} s, → in the student's folder after "
                  f"fetch_feedback {fetched:5.1f} s   (target ≤ 30 s)")
        runs, reference = {1: [], 2: []}, {1: [], 2: []}
        template = Path(tmp) / "autograde"
        if not args.no_reference:
            template.mkdir()
            make_course(template, args.n)           # the same notebooks in submitted/
        for _ in range(args.repeat):
            for workers in (1, 2):
                load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
                runs[workers].append((burst(course, args.n, workers), load))
                if not args.no_reference:
                    reference[workers].append(autograde_run(template, workers)[0])
        print(f"burst of {args.n} submissions, {args.repeat} interleaved round(s):")
        for workers, rounds in runs.items():
            for seconds, load in rounds:
                print(f"  --workers {workers}: {seconds[0]:6.1f} s, {args.n / seconds[0]:5.2f} submissions/s, the "
                      f"watcher's peak memory {seconds[1]:.0f} MB (load average before: {load})")
        ratios = [s[0][0] / p[0][0] for s, p in zip(runs[1], runs[2])]
        print(f"  throughput ratio per round: {', '.join(f'{r:.2f}' for r in ratios)}×   (target ≥ 1.8×)")
        if not args.no_reference:
            print(f"  autograde of the same {args.n}, same rounds: --workers 1 "
                  f"{', '.join(f'{x:.1f}' for x in reference[1])} s, --workers 2 "
                  f"{', '.join(f'{x:.1f}' for x in reference[2])} s, ratio per round "
                  f"{', '.join(f'{a / b:.2f}' for a, b in zip(reference[1], reference[2]))}×")
    return times, runs


if __name__ == "__main__":
    main()
