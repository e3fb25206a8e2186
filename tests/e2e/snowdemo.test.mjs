// The SIMULATED snow-leopard demo (www/demo/snowleopard, www/snowdemo.js): loaded from the page
// next to the tiger demo, labelled SIMULATED in every language, and its SECR fit in the page equals
// the CLI's on the same files (target/debug/borderless secr --catalog … --json, run here: nothing
// hard-coded). Screenshots: tests/e2e/out/snowdemo-<lang>.png (load area and banner) and
// snowdemo-secr.png (the fit) — look at them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { paths, startServer, launch, openPage as open, showView } from './harness.mjs';
import core from '../../www/i18n/core.js';
import snow from '../../www/i18n/snowdemo.js';

const { out, www } = paths;
const root = join(paths.here, '..', '..');
const cli = process.env.BORDERLESS_BIN || join(root, 'target', 'debug', 'borderless');
const dir = join(www, 'demo', 'snowleopard');
const str = (code, key, vars = {}) => ((snow[code] && snow[code][key]) ?? core[code][key] ?? core.en[key])
  .replace(/\{(\w+)\}/g, (m, k) => (vars[k] === undefined ? m : String(vars[k])));

let server, base, browser;
before(async () => {
  ({ server, base } = await startServer());
  browser = await launch();
});
after(async () => {
  await browser?.close();
  server?.close();
});

const openPage = () => open(browser, base, { context: { locale: 'en-US', viewport: { width: 1280, height: 900 } } });
const waitStatus = (page, text, timeout = 120000) =>
  page.waitForFunction((d) => document.getElementById('status').textContent === d, text, { timeout });

