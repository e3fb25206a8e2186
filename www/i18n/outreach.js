// Interface strings for the outreach part of the page, per language (en, zh, ru, ko, mn).
// Keys are shared by all languages; a missing key falls back to English.
export default { en: {}, zh: {}, ru: {}, ko: {}, mn: {} };
