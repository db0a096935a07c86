"""The instructor's insight commands: item analysis of a graded class (``python -m grading analyze``) and the
similarity report (``python -m grading similarity``), on generated classes with a known structure."""
from __future__ import annotations

import csv
import json
import shutil

import numpy as np
import pytest

from grading.asserts import CheckFailed, assert_close, assert_shape
from grading.insight.normalize import normalize
from grading.insight.similarity import similarity
from grading.autograde import NoSubmissions, autograde
from tests.conftest import ROOT, require
from tests.course.conftest import TEST_LIMITS
from tests.course.fixtures.demo import SOLUTIONS, submission
from tests.course.generated_class import make_class, precision_recall, tag, write_class

# Planted mistakes: student -> (answers, {test cell: the failure kind it must be recorded with}).
PLANTED = {
    "factor": ({"mse": "def mse(Y, T):\n    return float(np.sum((Y - T) ** 2))"}, {"test_mse": "factor"}),
    "sign": ({"sigmoid_prime": "def sigmoid_prime(a):\n    s = sigmoid(a)\n    return -s * (1 - s)"},
             {"test_sigmoid_prime": "sign"}),
    "transposed": ({"sigmoid": "def sigmoid(a):\n    a = np.asarray(a, dtype=float)\n"
                               "    return (1 / (1 + np.exp(-a))).T"},
                   {"test_sigmoid": "transposed", "test_sigmoid_prime": "transposed"}),
    "values": ({"n_params": "n_params = 9"}, {"test_n_params": "values"}),
    "not_implemented": ({"numgrad": "def numerical_gradient(f, x, h=1e-5):\n    raise NotImplementedError()"},
                        # the cell that reports numgrad_error then fails too: the name was never defined
                        {"test_numgrad": "not-implemented", "test_numgrad_check": "undefined"}),
    "nan": ({"minibatches": "def minibatches(N, batch_size):\n    for start in range(0, N, batch_size):\n"
                            "        yield np.arange(start, min(start + batch_size, N)) * np.nan"},
            {"test_minibatches": "nan"}),
}
CORRECT = ["good1", "good2"]
# The concepts and chapters the demo's test cells are tagged with, in two assignments (demo2 tags fewer cells).
TAGS = {"demo": {"test_sigmoid": ("05_activations_and_outputs", ["sigmoid"]),
                 "test_sigmoid_prime": ("05_activations_and_outputs", ["sigmoid", "derivatives"]),
                 "test_mse": ("06_losses_and_likelihood", ["losses"]),
                 "test_numgrad": ("08_backpropagation", ["gradient checking"])},
        "demo2": {"test_sigmoid": ("05_activations_and_outputs", ["sigmoid"]),
                  "test_mse": ("06_losses_and_likelihood", ["losses"])}}


def submit(root, assignment, student, nb):
    folder = root / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "demo.ipynb").write_text(json.dumps(nb))


def rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_assertions_name_the_kind_of_slip():
    expected = np.arange(6.0).reshape(2, 3) + 1
    for actual, kind in [(expected.T, "transposed"), (expected[:1], "shape"), (2 * expected, "factor"),
                         (-expected, "sign"), (expected + [[0, 0, 1], [0, 0, 0]], "values"),
                         (expected * np.nan, "nan"), ([1.0], "type")]:
        with pytest.raises(CheckFailed) as error:
            assert_close(actual, expected, "W")
        assert error.value.kind == kind
    with pytest.raises(CheckFailed) as error:
        assert_shape(np.zeros((3, 2)), (2, 3), "W")
    assert error.value.kind == "transposed"


