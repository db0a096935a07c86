"""What a reader of the built book gets, checked in the HTML files (the browser tests are in test_reader.py).

* Every chapter that plots has its figures, although the test build runs with MPLBACKEND=Agg (conftest).
* Every figure is numbered, captioned, and has alt text that describes it (not a file name).
* Chapter titles carry their numbers; the glossary feeds the general index; every work cited by author
  and year is in the bibliography; every page has the version, the date, the PDF and a report link.
* Tables printed by code are styled tables with their numbers marked for right alignment.
* Explorer sliders announce the value they stand for (aria-valuetext), not an index.
"""
from __future__ import annotations

import functools
import json
import re
import sys

import pytest
from bs4 import BeautifulSoup

from .conftest import ROOT, source_of, toc_files

CHAPTERS = [doc for doc in toc_files() if re.search(r"/part\d/\d\d_", doc)]
FIGURE_CALL = re.compile(r"\bplt\.(subplots|figure)\(|\bnnlib\.plot\.images\(")
FILE_NAME = re.compile(r"(^|/)[\w.-]+\.(png|jpe?g|svg|gif)$|^[0-9a-f]{32,}$", re.I)


@functools.lru_cache(maxsize=None)
def _page(html_dir, doc):
    return BeautifulSoup((html_dir / f"{doc}.html").read_text(encoding="utf-8"), "html.parser")


def _article(soup):
    return soup.select_one("article.bd-article") or soup


def _figure_cells(doc):
    """Code cells of a chapter that draw a matplotlib figure."""
    nb = json.loads(source_of(doc).read_text(encoding="utf-8"))
    return [c for c in nb["cells"] if c["cell_type"] == "code" and FIGURE_CALL.search("".join(c["source"]))]


@pytest.mark.parametrize("doc", CHAPTERS)
def test_every_plotting_chapter_has_its_figures(html_dir, doc):
    """Each code cell that draws a figure yields at least one image on the page, whatever MPLBACKEND says."""
    cells = _figure_cells(doc)
    images = _article(_page(html_dir, doc)).select(".cell_output img")
    assert len(images) >= len(cells), (f"{doc}: {len(cells)} cells draw a figure but the page shows "
                                       f"{len(images)} images (built with MPLBACKEND=Agg)")


@pytest.mark.parametrize("doc", CHAPTERS)
def test_figures_are_numbered_captioned_and_described(html_dir, doc):
    problems = []
    for img in _article(_page(html_dir, doc)).select(".cell_output img"):
        alt = (img.get("alt") or "").strip()
        figure = img.find_parent("figure")
        caption = figure.find("figcaption") if figure else None
        number = caption.select_one(".caption-number") if caption else None
        where = img.get("src", "")[-20:]
        if not caption or len(caption.get_text(strip=True)) < 20:
            problems.append(f"{where}: no caption")
        elif number is None or not re.match(r"Fig\. \d+\.\d+", number.get_text(strip=True)):
            problems.append(f"{where}: caption without a figure number")
        if len(alt) < 20 or FILE_NAME.search(alt) or alt == (caption.get_text(" ", strip=True) if caption else ""):
            problems.append(f"{where}: alt text {alt!r} does not describe the figure")
    assert not problems, f"{doc}:\n" + "\n".join(problems)


def test_chapter_titles_are_numbered(html_dir):
    for k, doc in enumerate(CHAPTERS, start=1):
        title = _article(_page(html_dir, doc)).find("h1").get_text(" ", strip=True)
        assert re.match(rf"{k}\. \S", title), f"{doc}: title {title!r} does not start with its number {k}."


def test_glossary_terms_are_in_the_general_index(html_dir):
    glossary = BeautifulSoup((html_dir / "book/reference/glossary.html").read_text(), "html.parser")
    terms = [dt.get_text(" ", strip=True).rstrip("#").strip() for dt in glossary.select("dl.glossary dt")]
    assert len(terms) >= 30, f"the glossary has {len(terms)} terms"
    index = BeautifulSoup((html_dir / "genindex.html").read_text(), "html.parser").get_text(" ")
    missing = [t for t in terms if t not in index]
    assert not missing, f"glossary terms missing from the general index: {missing}"


def _cited_works():
    """(surname, year) of every work the chapters' text cites as 'Name (1997)' or '(Name et al., 2014)'."""
    cited = set()
    pattern = re.compile(r"(?<![\w-])([A-Z][a-zà-ÿ]+)(?: et al\.| and [A-Z][a-zà-ÿ]+)?,? \(?((?:19|20)\d\d)\)?")
    not_names = {"In", "By", "Since", "From", "After", "Until", "Before", "The"}
    for doc in CHAPTERS:
        nb = json.loads(source_of(doc).read_text(encoding="utf-8"))
        text = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
        cited.update(m.groups() for m in pattern.finditer(text) if m.group(1) not in not_names)
    return cited


def test_every_cited_work_is_in_the_bibliography(html_dir):
    bib = BeautifulSoup((html_dir / "book/reference/bibliography.html").read_text(), "html.parser")
    entries = [e.get_text(" ", strip=True) for e in bib.select(".citation")]
    assert len(entries) >= 30, f"the bibliography lists {len(entries)} works"
    cited = _cited_works()
    assert len(cited) >= 20, f"only {len(cited)} citations found in the chapters: is the pattern still right?"
    missing = sorted(f"{name} {year}" for name, year in cited
                     if not any(name in e and year in e for e in entries))
    assert not missing, f"cited in the text but not in the bibliography: {missing}"


def test_every_page_has_version_date_pdf_and_report_links(html_dir):
    sys.path.insert(0, str(ROOT / "book" / "_ext"))
    from reader_links import PDF_NAME

    for doc in toc_files():
        links = _page(html_dir, doc).select_one(".nnlib-reader-links")
        assert links is not None, f"{doc}: no version/report links below the page"
        text = links.get_text(" ", strip=True)
        assert re.search(r"Version \S+ .*\d{4}-\d\d-\d\d", text), f"{doc}: no version and date in {text!r}"
        pdf = links.select_one("a.nnlib-pdf-link")
        assert pdf is not None and pdf["href"].endswith(PDF_NAME), f"{doc}: no link to the PDF edition"
        report = links.select_one("a.nnlib-report-link")
        assert report is not None and "/issues/new?" in report["href"], f"{doc}: no report-an-error link"


def test_printed_tables_are_styled_with_numbers_marked(html_dir):
    tables = [(doc, t) for doc in CHAPTERS for t in _article(_page(html_dir, doc)).select(".cell_output table")]
    assert len(tables) >= 15, f"only {len(tables)} tables in cell outputs"
    unstyled = [doc for doc, t in tables if "nnlib-table" not in (t.get("class") or [])]
    assert not unstyled, f"tables printed by code without the book's table style: {unstyled}"
    example = next(t for doc, t in tables if "07_gradient_descent" in doc)
    cells = {td.get_text(strip=True): td.get("class") or [] for td in example.select("td")}
    assert "num" in cells["-1.0000"] and "num" not in cells["0.92x − 1"], cells


def test_explorer_sliders_announce_their_values(html_dir):
    sliders = [(doc, s) for doc in toc_files() for s in _page(html_dir, doc).select(".nnlib-explorer input[type=range]")]
    assert len(sliders) >= 10, f"only {len(sliders)} explorer sliders"
    for doc, slider in sliders:
        text = slider.get("aria-valuetext", "")
        output = slider.find_next_sibling("output").get_text(strip=True)
        assert text == f"{slider['aria-label']} = {output}", f"{doc}: slider announces {text!r}"
