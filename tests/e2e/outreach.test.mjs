// Browser end-to-end tests of the public outreach mode (www/outreach.js on the core's outreachView,
// outreachGeoJson and outreachDarwinCore). The exact positions that must never appear are the demo
// survey's 120 camera stations, read here from www/demo/{cn,ru}/deployments.csv (latitude, longitude):
// neither the page's DOM in outreach mode nor any record of the generalised GeoJSON / Darwin Core
// exports may contain one of them to 4 decimals (rounded or truncated).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { paths, startServer, launch, openPage as open, assertSameOrigin, showView } from './harness.mjs';
import outreachStrings from '../../www/i18n/outreach.js';

const { demo, out } = paths;

// Station positions of the demo, each coordinate as the 4-decimal strings a leak would contain
// (rounded and truncated). A position leaks when its latitude and its longitude appear together (one
// coordinate alone also occurs by chance: a 10 km cell centre can share a station's latitude).
function stationPositions() {
  const out = [];
  const four = (x) => [...new Set([x.toFixed(4), (Math.trunc(x * 1e4) / 1e4).toFixed(4)])];
  for (const side of ['cn', 'ru']) {
    const [head, ...rows] = readFileSync(join(demo, side, 'deployments.csv'), 'utf8').trim().split('\n');
    const cols = head.split(',');
    const [iid, ilat, ilon] = [cols.indexOf('deploymentID'), cols.indexOf('latitude'), cols.indexOf('longitude')];
    for (const r of rows) {
      const f = r.split(',');
      out.push({ id: f[iid], lat: four(Number(f[ilat])), lon: four(Number(f[ilon])) });
    }
  }
  return out;
}
const STATIONS = stationPositions();
// Stations whose position appears in `text` (both coordinates, to 4 decimals).
const leaks = (text) => STATIONS.filter((s) => s.lat.some((v) => text.includes(v)) && s.lon.some((v) => text.includes(v))).map((s) => s.id);
// The same, record by record (lines of a CSV, features of a GeoJSON).
const leaksPerRecord = (records) => [...new Set(records.flatMap((r) => leaks(r)))];

let server, base, browser;
const requests = [];

before(async () => {
  assert.equal(STATIONS.length, 120, 'stations of the demo');
  // Positive control: the check finds the positions where they are (the raw deployments table, row by row).
  assert.equal(leaksPerRecord(readFileSync(join(demo, 'cn', 'deployments.csv'), 'utf8').split('\n')).length, 60);
  ({ server, base } = await startServer());
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.close();
});

function openPage(query, { reducedMotion = 'no-preference' } = {}) {
  return open(browser, base + query, { context: { locale: 'en-US', viewport: { width: 1280, height: 900 }, acceptDownloads: true, reducedMotion }, requests });
}

async function waitOutreach(page) {
  await page.waitForSelector('#outreach[data-ready]', { timeout: 60000 });
  const state = await page.getAttribute('#outreach', 'data-ready');
  assert.equal(state, '1', `outreach view: ${await page.textContent('#outreach-status')}`);
}

// No expert node exists: no table, map, chart, catalog, report or raw download.
async function assertNoExpertNodes(page) {
  const found = await page.evaluate(() => ({
    tables: document.querySelectorAll('table').length,
    main: document.querySelectorAll('main').length,
    expert: document.querySelectorAll('#map, #summary, #individuals, #reports, #survey-charts-section, #survey-charts, #dl-json, #dl-csv, #dl-map, #estimate-section').length,
    layers: document.querySelectorAll('[data-layer="stations"], [data-layer="detections"], [data-layer="movements"]').length,
    rawLinks: [...document.querySelectorAll('a[download]')].map((a) => a.getAttribute('href')),
  }));
  assert.deepEqual(found, { tables: 0, main: 0, expert: 0, layers: 0, rawLinks: [] });
}

async function downloadText(page, selector) {
  const [d] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  return readFileSync(await d.path(), 'utf8');
}

