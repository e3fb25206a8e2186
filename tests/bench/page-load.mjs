// Benchmark: how soon the demo's summary is painted after navigation (target ≤ 1 s), and the
// longest main-thread task while the demo loads (Long Tasks API), in headless Chromium on a cold
// context (no cache, no service worker) — median of BENCH_RUNS loads (default 9).
// BENCH_WWW_BEFORE: another copy of the site (e.g. a build from before a change); the two are then
// loaded alternately, side by side, so that both see the same machine load.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '../e2e/node_modules/playwright-core/index.mjs';
import { serve } from '../e2e/server.mjs';
import { recordLongTasks } from '../e2e/harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const runs = Number(process.env.BENCH_RUNS || 9);
const sites = [['this build', join(here, '..', '..', 'www')]];
if (process.env.BENCH_WWW_BEFORE) sites.unshift(['before', process.env.BENCH_WWW_BEFORE]);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
});
const servers = await Promise.all(sites.map(([, root]) => serve(root, 0)));
const results = sites.map(() => ({ painted: [], longest: [] }));
try {
  for (let i = 0; i < runs; i++) {
    for (const [k, server] of servers.entries()) {
      const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      await recordLongTasks(ctx);
      const page = await ctx.newPage();
      await page.goto(`http://127.0.0.1:${server.address().port}/`);
      await page.waitForFunction(() => window.__summaryPainted, null, { timeout: 60000 });
      await page.waitForSelector('body[data-identity="ready"]', { timeout: 60000 });
      const r = await page.evaluate(() => ({
        painted: window.__summaryPainted, longest: Math.max(0, ...(window.__longTasks || []).map((t) => t.duration)),
      }));
      results[k].painted.push(r.painted);
      results[k].longest.push(r.longest);
      await ctx.close();
    }
  }
} finally {
  await browser.close();
  servers.forEach((s) => s.close());
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
for (const [k, [label]] of sites.entries()) {
  const r = results[k];
  console.log(`page load (${label}): demo summary painted ${median(r.painted).toFixed(0)} ms after navigation (median of ${runs}; `
    + `range ${Math.min(...r.painted).toFixed(0)}–${Math.max(...r.painted).toFixed(0)}; target ≤ 1000 ms); `
    + `longest main-thread task ${median(r.longest).toFixed(0)} ms (median; worst ${Math.max(...r.longest).toFixed(0)})`);
}
