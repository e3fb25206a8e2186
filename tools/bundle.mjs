// Writes one self-contained HTML file of the site (default dist/borderless.html) that opens from
// file:// (a USB stick, a double-click) with no server and no network, the demo survey included.
// Usage: node tools/bundle.mjs [www-dir=www] [out=dist/borderless.html]
//
// How: index.html keeps its markup; style.css becomes an inline <style>; every ES module reachable
// from main.js and worker.js is kept as text in a JSON data block (<script type="application/json">,
// never executed) with its relative import specifiers replaced by a token. A small inline bootstrap
// script turns the modules into Blob URLs, leaves first, each one's tokens replaced by the Blob URLs
// of its imports, sets `globalThis.BORDERLESS_BUNDLE` ({wasm, assets, worker}: see www/bridge.js,
// which then compiles the WebAssembly module from these bytes — and passes the estimation module's
// bytes to its workers — reads the basemap and demo files from
// here and starts its workers from a Blob of the worker's source) and starts main.js. The demo files
// linked from the page become data: URLs.
//
// The same guarantee as the site: a Content-Security-Policy meta tag with default-src 'none' that
// allows only the inline bootstrap and style (by their SHA-256), blob: scripts and workers,
// WebAssembly compilation and data:/blob: images — so no request can leave the page.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const [www = join(root, 'www'), outFile = join(root, 'dist', 'borderless.html')] = process.argv.slice(2);

const read = (p) => readFileSync(join(www, p));
const text = (p) => read(p).toString('utf8');
const b64 = (p) => read(p).toString('base64');
const sha256 = (s) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;
const TOKEN = (p) => `@@borderless-module:${p}@@`;

// Relative import specifiers: `from './x.js'`, `import './x.js'`, `export … from './x.js'`.
const SPECIFIER = /(\bfrom\s*|\bimport\s*)(['"])(\.{1,2}\/[^'"]+)\2/g;

// The module graph from `entries`, leaves first: [[path, source with tokens]].
function modules(entries) {
  const order = [];
  const state = new Map(); // path -> 'visiting' | 'done'
  const visit = (p) => {
    if (state.get(p) === 'done') return;
    if (state.get(p) === 'visiting') throw new Error(`import cycle through ${p}: not supported by the bundle`);
    state.set(p, 'visiting');
    const src = text(p).replace(SPECIFIER, (_, pre, q, spec) => {
      const dep = normalize(join(dirname(p), spec)).replaceAll('\\', '/');
      visit(dep);
      return `${pre}${q}${TOKEN(dep)}${q}`;
    });
    state.set(p, 'done');
    order.push([p, src]);
  };
  entries.forEach(visit);
  return order;
}

// The page's modules are Blob URLs it makes itself. Chromium does not start a module worker from a
// Blob URL of a file:// page (an opaque origin), so the worker is one classic script: worker.js
// (which imports nothing else) with its import of the WebAssembly glue replaced by the glue itself,
// wrapped in a function that returns the module namespace (its exports and `default`); bridge.js
// starts it as a classic worker when bundled.
const pageModules = modules(['main.js']);
const GLUE = 'pkg/borderless.js';
const ESTIMATE_GLUE = 'pkg/estimate/borderless.js';
function inlineGlue(GLUE) {
  const glue = text(GLUE);
  if (new RegExp(SPECIFIER.source).test(glue)) throw new Error(`${GLUE} imports other modules: not supported by the bundle`);
  const names = [...glue.matchAll(/^export (?:async )?(?:function\*?|class|const|let|var) ([\w$]+)/gm)].map((m) => m[1]);
  const tail = /^export \{ initSync, __wbg_init as default \};\s*$/m;
  if (!tail.test(glue)) throw new Error(`${GLUE}: its last export is not the expected one (wasm-bindgen --target web)`);
  const body = glue.replace(tail, '').replace(/^export (?=(?:async )?(?:function|class|const|let|var) )/gm, '');
  if (/^export /m.test(body)) throw new Error(`${GLUE}: an export the bundle does not know`);
  if (/import\.meta(?!\.url)/.test(body)) throw new Error(`${GLUE}: import.meta other than import.meta.url`);
  return `(() => {\n${body.replaceAll('import.meta.url', 'self.location.href')}\nreturn Object.freeze({ ${names.join(', ')}, initSync, default: __wbg_init });\n})()`;
}
let workerSource = text('worker.js');
const glueImport = /^import ([\w$]+), \* as ([\w$]+) from '\.\/pkg\/borderless\.js';$/m;
if (!glueImport.test(workerSource)) throw new Error('worker.js: its import of the glue is not `import init, * as core from \'./pkg/borderless.js\';`');
workerSource = "'use strict';\n" + workerSource.replace(glueImport, (_, init, ns) => `const ${ns} = ${inlineGlue(GLUE)};\nconst ${init} = ${ns}.default;`);
// The estimation module's glue likewise (its WebAssembly bytes come from the bridge's init message).
const estimateImport = /^import ([\w$]+), \* as ([\w$]+) from '\.\/pkg\/estimate\/borderless\.js';$/m;
if (!estimateImport.test(workerSource)) throw new Error('worker.js: its import of the estimation glue is not `import initEstimate, * as estimateCore from \'./pkg/estimate/borderless.js\';`');
workerSource = workerSource.replace(estimateImport, (_, init, ns) => `const ${ns} = ${inlineGlue(ESTIMATE_GLUE)};\nconst ${init} = ${ns}.default;`);
if (/^\s*(?:import|export)\b|import\.meta/m.test(workerSource)) throw new Error('worker.js has module syntax besides its glue import: not supported by the bundle');

// The shipped files the page reads through bridge.js asset(): the basemap and the demo survey.
const bridge = text('bridge.js');
const main = text('main.js');
const basemap = bridge.match(/BASEMAP = '([^']+)'/)[1];
const demo = JSON.parse(main.match(/const DEMO = (\[[^\]]*\]);/)[1].replaceAll("'", '"'));
// The SIMULATED snow-leopard demo's files, listed in snowdemo.js.
const snowDemo = JSON.parse(text('snowdemo.js').match(/const FILES = (\[[^\]]*\]);/)[1].replaceAll("'", '"'));
// The public view's waterbird slides read the SIMULATED waterbird survey the same way.
const waterbirdDemo = JSON.parse(text('outreach.js').match(/const WATERBIRD_DEMO = (\[[^\]]*\]);/)[1].replaceAll("'", '"'));
const assets = Object.fromEntries([basemap, ...demo, ...snowDemo, ...waterbirdDemo].map((p) => [p, b64(p)]));

