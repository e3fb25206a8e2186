// The page's one bridge to the Rust core (after squoosh's worker bridge). Every view asks it;
// nothing else starts a worker or loads the WebAssembly module.
//
//   core()                 the core's exports on this thread (small, quick calls only: exports,
//                          the interactive MapView, version); instantiated from the one compiled module
//   worker(name)           a named worker (one WASM instance each), started on first use:
//     .call(op, payload, {onProgress, onPartial, transfer}) → Promise of the worker's result
//                          requests are numbered; progress ({stage: {code, params}, fraction}) and
//                          partial results are relayed while the request runs
//     .cancel(reason)      terminates the worker (the only way to stop WASM mid-run); every pending
//                          request is rejected with a CancelledError; the next call starts a new worker
//     .onLost(fn)          told when the worker died (a crash, a panic in the core): its state is gone
//     .busy                whether a request is pending
//     .warm()              starts the worker now (it instantiates the core while the page does other work)
//   pool(name, size)       `size` workers for work split in parallel: .call (least busy), .map, .cancel
//   asset(path)            an ArrayBuffer of a shipped file (basemap, demo files), fetched once per visit
//   registerOffline()      installs the service worker (sw.js) that keeps every asset for offline use
//
// The WebAssembly module is downloaded and compiled once per page load; each worker receives the
// compiled module (a WebAssembly.Module is posted, not re-fetched) and the basemap bytes in its
// first message. Files for a request are posted as {name, file: File} or {name, bytes}; the worker
// reads them (in slices: www/worker.js `readFiles`) so the page never holds or parses their bytes.
//
// In the self-contained bundle (scripts/bundle.sh) the module, the assets and the worker's source
// come from `globalThis.BORDERLESS_BUNDLE` instead of the network.
import init, * as wasm from './pkg/borderless.js';

export const WASM_URL = 'pkg/borderless_bg.wasm';
/** The estimation module (SECR, survey design), which a worker loads only when first asked to fit. */
export const ESTIMATE_WASM_URL = 'pkg/estimate/borderless_bg.wasm';
export const BASEMAP = 'basemap/ne-asia-countries-10m.topo.json';
/** The Cache Storage name shared with sw.js (the page stores what it fetched there once). */
export const OFFLINE_CACHE = 'borderless-offline-v6';

const bundled = globalThis.BORDERLESS_BUNDLE || null;

