// Cross-border identity review panel: ranked candidate pairs from the core (IdentitySession in
// its own worker, 'identity', of the bridge), expert decisions (who, when, why) saved to IndexedDB as they are made,
// restored after a reload or a worker crash, and re-applied through `identity-apply` so the
// summary, joint catalog, map and charts follow each decision without re-parsing.
// Scoring, joining, conflicts and the CSV/Camtrap DP formats are all the core's; this file shows
// them and keeps the decisions.
import { detached } from './outreach.js';
import { core, worker } from './bridge.js';
import { t, fmtNumber, fmtDateTime, onLangChange, coreTexts } from './i18n.js';
import { addDecision, datasetKey, getSetting, listDecisions, plainDecision, setSetting } from './store.js';

// Elements of the expert part stay reachable while the outreach mode has taken it out of the document.
const $ = (id) => document.getElementById(id) || detached(id);
const PAGE = 50;

// Strings, numbers and times: the page's one t() and formatters (www/i18n.js).
const num = (x, d = 0) => fmtNumber(x, d);
const when = (iso) => fmtDateTime(iso);

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

/** Unordered pair key of two national IDs. */
export function pairKey(d) {
  const a = `${d.catalog_a}\u0000${d.id_a}`;
  const b = `${d.catalog_b}\u0000${d.id_b}`;
  return a < b ? `${a}\u0001${b}` : `${b}\u0001${a}`;
}

const same = (x, y) => ['catalog_a', 'id_a', 'catalog_b', 'id_b', 'verdict', 'who', 'when', 'why'].every((k) => x[k] === y[k]);

/**
 * Sets the panel up. `render(analysis, mapSvg, charts)` is main.js's renderer of the summary,
 * map, charts and joint catalog (strings come from www/i18n.js); `drawOptions()` (optional) gives `{lang}` as main.js draws the map and charts.
 * Returns {open(files, options), decisions()}.
 */
