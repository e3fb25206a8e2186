// The page shell. All analysis and drawing is in the Rust core, run in a worker through the
// bridge (bridge.js); this thread only shows results and calls the core's exporters.
import { core, worker, asset, registerOffline } from './bridge.js';
import { t, has as hasString, lang, onLangChange, fmtNumber, fmtPercent, fmtDateTime, languageSelect, useCoreMessages, coreText, coreTexts } from './i18n.js';
import * as outreach from './outreach.js';
import { speciesSuggestions } from './species.js';
import { setupIdentity } from './identity.js';
import { cancelCharts, fitChart, initChartsView, refreshCharts, setSecrEstimates, updateCharts } from './chartsview.js';
import { showMap, fitMap } from './mapview.js';
import { setupNav, publicLeft, onViewChange } from './nav.js';
import { enhanceTable } from './table.js';
import { setupSnowDemo } from './snowdemo.js';
import { initWaterbirds, waterbirdFiles } from './waterbirds.js';

// Elements of the expert part stay reachable while the outreach mode has taken it out of the document.
const $ = (id) => document.getElementById(id) || outreach.detached(id);
const DEMO = ['demo/cn.zip', 'demo/ru.zip', 'demo/links.csv', 'demo/border.geojson'];
const mainWorker = worker('main'); // analyses, estimates, drawings, the public view
let lastFiles = [];       // what was analysed last: [{name, file|bytes}]
let lastAnalysis = null;
let lastMapSvg = '';
let lastCharts = null;
let lastStatus = null;    // {key, vars} of the status line, re-translated when the language changes
let lastDataset = null;   // {label, names} of the data set named in the header
let lastEstimates = {};   // {closed, secr, design: [design, source]} shown last, re-rendered in a new language
let encodingOverrides = {}; // {file name as its report shows it: encoding label}, chosen in the parse report
// The encodings a user can choose for a file (WHATWG labels the core reads), beside "detect".
const ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'gb18030', 'gbk', 'big5', 'windows-1251', 'koi8-r', 'euc-kr', 'shift_jis', 'windows-1252'];

// Status line: a key and its variables (re-translated on a language change). Variables that are
// themselves keys are written {label: {key}}.
function setStatus(key, vars) {
  lastStatus = { key, vars };
  const v = vars && Object.fromEntries(Object.entries(vars).map(([k, x]) => [k, x && x.key ? t(x.key) : x]));
  $('status').textContent = t(key, v);
}

// The Rust-drawn map and charts are drawn in the page's language.
const drawOptions = () => ({ lang: lang() });
let identity = null;      // the cross-border identity panel (identity.js)

// A stage of the core's progress ({code: 'pipeline.stage.x', params}) as this page's string
// core.stage.x; a stage the page has no string for shows its code.
function showProgress({ stage, fraction }) {
  $('progress').value = fraction;
  const key = `core.stage.${String(stage.code).split('.').pop()}`;
  if (hasString(key)) setStatus(key, stage.params);
  else { lastStatus = null; $('status').textContent = stage.code; }
}

// One run at a time in the main worker: a new run replaces (cancels) the one in progress.
// `onPartial` gets a first part of the result (the analysis before its drawings).
function runInWorker(op, payload, onPartial) {
  if (mainWorker.busy) mainWorker.cancel(t('core.status.replaced'));
  $('cancel').disabled = false;
  return mainWorker.call(op, payload, { onProgress: showProgress, onPartial });
}

function cancel(why = t('core.status.cancelled')) {
  mainWorker.cancel(why);
}

function options() {
  const o = { catalog_names: {} };
  const v = (id) => $(id).value.trim();
  if (v('opt-species')) o.species = v('opt-species');
  if (v('opt-crs')) o.crs = v('opt-crs');
  if (v('opt-offset')) o.utc_offset = v('opt-offset');
  if (v('opt-datefmt')) o.date_format = v('opt-datefmt');
  for (const input of document.querySelectorAll('#catalog-names input[data-source]')) {
    if (input.value.trim()) o.catalog_names[input.dataset.source] = input.value.trim();
  }
  if (Object.keys(encodingOverrides).length) o.encodings = { ...encodingOverrides };
  return o;
}

// Options of the estimates: the expert's decisions (identity panel) apply over the files' links,
// so closed models, SECR and design use the joint catalog as reviewed.
function reviewedOptions() {
  const o = options();
  const decisions = identity ? identity.decisions() : [];
  if (decisions.length) o.decisions = decisions;
  return o;
}

// `label` is a key of the string table (core.label.*).
async function analyse(files, label) {
  // The same files again (re-run, another encoding): the same data set name (the demo stays the demo).
  const datasetLabel = files === lastFiles && lastDataset ? lastDataset.label : label;
  if (files !== lastFiles) encodingOverrides = {}; // new files: detect their encodings afresh
  lastFiles = files;
  cancelCharts();
  setSecrEstimates([], false);
  $('loaded-files').replaceChildren(...files.map((f) => li(f.name)));
  showDataset(datasetLabel, files.map((f) => f.name));
  setStatus('core.status.reading', { n: files.length });
  $('progress').value = 0;
  document.body.dataset.state = 'busy';
  try {
    // The analysis comes first (a partial result): its summary is shown while the worker draws.
    let first = null;
    const r = await runInWorker('analyze', { files, options: options(), draw: outreach.active() ? null : drawOptions() },
      ({ analysis: a }) => { first = a; if (!outreach.active()) showSummary(a); });
    const analysis = r.analysis || first; // with drawings, the analysis came only as the partial result
    const { mapSvg, charts } = r;
    lastAnalysis = analysis; lastMapSvg = mapSvg || ''; lastCharts = charts || null; lastEstimates = {};
    if (outreach.active()) await outreach.show(analysis);
    else {
      const shown = show(analysis, mapSvg, charts);
      identity.open(files, options()); // the review session is read in its worker meanwhile
      await shown;
    }
    setStatus('core.status.done', { label: { key: label } });
    $('progress').value = 1;
    document.body.dataset.state = 'done';
    if (!outreach.active()) updateCharts(files, reviewedOptions());
  } catch (e) {
    setStatus('core.status.failed', { label: { key: label }, message: e.message });
    document.body.dataset.state = 'error';
  } finally {
    $('cancel').disabled = true;
  }
}

