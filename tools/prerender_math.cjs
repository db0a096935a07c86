// Typesets the book's formulas at build time, so readers download no MathJax (its scripts are 0.75 MB).
//
// Usage: node tools/prerender_math.cjs <html root> <page.html>...
// Each page's Sphinx math (<span class="math">\(...\)</span>, <div class="math">...\[...\]...</div>) is
// replaced by MathJax's CHTML output with its assistive MathML (what MathJax would put there in the
// browser); the CHTML stylesheet goes into the page's head, its fonts are the local MathJax copy. A page
// without TeX left is untouched, so running it again on a page changes nothing. Prints one JSON line.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { mathjax } = require("mathjax-full/js/mathjax.js");
const { TeX } = require("mathjax-full/js/input/tex.js");
const { CHTML } = require("mathjax-full/js/output/chtml.js");
const { liteAdaptor } = require("mathjax-full/js/adaptors/liteAdaptor.js");
const { RegisterHTMLHandler } = require("mathjax-full/js/handlers/html.js");
const { AssistiveMmlHandler } = require("mathjax-full/js/a11y/assistive-mml.js");
const { AllPackages } = require("mathjax-full/js/input/tex/AllPackages.js");

const adaptor = liteAdaptor();
AssistiveMmlHandler(RegisterHTMLHandler(adaptor));

const FONTS = "_static/mathjax/output/chtml/fonts/woff-v2";
const INLINE = /(<span class="math notranslate nohighlight"[^>]*>)\\\(([\s\S]*?)\\\)(<\/span>)/g;
const DISPLAY = /(<div class="math notranslate nohighlight"[^>]*>)([\s\S]*?)<\/div>/g;
const DISPLAY_TEX = /\\\[([\s\S]*?)\\\]/g;
// Sphinx loads MathJax with a config script and the script itself; both go once the page is typeset.
const MATHJAX_SCRIPTS = /[ \t]*<script>window\.MathJax = [^<]*<\/script>\n?|[ \t]*<script[^>]*src="[^"]*mathjax\/[^"]*"[^>]*><\/script>\n?/g;

function unescape(tex) {
  return tex.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}

function typesetPage(root, file) {
  const text = fs.readFileSync(file, "utf8");
  if (!text.includes('class="math notranslate nohighlight"')) return { formulas: 0, errors: [] };
  const fontURL = path.posix.join(path.relative(path.dirname(file), root).split(path.sep).join("/") || ".", FONTS);
  const doc = mathjax.document("", {
    InputJax: new TeX({ packages: AllPackages.filter((p) => p !== "bussproofs") }),
    OutputJax: new CHTML({ fontURL }),
  });
  const errors = [];
  let formulas = 0;
  const convert = (tex, display) => {
    formulas += 1;
    const node = doc.convert(unescape(tex), { display });
    // The MathML namespace and MathJax's TeX-class hints are not needed in an HTML page: 4% of its bytes.
    const html = adaptor.outerHTML(node).replace(/ xmlns="http:\/\/www\.w3\.org\/1998\/Math\/MathML"| data-mjx-texclass="[A-Z]+"/g, "");
    if (html.includes("mjx-merror")) errors.push(`${path.relative(root, file)}: ${tex.slice(0, 80)}`);
    return html;
  };
  let out = text.replace(INLINE, (_, open, tex, close) => open + convert(tex, false) + close);
  out = out.replace(DISPLAY, (whole, open, body) =>
    body.includes("\\[") ? open + body.replace(DISPLAY_TEX, (_, tex) => convert(tex, true)) + "</div>" : whole);
  if (!formulas) return { formulas, errors };
  const css = adaptor.textContent(doc.outputJax.styleSheet(doc));
  out = out.replace(MATHJAX_SCRIPTS, "");
  out = out.replace("</head>", `<style id="MJX-CHTML-styles">${css}</style>\n</head>`);
  fs.writeFileSync(file, out);
  return { formulas, errors };
}

const [root, ...files] = process.argv.slice(2);
const report = { pages: 0, formulas: 0, errors: [] };
for (const file of files) {
  const { formulas, errors } = typesetPage(root, file);
  if (formulas) report.pages += 1;
  report.formulas += formulas;
  report.errors.push(...errors);
}
console.log(JSON.stringify(report));
