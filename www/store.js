// Expert decisions kept in the browser's own storage (IndexedDB), never sent anywhere.
// One database, one object store `decisions` (auto id), indexed by `dataset`: a key derived from
// the loaded files' names and sizes, so decisions on different data sets never mix.
// Each record is a review::Decision ({catalog_a, id_a, catalog_b, id_b, verdict, who, when, why})
// plus {id, dataset}. Also a small key-value store `settings` (the reviewer's name).

const DB_NAME = 'borderless';
const DB_VERSION = 1;

/** The data-set key: sorted `name:size` of every loaded file, joined by `|`. */
export function datasetKey(files) {
  const size = (f) => (f.bytes ? f.bytes.byteLength : f.file ? f.file.size : 0);
  return files.map((f) => `${f.name}:${size(f)}`).sort().join('|');
}

const promised = (req) => new Promise((ok, fail) => {
  req.onsuccess = () => ok(req.result);
  req.onerror = () => fail(req.error);
});

let opening = null;

/** Opens (and on first use creates) the database. */
export function openDb() {
  if (opening) return opening;
  opening = new Promise((ok, fail) => {
    const req = indexedDB.open(DB_NAME, DB_VERSION);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains('decisions')) {
        const s = db.createObjectStore('decisions', { keyPath: 'id', autoIncrement: true });
        s.createIndex('dataset', 'dataset', { unique: false });
      }
      if (!db.objectStoreNames.contains('settings')) db.createObjectStore('settings');
    };
    req.onsuccess = () => ok(req.result);
    req.onerror = () => { opening = null; fail(req.error); };
    req.onblocked = () => { opening = null; fail(new Error('the decision store is blocked by another tab')); };
  });
  return opening;
}

async function tx(store, mode, fn) {
  const db = await openDb();
  return new Promise((ok, fail) => {
    const t = db.transaction(store, mode);
    let out;
    Promise.resolve(fn(t.objectStore(store))).then((v) => { out = v; }, fail);
    t.oncomplete = () => ok(out);
    t.onerror = () => fail(t.error);
    t.onabort = () => fail(t.error || new Error('transaction aborted'));
  });
}

const FIELDS = ['catalog_a', 'id_a', 'catalog_b', 'id_b', 'verdict', 'who', 'when', 'why'];

/** Keeps only the Decision fields (the core reads them with deny_unknown_fields). */
export function plainDecision(d) {
  return Object.fromEntries(FIELDS.map((k) => [k, String(d[k] ?? '')]));
}

/** Saves one decision for `dataset`; resolves to the stored record (with its id). */
export async function addDecision(dataset, decision) {
  const record = { ...plainDecision(decision), dataset };
  const id = await tx('decisions', 'readwrite', (s) => promised(s.add(record)));
  return { ...record, id };
}

/** All decisions of `dataset`, oldest first (in the order they were made). */
export async function listDecisions(dataset) {
  const rows = await tx('decisions', 'readonly', (s) => promised(s.index('dataset').getAll(IDBKeyRange.only(dataset))));
  return rows.sort((a, b) => a.id - b.id);
}

/** Deletes every decision of `dataset`. */
export async function clearDecisions(dataset) {
  await tx('decisions', 'readwrite', async (s) => {
    const keys = await promised(s.index('dataset').getAllKeys(IDBKeyRange.only(dataset)));
    for (const k of keys) s.delete(k);
  });
}

export async function getSetting(key) {
  return tx('settings', 'readonly', (s) => promised(s.get(key)));
}

export async function setSetting(key, value) {
  await tx('settings', 'readwrite', (s) => promised(s.put(value, key)));
}
