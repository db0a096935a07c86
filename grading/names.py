"""Which submitted file is which notebook of the assignment, when browsers and LMSs have renamed them.

A download saved twice becomes ``ps05_backprop (1).ipynb``, Google Drive and Windows make ``Copy of
ps05_backprop.ipynb``, JupyterLab's Duplicate ``ps05_backprop-Copy1.ipynb``, macOS ``ps05_backprop copy.ipynb``,
Canvas numbers a resubmission ``ps05_backprop-1.ipynb``, and some systems change the case.
``match_notebooks`` pairs each expected notebook with the submitted file of exactly that name, or else with the one
file whose name differs from it only by those additions; a renamed match is reported (the instructor sees a flag),
two candidates for one notebook or a notebook with no candidate while other notebooks are present is a problem that
names the files, and notebooks that match nothing are listed as extra.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from . import flags as flag

_ADDED = [re.compile(r"^copy of\s+", re.IGNORECASE),        # "Copy of ps05_backprop" (Google Drive, Windows)
          re.compile(r"\s*\(\d+\)$"),                        # "ps05_backprop (1)" (a download saved twice)
          re.compile(r"-\d+$"),                              # "ps05_backprop-1" (Canvas resubmission)
          re.compile(r"-copy\d*$", re.IGNORECASE),           # "ps05_backprop-Copy1" (Jupyter's Duplicate)
          re.compile(r"\s+copy(\s+\d+)?$", re.IGNORECASE)]    # "ps05_backprop copy 2" (macOS Finder)


def plain_name(stem):
    """The name without what downloads and LMSs add, in lower case: ``Copy of PS05 (2)`` -> ``ps05``."""
    name, previous = stem.strip(), None
    while name != previous:
        previous = name
        for pattern in _ADDED:
            name = pattern.sub("", name).strip()
    return name.lower()


@dataclass
class Matching:
    found: dict = field(default_factory=dict)       # expected notebook name -> submitted file name
    renamed: dict = field(default_factory=dict)     # the subset of found whose file name differs
    extra: list = field(default_factory=list)       # submitted notebooks that are none of the expected ones
    problems: list = field(default_factory=list)    # why a notebook could not be matched (names the files)

    def flags(self):
        flags = [(flag.RENAMED_NOTEBOOK, f"{file} was graded as {name}.ipynb") for name, file in self.renamed.items()]
        if self.extra:
            flags.append((flag.EXTRA_NOTEBOOK, "notebooks that are not part of the assignment (not graded): "
                                            + ", ".join(self.extra)))
        return flags


def submitted_notebooks(folder):
    """The .ipynb files directly in ``folder`` (not hidden ones, not checkpoints), sorted."""
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    return sorted(n for n in names if n.lower().endswith(".ipynb") and not n.startswith("."))


def match_notebooks(expected, files):
    """Pair the assignment's notebook names (without .ipynb) with submitted file names (see the module docstring)."""
    matching = Matching()
    stems = {file: file[:-len(".ipynb")] for file in files}
    taken = set()
    for name in expected:
        if f"{name}.ipynb" in stems:
            matching.found[name] = f"{name}.ipynb"
            taken.add(f"{name}.ipynb")
    for name in expected:
        if name in matching.found:
            continue
        candidates = [f for f, stem in stems.items() if f not in taken and plain_name(stem) == plain_name(name)]
        if len(candidates) == 1:
            matching.found[name] = matching.renamed[name] = candidates[0]
            taken.add(candidates[0])
        elif candidates:
            matching.problems.append(f"{name}.ipynb is missing and several files could be it: "
                                     f"{', '.join(candidates)} (keep one)")
            taken.update(candidates)
    matching.extra = [f for f in files if f not in taken]
    missing = [name for name in expected if name not in matching.found]
    if missing and matching.extra and not matching.problems:
        matching.problems.append(f"{', '.join(n + '.ipynb' for n in missing)} not found; the submission has "
                                 f"{', '.join(matching.extra)} instead (rename it to {missing[0]}.ipynb)")
    return matching
