// Browser end-to-end test of the Waterbirds workspace (www/waterbirds.js): the SIMULATED Tumen
// demo loaded in the view shows the criteria matrix and the over-count percentages that
// `borderless waterbirds --json` computes on the same files (the CLI binary is run here, in the
// page's language), with no console error and no request leaving the origin; screenshots of the
// workspace in the five languages at 1440×900 go to tests/e2e/out/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { paths, startServer, launch, openPage, assertSameOrigin, showView } from './harness.mjs';
import strings from '../../www/i18n/waterbirds.js';

const { demo, out, here } = paths;
const BIN = join(here, '..', '..', 'target', 'debug', 'borderless');
const COUNTS = ['SIMULATED-tumen-CN-counts.csv', 'SIMULATED-tumen-KP-counts.csv', 'SIMULATED-tumen-RU-counts.csv'];
const COMPLEX = 'Tumen estuary';

function cli(lang) {
  assert.ok(existsSync(BIN), `${BIN}: build it with cargo build --bin borderless`);
  const args = ['waterbirds', ...COUNTS.flatMap((c) => ['--counts', c]), '--sites', 'SIMULATED-tumen-sites.csv',
    '--season', 'spring=03-05', '--season', 'autumn=09-11', '--lang', lang, '--json'];
  return JSON.parse(execFileSync(BIN, args, { cwd: join(demo, 'waterbirds'), maxBuffer: 64 << 20 }).toString());
}

let server, base, browser;
before(async () => {
  ({ server, base } = await startServer());
  browser = await launch();
});
after(async () => {
  await browser?.close();
  server?.close();
});

async function loadDemo(page) {
  await showView(page, 'waterbirds'); // the Waterbirds view of the workspace (#/waterbirds)
  await page.click('#wb-demo');
  await page.waitForSelector('#wb-results:not([hidden]) .wb-matrix', { timeout: 120000 });
}

