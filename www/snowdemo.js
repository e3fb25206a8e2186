// The second demo: a SIMULATED snow-leopard survey across the Mongolia–Russia border (Chikhachev
// ridge region), two survey years, made by `borderless demo --snow-leopard`
// (crate/src/pipeline/snow_demo.rs; files and truth in demo/snowleopard/). One year at a time is
// loaded into the page, like the tiger demo: its two Camtrap DP packages (catalogs MN and RU),
// the links of animals seen on both sides and the border, so that every view and the SECR form
// work on it. While it is the loaded survey, its own SIMULATED banner replaces the tiger demo's.
import { asset } from './bridge.js';
import { detached } from './outreach.js';

// Literal paths (tests/e2e/offline.test.mjs and tools/bundle.mjs read them from this source).
const FILES = [
  'demo/snowleopard/2023/mn.zip', 'demo/snowleopard/2023/ru.zip', 'demo/snowleopard/2023/links.csv',
  'demo/snowleopard/2024/mn.zip', 'demo/snowleopard/2024/ru.zip', 'demo/snowleopard/2024/links.csv',
  'demo/snowleopard/border.geojson', 'demo/snowleopard/rugged.tif'];
// The density model the demo was simulated from, within one year (the ruggedness raster is a
// mask covariate named after its file).
const MODEL = 'D~rugged';
const PREFIX = 'snowleopard-';

/** The files of one survey year, named `snowleopard-<year>-<file>` in the page's file list. */
export async function snowDemoFiles(year) {
  const paths = FILES.filter((p) => p.includes(`/${year}/`) || p.endsWith('border.geojson'));
  return Promise.all(paths.map(async (path) => {
    const name = path.split('/').slice(2).join('-'); // 2023-mn.zip, border.geojson
    return { name: PREFIX + (name.startsWith(year) ? name : `${year}-${name}`), bytes: await asset(path) };
  }));
}

/** Puts the ruggedness raster and D~rugged into the SECR form (or takes them out again). */
async function prefillSecr(on) {
  const model = document.getElementById('secr-model');
  const cov = document.getElementById('secr-covariate');
  if (!model || !cov) return;
  const dt = new DataTransfer();
  if (on) dt.items.add(new File([await asset(FILES[FILES.length - 1])], 'rugged.tif', { type: 'image/tiff' }));
  cov.files = dt.files;
  model.value = on ? MODEL : '';
}

/**
 * Wires the "Snow leopard demo (SIMULATED)" button and year select. `analyse(files, labelKey)` is
 * the page's loader (main.js). The banner follows the file list: shown while it holds this demo,
 * and the SECR form then holds the demo's density model D~rugged and its raster.
 */
export function setupSnowDemo({ analyse }) {
  const $ = (id) => document.getElementById(id) || detached(id); // the expert part is detached in the public view
  const button = $('snow-demo');
  if (!button) return;
  const sync = () => {
    const first = $('loaded-files').firstElementChild;
    const snow = Boolean(first && first.textContent.startsWith(PREFIX));
    const was = document.body.dataset.demo === 'snowleopard';
    if (snow) document.body.dataset.demo = 'snowleopard';
    else delete document.body.dataset.demo;
    $('snow-banner').hidden = !snow;
    if (snow !== was) prefillSecr(snow).catch(() => {});
  };
  new MutationObserver(sync).observe($('loaded-files'), { childList: true, subtree: true, characterData: true });
  button.addEventListener('click', async () => {
    const files = await snowDemoFiles($('snow-year').value);
    await analyse(files, 'snowdemo.label');
  });
}
