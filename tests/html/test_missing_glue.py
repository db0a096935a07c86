"""A reader never sees a blank number: a glued value that is missing fails the ``-W`` build, naming the chapter and
the glue name (issue #20). A tiny book with the book's own ``{eval}`` role (book/_ext/glue_eval.py) is built as
``make book`` builds: one chapter glues one value and quotes it, and also quotes a name nothing glued.
"""
from __future__ import annotations

import json
import re
import os
import shutil
import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup

from .conftest import ROOT

CONFIG = """title: glue check
only_build_toc_files: true
execute:
  execute_notebooks: force
  allow_errors: false
sphinx:
  local_extensions:
    glue_eval: _ext
"""


def _chapter(quoted):
    cells = [{"cell_type": "markdown", "metadata": {}, "source": "# A chapter\n\nThe loss is "
              + " and ".join(f'{{eval}}`glue.text("{name}")`' for name in quoted) + "."},
             {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
              "source": 'from nnlib.glue import glue\nglue("final_loss", 0.125, display=False)'}]
    return {"cells": cells, "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                        "language": "python"}}, "nbformat": 4, "nbformat_minor": 5}


def _build(book: Path, quoted):
    (book / "_ext").mkdir(parents=True)
    shutil.copy(ROOT / "book" / "_ext" / "glue_eval.py", book / "_ext")
    (book / "_config.yml").write_text(CONFIG)
    (book / "_toc.yml").write_text("format: jb-book\nroot: loss_chapter\n")
    (book / "loss_chapter.ipynb").write_text(json.dumps(_chapter(quoted)))
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    return subprocess.run([str(Path(sys.executable).with_name("jupyter-book")), "build", "-W", "--keep-going", "."],
                          cwd=book, env=env, capture_output=True, text=True, timeout=600)


def test_a_missing_glued_value_fails_the_build_naming_chapter_and_name(tmp_path):
    build = _build(tmp_path, ["final_loss", "final_los"])
    log = build.stdout + build.stderr
    page = BeautifulSoup((tmp_path / "_build/html/loss_chapter.html").read_text(), "html.parser")
    assert "The loss is 0.125 and" in " ".join(page.get_text().split()), "the glued value is not pasted"
    assert build.returncode != 0, f"the build passed although 'final_los' was never glued:\n{log[-3000:]}"
    warnings = [line for line in log.splitlines() if "WARNING" in line and re.search(r"\bfinal_los\b", line)]
    assert any("loss_chapter" in line for line in warnings), \
        f"no warning names both the chapter and the glue name 'final_los':\n{log[-3000:]}"