// The header's data set: the demo by its name, files by their names (the first two, then how
// many more). Also called again in a new language.
function showDataset(label, names) {
  lastDataset = { label, names };
  const e = $('dataset-name');
  delete e.dataset.i18n; // from now on the data set's name, not "none loaded yet"
  let text = names.slice(0, 2).join(', ');
  if (label === 'core.label.demo') text = t(label);
  else if (names.length > 2) text = t('nav.files_more', { names: text, n: names.length - 2 });
  e.textContent = text;
  e.title = names.join('\n');
}

function li(text, cls) { const e = document.createElement('li'); e.textContent = text; if (cls) e.className = cls; return e; }
function el(tag, text, cls) { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; }

// A right-aligned cell showing `text` that sorts by the number `raw` (table.js).
function numCell(text, raw) {
  const td = el('td', text, 'num');
  if (raw !== null && raw !== undefined && Number.isFinite(Number(raw))) td.dataset.sort = String(raw);
  return td;
}

// A cell showing an ISO 8601 time in the page's language that sorts by the time it means.
function timeCell(iso) {
  const td = el('td', fmtDateTime(iso), 'time');
  const ms = Date.parse(iso);
  if (Number.isFinite(ms)) td.dataset.sort = String(ms);
  return td;
}

function card(value, label, cls, key) {
  // value: a number (formatted for the locale) or text.
  const c = el('div', undefined, `card ${cls || ''}`);
  c.dataset.key = key;
  c.append(el('div', typeof value === 'number' ? fmtNumber(value) : String(value), 'value'), el('div', label, 'label'));
  return c;
}

// Lets the browser paint and handle input between the parts of a large update, so that no part
// of it blocks the page for long.
const yieldToPage = () => (globalThis.scheduler && scheduler.yield ? scheduler.yield() : new Promise((r) => setTimeout(r, 0)));
let showing = 0;          // a newer show() makes an older one stop between its parts

// Shows an analysis in the expert view, in parts (summary; map and charts; joint catalog; parse
// report and the rest), yielding to the page between them; resolves when all are shown.
// `keepEstimates`: a language change re-renders the estimates shown last instead of clearing them.
async function show(a, mapSvg, charts, keepEstimates = false) {
  if (outreach.active()) return; // the outreach mode never shows expert maps or tables
  const seq = ++showing;
  // (The charts of the analysis are those of the survey charts panel, chartsview.js: none here.)
  const steps = [() => showSummary(a), () => showStaticMap(mapSvg),
    () => showInteractiveMap(a), () => showCatalog(a), () => showReports(a, keepEstimates)];
  for (const [k, step] of steps.entries()) {
    if (k > 0) await yieldToPage();
    if (seq !== showing || outreach.active()) return;
    await step();
  }
}

// The summary cards (also shown on their own as soon as an analysis arrives).
function showSummary(a) {
  if (outreach.active()) return;
  const sim = a.simulated;
  $('simulated-banner').hidden = !sim;
  document.querySelector('.sim-tag').hidden = !sim;
  const s = a.crossborder.summary;
  const cards = [
    card(s.unique_individuals, t('core.card.unique'), '', 'unique'),
    card(s.transboundary_individuals, t('core.card.transboundary'), '', 'transboundary'),
  ];
  for (const [name, n] of Object.entries(s.national_counts)) cards.push(card(n, t('core.card.national', { name }), '', `national-${name}`));
  cards.push(card(s.sum_of_national_counts, t('core.card.sum'), '', 'sum'));
  cards.push(card(s.overcount_percent === null ? t('core.na') : fmtPercent(s.overcount_percent, 1),
    t('core.card.overcount'), 'highlight', 'overcount'));
  $('summary').replaceChildren(...cards);
  $('summary-section').hidden = false;
}

// The static SVG map (one element per detection: on its own, it is the largest part to parse;
// 42,000 detections are some 130,000 elements). A large detections layer is parsed in parts of
// about STATIC_MAP_PART characters, yielding to the page between them, so that no single task
// parses it all (it sits in a closed <details>: parsing is its whole cost).
const STATIC_MAP_PART = 50_000;
let staticMapSeq = 0;
async function showStaticMap(mapSvg) {
  const seq = ++staticMapSeq;
  const figure = $('map');
  const open = '<g data-layer="detections">';
  const from = mapSvg.indexOf(open) + open.length;
  const to = from >= open.length ? mapSvg.indexOf('</g>', from) : -1;
  const large = to - from > STATIC_MAP_PART;
  figure.innerHTML = large ? mapSvg.slice(0, from) + mapSvg.slice(to) : mapSvg;
  const mapSvgEl = figure.querySelector('svg');
  if (mapSvgEl) { mapSvgEl.setAttribute('role', 'img'); mapSvgEl.setAttribute('aria-label', t('core.map.alt')); }
  $('map-section').hidden = false;
  if (!large) return;
  const layer = figure.querySelector('[data-layer="detections"]');
  const range = document.createRange();
  range.selectNodeContents(layer); // parsed in the SVG namespace, as inside the layer
  for (let at = from; at < to;) {
    await yieldToPage();
    if (seq !== staticMapSeq) return; // a newer map is shown meanwhile
    const cut = mapSvg.indexOf('</circle>', Math.min(at + STATIC_MAP_PART, to - 1));
    const end = cut < 0 || cut >= to ? to : cut + '</circle>'.length;
    layer.append(range.createContextualFragment(mapSvg.slice(at, end)));
    at = end;
  }
}

