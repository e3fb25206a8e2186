// The Waterbirds workspace: count tables, a sites file and (optionally) a thresholds table in;
// the criteria matrix (Ramsar Criteria 6 and 5 by both tests of "regularly"), charts (annual
// peaks against the 1% threshold, sum of site peaks against the synchronised peak, phenology),
// the map of sites with their peaks, the joint species list and the names not matched out.
// Everything is computed by the core (op `waterbirds` of the worker → crate/src/pipeline/waterbirds.rs),
// the same function `borderless waterbirds --json` runs; this module only draws it.
import { asset } from './bridge.js';
import { detached } from './outreach.js';
import { t, lang, onLangChange, fmtNumber, fmtPercent, fmtDate } from './i18n.js';

const DEMO = ['SIMULATED-tumen-CN-counts.csv', 'SIMULATED-tumen-KP-counts.csv', 'SIMULATED-tumen-RU-counts.csv', 'SIMULATED-tumen-sites.csv']
  .map((n) => `demo/waterbirds/${n}`);
const DEFAULT_SEASONS = [['spring', '03', '05'], ['autumn', '09', '11']];
const COLOURS = ['#1f77b4', '#d95f02', '#1b9e77', '#7570b3', '#e7298a', '#66a61e', '#a6761d', '#666666'];
const SVGNS = 'http://www.w3.org/2000/svg';

