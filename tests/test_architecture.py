"""The architecture stays easy to see: nnlib depends on nothing of the project's, notebooks are stripped."""
import ast
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROJECT_PACKAGES = {"book", "grading", "tests", "solutions", "exercises", "benchmarks", "tools"}


def imported_top_level(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0]


@pytest.mark.parametrize("path", sorted((ROOT / "nnlib").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_nnlib_imports_nothing_of_the_project(path):
    assert not set(imported_top_level(path)) & PROJECT_PACKAGES


def test_nnlib_modules_stay_short():
    long = {str(p.relative_to(ROOT)): n for p in (ROOT / "nnlib").rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400}
    assert not long, f"split these modules: {long}"


def test_chapter_notebooks_are_committed_without_outputs():
    for path in sorted((ROOT / "book").rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.parts:
            continue
        nb = json.loads(path.read_text(encoding="utf-8"))
        assert nb["metadata"].get("kernelspec", {}).get("name") == "python3", path
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                assert not cell["outputs"] and cell["execution_count"] is None, \
                    f"{path}: run tools/normalize_notebooks.py on it"


def test_every_toc_entry_exists():
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [ch["file"] for ch in part.get("chapters", [])]
    for f in files:
        assert any((ROOT / f).with_suffix(s).exists() for s in (".md", ".ipynb")), f


def test_the_intro_says_how_big_nnlib_is():
    """book/intro.md: 'about two thousand lines with their docstrings, and as many again for the explorers'."""
    def lines(paths):
        return sum(len(p.read_text(encoding="utf-8").splitlines()) for p in paths)
    assert "about two thousand lines" in (ROOT / "book" / "intro.md").read_text(encoding="utf-8")
    core, widgets = lines((ROOT / "nnlib").glob("*.py")), lines((ROOT / "nnlib" / "widgets").glob("*.py"))
    assert 1500 <= core <= 2500, f"nnlib has {core} lines: update the intro"
    assert 0.7 * core <= widgets <= 1.3 * core, f"the explorers have {widgets} lines, nnlib {core}: update the intro"