export function setupIdentity({ render, drawOptions = () => ({}) }) {
  const session = worker('identity'); // the IdentitySession lives in this worker between calls
  let files = null;                // the loaded files, for re-opening the session after a crash
  let opts = null;
  let dataset = null;
  let sessionOpen = false;
  let generation = 0;              // a newer open() makes older answers stale
  let decisions = [];              // stored records of this data set, oldest first
  let candidates = [];
  let analysis = null;
  let genotypes = null;
  let shown = PAGE;
  let applied = 0;                 // how many results were shown (tests wait on it)

  // The worker (and its session) died: the next call re-opens the session from the files.
  session.onLost(() => { sessionOpen = false; });

  // Ends the worker and its session (new files, or a test's simulated crash); what was waiting fails.
  function lose(reason) {
    session.cancel(reason);
    sessionOpen = false;
  }

  const call = (op, payload) => session.call(op, payload);

  // A wasm panic leaves the instance unusable: treat it as a crash.
  const crashed = (e) => e.lost || /unreachable|RuntimeError|panicked|worker failed/i.test(e.message);

  let opening = null;               // one identity-open at a time
  async function ensureSession() {
    if (sessionOpen) return;
    if (!opening) {
      opening = call('identity-open', { files, options: opts }).then((r) => {
        sessionOpen = true;
        if (r.genotypes !== undefined) genotypes = r.genotypes;
      }).finally(() => { opening = null; });
    }
    await opening;
  }

  // Applies the stored decisions in the worker and re-renders everything from the result.
  // `redraw` false: main.js already shows this analysis (the files' own links, no decisions), so
  // only the panel and the joint catalog's evidence are drawn.
  async function apply(gen = generation, redraw = true) {
    let r;
    for (let attempt = 0; ; attempt++) {
      try {
        await ensureSession();
        r = await call('identity-apply', { decisions: decisions.map(plainDecision), draw: redraw ? drawOptions() : null });
        break;
      } catch (e) {
        if (attempt === 0 && crashed(e)) { lose(e.message); continue; }
        throw e;
      }
    }
    if (gen !== generation) return;
    analysis = r.analysis;
    candidates = r.candidates.candidates || r.candidates;
    if (r.genotypes !== undefined) genotypes = r.genotypes;
    if (redraw) await render(analysis, r.mapSvg, r.charts);
    if (gen !== generation) return;
    decorateJointCatalog();
    fillManual();
    draw();
    applied++;
    document.body.dataset.identityApplied = String(applied);
  }

  function announce(text, cls = '') {
    const s = $('identity-status');
    s.textContent = text;
    s.className = cls;
  }

  function reviewer() { return $('identity-who').value.trim(); }

  // Where the keyboard focus goes after the list is redrawn: the same candidate's button, or the
  // candidate that took its place when it left the filtered list.
  let refocus = null;
  function remember() {
    const li = document.activeElement?.closest?.('#identity-candidates li');
    if (!li) return null;
    return { pair: li.dataset.pair, action: document.activeElement.dataset.action, index: [...li.parentNode.children].indexOf(li) };
  }

  async function decide(pair, verdict, why) {
    const who = reviewer();
    if (!who) {
      announce(t('identity.needReviewer'), 'error');
      $('identity-who').focus();
      return false;
    }
    refocus = remember();
    setSetting('reviewer', who).catch(() => {});
    const d = { ...pair, verdict, who, when: new Date().toISOString(), why: why.trim() };
    const gen = generation;
    let record;
    try {
      record = await addDecision(dataset, d);
    } catch (e) {
      announce(t('identity.saveFailed', { message: e.message }), 'error');
      return false;
    }
    if (gen !== generation) return false;
    decisions.push(record);
    const names = `${pair.catalog_a} ${pair.id_a} ↔ ${pair.catalog_b} ${pair.id_b}`;
    try {
      await apply(gen);
      const s = analysis.crossborder.summary;
      const conflict = (analysis.conflicts || []).find((x) => x.a && x.b && pairKey({ catalog_a: x.a.catalog, id_a: x.a.id,
        catalog_b: x.b.catalog, id_b: x.b.id }) === pairKey(pair));
      if (verdict === 'accept' && conflict) announce(`${names}: ${t('identity.notApplied', { reason: conflict.reason })}`, 'error');
      else {
        announce(t(verdict === 'accept' ? 'identity.accepted' : 'identity.rejected',
          { pair: names, unique: num(s.unique_individuals), transboundary: num(s.transboundary_individuals) }));
      }
    } catch (e) {
      if (gen === generation) announce(t('identity.applyFailed', { message: e.message }), 'error');
    }
    return true;
  }

  // --- the candidate list -------------------------------------------------------------------
  function latestByPair() {
    const m = new Map();
    for (const d of decisions) m.set(pairKey(d), d);
    return m;
  }

  function draw() {
    const filter = document.querySelector('input[name="identity-filter"]:checked')?.value || 'open';
    // The find box keeps the pairs whose catalog or ID contains its text.
    const q = ($('identity-find')?.value || '').trim().toLocaleLowerCase();
    const list = candidates.filter((c) => (filter === 'all' || c.status === filter)
      && (!q || `${c.catalog_a} ${c.id_a} ${c.catalog_b} ${c.id_b}`.toLocaleLowerCase().includes(q)));
    const counts = { open: 0, linked: 0, rejected: 0 };
    for (const c of candidates) counts[c.status] = (counts[c.status] || 0) + 1;
    for (const k of Object.keys(counts)) {
      const n = document.querySelector(`#identity-filters [data-count="${k}"]`);
      if (n) n.textContent = `(${num(counts[k])})`;
    }
    const allN = document.querySelector('#identity-filters [data-count="all"]');
    if (allN) allN.textContent = `(${num(candidates.length)})`;
    const latest = latestByPair();
    const focus = refocus || remember();
    refocus = null;
    const ol = $('identity-candidates');
    const drawnBefore = drawn;
    drawn = new Map();
    const items = list.slice(0, shown).map((c) => {
      const key = pairKey(c);
      const last = latest.get(key);
      const conflict = conflictFor(c);
      const sig = JSON.stringify([c, last || null, conflict ? conflict.reason : null]);
      const kept = drawnBefore.get(key);
      const li = kept && kept.sig === sig ? kept.li : candidateItem(c, last, conflict);
      drawn.set(key, { sig, li });
      return li;
    });
    // Only what changed moves: items that left go, the others stay where they are (no re-layout
    // of the whole list), new or redrawn ones are put in their places.
    const keep = new Set(items);
    for (const child of [...ol.children]) if (!keep.has(child)) child.remove();
    items.forEach((li, i) => {
      if (ol.children[i] !== li) ol.insertBefore(li, ol.children[i] || null);
      // Numbered by place in the list shown (#1 first, whatever the filter); the core's rank over
      // all candidates stays in data-rank.
      const rank = li.querySelector('.rank');
      if (rank && rank.textContent !== `#${i + 1}`) rank.textContent = `#${i + 1}`;
    });
    ol.setAttribute('aria-label', t('identity.candidatesLabel', { n: num(list.length) }));
    const more = $('identity-more');
    more.hidden = list.length <= shown;
    more.textContent = t('identity.showMore', { n: num(Math.min(PAGE, list.length - shown)) });
    $('identity-empty').hidden = list.length > 0;
    drawLog();
    drawGenotypes();
    if (focus) {
      const li = ol.querySelector(`li[data-pair="${CSS.escape(focus.pair)}"]`)
        || ol.children[Math.min(focus.index, ol.children.length - 1)];
      const target = li && (li.querySelector(`[data-action="${focus.action}"]`) || li.querySelector('button'));
      if (target) target.focus({ preventScroll: true }); // in place of the one it replaces: no scroll (nor the layout it forces)
    }
  }

  // Candidate items drawn, by pair ({sig, li}): an item is made again only when what it shows
  // changed; emptied for new data and a new language.
  let drawn = new Map();
  function conflictFor(c) {
    return (analysis?.conflicts || []).find((x) => x.a && x.b && pairKey({ catalog_a: x.a.catalog, id_a: x.a.id,
      catalog_b: x.b.catalog, id_b: x.b.id }) === pairKey(c));
  }

  function candidateItem(c, last, conflict) {
    const li = el('li', undefined, `candidate status-${c.status}${c.ruled_out ? ' ruled-out' : ''}`);
    li.dataset.pair = pairKey(c);
    li.dataset.status = c.status;
    Object.assign(li.dataset, { catalogA: c.catalog_a, idA: c.id_a, catalogB: c.catalog_b, idB: c.id_b, rank: c.rank });
    const names = `${c.catalog_a} ${c.id_a} ↔ ${c.catalog_b} ${c.id_b}`;
    const head = el('div', undefined, 'candidate-head');
    const title = el('span', undefined, 'candidate-ids');
    // Its number (place in the list shown) is written by draw().
    title.append(el('span', '', 'rank'), ' ', el('strong', c.id_a), el('span', ` (${c.catalog_a})`, 'muted'),
      ' ↔ ', el('strong', c.id_b), el('span', ` (${c.catalog_b})`, 'muted'));
    const score = el('span', t('identity.score', { score: num(c.score, 2) }), 'score');
    const badge = el('span', t(`identity.status.${c.status}`), `badge badge-${c.status}`);
    head.append(title, score, badge);
    if (c.ruled_out) head.append(el('span', t('identity.ruledOut'), 'badge badge-ruled-out'));
    if (conflict) {
      li.classList.add('conflict');
      head.append(el('span', `⚠ ${t('identity.conflict')}`, 'badge badge-conflict'));
    }
    const ev = el('ul', undefined, 'evidence');
    ev.setAttribute('aria-label', t('identity.evidenceFor', { pair: names }));
    const evTexts = coreTexts(c.evidence || [], (e) => e.text); // the core's sentences, in the page's language
    for (const [i, e] of (c.evidence || []).entries()) {
      const item = el('li', undefined, `ev-${e.kind}`);
      item.append(el('span', t(`identity.kind.${e.kind}`), 'ev-kind'), ' ', el('span', evTexts[i]));
      if (e.weight) item.append(' ', el('span', `${e.weight > 0 ? '+' : ''}${num(e.weight, 2)}`, 'ev-weight'));
      ev.append(item);
    }
    const actions = el('div', undefined, 'candidate-actions');
    const note = document.createElement('input');
    note.type = 'text';
    note.className = 'note';
    note.dataset.action = 'note';
    note.placeholder = t('identity.notePlaceholder');
    note.setAttribute('aria-label', t('identity.noteFor', { pair: names }));
    const pair = { catalog_a: c.catalog_a, id_a: c.id_a, catalog_b: c.catalog_b, id_b: c.id_b };
    const button = (verdict) => {
      const b = el('button', t(`identity.${verdict}`), `verdict-${verdict}`);
      b.type = 'button';
      b.dataset.action = verdict;
      b.setAttribute('aria-label', t(`identity.${verdict}Pair`, { pair: names }));
      b.addEventListener('click', async () => {
        b.disabled = true;
        try { await decide(pair, verdict, note.value); } finally { b.disabled = false; }
      });
      return b;
    };
    actions.append(note, button('accept'), button('reject'));
    li.append(head, ev, actions);
    if (conflict) li.append(el('p', t('identity.notApplied', { reason: conflict.reason }), 'conflict-flag'));
    if (last) {
      li.append(el('p', t('identity.lastDecision', { verdict: t(`identity.verdict.${last.verdict}`), who: last.who,
        when: when(last.when), why: last.why || '—' }), 'last-decision'));
    }
    return li;
  }

  function drawLog() {
    const table = $('identity-log');
    const head = el('tr');
    for (const k of ['when', 'who', 'verdict', 'pair', 'why']) head.append(el('th', t(`identity.log.${k}`)));
    const rows = [...decisions].reverse().map((d) => {
      const tr = el('tr', undefined, `verdict-${d.verdict}`);
      tr.dataset.pair = pairKey(d);
      const time = el('time', when(d.when));
      time.dateTime = d.when;
      const td = el('td'); td.append(time);
      tr.append(td, el('td', d.who), el('td', t(`identity.verdict.${d.verdict}`)),
        el('td', `${d.catalog_a} ${d.id_a} ↔ ${d.catalog_b} ${d.id_b}`), el('td', d.why || '—'));
      return tr;
    });
    table.replaceChildren(el('caption', t('identity.logCaption', { n: num(decisions.length) })), head, ...rows);
  }

  function drawGenotypes() {
    const box = $('identity-genotypes');
    if (!genotypes) { box.hidden = true; box.replaceChildren(); return; }
    box.hidden = false;
    const cards = [['unique', genotypes.unique], ['unclassified', genotypes.unclassified],
      ['multiple', genotypes.multiple_matches]].map(([k, v]) => {
      const c = el('div', undefined, 'card');
      c.dataset.key = `genotype-${k}`;
      c.append(el('div', v === undefined || v === null ? '—' : num(v), 'value'), el('div', t(`identity.genotypes.${k}`), 'label'));
      return c;
    });
    const links = (genotypes.links || genotypes.cross_catalog_links || []).length;
    const wrap = el('div', undefined, 'cards');
    wrap.append(...cards);
    box.replaceChildren(el('h3', t('identity.genotypes.title')), wrap,
      el('p', t('identity.genotypes.links', { n: num(links) })));
  }

  // Joint catalog: each individual's evidence (photo links, genotype links, expert decisions)
  // and a visible flag on national IDs that take part in a conflict.
  function decorateJointCatalog() {
    const table = $('individuals');
    if (!table || !analysis) return;
    for (const e of table.querySelectorAll('.evidence-h, .evidence-cell')) e.remove();
    const names = analysis.catalogs.map((c) => c.name);
    const evidence = new Map((analysis.evidence || []).map((e) => [e.id, e]));
    const conflicted = new Map();
    for (const c of analysis.conflicts || []) {
      for (const n of [c.a, c.b]) if (n) conflicted.set(`${n.catalog}\u0000${n.id}`, c.reason);
    }
    const rows = [...table.querySelectorAll('tr')];
    const head = rows.shift();
    // Only rows of the analysis shown here (main.js may be showing a newer one of its own).
    if (!head || rows.length !== analysis.crossborder.individuals.length) return;
    // The evidence goes right after the national IDs, where it is seen without scrolling.
    const at = (tr) => tr.children[1 + names.length] || null;
    head.insertBefore(el('th', t('identity.jointEvidence'), 'evidence-h'), at(head));
    // Rows by joint ID (their first cell): the table may be sorted (table.js).
    const byId = new Map(rows.map((tr) => [tr.cells[0]?.textContent, tr]));
    if (!analysis.crossborder.individuals.every((ind) => byId.has(ind.id))) return;
    analysis.crossborder.individuals.forEach((ind) => {
      const tr = byId.get(ind.id);
      const ids = names.filter((n) => ind.national_ids[n]).map((n) => ({ catalog: n, id: ind.national_ids[n] }));
      const cell = el('td', undefined, 'evidence-cell');
      const list = el('ul', undefined, 'joint-evidence');
      const ev = evidence.get(ind.id);
      const pairText = (a, b) => `${a.catalog}:${a.id} = ${b.catalog}:${b.id}`;
      for (const l of ev?.links || []) {
        const src = l.source;
        const text = src.file
          ? t('identity.photoLinkFile', { pair: pairText(l.a, l.b), file: src.file, row: src.row ?? '—' })
          : t('identity.expertLink', { pair: pairText(l.a, l.b), who: src.who, when: when(src.when), why: src.why || '—' });
        list.append(el('li', text, src.file ? 'ev-link' : 'ev-expert'));
      }
      for (const g of ev?.genotype_links || []) {
        list.append(el('li', t('identity.genotypeLinkText', { pair: pairText(g.a, g.b), genotype: g.genotype,
          samples: [...(g.samples_a || []), ...(g.samples_b || [])].join(', ') }), 'ev-genotype'));
      }
      const problems = ids.map((n) => conflicted.get(`${n.catalog}\u0000${n.id}`)).filter(Boolean);
      tr.classList.toggle('conflict', problems.length > 0);
      for (const reason of problems) list.append(el('li', `⚠ ${t('identity.conflict')}: ${reason}`, 'conflict-flag'));
      cell.append(list);
      tr.insertBefore(cell, at(tr));
    });
  }

  // --- manual links, import/export --------------------------------------------------------
  function fillManual() {
    const cats = analysis ? analysis.catalogs.map((c) => c.name) : [];
    for (const [sel, i] of [['identity-cat-a', 0], ['identity-cat-b', 1]]) {
      const s = $(sel);
      const keep = s.value;
      s.replaceChildren(...cats.map((n) => { const o = el('option', n); o.value = n; return o; }));
      s.value = cats.includes(keep) ? keep : cats[Math.min(i, cats.length - 1)] || '';
    }
    const ids = analysis ? analysis.crossborder.individuals.flatMap((ind) => Object.entries(ind.national_ids)) : [];
    for (const [dl, sel] of [['identity-ids-a', 'identity-cat-a'], ['identity-ids-b', 'identity-cat-b']]) {
      const c = $(sel).value;
      $(dl).replaceChildren(...ids.filter(([k]) => k === c).map(([, v]) => { const o = el('option'); o.value = v; return o; }).sort());
    }
  }

  function knownId(catalog, id) {
    return analysis && analysis.crossborder.individuals.some((ind) => ind.national_ids[catalog] === id);
  }

  async function manual(verdict) {
    const pair = { catalog_a: $('identity-cat-a').value, id_a: $('identity-id-a').value.trim(),
      catalog_b: $('identity-cat-b').value, id_b: $('identity-id-b').value.trim() };
    if (!pair.id_a || !pair.id_b) { announce(t('identity.manualMissing'), 'error'); return; }
    if (pair.catalog_a === pair.catalog_b) { announce(t('identity.manualSameCatalog'), 'error'); return; }
    for (const [c, i] of [[pair.catalog_a, pair.id_a], [pair.catalog_b, pair.id_b]]) {
      if (!knownId(c, i)) { announce(t('identity.manualUnknown', { catalog: c, id: i }), 'error'); return; }
    }
    if (await decide(pair, verdict, $('identity-manual-why').value)) $('identity-manual-why').value = '';
  }

  async function exportAs(what) {
    try {
      await ensureSession();
      const r = await call('identity-export', { decisions: decisions.map(plainDecision), what });
      if (what === 'links') download('links-reviewed.csv', r.text, 'text/csv');
      else {
        download('individuals.csv', r.text, 'text/csv');
        const resource = r.resource || (r.resourceJson ? JSON.parse(r.resourceJson) : null);
        if (resource) download('individuals.resource.json', JSON.stringify(resource, null, 2), 'application/json');
      }
      announce(t('identity.exported'));
    } catch (e) {
      if (crashed(e)) lose(e.message);
      announce(t('identity.exportFailed', { message: e.message }), 'error');
    }
  }

  async function importFiles(list) {
    let added = 0;
    try {
      const wasm = await core();
      for (const f of list) {
        const parsed = wasm.parseDecisions([{ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) }]);
        for (const d of parsed) {
          const plain = plainDecision(d);
          if (decisions.some((x) => same(plainDecision(x), plain))) continue;
          decisions.push(await addDecision(dataset, plain));
          added++;
        }
      }
      await apply();
      announce(t('identity.imported', { n: num(added) }));
    } catch (e) {
      announce(t('identity.importFailed', { message: e.message }), 'error');
    }
  }

  // --- wiring -----------------------------------------------------------------------------
  new MutationObserver(() => {
    const table = $('individuals');
    if (table && !table.querySelector('.evidence-h')) decorateJointCatalog();
  }).observe($('individuals'), { childList: true });
  getSetting('reviewer').then((v) => { if (v && !$('identity-who').value) $('identity-who').value = v; }).catch(() => {});
  $('identity-who').addEventListener('change', () => setSetting('reviewer', reviewer()).catch(() => {}));
  for (const r of document.querySelectorAll('input[name="identity-filter"]')) {
    r.addEventListener('change', () => { shown = PAGE; draw(); });
  }
  $('identity-find')?.addEventListener('input', () => { shown = PAGE; draw(); });
  $('identity-more').addEventListener('click', () => { shown += PAGE; draw(); });
  $('identity-cat-a').addEventListener('change', fillManual);
  $('identity-cat-b').addEventListener('change', fillManual);
  $('identity-add').addEventListener('click', () => manual('accept'));
  $('identity-remove').addEventListener('click', () => manual('reject'));
  $('identity-export-links').addEventListener('click', () => exportAs('links'));
  $('identity-export-individuals').addEventListener('click', () => exportAs('individuals'));
  $('identity-import-button').addEventListener('click', () => $('identity-import').click());
  $('identity-import').addEventListener('change', async (e) => {
    const list = [...e.target.files];
    e.target.value = '';
    if (list.length) await importFiles(list);
  });
  onLangChange(() => { drawn = new Map(); if (analysis) { draw(); decorateJointCatalog(); } });

  async function open(newFiles, options) {
    const gen = ++generation;
    drawn = new Map();
    files = newFiles;
    opts = options;
    dataset = datasetKey(newFiles);
    lose('new files');
    candidates = []; analysis = null; genotypes = null; shown = PAGE;
    $('identity-section').hidden = false;
    document.body.dataset.identity = 'busy';
    announce(t('identity.opening'));
    try {
      const stored = await listDecisions(dataset);
      if (gen !== generation) return;
      decisions = stored;
      await apply(gen, decisions.length > 0);
      if (gen !== generation) return;
      announce(decisions.length ? t('identity.restored', { n: num(decisions.length) }) : t('identity.ready', { n: num(candidates.length) }));
      document.body.dataset.identity = 'ready';
    } catch (e) {
      if (gen === generation) announce(t('identity.openFailed', { message: e.message }), 'error');
    }
  }

  // Test hook (also useful by hand): end the worker as a crash would; the session is re-opened
  // from the files and the stored decisions on the next call, which `restore()` makes at once.
  const hook = {
    crashWorker: () => lose('worker terminated'),
    restore: async () => { await apply(); announce(t('identity.restored', { n: num(decisions.length) })); },
    decisions: () => decisions.map(plainDecision),
    candidates: () => candidates,
  };
  window.borderlessIdentity = hook;
  return { open, decisions: hook.decisions };
}

function download(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url; a.download = name; document.body.append(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