// The interactive map (the core's MapView on this thread); resolves when it is drawn.
function showInteractiveMap(a) {
  return showMap(a, lastFiles).catch((e) => { $('map-status').textContent = `map: ${e.message}`; });
}

// The joint catalog and its conflicts.
function showCatalog(a) {
  const sim = a.simulated;
  const names = a.catalogs.map((c) => c.name);
  const head = el('tr');
  head.append(el('th', t('core.ind.joint')), ...names.map((n) => el('th', t('core.ind.id_in', { name: n }))),
    ...names.map((n) => el('th', t('core.ind.detections', { name: n }), 'num')), el('th', t('core.ind.crossings'), 'num'),
    el('th', t('core.ind.max_km'), 'num'), el('th', t('core.ind.first')), el('th', t('core.ind.last')));
  const rows = a.crossborder.individuals.map((i) => {
    const tr = el('tr');
    const tb = Object.values(i.detections).filter((v) => v > 0).length > 1;
    if (tb) tr.className = 'transboundary';
    tr.append(el('td', i.id), ...names.map((n) => el('td', i.national_ids[n] || '—')),
      ...names.map((n) => numCell(fmtNumber(i.detections[n] || 0), i.detections[n] || 0)),
      numCell(i.ambiguous_crossings ? `${fmtNumber(i.crossings)}–${fmtNumber(i.max_crossings)}` : fmtNumber(i.crossings), i.crossings),
      numCell(fmtNumber(i.max_distance_from_border_km, 2), i.max_distance_from_border_km),
      timeCell(i.first_seen), timeCell(i.last_seen));
    return tr;
  });
  const nInd = a.crossborder.individuals.length;
  const caption = el('caption', sim ? t('core.ind.caption_sim') : t('core.ind.caption', { n: nInd, count: fmtNumber(nInd) }));
  $('individuals').replaceChildren(caption, head, ...rows);
  enhanceTable($('individuals'), { filter: true });
  $('conflicts').replaceChildren(...(a.conflicts.length
    ? [el('p', t('core.ind.conflicts', { n: a.conflicts.length, count: fmtNumber(a.conflicts.length) })), el('ul')] : []));
  if (a.conflicts.length) {
    $('conflicts').querySelector('ul').replaceChildren(...a.conflicts.map((c) => li(t('core.ind.conflict', { row: c.row, reason: c.reason }), 'error')));
  }
  $('individuals-section').hidden = false;
}

// The parse report, the estimates section, downloads and catalog names.
function showReports(a, keepEstimates) {
  const rh = el('tr');
  rh.append(el('th', t('core.rep.file')), el('th', t('core.rep.kind')), el('th', t('core.rep.read'), 'num'), el('th', t('core.rep.used'), 'num'),
    el('th', t('core.rep.skipped'), 'num'), el('th', t('core.rep.rejected'), 'num'), el('th', t('core.rep.encoding')));
  const rr = a.reports.map((r) => {
    const tr = el('tr');
    const skipped = r.rows_skipped.reduce((t, [, n]) => t + n, 0);
    const skippedText = r.rows_skipped.map(([, n], k) => `${n}: ${skipReason(r, k)}`).join('; ');
    const td = numCell(fmtNumber(skipped), skipped); td.title = skippedText;
    tr.append(el('td', r.file), el('td', kindText(r.kind)), numCell(fmtNumber(r.rows_read), r.rows_read), numCell(fmtNumber(r.rows_used), r.rows_used),
      td, numCell(fmtNumber(r.rows_rejected), r.rows_rejected), encodingCell(r));
    return tr;
  });
  $('reports').replaceChildren(rh, ...rr);
  enhanceTable($('reports'), { filter: true });
  const all = a.reports.flatMap((r) => r.issues);
  const texts = coreTexts(all, (i) => i.message); // one call to the core for every issue
  const issues = all.map((i, k) => li(issueText(i, texts[k]), i.severity));
  const skips = a.reports.flatMap((r) => r.rows_skipped.map(([, n], k) => li(t('core.rep.skipped_line', { file: r.file, n, count: fmtNumber(n), why: skipReason(r, k) }), 'note')));
  $('issues').replaceChildren(...issues, ...skips);

  for (const id of ['summary-section', 'map-section', 'individuals-section', 'reports-section', 'estimate-section']) $(id).hidden = false;
  if (keepEstimates) {
    if (lastEstimates.closed) showClosed(lastEstimates.closed);
    if (lastEstimates.secr) showSecr(lastEstimates.secr);
    if (lastEstimates.design) showDesign(...lastEstimates.design);
  } else {
    $('closed-results').replaceChildren();
    $('secr-results').replaceChildren();
    $('design-results').replaceChildren();
  }
  for (const id of ['dl-json', 'dl-csv', 'dl-map', 'dl-report']) $(id).disabled = false;
  renderCatalogNames(a);
}

// A text file's encoding as read, and a picker to read it in another one (the analysis runs
// again with the file's override in the options).
function encodingCell(r) {
  const cell = el('td', undefined, 'encoding');
  if (!r.encoding && !encodingOverrides[r.file]) return cell;
  const pick = document.createElement('select');
  pick.dataset.file = r.file;
  pick.setAttribute('aria-label', t('core.rep.enc_choose', { file: r.file }));
  const auto = el('option', t('core.rep.enc_auto'));
  auto.value = '';
  pick.append(auto, ...ENCODINGS.map((e) => { const o = el('option', e); o.value = e; return o; }));
  pick.value = encodingOverrides[r.file] || '';
  pick.addEventListener('change', () => {
    if (pick.value) encodingOverrides[r.file] = pick.value;
    else delete encodingOverrides[r.file];
    if (lastFiles.length) analyse(lastFiles, 'core.label.encoding');
  });
  cell.append(el('span', r.encoding || '—', 'enc-used'), ' ', pick);
  return cell;
}