@pytest.mark.slow
@pytest.mark.sandbox
def test_analyze_reports_the_planted_failure_kinds_and_the_concepts_of_a_graded_class(demo_course):
    require("bwrap", "sandboxed grading")
    root = demo_course.root
    shutil.copytree(root / "solutions" / "demo", root / "solutions" / "demo2")
    for assignment, tags in TAGS.items():
        tag(root, assignment, tags)
    for assignment in TAGS:
        for student in CORRECT:
            submit(root, assignment, student, submission(demo_course.release, SOLUTIONS))
        for student, (answers, _) in PLANTED.items():
            submit(root, assignment, student, submission(demo_course.release, dict(SOLUTIONS, **answers)))
        summary = autograde(root, assignment, workers=2, limits=TEST_LIMITS, progress=False, log=lambda m: None)
        assert (summary.graded, summary.failed) == (len(CORRECT) + len(PLANTED), 0)

    assert run("analyze", "demo", "--course", str(root)) == 0
    state = root / "autograded" / ".grading" / "demo"
    class_size = len(CORRECT) + len(PLANTED)
    for row in rows(state / "analysis.csv"):
        planted = {s: kinds[row["test"]] for s, (_, kinds) in PLANTED.items() if row["test"] in kinds}
        assert int(row["students"]) == class_size
        assert int(row["passed"]) == class_size - len(planted), row
        want = sorted(f"{kind}:{list(planted.values()).count(kind)}" for kind in set(planted.values()))
        assert sorted(row["failure_kinds"].split()) == want, row
        chapter, concepts = TAGS["demo"].get(row["test"], ("", []))
        assert (row["chapter"], row["concepts"]) == (chapter, "; ".join(concepts))

    # the concept view: the class's share of each tagged concept's points, per assignment, from the tags
    points = {"test_sigmoid": 1, "test_sigmoid_prime": 2, "test_mse": 1, "test_numgrad": 2}
    concepts = {(r["concept"], r["assignment"]): r for r in rows(state / "concepts.csv")}
    expected_keys = {(c, a) for a, tags in TAGS.items() for _, cs in tags.values() for c in cs}
    assert set(concepts) == expected_keys
    earned_by_student = {}
    for (concept, assignment), row in concepts.items():
        tests = [t for t, (_, cs) in TAGS[assignment].items() if concept in cs]
        earned = {s: sum(points[t] for t in tests if t not in PLANTED.get(s, ({}, {}))[1])
                  for s in CORRECT + list(PLANTED)}
        possible = sum(points[t] for t in tests)
        assert float(row["class_share"]) == pytest.approx(sum(earned.values()) / (possible * class_size), abs=1e-4)
        for student, e in earned.items():
            total = earned_by_student.setdefault(concept, {}).setdefault(student, [0, 0])
            total[0] += e
            total[1] += possible
    for (concept, _), row in concepts.items():
        weak = {s for s, (e, p) in earned_by_student[concept].items() if e / p < 0.5}
        listed = {item.split(":")[0] for item in row["students_needing_help"].split()}
        assert listed == weak, concept
    assert {item.split(":")[0] for r in concepts.values() if r["concept"] == "sigmoid"
            for item in r["students_needing_help"].split()} == {"transposed"}    # "sign" has 2 of 4 points
    page = (state / "analysis.html").read_text()
    assert page.count("data:image/png;base64,") == 3 and "a transposed matrix: 1" in page
    assert "analysis" in (state / "report.md").read_text()

    assert run("similarity", "demo", "--course", str(root)) == 0
    assert (state / "similarity.html").exists()


def test_similarity_finds_disguised_copy_groups_and_nobody_else(demo_course):
    generated = make_class(independent=40, groups=(2, 3, 3, 4), template_only=4, seed=0)
    write_class(demo_course.root, generated, demo_course.release)
    for pair in generated.copied:          # the copies really are disguised: no two are the same text
        a, b = sorted(pair)
        assert all(generated.answers[a][gid] != generated.answers[b][gid] for gid in ("sigmoid", "numgrad"))
    result = similarity(demo_course.root, "demo")
    flagged = {frozenset((p.a, p.b)) for p in result.pairs}
    precision, recall = precision_recall(flagged, generated.copied)
    assert (precision, recall) == (1.0, 1.0), (precision, recall)
    assert sorted(sorted(group) for group in _groups(result.pairs)) == sorted(map(sorted, generated.groups))
    template_only = [s for s, answers in generated.answers.items() if not answers or len(answers) == 1]
    assert not {s for p in result.pairs for s in (p.a, p.b)} & set(template_only)
    assert result.students == len(generated.answers) - len(template_only) // 2
    page = result.html.read_text()
    assert page.count('<div class="pair">') == len(flagged) and "<mark>" in page


def _groups(pairs):
    groups = {}
    for p in pairs:
        groups.setdefault(p.group, set()).update((p.a, p.b))
    return list(groups.values())


def test_normalised_code_ignores_names_comments_and_spacing_but_not_the_calls():
    one = "def f(a):\n    s = np.exp(-a)  # the exponent\n    return s / (1 + s)\n"
    two = "def g(x):\n\n    # another comment\n    val=np.exp( -x )\n    return val/(1+val)"
    other = "def f(a):\n    s = np.tanh(-a)\n    return s / (1 + s)\n"
    assert normalize(one).text == normalize(two).text != normalize(other).text
    norm = normalize(one)
    start, end = norm.starts[norm.text.index("np")], norm.ends[norm.text.index("np")]
    assert one[start:end] == "np"