const $ = (id) => document.getElementById(id) || detached(id); // the expert part is detached in the public view
function el(tag, text, cls) { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; }
function svgEl(tag, attrs, text) {
  const e = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

let ctx = null;
let files = [];          // [{name, bytes} | {name, file}]
let simulated = false;
let run = null;          // the core's answer: {result, roles, species_list_csv, map_svg}
let shownCell = null;    // [unit, season, species] of the cell whose explanation is open

/** The species' name in the page language (the scientific name when none is confirmed). */
function speciesName(sci) {
  const e = run && run.result.species_list.find((s) => s.scientific === sci);
  if (!e) return sci;
  const l = lang();
  if (l === 'en') return e.english || sci;
  return e.names[l] || sci;
}

const unitName = (u) => {
  const s = run.result.sites.sites.find((x) => x.id === u);
  return s && s.name ? s.name : u;
};
const seasonName = (s) => (t(`wb.season.${s}`) === `wb.season.${s}` ? s : t(`wb.season.${s}`));

/** A month's name in the page language; Mongolian names months by number ("3-р сар"), which
 * browsers' Intl data often lacks. */
function monthName(m, style = 'long') {
  if (lang() === 'mn') return `${m}-р сар`;
  return new Intl.DateTimeFormat(lang(), { month: style }).format(new Date(Date.UTC(2020, m - 1, 15)));
}

// --- seasons ---------------------------------------------------------------------------------
function seasonRow(name, from, to) {
  const row = el('div', undefined, 'wb-season');
  const n = el('input'); n.value = name; n.className = 'wb-season-name'; n.setAttribute('aria-label', t('wb.season_name'));
  const month = (v, key) => {
    const s = el('select'); s.setAttribute('aria-label', t(key));
    for (let m = 1; m <= 12; m++) {
      const o = el('option', monthName(m));
      o.value = String(m).padStart(2, '0'); s.append(o);
    }
    s.value = v; return s;
  };
  const rm = el('button', '×'); rm.type = 'button'; rm.setAttribute('aria-label', t('wb.season_remove'));
  rm.addEventListener('click', () => row.remove());
  row.append(n, month(from, 'wb.season_from'), el('span', '–'), month(to, 'wb.season_to'), rm);
  return row;
}

function seasons() {
  return [...$('wb-season-list').querySelectorAll('.wb-season')].map((r) => {
    const [a, b] = r.querySelectorAll('select');
    return `${r.querySelector('input').value.trim()}=${a.value}-${b.value}`;
  }).filter((s) => !s.startsWith('='));
}

function drawSeasons(list) {
  $('wb-season-list').replaceChildren(...list.map(([n, a, b]) => seasonRow(n, a, b)));
}

// --- running ---------------------------------------------------------------------------------
function countryNames() {
  return Object.fromEntries(['CN', 'KP', 'RU', 'KR', 'MN', 'JP'].map((c) => [c, t(`wb.country.${c}`)]));
}

async function compute() {
  if (!files.length) return;
  $('wb-status').textContent = t('wb.status.running');
  const options = {
    seasons: seasons(),
    lang: lang(),
    map: { lang: lang(), title: t('wb.map_title'), simulated_note: simulated ? t('wb.simulated_short') : null, country_names: countryNames() },
  };
  try {
    run = await ctx.worker.call('waterbirds', { files, options });
    $('wb-status').textContent = t('wb.status.done', { n: files.length });
    show();
  } catch (e) {
    if (e && e.cancelled) return;
    $('wb-status').textContent = t('wb.status.failed', { message: e.message });
  }
}

async function loadDemo() {
  $('wb-status').textContent = t('wb.status.loading');
  files = await Promise.all(DEMO.map(async (p) => ({ name: p.split('/').pop(), bytes: await asset(p) })));
  simulated = true;
  await compute();
}

function useFiles(list) {
  files = [...list].map((f) => ({ name: f.name, file: f }));
  simulated = files.every((f) => f.name.startsWith('SIMULATED'));
  compute();
}

// --- showing ---------------------------------------------------------------------------------
function show() {
  const r = run.result;
  $('wb-results').hidden = false;
  $('wb-sim').hidden = !simulated;
  $('wb-roles').replaceChildren(...run.roles.map((x) => el('li', t('wb.role_line', { file: x.file, role: t(`wb.role.${x.role}`) }))));
  drawMatrix(r);
  fillChartChoices(r);
  drawCharts();
  $('wb-map').innerHTML = run.map_svg || '';
  drawSpecies(r);
  drawUnmatched(r);
  drawIssues(r);
}

function cellFor(row) {
  if (!row) return el('td', '—', 'wb-none');
  const td = el('td', undefined, row.qualifies ? 'wb-yes' : 'wb-no');
  const b = el('button', undefined, 'wb-cell');
  b.type = 'button';
  Object.assign(b.dataset, { unit: row.unit, season: row.season, species: row.species || '', qualifies: String(row.qualifies), test: row.test || '' });
  const n = row.two_thirds.seasons;
  b.append(el('strong', `${row.qualifies ? '✓' : '✗'} ${t('wb.reached_k_of_n', { k: row.two_thirds.reached, n })}`));
  if (row.test) b.append(el('span', t(`wb.test.${row.test}`), 'wb-test'));
  b.setAttribute('aria-label', `${row.qualifies ? t('wb.qualifies') : t('wb.not_qualifies')}: ${explanation(row).join(' ')}`);
  b.title = explanation(row).join('\n');
  b.addEventListener('click', () => { shownCell = [row.unit, row.season, row.species || '']; explain(row); });
  td.append(b);
  return td;
}

function explanation(row) {
  const lines = [];
  if (row.species) {
    lines.push(t('wb.x.threshold', { threshold: fmtNumber(row.threshold), source: row.threshold_source || '—', year: row.threshold_year || '—' }));
  } else {
    lines.push(t('wb.x.c5', { threshold: fmtNumber(row.threshold) }));
  }
  for (const m of row.explanation) lines.push(m.text);
  const peaks = row.peak_details.map((p) => `${p.label}: ${fmtNumber(p.peak)}${p.reached ? ' ✓' : ''}${p.partial ? ` (${t('wb.partial')})` : ''}`);
  lines.push(t('wb.x.peaks', { peaks: peaks.join(' · ') }));
  if (row.five_year_mean) lines.push(t('wb.x.mean', { mean: fmtNumber(row.five_year_mean.mean, 1), seasons: row.five_year_mean.seasons.join(', ') }));
  return lines;
}

function explain(row) {
  const what = row.species ? speciesName(row.species) : t('wb.c5_row');
  const box = $('wb-cell-detail');
  box.replaceChildren(el('h4', `${what} — ${unitName(row.unit)} — ${seasonName(row.season)}`), ...explanation(row).map((l) => el('p', l)));
  box.hidden = false;
}

function drawMatrix(r) {
  const ordered = [...r.units.filter((u) => u.kind === 'complex'), ...r.units.filter((u) => u.kind !== 'complex')];
  const units = ordered.map((u) => u.name);
  const seasonNames = r.seasons.map((s) => s.name);
  const table = el('table', undefined, 'wb-matrix');
  const head1 = el('tr'); const head2 = el('tr');
  head1.append(el('th', t('wb.species')));
  head2.append(el('th', ''));
  for (const u of ordered) {
    const th = el('th', u.kind === 'complex' ? `${unitName(u.name)} (${t('wb.complex')})` : unitName(u.name));
    th.colSpan = seasonNames.length; th.className = u.kind === 'complex' ? 'wb-complex' : '';
    head1.append(th);
    for (const s of seasonNames) head2.append(el('th', seasonName(s)));
  }
  const thead = el('thead'); thead.append(head1, head2);
  const tbody = el('tbody');
  const species = [...new Set(r.criterion6.map((c) => c.species))];
  const rowOf = (label, sci, rows) => {
    const tr = el('tr');
    const th = el('th', label); th.scope = 'row';
    if (sci && label !== sci) th.append(el('i', ` ${sci}`, 'wb-sci'));
    tr.append(th);
    for (const u of units) for (const s of seasonNames) tr.append(cellFor(rows.find((c) => c.unit === u && c.season === s)));
    return tr;
  };
  for (const sp of species) tbody.append(rowOf(speciesName(sp), sp, r.criterion6.filter((c) => c.species === sp)));
  const c5 = rowOf(t('wb.c5_row'), null, r.criterion5); c5.className = 'wb-c5'; tbody.append(c5);
  table.append(thead, tbody);
  const wrap = el('div', undefined, 'table-wrap wb-matrix-wrap'); wrap.append(table);
  $('wb-matrix').replaceChildren(wrap);
  const open = shownCell && [...r.criterion6, ...r.criterion5].find((c) => c.unit === shownCell[0] && c.season === shownCell[1] && (c.species || '') === shownCell[2]);
  if (open) explain(open); else $('wb-cell-detail').hidden = true;
}

function fillChartChoices(r) {
  const sel = $('wb-chart-species');
  const before = sel.value;
  const sp = [...new Set(r.criterion6.map((c) => c.species))];
  sel.replaceChildren(...sp.map((s) => { const o = el('option', speciesName(s)); o.value = s; return o; }));
  sel.value = sp.includes(before) ? before : (sp.includes('Platalea minor') ? 'Platalea minor' : sp[0] || '');
  const ss = $('wb-chart-season'); const sb = ss.value;
  ss.replaceChildren(...r.seasons.map((s) => { const o = el('option', seasonName(s.name)); o.value = s.name; return o; }));
  ss.value = r.seasons.some((s) => s.name === sb) ? sb : (r.seasons[0] || {}).name;
}

// --- charts (SVG) -----------------------------------------------------------------------------
const W = 640; const H = 420; const M = { l: 70, r: 20, t: 60, b: 118 };

function niceMax(v) {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 2.5, 5, 10].map((k) => k * p).find((x) => x >= v);
}

