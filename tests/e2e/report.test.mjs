// Browser end-to-end test of "Download report": the page's report (HTML, drawn by the core's
// outreach::report in the worker) of the demo holds each demo file's SHA-256 as sha256sum computes
// it (here with node:crypto on www/demo), the summary numbers, and opens in Chromium as a page
// with no request leaving it; the public edition holds no station coordinate; its estimates are
// the closed models of `borderless closed --json` on the same files. Screenshots:
// out/report-expert.png, out/report-public.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { paths, startServer, launch, openPage } from './harness.mjs';

const { demo, out } = paths;
const DEMO = ['cn.zip', 'ru.zip', 'links.csv', 'border.geojson'];
const sha = (f) => createHash('sha256').update(readFileSync(join(demo, f))).digest('hex');

const repo = join(paths.here, '..', '..');
let server, base, browser, closedCli;
before(async () => {
  ({ server, base } = await startServer());
  browser = await launch();
  // The CLI of the same sources (an up-to-date build is quick to check): the closed models on the
  // demo with the page's default occasion length (15 days).
  const b = spawnSync('cargo', ['build', '-q', '-p', 'borderless', '--bin', 'borderless'], { cwd: repo, stdio: 'inherit' });
  assert.equal(b.status, 0, 'cargo build of the CLI');
  const r = spawnSync(join(repo, 'target', 'debug', 'borderless'), ['closed', '--catalog', 'CN=cn.zip', '--catalog', 'RU=ru.zip',
    '--links', 'links.csv', '--occasion-days', '15', '--json'], { cwd: demo, encoding: 'utf8' });
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  closedCli = JSON.parse(r.stdout);
});
after(async () => { await browser?.close(); server?.close(); });

async function downloadReport(page, pub) {
  await page.waitForSelector('#dl-report:not([disabled])');
  await page.setChecked('#dl-public', pub);
  const [d] = await Promise.all([page.waitForEvent('download'), page.click('#dl-report')]);
  return { name: d.suggestedFilename(), html: readFileSync(await d.path(), 'utf8') };
}

async function show(html, shot) {
  const ctx = await browser.newContext({ viewport: { width: 1000, height: 1400 } });
  const page = await ctx.newPage();
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.setContent(html, { waitUntil: 'load' });
  await page.screenshot({ path: join(out, shot), fullPage: false });
  const text = await page.evaluate(() => document.body.innerText);
  await ctx.close();
  assert.deepEqual(requests.filter((u) => !u.startsWith('data:') && u !== 'about:blank'), [], 'no request from the report');
  return text;
}

test('Download report on the demo: hashes, numbers, version; public edition without station coordinates', async () => {
  const { ctx, page, errors } = await openPage(browser, `${base}?lang=en`, { context: { acceptDownloads: true, viewport: { width: 1440, height: 900 } } });
  await page.waitForSelector('#summary-section:not([hidden])');
  const version = (await page.textContent('#version')).replace(/^v/, '');
  const expert = await downloadReport(page, false);
  assert.equal(expert.name, 'borderless-report.html');
  for (const f of DEMO) assert.ok(expert.html.includes(sha(f)), `SHA-256 of ${f}`);
  assert.ok(expert.html.includes(`Borderless ${version}`), 'version');
  for (const n of ['<dd>45</dd>', '<dd>19</dd>', '<dd>42.2%</dd>']) assert.ok(expert.html.includes(n), n);
  const est = expert.html.slice(expert.html.indexOf('<section id="estimates">'));
  const fitted = closedCli.filter((m) => m.N != null);
  assert.ok(fitted.length >= 5, 'closed models fitted by the CLI');
  for (const m of fitted) {
    assert.ok(est.includes(`<td class="num">${m.N.toFixed(1)}</td><td class="num">${m.se.toFixed(1)}</td>`), `${m.model}: N and SE as the CLI`);
  }
  const text = await show(expert.html, 'report-expert.png');
  assert.match(text, /How to check/);
  assert.match(text, /borderless crossborder --catalog CN=cn\.zip --catalog RU=ru\.zip --links links\.csv --border border\.geojson --json/);
  // The JSON beside it (report (JSON)) holds the same hashes.
  const [j] = await Promise.all([page.waitForEvent('download'), page.click('#dl-json')]);
  const json = JSON.parse(readFileSync(await j.path(), 'utf8'));
  assert.deepEqual(json.inputs.map((i) => i.sha256), DEMO.map(sha));
  assert.equal(json.summary.unique_individuals, 45);

  const pub = await downloadReport(page, true);
  assert.equal(pub.name, 'borderless-report-public.html');
  for (const side of ['cn', 'ru']) {
    const [head, ...rows] = readFileSync(join(demo, side, 'deployments.csv'), 'utf8').trim().split('\n');
    const cols = head.split(',');
    for (const r of rows) {
      const f = r.split(',');
      const [lat, lon] = [Number(f[cols.indexOf('latitude')]), Number(f[cols.indexOf('longitude')])];
      assert.ok(!(pub.html.includes(lat.toFixed(4)) && pub.html.includes(lon.toFixed(4))), `station ${f[0]} in the public report`);
    }
  }
  assert.ok(pub.html.includes(sha('ru.zip')) && pub.html.includes('<dd>45</dd>'));
  await show(pub.html, 'report-public.png');
  assert.deepEqual(errors, []);
  await ctx.close();
});
