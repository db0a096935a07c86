"""The pinned JupyterLab and its extensions agree: Lab itself calls every installed extension
compatible (an extension Lab calls incompatible is one release away from not loading)."""
import re
import subprocess
import sys
from pathlib import Path

JUPYTER = Path(sys.executable).with_name("jupyter")
COLOURS = re.compile(r"\x1b\[[0-9;]*m")


def labextension_list():
    done = subprocess.run([str(JUPYTER), "labextension", "list"], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return COLOURS.sub("", done.stdout + done.stderr)  # Lab writes the list to stderr


def test_jupyterlab_calls_every_extension_compatible():
    listing = labextension_list()
    extensions = [line.split()[0] for line in listing.splitlines()
                  if re.search(r" (enabled|disabled) ", line)]
    assert "jupyterlab-myst" in extensions  # the MyST renderer of the live chapters
    assert "not compatible" not in listing, listing
    for line in listing.splitlines():
        if re.search(r" (enabled|disabled) ", line):
            assert re.search(r" (enabled|disabled) +OK\b", line), line
