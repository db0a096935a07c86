"""The grader's own records and boundaries: one vocabulary of flags, every exception class in one place, typed jobs
and results whose failure kind (not their wording) decides a retry, and what each side of the sandbox boundary may
import."""
from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from grading import flags
from grading.records import Failure, Job, Result

GRADING = Path(__file__).resolve().parents[2] / "grading"
MODULES = sorted(p for p in GRADING.rglob("*.py") if "__pycache__" not in p.parts)


def _tree(path):
    return ast.parse(path.read_text(encoding="utf-8"), str(path))


def _imports(path):
    """Absolute names of the modules ``path`` imports (relative imports resolved inside ``grading``)."""
    package = ".".join(("grading",) + path.relative_to(GRADING).parent.parts)
    found = set()
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(filter(None, (base, node.module)))
            found.add(module)
            if node.level:          # from .. import flags: a module too
                found |= {f"{module}.{alias.name}" for alias in node.names}
    return found


def test_every_flag_is_emitted_through_the_vocabulary():
    literal = []
    for path in MODULES:
        if path.name == "flags.py":
            continue
        for node in ast.walk(_tree(path)):
            # a flag is emitted as a (code, message) pair
            if isinstance(node, ast.Tuple) and len(node.elts) == 2 and isinstance(node.elts[0], ast.Constant) \
                    and node.elts[0].value in flags.CODES:
                literal.append(f"{path.relative_to(GRADING)}:{node.lineno} {node.elts[0].value}")
    assert literal == [], "use the constants of grading.flags"


def test_every_flag_is_documented_in_the_readme():
    readme = (GRADING / "README.md").read_text(encoding="utf-8")
    assert {code for code in flags.CODES if f"`{code}`" not in readme} == set()
    assert set(flags.MEANING) == flags.CODES and all(flags.MEANING.values())


def test_exception_classes_live_in_one_place():
    # (see errors.py for why these keep their own)
    allowed = {"errors.py", "protocol.py", "asserts.py", "marking/sandbox.py", "marking/seccomp.py"}
    found = []
    for path in MODULES:
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.ClassDef) and any(
                    getattr(base, "id", getattr(base, "attr", "")).endswith(("Error", "Exception", "Failed"))
                    or getattr(base, "id", "") in ("CheckFailed", "StudentError") for base in node.bases):
                found.append((path.relative_to(GRADING).as_posix(), node.name))
    assert [f for f in found if f[0] not in allowed] == []
    from grading import errors
    assert {name for _, name in found} <= set(errors.__all__)


def test_the_sandboxed_side_imports_nothing_of_the_course():
    stdlib = set(sys.stdlib_module_names)
    for name, allowed in [("sandboxed/runner.py", {"protocol", "numpy", "IPython"}), ("protocol.py", {"numpy"}),
                          ("asserts.py", {"numpy"})]:
        imported = {module.split(".")[0] for module in _imports(GRADING / name)} - {"__future__"}
        assert imported - stdlib <= allowed, (name, imported - stdlib)


def test_the_marking_side_never_imports_the_parents_writers_or_the_insight_reports():
    parent_only = {"grading.autograde", "grading.journal", "grading.gradebook", "grading.report", "grading.workers",
                   "grading.export", "grading.late", "grading.release", "grading.check", "grading.__main__",
                   "grading.insight", "grading.sandboxed", "nbgrader"}
    for path in sorted((GRADING / "marking").glob("*.py")):
        imported = _imports(path)
        assert not {m for m in imported if any(m == p or m.startswith(p + ".") for p in parent_only)}, path.name


def _job():
    return Job(student="s", assignment="a", key="k", spec=None, path="/nowhere", limits=None)


@pytest.mark.parametrize("failure, retried", [(Failure.SANDBOX, True), (Failure.WORKER, True),
                                              (Failure.DEADLINE, False), (Failure.BUG, False),
                                              (Failure.NOTEBOOKS, False), (Failure.SAVE, False)])
def test_a_retry_is_decided_by_the_failure_kind_not_by_its_words(failure, retried):
    words = "the sandbox of the notebook named sandbox.ipynb"      # words that fooled `"sandbox" in reason`
    assert Result.failed(_job(), failure, words).retry is retried
    assert not Result(student="s", assignment="a", key="k").retry
