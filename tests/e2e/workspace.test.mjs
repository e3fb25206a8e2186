// The workspace layout (www/nav.js, www/table.js): a persistent header and a navigation between
// views, one view shown at a time, deep links (#/map) that survive a reload, Back/Forward, tables
// with sticky headers, numeric and date sorting and a filter box, no horizontal overflow at
// 1440×900 and 1280×720, the summary, map and review usable at a 390 px phone width, each chart
// shown once and drawn before its view is opened, chart text at least the page's small text size,
// overlap pickers with common names, candidates numbered from #1, SECR checkboxes on their labels'
// line. Screenshots of every view at 1440×900 in English and Chinese:
// tests/e2e/out/workspace-<lang>-<view>.png (and workspace-phone-<view>.png) — look at them.
// Expected values are worked out here: the demo's 45 joint individuals (e2e.test.mjs), the nav's
// labels from www/i18n/nav.js, dates parsed by Node from the text the page shows.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { paths, startServer, launch, openPage as open } from './harness.mjs';
import nav from '../../www/i18n/nav.js';

const { out } = paths;
// The views of the page and their nav labels' keys; waterbirds only when its section is in the page.
const VIEWS = ['data', 'individuals', 'map', 'estimates', 'review', 'charts', 'waterbirds'];
let server, base, browser;

before(async () => {
  ({ server, base } = await startServer());
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.close();
});

async function openPage(viewport = { width: 1440, height: 900 }, hash = '', locale = 'en-US') {
  const r = await open(browser, base + hash, { context: { viewport, locale } });
  await r.page.waitForFunction(() => /: (done|завершено|完成|완료|дууссан)/.test(document.getElementById('status').textContent)
    || document.body.dataset.state === 'done', null, { timeout: 60000 });
  await r.page.waitForSelector('body[data-state="done"]', { timeout: 60000 });
  return r;
}

// Only view `v` is shown: no section of another view is rendered, and v's sections are the current
// ones (a section of v may itself be hidden while it has nothing to show, e.g. before its data).
async function assertOnly(page, v, message = `only ${v} shown`) {
  const r = await page.evaluate(() => ({
    rendered: [...new Set([...document.querySelectorAll('main section[data-view]')].filter((e) => e.getClientRects().length > 0).map((e) => e.dataset.view))],
    current: [...new Set([...document.querySelectorAll('main section[data-view].view-current')].map((e) => e.dataset.view))],
  }));
  assert.ok(r.rendered.every((x) => x === v), `${message}: ${JSON.stringify(r)}`);
  assert.deepEqual(r.current, [v], message);
}

