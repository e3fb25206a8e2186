// The interactive map: the core's MapView (WASM, main thread) keeps the projected layers and
// draws each view into RGBA pixels; this file only forwards pointer, touch and keyboard input,
// puts the pixels on the canvas and shows what the core says is under the pointer.
// PNG export: the core's print SVG drawn into a canvas at 300 dpi (the browser renders the
// margin text in any script with the system's fonts; the core has no font rasteriser).
import { core, asset, BASEMAP } from './bridge.js';
import { detached } from './outreach.js';
import { t, lang } from './i18n.js';

// Elements of the expert part stay reachable while the outreach mode has taken it out of the document.
const $ = (id) => document.getElementById(id) || detached(id);

let view = null;
let basemap = null;      // [{name, bytes, role: 'basemap'}] once fetched (by the bridge, once per visit)
let MapView = null;      // the core's class, on this thread
let source = '';
let frame = 0;
const pointers = new Map();

// Asked for when the module loads, so that the map of a finished analysis is built at once, in
// the same task that shows the other results (nothing left running on this thread afterwards).
const basemapReady = Promise.all([core(), asset(BASEMAP).catch(() => null)]).then(([wasm, b]) => {
  MapView = wasm.MapView;
  basemap = b ? [{ name: BASEMAP.split('/').pop(), bytes: new Uint8Array(b), role: 'basemap' }] : [];
});

function size() {
  const w = Math.max(320, Math.min(1400, Math.round($('map-stage').clientWidth || 900)));
  return { width: w, height: Math.round(w * 0.62) };
}

function draw() {
  frame = 0;
  if (!view) return;
  const canvas = $('map-canvas');
  const t0 = performance.now();
  const px = view.render();
  canvas.getContext('2d').putImageData(new ImageData(px, canvas.width, canvas.height), 0, 0);
  canvas.dataset.renderMs = (performance.now() - t0).toFixed(2);
  canvas.dataset.view = JSON.stringify(view.viewState());
  $('map-furniture').innerHTML = view.furnitureSvg();
}

function schedule() { if (!frame) frame = requestAnimationFrame(draw); }

function xy(e) {
  const c = $('map-canvas'); const r = c.getBoundingClientRect();
  return [(e.clientX - r.left) * (c.width / r.width), (e.clientY - r.top) * (c.height / r.height)];
}

function announce(p) {
  const tip = $('map-tip');
  if (!p) { tip.hidden = true; tip.textContent = ''; return; }
  tip.hidden = false;
  tip.textContent = p.label;
  tip.dataset.layer = p.layer;
}

function pickAt(x, y) { if (view) announce(view.pick(x, y, 6)); }

function legend() {
  const ul = $('map-legend');
  ul.replaceChildren(...view.legend().map((e) => {
    const li = document.createElement('li');
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox'; box.checked = e.visible; box.dataset.layer = e.layer;
    box.addEventListener('change', () => { view.setLayerVisible(e.layer, box.checked); schedule(); });
    const sw = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    sw.setAttribute('viewBox', '0 0 16 16'); sw.setAttribute('width', '16'); sw.setAttribute('height', '16');
    sw.setAttribute('aria-hidden', 'true'); sw.innerHTML = e.swatch;
    const text = document.createElement('span'); text.textContent = e.label;
    label.append(box, sw, text); li.append(label);
    return li;
  }));
}

function download(name, blob) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url; a.download = name; document.body.append(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function printSvg() {
  return view.exportSvg({ title: t('maps.printTitle'), source, date: new Date().toISOString().slice(0, 10), width_mm: 190 });
}

async function exportPng() {
  const svg = printSvg();
  const vb = svg.match(/viewBox="0 0 ([\d.]+) ([\d.]+)"/);
  const w = Math.round((190 / 25.4) * 300); // 190 mm at 300 dpi
  const h = Math.round(w * Number(vb[2]) / Number(vb[1]));
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const img = new Image(); img.src = url; await img.decode();
    const c = document.createElement('canvas'); c.width = w; c.height = h;
    c.getContext('2d').drawImage(img, 0, 0, w, h);
    const blob = await new Promise((res) => c.toBlob(res, 'image/png'));
    download('map-300dpi.png', blob);
    $('map-status').textContent = `${t('maps.pngDone')} ${w}×${h}`;
  } finally { URL.revokeObjectURL(url); }
}

async function addPolygons(file) {
  try {
    const n = view.addPolygons([{ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) }]);
    $('map-status').textContent = `${file.name}: ${n} ${t('maps.polygonsAdded')}`;
    $('map-status').classList.remove('error');
    legend(); schedule();
  } catch (e) {
    $('map-status').textContent = e.message; $('map-status').classList.add('error');
  }
}