async function estimateClosed() {
  if (!lastFiles.length) return;
  const days = Number($('occasion-days').value);
  setStatus('core.closed.running');
  $('progress').value = 0;
  try {
    const closed = await runInWorker('closed', { files: lastFiles, options: { analysis: reviewedOptions(), occasion_days: days } });
    lastEstimates.closed = closed;
    showClosed(closed);
    setStatus('core.status.done', { label: { key: 'core.label.closed' } });
    $('progress').value = 1;
  } catch (e) {
    $('closed-results').replaceChildren(el('p', t('core.err.fit', { message: e.message }), 'error'));
    setStatus('core.status.failed', { label: { key: 'core.label.closed' }, message: e.message });
  } finally {
    $('cancel').disabled = true;
  }
}

const fmt = (x, d = 1) => fmtNumber(x, d);

function showClosed(c) {
  const sim = lastAnalysis && lastAnalysis.simulated ? t('core.closed.sim') : '';
  const intro = el('p', t('core.closed.intro', { animals: fmtNumber(c.animals), occasions: fmtNumber(c.occasions),
    days: fmtNumber(c.occasion_days), sim, sum: fmtNumber(c.sum_of_national_counts) }));
  const head = el('tr');
  head.append(el('th', t('core.th.model')), el('th', 'N̂', 'num'), el('th', t('core.th.se'), 'num'), el('th', t('core.th.ci'), 'num'),
    el('th', t('core.th.deviance'), 'num'), el('th', t('core.th.df'), 'num'), el('th', 'AIC', 'num'), el('th', 'BIC', 'num'), el('th', t('core.th.notes')));
  const rows = c.models.map((m) => {
    const tr = el('tr');
    tr.dataset.model = m.model;
    if (m.model === c.best_by_aic) tr.className = 'best';
    if (!m.fit) { tr.append(el('td', m.model), el('td', m.error)); return tr; }
    const f = m.fit;
    const notes = [f.converged ? '' : t('core.closed.not_converged', { why: f.termination }), ...(f.warnings || [])].filter(Boolean).join('; ');
    tr.append(el('td', m.model + (m.model === c.best_by_aic ? t('core.closed.lowest_aic') : '')), el('td', fmt(f.N), 'num'),
      el('td', fmt(f.se), 'num'), el('td', f.lcl === null ? '—' : `${fmt(f.lcl)}–${fmt(f.ucl)}`, 'num'),
      el('td', fmt(f.deviance, 2), 'num'), el('td', fmtNumber(f.df), 'num'), el('td', fmt(f.aic, 2), 'num'),
      el('td', fmt(f.bic, 2), 'num'), el('td', notes));
    return tr;
  });
  const j = c.jackknife;
  const jr = el('tr');
  jr.dataset.model = 'jackknife';
  jr.append(el('td', t('core.closed.jackknife', { order: j.selected_order })), el('td', fmt(j.N), 'num'), el('td', fmt(j.se), 'num'),
    el('td', j.lcl === null ? '—' : `${fmt(j.lcl)}–${fmt(j.ucl)}`, 'num'), el('td', '—', 'num'), el('td', '—', 'num'),
    el('td', '—', 'num'), el('td', '—', 'num'), el('td', (j.warnings || []).join('; ')));
  const table = el('table');
  table.id = 'closed-table';
  table.replaceChildren(head, ...rows, jr);
  $('closed-results').replaceChildren(intro, table);
  enhanceTable(table);
}

async function estimateSecr() {
  if (!lastFiles.length) return;
  const num = (id) => ($(id).value.trim() === '' ? null : Number($(id).value));
  const secrOptions = {
    occasion_days: Number($('occasion-days').value),
    detector: $('secr-detector').value,
    detectfn: $('secr-detectfn').value,
    buffer_m: num('secr-buffer') * 1000,
    spacing_m: num('secr-spacing') === null ? null : num('secr-spacing') * 1000,
    conditional: $('secr-cl').checked,
    usage: $('secr-usage').value,
    compare: $('secr-compare').checked ? ['HN', 'HHN', 'EX', 'HEX'] : [],
    group_by: $('secr-groups').value || null,
    vary: { sigma: $('secr-vary-sigma').checked, g0: $('secr-vary-g0').checked, D: $('secr-vary-d').checked },
    formulas: $('secr-model').value.trim() ? [$('secr-model').value.trim()] : [],
  };
  setStatus('core.secr.running');
  $('progress').value = 0;
  try {
    // Habitat and regions polygons and a covariate raster go with the files, named for the part they play.
    const polygons = ['habitat', 'regions', 'covariate'].filter((role) => $(`secr-${role}`).files.length)
      .map((role) => { const file = $(`secr-${role}`).files[0]; return { name: file.name, file, role }; });
    const secr = await runInWorker('secr', { files: [...lastFiles, ...polygons],
      options: { analysis: reviewedOptions(), secr: secrOptions, drawings: true, lang: lang() } });
    lastEstimates.secr = secr;
    setSecrEstimates(secr.n_per_country.map((c) => ({
      label: `SECR ${c.name}`, kind: 'secr', estimate: c.n.estimate, lcl: c.n.lcl ?? null, ucl: c.n.ucl ?? null,
    })));
    showSecr(secr);
    setStatus('core.status.done', { label: { key: 'core.label.secr' } });
    $('progress').value = 1;
  } catch (e) {
    $('secr-results').replaceChildren(el('p', t('core.err.fit', { message: e.message }), 'error'));
    setStatus('core.status.failed', { label: { key: 'core.label.secr' }, message: e.message });
  } finally {
    $('cancel').disabled = true;
  }
}

