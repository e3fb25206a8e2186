// The CLI and the page give the same JSON for the same operation: the page's WASM exports
// (pkg/, loaded here in Node and called exactly as www/worker.js calls them) against the
// `borderless` binary on the same demo files with the same options struct. Both call one
// pipeline function per operation, so the results must agree: strings, counts and structure
// exactly; numbers to 1e-9 relative (native and WebAssembly builds may round a transcendental
// function — sin, atan2, exp — differently in the last bit), 1e-6 for fits whose standard errors
// come from a numerical Hessian, which magnifies those bits. The tests print how many numbers
// differ at all and the largest relative difference.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { paths } from './harness.mjs';

const repo = join(paths.here, '..', '..');
const { demo } = paths;
const BASEMAP = join(paths.www, 'basemap', 'ne-asia-countries-10m.topo.json');
let core, est, bin;

before(async () => {
  core = await import(join(repo, 'pkg', 'borderless.js'));
  core.initSync({ module: readFileSync(join(repo, 'pkg', 'borderless_bg.wasm')) });
  // SECR and survey design are in the estimation module the worker loads on first use.
  est = await import(join(repo, 'pkg', 'estimate', 'borderless.js'));
  est.initSync({ module: readFileSync(join(repo, 'pkg', 'estimate', 'borderless_bg.wasm')) });
  // The CLI of the same sources (an up-to-date build is quick to check).
  const b = spawnSync('cargo', ['build', '-q', '-p', 'borderless', '--bin', 'borderless'], { cwd: repo, stdio: 'inherit' });
  assert.equal(b.status, 0, 'cargo build of the CLI');
  bin = join(repo, 'target', 'debug', 'borderless');
});

function cli(args) {
  const r = spawnSync(bin, args, { cwd: repo, encoding: 'utf8', maxBuffer: 256 << 20 });
  assert.equal(r.status, 0, `borderless ${args.join(' ')}\n${r.stderr}`);
  return JSON.parse(r.stdout);
}

const file = (name, path) => ({ name, bytes: new Uint8Array(readFileSync(path)) });
const DEMO = ['cn.zip', 'ru.zip', 'links.csv', 'border.geojson'];
const demoFiles = () => DEMO.map((f) => file(f, join(demo, f)));
const demoPaths = DEMO.map((f) => join(demo, f));

// Equal JSON: the same keys, strings and booleans; numbers equal to `rel`. Returns how many
// numbers differ at all (bit for bit) and the largest relative difference, as a sentence.
function sameJson(a, b, rel = 1e-9) {
  const seen = { differ: 0, numbers: 0, worst: 0 };
  compare(a, b, rel, '$', seen);
  return `${seen.differ} of ${seen.numbers} numbers differ in the last bits, by at most ${seen.worst.toExponential(1)} relative`;
}

