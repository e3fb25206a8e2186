// Benchmark: the same SECR fits as crate/benches/secr_fit.rs, in WebAssembly in headless
// Chromium (the release build in pkg/, as the page uses it). Prints medians beside secr 5.4.1's
// times (../shared/reference/secr-captdata/expected.md) and the ratio (target ≤ 0.5).
// Run: scripts/bench.sh (builds pkg/ first). BENCH_RUNS sets the repetitions (default 15).
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withPage } from './chromium.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const ref = join(here, '..', '..', '..', 'shared', 'reference', 'secr-captdata');
const runs = Number(process.env.BENCH_RUNS || 15);
const files = Object.fromEntries(['traps.csv', 'captures.csv', 'mask_buffer100.csv'].map((f) => [f, [...readFileSync(join(ref, f))]]));
const result = await withPage((page, base) => page.evaluate(async ({ base, files, runs }) => {
  const mod = await import(base + 'pkg/estimate/borderless.js'); // SECR is in the estimation module
  await mod.default();
  const bytes = (k) => new Uint8Array(files[k]);
  const out = {};
  for (const detector of ['multi', 'proximity']) {
    const times = [];
    let fit;
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      fit = mod.fitSecrCsv(['traps.csv', 'captures.csv', 'mask_buffer100.csv'].map((name) => ({ name, bytes: bytes(name) })), { detector });
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    out[detector] = { median: times[Math.floor(times.length / 2)], d: fit.D_per_ha, termination: fit.termination };
  }
  return out;
}, { base, files, runs }));
console.log(`WASM SECR fits in Chromium (Debian chromium), captdata, HN, median of ${runs} runs`);
for (const [label, key, secr] of [['multi-catch', 'multi', 2.21], ['proximity', 'proximity', 16.9]]) {
  const r = result[key];
  console.log(`${label.padEnd(12)} median ${r.median.toFixed(1).padStart(8)} ms   secr ${secr.toFixed(2).padStart(6)} s   ratio ${(r.median / 1000 / secr).toFixed(3)} (target ≤ 0.5)   D/ha ${r.d.toFixed(4)}  ${r.termination}`);
}