function paramRow(name, p, scale = 1, digits = 3, key = name) {
  const tr = el('tr');
  tr.dataset.param = key;
  const f = (x) => (x === null || x === undefined ? '—' : fmtNumber(x * scale, digits));
  tr.append(el('td', name), el('td', f(p.estimate), 'num'), el('td', f(p.se), 'num'), el('td', `${f(p.lcl)}–${f(p.ucl)}`, 'num'));
  return tr;
}

function showSecr(r) {
  const f = r; // the fit's fields are at the top level of the result (as the CLI prints them)
  const sim = lastAnalysis && lastAnalysis.simulated ? t('core.secr.sim') : '';
  const head = el('tr');
  head.append(el('th', t('core.th.parameter')), el('th', t('core.th.estimate'), 'num'), el('th', t('core.th.se'), 'num'), el('th', t('core.th.ci'), 'num'));
  const params = el('table');
  params.id = 'secr-params';
  const g = f.g0 ? ['g0', f.g0] : ['lambda0', f.lambda0];
  params.replaceChildren(head, paramRow(t('core.secr.p_d') + (f.d_derived ? t('core.secr.derived') : ''), f.D, 10000, 2, 'D'),
    paramRow(g[0], g[1], 1, 4), paramRow(t('core.secr.p_sigma'), f.sigma, 0.001, 2, 'sigma'), ...(f.z ? [paramRow('z', f.z)] : []));
  const summary = el('p', t('core.secr.summary', { animals: fmtNumber(f.n_animals), detections: fmtNumber(f.n_detections),
    detectors: fmtNumber(r.detectors), occasions: fmtNumber(r.occasions), zone: r.utm_zone,
    cells: fmtNumber(f.mask_points), area: fmtNumber(f.mask_area_ha / 100, 0), loglik: fmtNumber(f.loglik, 3),
    form: f.likelihood_form || '', aic: fmtNumber(f.aic, 2), aicc: fmtNumber(f.aicc, 2), termination: f.termination,
    iterations: fmtNumber(f.iterations), sim }));
  summary.id = 'secr-summary';
  const nh = el('tr');
  nh.append(el('th', t('core.secr.th_region')), el('th', t('core.secr.th_area'), 'num'), el('th', t('core.secr.th_n'), 'num'),
    el('th', t('core.th.se'), 'num'), el('th', t('core.th.ci'), 'num'));
  const ntab = el('table');
  ntab.id = 'secr-n';
  ntab.replaceChildren(nh, ...[...r.n_per_country, ...r.n_per_region].map((c) => {
    const tr = el('tr');
    tr.dataset.country = c.name;
    tr.append(el('td', c.name), el('td', fmtNumber(c.area_km2, 0), 'num'), el('td', fmt(c.n.estimate), 'num'),
      el('td', fmt(c.n.se), 'num'), el('td', c.n.lcl === null ? '—' : `${fmt(c.n.lcl)}–${fmt(c.n.ucl)}`, 'num'));
    return tr;
  }));
  const mh = el('tr');
  mh.append(el('th', t('core.secr.th_detectfn')), el('th', t('core.secr.th_loglik'), 'num'), el('th', 'AIC', 'num'), el('th', 'AICc', 'num'),
    el('th', 'ΔAIC', 'num'), el('th', t('core.secr.p_d'), 'num'), el('th', t('core.th.notes')));
  const mtab = el('table');
  mtab.id = 'secr-models';
  mtab.replaceChildren(mh, ...r.models.map((m) => {
    const tr = el('tr');
    tr.append(el('td', m.detectfn), el('td', fmt(m.loglik, 3), 'num'), el('td', fmt(m.aic, 2), 'num'), el('td', fmt(m.aicc, 2), 'num'),
      el('td', fmt(m.delta_aic, 2), 'num'), el('td', fmt(m.d_per_100km2, 3), 'num'),
      el('td', m.error || (m.converged ? '' : t('core.secr.not_converged'))));
    return tr;
  }));
  const groupParts = [];
  if (f.groups) {
    const gh = el('tr');
    gh.append(el('th', t('core.secr.th_group')), el('th', t('core.secr.th_animals'), 'num'), el('th', t('core.secr.th_d_ci'), 'num'),
      el('th', t('core.secr.th_g0_ci', { name: g[0] }), 'num'), el('th', t('core.secr.th_sigma_ci'), 'num'));
    const ci = (p, s, d) => `${fmtNumber(p.estimate * s, d)} (${p.lcl === null ? '—' : fmtNumber(p.lcl * s, d)}–${p.ucl === null ? '—' : fmtNumber(p.ucl * s, d)})`;
    const gt = el('table');
    gt.id = 'secr-groups-table';
    gt.replaceChildren(gh, ...f.groups.map((x) => {
      const tr = el('tr');
      tr.dataset.group = x.group;
      tr.append(el('td', x.group), el('td', fmtNumber(x.n_animals), 'num'), el('td', ci(x.D, 10000, 2), 'num'),
        el('td', ci(x.g0 || x.lambda0, 1, 4), 'num'), el('td', ci(x.sigma, 0.001, 2), 'num'));
      return tr;
    }));
    groupParts.push(el('h4', t('core.secr.groups')), gt);
  }
  const notes = el('ul');
  notes.replaceChildren(...[...r.notes, ...(f.warnings || [])].map((n) => li(n, 'note')));
  const figs = el('div', undefined, 'charts');
  const fig1 = el('figure'); fig1.id = 'secr-detection-chart'; fig1.innerHTML = r.drawings.detection_chart;
  const fig2 = el('figure'); fig2.id = 'secr-density-map'; fig2.innerHTML = r.drawings.density_map;
  figs.append(fig1, fig2);
  for (const [fig, alt] of [[fig1, t('core.secr.alt_curve', { fn: r.options.detectfn })],
    [fig2, t('core.secr.alt_density', { d: fmtNumber(f.D_per_100km2, 2) })]]) {
    const svg = fig.querySelector('svg'); if (svg) { svg.setAttribute('role', 'img'); svg.setAttribute('aria-label', alt); }
  }
  $('secr-results').replaceChildren(summary, params, el('h4', t('core.secr.h_n')), ntab,
    ...groupParts, el('h4', t('core.secr.h_models')), mtab, notes, figs);
  fitChart(fig1); fitChart(fig2); // their smallest text at least the page's small text size
  enhanceTable(ntab);
  enhanceTable(mtab);
}

