"""Fast checks behind the live notebooks: the glue markup, its converter, and the launch configuration."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
import yaml

from tests.conftest import ROOT


def converter(*args):
    return subprocess.run([sys.executable, str(ROOT / "tools" / "glue_to_eval.py"), *args], capture_output=True,
                          text=True)


def test_every_chapter_uses_glue_markup_that_jupyter_can_show():
    result = converter("--check", str(ROOT / "book"))
    assert result.returncode == 0, result.stdout


def test_converter_rewrites_roles_and_import_only_and_is_idempotent(tmp_path):
    nb = {"cells": [
        {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
         "source": ["import numpy as np\n", "from myst_nb import glue\n", "glue(\"loss\", 0.25, display=False)"]},
        {"cell_type": "markdown", "metadata": {},
         "source": ["The loss is {glue:text}`loss:.3f` and the\n", "vector ({glue:md}`vec`).\n", "Untouched line."]},
    ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "chapter.ipynb"
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")
    assert converter("--check", str(path)).returncode == 1
    assert converter(str(path)).returncode == 0
    once = path.read_text()
    cells = json.loads(once)["cells"]
    assert cells[0]["source"] == ["import numpy as np\n", "from nnlib.glue import glue\n",
                                  "glue(\"loss\", 0.25, display=False)"]
    assert cells[1]["source"] == ['The loss is {eval}`glue.text("loss:.3f")` and the\n',
                                  'vector ({eval}`glue.md("vec")`).\n', "Untouched line."]
    assert converter(str(path)).returncode == 0 and path.read_text() == once
    assert converter("--check", str(path)).returncode == 0


@pytest.mark.parametrize("value, spec", [(0.123456, ".3f"), (0.123456, ""), (1234567, ",.0f"), (12, ".1f"),
                                         (3.2e-7, ".1e"), (0.4567, ".0%"), ("12,345", ""), (7, "d")])
def test_glued_text_is_formatted_as_myst_nb_formats_it(value, spec):
    from IPython.core.formatters import format_display_data
    from myst_nb.core.variables import format_plain_text

    from nnlib.glue import Glue

    glue = Glue()
    glue("x", value, display=False)
    plain = format_display_data(value)[0]["text/plain"]
    assert glue.text(f"x:{spec}" if spec else "x") == format_plain_text(plain, spec)


def test_glue_names_what_is_missing():
    from nnlib.glue import Glue

    glue = Glue()
    glue("seen", 1.0, display=False)
    with pytest.raises(KeyError, match="'unseen'.*glued so far: seen"):
        glue.text("unseen:.2f")


def test_binder_builds_python_311_with_the_requirements_and_nnlib():
    binder = ROOT / "binder"
    assert (binder / "runtime.txt").read_text().strip() == "python-3.11"
    lines = [line for line in (binder / "requirements.txt").read_text().splitlines() if not line.startswith("#")]
    assert lines == ["-r ../requirements.txt"]
    assert "pip install --no-deps -e ." in (binder / "postBuild").read_text()
    pinned = (ROOT / "requirements.txt").read_text()
    for package in ("jupyterlab==", "notebook==", "jupyterlab-myst==", "ipywidgets==", "plotly=="):
        assert package in pinned


def test_jupyterhub_button_is_one_setting_and_off_while_unset():
    buttons = yaml.safe_load((ROOT / "_config.yml").read_text())["launch_buttons"]
    assert buttons["jupyterhub_url"] == "" and buttons["colab_url"] == ""
    assert buttons["binderhub_url"] and buttons["notebook_interface"] == "jupyterlab"
