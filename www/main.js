// The page shell. All analysis and drawing is in the Rust core, run in a module worker
// (worker.js); this thread only shows results and calls the core's exporters.
import init, { exportJson, exportIndividualsCsv, version } from './pkg/borderless.js';
import { showMap } from './mapview.js';

const $ = (id) => document.getElementById(id);
const DEMO = ['demo/cn.zip', 'demo/ru.zip', 'demo/links.csv', 'demo/border.geojson'];
let worker = null;
let nextId = 1;
let current = null;       // {id, resolve, reject}
let lastFiles = [];       // what was analysed last: [{name, file|bytes}]
let lastAnalysis = null;
let lastMapSvg = '';

function startWorker() {
  worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  worker.onmessage = ({ data }) => {
    if (!current || data.id !== current.id) return;
    if (data.type === 'progress') {
      $('progress').value = data.fraction;
      $('status').textContent = data.stage;
    } else if (data.type === 'result') {
      const c = current; current = null; c.resolve(data);
    } else if (data.type === 'error') {
      const c = current; current = null; c.reject(new Error(data.message));
    }
  };
  worker.onerror = (e) => {
    if (current) { const c = current; current = null; c.reject(new Error(e.message || 'the worker failed')); }
    worker.terminate(); startWorker();
  };
}

function runInWorker(files, options, op = 'analyze', extra = {}) {
  if (current) cancel('replaced by a new run');
  return new Promise((resolve, reject) => {
    const id = nextId++;
    current = { id, resolve, reject };
    $('cancel').disabled = false;
    worker.postMessage({ id, op, files, options, mapOptions: {}, ...extra });
  });
}

function cancel(why = 'cancelled') {
  if (!current) return;
  const c = current; current = null;
  worker.terminate();
  startWorker();
  c.reject(new Error(why));
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
  return o;
}

async function analyse(files, label) {
  lastFiles = files;
  $('loaded-files').replaceChildren(...files.map((f) => li(f.name)));
  $('status').textContent = `reading ${files.length} file(s)…`;
  $('progress').value = 0;
  document.body.dataset.state = 'busy';
  try {
    const { analysis, mapSvg, charts } = await runInWorker(files, options());
    lastAnalysis = analysis; lastMapSvg = mapSvg;
    show(analysis, mapSvg, charts);
    $('status').textContent = `${label}: done`;
    $('progress').value = 1;
    document.body.dataset.state = 'done';
  } catch (e) {
    $('status').textContent = `${label}: ${e.message}`;
    document.body.dataset.state = 'error';
  } finally {
    $('cancel').disabled = true;
  }
}

function li(text, cls) { const e = document.createElement('li'); e.textContent = text; if (cls) e.className = cls; return e; }
function el(tag, text, cls) { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; }

function card(value, label, cls, key) {
  const c = el('div', undefined, `card ${cls || ''}`);
  c.dataset.key = key;
  c.append(el('div', String(value), 'value'), el('div', label, 'label'));
  return c;
}

