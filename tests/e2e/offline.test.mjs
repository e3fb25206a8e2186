// Offline after the first visit (www/sw.js). First, without a browser: the service worker's lists
// (SHELL, fetched at install; FETCHED_BY_THE_PAGE, kept by bridge.js when the page downloads them)
// cover every file the page can ask for — each JS module reachable from main.js and worker.js
// (including www/i18n/*), every local href/src of index.html, every shipped path named in the JS,
// the WASM and its glue — and sw.js and bridge.js name the same versioned cache. So a new asset
// cannot be forgotten. Then in Chromium: a first visit, the service worker controls the page and
// its cache holds every listed file; with the context offline and the server stopped, a reload
// loads the demo and shows the summary, with no failed request and no error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join, dirname, normalize } from 'node:path';
import { paths, startServer, launch, watchPage } from './harness.mjs';

const { www } = paths;
const read = (p) => readFileSync(join(www, p), 'utf8');

// The quoted strings of `const NAME = [ ... ];` in sw.js.
function swList(name) {
  const m = read('sw.js').match(new RegExp(`const ${name} = \\[([\\s\\S]*?)\\];`));
  assert.ok(m, `sw.js has no ${name} list`);
  return [...m[1].matchAll(/'([^']*)'/g)].map((x) => x[1]);
}

// Every JS module reachable from `entry` by static `import … from './x.js'` (paths relative to www).
function moduleGraph(entries) {
  const seen = new Set();
  const visit = (p) => {
    if (seen.has(p)) return;
    seen.add(p);
    for (const m of read(p).matchAll(/^\s*import\s+(?:[^'"]*?\s+from\s+)?['"](\.{1,2}\/[^'"]+)['"]/gm)) {
      visit(normalize(join(dirname(p), m[1])).replaceAll('\\', '/'));
    }
  };
  entries.forEach(visit);
  return seen;
}

// Every file the page needs, found from the sources themselves.
function neededFiles() {
  const needed = new Set(['index.html', 'pkg/borderless_bg.wasm']);
  for (const m of moduleGraph(['main.js', 'worker.js'])) needed.add(m);
  const html = read('index.html');
  for (const m of html.matchAll(/\b(?:href|src)="([^"#:]+)"/g)) needed.add(m[1]);
  for (const js of [...needed].filter((p) => p.endsWith('.js') && !p.startsWith('pkg/'))) {
    for (const m of read(js).matchAll(/['"`]((?:pkg|basemap|demo)\/[^'"`$]+)['"`]/g)) needed.add(m[1]);
  }
  return needed;
}

test('sw.js lists every asset the page needs, under the cache name bridge.js uses', () => {
  const listed = new Set([...swList('SHELL'), ...swList('FETCHED_BY_THE_PAGE')]);
  const needed = neededFiles();
  for (const p of ['main.js', 'worker.js', 'i18n/core.js', 'pkg/borderless.js', 'style.css', 'demo/cn.zip', 'basemap/ne-asia-countries-10m.topo.json']) {
    assert.ok(needed.has(p), `the completeness check itself misses ${p}`);
  }
  const missing = [...needed].filter((p) => !listed.has(p)).sort();
  assert.deepEqual(missing, [], 'files the page needs that sw.js does not keep');
  for (const p of listed) if (p !== './') assert.ok(existsSync(join(www, p)), `sw.js lists ${p}, which does not exist`);
  const swCache = read('sw.js').match(/const CACHE = '([^']+)'/)?.[1];
  const pageCache = read('bridge.js').match(/OFFLINE_CACHE = '([^']+)'/)?.[1];
  assert.match(swCache || '', /^borderless-offline-v\d+$/, 'a versioned cache name');
  assert.equal(pageCache, swCache, 'bridge.js keeps downloads in the service worker\'s cache');
});

let server, base, browser;

before(async () => {
  ({ server, base } = await startServer());
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.close();
});

const demoDone = (page) => page.waitForFunction(() => document.getElementById('status').textContent === 'demo survey (simulated): done', null, { timeout: 60000 });

test('after one visit the site works with no network: demo and summary, no failed request', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await ctx.newPage();
  const errors = watchPage(page);
  await page.goto(base);
  await demoDone(page);
  // The service worker controls the page (it claims it on activation) and has kept every file.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30000 });
  const listed = [...swList('SHELL'), ...swList('FETCHED_BY_THE_PAGE')].map((p) => new URL(p, base).href);
  const cacheName = read('sw.js').match(/const CACHE = '([^']+)'/)[1];
  await page.waitForFunction(async ({ name, urls }) => {
    const kept = new Set((await (await caches.open(name)).keys()).map((r) => r.url));
    return urls.every((u) => kept.has(u));
  }, { name: cacheName, urls: listed }, { timeout: 30000, polling: 250 });

  // No network: the browser is offline and the server is gone.
  await ctx.setOffline(true);
  await new Promise((r) => { server.close(r); server.closeAllConnections(); });
  server = null;
  // A new visit in a new tab: the first tab is closed first, so that its own in-flight requests
  // (aborted by the close, not by the network) are not taken for failures of the offline visit.
  await page.close();
  const again = await ctx.newPage();
  const errorsAgain = watchPage(again);
  const failed = [];
  again.on('requestfailed', (r) => failed.push(`${r.url()} ${r.failure()?.errorText}`));
  again.on('response', (r) => { if (r.status() >= 400) failed.push(`${r.url()} HTTP ${r.status()}`); });
  await again.goto(base);
  await demoDone(again);
  const cards = await again.$$eval('#summary .card', (c) => Object.fromEntries(c.map((x) => [x.dataset.key, x.querySelector('.value').textContent])));
  assert.equal(cards.unique, '45');
  assert.equal(cards.transboundary, '19');
  assert.ok(await again.isVisible('#summary .card'), 'summary visible');
  await again.waitForSelector('#map-section[data-interactive="1"]', { state: 'attached', timeout: 30000 });
  await again.waitForSelector('#survey-chart-detections_individual svg', { state: 'attached', timeout: 60000 }); // charts drawn
  assert.equal(await again.evaluate(() => navigator.onLine), false, 'the page was offline');
  assert.deepEqual(failed, [], 'failed requests offline');
  assert.deepEqual(errors, []);
  assert.deepEqual(errorsAgain, []);
  await ctx.close();
});
