// Browser end-to-end tests of the page's five languages (www/i18n.js, www/i18n/*.js).
// Expected strings come from the page's own string tables (www/i18n/core.js, outreach.js); expected
// numbers are the demo survey's (45 photographed tigers, 19 on both sides, over-count 19/45 = 42.2%,
// see e2e.test.mjs and www/demo/README.md) formatted by Node's Intl for the language's BCP 47 tag,
// which must equal what the page shows. Screenshots: tests/e2e/out/lang-<code>.png (whole page) and
// outreach-<code>.png (the public view's first slide) — look at them: every script must render as glyphs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { paths, startServer, launch, openPage as open, assertSameOrigin, showView } from './harness.mjs';
import core from '../../www/i18n/core.js';
import outreachStrings from '../../www/i18n/outreach.js';
import identityStrings from '../../www/i18n/identity.js';
import chartsStrings from '../../www/i18n/charts.js';
import mapsStrings from '../../www/i18n/maps.js';
import navStrings from '../../www/i18n/nav.js';
import snowStrings from '../../www/i18n/snowdemo.js';
import waterbirdsStrings from '../../www/i18n/waterbirds.js';

const { out } = paths;

const LANGS = [
  { code: 'en', tag: 'en', name: 'English', script: /[A-Za-z]/ },
  { code: 'zh', tag: 'zh-Hans', name: '中文', script: /[\u4e00-\u9fff]/ },
  { code: 'ru', tag: 'ru', name: 'Русский', script: /[\u0400-\u04ff]/ },
  { code: 'ko', tag: 'ko', name: '한국어', script: /[\uac00-\ud7af]/ },
  { code: 'mn', tag: 'mn', name: 'Монгол', script: /[\u0400-\u04ff]/ },
];
const str = (code, key, vars = {}) => {
  const s = [core, outreachStrings, identityStrings, chartsStrings, mapsStrings, navStrings, snowStrings, waterbirdsStrings].map((t) => t[code][key] ?? t.en[key]).find((x) => x !== undefined);
  return s.replace(/\{(\w+)\}/g, (m, k) => (vars[k] === undefined ? m : String(vars[k])));
};

let server, base, browser;
const requests = [];

before(async () => {
  ({ server, base } = await startServer());
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.close();
});

// A fresh browser profile (no remembered language) whose preferred language is `locale`.
function openPage(locale = 'en-US', query = '') {
  return open(browser, base + query, { context: { locale, viewport: { width: 1280, height: 900 } }, requests });
}

async function waitDemo(page, code) {
  const done = str(code, 'core.status.done', { label: str(code, 'core.label.demo') });
  await page.waitForFunction((d) => document.getElementById('status').textContent === d, done, { timeout: 60000 });
}

// Text of the page that a reader sees, and any string-table key left in it (e.g. "core.summary.h").
async function leakedKeys(page) {
  const text = await page.evaluate(() => document.body.innerText + ' ' +
    [...document.querySelectorAll('[aria-label],[placeholder],[title]')].map((e) =>
      [e.getAttribute('aria-label'), e.getAttribute('placeholder'), e.getAttribute('title')].join(' ')).join(' '));
  return text.match(/\b(core|outreach|maps|charts|identity|nav|table|snowdemo|wb)\.[a-z_]+(\.[a-z_]+)*\b/g) || [];
}

