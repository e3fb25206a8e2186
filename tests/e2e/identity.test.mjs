// Browser end-to-end tests of the cross-border identity review panel (www/identity.js, www/store.js).
// Expected numbers come from the demo survey (www/demo, see its README): 45 photographed tigers,
// 19 on both sides (19 links in links.csv), CN 30 + RU 34 = 64 national records, over-count 42.2%.
// Accepting a link between two individuals seen on one side only merges two joint individuals
// into one: unique 45 → 44, transboundary 19 → 20, the sum stays 64, over-count (64 − 44) / 44 = 45.5%.
// Rejecting one of the file's links (CN-T01 ↔ RU-T12, row 2 of links.csv) splits one: unique + 1,
// transboundary − 1.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { paths, startServer, launch, openPage as open, assertSameOrigin, showView } from './harness.mjs';

const { www, out } = paths;

let server, base, ctx;
const requests = [];

// One persistent profile for the whole file: decisions kept in IndexedDB survive a reload.
before(async () => {
  ({ server, base } = await startServer());
  ctx = await launch({ persistent: true, profile: 'borderless-identity-', requests, acceptDownloads: true, viewport: { width: 1280, height: 900 } });
});

after(async () => {
  await ctx?.close();
  server?.close();
});

// The page is ready when the demo is analysed and the identity panel has applied its decisions.
async function ready(page) {
  await page.waitForSelector('body[data-ready="1"]');
  await page.waitForFunction(() => document.getElementById('status').textContent === 'demo survey (simulated): done', null, { timeout: 60000 });
  await page.waitForSelector('body[data-identity="ready"]', { timeout: 60000 });
}

// The page opened on its review view (a deep link: it stays there across reloads).
async function openPage() {
  const { page, errors } = await open(ctx, `${base}#/review`, { requests, ready: false });
  await ready(page);
  return { page, errors };
}

const applied = (page) => page.evaluate(() => Number(document.body.dataset.identityApplied || 0));
async function nextApply(page, before) {
  await page.waitForFunction((n) => Number(document.body.dataset.identityApplied || 0) > n, before, { timeout: 60000 });
}

async function summary(page) {
  return page.$$eval('#summary .card', (cards) => Object.fromEntries(cards.map((c) => [c.dataset.key, c.querySelector('.value').textContent])));
}

// Rows of the decision log; the first cell is the machine-readable time (<time datetime>).
async function logRows(page) {
  return page.$$eval('#identity-log tr', (trs) => trs.slice(1).map((tr) =>
    [...tr.children].map((td, i) => (i === 0 ? td.querySelector('time').dateTime : td.textContent))));
}

async function download(page, click) {
  const [d] = await Promise.all([page.waitForEvent('download'), click()]);
  return { name: d.suggestedFilename(), text: readFileSync(await d.path(), 'utf8') };
}

function parseCsv(text) {
  // The exports quote fields with commas or quotes (RFC 4180); enough of a reader for the checks.
  const rows = [];
  let row = [], field = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (ch === '"') quoted = false; else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(field); field = ''; } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field); rows.push(row); row = []; field = '';
    } else field += ch;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows;
}

