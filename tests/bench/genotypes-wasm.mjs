// Benchmark: allelematch-style matching of 10,000 samples × 15 loci (all pairs + clustering) in
// WebAssembly in headless Chromium, beside crate/benches/genotype_pairs.rs natively. The same
// seeded generator shape as the native bench (individuals sampled 1–3 times, ~2% missing,
// ~1% allele errors), written as a CSV and matched with 3 allowed mismatches. Target ≤ 2 s.
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withPage } from './chromium.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const runs = Number(process.env.BENCH_RUNS || 5);
const n = Number(process.env.BENCH_N || 10000);
// xorshift32, seeded: reproducible input.
let s = 20260;
const rnd = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; };
const loci = 15;
const header = ['id', ...Array.from({ length: loci }, (_, l) => [`L${l}a`, `L${l}b`]).flat()];
const rows = [header.join(',')];
while (rows.length - 1 < n) {
  const base = Array.from({ length: loci }, (_, l) => {
    const a = 100 * (l + 1) + 1 + Math.floor(rnd() * 11), b = 100 * (l + 1) + 1 + Math.floor(rnd() * 11);
    return [Math.min(a, b), Math.max(a, b)];
  }).flat();
  const k = 1 + Math.floor(rnd() * 3);
  for (let r = 0; r < k && rows.length - 1 < n; r++) {
    const g = base.map((v) => { const u = rnd(); return u < 0.02 ? -99 : u < 0.03 ? v + 1 : v; });
    rows.push([`S${rows.length}`, ...g].join(','));
  }
}
const csv = rows.join('\n') + '\n';
// BENCH_PKG: another build of the package under www/ (e.g. a "before" build for a side-by-side).
const pkg = process.env.BENCH_PKG || 'pkg';
const r = await withPage((page, base) => page.evaluate(async ({ base, csv, runs, pkg }) => {
  const mod = await import(base + pkg + '/borderless.js');
  await mod.default();
  const bytes = new TextEncoder().encode(csv);
  const times = []; let res;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    res = mod.matchGenotypes.length === 5 // the single-file API before MatchOptions
      ? mod.matchGenotypes(bytes, 'bench.csv', -99, 3, undefined)
      : mod.matchGenotypes([{ name: 'bench.csv', bytes }], { missing: -99, mismatches: 3 });
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], unique: res.unique, samples: res.samples };
}, { base, csv, runs, pkg }));
console.log(`WASM genotype matching in Chromium (${pkg}): ${r.samples} samples × ${loci} loci, 3 mismatches: median ${r.median.toFixed(0)} ms of ${runs} (target ≤ 2000 ms); ${r.unique} unique genotypes`);