let wired = false;
function wire() {
  if (wired) return; wired = true;
  const c = $('map-canvas');
  c.addEventListener('pointerdown', (e) => { c.setPointerCapture(e.pointerId); pointers.set(e.pointerId, xy(e)); c.focus(); });
  c.addEventListener('pointermove', (e) => {
    if (!view) return;
    const p = xy(e);
    if (!pointers.has(e.pointerId)) { pickAt(...p); return; }
    if (pointers.size === 2) {
      const [a, b] = [...pointers.values()];
      const other = [...pointers.entries()].find(([id]) => id !== e.pointerId)[1];
      const before = Math.hypot(a[0] - b[0], a[1] - b[1]);
      const after = Math.hypot(p[0] - other[0], p[1] - other[1]);
      if (before > 0) view.zoomAt(after / before, (p[0] + other[0]) / 2, (p[1] + other[1]) / 2);
    } else {
      const last = pointers.get(e.pointerId);
      view.panBy(p[0] - last[0], p[1] - last[1]);
    }
    pointers.set(e.pointerId, p);
    schedule();
  });
  const up = (e) => { pointers.delete(e.pointerId); };
  c.addEventListener('pointerup', up); c.addEventListener('pointercancel', up);
  c.addEventListener('click', (e) => pickAt(...xy(e)));
  c.addEventListener('pointerleave', () => { if (!pointers.size) announce(null); });
  c.addEventListener('wheel', (e) => {
    if (!view) return; e.preventDefault();
    view.zoomAt(Math.exp(-e.deltaY * 0.0015), ...xy(e)); schedule();
  }, { passive: false });
  c.addEventListener('keydown', (e) => {
    if (!view) return;
    const step = 60; const cx = c.width / 2; const cy = c.height / 2;
    const keys = {
      ArrowLeft: () => view.panBy(step, 0), ArrowRight: () => view.panBy(-step, 0),
      ArrowUp: () => view.panBy(0, step), ArrowDown: () => view.panBy(0, -step),
      '+': () => view.zoomAt(1.5, cx, cy), '=': () => view.zoomAt(1.5, cx, cy),
      '-': () => view.zoomAt(1 / 1.5, cx, cy), '_': () => view.zoomAt(1 / 1.5, cx, cy),
      0: () => view.reset(), Enter: () => {},
    };
    const f = keys[e.key];
    if (!f) return;
    e.preventDefault(); f(); draw();
    // Keyboard users hear what is under the centre cross-hair.
    pickAt(cx, cy);
  });
  $('map-polygons').addEventListener('change', (e) => { const f = e.target.files[0]; if (f) addPolygons(f); e.target.value = ''; });
  $('map-export-svg').addEventListener('click', () => download('map-print.svg', new Blob([printSvg()], { type: 'image/svg+xml' })));
  $('map-export-png').addEventListener('click', () => exportPng().catch((e) => { $('map-status').textContent = e.message; }));
}

// The view is built (the core projects the layers) in one task and first drawn in the next, so
// that neither holds the page for long.
const nextTask = () => (globalThis.scheduler && scheduler.yield ? scheduler.yield() : new Promise((r) => setTimeout(r, 0)));
let builds = 0;
async function build(analysis) {
  const seq = ++builds;
  const { width, height } = size();
  view?.free();
  view = new MapView(analysis, basemap, { lang: lang(), width, height });
  const c = $('map-canvas'); c.width = width; c.height = height;
  c.dataset.detections = String(view.detectionCount());
  legend();
  await nextTask();
  if (seq !== builds) return; // a newer view is being built
  draw();
  $('map-section').dataset.interactive = '1';
}

/**
 * Fits the map to its box when that box's width has changed since the map was made (it is built
 * while its view is hidden, at a default width: nav.js calls this when the map view is shown). A
 * changed size keeps the map whole (the home view); an unchanged one keeps the user's pan and zoom.
 */
export function fitMap() {
  if (!view || !$('map-stage').clientWidth) return;
  const { width, height } = size();
  const c = $('map-canvas');
  if (Math.abs(c.width - width) < 8) return;
  view.resize(width, height);
  view.reset();
  c.width = width; c.height = height;
  draw();
}

/** Shows `analysis` on the interactive map; `files` name the data source in exports. */
export async function showMap(analysis, files = []) {
  wire();
  source = files.map((f) => f.name).join(', ') || 'Borderless';
  if (basemap === null) await basemapReady;
  await build(analysis);
}