for (const L of LANGS) {
  test(`the page in ${L.name} (${L.code}): strings, <html lang>, locale numbers, screenshots, nothing leaves the origin`, async () => {
    requests.length = 0;
    // First visit with this language preferred by the browser: the page takes it from navigator.languages.
    const { ctx, page, errors } = await openPage(`${L.tag === 'zh-Hans' ? 'zh-CN' : L.tag}`);
    await waitDemo(page, L.code);
    assert.equal(await page.getAttribute('html', 'lang'), L.tag);
    assert.equal(await page.inputValue('#lang-select'), L.code);
    // Every element with a key shows that language's string.
    const keyed = await page.$$eval('[data-i18n]', (es) => es.map((e) => [e.dataset.i18n, e.textContent]));
    assert.ok(keyed.length > 60, `${keyed.length} keyed elements`);
    for (const [key, text] of keyed) assert.equal(text, str(L.code, key), key);
    assert.equal(await page.textContent('#summary-h [data-i18n="core.summary.h"]'), core[L.code]['core.summary.h']);
    assert.equal(await page.title(), core[L.code]['core.title']);
    assert.match(await page.textContent('#simulated-banner'), L.script);
    // Numbers as Intl writes them in this locale (ru: "42,2 %" with a no-break space).
    const cards = await page.$$eval('#summary .card', (cs) => Object.fromEntries(cs.map((c) =>
      [c.dataset.key, [c.querySelector('.value').textContent, c.querySelector('.label').textContent]])));
    const nf = new Intl.NumberFormat(L.tag);
    assert.equal(cards.unique[0], nf.format(45));
    assert.equal(cards.sum[0], nf.format(64));
    assert.equal(cards.overcount[0], new Intl.NumberFormat(L.tag, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(19 / 45));
    assert.equal(cards.unique[1], str(L.code, 'core.card.unique'));
    assert.equal(cards['national-CN'][1], str(L.code, 'core.card.national', { name: 'CN' }));
    // Table headers and dates of the joint catalog in this language and locale.
    const th = await page.$$eval('#individuals tr:first-of-type th', (t) => t.map((x) => x.textContent));
    assert.equal(th[0], str(L.code, 'core.ind.joint'));
    const first = await page.$eval('#individuals tr.transboundary td:nth-last-child(2)', (td) => td.textContent);
    assert.match(first, /\(UTC[+-]\d{2}:\d{2}\)$/);
    if (L.code !== 'en') assert.doesNotMatch(first, /^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) /, first);
    // The chart's text alternative is a caption in this language, naming the 45 individuals.
    await page.waitForSelector('#survey-charts-section[data-state="done"]', { state: 'attached', timeout: 120000 });
    const crossingsAlt = await page.textContent('#survey-chart-crossings-alt');
    assert.match(crossingsAlt, L.script);
    assert.ok(crossingsAlt.includes(nf.format(45)), crossingsAlt);
    assert.equal(await page.getAttribute('#survey-chart-crossings svg', 'aria-describedby'), 'survey-chart-crossings-alt');
    assert.deepEqual(await leakedKeys(page), []);
    await page.screenshot({ path: join(out, `lang-${L.code}.png`), fullPage: true });

    // The public view in the same language: its controls are translated and it shows no table.
    await page.click('#outreach-open');
    await page.waitForSelector('#outreach[data-ready]', { timeout: 60000 });
    assert.equal(await page.textContent('#outreach-h'), str(L.code, 'outreach.title'));
    assert.equal(await page.locator('table').count(), 0);
    assert.deepEqual(await leakedKeys(page), []);
    await page.screenshot({ path: join(out, `outreach-${L.code}.png`), animations: 'disabled' });
    if (await page.getAttribute('#outreach', 'data-ready') === '1') assert.ok(await page.isVisible('#simulated-banner'), 'the demo is labelled simulated in the public view');

    assert.deepEqual(errors, []);
    assertSameOrigin(requests, base, 'no request leaves the origin');
    await ctx.close();
  });
}