const MIME = { '.zip': 'application/zip', '.csv': 'text/csv', '.geojson': 'application/geo+json', '.md': 'text/plain' };
const dataUrl = (p) => `data:${MIME[p.slice(p.lastIndexOf('.'))] || 'application/octet-stream'};base64,${b64(p)}`;

// Text inside <script type="application/json">: JSON with '<' escaped, so no "</script" can end it.
const jsonBlock = (id, value) => `<script type="application/json" id="${id}">${JSON.stringify(value).replaceAll('<', '\\u003c')}</script>`;

const bootstrap = `
(() => {
  'use strict';
  const data = (id) => JSON.parse(document.getElementById(id).textContent);
  const urls = {};
  const link = (src) => src.replace(/@@borderless-module:([^@]+)@@/g, (_, p) => urls[p]);
  for (const [path, src] of data('borderless-modules')) {
    urls[path] = URL.createObjectURL(new Blob([link(src)], { type: 'text/javascript' }));
  }
  globalThis.BORDERLESS_BUNDLE = { wasm: data('borderless-wasm'), estimateWasm: data('borderless-wasm-estimate'), assets: data('borderless-assets'), worker: data('borderless-worker') };
  const s = document.createElement('script');
  s.type = 'module';
  s.src = urls['main.js'];
  document.body.append(s);
})();
`;

const css = text('style.css');
const csp = [
  "default-src 'none'",
  `script-src ${sha256(bootstrap)} blob: 'wasm-unsafe-eval'`,
  'worker-src blob:',
  `style-src ${sha256(css)}`,
  'img-src data: blob:',
  "object-src 'none'", "base-uri 'none'", "form-action 'none'",
].join('; ');

let html = text('index.html');
const replaceOnce = (re, by, what) => {
  if (!re.test(html)) throw new Error(`index.html: ${what} not found`);
  html = html.replace(re, () => by);
};
replaceOnce(/<meta http-equiv="Content-Security-Policy"[^>]*>/, `<meta http-equiv="Content-Security-Policy" content="${csp}">`, 'the CSP meta tag');
replaceOnce(/<link rel="stylesheet" href="style.css">/, `<style>${css}</style>`, 'the style sheet');
html = html.replace(/<!--[^>]*-->\s*\n?(?=<link rel="preload")/, '');
html = html.replace(/<link rel="preload"[^>]*>\n?/g, '');
replaceOnce(/<script type="module" src="main.js"><\/script>\n?/, '', 'the main script');
// Links to the demo files: data: URLs, downloaded (a file:// page cannot open a data: URL).
html = html.replace(/<a href="(demo\/[^"]+)"( download)?/g, (_, p) => `<a href="${dataUrl(p)}" download="${p.split('/').pop()}"`);
if (/\b(?:src|href)="(?!data:|#)[^"]*"/.test(html)) throw new Error(`index.html still refers to a file: ${html.match(/\b(?:src|href)="(?!data:|#)[^"]*"/)[0]}`);

const tail = [
  jsonBlock('borderless-modules', pageModules),
  jsonBlock('borderless-worker', workerSource),
  jsonBlock('borderless-assets', assets),
  jsonBlock('borderless-wasm', b64('pkg/borderless_bg.wasm')),
  jsonBlock('borderless-wasm-estimate', b64('pkg/estimate/borderless_bg.wasm')),
  `<script>${bootstrap}</script>`,
].join('\n');
replaceOnce(/<\/body>/, `${tail}\n</body>`, '</body>');

mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, html);
console.log(`wrote ${outFile} (${(Buffer.byteLength(html) / 1e6).toFixed(1)} MB; ${pageModules.length} modules, ${Object.keys(assets).length} assets)`);
