// Browser end-to-end test of the interactive map (www/mapview.js over the core's MapView):
// the demo survey is drawn on the canvas, keyboard zoom/pan change the view, pointing names a
// station, a user GeoJSON polygon layer can be added, and the print exports (SVG, PNG at
// 300 dpi) download. Screenshot: tests/e2e/out/map.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { paths, startServer, launch, watchPage } from './harness.mjs';

const { out } = paths;

let server, base, ctx;

before(async () => {
  ({ server, base } = await startServer());
  ctx = await launch({ persistent: true, profile: 'borderless-map-', acceptDownloads: true, viewport: { width: 1280, height: 900 } });
});

after(async () => {
  await ctx?.close();
  server?.close();
});

const viewOf = (page) => page.$eval('#map-canvas', (c) => JSON.parse(c.dataset.view));

test('interactive map: demo drawn, keyboard zoom/pan, pick, polygon layer, SVG/PNG export', async () => {
  const page = await ctx.newPage();
  const errors = watchPage(page, [], null, { workers: false });
  await page.goto(`${base}#/map`); // the map view of the workspace
  await page.waitForSelector('#map-section[data-interactive="1"]', { state: 'attached', timeout: 60000 });
  // Every demo detection is in the view (the analysis' joint detections).
  const dets = Number(await page.getAttribute('#map-canvas', 'data-detections'));
  assert.ok(dets > 100, `${dets} detections`);
  // The canvas shows the map: more than a handful of distinct colours.
  const colours = await page.$eval('#map-canvas', (c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const s = new Set();
    for (let i = 0; i < d.length; i += 4 * 97) s.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
    return s.size;
  });
  assert.ok(colours > 8, `${colours} colours`);
  // Legend with toggles for the layers the demo has.
  const layers = await page.$$eval('#map-legend input[data-layer]', (l) => l.map((x) => x.dataset.layer));
  for (const l of ['stations', 'detections', 'movements', 'mcps', 'border', 'basemap']) assert.ok(layers.includes(l), l);
  assert.match(await page.textContent('#map-furniture'), /km/);

  // Keyboard: + zooms ×1.5 about the centre, an arrow pans 60 px, 0 resets.
  const v0 = await viewOf(page);
  await page.focus('#map-canvas');
  await page.keyboard.press('+');
  const v1 = await viewOf(page);
  assert.ok(Math.abs(v1.px_per_m / v0.px_per_m - 1.5) < 1e-9, `${v1.px_per_m} vs ${v0.px_per_m}`);
  await page.keyboard.press('ArrowLeft');
  const v2 = await viewOf(page);
  assert.ok(Math.abs((v1.cx_m - v2.cx_m) * v2.px_per_m - 60) < 1e-6, 'panned 60 px');
  await page.keyboard.press('0');
  assert.deepEqual(await viewOf(page), v0);

  // Hover: scan the canvas until the core names a station under the pointer.
  const box = await page.locator('#map-canvas').boundingBox();
  let station = null;
  await page.click('#map-legend input[data-layer="detections"]'); // stations only under the pointer
  outer: for (let y = 0.1; y < 0.95; y += 0.03) {
    for (let x = 0.05; x < 0.95; x += 0.02) {
      await page.mouse.move(box.x + x * box.width, box.y + y * box.height);
      const layer = await page.getAttribute('#map-tip', 'data-layer');
      if (layer === 'stations' && !(await page.isHidden('#map-tip'))) { station = await page.textContent('#map-tip'); break outer; }
    }
  }
  assert.ok(station, 'a station is named under the pointer');
  assert.match(station, /^Station (CN|RU)\S* \S+: \d+ detection\(s\), \d+ camera-days/);
  await page.click('#map-legend input[data-layer="detections"]');

  // A user GeoJSON polygon layer.
  const park = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { name: 'Test reserve' },
    geometry: { type: 'Polygon', coordinates: [[[130.55, 42.75], [130.95, 42.75], [130.95, 43.05], [130.55, 43.05], [130.55, 42.75]]] } }] };
  await page.setInputFiles('#map-polygons', { name: 'reserve.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify(park)) });
  await page.waitForFunction(() => document.getElementById('map-status').textContent.startsWith('reserve.geojson: 1'));
  assert.ok(await page.locator('#map-legend input[data-layer="polygons"]').count() === 1);
  assert.match(await page.textContent('#map-legend'), /user polygons: reserve\.geojson/);
  // A bad polygon file is refused with its name and feature.
  await page.setInputFiles('#map-polygons', { name: 'roads.geojson', mimeType: 'application/geo+json',
    buffer: Buffer.from('{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[130,42],[131,43]]}}') });
  await page.waitForFunction(() => /roads\.geojson.*features\[0\]/.test(document.getElementById('map-status').textContent));

  await page.locator('#map-section').screenshot({ path: join(out, 'map.png') });

  // Exports: the print SVG (title, source and date in the margin, no inline style) and the PNG.
  const [svgDl] = await Promise.all([page.waitForEvent('download'), page.click('#map-export-svg')]);
  assert.equal(svgDl.suggestedFilename(), 'map-print.svg');
  const svg = readFileSync(await svgDl.path(), 'utf8');
  assert.match(svg, /width="190\.0mm"/);
  assert.match(svg, /Data: cn\.zip, ru\.zip, links\.csv, border\.geojson/);
  assert.match(svg, /data-simulated="1"/);
  assert.match(svg, /Date: \d{4}-\d{2}-\d{2}/);
  assert.match(svg, /Test reserve/);
  assert.ok(!svg.includes('style='));
  const [pngDl] = await Promise.all([page.waitForEvent('download'), page.click('#map-export-png')]);
  assert.equal(pngDl.suggestedFilename(), 'map-300dpi.png');
  const png = readFileSync(await pngDl.path());
  writeFileSync(join(out, 'map-print-300dpi.png'), png);
  assert.equal(png.subarray(1, 4).toString(), 'PNG');
  // IHDR width: 190 mm at 300 dpi = 2244 px.
  assert.equal(png.readUInt32BE(16), 2244);
  assert.deepEqual(errors, []);
  await page.close();
});
