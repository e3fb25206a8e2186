// Interface languages of the page: English, Chinese (simplified), Russian, Korean, Mongolian (Cyrillic).
// Each page area keeps its strings in www/i18n/<area>.js (`export default { en: {...}, zh: {...}, ... }`,
// keys prefixed with the area). A key missing in a language falls back to English, then to the key itself.
// The choice is remembered in localStorage; on a first visit it comes from navigator.languages
// (`?lang=xx` in the address also chooses, and is remembered).
//
//   t(key, vars?)        translated string; `{name}` placeholders are filled from vars. An entry may be an
//                        object of plural forms ({one, few, many, other}) chosen by Intl.PluralRules on vars.n.
//   lang()               the current code (en, zh, ru, ko, mn); bcp47() its BCP 47 tag (en, zh-Hans, ru, ko, mn)
//   setLang(code)        switches language, sets <html lang>, re-applies data-i18n and calls onLangChange listeners
//   fmtNumber(x, digits) Intl.NumberFormat of the current locale (— for null/undefined/NaN)
//   fmtPercent(p, digits) a percentage (p in percent, e.g. 42.2 → "42.2%" / "42,2 %")
//   fmtDate(date)        Intl.DateTimeFormat (date, or an ISO 8601 string; a string keeps its own calendar day)
//   fmtDateTime(iso)     date and clock time of an ISO 8601 timestamp, in its own UTC offset (shown)
//   applyI18n(root)      fills [data-i18n] (textContent) and [data-i18n-attr="attr=key;attr=key"]
import core from './i18n/core.js';
import identity from './i18n/identity.js';
import maps from './i18n/maps.js';
import charts from './i18n/charts.js';
import outreach from './i18n/outreach.js';
import nav from './i18n/nav.js';
import snowdemo from './i18n/snowdemo.js';
import waterbirds from './i18n/waterbirds.js';

export const LANGS = [
  { code: 'en', tag: 'en', name: 'English' },
  { code: 'zh', tag: 'zh-Hans', name: '中文' },
  { code: 'ru', tag: 'ru', name: 'Русский' },
  { code: 'ko', tag: 'ko', name: '한국어' },
  { code: 'mn', tag: 'mn', name: 'Монгол' },
];
const CODES = LANGS.map((l) => l.code);
const STORE = 'borderless.lang';

const tables = Object.fromEntries(CODES.map((c) => [c, {}]));
for (const area of [core, identity, maps, charts, outreach, nav, snowdemo, waterbirds]) {
  for (const c of CODES) Object.assign(tables[c], (area && area[c]) || {});
}

/** The supported code for a BCP 47 tag (zh-CN → zh, ru-RU → ru), or null. */
export function codeFor(tag) {
  const primary = String(tag || '').toLowerCase().split(/[-_]/)[0];
  return CODES.includes(primary) ? primary : null;
}

function initial() {
  try {
    const q = codeFor(new URLSearchParams(location.search).get('lang'));
    if (q) { localStorage.setItem(STORE, q); return q; }
  } catch { /* no location (tests) */ }
  try {
    const saved = codeFor(localStorage.getItem(STORE));
    if (saved) return saved;
  } catch { /* storage blocked */ }
  const prefs = (typeof navigator !== 'undefined' && (navigator.languages || [navigator.language])) || [];
  for (const p of prefs) { const c = codeFor(p); if (c) return c; }
  return 'en';
}

let current = initial();
const listeners = [];
let numberFormats = new Map();
// Intl formatters of the current language, made once (making one costs far more than using it).
let dateFormats = new Map();
function formatter(key, make) {
  if (!dateFormats.has(key)) dateFormats.set(key, make());
  return dateFormats.get(key);
}

export function lang() { return current; }
export function bcp47(code = current) { return LANGS.find((l) => l.code === code).tag; }

export function t(key, vars) {
  let s = tables[current][key];
  if (s === undefined) s = tables.en[key];
  if (s === undefined) return key;
  if (typeof s === 'object') {
    const n = vars && typeof vars.n === 'number' ? vars.n : 0;
    const cat = new Intl.PluralRules(bcp47()).select(n);
    s = s[cat] ?? s.other;
  }
  if (!vars) return s;
  return s.replace(/\{(\w+)\}/g, (m, k) => (vars[k] === undefined ? m : String(vars[k])));
}

// The core's own messages ({code, params}, crate/i18n/*.json) in the page's language: the core's
// `messageTexts` export, set once the module is ready (useCoreMessages).
let messageTexts = null;

/** Writes core messages with the core's catalogue from now on; `wasm` is bridge.js core()'s exports. */
export function useCoreMessages(wasm) {
  if (typeof wasm.messageTexts === 'function') messageTexts = wasm.messageTexts;
}

/**
 * The texts of the core's messages `list` ([{code, params?}]) in the page's language. `fallback(m, i)`
 * gives the text shown when there is no code or no catalogue (the core's English text); `code`: another language.
 */
