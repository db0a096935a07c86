"""Mechanical rules of the chapter protocol (issue #21; ``tools/chapter_checks.py`` holds the checks).

Per chapter: no control characters in the notebook's strings, every ':' followed by what it announces, the held-out
test set evaluated once (later uses labelled post-hoc reports), and every ``assert`` tagged ``# exact`` or
``# outcome: …``. ``python tools/chapter_checks.py --counts`` lists the exact/outcome counts per chapter.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import chapter_checks  # noqa: E402

CHAPTERS = chapter_checks.chapters()


@pytest.mark.parametrize("check", list(chapter_checks.CHECKS))
@pytest.mark.parametrize("chapter", CHAPTERS, ids=[c.stem for c in CHAPTERS])
def test_chapter_follows_rule(chapter, check):
    nb = chapter_checks.load(chapter)
    problems = chapter_checks.CHECKS[check](nb)
    counts = ""
    if check == "assertion_tags":
        c = chapter_checks.assertion_counts(nb)
        counts = f"\n(asserts in {chapter.stem}: {c['exact']} exact, {c['outcome']} outcome, {c['untagged']} untagged)"
    assert not problems, f"{chapter.relative_to(ROOT)} breaks {check}:\n  " + "\n  ".join(problems) + counts


def _notebook(*cells):
    import nbformat

    nb = nbformat.v4.new_notebook()
    for kind, text, *tags in cells:
        cell = (nbformat.v4.new_markdown_cell if kind == "md" else nbformat.v4.new_code_cell)(text)
        if tags:
            cell.metadata["tags"] = tags
        nb.cells.append(cell)
    return nbformat.from_dict(nb)


def test_the_checks_see_each_kind_of_slip():
    """Each check fires on a small example of its slip and stays quiet on the corrected one."""
    check = chapter_checks.CHECKS
    assert check["control_characters"](_notebook(("md", "slope at most $\tfrac14$")))
    assert not check["control_characters"](_notebook(("md", "slope at most $\\tfrac14$\nnext line")))

    assert check["colon_without_code"](_notebook(("md", "Compare:"), ("code", "x = 1", "remove-cell"), ("md", "Text")))
    assert check["colon_without_code"](_notebook(("md", "the radius:\nThe table:\n\n| a |"), ("code", "x")))
    assert check["colon_without_code"](_notebook(("md", "layer by layer:\n\n## Next section"), ("code", "x")))
    assert not check["colon_without_code"](_notebook(("md", "Compare:"), ("code", "x = 1"), ("md", ":::{note}\n:::")))
    assert not check["colon_without_code"](_notebook(("md", "the rule:\n\n$$ w $$\n\nor:\n- a"), ("code", "x")))

    test_set = [("code", "X_train, X_test = X[:10], X[10:]"), ("code", "acc = net.score(X_test)  " +
                chapter_checks.ONE_EVALUATION)]
    assert check["test_set_use"](_notebook(test_set[0], ("code", "print(net.score(X_test))")))      # no marker
    assert check["test_set_use"](_notebook(*test_set, ("code", "best = max(nets, key=lambda n: n.score(X_test))")))
    assert not check["test_set_use"](_notebook(*test_set, ("code", f"{chapter_checks.POST_HOC}\nprint(test_acc)")))

    tagged = _notebook(("code", "# exact\nassert n == 3\nassert m < 1   # outcome: 5 seeds, margin 0.1\n"
                                "# outcome: mean over 5 seeds\n#   smallest gap 0.08\nassert gap > 0.03"))
    assert chapter_checks.assertion_counts(tagged) == {"exact": 1, "outcome": 2, "untagged": 0, "both": 0}
    untagged = _notebook(("code", "# exact\nassert n == 3\nassert m == 4   # m is four\nx = 1\nassert x"))
    assert len(check["assertion_tags"](untagged)) == 2
