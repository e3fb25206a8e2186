// The self-contained bundle in Firefox (issue 12: "opens from a USB stick by double-click in
// Chromium and Firefox with no server"). Debian's firefox-esr driven through geckodriver (built
// from crates.io by scripts/setup.sh) over plain WebDriver HTTP: the bundle opened from file://
// loads the demo and shows its summary; every resource the page fetched is the file itself or a
// data:/blob: URL; its Content-Security-Policy refuses a request to the network. Screenshot:
// out/bundle-firefox.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { paths } from './harness.mjs';

const file = join(paths.out, 'borderless-firefox.html');
const firefox = process.env.FIREFOX || '/usr/bin/firefox-esr';
const geckodriver = process.env.GECKODRIVER || [join(homedir(), '.cargo', 'bin', 'geckodriver'), '/usr/bin/geckodriver'].find(existsSync);
let driver;
let base;

const freePort = () => new Promise((resolve, reject) => {
  const s = createServer();
  s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  s.on('error', reject);
});

// One WebDriver command: method, path (after the base URL), JSON body; returns `value`.
async function wd(method, path, body) {
  const r = await fetch(`${base}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body && JSON.stringify(body) });
  const j = await r.json();
  if (!r.ok) throw new Error(`${method} ${path}: ${j.value?.error}: ${j.value?.message}`);
  return j.value;
}

before(async () => {
  assert.ok(existsSync(firefox), `Firefox not found at ${firefox} (scripts/setup.sh installs firefox-esr)`);
  assert.ok(geckodriver, 'geckodriver not found (scripts/setup.sh installs it with cargo install geckodriver)');
  execFileSync(process.execPath, [join(paths.here, '..', '..', 'tools', 'bundle.mjs'), paths.www, file], { stdio: 'inherit' });
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  driver = spawn(geckodriver, ['--port', String(port), '--host', '127.0.0.1'], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    try { await fetch(`${base}/status`); return; } catch { await new Promise((r) => setTimeout(r, 100)); }
  }
  throw new Error('geckodriver did not start');
});

after(() => { driver?.kill(); });

test('the bundle opens from file:// in Firefox with the demo, and no request leaves the page', async () => {
  const session = await wd('POST', '/session', {
    capabilities: { alwaysMatch: { browserName: 'firefox', 'moz:firefoxOptions': { binary: firefox, args: ['-headless', '-width', '1440', '-height', '900'] } } },
  });
  const s = `/session/${session.sessionId}`;
  const run = (script, args = []) => wd('POST', `${s}/execute/sync`, { script, args });
  try {
    const url = pathToFileURL(file).href;
    await wd('POST', `${s}/url`, { url });
    let status = '';
    for (let i = 0; i < 240 && status !== 'demo survey (simulated): done'; i++) {
      await new Promise((r) => setTimeout(r, 500));
      status = await run("return document.getElementById('status').textContent");
    }
    assert.equal(status, 'demo survey (simulated): done', 'the demo loaded');
    const cards = await run("return Object.fromEntries([...document.querySelectorAll('#summary .card')].map((x) => [x.dataset.key, x.querySelector('.value').textContent]))");
    assert.equal(cards.unique, '45');
    assert.equal(cards.transboundary, '19');
    assert.equal(cards.overcount, '42.2%');
    let charts = 0; // the survey charts are drawn in their worker after the analysis
    for (let i = 0; i < 120 && charts !== 1; i++) {
      charts = await run("return document.querySelectorAll('#survey-chart-detections_individual svg').length");
      if (charts !== 1) await new Promise((r) => setTimeout(r, 500));
    }
    assert.equal(charts, 1, 'charts drawn');
    writeFileSync(join(paths.out, 'bundle-firefox.png'), Buffer.from(await wd('GET', `${s}/screenshot`), 'base64'));

    // Every resource the document fetched is the bundle itself or a data:/blob: URL.
    const resources = await run("return performance.getEntriesByType('resource').map((e) => e.name)");
    const foreign = resources.filter((u) => u !== url && !u.startsWith('data:') && !u.startsWith('blob:'));
    console.log(`measure: Firefox bundle resources: ${resources.length}, foreign: ${foreign.length}`);
    assert.deepEqual(foreign, [], 'resources that left the page');
    // The policy refuses the network and a file beside the bundle.
    const outcome = await wd('POST', `${s}/execute/async`, {
      script: `const done = arguments[arguments.length - 1];
        const tryFetch = async (u) => { try { await fetch(u); return 'fetched'; } catch { return 'blocked'; } };
        (async () => done({ net: await tryFetch('http://192.0.2.1/tile.png'), file: await tryFetch('style.css') }))();`,
      args: [],
    });
    assert.deepEqual(outcome, { net: 'blocked', file: 'blocked' });
  } finally {
    await wd('DELETE', s).catch(() => {});
  }
});