async function runDesign() {
  const num = (id) => ($(id).value.trim() === '' ? null : Number($(id).value));
  const designOptions = {
    d_per_100km2: num('design-d'),
    detectfn: $('design-detectfn').value,
    g0: num('design-g0'),
    sigma_km: num('design-sigma'),
    z: num('design-z'),
    detector: $('design-detector').value,
    n_occasions: num('design-occasions'),
    replicates: num('design-replicates') || 0,
    seed: num('design-seed') || 0,
    buffer_m: num('design-buffer') === null ? null : num('design-buffer') * 1000,
    utm: $('design-utm').value.trim() || null,
  };
  const file = $('design-layout').files[0];
  const layout = file ? { name: file.name, file } : undefined;
  if (!layout && !lastFiles.length) {
    $('design-results').replaceChildren(el('p', t('core.design.need_input'), 'error'));
    return;
  }
  setStatus('core.design.running');
  $('progress').value = 0;
  try {
    const files = layout ? [{ ...layout, role: 'layout' }] : lastFiles;
    const design = await runInWorker('design', { files, options: { analysis: reviewedOptions(), design: designOptions } });
    lastEstimates.design = [design, layout ? file.name : null];
    showDesign(design, layout ? file.name : null);
    setStatus('core.status.done', { label: { key: 'core.label.design' } });
    $('progress').value = 1;
  } catch (e) {
    $('design-results').replaceChildren(el('p', t('core.design.err', { message: e.message }), 'error'));
    setStatus('core.status.failed', { label: { key: 'core.label.design' }, message: e.message });
  } finally {
    $('cancel').disabled = true;
  }
}

// source: the layout file's name, or null for the loaded stations.
function showDesign(d, source) {
  const r = d.report;
  const e = r.expected;
  const s = r.simulation;
  const pct = (x) => (x === null || x === undefined ? '—' : fmtPercent(x * 100, 1));
  const summary = el('p', t('core.design.summary', { source: source === null ? t('core.design.loaded') : source,
    detectors: fmtNumber(r.detectors), zone: d.utm_zone, occasions: fmtNumber(r.options.n_occasions), cells: fmtNumber(r.mask_points),
    buffer: fmtNumber(d.buffer_m / 1000, 1), area: fmtNumber(r.mask_area_km2, 0), animals: fmt(e.animals_in_mask),
    d: fmt(r.d_per_100km2, 2) }));
  summary.id = 'design-summary';
  const head = el('tr');
  head.append(el('th', t('core.design.th_quantity')), el('th', t('core.design.th_expected'), 'num'),
    ...(s ? [el('th', t('core.design.th_simulated', { n: s.replicates }), 'num'), el('th', t('core.design.th_sd'), 'num')] : []));
  const row = (key, name, exp, sum, digits = 1) => {
    const tr = el('tr');
    tr.dataset.quantity = key;
    tr.append(el('td', name), el('td', exp, 'num'));
    if (s) tr.append(el('td', sum ? fmt(sum.mean, digits) : '—', 'num'), el('td', sum ? fmt(sum.sd, digits) : '—', 'num'));
    return tr;
  };
  const rows = [
    row('n', t('core.design.row_n'), fmt(e.n), s && s.n),
    row('r', t('core.design.row_r'), fmt(e.r), s && s.r),
    row('m', t('core.design.row_m'), fmt(e.m), s && s.m),
    row('rse', t('core.design.row_rse'), pct(e.rse_d), null),
  ];
  const table = el('table');
  table.id = 'design-table';
  table.replaceChildren(head, ...rows);
  const parts = [summary, wrap(table)];
  if (s) {
    const sh = el('tr');
    sh.append(el('th', t('core.design.th_true_d'), 'num'), el('th', t('core.design.th_mean_d'), 'num'), el('th', t('core.design.th_rse'), 'num'),
      el('th', t('core.design.th_fitted_rse'), 'num'), el('th', t('core.design.th_bias'), 'num'), el('th', t('core.design.th_coverage'), 'num'),
      el('th', t('core.design.th_fits'), 'num'));
    const tr = el('tr');
    const cell = (key, text) => { const td = el('td', text, 'num'); td.dataset.key = key; return td; };
    tr.append(cell('d-true', fmt(r.d_per_100km2, 2)), cell('d-hat', fmt(s.d_hat_per_100km2, 2)), cell('rse', pct(s.rse_d)),
      cell('rse-fitted', pct(s.mean_estimated_rse_d)), cell('bias', pct(s.relative_bias)), cell('coverage', pct(s.coverage)),
      cell('fitted', t('core.design.of', { a: fmtNumber(s.fitted), b: fmtNumber(s.replicates) })));
    const st = el('table');
    st.id = 'design-sim-table';
    st.replaceChildren(sh, tr);
    parts.push(el('h4', t('core.design.h_sim', { seed: r.options.seed })), wrap(st));
  }
  const notes = el('ul');
  const failed = s ? s.failures.map((f) => li(t('core.design.failed', { n: f.count, count: fmtNumber(f.count), of: fmtNumber(s.replicates), reason: f.reason }), 'note')) : [];
  const codes = d.notes_codes || [];
  const noteTexts = codes.length === d.notes.length ? coreTexts(codes, (m, k) => d.notes[k]) : d.notes; // the page's language
  notes.replaceChildren(...noteTexts.map((n) => li(n, 'note')), ...failed);
  $('design-results').replaceChildren(...parts, notes);
}