test('outreach mode on the demo (?mode=outreach): slides only, no expert node, no station coordinate, generalised exports', async () => {
  requests.length = 0;
  const { ctx, page, errors } = await openPage('?mode=outreach&lang=en');
  await waitOutreach(page);
  await assertNoExpertNodes(page);
  const n = await page.locator('#outreach-slides > .slide').count();
  assert.ok(n >= 2, `${n} slides`);
  assert.equal(await page.locator('#outreach-slides > .slide:not([hidden])').count(), 1);
  assert.equal(await page.locator('#outreach-slides > .slide[data-key="numbers"]').count(), 1, 'one slide of key numbers');
  // Every chart on the slides has a text alternative.
  const svgs = await page.$$eval('#outreach-slides svg', (s) => s.map((x) => {
    const cap = document.getElementById(x.getAttribute('aria-labelledby'));
    return [x.getAttribute('role'), cap ? cap.textContent.trim().length : 0];
  }));
  assert.ok(svgs.length >= 1);
  for (const [role, len] of svgs) { assert.equal(role, 'img'); assert.ok(len > 0); }
  assert.match(await page.textContent('#outreach-generalisation'), /\S/);
  // Not one station coordinate in the whole document (text, attributes, SVG markup).
  assert.deepEqual(leaks(await page.content()), []);

  // Keyboard: arrows, Home and End move between slides.
  assert.equal(await page.getAttribute('#outreach', 'data-slide'), '0');
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.getAttribute('#outreach', 'data-slide'), '1');
  assert.equal(await page.locator('#outreach-slides > .slide:not([hidden])').getAttribute('data-key'),
    await page.locator('#outreach-slides > .slide').nth(1).getAttribute('data-key'));
  await page.keyboard.press('ArrowLeft');
  assert.equal(await page.getAttribute('#outreach', 'data-slide'), '0');
  await page.keyboard.press('End');
  assert.equal(await page.getAttribute('#outreach', 'data-slide'), String(n - 1));
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.getAttribute('#outreach', 'data-slide'), '0', 'wraps round');
  // The buttons do the same, and auto-advance can be paused (it runs when motion is allowed).
  await page.click('#outreach-next');
  assert.equal(await page.getAttribute('#outreach', 'data-slide'), '1');
  assert.equal(await page.textContent('#outreach-play'), outreachStrings.en['outreach.pause']);
  await page.click('#outreach-play');
  assert.equal(await page.textContent('#outreach-play'), outreachStrings.en['outreach.play']);
  assert.equal(await page.getAttribute('#outreach-play', 'aria-pressed'), 'false');

  // The only exports: generalised GeoJSON and Darwin Core, labelled as such, without a station coordinate.
  assert.equal(await page.textContent('#outreach-dl-geojson'), outreachStrings.en['outreach.dl_geojson']);
  assert.equal(await page.textContent('#outreach-dl-dwc'), outreachStrings.en['outreach.dl_dwc']);
  const buttons = await page.$$eval('#outreach button', (b) => b.map((x) => x.id).sort());
  assert.deepEqual(buttons, ['outreach-dl-dwc', 'outreach-dl-geojson', 'outreach-fullscreen', 'outreach-leave', 'outreach-next',
    'outreach-play', 'outreach-prev'].sort());
  const geojson = await downloadText(page, '#outreach-dl-geojson');
  const fc = JSON.parse(geojson);
  assert.equal(fc.type, 'FeatureCollection');
  assert.ok(fc.features.length > 0);
  assert.deepEqual(leaksPerRecord(fc.features.map((f) => JSON.stringify(f))), []);
  const dwc = await downloadText(page, '#outreach-dl-dwc');
  const header = dwc.split('\n')[0];
  assert.match(header, /dataGeneralizations/);
  assert.match(header, /informationWithheld/);
  assert.deepEqual(leaksPerRecord(dwc.split('\n')), []);
  await page.screenshot({ path: join(out, 'outreach-demo.png'), animations: 'disabled' });

  assert.deepEqual(errors, []);
  assertSameOrigin(requests, base);
  await ctx.close();
});

test("the user's files: Public view from the expert page, then back to the expert view", async () => {
  const { ctx, page, errors } = await openPage('');
  await page.waitForFunction(() => document.getElementById('status').textContent === 'demo survey (simulated): done', null, { timeout: 60000 });
  await page.setInputFiles('#files', ['cn.zip', 'ru.zip', 'links.csv', 'border.geojson'].map((f) => join(demo, f)));
  await page.waitForFunction(() => document.getElementById('status').textContent === 'your files: done', null, { timeout: 60000 });
  assert.ok(await page.locator('#individuals tr').count() > 1);
  await page.click('#outreach-open');
  await waitOutreach(page);
  assert.match(page.url(), /mode=outreach/);
  await assertNoExpertNodes(page);
  assert.deepEqual(leaks(await page.content()), []);
  // A language change re-renders the slides in that language (the core draws their text).
  await page.selectOption('#outreach-lang', 'ru');
  await page.waitForFunction(() => document.documentElement.lang === 'ru');
  await page.waitForFunction(() => /[\u0400-\u04ff]/.test(document.querySelector('#outreach-slides .slide h3').textContent), null, { timeout: 30000 });
  assert.equal(await page.textContent('#outreach-h'), outreachStrings.ru['outreach.title']);
  await assertNoExpertNodes(page);
  // Back: the expert page returns with the same analysis, drawn again.
  await page.selectOption('#outreach-lang', 'en');
  await page.click('#outreach-leave');
  // The interactive map is shown; the static SVG map (folded under it) is drawn again too.
  await page.waitForSelector('#map svg', { state: 'attached' });
  await showView(page, 'map');
  await page.waitForSelector('#map-canvas', { state: 'visible' });
  assert.equal(await page.locator('#outreach').count(), 0);
  assert.ok(await page.locator('#individuals tr').count() > 1);
  assert.doesNotMatch(page.url(), /mode=outreach/);
  assert.equal(await page.locator('#map [data-layer="stations"] circle').count(), 120);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('reduced motion: the slideshow does not advance by itself; full screen is offered on a button', async () => {
  const { ctx, page, errors } = await openPage('?mode=outreach', { reducedMotion: 'reduce' });
  await waitOutreach(page);
  assert.equal(await page.textContent('#outreach-play'), outreachStrings.en['outreach.play']);
  assert.equal(await page.getAttribute('#outreach-play', 'aria-pressed'), 'false');
  const animation = await page.$eval('#outreach-slides > .slide.current', (s) => getComputedStyle(s).animationName);
  assert.equal(animation, 'none');
  assert.equal(await page.textContent('#outreach-fullscreen'), outreachStrings.en['outreach.fullscreen']);
  await page.click('#outreach-fullscreen');
  const full = await page.evaluate(() => document.fullscreenElement !== null);
  if (full) {
    assert.equal(await page.textContent('#outreach-fullscreen'), outreachStrings.en['outreach.exit_fullscreen']);
    await page.click('#outreach-fullscreen');
    assert.equal(await page.evaluate(() => document.fullscreenElement), null);
  }
  assert.deepEqual(errors, []);
  await ctx.close();
});
