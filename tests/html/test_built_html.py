"""Static checks of the built HTML book: nothing unpublished in it, nothing loaded from outside, light pages.

The browser tests (test_browser.py) then open every page in Chromium.
"""
from __future__ import annotations

import html
import json
import math
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from .conftest import ROOT, source_of, toc_files, toc_pages

MAX_FIGURE_BYTES = 1_000_000  # inline figure data per page (explorers' precomputed frames, data: URIs)
# nbgrader's markers for solution code, hidden tests and mark schemes (instructor versions only)
MARKERS = ["BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS", "BEGIN MARK SCHEME",
           "END MARK SCHEME"]
MIN_LINE = 20  # shorter lines (``return x``, ``import numpy as np``) are not distinctive
TEXT_SUFFIXES = {".html", ".js", ".txt", ".ipynb", ".md", ".json", ".py", ".css", ".svg", ".inv"}


def _norm(text):
    return " ".join(text.split())


def _notebook_text(path):
    """All cell sources of a notebook, one string (empty if unreadable)."""
    try:
        nb = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    return "\n".join("".join(c.get("source", "")) if isinstance(c.get("source"), list) else c.get("source", "")
                     for c in nb.get("cells", []))


def _public_lines():
    """Normalized lines of everything the project publishes anyway: chapters, nnlib, student notebooks."""
    lines = set()
    for folder, patterns in [("book", ["**/*.ipynb", "**/*.md", "**/*.py"]), ("nnlib", ["**/*.py"]),
                             ("exercises", ["**/*.ipynb", "**/*.py", "**/*.md"])]:
        for pattern in patterns:
            for path in (ROOT / folder).glob(pattern):
                if ".ipynb_checkpoints" in path.parts:
                    continue
                text = _notebook_text(path) if path.suffix == ".ipynb" else path.read_text(errors="replace")
                lines.update(_norm(line) for line in text.splitlines())
    return lines


def _distinctive(lines, public):
    out = set()
    for line in lines:
        line = _norm(line)
        if len(line) >= MIN_LINE and re.search(r"[A-Za-z]", line) and line not in public \
                and not any(m in line for m in MARKERS):
            out.add(line)
    return out


def secret_lines():
    """Lines of the instructor versions (solutions/) and of grading/ that the student versions do not have."""
    public = _public_lines()
    solution_lines, grading_lines = [], []
    for path in sorted((ROOT / "solutions").glob("**/*.ipynb")):
        if ".ipynb_checkpoints" not in path.parts:
            solution_lines += _notebook_text(path).splitlines()
    for path in sorted((ROOT / "grading").glob("**/*.py")):
        grading_lines += [line for line in path.read_text(errors="replace").splitlines()
                          if not line.strip().startswith("#")]
    return _distinctive(solution_lines, public), _distinctive(grading_lines, public)


def published_text(html_dir):
    """{relative path: searchable text} of every text file of the site except third-party assets in _static/."""
    texts = {}
    for path in sorted(html_dir.rglob("*")):
        rel = path.relative_to(html_dir)
        if not path.is_file() or rel.parts[0] == "_static" or path.suffix not in TEXT_SUFFIXES:
            continue
        raw = path.read_text(errors="replace")
        if path.suffix == ".html":
            soup = BeautifulSoup(raw, "html.parser")
            text = soup.get_text() + "\n" + html.unescape(raw)
        elif path.suffix == ".ipynb":
            text = _notebook_text(path) + "\n" + raw
        else:
            text = raw
        texts[str(rel)] = _norm(text)
    return texts


@pytest.fixture(scope="module")
def site_text(html_dir):
    return published_text(html_dir)


@pytest.fixture(scope="module")
def pages(html_dir):
    """{relative path: BeautifulSoup} of every HTML page."""
    return {str(p.relative_to(html_dir)): BeautifulSoup(p.read_text(errors="replace"), "html.parser")
            for p in sorted(html_dir.rglob("*.html")) if p.relative_to(html_dir).parts[0] != "_static"}


# ---- never published ------------------------------------------------------------------------------

def test_every_toc_page_is_built(html_dir):
    missing = [p for p in toc_pages() if not (html_dir / p).is_file()]
    assert not missing, f"pages of _toc.yml missing from the build: {missing}"


def test_no_unpublished_folder_is_built(html_dir):
    for folder in ["solutions", "exercises", "grading", "tests", "nnlib", "submitted", "autograded", "feedback",
                   "release"]:
        for where in [html_dir / folder, html_dir / "_sources" / folder, html_dir.parent / "jupyter_execute" / folder]:
            assert not where.exists(), f"{where} was built: {folder}/ must never be published"