/** An empty chart: frame, title, y axis 0..ymax with gridlines, x labels under each slot. */
function frame([title, subtitle], ymax, xlabels, ytitle) {
  const svg = svgEl('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', 'font-family': 'sans-serif' });
  svg.append(svgEl('title', {}, `${title} — ${subtitle}`));
  svg.append(svgEl('text', { x: 12, y: 22, 'font-size': 16, 'font-weight': 'bold', fill: '#222' }, title));
  svg.append(svgEl('text', { x: 12, y: 42, 'font-size': 14, fill: '#333' }, subtitle));
  const y = (v) => H - M.b - (v / ymax) * (H - M.t - M.b);
  for (let k = 0; k <= 4; k++) {
    const v = (ymax * k) / 4;
    svg.append(svgEl('line', { x1: M.l, x2: W - M.r, y1: y(v), y2: y(v), stroke: '#ddd' }));
    svg.append(svgEl('text', { x: M.l - 6, y: y(v) + 5, 'text-anchor': 'end', 'font-size': 13, fill: '#333' }, fmtNumber(v)));
  }
  svg.append(svgEl('text', { x: 16, y: (M.t + H - M.b) / 2, 'font-size': 13, fill: '#333', transform: `rotate(-90 16 ${(M.t + H - M.b) / 2})`, 'text-anchor': 'middle' }, ytitle));
  const slot = (W - M.l - M.r) / Math.max(1, xlabels.length);
  const x = (i) => M.l + slot * (i + 0.5);
  xlabels.forEach((l, i) => svg.append(svgEl('text', { x: x(i), y: H - M.b + 18, 'text-anchor': 'end', 'font-size': 13, fill: '#333', transform: `rotate(-35 ${x(i)} ${H - M.b + 18})` }, l)));
  return { svg, x, y, slot };
}

