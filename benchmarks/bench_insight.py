"""Benchmark of `python -m grading analyze` and `python -m grading similarity` on generated classes of the demo
assignment (tests/course/generated_class.py): independent students, disguised copy groups, template-only ones.

    .venv/bin/python benchmarks/bench_insight.py [--students 500] [--seeds 3]

* similarity: wall time for classes of N/4, N/2 and N students (each 1 notebook), and the precision and recall
  of the flagged pairs against the known copy groups, over several seeds (mean and range);
* similarity vs notebook length: 100 students whose answers are 1, 4 and 16 times as long (every function
  repeated under new names): time per thousand characters of answer code should stay flat (linear, not quadratic);
* analyze: wall time for N graded students; the grades are written through the grader's own gradebook writer
  and journal (as `autograde` writes them), with failure kinds drawn at random.

Target on the 2-core machine: both commands ≤ 60 s for 500 students.  Not a test: it prints what it measures.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from grading.course import Course  # noqa: E402
from grading.gradebook import GradebookWriter, ensure_assignment  # noqa: E402
from grading.insight.analyze import analyze  # noqa: E402
from grading.insight.similarity import similarity  # noqa: E402
from grading.journal import Journal  # noqa: E402
from grading.records import Result  # noqa: E402
from grading.source import load_assignment  # noqa: E402
from tests.course.fixtures.demo import POINTS, SOURCE  # noqa: E402
from tests.course.generated_class import make_class, precision_recall, tag, write_class  # noqa: E402

KINDS = ["values", "shape", "transposed", "factor", "sign", "nan", "not-implemented", "raised"]
CONCEPTS = {"test_sigmoid": ("05_activations_and_outputs", ["activations"]),
            "test_sigmoid_prime": ("05_activations_and_outputs", ["activation derivatives"]),
            "test_mse": ("06_losses_and_likelihood", ["losses", "the 1/N of a mean"]),
            "test_numgrad": ("08_backpropagation", ["gradient checking"]),
            "test_minibatches": ("07_gradient_descent", ["mini-batches"]),
            "test_sgd": ("07_gradient_descent", ["gradient descent step"])}


def make_course(folder):
    """A course folder with the demo assignment and its release (nbgrader generate_assignment)."""
    shutil.copy(ROOT / "nbgrader_config.py", folder / "nbgrader_config.py")
    shutil.copytree(SOURCE.parent, folder / "solutions" / "demo")
    env = dict(os.environ, PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", "demo", "--force"], cwd=folder,
                   env=env, check=True, capture_output=True)
    tag(folder, "demo", CONCEPTS)
    return json.loads((folder / "exercises" / "demo" / "demo.ipynb").read_text())


def generated(students, seed):
    """A class of ``students``: about an eighth in copy groups of 2–5, four template-only, the rest independent."""
    rng = random.Random(seed)
    groups, copied = [], 0
    while copied < students // 8:
        groups.append(rng.randint(2, 5))
        copied += groups[-1]
    return make_class(independent=students - copied - 4, groups=tuple(groups), template_only=4, seed=seed)


def timed(template, prepare, command):
    """(seconds, result) of ``command(course)`` on a copy of the template course that ``prepare`` filled."""
    with tempfile.TemporaryDirectory(prefix="bench-insight-") as tmp:
        course = Path(tmp) / "course"
        shutil.copytree(template, course)
        prepare(course)
        started = time.perf_counter()
        result = command(course)
        return time.perf_counter() - started, result


def time_similarity(template, release, cls):
    seconds, result = timed(template, lambda course: write_class(course, cls, release),
                            lambda course: similarity(course, "demo"))
    flagged = {frozenset((p.a, p.b)) for p in result.pairs}
    code = sum(len("".join((answers or {}).values())) for answers in cls.answers.values())
    return seconds, precision_recall(flagged, cls.copied), code


def lengthened(cls, times):
    """Every answer ``times`` as long: its functions repeated under new names (f, f_1, f_2, ...)."""
    if times == 1:
        return cls
    for answers in cls.answers.values():
        for gid, code in (answers or {}).items():
            names = re.findall(r"^def (\w+)", code, flags=re.M)
            copies = [code]
            for i in range(1, times):
                copy = code
                for name in names:
                    copy = re.sub(rf"\b{name}\b", f"{name}_{i}", copy)
                copies.append(copy)
            answers[gid] = "\n\n\n".join(copies)
    return cls


def record_graded_class(course_dir, students, seed):
    """Grades of ``students`` written as autograde writes them: gradebook rows, then a journal line each."""
    rng = random.Random(seed)
    course = Course(course_dir)
    spec = load_assignment(course, "demo")
    ensure_assignment(course, "demo", spec)
    writer = GradebookWriter(course, "demo")
    journal = Journal(course.state_dir("demo") / "journal.jsonl")
    try:
        for i in range(students):
            student = f"s{i:04d}"
            verdicts = {}
            for gid, points in POINTS.items():
                failed = rng.random() < 0.25
                verdicts[gid] = {"score": 0.0 if failed else float(points),
                                 "kind": rng.choice(KINDS) if failed else None}
            writer.record(Result(student=student, assignment="demo", key=str(i),
                                 notebooks={"demo": {"verdicts": verdicts, "unanswered": []}}))
            journal.append({"student": student, "key": str(i), "status": "graded",
                            "score": sum(v["score"] for v in verdicts.values()), "max_score": sum(POINTS.values()),
                            "flags": [], "verdicts": {"demo": verdicts}})
    finally:
        writer.close()


def time_analyze(template, students, seed=0):
    seconds, result = timed(template, lambda course: record_graded_class(course, students, seed),
                            lambda course: analyze(course, "demo"))
    assert len(result.results.students) == students and result.concepts
    return seconds


def time_commands(template, release, students):
    """Wall seconds of `python -m grading analyze` and `... similarity` as commands (start-up and imports
    included) on one class of ``students``, graded and submitted."""
    env = dict(os.environ, PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))

    def command(name):
        def run(course):
            done = subprocess.run([sys.executable, "-m", "grading", name, "demo"], cwd=course, env=env,
                                  capture_output=True, text=True)
            assert done.returncode == 0, done.stderr
        return run

    def prepare(course):
        record_graded_class(course, students, 0)
        write_class(course, generated(students, 0), release)

    return {name: timed(template, prepare, command(name))[0] for name in ("analyze", "similarity")}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=500, help="the largest class (default 500)")
    parser.add_argument("--seeds", type=int, default=3, help="generated classes per size for similarity (default 3)")
    args = parser.parse_args()
    n = args.students
    with tempfile.TemporaryDirectory(prefix="bench-insight-template-") as tmp:
        template = Path(tmp)
        release = make_course(template)
        print(f"generated classes of the demo assignment (7 answer cells), {os.cpu_count()} cores")
        for size in (n // 4, n // 2, n):
            runs = [time_similarity(template, release, generated(size, seed)) for seed in range(args.seeds)]
            seconds = [r[0] for r in runs]
            precision = [r[1][0] for r in runs]
            recall = [r[1][1] for r in runs]
            print(f"  similarity, {size:4d} students: {min(seconds):6.2f} s best, {max(seconds):6.2f} s worst of "
                  f"{args.seeds}; precision {sum(precision) / len(precision):.3f} (min {min(precision):.3f}), "
                  f"recall {sum(recall) / len(recall):.3f} (min {min(recall):.3f})")
        for times in (1, 4, 16):
            seconds, _, code = time_similarity(template, release, lengthened(generated(100, 0), times))
            print(f"  similarity, 100 students, answers ×{times:<2d}: {seconds:6.2f} s, "
                  f"{1000 * seconds / code * 1000:.2f} ms per 1000 characters of answer code ({code} characters)")
        seconds = time_analyze(template, n)
        print(f"  analyze, {n:4d} graded students: {seconds:6.2f} s")
        commands = time_commands(template, release, n)
        print(f"  as commands, start-up included, {n} students: analyze {commands['analyze']:.2f} s, "
              f"similarity {commands['similarity']:.2f} s   (target for both: ≤ 60 s at 500 students)")


if __name__ == "__main__":
    main()