def test_bad_input_gets_one_clear_line(demo_course, capsys):
    course = ("--course", str(demo_course.root))
    for command, assignment, words in [("analyze", "demo", "has not been graded"),
                                       ("similarity", "demo", "empty class"),
                                       ("similarity", "ps99_nothing", "no source notebooks")]:
        assert run(command, assignment, *course) == 2
        error = capsys.readouterr().err
        assert len(error.strip().splitlines()) == 1 and words in error, error

    with pytest.raises(NoSubmissions):                                                    # nobody submitted
        autograde(demo_course.root, "demo", unsandboxed=True, progress=False, log=lambda m: None)
    assert run("analyze", "demo", *course) == 2
    error = capsys.readouterr().err
    assert len(error.strip().splitlines()) == 1 and "empty class" in error, error

    demo_course.submit("alice", SOLUTIONS)
    demo_course.submit("bob", mutate=lambda nb: {**nb, "cells": [c for c in nb["cells"] if not c["metadata"]
                                                                 .get("nbgrader", {}).get("solution")]})
    assert run("similarity", "demo", *course) == 0
    notes = [line for line in capsys.readouterr().out.splitlines() if line.strip().startswith("bob:")]
    assert len(notes) == 1 and "no answer cells" in notes[0]

    result = demo_course.cli("analyze", "demo")              # the command line itself: one line, no traceback
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "has not been graded" in result.stderr


def run(*argv):
    """``python -m grading ARGV`` in this process; its exit status."""
    from grading.__main__ import main
    return main(list(argv))


def test_insight_benchmark_runs_on_a_small_class(demo_template, tmp_path):
    import importlib.util
    spec = importlib.util.spec_from_file_location("bench_insight", ROOT / "benchmarks" / "bench_insight.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    template = tmp_path / "template"
    shutil.copytree(demo_template, template)
    tag(template, "demo", bench.CONCEPTS)
    release = json.loads((template / "exercises" / "demo" / "demo.ipynb").read_text())
    seconds, (precision, recall), code = bench.time_similarity(template, release, bench.generated(24, seed=1))
    assert seconds > 0 and code > 0 and (precision, recall) == (1.0, 1.0)
    assert bench.time_analyze(template, 6) > 0


def _disguised_copy(seed):
    """(original answers, a renamed and re-spaced copy of them, other students' answers) from one generated class."""
    import random
    from tests.course import generated_class as gc
    rng = random.Random(seed)
    choices, picks, names = gc._student_answers(rng)
    original = gc._write(choices, picks, names, rng)
    copy = gc._write(choices, picks, gc._names(rng), rng, reorder=True)
    others = [gc._write(*gc._student_answers(rng), rng) for _ in range(4)]
    return original, copy, others


def test_similarity_reports_containment_a_copy_inside_dead_code_is_listed(demo_course):
    """Issue #23 class 6a: a renamed copy with four times as much dead code around it (never run) scored the
    smaller share, 0.12; the share of the original inside the copy is what tells."""
    generated = make_class(independent=16, groups=(), template_only=0, seed=3)
    write_class(demo_course.root, generated, demo_course.release)
    original, copy, others = _disguised_copy(seed=5)
    padded = {gid: code + "\n\n\nif False:\n" + "\n".join("    " + line for other in others
                                                          for line in other[gid].split("\n"))
              for gid, code in copy.items()}
    demo_course.submit("original", original)
    demo_course.submit("padded", padded)
    result = similarity(demo_course.root, "demo")
    pair = next((p for p in result.pairs if {p.a, p.b} == {"original", "padded"}), None)
    assert pair is not None, [(p.a, p.b, p.score) for p in result.pairs]
    shares = dict(zip((pair.a, pair.b), pair.shares))
    assert shares["original"] >= 0.8 > shares["padded"] and pair.score == shares["original"]
    assert {frozenset((p.a, p.b)) for p in result.pairs} == {frozenset(("original", "padded"))}


def test_similarity_compares_every_cell_the_grader_runs(demo_course):
    """Issue #23 class 6b: a copy placed in plain cells (the answer cells left as released) runs when graded, so it
    is compared too, and listed."""
    from tests.course.attacks._common import add_cells
    generated = make_class(independent=16, groups=(), template_only=0, seed=4)
    write_class(demo_course.root, generated, demo_course.release)
    original, copy, _ = _disguised_copy(seed=6)
    demo_course.submit("original", original)
    demo_course.submit("in_plain_cells", {}, add_cells(*copy.values(), after=None))
    result = similarity(demo_course.root, "demo")
    assert {frozenset((p.a, p.b)) for p in result.pairs} == {frozenset(("original", "in_plain_cells"))}
    assert not any(note.startswith("in_plain_cells") for note in result.notes)