// Legend rows under the x labels; an entry that would pass the right edge starts a new row.
function legend(svg, items) {
  let lx = 12;
  let ly = H - 40;
  // Wide (CJK, Hangul) characters take about a full em, others about 0.6 em.
  const width = (text) => [...text].reduce((n, c) => n + (c.charCodeAt(0) > 0x2e80 ? 13 : 7.5), 0);
  for (const [colour, label] of items) {
    // A label wider than the drawing (a unit with its trend) goes on two lines, split at " — ".
    const parts = 36 + width(label) > W - 20 && label.includes(' — ') ? label.split(' — ') : [label];
    const w = 36 + Math.max(...parts.map(width));
    if (lx > 12 && lx + w > W - 8) { lx = 12; ly += 20; }
    svg.append(svgEl('line', { x1: lx, x2: lx + 22, y1: ly - 5, y2: ly - 5, stroke: colour, 'stroke-width': 3 }));
    const text = svgEl('text', { x: lx + 27, y: ly, 'font-size': 13, fill: '#222' }, parts.length > 1 ? `${parts[0]} ` : parts[0]);
    for (const more of parts.slice(1)) text.append(svgEl('tspan', { x: lx + 27, dy: 16 }, more));
    svg.append(text);
    if (parts.length > 1) { lx = 12; ly += 20 + 16 * (parts.length - 1); continue; }
    lx += w;
  }
  // More rows than the space under the axis: the drawing grows to keep them all.
  const height = Math.max(H, ly + 10);
  svg.setAttribute('viewBox', `0 0 ${W} ${height}`);
  svg.setAttribute('height', height);
}

function peaksChart(r, sp, season) {
  const rows = r.criterion6.filter((c) => c.species === sp && c.season === season);
  const labels = [...new Set(rows.flatMap((c) => Object.keys(c.peaks)))].sort();
  const threshold = rows.length ? rows[0].threshold : 0;
  const ymax = niceMax(Math.max(threshold, ...rows.flatMap((c) => Object.values(c.peaks))) * 1.08);
  const f = frame([t('wb.chart.peaks'), `${speciesName(sp)} · ${seasonName(season)}`], ymax, labels, t('wb.chart.peak_axis'));
  rows.forEach((c, k) => {
    const colour = COLOURS[k % COLOURS.length];
    const pts = labels.map((l, i) => (c.peaks[l] === undefined ? null : [f.x(i), f.y(c.peaks[l])])).filter(Boolean);
    f.svg.append(svgEl('polyline', { points: pts.map((p) => p.join(',')).join(' '), fill: 'none', stroke: colour, 'stroke-width': c.unit_kind === 'complex' ? 3.5 : 2 }));
    for (const p of pts) f.svg.append(svgEl('circle', { cx: p[0], cy: p[1], r: 3.5, fill: colour }));
  });
  if (rows.length) {
    f.svg.append(svgEl('line', { x1: M.l, x2: W - M.r, y1: f.y(threshold), y2: f.y(threshold), stroke: '#b00020', 'stroke-width': 2, 'stroke-dasharray': '8 5' }));
    f.svg.append(svgEl('text', { x: W - M.r - 4, y: f.y(threshold) - 6, 'text-anchor': 'end', 'font-size': 13, fill: '#b00020', stroke: '#fff', 'stroke-width': 3, 'paint-order': 'stroke' }, t('wb.chart.threshold', { n: fmtNumber(threshold) })));
  }
  // Each unit's log-linear trend of its seasonal peaks with its 95% interval (waterbirds::trends).
  const trendText = (c) => {
    const tr = r.trends.find((x) => x.unit === c.unit && x.species === sp && x.season === season)?.trend;
    if (!tr) return unitName(c.unit);
    const signed = (v) => `${v > 0 ? '+' : ''}${fmtPercent(v, 1)}`;
    return `${unitName(c.unit)} — ${t('wb.chart.trend', { pct: signed(tr.annual_change_percent), lo: signed(tr.ci_low_percent), hi: signed(tr.ci_high_percent) })}`;
  };
  legend(f.svg, rows.map((c, k) => [COLOURS[k % COLOURS.length], trendText(c)]));
  return f.svg;
}

