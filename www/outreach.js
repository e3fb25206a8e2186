// The public outreach mode of the page (?mode=outreach, or the header's "Public view" button): for
// kiosks and slides at events — large type, full screen, a slideshow of the key maps and numbers.
// Everything it shows or offers for download comes from the core's privacy module (outreachView,
// outreachGeoJson, outreachDarwinCore, run in the bridge's main worker): this mode never receives the expert map,
// charts or tables. The expert part of the page (<main>) is taken out of the document while this mode
// is on, so none of its nodes exist in the DOM; the worker is asked not to draw the expert map at all.
//
// Kiosk: the view fills the screen (1920×1080, 1280×720, a portrait tablet) with its controls always
// visible, and advances by itself every ADVANCE_MS (`?advance=SECONDS` sets another interval,
// `?kiosk` starts it even where reduced motion is asked for). The countdown holds while the pointer
// is over the slide, restarts after every manual change, and shows as a timer bar beside "slide k of
// n". With the demo, the waterbird slides of the SIMULATED Tumen survey (WATERBIRD_DEMO, built by the
// core's outreachWaterbirds from whole-complex figures only) follow the camera-trap slides.
import { t, lang, languageSelect } from './i18n.js';
import { asset } from './bridge.js';

const params = new URLSearchParams(location.search);
const KIOSK = params.has('kiosk');
const ADVANCE_MS = Math.max(500, 1000 * (Number(params.get('advance')) || 12));
/** The SIMULATED waterbird survey of the Tumen estuary, shown with the demo (read by tools/bundle.mjs). */
const WATERBIRD_DEMO = ['demo/waterbirds/SIMULATED-tumen-sites.csv', 'demo/waterbirds/SIMULATED-tumen-CN-counts.csv', 'demo/waterbirds/SIMULATED-tumen-KP-counts.csv', 'demo/waterbirds/SIMULATED-tumen-RU-counts.csv'];
let ctx = null;          // {runInWorker(op, payload), analysis(), expertShow}
let on = false;
let detachedMain = null; // the expert <main>, out of the document while this mode is on
let mainPlace = null;    // where it goes back
let root = null;         // the outreach section
let view = null;         // OutreachView of the current analysis and language
let exports = null;      // {geojson, dwc}
let index = 0;
let timer = null;
let paused = false;      // stopped by the user (Pause button, space)
let held = false;        // held while the pointer is over the slide
let remaining = ADVANCE_MS; // of the current slide's countdown
let started = 0;         // when the countdown (re)started
let birds = null;        // waterbird slides {slides, simulated} or null
let renderSeq = 0;
const reducedMotion = () => window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;

/** True while the outreach mode is on. */
export function active() { return on; }

/** An element of the expert part while it is out of the document (so main.js can keep its state). */
export function detached(id) { return detachedMain ? detachedMain.querySelector(`#${CSS.escape(id)}`) : null; }

export function setup(c) {
  ctx = c;
  document.getElementById('outreach-open').addEventListener('click', () => enter());
  document.addEventListener('fullscreenchange', () => { if (on) updateButtons(); });
  if (params.get('mode') === 'outreach' || KIOSK) enter({ load: false });
}

function el(tag, text, cls) { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; }
function button(id, key, onClick) {
  const b = el('button', t(key)); b.type = 'button'; b.id = id; b.dataset.i18n = key; b.addEventListener('click', onClick); return b;
}

/** Switches to the outreach mode, keeping the loaded analysis (user's files or the demo). */
export async function enter({ load = true } = {}) {
  if (on) return;
  on = true;
  document.body.classList.add('outreach-mode');
  document.body.classList.toggle('kiosk', KIOSK);
  const main = document.querySelector('main');
  if (main) { mainPlace = main.nextSibling; detachedMain = main; main.remove(); }
  root = build();
  document.body.insertBefore(root, mainPlace);
  setUrlMode(true);
  document.addEventListener('keydown', onKey);
  root.querySelector('#outreach-h').focus();
  if (load && ctx.analysis()) await show(ctx.analysis());
  else if (!ctx.analysis()) setStatus(t('outreach.loading'));
}

/** Back to the expert page: <main> returns and is redrawn from the current analysis. */
export async function leave() {
  if (!on) return;
  on = false;
  stopTimer();
  document.removeEventListener('keydown', onKey);
  if (document.fullscreenElement) await document.exitFullscreen().catch(() => {});
  root.remove(); root = null; view = null; exports = null; birds = null;
  if (detachedMain) { document.body.insertBefore(detachedMain, mainPlace); detachedMain = null; }
  document.body.classList.remove('outreach-mode', 'kiosk');
  const banner = document.getElementById('simulated-banner');
  banner.textContent = t('core.banner'); banner.dataset.i18n = 'core.banner';
  setUrlMode(false);
  await ctx.expertShow();
  document.getElementById('outreach-open').focus();
}

