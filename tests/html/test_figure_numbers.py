"""Figure numbers and captions as the reader sees them in the built HTML (issue #21: ch07 had no Fig. 7.2, a table
output having taken its number; ch13's Fig. 13.1 and 13.2 shared one caption).

Per chapter, the figures are numbered N.1, N.2, … with no gap or repeat, and each has a caption of its own.
"""
from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from .conftest import toc_files

CHAPTERS = [doc for doc in toc_files() if re.search(r"/part\d/\d\d_", doc)]
NUMBER = re.compile(r"Fig\.\s*(\d+)\.(\d+)")


def figure_captions(html: str) -> list[tuple[str, str]]:
    """(number text, caption text) of every figure of a page's article, in page order."""
    soup = BeautifulSoup(html, "html.parser")
    article = soup.select_one("article.bd-article") or soup
    found = []
    for figure in article.find_all("figure"):
        caption = figure.find("figcaption")
        number = caption.select_one(".caption-number") if caption else None
        text = caption.select_one(".caption-text") if caption else None
        found.append((number.get_text(" ", strip=True) if number else "",
                      (text or caption).get_text(" ", strip=True) if caption else ""))
    return found


def numbering_problems(captions: list[tuple[str, str]]) -> list[str]:
    problems, numbers = [], []
    for number, text in captions:
        match = NUMBER.match(number)
        if not match:
            problems.append(f"a figure without a number: {text[:60]!r}")
            continue
        numbers.append((int(match[1]), int(match[2])))
        if not text:
            problems.append(f"{number} has no caption")
    if numbers and [k for _, k in numbers] != list(range(1, len(numbers) + 1)):
        problems.append(f"figure numbers run {[f'{c}.{k}' for c, k in numbers]}: not 1, 2, 3, … without gap or repeat")
    if len({c for c, _ in numbers}) > 1:
        problems.append(f"figures carry more than one chapter number: {sorted({c for c, _ in numbers})}")
    texts = [t for _, t in captions if t]
    shared = sorted({t for t in texts if texts.count(t) > 1})
    if shared:
        problems.append(f"captions shared by more than one figure: {[t[:60] for t in shared]}")
    return problems


@pytest.mark.parametrize("doc", CHAPTERS)
def test_figures_numbered_in_order_with_own_captions(html_dir, doc):
    problems = numbering_problems(figure_captions((html_dir / f"{doc}.html").read_text(encoding="utf-8")))
    assert not problems, f"{doc}:\n  " + "\n  ".join(problems)


def _figure(number, caption):
    return (f'<figure><img src="a.png"><figcaption><p><span class="caption-number">{number} </span>'
            f'<span class="caption-text">{caption}</span></p></figcaption></figure>')


def test_numbering_problems_sees_gaps_repeats_and_shared_captions():
    good = _figure("Fig. 7.1", "Loss against epochs") + "<table></table>" + _figure("Fig. 7.2", "The path")
    assert numbering_problems(figure_captions(good)) == []
    gap = _figure("Fig. 7.1", "Loss against epochs") + _figure("Fig. 7.3", "The path")
    assert "without gap or repeat" in numbering_problems(figure_captions(gap))[0]
    shared = _figure("Fig. 13.1", "Filters") + _figure("Fig. 13.2", "Filters")
    assert "captions shared" in numbering_problems(figure_captions(shared))[0]
