// Browser end-to-end tests: the static page in headless Debian Chromium (playwright-core).
// Expected numbers: the demo survey (www/demo, see its README) has 45 photographed tigers,
// 19 on both sides; China's catalog has 30, Russia's 34 (counted from the shipped
// observations.csv files: distinct non-empty individualID values); sum 64; over-count
// 19/45 = 42.2%. Those are also asserted natively in crate/tests.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { paths, startServer, launch, openPage as open, assertSameOrigin, recordLongTasks, settledLongTasks, pageNow, describeTasks, showView } from './harness.mjs';

const { demo, out } = paths;

let server, base, ctx;
const requests = [];

before(async () => {
  ({ server, base } = await startServer());
  ctx = await launch({ persistent: true, requests, viewport: { width: 1280, height: 900 } });
  await recordLongTasks(ctx);
});

after(async () => {
  await ctx?.close();
  server?.close();
});

async function openPage() {
  const { page, errors } = await open(ctx, base, { requests });
  return { page, errors };
}

async function waitDone(page, label) {
  await page.waitForFunction((l) => document.getElementById('status').textContent === `${l}: done`, label, { timeout: 60000 });
}

async function summary(page) {
  return page.$$eval('#summary .card', (cards) => Object.fromEntries(cards.map((c) => [c.dataset.key, c.querySelector('.value').textContent])));
}

function checkDemoNumbers(s) {
  assert.equal(s.unique, '45');
  assert.equal(s.transboundary, '19');
  assert.equal(s['national-CN'], '30');
  assert.equal(s['national-RU'], '34');
  assert.equal(s.sum, '64');
  assert.equal(s.overcount, '42.2%');
}