// The view the address names (#/VIEW or #/VIEW/TAB).
const hashView = (page) => page.evaluate(() => location.hash.replace(/^#\//, '').split('/')[0]);
const presentViews = (page) => page.evaluate(() => [...new Set([...document.querySelectorAll('main section[data-view]')].map((e) => e.dataset.view))]);

// Page wider than the window, and tables (or their wrappers) whose columns are cut or scroll sideways.
async function overflow(page) {
  return page.evaluate(() => {
    const doc = document.documentElement.scrollWidth - document.documentElement.clientWidth;
    const clipped = [...document.querySelectorAll('main .table-wrap')].filter((w) => w.getClientRects().length > 0
      && w.scrollWidth > w.clientWidth + 1).map((w) => w.querySelector('table')?.id || w.className);
    return { doc, clipped };
  });
}

test('every view is reachable by the nav and by a deep link after a reload; one view at a time; Back/Forward', async () => {
  const { ctx, page, errors } = await openPage();
  // Default: the data view, with the summary on top.
  assert.equal(await hashView(page), 'data');
  await assertOnly(page, 'data');
  assert.ok(await page.isVisible('#summary .card'));
  assert.ok(await page.isVisible('#views-nav'));
  const present = await presentViews(page);
  for (const v of ['data', 'individuals', 'map', 'estimates', 'review', 'charts']) assert.ok(present.includes(v), `view ${v} in the page`);
  // A nav entry for every view the page has (waterbirds hidden while its section is not there), labelled in English.
  for (const v of VIEWS) {
    const li = page.locator(`#views-nav a[href="#/${v}"]`);
    assert.equal(await li.count(), 1, `nav link to ${v}`);
    assert.equal(await li.isVisible(), present.includes(v), `nav link to ${v} shown iff its view exists`);
    if (present.includes(v)) assert.equal(await li.textContent(), nav.en[`nav.${v}`]);
  }
  assert.ok(await page.isVisible('#views-nav a[href="#/public"]'));
  // By the nav: each view alone, with the nav link marked current.
  for (const v of present) {
    await page.click(`#views-nav a[href="#/${v}"]`);
    assert.equal(await hashView(page), v);
    await assertOnly(page, v, `only ${v} shown`);
    assert.equal(await page.getAttribute(`#views-nav a[href="#/${v}"]`, 'aria-current'), 'page');
    assert.equal(await page.locator('#views-nav a[aria-current="page"]').count(), 1);
    assert.ok(await page.isVisible('#dataset-name'), 'the header (data set) stays');
    assert.equal(await page.textContent('#dataset-name'), 'demo survey (simulated)');
    assert.ok(await page.isVisible('#lang-select') && await page.isVisible('#outreach-open'));
  }
  // Back and Forward walk the views.
  await page.click('#views-nav a[href="#/data"]');
  await page.click('#views-nav a[href="#/map"]');
  await page.click('#views-nav a[href="#/estimates"]');
  await page.goBack();
  assert.equal(await hashView(page), 'map');
  await assertOnly(page, 'map');
  await page.goBack();
  await assertOnly(page, 'data');
  await page.goForward();
  await assertOnly(page, 'map');
  // The public view by the nav; its own "back" button returns to the expert view shown before.
  await page.click('#views-nav a[href="#/public"]');
  await page.waitForSelector('#outreach');
  assert.equal(await hashView(page), 'public');
  assert.equal(await page.locator('main').count(), 0, 'the expert part is out of the page');
  await page.click('#outreach-leave');
  await page.waitForFunction(() => location.hash === '#/map' && document.querySelector('main'));
  await assertOnly(page, 'map');
  // Deep links, each opened and then reloaded.
  for (const v of present) {
    await page.goto(`${base}#/${v}`);
    await page.waitForSelector('body[data-state="done"]', { timeout: 60000 });
    await page.reload();
    await page.waitForSelector('body[data-state="done"]', { timeout: 60000 });
    assert.equal(await hashView(page), v);
    await assertOnly(page, v, `deep link #/${v} after a reload`);
  }
  await page.goto(`${base}#/public`);
  await page.reload();
  await page.waitForSelector('#outreach[data-ready]', { timeout: 60000 });
  assert.equal(await page.locator('main').count(), 0);
  // Tabs of a view: each by its link and by a deep link after a reload; Back returns to the one before;
  // the view's nav link keeps the tab shown last.
  const tabShown = () => page.$$eval('#estimate-section [data-tab-panel]', (p) => p.filter((x) => !x.hidden).map((x) => x.dataset.tabPanel));
  await page.goto(`${base}#/estimates`);
  await page.waitForSelector('body[data-state="done"]', { timeout: 60000 });
  assert.deepEqual(await tabShown(), ['closed']);
  await page.click('[data-tabs] a[data-tab="secr"]');
  assert.equal(await page.evaluate(() => location.hash), '#/estimates/secr');
  assert.deepEqual(await tabShown(), ['secr']);
  assert.ok(await page.isVisible('#fit-secr') && !(await page.isVisible('#fit-closed')));
  await page.click('[data-tabs] a[data-tab="design"]');
  await page.goBack();
  assert.deepEqual(await tabShown(), ['secr']);
  await page.click('#views-nav a[href="#/map"]');
  await page.click('#views-nav a[href="#/estimates"]');
  assert.deepEqual(await tabShown(), ['secr'], 'the tab shown last');
  assert.equal(await page.evaluate(() => location.hash), '#/estimates/secr', 'the address names the tab shown');
  await page.goto(`${base}#/estimates/design`);
  await page.reload();
  await page.waitForSelector('body[data-state="done"]', { timeout: 60000 });
  await assertOnly(page, 'estimates');
  assert.deepEqual(await tabShown(), ['design']);
  assert.equal(await page.getAttribute('[data-tabs] a[data-tab="design"]', 'aria-current'), 'page');
  // An unknown view falls back to the data view.
  await page.goto(`${base}#/nowhere`);
  await page.waitForSelector('body[data-state="done"]', { timeout: 60000 });
  await assertOnly(page, 'data');
  assert.equal(await hashView(page), 'data');
  assert.deepEqual(errors, []);
  await ctx.close();
});

// "Nov 4, 2024, 16:20 (UTC+08:00)" (en-US, as the page writes it) → ms since 1970.
const parseShown = (s) => Date.parse(s.replace(/ \(UTC([+-]\d{2}:\d{2})\)$/, ' GMT$1').replace(/, (\d{2}:\d{2})/, ' $1'));

test('tables: sticky header, numeric and date sorting, a filter box; nothing cut at 1440×900 and 1280×720', async () => {
  const { ctx, page, errors } = await openPage();
  await page.click('#views-nav a[href="#/individuals"]');
  // Columns by header, read when used (the review panel adds an evidence column when it is ready).
  await page.waitForSelector('body[data-identity="ready"]', { timeout: 60000 });
  await page.waitForSelector('#individuals th.evidence-h');
  const headers = await page.$$eval('#individuals tr:first-of-type th', (t) => t.map((x) => x.textContent));
  const col = (name) => headers.indexOf(name);
  const cells = (k) => page.$$eval(`#individuals tr:not(:first-of-type) td:nth-child(${k + 1})`, (t) => t.map((x) => x.textContent));
  // Detections in RU: small integers, where text order ("10" < "2") and number order differ.
  const det = col('detections RU');
  assert.ok(det > 0, headers.join(' | '));
  const before = (await cells(det)).map(Number);
  assert.notDeepEqual([...before].map(String).sort(), [...before].sort((a, b) => a - b).map(String), 'the column tells text from number order');
  await page.click(`#individuals tr:first-of-type th:nth-child(${det + 1}) button`);
  const asc = (await cells(det)).map(Number);
  assert.deepEqual(asc, [...before].sort((a, b) => a - b), 'ascending as numbers');
  assert.equal(await page.getAttribute(`#individuals tr:first-of-type th:nth-child(${det + 1})`, 'aria-sort'), 'ascending');
  await page.click(`#individuals tr:first-of-type th:nth-child(${det + 1}) button`);
  assert.deepEqual((await cells(det)).map(Number), [...before].sort((a, b) => b - a), 'descending as numbers');
  // Max. distance from the border (decimals).
  const km = col('max km from border');
  assert.ok(km > 0, headers.join(' | '));
  await page.click(`#individuals tr:first-of-type th:nth-child(${km + 1}) button`);
  const kms = (await cells(km)).map((x) => Number(x.replace(/,/g, '')));
  assert.deepEqual(kms, [...kms].sort((a, b) => a - b));
  // First seen: dates in time order (not as text: "Dec" < "Nov").
  const first = col('first seen');
  await page.click(`#individuals tr:first-of-type th:nth-child(${first + 1}) button`);
  const times = (await cells(first)).map(parseShown);
  assert.ok(times.every(Number.isFinite), (await cells(first)).slice(0, 3).join(' / '));
  assert.deepEqual(times, [...times].sort((a, b) => a - b), 'first seen in time order');
  // A new language keeps the sort (the table is rebuilt in Russian, in the same order).
  const ids = () => page.$$eval('#individuals tr:not(:first-of-type) td:first-child', (t) => t.map((x) => x.textContent));
  const order = await ids();
  await page.selectOption('#lang-select', 'ru');
  await page.waitForFunction(() => document.querySelector('#individuals th')?.textContent !== 'joint individual');
  await page.waitForSelector('#individuals th.evidence-h');
  assert.deepEqual(await ids(), order, 'still sorted by first seen');
  assert.equal(await page.$eval(`#individuals tr:first-of-type th:nth-child(${first + 1})`, (th) => th.getAttribute('aria-sort')), 'ascending');
  await page.selectOption('#lang-select', 'en');
  await page.waitForFunction(() => document.querySelector('#individuals th')?.textContent === 'joint individual');
  await page.waitForSelector('#individuals th.evidence-h');
  // The header row stays at the top of the table's box while its rows scroll.
  const stuck = await page.evaluate(() => {
    const wrap = document.querySelector('#individuals').closest('.table-wrap');
    wrap.scrollTop = 400;
    const th = document.querySelector('#individuals th');
    return { scrolled: wrap.scrollTop, wrapTop: wrap.getBoundingClientRect().top, thTop: th.getBoundingClientRect().top };
  });
  assert.ok(stuck.scrolled > 100, `the table scrolls in its box (${stuck.scrolled})`);
  assert.ok(Math.abs(stuck.thTop - stuck.wrapTop) <= 1.5, JSON.stringify(stuck));
  // The page's header stays at the top when the page scrolls (the charts view, once drawn, is long).
  await page.waitForSelector('#survey-charts-section[data-state="done"]', { state: 'attached', timeout: 120000 });
  await page.click('#views-nav a[href="#/charts"]');
  await page.evaluate(() => window.scrollTo(0, 5000));
  assert.ok(await page.evaluate(() => window.scrollY) > 100, 'the charts view scrolls');
  assert.ok(Math.abs((await page.locator('.app-header').boundingBox()).y) <= 1, 'the header stays on top');
  // The filter box keeps the matching rows and says how many.
  await page.click('#views-nav a[href="#/individuals"]');
  await page.fill('#individuals-filter', 'RU-T1');
  const shown = await page.$$eval('#individuals tr:not(:first-of-type)', (r) => r.filter((x) => !x.hidden).map((x) => x.textContent));
  assert.ok(shown.length > 0 && shown.length < 45, `${shown.length} rows`);
  assert.ok(shown.every((x) => x.includes('RU-T1')));
  assert.equal(await page.textContent('#individuals-section .table-count'), `${shown.length} of 45 rows`);
  await page.fill('#individuals-filter', '');
  assert.equal(await page.locator('#individuals tr:not(:first-of-type):not([hidden])').count(), 45);
  // The parse report has a filter too.
  await page.click('#views-nav a[href="#/data"]');
  await page.fill('#reports-filter', 'observations');
  const files = await page.$$eval('#reports tr:not(:first-of-type)', (r) => r.filter((x) => !x.hidden).map((x) => x.cells[0].textContent));
  assert.deepEqual(files.sort(), ['cn/observations.csv', 'ru/observations.csv']);
  await page.fill('#reports-filter', '');
  // No horizontal overflow of the page, no table cut, in each view at both sizes.
  for (const size of [{ width: 1440, height: 900 }, { width: 1280, height: 720 }]) {
    await page.setViewportSize(size);
    for (const v of await presentViews(page)) {
      await page.click(`#views-nav a[href="#/${v}"]`);
      assert.deepEqual(await overflow(page), { doc: 0, clipped: [] }, `${v} at ${size.width}×${size.height}`);
    }
  }
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('charts: each once, drawn before their view is opened, text at least the small text size; pickers with common names', async () => {
  const { ctx, page, errors } = await openPage();
  // Drawn while the data view is shown (the charts view was never opened).
  await page.waitForSelector('#survey-charts-section[data-state="done"]', { state: 'attached', timeout: 120000 });
  const keys = await page.$$eval('#survey-charts figure[data-key]', (f) => f.map((x) => x.dataset.key));
  assert.ok(keys.length >= 8, keys.join());
  assert.equal(new Set(keys).size, keys.length, 'no chart twice');
  for (const k of ['detections_individual', 'crossings', 'distance']) assert.ok(keys.includes(k), k);
  assert.equal(await page.locator('main svg[aria-label] >> nth=0').count(), 1);
  assert.equal(await page.locator('#chart-detections, #chart-crossings, #chart-distance, #charts-section').count(), 0, 'the old duplicate charts are gone');
  await page.click('#views-nav a[href="#/charts"]');
  // Every chart's smallest text, as displayed, is at least the page's small text (a caption, 0.85rem).
  const sizes = await page.$$eval('#survey-charts figure', (figs) => figs.map((f) => {
    const svg = f.querySelector('.chart-svg svg');
    const small = parseFloat(getComputedStyle(f.querySelector('figcaption')).fontSize);
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    const min = Math.min(...[...svg.querySelectorAll('text')].map((x) => parseFloat(x.getAttribute('font-size')) || 99));
    return { key: f.dataset.key, shown: min * scale, small };
  }));
  for (const s of sizes) assert.ok(s.shown >= s.small - 0.05, JSON.stringify(s));
  // Overlap pickers: wide, common name in the page's language then the scientific name.
  const options = await page.$$eval('#overlap-a option', (o) => o.map((x) => [x.value, x.textContent]));
  const tiger = options.find(([v]) => v === 'Panthera tigris altaica');
  assert.ok(tiger, options.map((o) => o[0]).join());
  assert.match(tiger[1], /^Amur tiger — Panthera tigris altaica \(\d[\d,]*\)$/);
  assert.ok((await page.locator('#overlap-a').boundingBox()).width >= 300);
  await page.selectOption('#lang-select', 'zh');
  await page.waitForFunction(() => /东北虎|阿穆尔虎/.test(document.querySelector('#overlap-a option[value="Panthera tigris altaica"]')?.textContent || ''), null, { timeout: 60000 });
  assert.match(await page.textContent('#overlap-a option[value="Panthera tigris altaica"]'), /— Panthera tigris altaica \(/);
  await page.selectOption('#lang-select', 'en');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('review: candidates numbered from #1 in the list shown; SECR checkboxes on their labels\' line', async () => {
  const { ctx, page, errors } = await openPage();
  await page.click('#views-nav a[href="#/review"]');
  await page.waitForSelector('body[data-identity="ready"]', { timeout: 60000 });
  const ranks = () => page.$$eval('#identity-candidates li.candidate .rank', (r) => r.map((x) => x.textContent));
  let r = await ranks();
  assert.ok(r.length > 3);
  assert.deepEqual(r, r.map((_, i) => `#${i + 1}`));
  await page.check('input[name="identity-filter"][value="linked"]');
  r = await ranks();
  assert.ok(r.length > 0);
  assert.deepEqual(r, r.map((_, i) => `#${i + 1}`));
  await page.check('input[name="identity-filter"][value="all"]');
  // The find box keeps the pairs naming an ID.
  await page.fill('#identity-find', 'RU-T12');
  const pairs = await page.$$eval('#identity-candidates li.candidate', (l) => l.map((x) => `${x.dataset.idA} ${x.dataset.idB}`));
  assert.ok(pairs.length > 0 && pairs.every((p) => p.includes('RU-T12')), pairs.join());
  assert.deepEqual(await ranks(), pairs.map((_, i) => `#${i + 1}`));
  await page.fill('#identity-find', '');
  await page.click('#views-nav a[href="#/estimates"]');
  await page.click('[data-tabs] a[data-tab="secr"]');
  for (const id of ['secr-cl', 'secr-compare']) {
    const [box, text] = await page.$eval(`#${id}`, (i) => [i.getBoundingClientRect(), i.parentElement.querySelector('span').getBoundingClientRect()]
      .map((b) => ({ x: b.x, y: b.y, w: b.width, h: b.height })));
    const mid = box.y + box.h / 2;
    assert.ok(mid >= text.y && mid <= text.y + text.h, `${id}: checkbox middle ${mid} within its label's line ${text.y}–${text.y + text.h}`);
    assert.ok(text.x >= box.x + box.w && text.x - (box.x + box.w) < 16, `${id}: label just right of the checkbox (${JSON.stringify([box, text])})`);
  }
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('screenshots of every view at 1440×900 in English and Chinese, and the summary, map and review at a 390 px phone width', async () => {
  for (const locale of ['en-US', 'zh-CN']) {
    const { ctx, page, errors } = await openPage({ width: 1440, height: 900 }, '', locale);
    const code = locale.slice(0, 2);
    await page.waitForSelector('#survey-charts-section[data-state="done"]', { state: 'attached', timeout: 120000 });
    for (const v of await presentViews(page)) {
      await page.click(`#views-nav a[href="#/${v}"]`);
      if (code === 'zh') assert.equal(await page.textContent(`#views-nav a[href="#/${v}"]`), nav.zh[`nav.${v}`]);
      await page.screenshot({ path: join(out, `workspace-${code}-${v}.png`) });
      for (const tab of await page.$$eval(`section[data-view="${v}"] [data-tabs] a[data-tab]`, (l) => l.slice(1).map((x) => x.dataset.tab))) {
        await page.click(`section[data-view="${v}"] [data-tabs] a[data-tab="${tab}"]`);
        await page.screenshot({ path: join(out, `workspace-${code}-${v}-${tab}.png`) });
      }
    }
    await page.click('#views-nav a[href="#/public"]');
    await page.waitForSelector('#outreach[data-ready]', { timeout: 60000 });
    await page.screenshot({ path: join(out, `workspace-${code}-public.png`), animations: 'disabled' });
    assert.deepEqual(errors, []);
    await ctx.close();
  }
  const { ctx, page, errors } = await openPage({ width: 390, height: 844 });
  for (const v of ['data', 'map', 'review']) {
    await page.click(`#views-nav a[href="#/${v}"]`);
    const o = await overflow(page);
    assert.equal(o.doc, 0, `${v}: no sideways scroll of the page at 390 px`);
    await page.screenshot({ path: join(out, `workspace-phone-${v}.png`) });
  }
  // Usable: the summary cards, the map canvas and the first candidate's buttons are within the width.
  await page.click('#views-nav a[href="#/data"]');
  for (const b of await page.locator('#summary .card').all()) assert.ok((await b.boundingBox()).x + (await b.boundingBox()).width <= 390);
  await page.click('#views-nav a[href="#/map"]');
  const map = await page.locator('#map-canvas').boundingBox();
  assert.ok(map.width > 300 && map.x + map.width <= 390, JSON.stringify(map));
  await page.click('#views-nav a[href="#/review"]');
  await page.waitForSelector('body[data-identity="ready"]', { timeout: 60000 });
  const accept = await page.locator('#identity-candidates li.candidate').first().locator('button[data-action="accept"]').boundingBox();
  assert.ok(accept && accept.x + accept.width <= 390, JSON.stringify(accept));
  assert.deepEqual(errors, []);
  await ctx.close();
});
