// The self-contained bundle (scripts/bundle.sh → tools/bundle.mjs): one HTML file opened from
// file:// with no server loads the demo survey and shows the summary, the map and the charts,
// with no error, and no request leaves the page — every request of the page and its workers is
// the file itself or a data:/blob: URL — and its Content-Security-Policy refuses a request to the
// network. Prints the bundle's size (raw, gzip, brotli).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';
import { paths, launch, watchPage } from './harness.mjs';

const file = join(paths.out, 'borderless.html');
let browser;

before(async () => {
  execFileSync(process.execPath, [join(paths.here, '..', '..', 'tools', 'bundle.mjs'), paths.www, file], { stdio: 'inherit' });
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

test('the bundle opens from file:// with the demo, and no request leaves the page', async () => {
  const raw = readFileSync(file);
  const gz = gzipSync(raw, { level: 9 }).length;
  const br = brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } }).length;
  console.log(`measure: bundle ${(raw.length / 1e6).toFixed(2)} MB raw, ${(gz / 1e6).toFixed(2)} MB gzip -9, ${(br / 1e6).toFixed(2)} MB brotli 11`);

  const url = pathToFileURL(file).href;
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const requests = [];
  ctx.on('request', (r) => requests.push(r.url()));
  await ctx.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const page = await ctx.newPage();
  const errors = watchPage(page, [], requests);
  page.on('worker', (w) => requests.push(`worker:${w.url()}`));
  await page.goto(url);
  await page.waitForFunction(() => document.getElementById('status').textContent === 'demo survey (simulated): done', null, { timeout: 60000 });
  const cards = await page.$$eval('#summary .card', (c) => Object.fromEntries(c.map((x) => [x.dataset.key, x.querySelector('.value').textContent])));
  assert.equal(cards.unique, '45');
  assert.equal(cards.transboundary, '19');
  assert.equal(cards.overcount, '42.2%');
  assert.ok(await page.isVisible('#summary .card'), 'summary visible');
  assert.ok(await page.isVisible('#simulated-banner'), 'simulated banner visible');
  await page.waitForSelector('#map-section[data-interactive="1"]', { state: 'attached', timeout: 30000 });
  await page.waitForSelector('#survey-chart-detections_individual svg', { state: 'attached', timeout: 60000 }); // charts drawn
  await page.waitForSelector('body[data-identity="ready"]', { timeout: 60000 });
  // The page's style sheet applies (inline, allowed by its hash).
  assert.notEqual(await page.$eval('header', (h) => getComputedStyle(h).fontFamily), '', 'styled');
  assert.equal(await page.evaluate(() => typeof globalThis.BORDERLESS_BUNDLE), 'object');
  await page.screenshot({ path: join(paths.out, 'bundle.png') });
  // SECR runs in the estimation module, which the worker instantiates from the bundle's bytes on
  // the first fit (no file next to the bundle is read).
  await page.evaluate(() => { location.hash = '#/estimates/secr'; });
  await page.click('#fit-secr');
  await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('SECR:'), null, { timeout: 180000 });
  assert.equal(await page.textContent('#status'), 'SECR: done');
  assert.match(await page.textContent('#secr-summary'), /Optimiser: converged/);

  // Every request is the file itself, a data: or blob: URL (modules, workers), nothing else.
  console.log(`measure: bundle requests: ${requests.length} (${[...new Set(requests.map((u) => u.replace(/^(worker:)?(blob|data|file):.*/, '$1$2')))].join(', ')})`);
  const foreign = requests.map((u) => u.replace(/^worker:/, '')).filter((u) => u !== url && !u.startsWith('data:') && !u.startsWith('blob:'));
  assert.deepEqual(foreign, [], 'requests that left the page');
  assert.ok(requests.some((u) => u.startsWith('worker:blob:')), 'workers started from Blob URLs');
  assert.deepEqual(await page.evaluate(() => window.__cspViolations), [], 'CSP violations during the demo');
  // The policy refuses the network (and a file next to the bundle).
  const outcome = await page.evaluate(async () => {
    const tryFetch = async (u) => { try { await fetch(u); return 'fetched'; } catch { return 'blocked'; } };
    return { net: await tryFetch('http://192.0.2.1/tile.png'), file: await tryFetch('style.css') };
  });
  assert.deepEqual(outcome, { net: 'blocked', file: 'blocked' });
  const blocked = await page.evaluate(() => window.__cspViolations);
  assert.ok(blocked.some((v) => v.startsWith('connect-src') && v.includes('192.0.2.1')), blocked.join('\n'));
  // (The two refused fetches are logged as console errors by the browser; nothing else is.)
  assert.deepEqual(errors.filter((e) => !/Content Security Policy|Failed to fetch/.test(e)), []);
  await ctx.close();
});
