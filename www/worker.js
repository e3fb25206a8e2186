// Module worker: parsing, joining and map drawing run here, so the page never freezes.
// Protocol: {id, op: 'analyze' | 'closed' | 'secr' | 'design', occasionDays (closed), secrOptions (secr),
//   designOptions and layout?: {name, file?|bytes?} (design: proposed stations instead of the files'),
//   files: [{name, file?: File, bytes?: ArrayBuffer}], options, mapOptions, chartOptions}
//   -> {id, type: 'progress', stage, fraction} ... then {id, type: 'result', analysis, mapSvg, charts}
//   or {id, type: 'error', message}. Cancel = the page terminates this worker.
// Identity review (the session stays in this worker): op 'identity-open' {files, options, decisions?, candidateOptions?}
//   -> {candidates, candidatesError, analysis, genotypes}; 'identity-apply' {decisions, candidateOptions?}
//   -> {analysis, candidates, candidatesError};
//   'identity-export' {decisions, what: 'links' | 'individuals'} -> {text} (individuals also gives {resource}).
import init, { analyze, designSurvey, fitClosed, fitSecr, renderMap, renderCharts, IdentitySession } from './pkg/borderless.js';

const ready = init();
let identity = null;
// Candidates can fail alone (e.g. no σ can be estimated and none was given): the analysis still
// comes back, with the reason.
const identityCandidates = (options) => {
  try {
    return { candidates: identity.candidates(options), candidatesError: null };
  } catch (e) {
    return { candidates: null, candidatesError: String(e && e.message ? e.message : e) };
  }
};
let basemap = null;
const basemapReady = fetch('basemap/ne-asia-countries-10m.topo.json')
  .then((r) => (r.ok ? r.arrayBuffer() : null))
  .then((b) => { basemap = b ? new Uint8Array(b) : null; })
  .catch(() => { basemap = null; });

self.onmessage = async ({ data }) => {
  const { id } = data;
  try {
    await ready;
    if (data.op === 'identity-apply' || data.op === 'identity-export') {
      if (!identity) throw new Error('no identity session: send identity-open first');
      if (data.op === 'identity-apply') {
        const analysis = identity.analysis(data.decisions || []);
        self.postMessage({ id, type: 'result', analysis, ...identityCandidates(data.candidateOptions) });
      } else if (data.what === 'links') {
        self.postMessage({ id, type: 'result', text: identity.linksCsv(data.decisions || []) });
      } else if (data.what === 'individuals') {
        self.postMessage({ id, type: 'result', text: identity.individualsCsv(data.decisions || []),
          resource: identity.individualsResource() });
      } else {
        throw new Error(`unknown export ${data.what}`);
      }
      return;
    }
    if (!['analyze', 'identity-open', 'closed', 'secr', 'design'].includes(data.op)) throw new Error(`unknown operation ${data.op}`);
    const files = [];
    for (const f of data.files) {
      const buf = f.bytes ? f.bytes : await f.file.arrayBuffer();
      files.push({ name: f.name, bytes: new Uint8Array(buf) });
    }
    self.postMessage({ id, type: 'progress', stage: 'files read', fraction: 0.02 });
    const progress = (stage, fraction) => self.postMessage({ id, type: 'progress', stage, fraction });
    if (data.op === 'design') {
      await basemapReady;
      const l = data.layout;
      const layout = l ? new Uint8Array(l.bytes ? l.bytes : await l.file.arrayBuffer()) : undefined;
      const design = designSurvey(l ? [] : files, data.options || {}, data.designOptions || {}, layout, l ? l.name : undefined,
        basemap, progress);
      self.postMessage({ id, type: 'result', design });
      return;
    }
    if (data.op === 'secr') {
      await basemapReady;
      const polygons = (b) => (b ? new Uint8Array(b) : undefined);
      const secr = fitSecr(files, data.options || {}, data.secrOptions || {}, basemap, polygons(data.habitat), polygons(data.regions), progress);
      self.postMessage({ id, type: 'result', secr });
      return;
    }
    if (data.op === 'identity-open') {
      if (identity) identity.free();
      identity = null;
      identity = new IdentitySession(files, data.options || {});
      const analysis = identity.analysis(data.decisions || []);
      self.postMessage({ id, type: 'result', analysis, ...identityCandidates(data.candidateOptions),
        genotypes: identity.genotypes() });
      return;
    }
    if (data.op === 'closed') {
      const closed = fitClosed(files, data.options || {}, data.occasionDays, progress);
      self.postMessage({ id, type: 'result', closed });
      return;
    }
    const analysis = analyze(files, data.options || {}, (stage, fraction) =>
      self.postMessage({ id, type: 'progress', stage, fraction }));
    self.postMessage({ id, type: 'progress', stage: 'drawing the map', fraction: 0.95 });
    await basemapReady;
    const mapSvg = renderMap(analysis, basemap, data.mapOptions || {});
    self.postMessage({ id, type: 'progress', stage: 'drawing the charts', fraction: 0.98 });
    const charts = renderCharts(analysis, data.chartOptions || {});
    self.postMessage({ id, type: 'result', analysis, mapSvg, charts });
  } catch (e) {
    self.postMessage({ id, type: 'error', message: String(e && e.message ? e.message : e) });
  }
};