test('the demo in the workspace shows the CLI numbers: criteria of the Tumen complex, over-count %', async () => {
  const requests = [];
  const { ctx, page, errors } = await openPage(browser, `${base}?lang=en`, { context: { viewport: { width: 1440, height: 900 } }, requests });
  await loadDemo(page);
  const want = cli('en');

  // Criteria matrix: every cell of the complex (Criterion 6 per species, Criterion 5) as the CLI decides.
  const cells = await page.$$eval('#wb-matrix .wb-cell', (bs) => bs.map((b) => ({ ...b.dataset })));
  const mine = cells.filter((c) => c.unit === COMPLEX);
  const c6 = want.criterion6.filter((r) => r.unit === COMPLEX);
  const c5 = want.criterion5.filter((r) => r.unit === COMPLEX);
  assert.equal(mine.length, c6.length + c5.length);
  for (const r of [...c6, ...c5]) {
    const cell = mine.find((c) => c.season === r.season && c.species === (r.species || ''));
    assert.ok(cell, `${r.species || 'C5'} ${r.season}`);
    assert.equal(cell.qualifies, String(r.qualifies), `${r.species || 'C5'} ${r.season}`);
    assert.equal(cell.test, r.test || '', `${r.species || 'C5'} ${r.season}`);
  }
  // The species that qualify at the complex, and the README's headline among them.
  const qualifying = (list) => [...new Set(list.filter((c) => c.qualifies === 'true' || c.qualifies === true).map((c) => `${c.species}/${c.season}`))].sort();
  assert.deepEqual(qualifying(mine.filter((c) => c.species)), qualifying(c6));
  assert.ok(qualifying(c6).includes('Platalea minor/spring'));
  // No single wetland qualifies for the spoonbill in spring.
  for (const c of cells.filter((x) => x.unit !== COMPLEX && x.species === 'Platalea minor' && x.season === 'spring')) assert.equal(c.qualifies, 'false', c.unit);

  // The explanation of a cell names the threshold and the seasons reached.
  const spoon = c6.find((r) => r.species === 'Platalea minor' && r.season === 'spring');
  await page.click(`#wb-matrix .wb-cell[data-unit="${COMPLEX}"][data-species="Platalea minor"][data-season="spring"]`);
  const detail = await page.textContent('#wb-cell-detail');
  assert.ok(detail.includes(new Intl.NumberFormat('en').format(spoon.threshold)), detail);
  assert.ok(detail.includes(spoon.explanation[0].text), detail);

  // Over-count % of the spoonbill in spring, per season occurrence, as the CLI computes it.
  await page.selectOption('#wb-chart-species', 'Platalea minor');
  await page.selectOption('#wb-chart-season', 'spring');
  const shown = await page.$$eval('#wb-chart-joint [data-overcount]', (ts) => ts.map((t) => [t.dataset.label, Number(t.dataset.overcount), t.textContent]));
  const joint = want.joint.filter((j) => j.unit === COMPLEX && j.species === 'Platalea minor' && j.season === 'spring' && j.overcount_percent !== null);
  assert.equal(shown.length, joint.length);
  assert.ok(joint.length >= 1);
  for (const j of joint) {
    const s = shown.find((x) => x[0] === j.label);
    assert.ok(s, j.label);
    assert.equal(s[1], j.overcount_percent, j.label);
    assert.equal(s[2], `+${Math.round(j.overcount_percent)}%`, j.label);
  }
  // The annual-peaks chart gives the complex's log-linear trend with its 95% interval, as the CLI's `trends`.
  const trend = want.trends.find((x) => x.unit === COMPLEX && x.species === 'Platalea minor' && x.season === 'spring').trend;
  const pct = (v) => `${v > 0 ? '+' : ''}${new Intl.NumberFormat('en', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(v / 100)}`;
  const legendText = (await page.$$eval('#wb-chart-peaks svg text', (ts) => ts.map((x) => x.textContent))).join(' | ');
  assert.ok(legendText.includes(`trend ${pct(trend.annual_change_percent)} per season (95% CI ${pct(trend.ci_low_percent)} to ${pct(trend.ci_high_percent)})`), legendText);

  // The map has the four sites; the species list has the CLI's rows.
  assert.equal(await page.$$eval('#wb-map [data-site]', (e) => e.length), want.sites.sites.length);
  assert.equal(await page.$$eval('#wb-species tbody tr', (e) => e.length), want.species_list.length);

  // The species list downloads as the workbook the CLI writes (--species-list FILE.xlsx).
  const xlsx = join(mkdtempSync(join(tmpdir(), 'wb-')), 'species.xlsx');
  execFileSync(BIN, ['waterbirds', ...COUNTS.flatMap((c) => ['--counts', c]), '--sites', 'SIMULATED-tumen-sites.csv',
    '--season', 'spring=03-05', '--season', 'autumn=09-11', '--species-list', xlsx], { cwd: join(demo, 'waterbirds') });
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#wb-dl-species-xlsx')]);
  assert.ok(readFileSync(await dl.path()).equals(readFileSync(xlsx)), 'the downloaded xlsx differs from the CLI\'s');

  assert.deepEqual(errors, []);
  assertSameOrigin(requests, base);
  await ctx.close();
});

for (const code of ['en', 'zh', 'ru', 'ko', 'mn']) {
  test(`the workspace in ${code}: translated words and species names, screenshot`, async () => {
    const requests = [];
    const { ctx, page, errors } = await openPage(browser, `${base}?lang=${code}`, { context: { viewport: { width: 1440, height: 900 } }, requests });
    await loadDemo(page);
    const want = cli(code);
    assert.equal(await page.textContent('#wb-h'), strings[code]['wb.h']);
    // The spoonbill's row is headed by its name in this language (the CLI's `name`).
    const name = want.criterion6.find((r) => r.species === 'Platalea minor').name;
    const heads = await page.$$eval('#wb-matrix th[scope="row"]', (ts) => ts.map((t) => t.textContent));
    assert.ok(heads.some((h) => h.startsWith(name)), `${name} in ${heads.join(' | ')}`);
    const section = await page.$('#waterbirds-section');
    await section.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(out, `waterbirds-${code}.png`) });
    await section.screenshot({ path: join(out, `waterbirds-${code}-full.png`) });
    assert.deepEqual(errors, []);
    assertSameOrigin(requests, base);
    await ctx.close();
  });
}