// The same fit from the command line: the page's SECR form defaults (15-day occasions, proximity,
// HN, 20 km buffer, usage in days) are the CLI's defaults for catalogs.
function cliFit(year, model) {
  assert.ok(existsSync(cli), `${cli}: build the CLI first (cargo build)`);
  const extra = model ? ['--model', model, '--mask-covariate', `rugged=${join(dir, 'rugged.tif')}`] : [];
  const json = execFileSync(cli, ['secr', '--catalog', `MN=${join(dir, year, 'mn.zip')}`, '--catalog', `RU=${join(dir, year, 'ru.zip')}`,
    '--links', join(dir, year, 'links.csv'), '--border', join(dir, 'border.geojson'),
    '--basemap', join(www, 'basemap', 'ne-asia-countries-10m.topo.json'), ...extra, '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return JSON.parse(json);
}

// Fits SECR in the page and compares what it shows with the CLI's JSON.
async function fitAndCompare(page, expected) {
  await page.click('#fit-secr');
  await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('SECR:'), null, { timeout: 180000 });
  assert.equal(await page.textContent('#status'), 'SECR: done');
  const f = (x, d) => new Intl.NumberFormat('en', { minimumFractionDigits: d, maximumFractionDigits: d }).format(x);
  const dRow = await page.$$eval('#secr-params tr[data-param="D"] td', (t) => t.map((x) => x.textContent));
  assert.equal(dRow[1], f(expected.D_per_100km2, 2), 'D per 100 km²');
  const model = await page.$$eval('#secr-models tr:nth-child(2) td', (t) => t.map((x) => x.textContent));
  assert.equal(model[1], f(expected.loglik, 3), 'log-likelihood');
  assert.equal(model[5], f(expected.D_per_100km2, 3), 'D per 100 km² (3 decimals)');
  assert.match(await page.textContent('#secr-summary'), new RegExp(`^${expected.n_animals} joint individuals`));
  assert.deepEqual(expected.n_per_country.map((c) => c.name).sort(), ['Mongolia', 'Russia']);
  for (const c of expected.n_per_country) {
    const n = await page.$eval(`#secr-n tr[data-country="${c.name}"] td:nth-child(3)`, (td) => td.textContent);
    assert.equal(n, f(c.n.estimate, 1), `N in ${c.name}`);
  }
  // The fit says the data are simulated.
  assert.match(await page.textContent('#secr-summary'), /SIMULATED/);
}

test('the snow-leopard demo loads from the page, says SIMULATED, and its SECR fits equal the CLI', async () => {
  const { page, errors } = await openPage();
  await waitStatus(page, str('en', 'core.status.done', { label: str('en', 'core.label.demo') }), 60000);
  assert.equal(await page.isVisible('#snow-banner'), false);
  await page.click('#snow-demo'); // 2023, the first year
  await waitStatus(page, str('en', 'core.status.done', { label: str('en', 'snowdemo.label') }));
  // Its own SIMULATED banner replaces the tiger demo's; the files listed are the snow-leopard ones.
  assert.equal(await page.isVisible('#snow-banner'), true);
  assert.equal(await page.isVisible('#simulated-banner'), false);
  assert.match(await page.textContent('#snow-banner'), /^SIMULATED SNOW LEOPARD SURVEY/);
  assert.deepEqual(await page.$$eval('#loaded-files li', (l) => l.map((x) => x.textContent)),
    ['snowleopard-2023-mn.zip', 'snowleopard-2023-ru.zip', 'snowleopard-2023-links.csv', 'snowleopard-2023-border.geojson']);
  // The SECR form holds the demo's density model and its ruggedness raster.
  await page.waitForFunction(() => document.getElementById('secr-covariate').files.length === 1);
  assert.equal(await page.inputValue('#secr-model'), 'D~rugged');
  assert.equal(await page.$eval('#secr-covariate', (i) => i.files[0].name), 'rugged.tif');
  await showView(page, 'estimates', 'secr');
  await page.uncheck('#secr-compare');
  await fitAndCompare(page, cliFit('2023', 'D~rugged'));
  await page.locator('#estimate-section').screenshot({ path: join(out, 'snowdemo-secr.png') });

  // The second year, with constant density (the form emptied by hand).
  await showView(page, 'data');
  await page.selectOption('#snow-year', '2024');
  await page.click('#snow-demo');
  await waitStatus(page, str('en', 'core.status.done', { label: str('en', 'snowdemo.label') }));
  assert.equal(await page.$eval('#loaded-files li', (l) => l.textContent), 'snowleopard-2024-mn.zip');
  await showView(page, 'estimates', 'secr');
  await page.fill('#secr-model', '');
  await page.setInputFiles('#secr-covariate', []);
  await fitAndCompare(page, cliFit('2024', null));

  // Back to the tiger demo: the banner and the form's snow-leopard model go.
  await showView(page, 'data');
  await page.click('#demo');
  await waitStatus(page, str('en', 'core.status.done', { label: str('en', 'core.label.demo') }));
  assert.equal(await page.isVisible('#snow-banner'), false);
  assert.equal(await page.isVisible('#simulated-banner'), true);
  await page.waitForFunction(() => document.getElementById('secr-covariate').files.length === 0);
  assert.equal(await page.inputValue('#secr-model'), '');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the snow-leopard demo entry and banner in the five languages', async () => {
  const { page, errors } = await openPage();
  await waitStatus(page, str('en', 'core.status.done', { label: str('en', 'core.label.demo') }), 60000);
  await page.click('#snow-demo');
  await waitStatus(page, str('en', 'core.status.done', { label: str('en', 'snowdemo.label') }));
  for (const code of ['en', 'zh', 'ru', 'ko', 'mn']) {
    await page.selectOption('#lang-select', code);
    await page.waitForFunction((s) => document.getElementById('snow-demo').textContent === s, str(code, 'snowdemo.load'));
    assert.equal(await page.textContent('#snow-banner'), str(code, 'snowdemo.banner'));
    assert.equal(await page.textContent('label.snow-year span'), str(code, 'snowdemo.year'));
    await page.screenshot({ path: join(out, `snowdemo-${code}.png`), clip: { x: 0, y: 0, width: 1280, height: 520 } });
  }
  assert.deepEqual(errors, []);
  await page.close();
});
