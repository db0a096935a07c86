// Builds the plotly.js bundle the book serves: plotly's core plus only the trace types the explorers draw.
// The full plotly.min.js is 4.6 MB; this one is a fraction of that. Run by `make install` (needs `npm ci`).
// Usage: node tools/build_plotly_bundle.mjs <output file>
import * as esbuild from "esbuild";
import { writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

// Every trace type an explorer in nnlib/widgets uses (tests/html checks the list against the explorers' pages).
export const TRACES = ["scatter", "contour", "heatmap", "table"];

const out = resolve(process.argv[2] || "build/plotly/plotly-nnlib.min.js");
const entry = join(mkdtempSync(join(tmpdir(), "plotly-entry-")), "entry.js");
const lib = resolve("node_modules/plotly.js/lib");
writeFileSync(entry, `var Plotly = require(${JSON.stringify(lib + "/core")});\n`
  + `Plotly.register([${TRACES.map((t) => `require(${JSON.stringify(lib + "/" + t)})`).join(", ")}]);\n`
  + "module.exports = Plotly;\n");
await esbuild.build({
  entryPoints: [entry], outfile: out, bundle: true, minify: true, format: "iife", globalName: "Plotly",
  define: { global: "window", "define.amd": "false" }, target: "es2016", logLevel: "warning",
  alias: { stream: "stream-browserify" }, legalComments: "none",
  loader: { ".css": "empty" },  // only maplibre (map traces, not bundled) requires a stylesheet
  banner: { js: `/* plotly.js (MIT licence), partial bundle: ${TRACES.join(", ")} */` },
});
console.log(`wrote ${out}`);
