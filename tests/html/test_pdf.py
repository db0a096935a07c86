"""The PDF edition (``make pdf`` = tools/build_pdf.py): built offline by Debian's Chromium, every chapter
in it with its title, every figure of the web pages, formulas typeset and explorers drawn.

The PDF is built once per session into ``$TEST_OUTPUT_DIR``, in the session's background pool right after the book
(the single-page build reuses the execution cache of the HTML build, so nothing is executed again).
"""
from __future__ import annotations

import re
import subprocess
import sys
import unicodedata

import pytest
from bs4 import BeautifulSoup

from tests import background_runs

from .conftest import BOOK_BUILD, OUTPUT_DIR, ROOT, build_book, toc_files

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def build_pdf():
    """``make pdf``'s build into $TEST_OUTPUT_DIR once the book is built: (exit status, output, the PDF's path)."""
    if background_runs.RUNS.result(BOOK_BUILD, build_book)[0] != 0:
        return None                 # html_dir reports the failed build
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    out = OUTPUT_DIR / "nn-textbook.pdf"
    out.unlink(missing_ok=True)
    proc = subprocess.run([sys.executable, str(ROOT / "tools" / "build_pdf.py"), "--out", str(out)], cwd=ROOT,
                          capture_output=True, text=True)
    return proc.returncode, proc.stdout + proc.stderr, out


PDF_BUILD = ("pdf build",)
background_runs.fixture_run("pdf", PDF_BUILD, build_pdf)      # in the background pool, after the book build


@pytest.fixture(scope="module")
def pdf(html_dir):
    from tests.conftest import require

    require("chromium", "printing the PDF edition")
    returncode, output, out = background_runs.RUNS.result(PDF_BUILD, build_pdf)
    assert returncode == 0, f"tools/build_pdf.py failed:\n{output[-4000:]}"
    from pypdf import PdfReader

    return PdfReader(str(out))


@pytest.fixture(scope="module")
def pdf_text(pdf):
    text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text))  # NFKC: the "ﬀ" ligature is "ff"


def _title(html_dir, doc):
    soup = BeautifulSoup((html_dir / f"{doc}.html").read_text(encoding="utf-8"), "html.parser")
    title = (soup.select_one("article h1") or soup.find("h1")).get_text(" ")
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", title)).rstrip("#").strip()


def test_pdf_has_every_chapter(html_dir, pdf_text):
    missing = [doc for doc in toc_files() if _title(html_dir, doc) not in pdf_text]
    assert not missing, f"chapters whose title is not in the PDF: {missing}"
    assert len(pdf_text) > 200_000, f"the PDF has only {len(pdf_text)} characters of text"


def test_pdf_has_every_figure_and_explorer_snapshot(html_dir, pdf):
    soups = [BeautifulSoup((html_dir / f"{doc}.html").read_text(encoding="utf-8"), "html.parser") for doc in toc_files()]
    figures = sum(len(soup.select("article .cell_output img")) for soup in soups)
    explorers = sum(len(soup.select("article .nnlib-explorer")) for soup in soups)
    images = sum(len(page.images) for page in pdf.pages)
    assert figures >= 40 and explorers >= 10, (figures, explorers)
    assert images >= figures + explorers, (f"the web pages show {figures} figures and {explorers} explorers, "
                                           f"the PDF has {images} images")


def test_pdf_has_typeset_math_and_drawn_explorers(pdf_text):
    # (code cells may spell TeX in plot labels, so look for the delimiters only untypeset math keeps)
    raw_tex = re.findall(r".{0,30}\\[(\[].{0,30}", pdf_text)
    assert not raw_tex, f"untypeset formulas in the PDF: {raw_tex[:5]}"
    assert "needs plotly.js" not in pdf_text, "an explorer was printed before plotly.js drew it"
    # explorers print their first frame, titled as on the web page
    assert "η = 0.01, μ = 0: after 60 steps" in pdf_text, "the gradient-descent explorer's title is not in the PDF"
