// The service worker: keeps every asset of the site so that, after one visit, it works with no
// network at all (a workshop without internet, a laptop on a plane). Registered by bridge.js
// (registerOffline). Nothing is ever sent anywhere: it only answers the page's own requests.
//
// Strategy: network first (an online visit always gets the current site and refreshes the copy),
// the kept copy when the network fails. The small files are fetched into the cache when this
// worker installs; the large ones (the WebAssembly module, the basemap, the demo survey) are
// stored by the page itself when it downloads them (bridge.js keepOffline), so they are never
// downloaded twice. tests/e2e/offline.test.mjs checks that the lists below cover the site (a new asset cannot be
// forgotten) and that the site works offline. Change CACHE's version when the lists change.
const CACHE = 'borderless-offline-v6'; // the same name as bridge.js OFFLINE_CACHE

const SHELL = [
  './',
  'index.html',
  'style.css',
  'main.js',
  'bridge.js',
  'worker.js',
  'i18n.js',
  'i18n/core.js',
  'i18n/identity.js',
  'i18n/maps.js',
  'i18n/charts.js',
  'i18n/outreach.js',
  'i18n/nav.js',
  'i18n/snowdemo.js',
  'i18n/waterbirds.js',
  'identity.js',
  'store.js',
  'chartsview.js',
  'mapview.js',
  'outreach.js',
  'waterbirds.js',
  'species.js',
  'nav.js',
  'table.js',
  'snowdemo.js',
  'pkg/borderless.js',
  // The estimation module: the worker imports its glue and fetches its WebAssembly on the first fit.
  'pkg/estimate/borderless.js',
  'pkg/estimate/borderless_bg.wasm',
  'demo/README.md', // linked from the page ("how it was made")
  // The SIMULATED snow-leopard demo (small; fetched at install so that it opens offline too).
  'demo/snowleopard/2023/mn.zip',
  'demo/snowleopard/2023/ru.zip',
  'demo/snowleopard/2023/links.csv',
  'demo/snowleopard/2024/mn.zip',
  'demo/snowleopard/2024/ru.zip',
  'demo/snowleopard/2024/links.csv',
  'demo/snowleopard/border.geojson',
  'demo/snowleopard/rugged.tif',
];

// Stored by the page when it fetches them (listed here for the completeness test).
// eslint-disable-next-line no-unused-vars
const FETCHED_BY_THE_PAGE = [
  'pkg/borderless_bg.wasm',
  'basemap/ne-asia-countries-10m.topo.json',
  'demo/cn.zip',
  'demo/ru.zip',
  'demo/links.csv',
  'demo/border.geojson',
  'demo/waterbirds/SIMULATED-tumen-sites.csv', // waterbird slides of the public view (outreach.js)
  'demo/waterbirds/SIMULATED-tumen-CN-counts.csv',
  'demo/waterbirds/SIMULATED-tumen-KP-counts.csv',
  'demo/waterbirds/SIMULATED-tumen-RU-counts.csv',
];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith('borderless-offline-') && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET' || new URL(req.url).origin !== self.location.origin) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    try {
      const res = await fetch(req);
      if (res.ok && res.type === 'basic') cache.put(req, res.clone()).catch(() => {});
      return res;
    } catch (offline) {
      const kept = (await cache.match(req, { ignoreSearch: true }))
        || (req.mode === 'navigate' ? await cache.match('index.html') : undefined);
      if (kept) return kept;
      throw offline;
    }
  })());
});