function fromBase64(b64) {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

// Keeps a response fetched by the page for the offline cache, so the service worker never has to
// download it a second time. Best effort: no Cache Storage (file://, private modes) is fine.
function keepOffline(path, response) {
  if (typeof caches === 'undefined' || !isSecureContext) return;
  caches.open(OFFLINE_CACHE).then((c) => c.put(new URL(path, location.href).href, response)).catch(() => {});
}

// --- assets, once per visit -----------------------------------------------------------------
const assets = new Map();

/** The bytes of a shipped file (ArrayBuffer), fetched once per visit. Do not transfer it. */
export function asset(path) {
  if (!assets.has(path)) {
    const p = (async () => {
      if (bundled) {
        const b64 = bundled.assets[path];
        if (b64 === undefined) throw new Error(`${path}: not in this bundle`);
        return fromBase64(b64).buffer;
      }
      const r = await fetch(path);
      if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
      keepOffline(path, r.clone());
      return r.arrayBuffer();
    })();
    p.catch(() => assets.delete(path)); // a failed download may be retried
    assets.set(path, p);
  }
  return assets.get(path);
}

// --- the WebAssembly module, compiled once ---------------------------------------------------
let modulePromise = null;

/** The compiled core (WebAssembly.Module), downloaded and compiled once per page load. */
export function wasmModule() {
  if (!modulePromise) {
    modulePromise = (async () => {
      if (bundled) return WebAssembly.compile(fromBase64(bundled.wasm));
      const r = await fetch(WASM_URL);
      if (!r.ok) throw new Error(`${WASM_URL}: HTTP ${r.status}`);
      keepOffline(WASM_URL, r.clone());
      const spare = r.clone();
      try {
        return await WebAssembly.compileStreaming(r);
      } catch {
        // A server that does not send application/wasm: compile from the bytes instead.
        return WebAssembly.compile(await spare.arrayBuffer());
      }
    })();
  }
  return modulePromise;
}

let corePromise = null;
/** The core's exports on this thread (one instance of the compiled module). */
export function core() {
  if (!corePromise) corePromise = wasmModule().then((module) => init({ module_or_path: module })).then(() => wasm);
  return corePromise;
}

// What each worker receives first: the compiled module, the basemap (a copy per worker) and where
// to find the estimation module should it need it (its URL, or in the bundle its base64 bytes).
let startPromise = null;
function startMessage() {
  if (!startPromise) {
    const estimate = bundled ? { b64: bundled.estimateWasm } : { url: new URL(ESTIMATE_WASM_URL, location.href).href };
    startPromise = Promise.all([wasmModule(), asset(BASEMAP).catch(() => null)])
      .then(([module, basemap]) => ({ type: 'init', module, basemap, basemapName: BASEMAP.split('/').pop(), estimate }));
  }
  return startPromise;
}

// --- workers ------------------------------------------------------------------------------------
let nextId = 1;
let workerUrl = null;
function spawnWorker() {
  if (bundled) {
    workerUrl ??= URL.createObjectURL(new Blob([bundled.worker], { type: 'text/javascript' }));
    return new Worker(workerUrl); // a classic script (tools/bundle.mjs): file:// has no module Blob workers
  }
  return new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
}

/** A request ended because its worker was terminated on purpose. */
export class CancelledError extends Error {
  constructor(reason = 'cancelled') { super(reason); this.name = 'CancelledError'; this.cancelled = true; }
}

/** A request ended because its worker died (its WASM instance and any session in it are gone). */
export class LostError extends Error {
  constructor(message) { super(message); this.name = 'LostError'; this.lost = true; }
}

class Channel {
  constructor(name) {
    this.name = name;
    this.worker = null;
    this.pending = new Map();   // id -> {resolve, reject, onProgress, onPartial}
    this.lostListeners = [];
    this.started = 0;           // workers started so far (tests and diagnostics)
  }

  get busy() { return this.pending.size > 0; }

  start() {
    if (this.worker) return this.worker;
    const w = spawnWorker();
    this.worker = w;
    this.started++;
    w.onmessage = ({ data }) => this.receive(data);
    w.onerror = (e) => { e.preventDefault(); this.lose(w, new LostError(e.message || `the ${this.name} worker failed`)); };
    w.onmessageerror = () => this.lose(w, new LostError(`the ${this.name} worker sent a message that could not be read`));
    // The start message goes first: the worker takes every later request after it.
    this.ready = startMessage().then((m) => { if (this.worker === w) w.postMessage(m); });
    return w;
  }

  receive(data) {
    const p = this.pending.get(data.id);
    if (!p) return; // an answer to a request that was cancelled
    if (data.type === 'progress') { if (p.onProgress) p.onProgress(data); return; }
    if (data.type === 'partial') { if (p.onPartial) p.onPartial(data.result); return; }
    this.pending.delete(data.id);
    if (data.type === 'result') p.resolve(data.result);
    else {
      const err = data.fatal ? new LostError(data.message) : new Error(data.message);
      if (data.code) err.code = data.code;
      p.reject(err);
      // A panic leaves the instance unusable: start afresh (the worker said so).
      if (data.fatal) this.lose(this.worker, err);
    }
  }

  /** Starts the worker ahead of its first request. */
  warm() { this.start(); return this; }

  /** Runs `op` in the worker; resolves to its result. */
  call(op, payload = {}, { onProgress, onPartial, transfer = [] } = {}) {
    const w = this.start();
    const id = nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onProgress, onPartial });
      this.ready.then(() => {
        if (this.worker !== w || !this.pending.has(id)) return;
        w.postMessage({ id, op, payload }, transfer);
      }, (e) => { this.pending.delete(id); reject(e); });
    });
  }

  /** Stops whatever the worker is doing: it is terminated, its requests rejected. */
  cancel(reason = 'cancelled') {
    if (!this.worker) return;
    this.worker.terminate();
    this.worker = null;
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(new CancelledError(reason));
  }

  lose(w, err) {
    if (!w || this.worker !== w) return;
    w.terminate();
    this.worker = null;
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(err);
    for (const f of this.lostListeners) f(err);
  }

  /** `fn(error)` is called when the worker dies (not when it is cancelled). */
  onLost(fn) { this.lostListeners.push(fn); }
}

const channels = new Map();

/** The worker named `name` (created on first use; started on its first call). */
export function worker(name) {
  if (!channels.has(name)) channels.set(name, new Channel(name));
  return channels.get(name);
}

/** `size` workers named `name#0…`, for work split in parallel (e.g. a likelihood over workers). */
export function pool(name, size = Math.max(1, Math.min(4, (navigator.hardwareConcurrency || 2) - 1))) {
  const members = Array.from({ length: size }, (_, i) => worker(`${name}#${i}`));
  const load = new Map(members.map((m) => [m, 0]));
  const call = (op, payload, options) => {
    const m = members.reduce((a, b) => (load.get(b) < load.get(a) ? b : a));
    load.set(m, load.get(m) + 1);
    return m.call(op, payload, options).finally(() => load.set(m, load.get(m) - 1));
  };
  return {
    members,
    call,
    /** One request per item, spread over the pool; resolves to the results in order. */
    map: (op, payloads, options) => Promise.all(payloads.map((p) => call(op, p, options))),
    cancel: (reason) => members.forEach((m) => m.cancel(reason)),
  };
}

/** Workers started so far, by name (for tests: a restarted worker counts again). */
export function stats() {
  return Object.fromEntries([...channels].map(([name, c]) => [name, { started: c.started, busy: c.busy }]));
}

// --- offline ----------------------------------------------------------------------------------
/** Registers sw.js, which keeps every asset so that the site works with no network after this visit. */
export async function registerOffline() {
  if (bundled || !('serviceWorker' in navigator) || !isSecureContext) return null;
  try {
    return await navigator.serviceWorker.register('sw.js');
  } catch {
    return null; // e.g. a browser with service workers disabled: the site works online as before
  }
}