def test_no_solution_markers(site_text):
    leaks = [(path, m) for path, text in site_text.items() for m in MARKERS if m in text]
    assert not leaks, f"nbgrader solution/hidden-test markers in the built book: {leaks[:10]}"


def test_no_solution_or_hidden_test_text(site_text):
    solution, _ = secret_lines()
    if not solution:
        pytest.skip("solutions/ has no instructor notebooks yet (the marker test still runs)")
    leaks = sorted({(path, line) for line in solution for path, text in site_text.items() if line in text})
    assert not leaks, f"lines of solutions/ (solution code or hidden tests) in the built book: {leaks[:10]}"


def test_no_instructor_material(site_text):
    _, grading = secret_lines()
    if not grading:
        pytest.skip("grading/ has no distinctive source lines yet")
    leaks = sorted({(path, line) for line in grading for path, text in site_text.items() if line in text})
    assert not leaks, f"lines of grading/ (instructor tooling) in the built book: {leaks[:10]}"


def test_secret_line_detection_works(html_dir, tmp_path):
    """The leak detector finds a solution line even when code highlighting splits it into many spans."""
    line = "delta_hidden = sigma_prime(a_hidden) * (W_out.T @ delta_out)"
    page = tmp_path / "page.html"
    page.write_text('<pre><span class="n">delta_hidden</span> <span class="o">=</span> '
                    '<span class="n">sigma_prime</span>(a_hidden) <span class="o">*</span> '
                    '(W_out.T <span class="o">@</span> delta_out)</pre>')
    assert _norm(line) in published_text(tmp_path)["page.html"]


# ---- page weight ----------------------------------------------------------------------------------

def figure_bytes(soup):
    """Inline figure data of a page: JSON data scripts (explorer frames, widget state) and data: URIs."""
    total = 0
    for script in soup.find_all("script"):
        if "json" in (script.get("type") or ""):
            total += len((script.string or "").encode())
    for tag in soup.find_all(True):
        for attr in ("src", "href", "data"):
            value = tag.get(attr)
            if isinstance(value, str) and value.startswith("data:"):
                total += len(value)
    return total


def test_figure_data_per_page_at_most_1_MB(html_dir, pages, output_dir):
    rows, heavy = [], []
    for rel, soup in pages.items():
        figure = figure_bytes(soup)
        images = sum((html_dir / Path(rel).parent / img["src"]).stat().st_size
                     for img in soup.find_all("img", src=True)
                     if not urlsplit(img["src"]).scheme and (html_dir / Path(rel).parent / img["src"]).is_file())
        rows.append((rel, (html_dir / rel).stat().st_size, figure, images,
                     len(soup.select("div.nnlib-explorer"))))
        if figure > MAX_FIGURE_BYTES:
            heavy.append((rel, figure))
    report = output_dir / "page-weights.tsv"
    report.write_text("page\thtml_bytes\tinline_figure_bytes\timage_bytes\texplorers\n"
                      + "".join("\t".join(map(str, row)) + "\n" for row in sorted(rows, key=lambda r: -r[1])))
    assert not heavy, f"pages with more than {MAX_FIGURE_BYTES} bytes of inline figure data: {heavy}"


def test_static_explorers_carry_their_data(pages):
    """Each explorer in the HTML is the precomputed page: controls, a plot, and one frame per combination."""
    explorers = [(rel, root) for rel, soup in pages.items() for root in soup.select("div.nnlib-explorer")]
    assert explorers, "no static explorer in the book (book/using_this_book has one)"
    for rel, root in explorers:
        name = f"{rel}#{root.get('id')}"
        spec = json.loads(root.select_one("script.nnlib-data").string)
        sizes = [len(v) for v in spec["values"]]
        assert len(spec["frames"]) == math.prod(sizes), f"{name}: {len(spec['frames'])} frames for {sizes}"
        controls = root.select("input[type=range][data-index], select[data-index]")
        assert len(controls) == len(sizes) and min(sizes) >= 2, f"{name}: controls {len(controls)}, values {sizes}"
        assert root.select_one(".nnlib-plot") is not None, f"{name}: no plot"


# ---- offline ----------------------------------------------------------------------------------------

RESOURCE_ATTRS = {"script": ["src"], "img": ["src", "srcset"], "iframe": ["src"], "source": ["src", "srcset"],
                  "video": ["src", "poster"], "audio": ["src"], "embed": ["src"], "object": ["data"],
                  "track": ["src"], "input": ["src"]}
