// Every visible word in the chosen language (issue 12): for zh, ru, ko and mn the page is opened with
// the demo loaded (`?lang=xx`), every view is walked (the Estimates tabs too, with the closed-population
// fit run so its table shows, and Review with a candidate's evidence), and the visible text of the
// header and the current view is collected: innerText of the shown elements, title / aria-label /
// placeholder of visible elements, and the text inside inline SVG charts and maps. It is split into
// Latin-script words; every word that is not on the allow-list below fails the test, listed with its
// view and a bit of context. Screenshots: tests/e2e/out/english-<lang>-<view>.png — look at them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { paths, startServer, launch, openPage, showView } from './harness.mjs';

// Scientific names: genus and species words of the core's species list (crate/src/model/species.rs,
// which the page's pickers show via speciesList()).
const speciesSrc = readFileSync(join(paths.here, '..', '..', 'crate', 'src', 'model', 'species.rs'), 'utf8');
const SCIENTIFIC = new Set([...speciesSrc.matchAll(/sp!\("([^"]+)"/g)].flatMap((m) => m[1].split(/\s+/)));
// And the waterbirds' accepted scientific names (the taxonomy backbone the core ships): a species
// without a confirmed name in the language is shown by its scientific name, never a guess.
const taxonomy = readFileSync(join(paths.here, '..', '..', 'crate', 'src', 'waterbirds', 'data', 'taxonomy.tsv'), 'utf8');
for (const line of taxonomy.split('\n')) if (line.startsWith('S\t')) for (const w of line.split('\t')[1].split(/\s+/)) SCIENTIFIC.add(w);

// Names of methods, software, standards, file formats and authors cited, and of the closed-population
// models (Otis et al. 1978). Proper names are not translated; nothing here is an ordinary English word.
const NAMES = new Set([
  'Rcapture', 'closedp', 'secr', 'secrdesign', 'camtrapR', 'allelematch', 'overlap', 'GeoJSON', 'TopoJSON',
  'Shapefile', 'IndexedDB', 'Borderless', 'Burnham', 'Overton', 'Chao', 'Darroch', 'Poisson', 'Gamma', 'Karney',
  'Otis', 'Efford', 'Boulanger', 'Ridout', 'Linkie', 'Meredith', 'Rowcliffe', 'Huggins', 'Pledger', 'Royle',
  'M0', 'Mt', 'Mh', 'Mb', 'Mth', 'Mbh', 'Mtb', 'Mtbh', 'GeoTIFF',
]);
// Values of the loaded data, which the page shows as the user wrote them (like station IDs): the
// names and the complex of the SIMULATED waterbird demo's sites (its sites file, read here).
const sitesCsv = readFileSync(join(paths.www, 'demo', 'waterbirds', 'SIMULATED-tumen-sites.csv'), 'utf8');
const DATA = new Set(sitesCsv.split('\n').filter((l) => l && !l.startsWith('#') && !l.startsWith('site,'))
  .flatMap((l) => (l.match(/"([^"]*)"|,([^,"]+),\w+$/g) || []).join(' ').match(/[A-Za-z]+/g) || []));
// Names of two or more words (a standard, a data set), taken out of the text before it is split.
const PHRASES = ['Camtrap DP', 'Darwin Core', 'Natural Earth'];
// The language picker names each language in itself (its endonym), as language pickers do.
const ENDONYMS = new Set(['English']);
// Units (km, m, ha, km², h, min, d, s, dpi) and key caps (Esc).
const UNITS = new Set(['km', 'm', 'ha', 'h', 'min', 'd', 's', 'ms', 'dpi', 'Esc']);
// Codes in lower case: text-encoding labels (WHATWG Encoding Standard) and date-order codes.
const CODES = new Set(['gbk', 'big5', 'euc-kr', 'euc-jp', 'shift_jis', 'koi8-r', 'dmy', 'ymd', 'mdy']);