function jointChart(r, sp, season) {
  const rows = r.joint.filter((j) => j.species === sp && j.season === season);
  const complex = rows.length ? rows[0].unit : '';
  const mine = rows.filter((j) => j.unit === complex);
  const ymax = niceMax(Math.max(1, ...mine.map((j) => j.sum_of_site_peaks)) * 1.15);
  const f = frame([t('wb.chart.joint'), `${speciesName(sp)} · ${complex ? unitName(complex) : '—'} · ${seasonName(season)}`], ymax, mine.map((j) => j.label), t('wb.chart.count_axis'));
  const bw = Math.min(26, f.slot / 2.6);
  mine.forEach((j, i) => {
    const x = f.x(i);
    f.svg.append(svgEl('rect', { x: x - bw - 1, y: f.y(j.sum_of_site_peaks), width: bw, height: f.y(0) - f.y(j.sum_of_site_peaks), fill: '#d95f02' }));
    f.svg.append(svgEl('rect', { x: x + 1, y: f.y(j.synchronised_peak), width: bw, height: f.y(0) - f.y(j.synchronised_peak), fill: '#1f77b4' }));
    if (j.overcount_percent !== null) {
      f.svg.append(svgEl('text', { x, y: f.y(j.sum_of_site_peaks) - 6, 'text-anchor': 'middle', 'font-size': 13, fill: '#222', 'data-overcount': j.overcount_percent, 'data-label': j.label }, `+${fmtPercent(j.overcount_percent, 0)}`));
    }
  });
  legend(f.svg, [['#d95f02', t('wb.chart.sum_of_site_peaks')], ['#1f77b4', t('wb.chart.synchronised')]]);
  return f.svg;
}

function phenologyChart(r, sp, season) {
  const tr = r.trends.find((x) => x.species === sp && x.season === season && r.units.some((u) => u.name === x.unit && u.kind === 'complex'))
    || r.trends.find((x) => x.species === sp && x.season === season);
  const s = r.seasons.find((x) => x.name === season);
  const months = [];
  if (s) for (let m = s.start_month; ; m = (m % 12) + 1) { months.push(m); if (m === s.end_month || months.length > 12) break; }
  const points = tr ? tr.phenology : [];
  const ymax = niceMax(Math.max(1, ...points.map((p) => p[2])) * 1.08);
  const f = frame([t('wb.chart.phenology'), `${speciesName(sp)} · ${tr ? unitName(tr.unit) : '—'} · ${seasonName(season)}`], ymax, months.map((m) => monthName(m, 'short')), t('wb.chart.count_axis'));
  // x: the month slot plus the day within it.
  const xOf = (iso) => {
    const [, mo, d] = iso.split('-').map(Number);
    const i = months.indexOf(mo);
    return M.l + f.slot * (i + (d - 1) / 31);
  };
  const labels = [...new Set(points.map((p) => p[0]))];
  labels.forEach((l, k) => {
    const colour = COLOURS[k % COLOURS.length];
    const pts = points.filter((p) => p[0] === l).sort((a, b) => (a[1] < b[1] ? -1 : 1));
    f.svg.append(svgEl('polyline', { points: pts.map((p) => `${xOf(p[1])},${f.y(p[2])}`).join(' '), fill: 'none', stroke: colour, 'stroke-width': 1.8 }));
    for (const p of pts) {
      const c = svgEl('circle', { cx: xOf(p[1]), cy: f.y(p[2]), r: 3.5, fill: p[3] ? '#fff' : colour, stroke: colour });
      c.append(svgEl('title', {}, `${fmtDate(p[1])}: ${fmtNumber(p[2])}${p[3] ? ` (${t('wb.partial')})` : ''}`));
      f.svg.append(c);
    }
  });
  legend(f.svg, labels.slice(0, 8).map((l, k) => [COLOURS[k % COLOURS.length], l]));
  return f.svg;
}

function thresholdSource(r, sp) {
  const th = r.thresholds.find((x) => x.scientific === sp);
  return th ? t('wb.x.threshold', { threshold: fmtNumber(th.threshold), source: th.source, year: th.year || '—' }) : '';
}

function drawCharts() {
  if (!run) return;
  const r = run.result;
  const sp = $('wb-chart-species').value;
  const season = $('wb-chart-season').value;
  const fig = (id, svg, caption) => {
    const f = el('figure'); f.id = id; f.append(svg, el('figcaption', caption)); return f;
  };
  $('wb-charts').replaceChildren(
    fig('wb-chart-peaks', peaksChart(r, sp, season), `${t('wb.chart.peaks_caption')} ${thresholdSource(r, sp)}`),
    fig('wb-chart-joint', jointChart(r, sp, season), t('wb.chart.joint_caption')),
    fig('wb-chart-phenology', phenologyChart(r, sp, season), t('wb.chart.phenology_caption')),
  );
}