function show(a, mapSvg, charts) {
  const sim = a.simulated;
  $('simulated-banner').hidden = !sim;
  document.querySelector('.sim-tag').hidden = !sim;
  const s = a.crossborder.summary;
  const cards = [
    card(s.unique_individuals, 'unique individuals (joint catalog)', '', 'unique'),
    card(s.transboundary_individuals, 'transboundary (detected in more than one country)', '', 'transboundary'),
  ];
  for (const [name, n] of Object.entries(s.national_counts)) cards.push(card(n, `counted by ${name} alone`, '', `national-${name}`));
  cards.push(card(s.sum_of_national_counts, 'sum of national counts', '', 'sum'));
  cards.push(card(s.overcount_percent === null ? 'n/a' : `${s.overcount_percent.toFixed(1)}%`,
    'over-count of the sum: (sum − unique) / unique', 'highlight', 'overcount'));
  $('summary').replaceChildren(...cards);

  $('map').innerHTML = mapSvg;
  showMap(a, lastFiles).catch((e) => { $('map-status').textContent = `map: ${e.message}`; });
  $('chart-detections').innerHTML = charts.detections;
  $('chart-crossings').innerHTML = charts.crossings;
  $('chart-distance').innerHTML = charts.distance;
  for (const id of ['chart-detections', 'chart-crossings', 'chart-distance']) {
    const svg = $(id).querySelector('svg');
    if (svg) { svg.setAttribute('role', 'img'); svg.setAttribute('aria-label', chartAlt(id, a)); }
  }

  // Joint catalog.
  const names = a.catalogs.map((c) => c.name);
  const head = el('tr');
  head.append(el('th', 'joint individual'), ...names.map((n) => el('th', `ID in ${n}`)),
    ...names.map((n) => el('th', `detections ${n}`, 'num')), el('th', 'crossings', 'num'),
    el('th', 'max km from border', 'num'), el('th', 'first seen'), el('th', 'last seen'));
  const rows = a.crossborder.individuals.map((i) => {
    const tr = el('tr');
    const tb = Object.values(i.detections).filter((v) => v > 0).length > 1;
    if (tb) tr.className = 'transboundary';
    tr.append(el('td', i.id), ...names.map((n) => el('td', i.national_ids[n] || '—')),
      ...names.map((n) => el('td', String(i.detections[n] || 0), 'num')), el('td', String(i.crossings), 'num'),
      el('td', i.max_distance_from_border_km === null ? '—' : i.max_distance_from_border_km.toFixed(2), 'num'),
      el('td', i.first_seen), el('td', i.last_seen));
    return tr;
  });
  const caption = el('caption', sim ? 'SIMULATED demo data' : `${a.crossborder.individuals.length} joint individuals`);
  $('individuals').replaceChildren(caption, head, ...rows);
  $('conflicts').replaceChildren(...(a.conflicts.length
    ? [el('p', `${a.conflicts.length} link(s) not applied because of conflicts:`), el('ul')] : []));
  if (a.conflicts.length) {
    $('conflicts').querySelector('ul').replaceChildren(...a.conflicts.map((c) => li(`links row ${c.row}: ${c.reason}`, 'error')));
  }

  // Parse report.
  const rh = el('tr');
  rh.append(el('th', 'file'), el('th', 'recognised as'), el('th', 'rows read', 'num'), el('th', 'used', 'num'),
    el('th', 'skipped (by design)', 'num'), el('th', 'rejected', 'num'));
  const rr = a.reports.map((r) => {
    const tr = el('tr');
    const skipped = r.rows_skipped.reduce((t, [, n]) => t + n, 0);
    const skippedText = r.rows_skipped.map(([why, n]) => `${n}: ${why}`).join('; ');
    const td = el('td', String(skipped), 'num'); td.title = skippedText;
    tr.append(el('td', r.file), el('td', r.kind), el('td', String(r.rows_read), 'num'), el('td', String(r.rows_used), 'num'),
      td, el('td', String(r.rows_rejected), 'num'));
    return tr;
  });
  $('reports').replaceChildren(rh, ...rr);
  const issues = a.reports.flatMap((r) => r.issues.map((i) => li(issueText(i), i.severity)));
  const skips = a.reports.flatMap((r) => r.rows_skipped.map(([why, n]) => li(`${r.file}: ${n} row(s) skipped — ${why}`, 'note')));
  $('issues').replaceChildren(...issues, ...skips);

  for (const id of ['summary-section', 'map-section', 'charts-section', 'individuals-section', 'reports-section', 'estimate-section']) $(id).hidden = false;
  $('closed-results').replaceChildren();
  $('secr-results').replaceChildren();
  $('design-results').replaceChildren();
  for (const id of ['dl-json', 'dl-csv', 'dl-map']) $(id).disabled = false;
  renderCatalogNames(a);
}

async function estimateClosed() {
  if (!lastFiles.length) return;
  const days = Number($('occasion-days').value);
  $('status').textContent = 'fitting closed-population models…';
  $('progress').value = 0;
  try {
    const { closed } = await runInWorker(lastFiles, options(), 'closed', { occasionDays: days });
    showClosed(closed);
    $('status').textContent = 'closed-population models: done';
    $('progress').value = 1;
  } catch (e) {
    $('closed-results').replaceChildren(el('p', `Could not fit: ${e.message}`, 'error'));
    $('status').textContent = `closed-population models: ${e.message}`;
  } finally {
    $('cancel').disabled = true;
  }
}

