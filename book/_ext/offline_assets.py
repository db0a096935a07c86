"""Serve every script the book needs from its own _static folder, so no page loads anything from the internet.

* MathJax 3 comes from the PyPI package ``sphinx-mathjax-offline`` (copied next to the pages).
* The project's own static files (book/_static) are copied even by a rebuild that rewrites no page.
* plotly.js is a partial bundle with only the trace types the explorers draw (1.2 MB instead of the full
  4.8 MB), built from the npm package ``plotly.js`` by ``tools/build_plotly_bundle.mjs`` during
  ``make install`` into ``build/plotly/``. Only pages with an explorer load it, deferred, so the text paints
  first; the explorers' scripts wait for DOMContentLoaded, which comes after deferred scripts.
* MathJax loads its components (TeX input, CHTML output, assistive MathML for screen readers) instead of the
  combined ``tex-chtml.js``, which also carries the 430 kB context menu.
* Every page drops what it carries and does not use: pydata-sphinx-theme's ``fontawesome.js`` (1.5 MB; it
  turns icons into SVG, while the theme's stylesheet already draws them with the webfont) and the search index
  (pydata's search-as-you-type is off: the search box sends the reader to search.html, which loads it);
  sphinx-design's stylesheet and script go from pages that use none of its components (none does today).
* The page head is cleaned of what a kernel-less, offline book cannot use:
  - thebe (its config names ``https://unpkg.com/...``; launch_buttons.thebe is false, so it never runs, and
    its config script appeared twice per page: ``Identifier 'THEBE_JS_URL' has already been declared``);
  - the ipywidgets state myst-nb embeds for the widget manager, which the book does not load
    (``nb_ipywidgets_js: {}``): explorers show their static page instead, so that state is dead weight
    (110 kB for one explorer);
  - duplicated inline scripts.
* Notebooks that need executing (not yet in the jupyter cache) run several at a time before Sphinx reads
  them (``nnlib_execution_workers``, default: the number of CPUs, at most 4); myst-nb then takes their
  outputs from the cache. A notebook that fails here is left to myst-nb, which runs it again and reports
  the error as usual. Their kernels use one BLAS thread each (unless the environment says otherwise): the
  book's matrices are small, and multithreaded OpenBLAS in several kernels on a busy machine made one
  chapter 2.7 times slower (82 s instead of 30 s).
* pydata-sphinx-theme logs ``Got invalid theme mode`` (a console error) on a first visit unless a default
  colour mode is set (``html_context["default_mode"]``): it is set to "auto" unless the configuration
  chooses one.
"""
import filecmp
import importlib
import os
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path, PurePosixPath

from sphinx.util import logging

logger = logging.getLogger(__name__)

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
ROOT = Path(__file__).resolve().parents[2]
PLOTLY_BUNDLE = ROOT / "build" / "plotly" / "plotly-nnlib.min.js"  # written by `make install`
PLOTLY_JS = "plotly-nnlib.min.js"  # its name in _static
MATHJAX_COMPONENTS = ["input/tex", "output/chtml", "a11y/assistive-mml"]
# Scripts every page would load and none uses (see the module docstring), matched in the written HTML.
UNUSED_SCRIPTS = re.compile(r'[ \t]*<script[^>]*src="[^"]*(?:scripts/fontawesome\.js|_static/searchtools\.js|'
                            r'_static/language_data\.js|searchindex\.js)[^"]*"[^>]*></script>\n?')


def _copy_assets(app, exc):
    if exc is not None or app.builder.format != "html":
        return
    static = os.path.join(app.outdir, "_static")
    os.makedirs(static, exist_ok=True)
    # Sphinx copies html_static_path only when some page is rewritten: a rebuild after editing only a
    # stylesheet would keep serving the old one. Copy the project's own static files when they differ.
    for folder in app.config.html_static_path:
        folder = os.path.join(app.confdir, folder)
        if not os.path.isdir(folder) or not os.path.abspath(folder).startswith(os.path.abspath(app.srcdir)):
            continue
        for base, _, files in os.walk(folder):
            for name in files:
                src = os.path.join(base, name)
                dst = os.path.join(static, os.path.relpath(src, folder))
                if not os.path.exists(dst) or not filecmp.cmp(src, dst, shallow=False):
                    os.makedirs(os.path.dirname(dst), exist_ok=True)
                    shutil.copyfile(src, dst)
    dst = os.path.join(static, PLOTLY_JS)
    if not os.path.exists(dst) or not filecmp.cmp(PLOTLY_BUNDLE, dst, shallow=False):
        shutil.copyfile(PLOTLY_BUNDLE, dst)
    _drop_unused_scripts(app.outdir)


def _drop_unused_scripts(outdir):
    """Remove the script tags of UNUSED_SCRIPTS from every written page (the search page keeps its index)."""
    for path in Path(outdir).rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if path.name == "search.html" and path.parent == Path(outdir):  # the search page needs its index
            cleaned = UNUSED_SCRIPTS.sub(lambda m: m.group(0) if "fontawesome" not in m.group(0) else "", text)
        else:
            cleaned = UNUSED_SCRIPTS.sub("", text)
        if cleaned != text:
            path.write_text(cleaned, encoding="utf-8")