export function coreTexts(list, fallback, code = current) {
  const coded = list.map((m) => (m && m.code && m.code !== 'text' ? { code: m.code, params: m.params || {} } : null));
  let texts = [];
  if (messageTexts && coded.some(Boolean)) {
    try { texts = messageTexts({ messages: coded.map((m) => m || { code: 'text' }), lang: code }); } catch { texts = []; }
  }
  return list.map((m, i) => (coded[i] && texts[i] !== undefined ? texts[i] : fallback(m, i)));
}

/** One core message's text in the page's language (`fallback`: its English text). */
export function coreText(m, fallback) { return coreTexts([m], () => fallback)[0]; }

/** True when every language has a string for `key` (for tests of the tables). */
export function has(key) { return CODES.every((c) => tables[c][key] !== undefined); }

export function fmtNumber(x, digits = 0) {
  if (x === null || x === undefined || Number.isNaN(Number(x))) return '—';
  const k = digits;
  if (!numberFormats.has(k)) {
    numberFormats.set(k, new Intl.NumberFormat(bcp47(), { minimumFractionDigits: digits, maximumFractionDigits: digits }));
  }
  return numberFormats.get(k).format(Number(x));
}

export function fmtPercent(p, digits = 1) {
  if (p === null || p === undefined || Number.isNaN(Number(p))) return '—';
  return formatter(`percent${digits}`, () => new Intl.NumberFormat(bcp47(), { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }))
    .format(Number(p) / 100);
}

// A browser without date names for the language (Chromium has none for mn) writes English month
// names: such a language gets the ISO 8601 numeric form (2024-11-04 16:02) instead.
function hasDateNames() {
  return formatter('has-date-names', () => Intl.DateTimeFormat.supportedLocalesOf([bcp47()]).length > 0);
}

export function fmtDate(date) {
  if (date === null || date === undefined || date === '') return '—';
  if (typeof date === 'string') {
    // An ISO 8601 timestamp keeps the calendar day it was recorded on (its own UTC offset).
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
    if (!m) return date;
    if (!hasDateNames()) return `${m[1]}-${m[2]}-${m[3]}`;
    const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
    return formatter('date-utc', () => new Intl.DateTimeFormat(bcp47(), { dateStyle: 'medium', timeZone: 'UTC' })).format(d);
  }
  if (!hasDateNames()) return formatter('date-iso', () => new Intl.DateTimeFormat('sv-SE', { dateStyle: 'short' })).format(date);
  return formatter('date', () => new Intl.DateTimeFormat(bcp47(), { dateStyle: 'medium' })).format(date);
}

/** An ISO 8601 timestamp as the locale writes date and time, at the clock time it was recorded
 * (its own UTC offset kept and shown), e.g. "Nov 5, 2024, 03:12 (UTC+08:00)". */
export function fmtDateTime(iso) {
  if (iso === null || iso === undefined || iso === '') return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(String(iso));
  if (!m) return fmtDate(iso);
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] || 0)));
  const text = !hasDateNames() ? `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}` : formatter('datetime-utc', () => new Intl.DateTimeFormat(bcp47(), { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC', hourCycle: 'h23' })).format(d);
  if (!m[7]) return text;
  const off = m[7] === 'Z' ? '+00:00' : m[7].replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
  return `${text} (UTC${off})`;
}

export function applyI18n(root = document) {
  for (const e of root.querySelectorAll('[data-i18n]')) e.textContent = t(e.dataset.i18n);
  for (const e of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of e.dataset.i18nAttr.split(';')) {
      const [attr, key] = pair.split('=').map((s) => s.trim());
      if (attr && key) e.setAttribute(attr, t(key));
    }
  }
}

export function onLangChange(fn) { listeners.push(fn); }

function applyDocument() {
  document.documentElement.lang = bcp47();
  applyI18n(document);
  const title = tables[current]['core.title'] ?? tables.en['core.title'];
  if (title) document.title = title;
}

export function setLang(code) {
  const c = codeFor(code);
  if (!c) throw new Error(`unknown language ${code}`);
  current = c;
  numberFormats = new Map();
  dateFormats = new Map();
  try { localStorage.setItem(STORE, c); } catch { /* storage blocked */ }
  applyDocument();
  for (const fn of listeners) fn(c);
}

/** A <select> of the five languages by their own names, bound to setLang. */
export function languageSelect(id) {
  const s = document.createElement('select');
  if (id) s.id = id;
  s.dataset.i18nAttr = 'aria-label=core.language';
  s.setAttribute('aria-label', t('core.language'));
  for (const l of LANGS) {
    const o = document.createElement('option');
    o.value = l.code; o.textContent = l.name; o.lang = l.tag;
    s.append(o);
  }
  s.value = current;
  s.addEventListener('change', () => setLang(s.value));
  onLangChange((c) => { s.value = c; });
  return s;
}

if (typeof document !== 'undefined') applyDocument();