// File names and extensions (stations.csv, .zip) and the column names users type in their files
// (snake_case, camelCase, comma-separated header lists such as id,lat,lon, and "quoted" keys).
const FILE_NAME = /[\w./-]*\.(csv|tsv|json|geojson|topojson|zip|xlsx|xls|png|svg|md|txt|shp|html|pdf)\b/gi;
const QUOTED_KEY = /["“”„«»][A-Za-z_]+["“”„«»]/g;
const COLUMN = /^([A-Za-z]+_[A-Za-z_]+|[a-z]+[A-Z][A-Za-z]*|"[A-Za-z_]+")$/;

// A token (whitespace-separated) is allowed whole when it holds a digit (IDs, codes, numbers, dates)
// or is an encoding / date-order code. Otherwise each Latin word in it is allowed when it is: all
// capitals (codes: CN, RU, AIC, SE, CSV, JSON, UTM, HN…), a single letter (a mathematical symbol: N,
// D, p), a column name, a scientific name, a name, an endonym or a unit above.
function offending(text) {
  const bad = [];
  let rest = text.replace(FILE_NAME, ' ');
  for (const p of PHRASES) rest = rest.split(p).join(' ');
  rest = rest.replace(QUOTED_KEY, ' ');
  for (const raw of rest.split(/[\s()\u3000-\u303f\uff08-\uff1f]+/)) {
    const token = raw.replace(/^[([«“]+/, '').replace(/[)\].,;:!?»”…]+$/, '');
    if (!token || /\d/.test(token) || CODES.has(token.toLowerCase())) continue;
    if (/^\w+~/.test(token)) continue; // a model formula in secr's notation (D~rugged, g0~trail): code
    if (/^[A-Za-z_]+(,[A-Za-z_]+)+$/.test(token)) continue; // a header list: id,lat,lon
    for (const part of token.split(/[,;:()[\]{}/]+/)) {
      if (COLUMN.test(part) || CODES.has(part.toLowerCase())) continue;
      for (const w of part.match(/[A-Za-z\u00c0-\u024f]+/g) || []) {
        if (w.length === 1 || /^[A-Z]+$/.test(w) || SCIENTIFIC.has(w) || NAMES.has(w) || UNITS.has(w) || ENDONYMS.has(w) || DATA.has(w)) continue;
        bad.push(w);
      }
    }
  }
  return bad;
}

// Words that cannot be translated in time, each with its reason (reported to the lead). Empty when all is fixed.
const KNOWN = new Map([]);

const LANGS = ['zh', 'ru', 'ko', 'mn'];
const VIEWS = [
  ['data'], ['individuals'], ['map'], ['estimates', 'closed'], ['estimates', 'secr'], ['estimates', 'design'],
  ['review'], ['charts'], ['waterbirds'], ['public'],
];

let server, base, browser;
before(async () => {
  ({ server, base } = await startServer());
  browser = await launch();
});
after(async () => {
  await browser?.close();
  server?.close();
});

// The visible text under the header and the view's roots, as [{where, text}] (where: a short
// description of the element, used as context in the failure list).
function visibleText(rootSelectors) {
  const shown = (e) => {
    const r = e.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) return false;
    const s = getComputedStyle(e);
    return s.visibility !== 'hidden' && s.display !== 'none' && !e.closest('[hidden]');
  };
  const out = [];
  const roots = rootSelectors.flatMap((s) => [...document.querySelectorAll(s)]).filter(shown);
  for (const root of roots) {
    out.push({ where: root.id || root.tagName.toLowerCase(), text: root.innerText });
    for (const e of root.querySelectorAll('[title],[aria-label],[placeholder]')) {
      if (!shown(e)) continue;
      for (const a of ['title', 'aria-label', 'placeholder']) {
        const v = e.getAttribute(a);
        if (v) out.push({ where: `${e.id || e.tagName.toLowerCase()}[${a}]`, text: v });
      }
    }
    for (const svg of root.querySelectorAll('svg')) {
      if (!shown(svg)) continue;
      for (const e of svg.querySelectorAll('text, title, desc')) out.push({ where: `svg ${svg.closest('[id]')?.id || ''}`, text: e.textContent });
    }
    // The browser's own file-picker button ("Choose File") on a visible native file input.
    for (const e of root.querySelectorAll('input[type="file"]')) {
      const r = e.getBoundingClientRect();
      const clipped = getComputedStyle(e).clip === 'rect(0px, 0px, 0px, 0px)'; // .visually-hidden
      if (shown(e) && !clipped && r.width > 2 && r.height > 2) out.push({ where: `${e.id}[native file button]`, text: 'Choose File' });
    }
  }
  return out;
}

