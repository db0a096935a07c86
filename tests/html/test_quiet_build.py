"""The build's output is what a person needs to read (issue #20): no INFO line of fontTools' font subsetting,
although the theme's a11y_pygments sets the root logger to INFO. Runs book/_ext/page_weight.py's subsetting alone.
"""
from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT

SUBSET = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import a11y_pygments  # configures the root logger at INFO, as it does in every build
import page_weight
out = Path(sys.argv[2])
(out / "_static" / "styles").mkdir(parents=True)
(out / "_static" / "vendor" / "fontawesome" / "webfonts").mkdir(parents=True)
(out / "index.html").write_text('<i class="fa-brands fa-github"></i>')
page_weight._subset_font_awesome(out)
print(sorted(p.name for p in (out / "_static" / "vendor" / "fontawesome" / "webfonts").iterdir()))
"""


def test_font_subsetting_prints_no_info_lines(tmp_path):
    proc = subprocess.run([sys.executable, "-c", SUBSET, str(ROOT / "book" / "_ext"), str(tmp_path / "html")],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "fa-brands-400.woff2" in proc.stdout
    noise = [line for line in proc.stderr.splitlines() if "INFO" in line]
    assert not noise, f"{len(noise)} INFO lines, e.g. {noise[:3]}"