// --- species list, unmatched names, issues ------------------------------------------------------
function drawSpecies(r) {
  const table = el('table', undefined, 'wb-species');
  const head = el('tr');
  for (const k of ['wb.sp.scientific', 'wb.sp.name', 'wb.sp.iucn', 'wb.sp.countries', 'wb.sp.names_used', 'wb.sp.conflicts']) head.append(el('th', t(k)));
  const thead = el('thead'); thead.append(head);
  const tbody = el('tbody');
  for (const s of r.species_list) {
    const tr = el('tr');
    const sci = el('td'); sci.append(el('i', s.scientific));
    const l = lang();
    const name = l === 'en' ? s.english : s.names[l];
    const used = s.names_used.map((u) => `${u.country}: ${u.name}`).join('; ');
    const conflicts = el('td', s.conflicts.map((c) => c.text).join('; '), s.conflicts.length ? 'wb-conflict' : '');
    tr.append(sci, el('td', name || s.scientific), el('td', s.iucn || '—'), el('td', s.countries.join(', ')), el('td', used), conflicts);
    tbody.append(tr);
  }
  table.append(thead, tbody);
  $('wb-species').replaceChildren(table);
}

function drawUnmatched(r) {
  const list = r.unmatched_names;
  $('wb-unmatched-h').hidden = !list.length;
  $('wb-unmatched').replaceChildren(...list.map((u) => el('li', t('wb.unmatched', {
    file: u.file, row: u.row, name: u.name, reason: u.message.text,
    suggestions: u.suggestions.length ? u.suggestions.join(', ') : t('wb.no_suggestion'),
  }), 'warning')));
}

function drawIssues(r) {
  const items = r.reports.flatMap((rep) => rep.issues.map((i) => {
    let where = i.file;
    if (i.row !== null) where += t('core.issue.row', { row: i.row });
    if (i.column !== null) where += t('core.issue.column', { column: i.column });
    return el('li', t('core.issue.text', { where, severity: t(`core.severity.${i.severity}`), message: i.text || i.message }), i.severity);
  }));
  const counts = r.reports.map((rep) => t('wb.report_line', { file: rep.file, read: fmtNumber(rep.rows_read), used: fmtNumber(rep.rows_used), rejected: fmtNumber(rep.rows_rejected) }));
  $('wb-issues').replaceChildren(...counts.map((c) => el('li', c, 'note')), ...items);
}

function download(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url; a.download = name; document.body.append(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Sets up the workspace. `c.worker`: the bridge's worker that runs the `waterbirds` op. */
/** The waterbird files of the last successful run of this view ([] before one): the public view
 * makes its waterbird slides from them. */
export function waterbirdFiles() {
  return run ? files : [];
}

export function initWaterbirds(c) {
  ctx = c;
  drawSeasons(DEFAULT_SEASONS);
  $('wb-demo').addEventListener('click', () => loadDemo().catch((e) => { $('wb-status').textContent = t('wb.status.failed', { message: e.message }); }));
  $('wb-files').addEventListener('change', (e) => { if (e.target.files.length) useFiles(e.target.files); e.target.value = ''; });
  const drop = $('wb-drop');
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => { e.preventDefault(); drop.classList.remove('over'); if (e.dataTransfer.files.length) useFiles(e.dataTransfer.files); });
  drop.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); $('wb-files').click(); } });
  $('wb-season-add').addEventListener('click', () => $('wb-season-list').append(seasonRow('winter', '11', '03')));
  $('wb-run').addEventListener('click', () => compute());
  $('wb-chart-species').addEventListener('change', drawCharts);
  $('wb-chart-season').addEventListener('change', drawCharts);
  $('wb-dl-species').addEventListener('click', () => { if (run) download(`joint-species-list-${lang()}.csv`, run.species_list_csv, 'text/csv'); });
  $('wb-dl-species-xlsx').addEventListener('click', () => {
    if (run) download(`joint-species-list-${lang()}.xlsx`, new Uint8Array(run.species_list_xlsx), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  });
  $('wb-dl-map').addEventListener('click', () => { if (run && run.map_svg) download('waterbird-sites.svg', run.map_svg, 'image/svg+xml'); });
  onLangChange(() => {
    const kept = seasons().map((s) => { const m = /^(.*)=(\d\d)-(\d\d)$/.exec(s); return [m[1], m[2], m[3]]; });
    drawSeasons(kept);
    if (run) compute();
  });
}