const fmt = (x, d = 1) => (x === null || x === undefined ? '—' : Number(x).toFixed(d));

function showClosed(c) {
  const sim = lastAnalysis && lastAnalysis.simulated ? ' (SIMULATED data)' : '';
  const intro = el('p', `${c.animals} joint individuals over ${c.occasions} occasions of ${c.occasion_days} days${sim}. ` +
    `Summing national counts would give ${c.sum_of_national_counts}.`);
  const head = el('tr');
  head.append(el('th', 'model'), el('th', 'N̂', 'num'), el('th', 'SE', 'num'), el('th', '95% CI', 'num'),
    el('th', 'deviance', 'num'), el('th', 'df', 'num'), el('th', 'AIC', 'num'), el('th', 'BIC', 'num'), el('th', 'notes'));
  const rows = c.models.map((m) => {
    const tr = el('tr');
    tr.dataset.model = m.model;
    if (m.model === c.best_by_aic) tr.className = 'best';
    if (!m.fit) { tr.append(el('td', m.model), el('td', m.error)); return tr; }
    const f = m.fit;
    const notes = [f.converged ? '' : `not converged (${f.termination})`, ...(f.warnings || [])].filter(Boolean).join('; ');
    tr.append(el('td', m.model + (m.model === c.best_by_aic ? ' (lowest AIC)' : '')), el('td', fmt(f.N), 'num'),
      el('td', fmt(f.se), 'num'), el('td', f.lcl === null ? '—' : `${fmt(f.lcl)}–${fmt(f.ucl)}`, 'num'),
      el('td', fmt(f.deviance, 2), 'num'), el('td', String(f.df), 'num'), el('td', fmt(f.aic, 2), 'num'),
      el('td', fmt(f.bic, 2), 'num'), el('td', notes));
    return tr;
  });
  const j = c.jackknife;
  const jr = el('tr');
  jr.dataset.model = 'jackknife';
  jr.append(el('td', `Jackknife (Burnham–Overton, order ${j.selected_order})`), el('td', fmt(j.N), 'num'), el('td', fmt(j.se), 'num'),
    el('td', j.lcl === null ? '—' : `${fmt(j.lcl)}–${fmt(j.ucl)}`, 'num'), el('td', '—', 'num'), el('td', '—', 'num'),
    el('td', '—', 'num'), el('td', '—', 'num'), el('td', (j.warnings || []).join('; ')));
  const table = el('table');
  table.id = 'closed-table';
  table.replaceChildren(head, ...rows, jr);
  $('closed-results').replaceChildren(intro, table);
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
  };
  $('status').textContent = 'fitting SECR…';
  $('progress').value = 0;
  try {
    const bytes = async (id) => ($(id).files.length ? $(id).files[0].arrayBuffer() : undefined);
    const extra = { secrOptions, habitat: await bytes('secr-habitat'), regions: await bytes('secr-regions') };
    const { secr } = await runInWorker(lastFiles, options(), 'secr', extra);
    showSecr(secr);
    $('status').textContent = 'SECR: done';
    $('progress').value = 1;
  } catch (e) {
    $('secr-results').replaceChildren(el('p', `Could not fit: ${e.message}`, 'error'));
    $('status').textContent = `SECR: ${e.message}`;
  } finally {
    $('cancel').disabled = true;
  }
}

function paramRow(name, p, scale = 1, digits = 3) {
  const tr = el('tr');
  tr.dataset.param = name;
  const f = (x) => (x === null || x === undefined ? '—' : (x * scale).toFixed(digits));
  tr.append(el('td', name), el('td', f(p.estimate), 'num'), el('td', f(p.se), 'num'), el('td', `${f(p.lcl)}–${f(p.ucl)}`, 'num'));
  return tr;
}