test('the page opens with the simulated demo survey loaded, labelled as simulated', async () => {
  const { page, errors } = await openPage();
  await waitDone(page, 'demo survey (simulated)');
  checkDemoNumbers(await summary(page));
  assert.ok(await page.isVisible('#simulated-banner'), 'simulated banner visible');
  assert.match(await page.textContent('#simulated-banner'), /SIMULATED/);
  assert.ok(await page.isVisible('.sim-tag'));
  // Map: 120 stations, one dot per detection, the border, movement lines, simulated stamp.
  assert.equal(await page.locator('#map [data-layer="stations"] circle').count(), 120);
  assert.ok(await page.locator('#map [data-layer="detections"] circle').count() > 100);
  assert.ok(await page.locator('#map [data-layer="border"] path').count() >= 1);
  assert.ok(await page.locator('#map [data-layer="movements"] path').count() >= 15);
  assert.ok(await page.locator('#map [data-layer="basemap"] path').count() >= 2);
  assert.match(await page.textContent('#map [data-simulated]'), /SIMULATED/);
  // Charts drawn by the core (plotters SVG), with text and bars: the cross-border ones are in the
  // survey charts panel (Activity and charts), drawn before that view is opened, each once.
  await page.waitForSelector('#survey-charts-section[data-state="done"]', { state: 'attached', timeout: 120000 });
  for (const key of ['detections_individual', 'crossings', 'distance']) {
    const id = `survey-chart-${key}`;
    assert.equal(await page.locator(`#${id} svg`).count(), 1, id);
    assert.ok(await page.locator(`#${id} svg rect`).count() > 5, `${id} has bars`);
    assert.match(await page.textContent(`#${id} svg`), /SIMULATED/);
    assert.ok((await page.getAttribute(`#${id} svg`, 'aria-label')).length > 10, `${id} has a title`);
    assert.ok((await page.textContent(`#${id}-alt`)).length > 20, `${id} has a text alternative`);
  }
  assert.equal(await page.locator('#individuals tr.transboundary').count(), 19);
  assert.equal(await page.locator('#individuals tr').count(), 46); // header + 45
  await page.screenshot({ path: join(out, 'demo-page.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test('dropping the demo files through the file input gives the same numbers', async () => {
  const { page, errors } = await openPage();
  await waitDone(page, 'demo survey (simulated)');
  await page.setInputFiles('#files', ['cn.zip', 'ru.zip', 'links.csv', 'border.geojson'].map((f) => join(demo, f)));
  await waitDone(page, 'your files');
  checkDemoNumbers(await summary(page));
  const files = await page.$$eval('#loaded-files li', (l) => l.map((x) => x.textContent));
  assert.deepEqual(files.sort(), ['border.geojson', 'cn.zip', 'links.csv', 'ru.zip']);
  // The header names the data set: the first two files and how many more; all of them on hover.
  assert.match(await page.textContent('#dataset-name'), /^[\w.]+, [\w.]+ and 2 more files$/);
  assert.deepEqual((await page.getAttribute('#dataset-name', 'title')).split('\n').sort(), ['border.geojson', 'cn.zip', 'links.csv', 'ru.zip']);
  // The parse report accounts for every observation row of each package.
  const rows = await page.$$eval('#reports tr', (trs) => trs.slice(1).map((tr) => [...tr.children].map((td) => td.textContent)));
  const obsCn = rows.find((r) => r[0] === 'cn/observations.csv');
  const expected = readFileSync(join(demo, 'cn', 'observations.csv'), 'utf8').trim().split('\n').length - 1;
  assert.equal(Number(obsCn[2]), expected, 'rows read = data rows of cn/observations.csv');
  assert.equal(Number(obsCn[3]) + Number(obsCn[4]) + Number(obsCn[5]), expected, 'used + skipped + rejected = read');
  assert.deepEqual(errors, []);
  await page.close();
});

test('choosing a folder keeps relative paths, so each package folder is one catalog', async () => {
  const { page, errors } = await openPage();
  await waitDone(page, 'demo survey (simulated)');
  // A partner's folder: survey/cn/*, survey/ru/*, survey/links.csv, survey/border.geojson.
  const root = join(out, 'survey');
  for (const side of ['cn', 'ru']) {
    mkdirSync(join(root, side), { recursive: true });
    for (const f of ['datapackage.json', 'deployments.csv', 'media.csv', 'observations.csv']) {
      writeFileSync(join(root, side, f), readFileSync(join(demo, side, f)));
    }
  }
  for (const f of ['links.csv', 'border.geojson']) writeFileSync(join(root, f), readFileSync(join(demo, f)));
  await page.setInputFiles('#folder', root);
  await waitDone(page, 'your folder');
  checkDemoNumbers(await summary(page));
  const files = await page.$$eval('#loaded-files li', (l) => l.map((x) => x.textContent));
  assert.ok(files.includes('survey/cn/observations.csv'), files.join(', '));
  // media.csv is accounted for in the report, not passed over.
  const kinds = await page.$$eval('#reports tr', (trs) => trs.slice(1).map((tr) => tr.children[0].textContent + ' = ' + tr.children[1].textContent));
  assert.ok(kinds.includes('survey/cn/media.csv = Camtrap DP media'), kinds.join('\n'));
  assert.deepEqual(errors, []);
  await page.close();
});

test('a file read in the wrong encoding can be re-read in the one the user picks in the parse report', async () => {
  const { page, errors } = await openPage();
  await waitDone(page, 'demo survey (simulated)');
  // camtrapR tables saved in KOI8-R by a Russian partner (written byte by byte here).
  const dir = join(out, 'koi8');
  mkdirSync(dir, { recursive: true });
  const koi8 = new Map([...'абвгдежзийклмнопрстуфхцчшщъыьэюя'].map((c, i) => [c, [0xc1, 0xc2, 0xd7, 0xc7, 0xc4, 0xc5, 0xd6, 0xda, 0xc9, 0xca, 0xcb, 0xcc, 0xcd, 0xce, 0xcf, 0xd0, 0xd2, 0xd3, 0xd4, 0xd5, 0xc6, 0xc8, 0xc3, 0xde, 0xdb, 0xdd, 0xdf, 0xd9, 0xd8, 0xdc, 0xc0, 0xd1][i]]));
  const enc = (s) => Buffer.from([...s].flatMap((c) => {
    if (koi8.has(c)) return [koi8.get(c)];
    const lower = c.toLowerCase();
    if (lower !== c && koi8.has(lower)) return [koi8.get(lower) + 0x20];
    return [c.charCodeAt(0)];
  }));
  writeFileSync(join(dir, 'stations.csv'), enc('Station,lat,lon,Setup_date,Retrieval_date\r\nЛазо-01,43.10,131.90,01/05/2023,30/06/2023\r\nЛазо-02,43.20,131.95,01/05/2023,30/06/2023\r\n'));
  writeFileSync(join(dir, 'records.csv'), enc('Station,Species,Individual,DateTimeOriginal\r\nЛазо-01,Panthera tigris,Тигрица,2023-05-10 21:15:00\r\nЛазо-02,Panthera tigris,Тигрица,2023-05-20 03:40:00\r\n'));
  // The camtrapR options sit in a closed <details>: set them as the user would after opening it.
  await page.$eval('#opt-offset', (e) => { e.value = '+10:00'; });
  await page.$eval('#opt-datefmt', (e) => { e.value = 'dmy'; });
  await page.setInputFiles('#files', [join(dir, 'stations.csv'), join(dir, 'records.csv')]);
  await waitDone(page, 'your files');
  const encodingOf = (file) => page.$eval(`#reports select[data-file="${file}"]`, (s) => s.closest('td').querySelector('.enc-used').textContent);
  assert.equal(await encodingOf('stations.csv'), 'KOI8-U'); // chardetng's name for it
  assert.equal(await page.$eval('#reports select[data-file="stations.csv"]', (s) => s.value), '');
  for (const f of ['stations.csv', 'records.csv']) {
    await page.selectOption(`#reports select[data-file="${f}"]`, 'koi8-r');
    await waitDone(page, 're-reading in the chosen encoding');
  }
  assert.equal(await encodingOf('stations.csv'), 'KOI8-R');
  assert.equal(await encodingOf('records.csv'), 'KOI8-R');
  assert.equal(await page.$eval('#reports select[data-file="records.csv"]', (s) => s.value), 'koi8-r');
  await page.locator('#reports-section').screenshot({ path: join(out, 'encoding-picker.png') });
  const ids = await page.$$eval('#individuals tr td:first-child', (l) => l.map((x) => x.textContent));
  assert.ok(ids.some((id) => id.includes('Тигрица')), ids.join(', '));
  const issues = await page.$$eval('#issues li', (l) => l.map((x) => x.textContent));
  assert.ok(!issues.some((t) => t.includes('guessed') || t.includes('neither UTF-8')), issues.join('\n'));
  assert.deepEqual(errors, []);
  await page.close();
});

test('bad input is reported with file, row and column, and the page keeps working', async () => {
  const { page, errors } = await openPage();
  await waitDone(page, 'demo survey (simulated)');
  const bad = join(out, 'bad');
  mkdirSync(bad, { recursive: true });
  // Links naming an individual no catalog has (row 3), and an empty row value (row 4).
  writeFileSync(join(bad, 'links.csv'), 'catalog_a,id_a,catalog_b,id_b\nCN,CN-T01,RU,RU-T12\nCN,CN-T99,RU,RU-T10\nCN,,RU,RU-T01\n');
  writeFileSync(join(bad, 'broken.geojson'), '{"type": "FeatureCollection", "features": [');
  await page.setInputFiles('#files', [join(demo, 'cn.zip'), join(demo, 'ru.zip'), join(bad, 'links.csv'), join(bad, 'broken.geojson')]);
  await waitDone(page, 'your files');
  const issues = await page.$$eval('#issues li', (l) => l.map((x) => x.textContent));
  assert.ok(issues.some((t) => t.startsWith("links.csv, row 3, column 'id_a': error:") && t.includes("'CN-T99'")), issues.join('\n'));
  assert.ok(issues.some((t) => t.startsWith("links.csv, row 4, column 'id_a': error:")), issues.join('\n'));
  assert.ok(issues.some((t) => t.startsWith('broken.geojson') && t.includes('not valid JSON')), issues.join('\n'));
  const s = await summary(page);
  assert.equal(s.unique, String(64 - 1), 'one link applied: 63 unique');
  // Still usable: the demo loads again.
  await page.click('#demo');
  await waitDone(page, 'demo survey (simulated)');
  checkDemoNumbers(await summary(page));
  assert.deepEqual(errors, []);
  await page.close();
});

test('a large file is analysed in the worker: no long task on the page, and Cancel works', async () => {
  const { page, errors } = await openPage();
  await waitDone(page, 'demo survey (simulated)');
  // 80 copies of the Chinese observations (~42,000 rows), as one package folder.
  const dir = join(out, 'big', 'cn');
  mkdirSync(dir, { recursive: true });
  const obs = readFileSync(join(demo, 'cn', 'observations.csv'), 'utf8').trim().split('\n');
  const body = [];
  for (let k = 0; k < 80; k++) for (const line of obs.slice(1)) body.push(line.replace(/^CN-o/, `CN-${k}-o`));
  assert.ok(body.length >= 40000, `${body.length} rows`);
  writeFileSync(join(dir, 'observations.csv'), [obs[0], ...body].join('\n') + '\n');
  for (const f of ['datapackage.json', 'deployments.csv']) writeFileSync(join(dir, f), readFileSync(join(demo, 'cn', f)));
  const files = ['datapackage.json', 'deployments.csv', 'observations.csv'].map((f) => ({
    name: `cn/${f}`, mimeType: 'text/plain', buffer: readFileSync(join(dir, f)),
  }));
  // Dropped as a user drops them: File objects the browser made (here from a download of the
  // test's files, off the main thread), not built by the test tool on the page's main thread.
  // (Routed for the whole context: the site's service worker makes the page's fetch its own.)
  await ctx.route(`${base}__big/**`, (route) => {
    const f = files.find((x) => route.request().url().endsWith(x.name));
    route.fulfill({ body: f.buffer, contentType: 'text/plain' });
  });
  const dropped = await page.evaluateHandle(async (names) => {
    const dt = new DataTransfer();
    for (const name of names) dt.items.add(new File([await (await fetch(`__big/${name}`)).blob()], name));
    return dt;
  }, files.map((f) => f.name));
  // The Long Tasks API reports every main-thread task over 50 ms whatever the machine's load
  // (a wall-clock measure would not): from the drop until everything is shown, none may reach
  // 200 ms — parsing and joining are the worker's, the page shows the result in parts.
  const since = await pageNow(page);
  await page.dispatchEvent('#drop', 'drop', { dataTransfer: dropped });
  await waitDone(page, 'your files');
  const s = await summary(page);
  assert.equal(s['national-CN'], '30');
  await page.waitForSelector('#map-section[data-interactive="1"]', { state: 'attached' });
  const tasks = await settledLongTasks(page, since);
  console.log(`measure: analysis of a ${body.length}-row file: ${describeTasks(tasks)}`);
  assert.deepEqual(tasks.filter((t) => t.duration > 200).map((t) => Math.round(t.duration)), [], 'main-thread tasks over 200 ms');
  // Cancel a run: status says so, and the next run works.
  await page.setInputFiles('#files', files);
  await page.click('#cancel');
  await page.waitForFunction(() => document.getElementById('status').textContent.endsWith('cancelled'));
  await page.click('#demo');
  await waitDone(page, 'demo survey (simulated)');
  checkDemoNumbers(await summary(page));
  assert.deepEqual(errors, []);
  await page.close();
});

test('closed-population models fit in the worker on the joint histories', async () => {
  const { page, errors } = await openPage();
  await waitDone(page, 'demo survey (simulated)');
  await showView(page, 'estimates');
  await page.fill('#occasion-days', '15');
  await page.click('#fit-closed');
  await page.waitForFunction(() => document.getElementById('status').textContent === 'closed-population models: done', null, { timeout: 60000 });
  // 12 closedp.t models and the jackknife; the joint catalog has 45 animals (not 64).
  assert.equal(await page.locator('#closed-table tr[data-model]').count(), 13);
  assert.match(await page.textContent('#closed-results p'), /^45 joint individuals over 13 occasions of 15 days/);
  const m0 = await page.$$eval('#closed-table tr[data-model="M0"] td', (t) => t.map((x) => x.textContent));
  assert.ok(Number(m0[1]) >= 45, `M0 N = ${m0[1]}`);
  await page.locator('#estimate-section').screenshot({ path: join(out, 'closed-models.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('SECR fits in the worker: density, expected N per country, model table, map and curve', async () => {
  const { page, errors } = await openPage();
  await waitDone(page, 'demo survey (simulated)');
  // A region to report N for: a box east of 131°E (roughly the Russian coast side).
  const regions = join(out, 'regions.geojson');
  writeFileSync(regions, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { name: 'east of 131E' },
    geometry: { type: 'Polygon', coordinates: [[[131, 42], [132, 42], [132, 44], [131, 44], [131, 42]]] } }] }));
  await page.setInputFiles('#secr-regions', regions);
  await showView(page, 'estimates', 'secr');
  await page.click('#fit-secr');
  await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('SECR:'), null, { timeout: 120000 });
  assert.equal(await page.textContent('#status'), 'SECR: done');
  assert.match(await page.textContent('#secr-summary'), /^45 joint individuals, 173 detections at 120 stations over 13 occasions; UTM 52N/);
  assert.match(await page.textContent('#secr-summary'), /Optimiser: converged/);
  const countries = await page.$$eval('#secr-n tr[data-country]', (r) => r.map((x) => x.dataset.country));
  assert.ok(countries.includes('China') && countries.includes('Russia') && countries.includes('east of 131E'), countries.join());
  assert.equal(await page.locator('#secr-models tr').count(), 5); // header + HN, HHN, EX, HEX
  assert.ok(await page.locator('#secr-density-map [data-layer="mask"] rect').count() > 1000);
  assert.equal(await page.locator('#secr-detection-chart svg path, #secr-detection-chart svg polyline').count() > 0, true);
  await page.locator('#estimate-section').screenshot({ path: join(out, 'secr.png') });
  // The detection curve's smallest text, as displayed, is at least the page's small text (0.85rem).
  const curve = await page.$eval('#secr-detection-chart svg', (svg) => {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    const min = Math.min(...[...svg.querySelectorAll('text')].map((x) => parseFloat(x.getAttribute('font-size')) || 99));
    return { shown: min * scale, small: 0.85 * parseFloat(getComputedStyle(document.documentElement).fontSize) };
  });
  assert.ok(curve.shown >= curve.small - 0.05, JSON.stringify(curve));
  // The SECR fit's N per country joins the estimator comparison chart of the charts panel.
  const chinaN = await page.$eval('#secr-n tr[data-country="China"] td:nth-child(3)', (td) => td.textContent);
  await showView(page, 'charts');
  await page.waitForFunction(() => /SECR China/.test(document.querySelector('#survey-charts figure[data-key="estimates"] figcaption')?.textContent || ''), null, { timeout: 60000 });
  assert.match(await page.textContent('#survey-charts figure[data-key="estimates"] figcaption'), new RegExp(`SECR China[^0-9]*${chinaN.replace('.', '\\.')}`));
  // sigma ~ sex: one row per sex with its own sigma (the demo records female/male).
  await showView(page, 'estimates', 'secr');
  await page.selectOption('#secr-groups', 'sex');
  await page.uncheck('#secr-compare');
  await page.click('#fit-secr');
  await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('SECR:'), null, { timeout: 120000 });
  assert.equal(await page.textContent('#status'), 'SECR: done');
  assert.deepEqual(await page.$$eval('#secr-groups-table tr[data-group]', (r) => r.map((x) => x.dataset.group)), ['female', 'male']);
  assert.deepEqual(errors, []);
  await page.close();
});

