"""Keep every page light on a cold load (targets: ≤ 1.5 MB, ≤ 3 MB with an explorer; tests/html checks them).

After each HTML build:

* **Formulas are typeset at build time** (``tools/prerender_math.cjs``, MathJax 3 from npm, the same
  version the browser would run): each page carries MathJax's CHTML output with assistive MathML for
  screen readers and a stylesheet for the glyphs it uses, instead of loading 0.75 MB of MathJax scripts.
  A page whose formulas cannot all be converted keeps the browser's MathJax (the script stays).
* **Font Awesome is cut to the icons the book shows**: the theme's stylesheet keeps only the icon rules
  whose class appears in a page or a theme script, and the three webfonts only those glyphs
  (fontTools; 0.3 MB of fonts and 90 kB of CSS become a few kB).
* **Figures are stored as 256-colour PNGs** (Pillow): matplotlib's RGBA PNGs of filled contour plots
  are 0.2 MB each; a palette makes them 3–5 times smaller with no visible change to a line plot.

The theme's own files are always the starting point (not the previous build's output), so an icon added
to a page later is kept. Every step is idempotent and takes well under a second when nothing changed.
"""
from __future__ import annotations

import json
import logging as std_logging
import re
import shutil
import subprocess
from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
PRERENDER = ROOT / "tools" / "prerender_math.cjs"
ICON_RULE = re.compile(r'([^{}]+)\{content:"\\(f[0-9a-f]{3,4})"\}')
ICON_SELECTOR = re.compile(r"^\.fa-([\w-]+):before$")
ICON_CLASS = re.compile(r"\bfa-[a-z0-9-]+\b")
FONTS = ["fa-solid-900", "fa-regular-400", "fa-brands-400"]


def _theme_static():
    import pydata_sphinx_theme

    return Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static"


def used_icons(outdir):
    """The ``fa-*`` class names that occur in the built pages and in the theme's scripts."""
    names = set()
    files = list(Path(outdir).rglob("*.html")) + [p for p in (Path(outdir) / "_static").rglob("*.js")
                                                  if "fontawesome" not in p.name and "mathjax" not in p.parts]
    for path in files:
        names.update(m[3:] for m in ICON_CLASS.findall(path.read_text(encoding="utf-8", errors="replace")))
    return names


def subset_icon_css(css, used):
    """``css`` without the icon rules of unused icons; also the code points of the icons kept."""
    kept = set()

    def keep_or_drop(match):
        selectors = [s.strip() for s in match.group(1).split(",")]
        names = [ICON_SELECTOR.match(s) for s in selectors]
        if not all(names):
            return match.group(0)  # not a pure icon rule
        if any(n.group(1) in used for n in names):
            kept.add(int(match.group(2), 16))
            return match.group(0)
        return ""

    return ICON_RULE.sub(keep_or_drop, css), kept


def _subset_font_awesome(outdir):
    from fontTools import subset

    # fontTools logs each table it prunes at INFO, and the theme (a11y_pygments) sets the root logger to INFO:
    # some 160 lines per build that nobody needs to read. Its warnings still show.
    std_logging.getLogger("fontTools").setLevel(std_logging.WARNING)

    static = _theme_static()
    css_src = static / "styles" / "pydata-sphinx-theme.css"
    css, codepoints = subset_icon_css(css_src.read_text(encoding="utf-8"), used_icons(outdir))
    (Path(outdir) / "_static" / "styles" / "pydata-sphinx-theme.css").write_text(css, encoding="utf-8")
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    for name in FONTS:
        src = static / "vendor" / "fontawesome" / "webfonts" / f"{name}.woff2"
        dst = Path(outdir) / "_static" / "vendor" / "fontawesome" / "webfonts" / f"{name}.woff2"
        font = subset.load_font(str(src), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(codepoints) or [0x20])
        subsetter.subset(font)
        subset.save_font(font, str(dst), options)
        ttf = dst.with_suffix(".ttf")
        if ttf.exists():
            ttf.unlink()  # the woff2 is what every browser uses; the 0.4 MB TrueType fallbacks are not needed


def _palette_pngs(outdir):
    from PIL import Image

    for path in (Path(outdir) / "_images").glob("*.png"):
        with Image.open(path) as im:
            if im.mode == "P":
                continue
            small = im.convert("RGBA").quantize(colors=256, method=Image.Quantize.FASTOCTREE,
                                               dither=Image.Dither.NONE)
        small.save(path, optimize=True)


def _prerender_math(outdir):
    node = shutil.which("node")
    if node is None:
        logger.warning("node is not installed: formulas are left to MathJax in the browser (heavier pages)")
        return
    pages = sorted(str(p) for p in Path(outdir).rglob("*.html"))
    proc = subprocess.run([node, str(PRERENDER), str(outdir), *pages], cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        logger.warning(f"typesetting formulas at build time failed: {proc.stderr[-2000:]}")
        return
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    for error in report["errors"]:
        logger.warning(f"MathJax could not typeset a formula: {error}")
    if report["formulas"]:
        logger.info(f"typeset {report['formulas']} formulas on {report['pages']} pages")


def _lighten(app, exc):
    if exc is not None or app.builder.format != "html":
        return
    _prerender_math(app.outdir)
    _subset_font_awesome(app.outdir)
    _palette_pngs(app.outdir)


def setup(app):
    app.connect("build-finished", _lighten, priority=900)  # after the assets are copied (default 500)
    return {"env_version": 2, "parallel_read_safe": True, "parallel_write_safe": True}
