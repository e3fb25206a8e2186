// Browser end-to-end test of the survey charts panel (www/chartsview.js): on the simulated demo
// every chart the core draws is shown with a non-empty text alternative (figcaption, linked by
// aria-describedby), and the species pair picker returns overlap estimates. The expected
// species counts come from the shipped observations.csv files (animal event rows per
// scientificName), read here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { paths, startServer, launch, watchPage } from './harness.mjs';

const { demo, out } = paths;

let server, base, ctx;

before(async () => {
  ({ server, base } = await startServer());
  ctx = await launch({ persistent: true, viewport: { width: 1280, height: 900 } });
});

after(async () => {
  await ctx?.close();
  server?.close();
});

// Animal event observations per species in the demo CSVs.
function speciesCounts() {
  const counts = {};
  for (const side of ['cn', 'ru']) {
    const [head, ...lines] = readFileSync(join(demo, side, 'observations.csv'), 'utf8').trim().split('\n');
    const h = head.split(',');
    for (const line of lines) {
      const f = line.split(',');
      if (f[h.indexOf('observationLevel')] === 'event' && f[h.indexOf('observationType')] === 'animal') {
        const s = f[h.indexOf('scientificName')];
        counts[s] = (counts[s] || 0) + 1;
      }
    }
  }
  return counts;
}

const KEYS = ['detections_country', 'detections_individual', 'crossings', 'distance', 'capture_matrix', 'estimates', 'rai',
  'accumulation_days', 'accumulation_stations', 'diel'];

test('the demo shows every survey chart with its text alternative, and the overlap picker returns numbers', async () => {
  const page = await ctx.newPage();
  const errors = watchPage(page, [], null, { workers: false });
  await page.goto(`${base}#/charts`); // the Activity and charts view of the workspace
  // The panel draws its charts as soon as the demo is analysed.
  await page.waitForSelector('#survey-charts-section:not([hidden])', { timeout: 120000 });
  await page.waitForSelector('#survey-charts-section[data-state="done"]', { timeout: 120000 });
  const figs = await page.$$eval('#survey-charts figure', (fs) => fs.map((f) => {
    const svg = f.querySelector('svg');
    const cap = f.querySelector('figcaption');
    return { key: f.dataset.key, alt: cap.textContent, described: svg.getAttribute('aria-describedby') === cap.id,
      label: svg.getAttribute('aria-label'), style: f.querySelector('[style]') !== null };
  }));
  assert.deepEqual(figs.map((f) => f.key), KEYS);
  for (const f of figs) {
    assert.ok(f.alt.length > 30, `${f.key} has a text alternative`);
    assert.ok(f.described && f.label.length > 5, `${f.key} svg is labelled and described`);
    assert.ok(!f.style, `${f.key} has no inline style`);
  }
  const alt = (k) => figs.find((f) => f.key === k).alt;
  assert.match(alt('estimates'), /Σ national 64\.0/);
  assert.match(alt('capture_matrix'), /^Matrix of simulated data: 45 individuals/);
  // The picker lists every species with its number of records, most recorded first.
  const counts = speciesCounts();
  const options = await page.$$eval('#overlap-a option', (os) => os.map((o) => [o.value, o.textContent]));
  assert.equal(options.length, Object.keys(counts).length);
  // Each with its common name in the page's language first (the core's species names, as its
  // lookup finds them: the full name, else its first two words), then the scientific name.
  const names = JSON.parse(readFileSync(join(paths.here, '..', '..', 'crate', 'i18n', 'general.json'), 'utf8')).en;
  const common = (sci) => {
    const key = (n) => `general.species.${n.toLowerCase().replace(/ /g, '_')}`;
    return names[key(sci)] ?? names[key(sci.split(' ').slice(0, 2).join(' '))];
  };
  assert.equal(common('Panthera tigris altaica'), 'Amur tiger');
  for (const [value, text] of options) {
    assert.equal(text, common(value) ? `${common(value)} — ${value} (${counts[value]})` : `${value} (${counts[value]})`);
  }
  await page.selectOption('#overlap-a', 'Panthera tigris altaica');
  await page.selectOption('#overlap-b', 'Sus scrofa');
  await page.fill('#overlap-boot', '50');
  await page.fill('#overlap-seed', '3');
  await page.click('#overlap-run');
  await page.waitForSelector('#overlap-result[data-state="done"]', { timeout: 120000 });
  const rows = await page.$$eval('#overlap-result tr[data-key]', (trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
  assert.deepEqual(rows.map((r) => r[0]), ['Dhat1', 'Dhat4', 'Dhat5']);
  for (const r of rows) {
    const d = Number(r[1]);
    assert.ok(d > 0 && d <= 1, `${r[0]} = ${r[1]}`);
    const [lo, hi] = r[2].split('–').map(Number);
    assert.ok(lo < hi, `${r[0]} CI ${r[2]}`);
  }
  const caption = await page.textContent('#overlap-result figcaption');
  assert.match(caption, new RegExp(`Panthera tigris altaica \\(${counts['Panthera tigris altaica']} records`));
  assert.ok(caption.includes(`Δ̂ = ${rows[1][1]}`), caption); // the recommended Dhat4, as in the table
  // Sun time also gives numbers.
  await page.check('#overlap-sun');
  await page.fill('#overlap-boot', '0');
  await page.click('#overlap-run');
  await page.waitForFunction(() => document.querySelector('#overlap-result').dataset.state === 'done' && document.querySelector('#overlap-result').textContent.includes('NOAA'), null, { timeout: 60000 });
  await page.locator('#survey-charts-section').screenshot({ path: join(out, 'survey-charts.png') });
  assert.deepEqual(errors, []);
  await page.close();
});