test('the language can be switched at any time: everything is re-rendered, and the choice is remembered', async () => {
  const { ctx, page, errors } = await openPage('en-US');
  await waitDemo(page, 'en');
  // Closed models shown, then a switch to Russian: the estimate table is re-rendered, not lost.
  await showView(page, 'estimates');
  await page.click('#fit-closed');
  await page.waitForFunction(() => document.getElementById('status').textContent === 'closed-population models: done', null, { timeout: 60000 });
  const mapBefore = await page.innerHTML('#map');
  await page.selectOption('#lang-select', 'ru');
  await page.waitForFunction(() => document.documentElement.lang === 'ru');
  await page.waitForFunction((t) => document.getElementById('status').textContent === t,
    str('ru', 'core.status.done', { label: str('ru', 'core.label.closed') }));
  assert.equal(await page.textContent('#summary-h [data-i18n]'), 'Сводка');
  assert.equal(await page.textContent('#summary .card[data-key="overcount"] .value'), '42,2\u00a0%');
  assert.match(await page.textContent('#closed-results p'), /^Объединённых особей: 45; учётных периодов: 13 по 15 дн\./);
  assert.equal(await page.locator('#closed-table tr[data-model]').count(), 13);
  // The Rust-drawn map is drawn again in Russian (Cyrillic text in the SVG).
  await page.waitForFunction((before) => document.getElementById('map').innerHTML !== before, mapBefore, { timeout: 30000 });
  assert.match(await page.textContent('#map svg'), /[\u0400-\u04ff]/);
  assert.deepEqual(await leakedKeys(page), []);
  // Remembered: a reload (and a new tab) opens in Russian although the browser prefers English.
  await page.reload();
  await page.waitForSelector('body[data-ready="1"]');
  await waitDemo(page, 'ru');
  assert.equal(await page.getAttribute('html', 'lang'), 'ru');
  // The address can choose too (?lang=ko), and that is remembered.
  await page.goto(`${base}?lang=ko`);
  await waitDemo(page, 'ko');
  assert.equal(await page.getAttribute('html', 'lang'), 'ko');
  assert.equal(await page.evaluate(() => localStorage.getItem('borderless.lang')), 'ko');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('keyboard: a skip link comes first, the controls are reachable in order with a visible focus, no trap', async () => {
  const { ctx, page, errors } = await openPage('en-US');
  await waitDemo(page, 'en');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'skip-link');
  assert.ok(await page.isVisible('.skip-link'));
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'main');
  // From the top: skip link, language switcher, Public view, the views' nav, then the load controls
  // (Cancel is disabled: not in the order).
  await page.evaluate(() => document.activeElement.blur());
  await page.focus('.skip-link');
  const order = [];
  const navLinks = await page.$$eval('#views-nav li:not([hidden]) a', (l) => l.map((a) => a.getAttribute('href')));
  assert.deepEqual(navLinks.slice(0, 6), ['#/data', '#/individuals', '#/map', '#/estimates', '#/review', '#/charts']);
  for (let i = 0; i < navLinks.length + 4; i++) {
    await page.keyboard.press('Tab');
    order.push(await page.evaluate(() => document.activeElement.id || document.activeElement.getAttribute('href') || document.activeElement.className));
  }
  assert.deepEqual(order.slice(0, navLinks.length + 3), ['lang-select', 'outreach-open', ...navLinks, 'drop']);
  // A visible focus ring on the focused control.
  await page.focus('#demo');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, 'none');
  // No trap: in each view of the workspace, Tab goes from its nav link through the whole view and
  // comes back to the document.
  const all = new Set();
  for (const view of ['data', 'individuals', 'map', 'estimates', 'review', 'charts']) {
    await showView(page, view);
    await page.focus(`#views-nav a[href="#/${view}"]`);
    let end = 'none';
    const seen = new Set();
    for (let i = 0; i < 400; i++) {
      await page.keyboard.press('Tab');
      // The element itself (its place in the document), not its markup: the candidates' buttons
      // begin alike, and the walk must not stop at the second one.
      const id = await page.evaluate(() => (document.activeElement === document.body ? 'BODY'
        : `${[...document.querySelectorAll('*')].indexOf(document.activeElement)} ${document.activeElement.outerHTML.slice(0, 80)}`));
      if (id === 'BODY' || seen.has(id)) { end = id; break; }
      seen.add(id);
      all.add(id);
    }
    assert.equal(end, 'BODY', `${view}: Tab reaches the end of the page`);
  }
  assert.ok(all.size > 30, `${all.size} focusable controls`);
  // The status line is a polite live region.
  assert.equal(await page.getAttribute('#status', 'aria-live'), 'polite');
  assert.deepEqual(errors, []);
  await ctx.close();
});