test('store.js keeps decisions per data set in IndexedDB and only the Decision fields', async () => {
  const { page, errors } = await openPage();
  const r = await page.evaluate(async () => {
    const s = await import('./store.js');
    const keyA = s.datasetKey([{ name: 'b.csv', bytes: new ArrayBuffer(3) }, { name: 'a.zip', bytes: new ArrayBuffer(10) }]);
    const keyA2 = s.datasetKey([{ name: 'a.zip', bytes: new ArrayBuffer(10) }, { name: 'b.csv', bytes: new ArrayBuffer(3) }]);
    const keyB = s.datasetKey([{ name: 'a.zip', bytes: new ArrayBuffer(11) }, { name: 'b.csv', bytes: new ArrayBuffer(3) }]);
    const d = { catalog_a: 'CN', id_a: 'T1', catalog_b: 'RU', id_b: 'A', verdict: 'accept', who: 'X', when: '2026-01-02T03:04:05Z', why: 'stripes', extra: 1 };
    const first = await s.addDecision(keyA, d);
    await s.addDecision(keyA, { ...d, verdict: 'reject', why: 'second look' });
    await s.addDecision(keyB, { ...d, who: 'Y' });
    const a = await s.listDecisions(keyA);
    const b = await s.listDecisions(keyB);
    await s.clearDecisions(keyA);
    await s.clearDecisions(keyB);
    return { keyA, keyA2, keyB, first, a, b, after: (await s.listDecisions(keyA)).length };
  });
  assert.equal(r.keyA, 'a.zip:10|b.csv:3', 'sorted name:size');
  assert.equal(r.keyA, r.keyA2, 'the order files were dropped in does not matter');
  assert.notEqual(r.keyA, r.keyB, 'a file of another size is another data set');
  assert.equal(r.first.extra, undefined, 'only the Decision fields are stored');
  assert.equal(typeof r.first.id, 'number');
  assert.deepEqual(r.a.map((x) => [x.verdict, x.why]), [['accept', 'stripes'], ['reject', 'second look']], 'oldest first');
  assert.deepEqual(r.b.map((x) => x.who), ['Y'], 'data sets do not mix');
  assert.equal(r.after, 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test('review: accept with a note, reload, worker crash, reject a file link, export and import', async () => {
  let { page, errors } = await openPage();
  const s0 = await summary(page);
  assert.deepEqual([s0.unique, s0.transboundary, s0.sum, s0.overcount], ['45', '19', '64', '42.2%']);

  // Candidates are listed, ranked, each with evidence lines and Accept / Reject buttons with labels.
  const items = page.locator('#identity-candidates li.candidate');
  assert.ok(await items.count() > 0, 'open candidates are listed');
  const ranks = await items.evaluateAll((l) => l.map((x) => Number(x.dataset.rank)));
  assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b), 'ranked');
  assert.ok(await page.locator('#identity-candidates li.candidate ul.evidence li').count() >= await items.count());
  assert.match(await items.first().locator('button[data-action="accept"]').getAttribute('aria-label'), /^Accept: .+ ↔ .+ are the same animal$/);

  // The first open candidate joining two animals seen on one side only (not ruled out).
  const linkedIds = new Set(await page.$$eval('#individuals tr.transboundary td:first-child', (t) => t.map((x) => x.textContent)));
  const pick = await items.evaluateAll((l, ids) => l.map((x) => ({ ...x.dataset, ruled: x.classList.contains('ruled-out') }))
    .find((c) => !c.ruled && ![...ids].some((j) => j.includes(c.idA) || j.includes(c.idB))), [...linkedIds]);
  assert.ok(pick, 'an open candidate between two one-sided animals');
  const li = page.locator(`#identity-candidates li[data-id-a="${pick.idA}"][data-id-b="${pick.idB}"]`);

  // Without a reviewer name the decision is refused and the name field gets the focus.
  await page.fill('#identity-who', '');
  await li.locator('button[data-action="accept"]').click();
  assert.match(await page.textContent('#identity-status'), /Enter your name as reviewer/);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'identity-who');

  // Keyboard: type the name and the note, then Tab to Accept and press Enter.
  await page.keyboard.type('Test Reviewer');
  await li.locator('input.note').fill('same left-flank stripes, 3 km apart');
  await li.locator('input.note').focus();
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.action), 'accept');
  let n = await applied(page);
  await page.keyboard.press('Enter');
  await nextApply(page, n);
  let s = await summary(page);
  assert.deepEqual([s.unique, s.transboundary, s.sum, s.overcount], ['44', '20', '64', '45.5%']);
  assert.match(await page.textContent('#identity-status'), /^Accepted .+ Now 44 unique individuals, 20 transboundary\.$/);
  // The focus stays in the list (on the candidate that took the decided one's place).
  assert.equal(await page.evaluate(() => document.activeElement.closest('#identity-candidates li') !== null
    && document.activeElement.dataset.action), 'accept');
  let log = await logRows(page);
  assert.equal(log.length, 1);
  assert.match(log[0][0], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/, 'when: ISO 8601');
  assert.deepEqual(log[0].slice(1), ['Test Reviewer', 'accepted', `${pick.catalogA} ${pick.idA} ↔ ${pick.catalogB} ${pick.idB}`, 'same left-flank stripes, 3 km apart']);
  // The joint catalog shows the new individual with its evidence; 20 transboundary rows.
  assert.equal(await page.locator('#individuals tr.transboundary').count(), 20);
  const evidence = await page.$$eval('#individuals td.evidence-cell', (t) => t.map((x) => x.textContent));
  assert.ok(evidence.some((e) => e.includes(`photo link ${pick.catalogA}:${pick.idA} = ${pick.catalogB}:${pick.idB}, accepted by Test Reviewer`)
    && e.includes('same left-flank stripes')), 'expert evidence shown');
  assert.equal(evidence.filter((e) => /\(links\.csv, row \d+\)/.test(e)).length, 19, 'the 19 photo links of links.csv, with their rows');
  // The accepted pair is now linked.
  await page.check('input[name="identity-filter"][value="linked"]');
  assert.equal(await page.locator(`#identity-candidates li[data-id-a="${pick.idA}"][data-id-b="${pick.idB}"]`).getAttribute('data-status'), 'linked');
  await page.check('input[name="identity-filter"][value="open"]');

  // Reload: the decision comes back from IndexedDB and is applied again; the name is remembered.
  await page.reload();
  await ready(page);
  s = await summary(page);
  assert.deepEqual([s.unique, s.transboundary], ['44', '20'], 'restored after reload');
  assert.equal(await page.inputValue('#identity-who'), 'Test Reviewer');
  assert.match(await page.textContent('#identity-status'), /^Saved decisions restored and applied: 1\.$/);
  assert.equal((await logRows(page)).length, 1);

  // Worker crash: the identity worker is terminated; the next decision re-opens the session from
  // the files and the stored decisions. Rejecting the file's link CN-T01 ↔ RU-T12 by hand:
  // 44 + 1 = 45 unique only if the accepted link survived the crash.
  await page.evaluate(() => window.borderlessIdentity.crashWorker());
  await page.selectOption('#identity-cat-a', 'CN');
  await page.fill('#identity-id-a', 'CN-T01');
  await page.selectOption('#identity-cat-b', 'RU');
  await page.fill('#identity-id-b', 'RU-T12');
  await page.fill('#identity-manual-why', 'different cheek pattern');
  n = await applied(page);
  await page.click('#identity-remove');
  await nextApply(page, n);
  s = await summary(page);
  assert.deepEqual([s.unique, s.transboundary, s.sum], ['45', '19', '64'], 'file link removed, accepted link kept');
  // And once more: crash, restore, same numbers.
  await page.evaluate(() => window.borderlessIdentity.crashWorker());
  n = await applied(page);
  await page.evaluate(() => window.borderlessIdentity.restore());
  await nextApply(page, n);
  s = await summary(page);
  assert.deepEqual([s.unique, s.transboundary], ['45', '19'], 'restored after a crash');
  log = await logRows(page);
  assert.deepEqual(log.map((r) => [r[1], r[2], r[4]]), [['Test Reviewer', 'rejected', 'different cheek pattern'],
    ['Test Reviewer', 'accepted', 'same left-flank stripes, 3 km apart']], 'newest first');

  // Export the links CSV: both decisions with who, when and why.
  const links = await download(page, () => page.click('#identity-export-links'));
  const rows = parseCsv(links.text.trim());
  assert.deepEqual(rows[0], ['catalog_a', 'id_a', 'catalog_b', 'id_b', 'verdict', 'who', 'when', 'why']);
  const acc = rows.find((r) => r.includes(pick.idA) && r.includes(pick.idB));
  assert.ok(acc, links.text);
  assert.equal(acc[4], 'accept');
  assert.equal(acc[5], 'Test Reviewer');
  assert.match(acc[6], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
  assert.equal(acc[7], 'same left-flank stripes, 3 km apart');
  const rej = rows.find((r) => r.includes('CN-T01') && r.includes('RU-T12') && r[4] === 'reject');
  assert.ok(rej, links.text);
  assert.equal(rej[7], 'different cheek pattern');

  // Export the Camtrap DP individuals resource: a CSV and its resource descriptor.
  const got = [];
  page.on('download', async (d) => got.push({ name: d.suggestedFilename(), text: readFileSync(await d.path(), 'utf8') }));
  await page.click('#identity-export-individuals');
  await page.waitForFunction(() => document.getElementById('identity-status').textContent !== '' , null);
  await new Promise((r) => setTimeout(r, 1500));
  const csv = got.find((g) => g.name.endsWith('.csv'));
  const res = got.find((g) => g.name.endsWith('.json'));
  assert.ok(csv && res, got.map((g) => g.name).join());
  const resource = JSON.parse(res.text);
  assert.equal(resource.profile, 'tabular-data-resource');
  assert.equal(resource.name, 'individuals');
  const header = parseCsv(csv.text)[0];
  assert.deepEqual(resource.schema.fields.map((f) => f.name), header, 'the descriptor describes the CSV columns');
  assert.equal(parseCsv(csv.text.trim()).length - 1, 45, 'one row per joint individual');

  // Import a partner's links CSV: merged with the stored decisions (who/when/why kept).
  // A partner's link between two animals still seen on one side only (rows of the joint catalog
  // with one national ID): unique 45 → 44.
  const single = await page.$$eval('#individuals tr:not(.transboundary) td:first-child', (t) => t.map((x) => x.textContent)
    .filter((j) => !j.includes('+')).map((j) => { const [catalog, id] = j.split(':'); return { catalog, id }; }));
  const busy = [pick.idA, pick.idB, 'CN-T01', 'RU-T12'];
  const cn = single.find((x) => x.catalog === 'CN' && !busy.includes(x.id));
  const ru = single.find((x) => x.catalog === 'RU' && !busy.includes(x.id));
  assert.ok(cn && ru, JSON.stringify(single));
  const other = { catalogA: 'CN', idA: cn.id, catalogB: 'RU', idB: ru.id };
  const partner = 'catalog_a,id_a,catalog_b,id_b,verdict,who,when,why\n'
    + `${other.catalogA},${other.idA},${other.catalogB},${other.idB},accept,Partner Expert,2026-11-01T08:00:00+10:00,"genotype match, scat 17"\n`;
  n = await applied(page);
  await page.setInputFiles('#identity-import', { name: 'partner-links.csv', mimeType: 'text/csv', buffer: Buffer.from(partner) });
  await nextApply(page, n);
  assert.match(await page.textContent('#identity-status'), /^Decisions imported: 1 /);
  log = await logRows(page);
  assert.equal(log.length, 3);
  assert.deepEqual(log[0].slice(1), ['Partner Expert', 'accepted', `${other.catalogA} ${other.idA} ↔ ${other.catalogB} ${other.idB}`, 'genotype match, scat 17']);
  assert.deepEqual([(await summary(page)).unique, (await summary(page)).transboundary], ['44', '20'], 'the imported link merges two one-sided animals');

  // A conflicting link (CN-T02 is one animal with RU-T10 by links.csv; RU-T12 is another animal):
  // not applied, flagged in the joint catalog and in the candidate list; the numbers stay.
  await page.fill('#identity-id-a', 'CN-T02');
  await page.fill('#identity-id-b', 'RU-T12');
  await page.fill('#identity-manual-why', 'test of a conflict');
  n = await applied(page);
  await page.click('#identity-add');
  await nextApply(page, n);
  s = await summary(page);
  assert.deepEqual([s.unique, s.transboundary], ['44', '20'], 'a conflicting link is not applied');
  assert.match(await page.textContent('#identity-status'), /^CN CN-T02 ↔ RU RU-T12: Accepted but not applied: .*RU-T12/);
  const flagged = await page.$$eval('#individuals tr.conflict', (trs) => trs.map((tr) => tr.textContent));
  assert.ok(flagged.some((x) => x.includes('CN-T02') && x.includes('⚠ conflict')), flagged.join('\n'));
  await page.check('input[name="identity-filter"][value="all"]');
  const cand = page.locator('#identity-candidates li[data-id-a="CN-T02"][data-id-b="RU-T12"]');
  if (await cand.count()) assert.match(await cand.textContent(), /Accepted but not applied/);

  await page.locator('#identity-section').screenshot({ path: join(out, 'identity-panel.png') });
  await showView(page, 'individuals');
  await page.locator('#individuals-section').screenshot({ path: join(out, 'identity-joint-catalog.png') });
  await page.screenshot({ path: join(out, 'identity-page.png'), fullPage: true });

  assertSameOrigin(requests, base);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a genotype table dropped with the catalogs: genotype summary and genotype evidence', async () => {
  const { page, errors } = await openPage();
  // Three loci (six allele columns). S1 (CN-T04) and S2 (RU-T01) share one genotype; S3 and S4
  // differ from it and from each other at every allele column, so under any allowed mismatch
  // below 100% there are 3 unique genotypes, none unclassified or with multiple matches, and one
  // genotype link between catalogs (CN-T04 = RU-T01).
  const csv = 'sample,catalog,individualID,L1a,L1b,L2a,L2b,L3a,L3b\n'
    + 'S1,CN,CN-T04,100,102,200,204,150,152\nS2,RU,RU-T01,100,102,200,204,150,152\n'
    + 'S3,CN,CN-T06,110,112,210,214,160,162\nS4,RU,RU-T03,120,122,220,224,170,172\n';
  const demo = join(www, 'demo');
  const files = ['cn.zip', 'ru.zip', 'links.csv', 'border.geojson'].map((f) => ({ name: f, mimeType: 'application/octet-stream', buffer: readFileSync(join(demo, f)) }));
  files.push({ name: 'genotypes.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.evaluate(() => { delete document.body.dataset.identity; });
  await page.setInputFiles('#files', files);
  await page.waitForSelector('body[data-identity="ready"]', { timeout: 60000 });
  const cards = await page.$$eval('#identity-genotypes .card', (cs) => Object.fromEntries(cs.map((c) => [c.dataset.key, c.querySelector('.value').textContent])));
  assert.deepEqual(cards, { 'genotype-unique': '3', 'genotype-unclassified': '0', 'genotype-multiple': '0' });
  assert.match(await page.textContent('#identity-genotypes'), /Genotype links between catalogs: 1\./);
  const c = await page.evaluate(() => window.borderlessIdentity.candidates()
    .find((x) => [x.id_a, x.id_b].sort().join() === 'CN-T04,RU-T01'));
  assert.ok(c, 'CN-T04 ↔ RU-T01 is a candidate');
  const ev = c.evidence.filter((e) => e.kind === 'genotype');
  assert.equal(ev.length, 1, `the shared genotype is evidence for CN-T04 ↔ RU-T01: ${JSON.stringify(c)}`);
  assert.ok(ev[0].weight > 0);
  await page.locator('#identity-genotypes').screenshot({ path: join(out, 'identity-genotypes.png') });
  assert.deepEqual(errors, []);
  await page.close();
});
