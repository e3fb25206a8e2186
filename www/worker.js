// A module worker of the page: one WASM instance of the core, started by www/bridge.js (the only
// place that starts workers). Parsing, joining, estimates and drawing run here, so the page never
// stalls.
//
// Protocol (bridge.js speaks it):
//   ← {type: 'init', module: WebAssembly.Module, basemap: ArrayBuffer | null, basemapName,
//      estimate: {url} | {b64}}   first; `estimate` locates the estimation module (SECR, design),
//      instantiated here on the first request that needs it
//   ← {id, op, payload}
//   → {id, type: 'progress', stage: {code, params}, fraction}   (0..1 over the request)
//   → {id, type: 'partial', result}                             (a first part of the result)
//   → {id, type: 'result', result} | {id, type: 'error', message, fatal?}
// `fatal`: the core panicked; this instance is unusable and the bridge starts a new worker.
// Files in a payload are [{name, file: File} | {name, bytes: ArrayBuffer | Uint8Array}] (with
// `role` for basemap/habitat/regions/layout/covariate files); see readFiles.
import init, * as core from './pkg/borderless.js';
import initEstimate, * as estimateCore from './pkg/estimate/borderless.js';

let ready = null;
let estimateSource = null; // {url} | {b64}: where the estimation module is
let estimateReady = null;
let basemap = null;      // {name, bytes, role: 'basemap'} shipped with the site, or null

// The identity review session lives in this worker between requests (identity-* ops).
let identity = null;

const post = (m, transfer) => self.postMessage(m, transfer || []);

// The estimation module's exports, instantiated on first use (fetched once, or decoded from the bundle).
function estimate() {
  if (!estimateReady) {
    const src = estimateSource || {};
    const bytes = src.b64 ? Uint8Array.from(atob(src.b64), (c) => c.charCodeAt(0)) : null;
    estimateReady = initEstimate({ module_or_path: bytes || src.url }).then(() => estimateCore);
    estimateReady.catch(() => { estimateReady = null; });
  }
  return estimateReady;
}
const stage = (code, params) => ({ code, params: params || {} });
const withBasemap = (files) => (basemap ? [...files, basemap] : files);

// Reads the request's files into bytes for the core. Dropped files (File objects) are read here,
// in slices, so a large file never passes through the page; progress says how far.
// Swap point for streaming: once the core parses a stream, feed it the slices instead of
// assembling them (the bridge and the page do not change).
const SLICE = 8 << 20;
async function readFiles(list, progress, [from, to] = [0, 0.05]) {
  const total = list.reduce((n, f) => n + (f.file ? f.file.size : 0), 0) || 1;
  let done = 0;
  const out = [];
  for (const f of list) {
    let bytes;
    if (f.file) {
      bytes = new Uint8Array(f.file.size);
      for (let at = 0; at < f.file.size; at += SLICE) {
        const part = new Uint8Array(await f.file.slice(at, at + SLICE).arrayBuffer());
        bytes.set(part, at);
        done += part.length;
        progress(stage('pipeline.stage.reading', { name: f.name }), from + (to - from) * (done / total));
      }
    } else {
      bytes = f.bytes instanceof Uint8Array ? f.bytes : new Uint8Array(f.bytes || 0);
    }
    out.push(f.role ? { name: f.name, bytes, role: f.role } : { name: f.name, bytes });
  }
  return out;
}

// The core's progress (over its own run, 0..1) placed into from..to of this request.
const within = (progress, from, to) => (s, fraction) => progress(s, from + (to - from) * fraction);

// The expert map and charts of an analysis, in `lang`.
function draw(analysis, lang, progress, from) {
  progress(stage('pipeline.stage.map'), from);
  const mapSvg = core.renderMap(analysis, basemap ? [basemap] : [], { lang });
  progress(stage('pipeline.stage.charts'), from + (1 - from) / 2);
  const charts = core.renderCharts(analysis, { lang });
  return { mapSvg, charts };
}

// Candidates can fail alone (e.g. no σ can be estimated and none was given): the analysis still
// comes back, with the reason.
function identityCandidates(options) {
  try {
    return { candidates: identity.candidates(options), candidatesError: null };
  } catch (e) {
    return { candidates: null, candidatesError: String(e && e.message ? e.message : e) };
  }
}

