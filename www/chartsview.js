// The survey charts panel: every chart the core draws (renderChartSet) as a figure with its
// text alternative as figcaption (and aria-describedby), an SVG download per chart, and the
// species pair picker for the activity overlap (activityOverlap). It asks its own worker of the
// bridge ('charts': ops 'chartset' and 'overlap'), started on first use, so it never cancels the
// page's analysis; charts are drawn as soon as an analysis is shown (the panel is one view of the
// workspace: it is ready when the user goes to it). Each chart is shown at least large enough for
// its smallest text to be the page's small text size (see fitChart).
import { detached } from './outreach.js';
import { core, worker } from './bridge.js';
import { t, lang, fmtNumber, coreTexts } from './i18n.js';

// Elements of the expert part stay reachable while the outreach mode has taken it out of the document.
const $ = (id) => document.getElementById(id) || detached(id);
const charts = worker('charts');
let files = [];
let options = {};

// Strings and numbers come from the page's one t() (www/i18n.js).
const fmt = (x, digits) => fmtNumber(x, digits);

// `op` on the loaded files; `extra` are the operation's own options (the analysis options go in them).
const run = (op, extra) => charts.call(op, { files, options: { ...extra, analysis: options } });

function el(tag, text, cls) { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; }

function download(name, text) {
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
  const a = el('a'); a.href = url; a.download = name; document.body.append(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// One chart as <figure>: the SVG (role img, labelled by the title, described by the caption),
// the caption with the core's text alternative, and a download button.
// The page's small text size (px): that of a figure caption, 0.85rem.
function smallTextPx(fig) {
  const cap = fig.querySelector('figcaption');
  return (cap && parseFloat(getComputedStyle(cap).fontSize)) || 0.85 * parseFloat(getComputedStyle(document.documentElement).fontSize);
}

/**
 * Sets the displayed width of a chart's SVG so that its smallest text (the axis ticks) is drawn
 * at least at the page's small text size: width = viewBox width × (small size / smallest
 * font-size), never below the SVG's own width; max-width 100% still applies (a phone).
 */
export function chartWidth(svg, smallPx) {
  const vb = svg.viewBox && svg.viewBox.baseVal;
  const natural = (vb && vb.width) || Number(svg.getAttribute('width')) || 0;
  const sizes = [...svg.querySelectorAll('text')].map((x) => parseFloat(x.getAttribute('font-size') || getComputedStyle(x).fontSize))
    .filter((x) => x > 0);
  if (!natural || !sizes.length) return natural;
  return Math.ceil(natural * Math.max(1, smallPx / Math.min(...sizes)));
}

/** Sets `fig`'s --chart-width (see chartWidth) from its SVG (in .chart-svg, or its own). */
export function fitChart(fig) {
  const svg = fig.querySelector('.chart-svg svg') || fig.querySelector('svg');
  if (!svg) return;
  const w = chartWidth(svg, smallTextPx(fig));
  if (w) fig.style.setProperty('--chart-width', `${w}px`);
}

function figure(c) {
  const fig = el('figure', undefined, 'chart-figure');
  fig.id = `survey-chart-${c.key}`;
  fig.dataset.key = c.key;
  const holder = el('div', undefined, 'chart-svg');
  holder.innerHTML = c.svg;
  const cap = el('figcaption', c.alt, 'chart-alt');
  cap.id = `survey-chart-${c.key}-alt`;
  const svg = holder.querySelector('svg');
  if (svg) {
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', c.title);
    svg.setAttribute('aria-describedby', cap.id);
  }
  const btn = el('button', t('charts.download_svg'), 'chart-download');
  btn.type = 'button';
  btn.setAttribute('aria-label', `${t('charts.download_svg')}: ${c.title}`);
  btn.addEventListener('click', () => download(`${c.key}.svg`, c.svg));
  fig.append(holder, cap, btn);
  return fig;
}

// The core's species list ({scientific, common: {lang: name}}), read once.
let known = null;
async function knownSpecies() {
  if (known) return known;
  try { const w = await core(); known = typeof w.speciesList === 'function' ? w.speciesList() : []; } catch { known = []; }
  return known;
}

// A species' common name in the page's language (its first two words are tried too, as the core's
// lookup does: a subspecies the list lacks takes its species' name), or null.
function commonName(scientific) {
  const norm = (x) => String(x).trim().replace(/\s+/g, ' ').toLowerCase();
  const find = (n) => (known || []).find((s) => norm(s.scientific) === n);
  const n = norm(scientific);
  const hit = find(n) || (n.split(' ').length > 2 ? find(n.split(' ').slice(0, 2).join(' ')) : null);
  return hit && hit.common ? hit.common[lang()] || null : null;
}

/** An overlap picker's option text: common name in the page's language, scientific name, records. */
export function speciesLabel(scientific, records) {
  const common = commonName(scientific);
  return common ? `${common} — ${scientific} (${fmt(records)})` : `${scientific} (${fmt(records)})`;
}

function fillSpecies(list) {
  for (const [id, k] of [['overlap-a', 0], ['overlap-b', 1]]) {
    const sel = $(id);
    const keep = sel.value;
    sel.replaceChildren(...list.map((s) => { const o = el('option', speciesLabel(s.species, s.records)); o.value = s.species; return o; }));
    if (keep && list.some((s) => s.species === keep)) sel.value = keep;
    else if (list[k]) sel.value = list[k].species;
  }
}

function showOverlap(o) {
  const r = o.report;
  const box = $('overlap-result');
  const table = el('table', undefined, 'overlap-table');
  const head = el('tr');
  head.append(el('th', t('charts.estimator')), el('th', t('charts.estimate'), 'num'), el('th', t('charts.ci'), 'num'));
  const rows = [head];
  for (const [name, key] of [['Dhat1', 'dhat1'], ['Dhat4', 'dhat4'], ['Dhat5', 'dhat5']]) {
    const tr = el('tr');
    tr.dataset.key = key;
    if (r.recommended === name) tr.className = 'best';
    const ci = r.bootstrap ? r.bootstrap[`ci_${key}`].basic0 : null;
    tr.append(el('td', name), el('td', fmt(r[key], 3), 'num'), el('td', ci ? `${fmt(ci[0], 3)}–${fmt(ci[1], 3)}` : '—', 'num'));
    rows.push(tr);
  }
  table.append(...rows);
  const facts = el('ul', undefined, 'overlap-facts');
  facts.append(
    el('li', t('charts.bandwidths', { a: fmt(r.bandwidth_a, 2), b: fmt(r.bandwidth_b, 2) })),
    el('li', t('charts.activity', { sa: r.species_a, a: fmt(r.activity_a, 3), sb: r.species_b, b: fmt(r.activity_b, 3) })),
    el('li', t(o.time_basis === 'sun' ? 'charts.basis_sun' : 'charts.basis_clock')),
    el('li', r.bootstrap ? t('charts.boot_note', { n: r.bootstrap.n, seed: r.bootstrap.seed }) : t('charts.no_boot')),
  );
  const fig = figure(o.chart);
  box.replaceChildren(table, facts, fig);
  fitChart(fig);
}

async function computeOverlap() {
  const overlapOptions = {
    species_a: $('overlap-a').value,
    species_b: $('overlap-b').value,
    sun_time: $('overlap-sun').checked,
    bootstrap: Math.max(0, Number($('overlap-boot').value) || 0),
    seed: Math.max(0, Math.floor(Number($('overlap-seed').value) || 0)),
    lang: lang(),
  };
  $('survey-charts-status').textContent = t('charts.computing');
  $('overlap-result').dataset.state = 'busy';
  try {
    const overlap = await run('overlap', overlapOptions);
    showOverlap(overlap);
    $('survey-charts-status').textContent = '';
    $('overlap-result').dataset.state = 'done';
  } catch (e) {
    if (e.message === 'cancelled') return;
    $('overlap-result').replaceChildren(el('p', e.message, 'error'));
    $('overlap-result').dataset.state = 'error';
    $('survey-charts-status').textContent = '';
  }
}

// Draws the charts of the files just analysed (called by main.js after each analysis), in the
// charts worker, so the panel is ready when the user goes to it.
let stale = false;
export function updateCharts(newFiles, analysisOptions) {
  files = newFiles; options = analysisOptions;
  stale = true;
  $('survey-charts-section').hidden = false;
  drawCharts();
}

// Lets the page paint and handle input between parts of the work.
const nextTask = () => (globalThis.scheduler && scheduler.yield ? scheduler.yield() : new Promise((r) => setTimeout(r, 0)));
let drawSeq = 0;

async function drawCharts() {
  if (!stale) return;
  stale = false;
  const section = $('survey-charts-section');
  section.dataset.state = 'busy';
  $('survey-charts-status').textContent = t('charts.drawing');
  try {
    const seq = ++drawSeq;
    const [chartSet] = await Promise.all([run('chartset', { lang: lang(), secr: secrEstimates }), knownSpecies()]);
    // One chart's SVG parsed per task (they are drawn while the page may still be busy with the
    // rest of an analysis): no task of this is long. A newer drawing stops this one.
    const box = $('survey-charts');
    for (const [k, c] of chartSet.charts.entries()) {
      await nextTask();
      if (seq !== drawSeq) return;
      const fig = figure(c);
      if (box.children[k]) box.children[k].replaceWith(fig); else box.append(fig);
      fitChart(fig);
    }
    while (box.children.length > chartSet.charts.length) box.lastElementChild.remove();
    fillSpecies(chartSet.species);
    const codes = chartSet.notes_codes || []; // the notes in the page's language when the core gave codes
    $('survey-charts-status').textContent = (codes.length === chartSet.notes.length
      ? coreTexts(codes, (m, k) => chartSet.notes[k]) : chartSet.notes).join(' ');
    section.dataset.state = 'done';
  } catch (e) {
    if (e.message === 'cancelled') return;
    $('survey-charts-status').textContent = e.message;
    section.dataset.state = 'error';
  }
}

// Drops any chart work in progress (a new analysis is starting): its results would be stale,
// and drawing them would compete with the new run.
export function cancelCharts() {
  if (!charts.busy) return;
  stale = true;
  charts.cancel('cancelled');
}

export function initChartsView() {
  $('overlap-form').addEventListener('submit', (e) => { e.preventDefault(); computeOverlap(); });
}

// Redraws the charts (e.g. in a new language).
export function refreshCharts() {
  if (!files.length) return;
  stale = true;
  drawCharts();
}

// SECR's expected N per country (from the page's SECR fit) joins the estimator comparison.
let secrEstimates = [];
export function setSecrEstimates(list, redraw = true) {
  secrEstimates = list;
  if (redraw) refreshCharts();
}