for (const lang of LANGS) {
  test(`no English word outside the allow-list in ${lang}`, { timeout: 600000 }, async () => {
    const { ctx, page, errors } = await openPage(browser, `${base}?lang=${lang}`, { context: { viewport: { width: 1440, height: 900 } } });
    await page.waitForSelector('body[data-state="done"]', { timeout: 120000 });
    const findings = [];
    const present = await page.$$eval('#views-nav a', (as) => as.filter((a) => a.getClientRects().length > 0).map((a) => a.getAttribute('href')));
    for (const [view, tab] of VIEWS) {
      if (view !== 'public' && !present.includes(`#/${view}`)) continue; // e.g. waterbirds, not shown yet
      let roots;
      if (view === 'public') {
        await page.click('#outreach-open');
        await page.waitForSelector('#outreach[data-ready]', { timeout: 60000 });
        await page.waitForTimeout(500);
        roots = ['header', '#outreach'];
      } else {
        await showView(page, view, tab);
        roots = ['header', `main section[data-view="${view}"]`];
        if (view === 'estimates' && tab === 'closed') {
          await page.click('#fit-closed');
          await page.waitForSelector('#closed-results table', { timeout: 120000 });
        }
        if (view === 'charts') await page.waitForSelector('#survey-charts-section[data-state="done"]', { state: 'attached', timeout: 120000 });
        if (view === 'review') {
          await page.waitForSelector('#identity-candidates li.candidate ul.evidence li', { timeout: 60000 });
          const first = page.locator('#identity-candidates li.candidate').first();
          const more = first.locator('details summary, button[aria-expanded="false"]').first();
          if (await more.count()) await more.click();
        }
        await page.waitForTimeout(300);
      }
      await page.screenshot({ path: join(paths.out, `english-${lang}-${view}${tab ? `-${tab}` : ''}.png`) });
      const texts = await page.evaluate(visibleText, roots);
      // The public view: every slide, by its Next button (the demo has a few).
      for (let k = 2; view === 'public' && k <= 8 && await page.isEnabled('#outreach-next').catch(() => false); k++) {
        const before = await page.textContent('#outreach');
        await page.click('#outreach-next');
        await page.waitForFunction((b) => document.getElementById('outreach').textContent !== b, before, { timeout: 5000 }).catch(() => {});
        await page.waitForTimeout(300);
        if (await page.textContent('#outreach') === before) break;
        await page.screenshot({ path: join(paths.out, `english-${lang}-public-${k}.png`) });
        texts.push(...await page.evaluate(visibleText, roots));
      }
      for (const { where, text } of texts) {
        for (const w of new Set(offending(text))) {
          if (KNOWN.has(w)) continue;
          const i = text.indexOf(w);
          findings.push(`${view}${tab ? `/${tab}` : ''} ${where}: "${w}" in …${text.slice(Math.max(0, i - 30), i + w.length + 30).replace(/\s+/g, ' ')}…`);
        }
      }
    }
    assert.deepEqual(errors, []);
    await ctx.close();
    assert.deepEqual(findings, [], `${findings.length} English word(s) in ${lang}:\n${findings.join('\n')}`);
  });
}