function compare(a, b, rel, path, seen) {
  if (typeof a === 'number' && typeof b === 'number') {
    const d = a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
    assert.ok(d <= rel, `${path}: ${a} (page) vs ${b} (CLI)`);
    seen.numbers++;
    if (d > 0) { seen.differ++; seen.worst = Math.max(seen.worst, d); }
    return;
  }
  assert.equal(typeof a, typeof b, `${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  if (a === null || typeof a !== 'object') { assert.equal(a, b, path); return; }
  assert.equal(Array.isArray(a), Array.isArray(b), path);
  const keys = Object.keys(a).sort();
  assert.deepEqual(keys, Object.keys(b).sort(), `${path}: keys`);
  for (const k of keys) compare(a[k], b[k], rel, `${path}.${k}`, seen);
}

test('analyze: the page\'s analysis and JSON report equal the CLI\'s (run analyze, crossborder --json)', () => {
  const opts = { species: 'Panthera tigris altaica' };
  const page = core.analyze(demoFiles(), opts);
  const n = sameJson(page, cli(['run', 'analyze', ...demoPaths, '--options', JSON.stringify(opts)]));
  console.log(`measure: analyze: ${n}`);
  // The page's "Download JSON report" against `borderless crossborder --json`, the catalogs named
  // as the CLI names them (NAME=PATH: NAME.zip, catalog NAME).
  const named = [file('CN.zip', join(demo, 'cn.zip')), file('RU.zip', join(demo, 'ru.zip')),
    file('links.csv', join(demo, 'links.csv')), file('border.geojson', join(demo, 'border.geojson'))];
  const report = JSON.parse(core.exportJson(core.analyze(named, { catalog_names: { CN: 'CN', RU: 'RU' } })));
  const fromCli = cli(['crossborder', '--catalog', `CN=${join(demo, 'cn.zip')}`, '--catalog', `RU=${join(demo, 'ru.zip')}`,
    '--links', join(demo, 'links.csv'), '--border', join(demo, 'border.geojson'), '--json']);
  sameJson(report, fromCli);
  assert.equal(report.summary.unique_individuals, 45);
});

test('closed: fitClosed equals borderless run closed', () => {
  const opts = { occasion_days: 15 };
  const page = core.fitClosed(demoFiles(), opts);
  const n = sameJson(page, cli(['run', 'closed', ...demoPaths, '--options', JSON.stringify(opts)]));
  console.log(`measure: closed: ${n}`);
  assert.equal(page.animals, 45);
  assert.equal(page.models.length, 12);
});

test('secr on catalogs: fitSecr equals borderless run secr and borderless secr --catalog --json', () => {
  const opts = { secr: { occasion_days: 15, compare: ['HN', 'EX'] } };
  const page = est.fitSecr([...demoFiles(), { ...file('ne-asia-countries-10m.topo.json', BASEMAP), role: 'basemap' }], opts);
  const n = sameJson(page, cli(['run', 'secr', ...demoPaths, '--basemap', BASEMAP, '--options', JSON.stringify(opts)]), 1e-6);
  console.log(`measure: secr: ${n}`);
  assert.equal(page.n_animals, 45);
  assert.ok(page.n_per_country.some((c) => c.name === 'Russia'));
  // The classic command prints the same JSON for the same fit (catalogs named by the command line).
  const named = [file('CN.zip', join(demo, 'cn.zip')), file('RU.zip', join(demo, 'ru.zip')), file('links.csv', join(demo, 'links.csv')),
    { ...file('basemap', BASEMAP), role: 'basemap' }];
  const viaPage = est.fitSecr(named, { analysis: { catalog_names: { CN: 'CN', RU: 'RU' } } });
  const classic = cli(['secr', '--json', '--catalog', `CN=${join(demo, 'cn.zip')}`, '--catalog', `RU=${join(demo, 'ru.zip')}`,
    '--links', join(demo, 'links.csv'), '--basemap', BASEMAP]);
  sameJson(viaPage, classic, 1e-6);
  // Drawings only when asked for, in the asked language.
  assert.equal(page.drawings, undefined);
  const drawn = est.fitSecr([...demoFiles()], { ...opts, drawings: true, lang: 'ko' });
  assert.match(drawn.drawings.density_map, /^<svg/);
  assert.match(drawn.drawings.detection_chart, /카메라-일당 탐지 확률/);
});

test('design: designSurvey equals borderless run design (seeded replicates)', () => {
  const opts = { design: { d_per_100km2: 1.5, sigma_km: 3, g0: 0.02, replicates: 2, seed: 7, occasion_days: 15 } };
  const page = est.designSurvey([...demoFiles(), { ...file('ne-asia-countries-10m.topo.json', BASEMAP), role: 'basemap' }], opts);
  const n = sameJson(page, cli(['run', 'design', ...demoPaths, '--basemap', BASEMAP, '--options', JSON.stringify(opts)]));
  console.log(`measure: design: ${n}`);
  assert.equal(page.report.simulation.replicates, 2);
});