function wrap(table) { const w = el('div', undefined, 'table-wrap'); w.append(table); return w; }

// The reason of a file report's k-th kind of skipped rows, in the page's language (its message
// code when the core gave one, otherwise its English text).
function skipReason(r, k) {
  const codes = r.rows_skipped_codes || [];
  return codes.length === r.rows_skipped.length ? coreText(codes[k], r.rows_skipped[k][0]) : r.rows_skipped[k][0];
}

// What the core recognised a file as (FileReport.kind, English) in the page's language: the core's
// pipeline.kind.* messages, and page strings for the Camtrap DP resources the core names in English.
const CORE_KINDS = ['analysis', 'border', 'camtrapr_records', 'camtrapr_stations', 'catalog', 'genotype_tables', 'genotypes',
  'links', 'observations_all', 'options', 'unrecognised', 'zip'];
const PAGE_KINDS = { 'Camtrap DP descriptor': 'core.kind.dp_descriptor', 'Camtrap DP deployments': 'core.kind.dp_deployments',
  'Camtrap DP observations': 'core.kind.dp_observations', 'Camtrap DP media': 'core.kind.dp_media',
  'not a Camtrap DP resource': 'core.kind.dp_other', 'camtrapR station table': 'core.kind.camtrapr_stations',
  'camtrapR record table': 'core.kind.camtrapr_records' };
let englishKinds = null; // the core's English texts of CORE_KINDS (made once the core is ready)
function kindText(kind) {
  if (PAGE_KINDS[kind]) return t(PAGE_KINDS[kind]);
  const msgs = CORE_KINDS.map((k) => ({ code: `pipeline.kind.${k}` }));
  const english = englishKinds || coreTexts(msgs, () => null, 'en');
  if (english.every(Boolean)) englishKinds = english;
  const i = english.indexOf(kind);
  return i < 0 ? kind : coreText(msgs[i], kind);
}

// The browser's own file button says "Choose File" in the browser's language: these file inputs get
// a button and a "no file chosen" text in the page's language instead (the input stays in its
// label, visually hidden, so a click on the label still opens the picker).
function localFileInputs() {
  for (const id of ['secr-habitat', 'secr-regions', 'secr-covariate', 'design-layout']) {
    const input = $(id);
    if (!input || input.classList.contains('visually-hidden')) continue;
    input.classList.add('visually-hidden');
    const button = el('span', t('core.file.choose'), 'button file-choose');
    button.setAttribute('aria-hidden', 'true');
    const name = el('span', t('core.file.none'), 'file-name');
    input.after(button, ' ', name);
    const update = () => {
      button.textContent = t('core.file.choose');
      name.textContent = input.files && input.files.length ? [...input.files].map((f) => f.name).join(', ') : t('core.file.none');
    };
    input.addEventListener('change', update);
    onLangChange(update);
  }
}

// An issue as "FILE, row N, column 'C': error: message", `message` in the page's language.
function issueText(i, message) {
  let where = i.file;
  if (i.row !== null) where += t('core.issue.row', { row: i.row });
  if (i.column !== null) where += t('core.issue.column', { column: i.column });
  return t('core.issue.text', { where, severity: t(`core.severity.${i.severity}`), message });
}

function renderCatalogNames(a) {
  const box = $('catalog-names');
  const rows = a.catalogs.map((c) => {
    const l = el('label', `${t('core.opt.catalog_name', { source: c.source })} `);
    const input = document.createElement('input');
    input.dataset.source = c.source; input.value = c.name;
    l.append(input);
    return l;
  });
  box.replaceChildren(...(rows.length ? [el('p', t('core.opt.catalog_names')), ...rows] : []));
}

// The print-ready report of the analysis shown, in the page's language, drawn by the core in the
// worker (which holds the basemap); the JSON to compare it with is the "report (JSON)" download.
// The files go along: the report fits the closed models on them with the estimate form's occasions.
async function downloadReport() {
  const pub = $('dl-public').checked;
  const opts = { lang: lang(), public: pub, date: new Date().toISOString().slice(0, 10), options: reviewedOptions(),
    occasion_days: Number($('occasion-days').value) || null };
  try {
    const { html } = await mainWorker.call('report', { analysis: lastAnalysis, options: opts, files: lastFiles });
    download(pub ? 'borderless-report-public.html' : 'borderless-report.html', html, 'text/html');
  } catch (e) {
    setStatus('core.dl.report_failed', { message: e.message });
  }
}

