// Benchmark: the big-package parse of crate/benches/big_parse.rs (≈ 200 MB / 1.45 M
// observations, written there once) in WebAssembly under Node, through `analyze`, the export
// the page's worker calls for a dropped package. Prints the wall time, how many progress
// messages arrived, Node's memory (rss, external, arrayBuffers) and the WASM linear memory.
// Run: node tools/bench-big-wasm.mjs [PACKAGE_DIR]   (pkg/ from scripts/build.sh; BORDERLESS_PKG
// names another build's pkg folder, e.g. to compare with an older one)
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';

const here = dirname(fileURLToPath(import.meta.url));
const dir = process.argv[2] || process.env.BORDERLESS_BIG_DIR || join(tmpdir(), 'borderless-big-parse');
const pkg = process.env.BORDERLESS_PKG || join(here, '..', 'pkg');
const mod = await import(join(pkg, 'borderless.js'));
const wasm = mod.initSync({ module: readFileSync(join(pkg, 'borderless_bg.wasm')) });
const files = ['datapackage.json', 'deployments.csv', 'observations.csv'].map((f) => ({
  name: `big/${f}`,
  bytes: new Uint8Array(readFileSync(join(dir, f))),
}));
const mib = (b) => (b / 1048576).toFixed(0);
let messages = 0;
let peakRss = process.memoryUsage().rss;
const t = performance.now();
let result;
try {
  result = mod.analyze(files, {}, (stage, fraction) => {
    messages += 1;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  });
} catch (e) {
  result = { error: String(e && e.message ? e.message : e) };
}
const secs = (performance.now() - t) / 1000;
const m = process.memoryUsage();
peakRss = Math.max(peakRss, m.rss);
const obs = (result.reports || []).find((r) => r.file.endsWith('observations.csv'));
console.log(
  `big_parse: analyze on the package, WASM (Node ${process.version}): ${secs.toFixed(2)} s, ` +
    `${messages} progress messages, ` +
    (obs ? `observations read ${obs.rows_read} used ${obs.rows_used}, ` : `error: ${result.error}, `) +
    `WASM memory ${mib(wasm.memory.buffer.byteLength)} MiB, Node rss ${mib(m.rss)} MiB ` +
    `(peak seen ${mib(peakRss)} MiB), arrayBuffers ${mib(m.arrayBuffers)} MiB`,
);