test('survey design on the demo stations: expected n, r, m and RSE, then seeded simulate → fit replicates', async () => {
  const { page, errors } = await openPage();
  await waitDone(page, 'demo survey (simulated)');
  const cells = async () => page.$$eval('#design-table tr[data-quantity]', (rows) =>
    Object.fromEntries(rows.map((r) => [r.dataset.quantity, [...r.querySelectorAll('td')].slice(1).map((t) => t.textContent)])));
  // Expected counts only (replicates 0).
  await showView(page, 'estimates', 'design');
  await page.fill('#design-replicates', '0');
  await page.click('#run-design');
  await waitDone(page, 'survey design');
  assert.match(await page.textContent('#design-summary'), /^Layout: the loaded stations, 120 stations, UTM 52N/);
  let c = await cells();
  const [en, er, em] = [Number(c.n[0]), Number(c.r[0]), Number(c.m[0])];
  assert.ok(en > 10 && er > 0 && em > 0 && em < er, JSON.stringify(c));
  assert.match(c.rse[0], /^\d+\.\d%$/);
  // With seeded replicates: simulated means, D̂, RSE and bias appear; the same seed repeats them.
  await page.fill('#design-replicates', '3');
  await page.fill('#design-seed', '7');
  await page.click('#run-design');
  await waitDone(page, 'survey design');
  c = await cells();
  assert.equal(c.n[0], en.toFixed(1));
  assert.ok(Number(c.n[1]) > 10 && Number(c.r[1]) > 0 && Number(c.m[1]) > 0, JSON.stringify(c));
  const sim = await page.$$eval('#design-sim-table td[data-key]', (t) => Object.fromEntries(t.map((x) => [x.dataset.key, x.textContent])));
  assert.equal(sim['d-true'], '1.50');
  assert.ok(Number(sim['d-hat']) > 0.5 && Number(sim['d-hat']) < 4, JSON.stringify(sim));
  assert.match(sim.rse, /^\d+\.\d%$/);
  assert.match(sim.bias, /^-?\d+\.\d%$/);
  assert.equal(sim.fitted, '3 of 3');
  assert.doesNotMatch(JSON.stringify([c, sim]), /NaN/);
  await page.locator('#design-results').screenshot({ path: join(out, 'design.png') });
  const first = JSON.stringify([c, sim]);
  await page.click('#run-design');
  await waitDone(page, 'survey design');
  const again = await page.$$eval('#design-sim-table td[data-key]', (t) => Object.fromEntries(t.map((x) => [x.dataset.key, x.textContent])));
  assert.equal(JSON.stringify([await cells(), again]), first, 'the same seed gives the same results');
  // A proposed layout CSV instead of the loaded stations; a bad one names file, row and column.
  let csv = 'id,lat,lon\n';
  for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) csv += `P${i}${j},${(43.0 + 0.04 * i).toFixed(3)},${(130.9 + 0.05 * j).toFixed(3)}\n`;
  await page.fill('#design-replicates', '0');
  await page.setInputFiles('#design-layout', { name: 'proposed.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.click('#run-design');
  await waitDone(page, 'survey design');
  assert.match(await page.textContent('#design-summary'), /^Layout: proposed\.csv, 36 stations, UTM 52N/);
  assert.ok(Number((await cells()).n[0]) > 0);
  await page.setInputFiles('#design-layout', { name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('id,lat,lon\nA,43.1,131\nB,43.2,x\n') });
  await page.click('#run-design');
  await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('survey design:'));
  assert.match(await page.textContent('#design-results'), /bad\.csv: row 3, column 'lon': 'x' is not a number/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('no request leaves the origin, and the Content-Security-Policy forbids it', async () => {
  const { page, errors } = await openPage();
  await waitDone(page, 'demo survey (simulated)');
  const res = await page.request.get(base);
  assert.match(res.headers()['content-security-policy'], /default-src 'self'/);
  assert.match(await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content'), /connect-src 'self'/);
  // An attempt to reach another host is refused by the policy before any request is made.
  const outcome = await page.evaluate(async () => {
    const violations = [];
    document.addEventListener('securitypolicyviolation', (e) => violations.push(e.blockedURI));
    let fetched;
    try { await fetch('http://192.0.2.1/tile.png'); fetched = 'fetched'; } catch { fetched = 'blocked'; }
    await new Promise((r) => setTimeout(r, 100));
    return { fetched, violations };
  });
  assert.equal(outcome.fetched, 'blocked');
  assert.ok(outcome.violations.some((u) => u.includes('192.0.2.1')), JSON.stringify(outcome));
  assertSameOrigin(requests, base);
  assert.ok(requests.some((u) => u.endsWith('.wasm')), 'the wasm module was loaded from the origin');
  // CSP violation is logged to the console as an error; only that one is expected here.
  assert.ok(errors.every((e) => e.includes('Content Security Policy') || e.includes('192.0.2.1')), errors.join('\n'));
  await page.close();
});