const ops = {
  // {files, options: AnalysisOptions, draw?: {lang}} → {analysis}; with `draw`, the analysis
  // comes as a partial result (the page shows the summary before the drawings) and the result is
  // {mapSvg, charts} only.
  async analyze({ files, options, draw: d }, progress, partial) {
    const input = await readFiles(files, progress);
    const analysis = core.analyze(input, options || {}, within(progress, 0.05, d ? 0.9 : 1));
    if (!d) return { analysis };
    // The analysis goes to the page once, as the partial result (the page reads a large one in
    // one task: twice would double that); the result adds only the drawings.
    partial({ analysis });
    return draw(analysis, d.lang, progress, 0.9);
  },
  // {analysis, lang} → {mapSvg, charts}: the same drawings in another language.
  async render({ analysis, lang }, progress) {
    return draw(analysis, lang, progress, 0);
  },
  async closed({ files, options }, progress) {
    return core.fitClosed(await readFiles(files, progress), options || {}, within(progress, 0.05, 1));
  },
  async secr({ files, options }, progress) {
    const est = await estimate();
    return est.fitSecr(withBasemap(await readFiles(files, progress)), options || {}, within(progress, 0.05, 1));
  },
  async design({ files, options }, progress) {
    const est = await estimate();
    return est.designSurvey(withBasemap(await readFiles(files, progress)), options || {}, within(progress, 0.05, 1));
  },
  async chartset({ files, options }, progress) {
    return core.renderChartSet(await readFiles(files, progress), options || {});
  },
  async overlap({ files, options }, progress) {
    return core.activityOverlap(await readFiles(files, progress), options || {});
  },
  // {files, options: WaterbirdRunOptions} → {result, roles, species_list_csv, map_svg}: the
  // waterbird workspace (the shipped basemap draws the countries under the site map).
  async waterbirds({ files, options }, progress) {
    const est = await estimate(); // the waterbird exports are in the estimation module
    return est.waterbirds(withBasemap(await readFiles(files, progress)), options || {});
  },
  // {analysis, options: OutreachOptions} → {view, geojson, dwc}: only what the core's privacy
  // module generalised.
  async outreach({ analysis, options }) {
    const o = options || {};
    return {
      view: core.outreachView(analysis, o, basemap ? [basemap] : []),
      geojson: core.outreachGeoJson(analysis, o),
      dwc: core.outreachDarwinCore(analysis, o),
    };
  },
  // {files: waterbird count tables and sites, options: WaterbirdSlideOptions} → {lang, simulated,
  // findings, slides}: the public view's waterbird slides (figures of whole complexes only).
  async outreach_waterbirds({ files, options }) {
    const est = await estimate();
    return est.outreachWaterbirds(await readFiles(files || []), options || {});
  },
  // {analysis, options: ReportOptions, files?} → {html}: the print-ready report (the public edition
  // draws only what the core's privacy module generalised); with the analysis' files it holds the
  // closed-population estimates fitted on them.
  async report({ analysis, options, files }, progress) {
    const input = files ? await readFiles(files, progress) : [];
    return { html: core.reportHtml(analysis, options || {}, withBasemap(input)) };
  },
  // Identity review: the session stays in this worker.
  //   identity-open {files, options, decisions?, candidateOptions?} → {analysis, candidates, candidatesError, genotypes}
  //   identity-apply {decisions, candidateOptions?, draw?: {lang}} → {analysis, candidates, candidatesError, mapSvg?, charts?}
  //   identity-export {decisions, what: 'links' | 'individuals'} → {text, resource?}
  async 'identity-open'({ files, options, decisions, candidateOptions }, progress) {
    if (identity) identity.free();
    identity = null;
    identity = new core.IdentitySession(await readFiles(files, progress), options || {});
    const analysis = identity.analysis(decisions || []);
    return { analysis, ...identityCandidates(candidateOptions), genotypes: identity.genotypes() };
  },
  async 'identity-apply'({ decisions, candidateOptions, draw: d }, progress) {
    if (!identity) throw new Error('no identity session: send identity-open first');
    const analysis = identity.analysis(decisions || []);
    const out = { analysis, ...identityCandidates(candidateOptions) };
    return d ? { ...out, ...draw(analysis, d.lang, progress, 0.5) } : out;
  },
  async 'identity-export'({ decisions, what }) {
    if (!identity) throw new Error('no identity session: send identity-open first');
    if (what === 'links') return { text: identity.linksCsv(decisions || []) };
    if (what === 'individuals') return { text: identity.individualsCsv(decisions || []), resource: identity.individualsResource() };
    throw new Error(`unknown export ${what}`);
  },
  // For tests of the bridge: answers at once, or after `ms` milliseconds of busy work.
  async ping({ ms = 0 } = {}) {
    const t = performance.now();
    while (performance.now() - t < ms) { /* busy, as a long fit would be */ }
    return { pong: true, version: core.version() };
  },
};

self.onmessage = async ({ data }) => {
  if (data.type === 'init') {
    if (data.basemap) basemap = { name: data.basemapName || 'basemap.topo.json', bytes: new Uint8Array(data.basemap), role: 'basemap' };
    estimateSource = data.estimate || null;
    ready = init({ module_or_path: data.module });
    return;
  }
  const { id, op, payload } = data;
  const progress = (s, fraction) => post({ id, type: 'progress', stage: s, fraction });
  const partial = (result) => post({ id, type: 'partial', result });
  try {
    if (!ready) throw new Error('the worker was not started by the bridge');
    await ready;
    const fn = ops[op];
    if (!fn) throw new Error(`unknown operation ${op}`);
    post({ id, type: 'result', result: await fn(payload || {}, progress, partial) });
  } catch (e) {
    const fatal = e instanceof WebAssembly.RuntimeError;
    post({ id, type: 'error', message: String(e && e.message ? e.message : e), fatal });
  }
};
