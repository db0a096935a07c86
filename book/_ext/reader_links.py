"""Below every page: the book's version and date, a link to the PDF edition, a link to report an error.

* The version is the project's (``pyproject.toml``) with the commit it was built from; the date is that
  commit's date, so rebuilding the same commit gives the same page (no commit: today's date).
* "Report an error on this page" opens a new issue in the book's repository (``repository.url``) with
  the page's title and address filled in.
* The PDF edition (``make pdf``, tools/build_pdf.py) is written to ``_build/html/`` under ``PDF_NAME``.
"""
from __future__ import annotations

import datetime
import re
import subprocess
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
PDF_NAME = "nn-textbook.pdf"
TEMPLATE = "nnlib-reader-links.html"


def book_version():
    """(version, date) of the book: pyproject's version + short commit, and the commit's date."""
    match = re.search(r'^version\s*=\s*"([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M)
    version = match.group(1) if match else "unknown"
    try:
        commit, date = subprocess.run(["git", "log", "-1", "--format=%h %cs"], cwd=ROOT, capture_output=True,
                                      text=True, check=True, timeout=10).stdout.split()
        return f"{version} (commit {commit})", date
    except (OSError, subprocess.SubprocessError, ValueError):
        return version, datetime.date.today().isoformat()


def report_url(repository, title, pagename):
    if not repository:
        return ""
    body = (f"Page: {title} ({pagename})\n\nWhat is wrong (quote the sentence, formula or figure):\n\n"
            "What it should say, if you know:\n")
    return f"{repository.rstrip('/')}/issues/new?" + urlencode({"title": f"Error on '{title}'", "body": body})


def _configure(app, config):
    items = list(config.html_theme_options.get("footer_content_items")
                 or ["author.html", "copyright.html", "last-updated.html", "extra-footer.html"])
    if TEMPLATE not in items:
        items.append(TEMPLATE)
    config.html_theme_options["footer_content_items"] = items
    templates = str(Path(__file__).resolve().parents[1] / "_templates")
    if templates not in [str(Path(app.confdir, t).resolve()) for t in config.templates_path]:
        config.templates_path.append(templates)
    app.nnlib_version = book_version()


def _add_links(app, pagename, templatename, context, doctree):
    version, date = app.nnlib_version
    repository = app.config.html_theme_options.get("repository_url", "")
    title = re.sub(r"<[^>]+>", "", context.get("title") or pagename)
    context.update(nnlib_version=version, nnlib_date=date, nnlib_pdf=PDF_NAME,
                   nnlib_report_url=report_url(repository, title, pagename))


def setup(app):
    app.connect("config-inited", _configure)
    app.connect("html-page-context", _add_links)
    return {"env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
