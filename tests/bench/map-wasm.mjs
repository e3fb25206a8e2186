// Benchmark: redraw of the interactive map with 50,000 detections in WebAssembly in headless
// Chromium (the core's MapView.render → ImageData → putImageData on a 900×640 canvas), beside
// crate/benches/map_redraw.rs natively. Same input: the demo survey analysed by the core, its
// joint detections repeated to 50,000; zoom ×1, ×4, ×16 about the centre. Target ≤ 16 ms.
import { withPage } from './chromium.mjs';

const runs = Number(process.env.BENCH_RUNS || 41);
const n = Number(process.env.BENCH_N || 50000);
const r = await withPage((page, base) => page.evaluate(async ({ base, runs, n }) => {
  const mod = await import(base + 'pkg/borderless.js');
  await mod.default();
  const get = async (p) => new Uint8Array(await (await fetch(base + p)).arrayBuffer());
  const files = [];
  for (const f of ['cn.zip', 'ru.zip', 'links.csv', 'border.geojson']) files.push({ name: f, bytes: await get('demo/' + f) });
  const a = mod.analyze(files, {}, undefined);
  const d = a.crossborder.detections;
  a.crossborder.detections = Array.from({ length: n }, (_, i) => d[i % d.length]);
  const basemap = await get('basemap/ne-asia-countries-10m.topo.json');
  const t0 = performance.now();
  const view = new mod.MapView(a, basemap, { width: 900, height: 640 });
  const prepare = performance.now() - t0;
  const canvas = document.createElement('canvas'); canvas.width = 900; canvas.height = 640;
  const ctx = canvas.getContext('2d');
  const out = [];
  for (const zoom of [1, 4, 16]) {
    view.reset(); view.zoomAt(zoom, 450, 320);
    const times = []; const picks = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      ctx.putImageData(new ImageData(view.render(), 900, 640), 0, 0);
      times.push(performance.now() - t);
      const u = performance.now(); view.pick(300 + i, 300, 8); picks.push(performance.now() - u);
    }
    times.sort((x, y) => x - y); picks.sort((x, y) => x - y);
    out.push({ zoom, median: times[times.length >> 1], pick: picks[picks.length >> 1] });
  }
  return { prepare, out, detections: view.detectionCount() };
}, { base, runs, n }));
console.log(`WASM map (Chromium): ${r.detections} detections, MapView prepared in ${r.prepare.toFixed(0)} ms`);
for (const o of r.out) {
  console.log(`WASM map redraw 900×640, zoom ×${o.zoom}: median ${o.median.toFixed(2)} ms of ${runs} (target ≤ 16 ms); pick median ${o.pick.toFixed(3)} ms`);
}