function setUrlMode(outreach) {
  const u = new URL(location.href);
  if (outreach) u.searchParams.set('mode', 'outreach'); else u.searchParams.delete('mode');
  history.replaceState(null, '', u);
}

function build() {
  const s = el('section', undefined, 'outreach');
  s.id = 'outreach';
  s.setAttribute('aria-labelledby', 'outreach-h');
  const bar = el('div', undefined, 'outreach-bar');
  const h = el('h2', t('outreach.title')); h.id = 'outreach-h'; h.dataset.i18n = 'outreach.title'; h.tabIndex = -1;
  const tools = el('div', undefined, 'outreach-tools');
  tools.append(languageSelect('outreach-lang'),
    button('outreach-fullscreen', 'outreach.fullscreen', () => toggleFullscreen()),
    button('outreach-leave', 'outreach.expert', () => leave()));
  bar.append(h, tools);
  const status = el('p', '', 'outreach-status visually-hidden'); status.id = 'outreach-status';
  status.setAttribute('role', 'status'); status.setAttribute('aria-live', 'polite');
  const stage = el('div', undefined, 'outreach-stage'); stage.id = 'outreach-slides';
  stage.setAttribute('role', 'region'); stage.setAttribute('aria-roledescription', t('outreach.carousel'));
  stage.setAttribute('aria-label', t('outreach.title'));
  swipe(stage);
  stage.addEventListener('pointerenter', (e) => { if (e.pointerType === 'mouse') hold(true); });
  stage.addEventListener('pointerleave', () => hold(false));
  const nav = el('div', undefined, 'outreach-nav');
  const counter = el('span', '', 'outreach-counter'); counter.id = 'outreach-counter';
  // The progress indicator: slide k of n, and a bar that fills up until the next slide.
  const progress = el('div', undefined, 'outreach-progress'); progress.id = 'outreach-progress';
  progress.setAttribute('role', 'progressbar'); progress.setAttribute('aria-valuemin', '1');
  progress.setAttribute('aria-labelledby', 'outreach-counter');
  const timerBar = el('span', undefined, 'outreach-timer'); timerBar.id = 'outreach-timer';
  progress.append(timerBar);
  const middle = el('div', undefined, 'outreach-middle');
  middle.append(counter, progress);
  nav.append(button('outreach-prev', 'outreach.prev', () => go(index - 1, true)), middle,
    button('outreach-play', 'outreach.pause', () => togglePause()),
    button('outreach-next', 'outreach.next', () => go(index + 1, true)));
  const foot = el('div', undefined, 'outreach-foot');
  const gen = el('p', '', 'outreach-generalisation'); gen.id = 'outreach-generalisation';
  const ex = el('div', undefined, 'outreach-exports'); ex.id = 'outreach-exports';
  const hint = el('p', t('outreach.keys'), 'outreach-hint'); hint.dataset.i18n = 'outreach.keys';
  foot.append(gen, ex, hint);
  s.append(bar, status, stage, nav, foot);
  return s;
}

function setStatus(text) { const s = document.getElementById('outreach-status'); if (s) s.textContent = text; }

/** Asks the core for the generalised view of `analysis` in the current language and shows it. */
export async function show(analysis) {
  if (!on || analysis !== ctx.analysis()) return;
  await renderView();
}

async function renderView() {
  const analysis = ctx.analysis();
  if (!analysis || !root) return;
  const seq = ++renderSeq;
  const banner = document.getElementById('simulated-banner'); // the demo is labelled SIMULATED here too
  banner.hidden = !analysis.simulated;
  banner.textContent = t('outreach.banner'); banner.dataset.i18n = 'outreach.banner';
  setStatus(t('outreach.loading'));
  try {
    const r = await ctx.runInWorker('outreach', { analysis, options: { lang: lang() } });
    if (seq !== renderSeq || !root) return;
    view = r.view; exports = { geojson: r.geojson, dwc: r.dwc };
    birds = await waterbirds(analysis);
    if (seq !== renderSeq || !root) return;
  } catch (e) {
    if (seq !== renderSeq || !root) return;
    view = null; exports = null;
    const missing = /no outreach module/.test(e.message);
    setStatus('');
    document.getElementById('outreach-slides').replaceChildren(
      el('p', missing ? t('outreach.unavailable') : t('outreach.failed', { message: e.message }), 'outreach-error'));
    document.querySelector('#outreach-slides .outreach-error').setAttribute('role', 'alert');
    document.getElementById('outreach-exports').replaceChildren();
    root.dataset.ready = 'error';
    return;
  }
  drawSlides();
  setStatus(t('outreach.ready', { n: slideCount() }));
  root.dataset.ready = '1';
  if ((KIOSK || !reducedMotion()) && !paused) startTimer(); else { paused = true; stopTimer(); updateButtons(); }
}

