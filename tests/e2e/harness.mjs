// Shared set-up of the browser end-to-end tests: paths, the static server on a free port,
// headless Debian Chromium, page watching (page errors, console errors, worker console errors,
// request URLs), opening the page until it is ready, and the same-origin check on requests.
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from './server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
// E2E_WWW serves another copy of the site (e.g. an earlier build, for a before/after measurement).
const www = process.env.E2E_WWW || join(here, '..', '..', 'www');
export const paths = { here, www, demo: join(www, 'demo'), out: join(here, 'out') };
mkdirSync(paths.out, { recursive: true });

// The site served on a free port of 127.0.0.1; `base` ends with '/'.
export async function startServer() {
  const server = await serve(www, 0);
  return { server, base: `http://127.0.0.1:${server.address().port}/` };
}

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'];

// Headless Chromium. `persistent`: a persistent context on a fresh profile directory (prefix
// `profile`), otherwise a browser whose contexts the caller makes. `requests`: the context records
// every request URL there (persistent only). Other options go to playwright (viewport, acceptDownloads).
export async function launch({ persistent = false, profile = 'borderless-chromium-', requests, ...options } = {}) {
  const common = { executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true };
  if (!persistent) return chromium.launch({ ...common, ...options, args: ARGS });
  const ctx = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), profile)), { ...common, ...options, args: ARGS });
  if (requests) ctx.on('request', (r) => requests.push(r.url()));
  return ctx;
}

// Collects the page's errors and console errors (and, with `workers`, its workers' console errors) in
// `errors`, and its request URLs in `requests` when given. Returns `errors`.
export function watchPage(page, errors = [], requests = null, { workers = true } = {}) {
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  if (requests) page.on('request', (r) => requests.push(r.url()));
  if (workers) page.on('worker', (w) => w.on('console', (m) => { if (m.type() === 'error') errors.push(`worker: ${m.text()}`); }));
  return errors;
}

// A watched page at `url`, by default once `body[data-ready="1"]`. `from` is a context; with
// `context` (options) it is a browser and a fresh context is made for the page.
export async function openPage(from, url, { context, requests, ready = true } = {}) {
  const ctx = context ? await from.newContext(context) : from;
  const page = await ctx.newPage();
  const errors = watchPage(page, [], requests);
  await page.goto(url);
  if (ready) await page.waitForSelector('body[data-ready="1"]');
  return { ctx, page, errors };
}

// Goes to the workspace view `name` by its nav link (www/nav.js) and waits until it is shown;
// with `tab`, then to that tab of the view (e.g. 'estimates', 'secr').
export async function showView(page, name, tab) {
  await page.click(`#views-nav a[href="#/${name}"]`);
  await page.waitForSelector(`main section[data-view="${name}"].view-current`, { state: 'attached' });
  if (tab) {
    await page.click(`section[data-view="${name}"] [data-tabs] a[data-tab="${tab}"]`);
    await page.waitForSelector(`section[data-view="${name}"] [data-tab-panel="${tab}"]:not([hidden])`, { state: 'attached' });
  }
}

// No recorded request left the origin `base` (data: and blob: URLs stay in the page).
export function assertSameOrigin(requests, base, message = `requests outside ${base}`) {
  const foreign = requests.filter((u) => !u.startsWith(base) && !u.startsWith('data:') && !u.startsWith('blob:'));
  assert.deepEqual(foreign, [], message);
}

// Long tasks (the Long Tasks API: main-thread tasks over 50 ms) of every document the context
// opens, recorded from the document's start: `window.__longTasks` [{start, duration}]. Also when
// the summary cards first appear and when the frame after that has been painted
// (`window.__summaryShown`, `window.__summaryPainted`, ms since navigation start).
export async function recordLongTasks(ctx) {
  await ctx.addInitScript(() => {
    window.__longTasks = [];
    try {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: 'longtask', buffered: true });
    } catch { window.__longTasks = null; } // no Long Tasks API: tests say so
    new MutationObserver((_, obs) => {
      if (window.__summaryShown || !document.querySelector('#summary .card')) return;
      window.__summaryShown = performance.now();
      obs.disconnect();
      requestAnimationFrame(() => requestAnimationFrame(() => { window.__summaryPainted = performance.now(); }));
    }).observe(document, { childList: true, subtree: true });
  });
}

// The long tasks recorded on `page` that ended after `since` (ms, the page's performance.now()).
export async function longTasksSince(page, since = 0) {
  const tasks = await page.evaluate((s) => (window.__longTasks === null ? null
    : window.__longTasks.filter((t) => t.start + t.duration > s)), since);
  assert.ok(tasks !== null, 'this browser has no Long Tasks API');
  return tasks;
}

export const pageNow = (page) => page.evaluate(() => performance.now());

// Long tasks that ended after `since`, once two more frames have been painted (a task that has
// not finished yet is not reported).
export async function settledLongTasks(page, since) {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 60)))));
  return longTasksSince(page, since);
}

// "N long tasks, longest X ms" for messages and the measurement log.
export function describeTasks(tasks) {
  const longest = tasks.reduce((m, t) => Math.max(m, t.duration), 0);
  return `${tasks.length} long task(s), longest ${longest.toFixed(0)} ms`;
}