function download(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url; a.download = name; document.body.append(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// Folders dropped: walk the entries so files keep their relative paths (cn/deployments.csv).
async function entriesToFiles(items) {
  const out = [];
  const walk = async (entry, prefix) => {
    if (entry.isFile) {
      const file = await new Promise((res, rej) => entry.file(res, rej));
      out.push({ name: prefix + entry.name, file });
    } else if (entry.isDirectory) {
      const reader = entry.createReader();
      let batch;
      do {
        batch = await new Promise((res, rej) => reader.readEntries(res, rej));
        for (const e of batch) await walk(e, `${prefix}${entry.name}/`);
      } while (batch.length);
    }
  };
  const entries = [...items].map((i) => (i.webkitGetAsEntry ? i.webkitGetAsEntry() : null));
  if (entries.some((e) => e)) {
    for (const e of entries) if (e) await walk(e, '');
    return out;
  }
  return null;
}

function fromFileList(list) {
  return [...list].map((file) => ({ name: file.webkitRelativePath || file.name, file }));
}

async function loadDemo() {
  setStatus('core.status.loading_demo');
  // Fetched once per visit by the bridge; each run posts a copy to the worker.
  const files = await Promise.all(DEMO.map(async (path) => ({ name: path.split('/').pop(), bytes: await asset(path) })));
  await analyse(files, 'core.label.demo');
}

// A new language: the page's own strings are re-applied by i18n.js; here the generated parts are
// rebuilt, and the Rust-drawn map and charts are drawn again in the worker in that language.
async function relocalise() {
  const status = lastStatus;
  const restatus = () => { if (status && lastStatus === status) setStatus(status.key, status.vars); };
  if (!lastAnalysis || mainWorker.busy) { restatus(); return; } // a run in progress ends in the new language
  if (outreach.active()) { restatus(); await outreach.show(lastAnalysis); return; }
  const shown = lastAnalysis;
  try {
    // A quick redraw: no progress shown, nothing to cancel.
    const { mapSvg, charts } = await mainWorker.call('render', { analysis: shown, ...drawOptions() });
    if (shown !== lastAnalysis) return; // a newer analysis is shown meanwhile
    lastMapSvg = mapSvg; lastCharts = charts;
  } catch { /* keep the drawings of the previous language */ }
  await show(lastAnalysis, lastMapSvg, lastCharts, true);
  restatus(); // last: the status line says "done" once everything is in the new language
}

async function main() {
  $('lang-slot').replaceWith(languageSelect('lang-select'));
  setStatus('core.status.starting');
  // The first Intl formatter of a language loads its locale data (tens of ms): done in a task of
  // its own while the module downloads, not inside the one that shows the summary.
  setTimeout(() => { fmtNumber(0); fmtPercent(0); fmtDateTime('2024-01-01T00:00Z'); }, 0);
  onLangChange(() => { if (lastDataset) showDataset(lastDataset.label, lastDataset.names); relocalise(); refreshCharts(); });
  // Everything the demo needs starts at once: the module (compiled once), the demo files, and
  // the two workers that take it (each instantiates the module while the others download).
  for (const path of DEMO) asset(path).catch(() => {});
  mainWorker.warm();
  worker('identity').warm();
  // Leaving the public view by its own button also puts the address back on the expert view.
  outreach.setup({ runInWorker, analysis: () => lastAnalysis, waterbirdFiles, expertShow: () => { publicLeft(); return relocalise(); } });
  onViewChange((name) => { if (name === 'map') fitMap(); }); // drawn while hidden: fit it to its box
  setupNav(outreach);
  initChartsView();
  initWaterbirds({ worker: mainWorker });
  const wasm = await core();
  useCoreMessages(wasm);
  localFileInputs();
  const { exportJson, exportIndividualsCsv } = wasm;
  identity = setupIdentity({
    render: (a, mapSvg, charts) => {
      lastAnalysis = a; lastMapSvg = mapSvg || ''; lastCharts = charts || null;
      const shown = show(a, mapSvg, charts);
      updateCharts(lastFiles, reviewedOptions());
      return shown;
    },
    drawOptions,
  });
  $('version').textContent = `v${wasm.version()}`;
  speciesSuggestions('opt-species', wasm);
  $('files').addEventListener('change', (e) => { if (e.target.files.length) analyse(fromFileList(e.target.files), 'core.label.files'); e.target.value = ''; });
  $('folder').addEventListener('change', (e) => { if (e.target.files.length) analyse(fromFileList(e.target.files), 'core.label.folder'); e.target.value = ''; });
  const drop = $('drop');
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', async (e) => {
    e.preventDefault(); drop.classList.remove('over');
    const dt = e.dataTransfer;
    const files = (dt.items && (await entriesToFiles(dt.items))) || fromFileList(dt.files);
    if (files.length) analyse(files, 'core.label.files');
  });
  drop.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); $('files').click(); } });
  $('demo').addEventListener('click', () => loadDemo().catch((e) => { lastStatus = null; $('status').textContent = e.message; }));
  setupSnowDemo({ analyse }); // the SIMULATED snow-leopard demo (snowdemo.js)
  $('cancel').addEventListener('click', () => cancel());
  $('rerun').addEventListener('click', () => { if (lastFiles.length) analyse(lastFiles, 'core.label.rerun'); });
  $('fit-closed').addEventListener('click', () => estimateClosed());
  $('fit-secr').addEventListener('click', () => estimateSecr());
  $('run-design').addEventListener('click', () => runDesign());
  $('dl-json').addEventListener('click', () => download('borderless-report.json', exportJson(lastAnalysis), 'application/json'));
  $('dl-csv').addEventListener('click', () => download('joint-catalog.csv', exportIndividualsCsv(lastAnalysis), 'text/csv'));
  $('dl-map').addEventListener('click', () => download('map.svg', lastMapSvg, 'image/svg+xml'));
  $('dl-report').addEventListener('click', () => downloadReport());
  document.body.dataset.ready = '1';
  await loadDemo().catch((e) => setStatus('core.status.demo_failed', { message: e.message }));
  registerOffline(); // after the first load, so that keeping the site offline never competes with it
}

main().catch((e) => setStatus('core.status.start_failed', { message: e.message }));
