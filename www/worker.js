// Module worker: parsing, joining and map drawing run here, so the page never freezes.
// Protocol: {id, op: 'analyze' | 'closed' | 'secr' | 'design', occasionDays (closed), secrOptions (secr),
//   designOptions and layout?: {name, file?|bytes?} (design: proposed stations instead of the files'),
//   files: [{name, file?: File, bytes?: ArrayBuffer}], options, mapOptions, chartOptions}
//   -> {id, type: 'progress', stage, fraction} ... then {id, type: 'result', analysis, mapSvg, charts}
//   op 'chartset' {chartSetOptions} -> {chartSet}; op 'overlap' {overlapOptions} -> {overlap} (chartsview.js)
//   or {id, type: 'error', message}. Cancel = the page terminates this worker.
import init, { activityOverlap, analyze, designSurvey, fitClosed, fitSecr, renderChartSet, renderMap, renderCharts } from './pkg/borderless.js';

const ready = init();
let basemap = null;
const basemapReady = fetch('basemap/ne-asia-countries-10m.topo.json')
  .then((r) => (r.ok ? r.arrayBuffer() : null))
  .then((b) => { basemap = b ? new Uint8Array(b) : null; })
  .catch(() => { basemap = null; });

self.onmessage = async ({ data }) => {
  const { id } = data;
  try {
    await ready;
    if (!['analyze', 'closed', 'secr', 'design', 'chartset', 'overlap'].includes(data.op)) throw new Error(`unknown operation ${data.op}`);
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
