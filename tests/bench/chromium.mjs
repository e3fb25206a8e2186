// Shared by the WASM benchmarks: serve www/ on loopback, open headless Debian Chromium on a
// same-origin page, run `fn(page, base)`, and close everything.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '../e2e/node_modules/playwright-core/index.mjs';
import { serve } from '../e2e/server.mjs';

const here = dirname(fileURLToPath(import.meta.url));

export async function withPage(fn) {
  // BENCH_WWW serves another copy of the site (e.g. another build's pkg, for a side-by-side run).
  const server = await serve(process.env.BENCH_WWW || join(here, '..', '..', 'www'), 0);
  const base = `http://127.0.0.1:${server.address().port}/`;
  const ctx = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'borderless-bench-')), {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await ctx.newPage();
    await page.goto(base + 'demo/README.md');
    return await fn(page, base);
  } finally {
    await ctx.close();
    server.close();
  }
}