/** The waterbird slides to show with `analysis`: those of the files analysed in the Waterbirds
 * view, else with the demo those of the SIMULATED Tumen survey (null when there are none or the
 * core's export is not there: the other slides still show). */
async function waterbirds(analysis) {
  const dropped = ctx.waterbirdFiles ? ctx.waterbirdFiles() : [];
  if (!dropped.length && !analysis.simulated) return null;
  try {
    const files = dropped.length ? dropped
      : await Promise.all(WATERBIRD_DEMO.map(async (p) => ({ name: p.split('/').pop(), bytes: new Uint8Array(await asset(p)) })));
    return await ctx.runInWorker('outreach_waterbirds', { files, options: { lang: lang() } });
  } catch (e) {
    console.warn(`waterbird slides: ${e.message}`);
    return null;
  }
}

// The key numbers get a slide of large HTML text unless the core drew one (slide key "numbers").
const ownNumbers = () => !view.slides.some((s) => s.key === 'numbers');
const allSlides = () => (view ? [...view.slides, ...(birds ? birds.slides : [])] : []);
function slideCount() { return view ? allSlides().length + (ownNumbers() ? 1 : 0) : 0; }

function drawSlides() {
  const stage = document.getElementById('outreach-slides');
  const n = slideCount();
  const slides = [];
  // Slide 1: the key numbers, large (unless the core's slides include them).
  const numbers = el('div', undefined, 'slide slide-numbers');
  numbers.dataset.key = 'numbers';
  const nh = el('h3', t('outreach.numbers'));
  const list = el('ul', undefined, 'outreach-numbers');
  for (const x of view.numbers) {
    const li = el('li'); li.dataset.key = x.key;
    li.append(el('span', x.value, 'big'), el('span', x.label, 'what'));
    list.append(li);
  }
  numbers.append(nh, list);
  if (ownNumbers()) slides.push(numbers);
  for (const s of allSlides()) {
    const f = el('figure', undefined, 'slide');
    f.dataset.key = s.key;
    const capId = `outreach-cap-${s.key}`;
    const pic = el('div', undefined, 'slide-svg');
    pic.innerHTML = s.svg; // drawn by the core from generalised data only
    const svg = pic.querySelector('svg');
    if (svg) { svg.setAttribute('role', 'img'); svg.setAttribute('aria-labelledby', capId); }
    const cap = el('figcaption', s.alt, 'slide-alt'); cap.id = capId;
    // The core draws title and subtitle into the slide; here they are the slide's heading for
    // assistive technology, not shown twice.
    f.append(el('h3', s.title, 'visually-hidden'), el('p', s.subtitle, 'visually-hidden'), pic, cap);
    slides.push(f);
  }
  slides.forEach((s, i) => {
    s.setAttribute('role', 'group');
    s.setAttribute('aria-roledescription', t('outreach.slide'));
    s.setAttribute('aria-label', t('outreach.slide_of', { i: i + 1, n }));
  });
  stage.replaceChildren(...slides);
  // What is shown and what is withheld, in numbers that add up (never "hidden" beside a total).
  document.getElementById('outreach-generalisation').textContent = view.shown_and_withheld || view.generalisation;
  drawExports();
  go(Math.min(index, n - 1), false);
}

function drawExports() {
  const box = document.getElementById('outreach-exports');
  if (!exports) { box.replaceChildren(); return; }
  const h = el('span', t('outreach.exports_h'), 'outreach-exports-h');
  h.title = t('outreach.exports_note');
  const note = el('span', t('outreach.exports_note'), 'visually-hidden');
  const b1 = button('outreach-dl-geojson', 'outreach.dl_geojson', () => download('generalised.geojson', exports.geojson, 'application/geo+json'));
  const b2 = button('outreach-dl-dwc', 'outreach.dl_dwc', () => download('generalised-darwin-core.csv', exports.dwc, 'text/csv'));
  const row = el('div', undefined, 'buttons');
  row.append(b1, b2);
  box.replaceChildren(h, note, row);
}

