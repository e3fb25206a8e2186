// Species suggestions for the "Species (scientific name)" option: the core's species list
// (speciesList(), wt-privacy's species module) as a <datalist> whose entries show the common name in
// the page's language. Nothing is shown when the core has no species list.
import { lang, onLangChange } from './i18n.js';

/** Binds a datalist of species to the input `inputId`; `core` is the core's exports (bridge.js core()). */
export function speciesSuggestions(inputId, core) {
  if (typeof core.speciesList !== 'function') return;
  let list;
  try { list = core.speciesList(); } catch { return; }
  const input = document.getElementById(inputId);
  if (!input || !Array.isArray(list)) return;
  const dl = document.createElement('datalist');
  dl.id = `${inputId}-list`;
  const fill = () => {
    dl.replaceChildren(...list.map((s) => {
      const o = document.createElement('option');
      o.value = s.scientific;
      o.label = (s.common && s.common[lang()]) || s.scientific;
      return o;
    }));
  };
  fill();
  onLangChange(fill);
  input.after(dl);
  input.setAttribute('list', dl.id);
}
