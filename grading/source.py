"""What an assignment's source notebooks say: the test cells with their hidden parts, the locked cells, the
solution cells, and the release version of every cell (what students get, made by nbgrader's own preprocessors).

The grader takes test code only from here — never from a submission.
"""
from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

GRADER_VERSION = "1"      # part of every journal key: bump it when grading itself changes


@dataclass
class SourceCell:
    index: int
    grade_id: str | None
    cell_type: str
    kind: str                       # "test", "solution", "locked" or "plain"
    source: str                     # the instructor's full source (solutions, hidden tests)
    release: dict                   # the cell as released to students (nbformat dict, no outputs)
    points: float = 0.0
    hidden_lines: frozenset = frozenset()   # 1-based line numbers of the hidden-test block(s)

    @property
    def filename(self):
        return f"<test {self.grade_id}>" if self.kind == "test" else f"<locked {self.grade_id or self.index}>"


@dataclass
class NotebookSpec:
    name: str
    cells: list
    metadata: dict
    by_id: dict = field(default_factory=dict)

    def __post_init__(self):
        self.by_id = {c.grade_id: c for c in self.cells if c.grade_id}

    @property
    def tests(self):
        return [c for c in self.cells if c.kind == "test"]

    @property
    def max_score(self):
        return sum(c.points for c in self.tests)


@dataclass
class AssignmentSpec:
    name: str
    notebooks: dict                 # name -> NotebookSpec
    data_files: list                # (relative name, absolute path)
    fingerprint: str
    warnings: list = field(default_factory=list)   # problems of the source the instructor should know about


# Names the test code always resolves on the grader's side (never in the student's kernel).
GRADER_NAMES = {"np", "numpy", "nnlib", "assert_close", "assert_shape", "assert_equal", "assert_true", "after_call",
                "CheckFailed"}


def shadowed_names(source):
    """Top-level names a solution cell defines that the test code cannot see: builtins and the grader's names."""
    import ast
    import builtins
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names & (set(dir(builtins)) | GRADER_NAMES)


def _text(source):
    return "".join(source) if isinstance(source, list) else str(source)


def _kind(meta, cell_type):
    if meta.get("grade") and not meta.get("solution") and cell_type == "code":
        return "test"
    if meta.get("solution") or meta.get("grade") or meta.get("task"):
        return "solution"           # student's answer (manually graded ones too)
    if meta.get("locked"):
        return "locked"
    return "plain"


def hidden_lines(source, begin, end):
    lines, inside = set(), False
    for number, line in enumerate(source.split("\n"), start=1):
        if begin in line:
            inside = True
        if inside:
            lines.add(number)
        if end in line:
            inside = False
    return frozenset(lines)


def release_notebook(nb, config):
    """The student version of a source notebook, made with nbgrader's generate_assignment preprocessors."""
    from nbgrader.preprocessors import (ClearHiddenTests, ClearMarkScheme, ClearOutput, ClearSolutions,
                                        ComputeChecksums, LockCells)
    nb = copy.deepcopy(nb)
    resources = {}
    for preprocessor in (LockCells, ClearSolutions, ClearOutput, ComputeChecksums, ClearHiddenTests,
                         ClearMarkScheme, ComputeChecksums):
        nb, resources = preprocessor(config=config).preprocess(nb, resources)
    return nb


def load_notebook_spec(path, config):
    import nbformat             # here, not at the top: workers unpickle specs and need not pay for nbformat
    nb = nbformat.read(str(path), as_version=4)
    release = release_notebook(nb, config)
    begin = config.ClearHiddenTests.get("begin_test_delimeter", "BEGIN HIDDEN TESTS")
    end = config.ClearHiddenTests.get("end_test_delimeter", "END HIDDEN TESTS")
    cells = []
    for index, (cell, released) in enumerate(zip(nb.cells, release.cells)):
        meta = cell.metadata.get("nbgrader", {})
        kind = _kind(meta, cell.cell_type) if meta else "plain"
        source = _text(cell.source)
        released = json.loads(json.dumps(released))
        released.pop("id", None)
        cells.append(SourceCell(
            index=index, grade_id=meta.get("grade_id"), cell_type=cell.cell_type, kind=kind, source=source,
            release=released, points=float(meta.get("points") or 0) if kind == "test" else 0.0,
            hidden_lines=hidden_lines(source, begin, end) if kind == "test" else frozenset()))
    metadata = json.loads(json.dumps(release.metadata))
    return NotebookSpec(name=Path(path).stem, cells=cells, metadata=metadata)


def load_assignment(course, assignment):
    """The AssignmentSpec of ``solutions/<assignment>/`` (every notebook in it)."""
    folder = course.source_dir(assignment)
    paths = sorted(folder.glob("*.ipynb"))
    if not paths:
        raise FileNotFoundError(f"no source notebooks in {folder} (is '{assignment}' the right assignment name?)")
    notebooks = {p.stem: load_notebook_spec(p, course.config) for p in paths}
    data_files = course.data_files(assignment)
    digest = hashlib.sha256(GRADER_VERSION.encode())
    for name, spec in sorted(notebooks.items()):
        digest.update(name.encode())
        for cell in spec.cells:
            if cell.kind in ("test", "locked", "solution"):
                digest.update(json.dumps([cell.grade_id, cell.kind, cell.points, cell.source,
                                          _text(cell.release.get("source", ""))]).encode())
    for relname, path in data_files:
        digest.update(relname.encode())
        digest.update(hashlib.sha256(Path(path).read_bytes()).digest())
    warnings = [f"{name}: solution cell {cell.grade_id} defines {shadowed}, which the tests will take from "
                f"Python or the grader, not from the student: rename it"
                for name, spec in notebooks.items() for cell in spec.cells if cell.kind == "solution"
                for shadowed in sorted(shadowed_names(cell.source))]
    return AssignmentSpec(assignment, notebooks, data_files, digest.hexdigest(), warnings)
