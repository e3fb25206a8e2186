// Browser end-to-end tests of the worker bridge (www/bridge.js): the WebAssembly module and the
// basemap are downloaded exactly once per page load, however many workers the page starts;
// requests are numbered, progress is relayed, Cancel terminates and a new worker takes the next
// request; a pool spreads requests; and no other file of the page starts a worker.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { paths, startServer, launch, watchPage, showView } from './harness.mjs';

const { www } = paths;
let server, base, browser;

before(async () => {
  ({ server, base } = await startServer());
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.close();
});

const WASM = 'pkg/borderless_bg.wasm';
const BASEMAP = 'basemap/ne-asia-countries-10m.topo.json';

test('the WASM module and the basemap are downloaded once per page load, for every worker', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  // Downloads over the network, by the page, its workers or the service worker; a request the
  // service worker answers is not a download (the service worker's own fetch is counted).
  const requests = [];
  ctx.on('requestfinished', async (r) => {
    const res = await r.response();
    if (!res || !res.fromServiceWorker()) requests.push(r.url());
  });
  const page = await ctx.newPage();
  const errors = watchPage(page);
  const count = (path) => requests.filter((u) => u === base + path).length;
  await page.goto(base);
  await page.waitForFunction(() => document.getElementById('status').textContent === 'demo survey (simulated): done', null, { timeout: 60000 });
  // Every worker of the page at work: main (analysis), identity (review session), charts (survey
  // charts, drawn after the analysis), then an estimate and a redraw in another language.
  await page.waitForSelector('body[data-identity="ready"]', { timeout: 60000 });
  await page.waitForSelector('#map-section[data-interactive="1"]', { state: 'attached' });
  await page.waitForSelector('#survey-charts-section[data-state="done"]', { state: 'attached', timeout: 120000 });
  await showView(page, 'estimates');
  await page.click('#fit-closed');
  await page.waitForFunction(() => document.getElementById('status').textContent === 'closed-population models: done', null, { timeout: 60000 });
  await page.selectOption('#lang-select', 'ru');
  await page.waitForFunction(() => /[\u0400-\u04ff]/.test(document.querySelector('#map svg')?.textContent || ''), null, { timeout: 60000 });
  const started = await page.evaluate(async () => (await import('./bridge.js')).stats());
  assert.deepEqual(Object.keys(started).sort(), ['charts', 'identity', 'main'], JSON.stringify(started));
  assert.equal(count(WASM), 1, `${WASM} requested ${count(WASM)} times:\n${requests.join('\n')}`);
  assert.equal(count(BASEMAP), 1, `${BASEMAP} requested ${count(BASEMAP)} times`);
  for (const f of ['cn.zip', 'ru.zip', 'links.csv', 'border.geojson']) assert.equal(count(`demo/${f}`), 1, `demo/${f}`);
  // A second page load downloads each once more (once per page load, not once per worker).
  await page.reload();
  await page.waitForSelector('body[data-identity="ready"]', { timeout: 60000 });
  assert.equal(count(WASM), 2);
  assert.equal(count(BASEMAP), 2);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('bridge API: numbered requests, progress relayed, cancel terminates and restarts, a pool', async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const errors = watchPage(page);
  await page.goto(base);
  await page.waitForSelector('body[data-ready="1"]');
  const r = await page.evaluate(async () => {
    const b = await import('./bridge.js');
    const out = {};
    // Progress of an analysis of the demo, relayed as stage codes with growing fractions.
    const files = await Promise.all(['cn.zip', 'ru.zip', 'links.csv', 'border.geojson']
      .map(async (f) => ({ name: f, bytes: await b.asset(`demo/${f}`) })));
    const w = b.worker('test');
    const stages = [];
    const res = await w.call('analyze', { files, options: {} }, { onProgress: (p) => stages.push([p.stage.code, p.fraction]) });
    out.unique = res.analysis.crossborder.summary.unique_individuals;
    out.stages = stages;
    // Two requests at once get their own answers.
    const [a, c] = await Promise.all([w.call('ping', { ms: 50 }), w.call('ping')]);
    out.both = a.pong && c.pong;
    // Cancel: the running request (and the one queued behind it) fail with CancelledError; the next
    // request runs in a new worker.
    const long = w.call('ping', { ms: 20000 });
    const queued = w.call('ping');
    await new Promise((ok) => setTimeout(ok, 200));
    const t0 = performance.now();
    w.cancel('stopped by the test');
    out.cancelled = await Promise.allSettled([long, queued]).then((s) => s.map((x) => [x.status, x.reason?.name, x.reason?.message]));
    out.cancelMs = performance.now() - t0;
    out.after = (await w.call('ping')).pong;
    out.started = b.stats().test.started;
    // An unknown operation is an error, and the worker goes on.
    out.unknown = await w.call('no-such-op').then(() => 'resolved', (e) => e.message);
    out.still = (await w.call('ping')).pong;
    // A pool of two spreads four requests over both workers.
    const pool = b.pool('pool', 2);
    out.pool = (await pool.map('ping', [{ ms: 100 }, { ms: 100 }, { ms: 100 }, { ms: 100 }])).map((x) => x.pong);
    const s = b.stats();
    out.poolStarted = [s['pool#0'].started, s['pool#1'].started];
    return out;
  });
  assert.equal(r.unique, 45);
  const codes = r.stages.map(([c]) => c);
  for (const c of ['pipeline.stage.unpacking', 'pipeline.stage.package', 'pipeline.stage.joining', 'pipeline.stage.done']) {
    assert.ok(codes.includes(c), `${c} in ${codes.join(', ')}`);
  }
  const fractions = r.stages.map(([, f]) => f);
  assert.deepEqual(fractions, [...fractions].sort((x, y) => x - y), 'fractions only grow');
  assert.ok(fractions.every((f) => f >= 0 && f <= 1));
  assert.ok(r.both);
  assert.deepEqual(r.cancelled, [['rejected', 'CancelledError', 'stopped by the test'], ['rejected', 'CancelledError', 'stopped by the test']]);
  assert.ok(r.cancelMs < 1000, `cancel took ${r.cancelMs} ms`);
  assert.equal(r.after, true);
  assert.equal(r.started, 2, 'a new worker after the cancel');
  assert.equal(r.unknown, 'unknown operation no-such-op');
  assert.equal(r.still, true);
  assert.deepEqual(r.pool, [true, true, true, true]);
  assert.deepEqual(r.poolStarted, [1, 1]);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('the WASM module imports only its own JS glue (a bare import such as "env" stops the page)', () => {
  const module = new WebAssembly.Module(readFileSync(join(www, 'pkg', 'borderless_bg.wasm')));
  const foreign = WebAssembly.Module.imports(module).filter((i) => i.module !== './borderless_bg.js');
  assert.deepEqual(foreign, [], 'imports from modules other than the wasm-bindgen glue');
});

test('no file of the page but bridge.js starts a worker or loads the WASM module', () => {
  const js = readdirSync(www).filter((f) => f.endsWith('.js'));
  for (const f of js) {
    if (f === 'bridge.js') continue;
    const src = readFileSync(join(www, f), 'utf8');
    assert.doesNotMatch(src, /new\s+(Shared)?Worker\s*\(/, `${f} starts a worker`);
    if (f !== 'worker.js' && f !== 'sw.js') assert.doesNotMatch(src, /pkg\/borderless(_bg\.wasm|\.js)/, `${f} loads the WASM package itself`);
  }
});