def _thebe_enabled(app):
    return bool(app.config.html_theme_options.get("launch_buttons", {}).get("thebe"))


def _clean_page(app, pagename, templatename, context, doctree):
    """Drop unused or remote scripts from this page's head; add plotly.js where an explorer needs it."""
    context["default_mode"] = context.get("default_mode") or "auto"  # pydata-sphinx-theme's html_context key
    scripts = context.get("script_files")
    if scripts is None:
        return
    keep, seen = [], set()
    for js in scripts:
        name = os.fspath(js.filename or "")
        attrs = js.attributes
        body = attrs.get("body", "")
        if not _thebe_enabled(app) and ("sphinx-thebe" in name or "THEBE_JS_URL" in body or "thebe@" in name):
            continue
        if attrs.get("type") == WIDGET_STATE:
            continue
        key = (name, tuple(sorted(attrs.items())))
        if key in seen:
            continue
        seen.add(key)
        keep.append(js)
    scripts[:] = keep
    body = context.get("body", "")
    unused_css = [] if _thebe_enabled(app) else ["sphinx-thebe"]
    if 'class="sd-' not in body and " sd-" not in body:  # sphinx-design, loaded by jupyter-book, used by no page
        unused_css.append("sphinx-design")
        scripts[:] = [js for js in scripts if "design-tabs.js" not in os.fspath(js.filename or "")]
    context["css_files"][:] = [css for css in context.get("css_files", [])
                               if not any(name in os.fspath(css.filename or "") for name in unused_css)]
    if 'class="nnlib-explorer"' in context.get("body", ""):
        app.add_js_file(PLOTLY_JS, defer="defer")


def _configure(app, config):
    if not PLOTLY_BUNDLE.exists():
        raise RuntimeError(f"{PLOTLY_BUNDLE} is missing: `make install` builds it (npm ci, then "
                           "node tools/build_plotly_bundle.mjs)")
    config.mathjax_path = "mathjax/startup.js"
    mathjax = dict(config.mathjax3_config or {})
    loader = dict(mathjax.get("loader", {}))
    loader["load"] = list(dict.fromkeys(loader.get("load", []) + MATHJAX_COMPONENTS))
    mathjax["loader"] = loader
    config.mathjax3_config = mathjax


def _execute_in_parallel(app, env, docnames):
    """Execute the notebooks about to be read that the cache lacks, ``nnlib_execution_workers`` at a time."""
    cfg = getattr(env, "mystnb_config", None)
    workers = app.config.nnlib_execution_workers
    if cfg is None or cfg.execution_mode != "cache" or cfg.execution_in_temp or workers < 2:
        return
    import nbformat
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn
    from jupyter_cache.executors.utils import single_nb_execution

    cache = get_cache(cfg.execution_cache_path or ".jupyter_cache")
    todo = []
    for docname in sorted(docnames):
        path = Path(env.doc2path(docname))
        if path.suffix != ".ipynb" or any(PurePosixPath(path.as_posix()).match(p)
                                          for p in cfg.execution_excludepatterns):
            continue
        try:
            nb = nbformat.read(path, as_version=4)
        except Exception:  # myst-nb reports an unreadable notebook when it reads it
            continue
        options = dict(nb.metadata.get(cfg.metadata_key, {}))  # per-notebook myst-nb options
        if options.get("execution_mode", "cache") != "cache":
            continue
        try:
            cache.match_cache_notebook(nb)
            continue
        except KeyError:
            todo.append((path, nb, options))
    if len(todo) < 2:
        return  # nothing to gain: let myst-nb run it

    def run(item):
        path, nb, options = item
        return single_nb_execution(nb, cwd=str(path.parent),
                                   timeout=options.get("execution_timeout", cfg.execution_timeout),
                                   allow_errors=options.get("execution_allow_errors", cfg.execution_allow_errors),
                                   meta_override=True)

    logger.info(f"executing {len(todo)} notebooks, {min(workers, len(todo))} at a time")
    with ThreadPoolExecutor(min(workers, len(todo))) as pool:
        for (path, nb, _), result in zip(todo, pool.map(run, todo)):
            if result.err is not None:
                logger.info(f"{path}: execution failed; myst-nb runs it again and reports the error")
                continue
            record = cache.add_nb_to_project(str(path))
            cache.cache_notebook_bundle(CacheBundleIn(nb, record.uri, data={"execution_seconds": result.time}),
                                        check_validity=False, overwrite=True)
            logger.info(f"executed {path} in {result.time:.1f} s")


def setup(app):
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")  # inherited by the kernels that execute the notebooks
    # Sets mathjax_path to the local copy and copies MathJax into _static after each build (unchanged files
    # are only compared, 0.1 s).
    importlib.import_module("sphinx-mathjax-offline").setup(app)
    app.connect("config-inited", _configure)
    app.add_config_value("nnlib_execution_workers", min(os.cpu_count() or 1, 4), "", [int])
    app.connect("env-before-read-docs", _execute_in_parallel)
    app.connect("html-page-context", _clean_page, priority=900)
    app.connect("build-finished", _copy_assets)
    # Bump env_version when a change here alters the pages: the next build then rewrites every page.
    return {"env_version": 3, "parallel_read_safe": True, "parallel_write_safe": True}