NAVIGATION_RELS = {"canonical", "alternate", "next", "prev", "index", "search", "author", "license", "help",
                   "bookmark", "nofollow", "noopener", "noreferrer", "external", "top", "up", "first", "last",
                   "contents", "copyright", "glossary"}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""")


def _css_remote_urls(css):
    return [url for pair in CSS_URL.findall(css) for url in pair if url and _remote(url)]


def _remote(url):
    url = url.strip()
    return url.startswith("//") or urlsplit(url).scheme not in ("", "data", "blob", "about", "javascript", "mailto")


def remote_resources(soup):
    found = []
    for tag_name, attrs in RESOURCE_ATTRS.items():
        for tag in soup.find_all(tag_name):
            for attr in attrs:
                for url in (tag.get(attr) or "").split(","):
                    url = url.strip().split(" ")[0]
                    if url and _remote(url):
                        found.append(f"<{tag_name} {attr}={url}>")
    for link in soup.find_all("link", href=True):
        rels = set(link.get("rel") or [])
        if not rels <= NAVIGATION_RELS and _remote(link["href"]):
            found.append(f"<link rel={' '.join(rels)} href={link['href']}>")
    for style in soup.find_all("style"):
        found += [f"<style> {url}" for url in _css_remote_urls(style.get_text())]
    for tag in soup.find_all(style=True):
        found += [f"style= {url}" for url in _css_remote_urls(tag["style"])]
    return found


def test_pages_load_only_local_resources(pages):
    found = {rel: r for rel, soup in pages.items() if (r := remote_resources(soup))}
    assert not found, f"pages referencing resources outside the site: {found}"


def test_stylesheets_load_only_local_resources(html_dir, pages):
    sheets = set()
    for rel, soup in pages.items():
        for link in soup.find_all("link", href=True, rel="stylesheet"):
            sheets.add((html_dir / Path(rel).parent / urlsplit(link["href"]).path).resolve())
    found = {}
    for sheet in sorted(sheets):
        assert sheet.is_file(), f"missing stylesheet {sheet}"
        if remote := _css_remote_urls(sheet.read_text(errors="replace")):
            found[str(sheet.relative_to(html_dir))] = remote
    assert not found, f"stylesheets loading from outside the site: {found}"


def test_no_cdn_configuration_left(pages):
    """No page names a CDN in an inline script either (require.js, widget manager, thebe, MathJax, plotly)."""
    cdn = re.compile(r"https?://[^\s\"']*(unpkg|jsdelivr|cdnjs|cdn\.plot\.ly|mathjax|googleapis|gstatic)", re.I)
    found = {rel: sorted(set(m.group(0) for s in soup.find_all("script") for m in cdn.finditer(s.string or "")))
             for rel, soup in pages.items()}
    found = {rel: urls for rel, urls in found.items() if urls}
    assert not found, f"inline scripts naming a CDN: {found}"


# ---- reading aids ------------------------------------------------------------------------------------

@pytest.mark.parametrize("doc", toc_files())
def test_launch_download_and_repository_buttons(html_dir, doc):
    soup = BeautifulSoup((html_dir / (doc + ".html")).read_text(), "html.parser")
    links = [a.get("href", "") for a in soup.find_all("a")]
    assert any(urlsplit(h).netloc == "github.com" for h in links), "no repository button"
    source = source_of(doc)
    assert source is not None, f"no source file for {doc}"
    download = f"_sources/{doc}{source.suffix}"
    assert any(h.endswith(download) for h in links), f"no download link to {download}"
    if source.suffix == ".ipynb":
        assert any("mybinder.org/v2/" in h for h in links), "no Binder launch button"
        # No Colab button (Colab renders neither the MyST nor the explorers); a JupyterHub button only
        # once _config.yml's launch_buttons.jupyterhub_url names a hub (it is "" in the repository).
        assert not any("colab.research.google.com" in h for h in links), "a Colab launch button"
        assert not any("/hub/user-redirect/git-pull?" in h for h in links), "a JupyterHub button with no hub set"


def test_search_index_and_page(html_dir):
    assert (html_dir / "search.html").is_file() and (html_dir / "searchindex.js").is_file()
    index = (html_dir / "searchindex.js").read_text()
    assert "backpropagation" in index.lower()


def test_course_page_lists_every_problem_set(html_dir):
    text = _norm(BeautifulSoup((html_dir / "book" / "course.html").read_text(), "html.parser").get_text())
    for ps in ["ps01_neuron", "ps02_forward", "ps03_losses", "ps04_gradient_descent", "ps05_backprop",
               "ps06_optimizers", "ps07_regularization"]:
        assert ps in text, f"{ps} is not on the course page"
    for how in ["exercises/", "JupyterHub", "python -m grading check", "make check NOTEBOOK=", "nbgrader submit"]:
        assert how in text, f"the course page does not say {how!r}"