function go(i, byUser) {
  const n = slideCount();
  if (!n) return;
  index = ((i % n) + n) % n;
  const slides = document.querySelectorAll('#outreach-slides > .slide');
  slides.forEach((s, k) => { s.hidden = k !== index; s.classList.toggle('current', k === index); });
  document.getElementById('outreach-counter').textContent = t('outreach.slide_of', { i: index + 1, n });
  const p = document.getElementById('outreach-progress');
  p.setAttribute('aria-valuemax', String(n)); p.setAttribute('aria-valuenow', String(index + 1));
  root.dataset.slide = String(index);
  if (!paused) startTimer(); // every change (manual or timed) restarts the countdown
}

// The countdown of the current slide: a timeout of `remaining` ms and the timer bar's animation,
// both held while the pointer is over the slide or the user has paused.
function startTimer() {
  stopTimer();
  remaining = ADVANCE_MS;
  const bar = document.getElementById('outreach-timer');
  if (bar) { bar.style.animation = 'none'; void bar.offsetWidth; bar.style.animation = `outreach-timer ${ADVANCE_MS}ms linear forwards`; }
  if (!held) run();
  updateButtons();
}
function run() {
  if (slideCount() < 2 || paused) return;
  started = performance.now();
  timer = setTimeout(() => { timer = null; go(index + 1, false); }, remaining);
  const bar = document.getElementById('outreach-timer');
  if (bar) bar.style.animationPlayState = 'running';
  if (root) root.dataset.timer = 'running';
}
function stopTimer() {
  if (timer) { clearTimeout(timer); remaining = Math.max(0, remaining - (performance.now() - started)); }
  timer = null;
  const bar = document.getElementById('outreach-timer');
  if (bar) bar.style.animationPlayState = 'paused';
  if (root) root.dataset.timer = paused ? 'paused' : 'held';
}
function hold(on) {
  if (held === on) return;
  held = on;
  if (paused) return;
  if (on) stopTimer(); else run();
}

function togglePause() {
  paused = !paused;
  if (paused) { stopTimer(); const bar = document.getElementById('outreach-timer'); if (bar) bar.style.animation = 'none'; } else startTimer();
  updateButtons();
}

function updateButtons() {
  const p = document.getElementById('outreach-play');
  if (p) { const key = paused ? 'outreach.play' : 'outreach.pause'; p.dataset.i18n = key; p.textContent = t(key); p.setAttribute('aria-pressed', String(!paused)); }
  const f = document.getElementById('outreach-fullscreen');
  if (f) { const key = document.fullscreenElement ? 'outreach.exit_fullscreen' : 'outreach.fullscreen'; f.dataset.i18n = key; f.textContent = t(key); }
}

async function toggleFullscreen() {
  try {
    if (document.fullscreenElement) await document.exitFullscreen();
    else await document.documentElement.requestFullscreen();
  } catch { /* not allowed here (e.g. an iframe): the page stays as it is */ }
  updateButtons();
}

function onKey(e) {
  if (!on || e.altKey || e.ctrlKey || e.metaKey) return;
  const tag = (e.target && e.target.tagName) || '';
  if (['SELECT', 'INPUT', 'TEXTAREA'].includes(tag)) return;
  if (e.key === 'ArrowRight' || e.key === 'PageDown') { e.preventDefault(); go(index + 1, true); }
  else if (e.key === 'ArrowLeft' || e.key === 'PageUp') { e.preventDefault(); go(index - 1, true); }
  else if (e.key === 'Home') { e.preventDefault(); go(0, true); }
  else if (e.key === 'End') { e.preventDefault(); go(slideCount() - 1, true); }
  else if ((e.key === ' ' || e.key === 'k') && tag !== 'BUTTON') { e.preventDefault(); togglePause(); }
}

function swipe(target) {
  let x0 = null; let y0 = null;
  target.addEventListener('pointerdown', (e) => { if (e.pointerType !== 'mouse') { x0 = e.clientX; y0 = e.clientY; } });
  target.addEventListener('pointerup', (e) => {
    if (x0 === null) return;
    const dx = e.clientX - x0; const dy = e.clientY - y0;
    x0 = null;
    if (Math.abs(dx) > 50 && Math.abs(dx) > Math.abs(dy)) go(index + (dx < 0 ? 1 : -1), true);
  });
  target.addEventListener('pointercancel', () => { x0 = null; });
}

function download(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url; a.download = name; document.body.append(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
