// Module worker: parsing, joining and map drawing run here, so the page never freezes.
// Protocol: {id, op: 'analyze' | 'closed' | 'secr' | 'design', occasionDays (closed), secrOptions (secr),
//   designOptions and layout?: {name, file?|bytes?} (design: proposed stations instead of the files'),
//   files: [{name, file?: File, bytes?: ArrayBuffer}], options, mapOptions, chartOptions}
//   -> {id, type: 'progress', stage, fraction} ... then {id, type: 'result', analysis, mapSvg, charts}
//   op 'chartset' {chartSetOptions} -> {chartSet}; op 'overlap' {overlapOptions} -> {overlap} (chartsview.js)
//   or {id, type: 'error', message}. Cancel = the page terminates this worker.
//   Progress of the worker's own stages also carries stageKey (a key of the page's string table).
//   expert: false (outreach mode) → 'analyze' returns the analysis only; no expert map or charts are drawn.
//   op 'render' {analysis, mapOptions, chartOptions} → {mapSvg, charts}: the same drawings in another language.
//   op 'outreach' {analysis, outreachOptions} → {view: OutreachView, geojson, dwc}: only what the core's
//   privacy module generalised (wt-privacy's outreachView / outreachGeoJson / outreachDarwinCore).
import init, * as core from './pkg/borderless.js';

// Identity review (the session stays in this worker): op 'identity-open' {files, options, decisions?, candidateOptions?}
//   -> {candidates, candidatesError, analysis, genotypes}; 'identity-apply' {decisions, candidateOptions?}
//   -> {analysis, candidates, candidatesError};
//   'identity-export' {decisions, what: 'links' | 'individuals'} -> {text} (individuals also gives {resource}).
const { analyze, designSurvey, fitClosed, fitSecr, renderMap, renderCharts, IdentitySession, activityOverlap, renderChartSet } = core;

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
    if (!['analyze', 'closed', 'secr', 'design', 'render', 'outreach', 'identity-open', 'identity-apply', 'identity-export', 'chartset', 'overlap'].includes(data.op)) throw new Error(`unknown operation ${data.op}`);
    if (data.op === 'identity-apply' || data.op === 'identity-export') {
      if (!identity) throw new Error('no identity session: send identity-open first');
      if (data.op === 'identity-apply') {
        const analysis = identity.analysis(data.decisions || []);
        await basemapReady;
        self.postMessage({ id, type: 'result', analysis, ...identityCandidates(data.candidateOptions), ...draw(analysis, data) });
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
    if (data.op === 'render') {
      await basemapReady;
      self.postMessage({ id, type: 'result', ...draw(data.analysis, data) });
      return;
    }
    if (data.op === 'outreach') {
      await basemapReady;
      if (typeof core.outreachView !== 'function') throw new Error('this build has no outreach module (outreachView)');
      const o = data.outreachOptions || {};
      const view = core.outreachView(data.analysis, o, basemap || undefined);
      const geojson = core.outreachGeoJson(data.analysis, o);
      const dwc = core.outreachDarwinCore(data.analysis, o);
      self.postMessage({ id, type: 'result', view, geojson, dwc });
      return;
    }
    const files = [];
    for (const f of data.files) {
      const buf = f.bytes ? f.bytes : await f.file.arrayBuffer();
      files.push({ name: f.name, bytes: new Uint8Array(buf) });
    }
    self.postMessage({ id, type: 'progress', stage: 'files read', stageKey: 'core.stage.files_read', fraction: 0.02 });
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
    if (data.op === 'chartset') {
      const chartSet = renderChartSet(files, data.options || {}, data.chartSetOptions || {});
      self.postMessage({ id, type: 'result', chartSet });
      return;
    }
    if (data.op === 'overlap') {
      const overlap = activityOverlap(files, data.options || {}, data.overlapOptions || {});
      self.postMessage({ id, type: 'result', overlap });
      return;
    }
    if (data.op === 'closed') {
      const closed = fitClosed(files, data.options || {}, data.occasionDays, progress);
      self.postMessage({ id, type: 'result', closed });
      return;
    }
    const analysis = analyze(files, data.options || {}, (stage, fraction) =>
      self.postMessage({ id, type: 'progress', stage, fraction }));
    if (data.expert === false) {
      self.postMessage({ id, type: 'result', analysis });
      return;
    }
    self.postMessage({ id, type: 'progress', stage: 'drawing the map', stageKey: 'core.stage.map', fraction: 0.95 });
    await basemapReady;
    const { mapSvg, charts } = draw(analysis, data, () =>
      self.postMessage({ id, type: 'progress', stage: 'drawing the charts', stageKey: 'core.stage.charts', fraction: 0.98 }));
    self.postMessage({ id, type: 'result', analysis, mapSvg, charts });
  } catch (e) {
    self.postMessage({ id, type: 'error', message: String(e && e.message ? e.message : e) });
  }
};

// The expert map and charts in the page's language. Options carry `lang`; a core whose map or chart
// options do not know `lang` yet (deny_unknown_fields) is given the translated labels it accepts instead.
function draw(analysis, data, between = () => {}) {
  const mapSvg = withLang((o) => renderMap(analysis, basemap, o), data.mapOptions, data.legacyMapOptions);
  between();
  const charts = withLang((o) => renderCharts(analysis, o), data.chartOptions, data.legacyChartOptions);
  return { mapSvg, charts };
}

function withLang(render, options = {}, legacy = {}) {
  try {
    return render(options);
  } catch (e) {
    if (!/unknown field `lang`/.test(String(e && e.message ? e.message : e))) throw e;
    return render(legacy);
  }
}
