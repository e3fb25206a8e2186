// Tables of the workspace (joint catalog, parse report, estimates): click a column's header to sort
// by it (again to reverse), and an optional filter box above the table that keeps the rows
// containing its text. A table is made of <tr> rows whose first row holds the <th> headers (as
// main.js builds them); it is sorted and filtered in place, so rows keep their ids and data-*.
//
// Sort keys: a cell's `data-sort` when it has one (main.js gives numbers their raw value and dates
// their time in ms since 1970, so that "1,234.5" or "4 нояб. 2024 г." sort as what they mean),
// otherwise its text. A column whose keys are all numbers sorts numerically; other columns sort as
// text in the page's language (numeric collation: "T2" before "T10"). Empty cells and "—" go last.
// The chosen sort (by the column's header text, or after a language change its place) and filter
// are kept per table id, and applied again when the table is rebuilt (a new analysis, a language).
import { t, bcp47, fmtNumber, onLangChange } from './i18n.js';

const state = new Map(); // table id -> {column: header text, index: its place from the end, descending, filter}
const boxes = new Map(); // table id -> {input, count} of its filter box

function stateOf(table) {
  if (!state.has(table.id)) state.set(table.id, { column: null, descending: false, filter: '' });
  return state.get(table.id);
}

function headerRow(table) {
  return [...table.rows].find((r) => r.querySelector('th'));
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

const bodyRows = (table) => [...table.rows].filter((r) => !r.querySelector('th'));

// The group and decimal separators of the page's language.
const seps = new Map();
function separators() {
  const tag = bcp47();
  if (!seps.has(tag)) {
    const parts = new Intl.NumberFormat(tag).formatToParts(12345.6);
    const part = (type) => (parts.find((p) => p.type === type) || {}).value || null;
    seps.set(tag, { group: part('group'), decimal: part('decimal') || '.' });
  }
  return seps.get(tag);
}

/** `text` as a number if it is one written in the page's language ("1,234.5", "1 234,5"), else null. */
export function localeNumber(text) {
  const { group, decimal } = separators();
  let s = text.replace(/\u2212/g, '-').replace(/%$/, '').trim();
  if (group) s = s.split(group).join('').replace(/[\u00a0\u202f ]/g, '');
  if (decimal !== '.') s = s.replace(decimal, '.');
  return NUMBER.test(s) ? Number(s) : null;
}

/** The sort key of a cell: its data-sort, or its text (a number when it reads as one); null for an empty cell or "—". */
export function sortKey(cell) {
  if (!cell) return null;
  if (cell.dataset.sort !== undefined) return cell.dataset.sort === '' ? null : cell.dataset.sort;
  const text = cell.textContent.trim();
  if (text === '' || text === '—') return null;
  const n = localeNumber(text);
  return n === null ? text : String(n);
}

/** Orders the body rows of `table` by column `column` (0-based), descending or not. */
export function sortRows(table, column, descending) {
  const rows = bodyRows(table);
  const keys = rows.map((r) => sortKey(r.cells[column]));
  const numeric = keys.every((k) => k === null || NUMBER.test(k));
  const collator = new Intl.Collator(bcp47(), { numeric: true, sensitivity: 'base' });
  const order = rows.map((r, i) => i).sort((a, b) => {
    const [x, y] = [keys[a], keys[b]];
    if (x === null || y === null) return (x === null) - (y === null) || a - b; // empty last, either way
    const c = numeric ? Number(x) - Number(y) : collator.compare(x, y);
    return (descending ? -c : c) || a - b;
  });
  const parent = rows.length ? rows[0].parentNode : table;
  parent.append(...order.map((i) => rows[i]));
}

// Shows the rows containing the filter's text (case-insensitive) and says how many are shown.
function applyFilter(table) {
  const s = stateOf(table);
  const q = s.filter.trim().toLocaleLowerCase();
  const rows = bodyRows(table);
  let shown = 0;
  for (const r of rows) {
    const keep = !q || r.textContent.toLocaleLowerCase().includes(q);
    r.hidden = !keep;
    if (keep) shown += 1;
  }
  const box = boxes.get(table.id);
  if (box) box.count.textContent = q ? t('table.shown', { n: rows.length, shown: fmtNumber(shown), total: fmtNumber(rows.length) }) : '';
}

// The index of the column headed `label` now (other code may add columns: identity.js adds the
// joint catalog's evidence), or -1.
function columnOf(table, label) {
  const head = headerRow(table);
  return head ? [...head.cells].findIndex((th) => th.textContent === label) : -1;
}

function markHeaders(table) {
  const s = stateOf(table);
  const head = headerRow(table);
  if (!head) return;
  for (const th of head.cells) {
    if (s.column !== null && th.textContent === s.column) th.setAttribute('aria-sort', s.descending ? 'descending' : 'ascending');
    else th.removeAttribute('aria-sort');
  }
}

// A filter box (label, search input, count) put just before `before` (the table or its wrapper).
function filterBox(table, before) {
  const s = stateOf(table);
  const wrap = document.createElement('div');
  wrap.className = 'table-filter';
  const label = document.createElement('label');
  const span = document.createElement('span');
  span.dataset.i18n = 'table.filter';
  span.textContent = t('table.filter');
  const input = document.createElement('input');
  input.type = 'search';
  input.id = `${table.id}-filter`;
  input.dataset.i18nAttr = 'placeholder=table.filter_ph';
  input.placeholder = t('table.filter_ph');
  input.value = s.filter;
  input.setAttribute('aria-controls', table.id);
  const count = document.createElement('span');
  count.className = 'table-count';
  count.setAttribute('role', 'status');
  label.append(span, ' ', input);
  wrap.append(label, count);
  before.before(wrap);
  input.addEventListener('input', () => { s.filter = input.value; applyFilter(document.getElementById(table.id) || table); });
  boxes.set(table.id, { input, count });
}

/**
 * Makes `table` (with an id) sortable by its headers and, with `filter`, filterable by a box put
 * before `filterBefore` (default: the table's .table-wrap, or the table). Call it again after the
 * table's rows are rebuilt: the sort and filter chosen are applied again, the box is kept.
 */
export function enhanceTable(table, { filter = false, filterBefore } = {}) {
  const s = stateOf(table);
  const head = headerRow(table);
  if (head) {
    for (const th of head.cells) {
      if (th.querySelector('button.sort')) continue;
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'sort';
      b.append(...th.childNodes);
      th.append(b);
      b.addEventListener('click', () => {
        // The column is found by its header when clicked (columns may have been added since).
        const cur = document.getElementById(table.id) || table;
        const label = th.textContent;
        s.descending = s.column === label ? !s.descending : false;
        s.column = label;
        s.fromEnd = th.parentNode.cells.length - [...th.parentNode.cells].indexOf(th);
        sortRows(cur, columnOf(cur, label), s.descending);
        markHeaders(cur);
      });
    }
  }
  if (filter && !(boxes.has(table.id) && boxes.get(table.id).input.isConnected)) filterBox(table, filterBefore || table.closest('.table-wrap') || table);
  // The column by its header; in another language, by its place counted from the end (columns
  // added by others go before the catalog's counts and dates).
  let k = s.column === null ? -1 : columnOf(table, s.column);
  if (k < 0 && s.column !== null && head && s.fromEnd <= head.cells.length) {
    k = head.cells.length - s.fromEnd;
    s.column = head.cells[k].textContent;
  }
  if (k >= 0) sortRows(table, k, s.descending);
  markHeaders(table);
  const box = boxes.get(table.id);
  if (box) { box.input.value = s.filter; applyFilter(table); }
}

// The count line is re-worded in a new language (the label and placeholder are data-i18n).
if (typeof document !== 'undefined') {
  onLangChange(() => {
    for (const id of boxes.keys()) { const table = document.getElementById(id); if (table) applyFilter(table); }
  });
}