function showSecr(r) {
  const f = r.secr.fit;
  const sim = lastAnalysis && lastAnalysis.simulated ? ' SIMULATED data.' : '';
  const head = el('tr');
  head.append(el('th', 'parameter'), el('th', 'estimate', 'num'), el('th', 'SE', 'num'), el('th', '95% CI', 'num'));
  const params = el('table');
  params.id = 'secr-params';
  const g = f.g0 ? ['g0', f.g0] : ['lambda0', f.lambda0];
  params.replaceChildren(head, paramRow('D per 100 km²' + (f.d_derived ? ' (derived)' : ''), f.D, 10000, 2),
    paramRow(g[0], g[1], 1, 4), paramRow('sigma (km)', f.sigma, 0.001, 2), ...(f.z ? [paramRow('z', f.z)] : []));
  const summary = el('p', `${f.n_animals} joint individuals, ${f.n_detections} detections at ${r.secr.detectors} stations over ` +
    `${r.secr.occasions} occasions; ${r.secr.utm_zone}; mask ${f.mask_points} cells, ${(f.mask_area_ha / 100).toFixed(0)} km². ` +
    `log-likelihood ${f.loglik.toFixed(3)} (${f.likelihood_form || ''}), AIC ${f.aic.toFixed(2)}, AICc ${f.aicc.toFixed(2)}. ` +
    `Optimiser: ${f.termination} after ${f.iterations} iterations.${sim}`);
  summary.id = 'secr-summary';
  const nh = el('tr');
  nh.append(el('th', 'country or region (mask part)'), el('th', 'area km²', 'num'), el('th', 'expected N', 'num'), el('th', 'SE', 'num'), el('th', '95% CI', 'num'));
  const ntab = el('table');
  ntab.id = 'secr-n';
  ntab.replaceChildren(nh, ...[...r.secr.n_per_country, ...r.secr.n_per_region].map((c) => {
    const tr = el('tr');
    tr.dataset.country = c.name;
    tr.append(el('td', c.name), el('td', c.area_km2.toFixed(0), 'num'), el('td', fmt(c.n.estimate), 'num'),
      el('td', fmt(c.n.se), 'num'), el('td', c.n.lcl === null ? '—' : `${fmt(c.n.lcl)}–${fmt(c.n.ucl)}`, 'num'));
    return tr;
  }));
  const mh = el('tr');
  mh.append(el('th', 'detection function'), el('th', 'log-likelihood', 'num'), el('th', 'AIC', 'num'), el('th', 'AICc', 'num'),
    el('th', 'ΔAIC', 'num'), el('th', 'D per 100 km²', 'num'), el('th', 'notes'));
  const mtab = el('table');
  mtab.id = 'secr-models';
  mtab.replaceChildren(mh, ...r.secr.models.map((m) => {
    const tr = el('tr');
    tr.append(el('td', m.detectfn), el('td', fmt(m.loglik, 3), 'num'), el('td', fmt(m.aic, 2), 'num'), el('td', fmt(m.aicc, 2), 'num'),
      el('td', fmt(m.delta_aic, 2), 'num'), el('td', fmt(m.d_per_100km2, 3), 'num'),
      el('td', m.error || (m.converged ? '' : 'not converged')));
    return tr;
  }));
  const groupParts = [];
  if (f.groups) {
    const gh = el('tr');
    gh.append(el('th', 'group'), el('th', 'animals', 'num'), el('th', 'D per 100 km² (95% CI)', 'num'),
      el('th', `${g[0]} (95% CI)`, 'num'), el('th', 'sigma km (95% CI)', 'num'));
    const ci = (p, s, d) => `${(p.estimate * s).toFixed(d)} (${p.lcl === null ? '—' : (p.lcl * s).toFixed(d)}–${p.ucl === null ? '—' : (p.ucl * s).toFixed(d)})`;
    const gt = el('table');
    gt.id = 'secr-groups-table';
    gt.replaceChildren(gh, ...f.groups.map((x) => {
      const tr = el('tr');
      tr.dataset.group = x.group;
      tr.append(el('td', x.group), el('td', String(x.n_animals), 'num'), el('td', ci(x.D, 10000, 2), 'num'),
        el('td', ci(x.g0 || x.lambda0, 1, 4), 'num'), el('td', ci(x.sigma, 0.001, 2), 'num'));
      return tr;
    }));
    groupParts.push(el('h4', 'Groups'), gt);
  }
  const notes = el('ul');
  notes.replaceChildren(...[...r.secr.notes, ...(f.warnings || [])].map((n) => li(n, 'note')));
  const figs = el('div', undefined, 'charts');
  const fig1 = el('figure'); fig1.id = 'secr-detection-chart'; fig1.innerHTML = r.detectionChart;
  const fig2 = el('figure'); fig2.id = 'secr-density-map'; fig2.innerHTML = r.densityMap;
  figs.append(fig1, fig2);
  for (const [fig, alt] of [[fig1, `Line chart: fitted ${r.secr.options.detectfn} detection function against distance.`],
    [fig2, `Map: SECR habitat mask on land, density ${f.D_per_100km2.toFixed(2)} per 100 km², with expected numbers per country.`]]) {
    const svg = fig.querySelector('svg'); if (svg) { svg.setAttribute('role', 'img'); svg.setAttribute('aria-label', alt); }
  }
  $('secr-results').replaceChildren(summary, params, el('h4', 'Expected number of animals per country and region'), ntab,
    ...groupParts, el('h4', 'Model comparison'), mtab, notes, figs);
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
    $('design-results').replaceChildren(el('p', 'Load files or choose a proposed layout CSV first.', 'error'));
    return;
  }
  $('status').textContent = 'evaluating the survey design…';
  $('progress').value = 0;
  try {
    const { design } = await runInWorker(layout ? [] : lastFiles, options(), 'design', { designOptions, layout });
    showDesign(design, layout ? file.name : 'the loaded stations');
    $('status').textContent = 'survey design: done';
    $('progress').value = 1;
  } catch (e) {
    $('design-results').replaceChildren(el('p', `Could not evaluate the design: ${e.message}`, 'error'));
    $('status').textContent = `survey design: ${e.message}`;
  } finally {
    $('cancel').disabled = true;
  }
}

