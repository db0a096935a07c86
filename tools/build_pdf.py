"""Build the PDF edition of the whole book, offline: ``make pdf`` (= ``python tools/build_pdf.py``).

1. ``jupyter-book build --builder singlehtml .`` puts every chapter on one page (``_build/singlehtml``),
   reusing the execution cache of the HTML build: nothing is executed again unless a chapter changed.
   Formulas are typeset at build time as on the web pages (book/_ext/page_weight.py).
2. Debian's Chromium (driven by Playwright, never a downloaded browser) opens that page from a local
   server, waits until every explorer has drawn its first frame (so the PDF carries each explorer as a
   static snapshot of its initial settings), and prints it with page numbers.

The PDF is written to ``_build/html/nn-textbook.pdf``, where the link below every web page points.
Usage: python tools/build_pdf.py [--out PATH] [--skip-build]
"""
from __future__ import annotations

import argparse
import functools
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "book" / "_ext"))
from reader_links import PDF_NAME  # noqa: E402

SINGLE = ROOT / "_build" / "singlehtml"
DEFAULT_OUT = ROOT / "_build" / "html" / PDF_NAME
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
# What a printed book does not need: navigation, buttons, the search dialog, the per-page footer links.
PRINT_CSS = """
@page { size: A4; margin: 16mm 14mm 18mm 14mm; }
.bd-header, .bd-header-article, .bd-sidebar-primary, .bd-sidebar-secondary, .prev-next-area,
.bd-footer, .bd-footer-content, .nnlib-reader-links, .headerlink, .copybtn, dialog, .search-button,
.toggle-hidden-button, .skip-link, #pst-back-to-top, .pst-scrollable-table-container::-webkit-scrollbar
{ display: none !important; }
.bd-main .bd-content .bd-article-container { max-width: 100% !important; }
.bd-page-width { max-width: 100% !important; }
figure, .cell_output img, .nnlib-explorer, table { break-inside: avoid; }
h1, h2, h3 { break-after: avoid; }
/* each chapter (a section after the single page's document anchor) starts a page, its title whole */
span[id^="document-"] + section { break-before: page; }
h1, h2, h3, h4 { break-inside: avoid; }
"""
FOOTER = ('<div style="font-size:8px;width:100%;text-align:center;color:#555">'
          '<span class="pageNumber"></span> / <span class="totalPages"></span></div>')
WAIT_FOR_EXPLORERS = """() => Array.from(document.querySelectorAll('.nnlib-explorer .nnlib-plot'))
    .every(plot => plot.querySelector('.main-svg'))"""
# Each explorer's figure becomes a picture of its first frame (a static snapshot: print has no sliders to move).
SNAPSHOT_EXPLORERS = """async () => {
  const roots = Array.from(document.querySelectorAll('.nnlib-explorer'));
  for (const root of roots) {
    const plot = root.querySelector('.nnlib-plot');
    const url = await Plotly.toImage(plot, {format: 'png', width: plot.clientWidth, height: plot.clientHeight, scale: 2});
    const img = document.createElement('img');
    img.src = url;
    img.alt = 'Snapshot of the explorer at its first setting: ' + root.querySelector('.nnlib-figure-title').textContent;
    img.style.width = '100%';
    img.className = 'nnlib-explorer-snapshot';
    plot.replaceWith(img);
    await img.decode();
  }
  return roots.length;
}"""


def build_single_page():
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
               MPLBACKEND=os.environ.get("MPLBACKEND", "Agg"))
    cmd = [str(Path(sys.executable).with_name("jupyter-book")), "build", "--builder", "singlehtml", "-W",
           "--keep-going", "."]
    subprocess.run(cmd, cwd=ROOT, env=env, check=True)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def print_pdf(out, chromium):
    from playwright.sync_api import sync_playwright

    # The one page is written as book/intro.html (the root document) but its links are relative to the
    # build's root (``_static/...``, ``_images/...``): serve a copy from the root.
    page = next(p for p in sorted(SINGLE.rglob("*.html")) if p.name != "index.html" and p.stat().st_size > 10_000)
    shutil.copyfile(page, SINGLE / "nn-textbook.html")
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(SINGLE)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    profile = tempfile.mkdtemp(prefix="nnbook-pdf-")
    try:
        with sync_playwright() as p:
            context = p.chromium.launch_persistent_context(profile, executable_path=chromium, args=CHROMIUM_ARGS,
                                                           headless=True, viewport={"width": 1000, "height": 1400},
                                                           color_scheme="light")  # the PDF is light, whatever the OS says
            context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base)
                          else route.abort())
            tab = context.new_page()
            failed = []
            tab.on("response", lambda r: r.status >= 400 and failed.append(f"HTTP {r.status} {r.url}"))
            tab.goto(base + "nn-textbook.html", wait_until="networkidle", timeout=120_000)
            if failed:
                raise RuntimeError("the single page could not load: " + "; ".join(failed[:5]))
            tab.wait_for_function(WAIT_FOR_EXPLORERS, timeout=60_000)
            snapshots = tab.evaluate(SNAPSHOT_EXPLORERS)
            # and whatever a stored choice of the theme's toggle says
            tab.evaluate("document.documentElement.dataset.theme = 'light'")
            tab.add_style_tag(content=PRINT_CSS)
            tab.emulate_media(media="print")
            tab.wait_for_timeout(500)
            out.parent.mkdir(parents=True, exist_ok=True)
            tab.pdf(path=str(out), format="A4", print_background=True, display_header_footer=True,
                     header_template="<span></span>", footer_template=FOOTER,
                     margin={"top": "16mm", "bottom": "18mm", "left": "14mm", "right": "14mm"})
            context.close()
        return snapshots
    finally:
        httpd.shutdown()
        httpd.server_close()
        shutil.rmtree(profile, ignore_errors=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--skip-build", action="store_true", help="print the existing single-page build")
    args = parser.parse_args(argv)
    chromium = shutil.which("chromium")
    if chromium is None:
        sys.exit("chromium is not installed (Debian package chromium; .ci/run installs it)")
    start = time.perf_counter()
    if not args.skip_build:
        build_single_page()
    built = time.perf_counter()
    snapshots = print_pdf(args.out, chromium)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB, {snapshots} explorer snapshots): "
          f"single-page build {built - start:.0f} s, printing {time.perf_counter() - built:.0f} s")


if __name__ == "__main__":
    main()