function showDesign(d, source) {
  const r = d.report;
  const e = r.expected;
  const s = r.simulation;
  const pct = (x) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)}%`);
  const summary = el('p', `Layout: ${source}, ${r.detectors} stations, ${d.utm_zone}; ${r.options.n_occasions} occasions; ` +
    `mask ${r.mask_points} cells (buffer ${(d.buffer_m / 1000).toFixed(1)} km), ${r.mask_area_km2.toFixed(0)} km², ` +
    `expected ${fmt(e.animals_in_mask)} animals in the mask at D = ${fmt(r.d_per_100km2, 2)} per 100 km².`);
  summary.id = 'design-summary';
  const head = el('tr');
  head.append(el('th', 'quantity'), el('th', 'expected', 'num'),
    ...(s ? [el('th', `simulated (mean of ${s.replicates})`, 'num'), el('th', 'SD', 'num')] : []));
  const row = (key, name, exp, sum, digits = 1) => {
    const tr = el('tr');
    tr.dataset.quantity = key;
    tr.append(el('td', name), el('td', exp, 'num'));
    if (s) tr.append(el('td', sum ? fmt(sum.mean, digits) : '—', 'num'), el('td', sum ? fmt(sum.sd, digits) : '—', 'num'));
    return tr;
  };
  const rows = [
    row('n', 'animals detected, n', fmt(e.n), s && s.n),
    row('r', 'recaptures, r (detections − n)', fmt(e.r), s && s.r),
    row('m', 'movements between stations, m', fmt(e.m), s && s.m),
    row('rse', 'RSE(D̂) ≈ 1/√min(n, r)', pct(e.rse_d), null),
  ];
  const table = el('table');
  table.id = 'design-table';
  table.replaceChildren(head, ...rows);
  const parts = [summary, wrap(table)];
  if (s) {
    const sh = el('tr');
    sh.append(el('th', 'true D per 100 km²', 'num'), el('th', 'mean D̂ per 100 km²', 'num'), el('th', 'RSE(D̂) = SD / mean', 'num'),
      el('th', 'mean fitted SE / D̂', 'num'), el('th', 'relative bias', 'num'), el('th', '95% CI coverage', 'num'),
      el('th', 'fits used', 'num'));
    const tr = el('tr');
    const cell = (key, text) => { const td = el('td', text, 'num'); td.dataset.key = key; return td; };
    tr.append(cell('d-true', fmt(r.d_per_100km2, 2)), cell('d-hat', fmt(s.d_hat_per_100km2, 2)), cell('rse', pct(s.rse_d)),
      cell('rse-fitted', pct(s.mean_estimated_rse_d)), cell('bias', pct(s.relative_bias)), cell('coverage', pct(s.coverage)),
      cell('fitted', `${s.fitted} of ${s.replicates}`));
    const st = el('table');
    st.id = 'design-sim-table';
    st.replaceChildren(sh, tr);
    parts.push(el('h4', `Simulated surveys fitted by SECR (seed ${r.options.seed})`), wrap(st));
  }
  const notes = el('ul');
  const failed = s ? s.failures.map((f) => li(`${f.count} of ${s.replicates} replicate(s) not used: ${f.reason}`, 'note')) : [];
  notes.replaceChildren(...d.notes.map((n) => li(n, 'note')), ...failed);
  $('design-results').replaceChildren(...parts, notes);
}

function wrap(table) { const w = el('div', undefined, 'table-wrap'); w.append(table); return w; }

function issueText(i) {
  let t = i.file;
  if (i.row !== null) t += `, row ${i.row}`;
  if (i.column !== null) t += `, column '${i.column}'`;
  return `${t}: ${i.severity}: ${i.message}`;
}

function chartAlt(id, a) {
  const s = a.crossborder.summary;
  const sim = a.simulated ? ' (simulated data)' : '';
  if (id === 'chart-detections') return `Bar chart${sim}: detections of each of ${s.unique_individuals} individuals, stacked by country.`;
  if (id === 'chart-crossings') return `Histogram${sim}: number of border crossings per individual; ${s.transboundary_individuals} individuals crossed at least once.`;
  return `Histogram${sim}: farthest detection of each individual from the border, in km.`;
}

function renderCatalogNames(a) {
  const box = $('catalog-names');
  const rows = a.catalogs.map((c) => {
    const l = el('label', `Name of catalog from ${c.source} `);
    const input = document.createElement('input');
    input.dataset.source = c.source; input.value = c.name;
    l.append(input);
    return l;
  });
  box.replaceChildren(...(rows.length ? [el('p', 'Catalog names (the links table refers to them):'), ...rows] : []));
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
  $('status').textContent = 'loading the demo survey…';
  const files = await Promise.all(DEMO.map(async (path) => {
    const r = await fetch(path);
    if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
    return { name: path.split('/').pop(), bytes: await r.arrayBuffer() };
  }));
  await analyse(files, 'demo survey (simulated)');
}

async function main() {
  startWorker();
  await init();
  $('version').textContent = `v${version()}`;
  $('files').addEventListener('change', (e) => { if (e.target.files.length) analyse(fromFileList(e.target.files), 'your files'); e.target.value = ''; });
  $('folder').addEventListener('change', (e) => { if (e.target.files.length) analyse(fromFileList(e.target.files), 'your folder'); e.target.value = ''; });
  const drop = $('drop');
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', async (e) => {
    e.preventDefault(); drop.classList.remove('over');
    const dt = e.dataTransfer;
    const files = (dt.items && (await entriesToFiles(dt.items))) || fromFileList(dt.files);
    if (files.length) analyse(files, 'your files');
  });
  drop.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); $('files').click(); } });
  $('demo').addEventListener('click', () => loadDemo().catch((e) => { $('status').textContent = e.message; }));
  $('cancel').addEventListener('click', () => cancel());
  $('rerun').addEventListener('click', () => { if (lastFiles.length) analyse(lastFiles, 're-run'); });
  $('fit-closed').addEventListener('click', () => estimateClosed());
  $('fit-secr').addEventListener('click', () => estimateSecr());
  $('run-design').addEventListener('click', () => runDesign());
  $('dl-json').addEventListener('click', () => download('borderless-report.json', exportJson(lastAnalysis), 'application/json'));
  $('dl-csv').addEventListener('click', () => download('joint-catalog.csv', exportIndividualsCsv(lastAnalysis), 'text/csv'));
  $('dl-map').addEventListener('click', () => download('map.svg', lastMapSvg, 'image/svg+xml'));
  document.body.dataset.ready = '1';
  await loadDemo().catch((e) => { $('status').textContent = `demo: ${e.message}`; });
}

main().catch((e) => { $('status').textContent = `Borderless could not start: ${e.message}`; });
