// The workspace's navigation between views. Every <section> of <main> with a data-view attribute
// belongs to that view (a view may be several sections); only the current view's sections are shown
// (class `view-current`; the `hidden` attribute stays theirs, meaning "nothing to show yet"). The
// current view is the address's hash, `#/NAME`, so a deep link (#/map, #/estimates) survives a
// reload and Back/Forward walk the views. `#/public` is the public view (outreach.js), which takes
// <main> out of the page; leaving it returns to the view shown before. A nav link whose view is not
// in the page is hidden, so a view added to index.html needs only its section and its link.
// A view may have tabs: a [data-tabs] bar of links to `#/VIEW/TAB` ([data-tab]) and the panels
// ([data-tab-panel]) of which one shows; `#/VIEW` alone keeps the tab shown last (first: the first).

/** The view shown when the address names none (or one the page does not have). */
export const DEFAULT_VIEW = 'data';
const PUBLIC = 'public';

const mainEl = typeof document !== 'undefined' ? document.querySelector('main') : null;
let publicView = null;   // {active(), enter(), leave()} of outreach.js
let current = null;      // the expert view shown (never 'public')
const listeners = [];

/** The names of the views the page has (its section[data-view], in document order). */
export function views() {
  return [...new Set([...mainEl.querySelectorAll('section[data-view]')].map((e) => e.dataset.view))];
}

/** The view named by the address (`#/NAME` or `#/NAME/TAB`), or null. */
function fromHash() {
  const m = /^#\/([\w-]+)/.exec(location.hash);
  return m ? m[1] : null;
}

/** The tab named by the address (`#/NAME/TAB`), or null. */
function tabFromHash() {
  const m = /^#\/[\w-]+\/([\w-]+)/.exec(location.hash);
  return m ? m[1] : null;
}

// Shows tab `tab` of view `name` (or, when it has no such tab, the one shown last, else the first);
// returns the tab shown, or null when the view has no tabs.
function showTab(name, tab) {
  let shownTab = null;
  for (const section of mainEl.querySelectorAll(`section[data-view="${name}"]`)) {
    const panels = [...section.querySelectorAll('[data-tab-panel]')];
    if (!panels.length) continue;
    const names = panels.map((p) => p.dataset.tabPanel);
    const shown = panels.find((p) => !p.hidden && p.dataset.tabShown === '1');
    const pick = names.includes(tab) ? tab : (shown ? shown.dataset.tabPanel : names[0]);
    for (const p of panels) { p.hidden = p.dataset.tabPanel !== pick; p.dataset.tabShown = p.hidden ? '0' : '1'; }
    shownTab = pick;
    for (const a of section.querySelectorAll('[data-tabs] [data-tab]')) {
      if (a.dataset.tab === pick) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
  }
  return shownTab;
}

/** The expert view shown now. */
export function currentView() { return current; }

/** Calls `fn(name)` after each change of view (also the first). */
export function onViewChange(fn) { listeners.push(fn); }

// Shows the view the address names. `focus`: move the keyboard focus to its heading (a user's
// navigation, not the page's first route).
function route(focus) {
  const asked = fromHash();
  if (asked === PUBLIC) {
    if (publicView && !publicView.active()) publicView.enter();
    markLinks(PUBLIC);
    return;
  }
  if (publicView && publicView.active()) publicView.leave();
  const known = views();
  const name = known.includes(asked) ? asked : DEFAULT_VIEW;
  if (asked !== name) history.replaceState(history.state, '', `${location.pathname}${location.search}#/${name}`);
  const changed = name !== current;
  current = name;
  for (const e of mainEl.querySelectorAll('section[data-view]')) e.classList.toggle('view-current', e.dataset.view === name);
  mainEl.dataset.view = name;
  // The address names the tab shown (so that a reload shows it again).
  const tab = showTab(name, tabFromHash());
  if (tab && tabFromHash() !== tab) history.replaceState(history.state, '', `${location.pathname}${location.search}#/${name}/${tab}`);
  markLinks(name);
  if (changed && focus) {
    const heading = mainEl.querySelector(`section[data-view="${name}"]:not([hidden]) h2`);
    window.scrollTo(0, 0);
    if (heading) { heading.tabIndex = -1; heading.focus({ preventScroll: true }); }
  }
  if (changed) for (const fn of listeners) fn(name);
}

function markLinks(name) {
  for (const a of document.querySelectorAll('#views-nav a[href^="#/"]')) {
    if (a.getAttribute('href') === `#/${name}`) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

/**
 * Starts the navigation: hides the links to views the page does not have, shows the view the
 * address names and follows the address from then on. `outreach`: the public view's module
 * ({active, enter, leave}); its header button (#outreach-open) also goes to #/public.
 */
export function setupNav(outreach) {
  publicView = outreach;
  const known = new Set([...views(), PUBLIC]);
  for (const a of document.querySelectorAll('#views-nav a[href^="#/"]')) {
    const name = a.getAttribute('href').slice(2);
    a.closest('li').hidden = !known.has(name);
  }
  const open = document.getElementById('outreach-open');
  if (open) open.addEventListener('click', () => { if (fromHash() !== PUBLIC) location.hash = `#/${PUBLIC}`; });
  // Opened with ?mode=outreach: the address says so too.
  if (outreach.active() && fromHash() !== PUBLIC) history.replaceState(history.state, '', `${location.pathname}${location.search}#/${PUBLIC}`);
  window.addEventListener('hashchange', () => route(true));
  route(false);
}

/**
 * The public view was left by its own button: the address goes back to the expert view shown
 * before it (replacing #/public, so that Back does not re-open it at once).
 */
export function publicLeft() {
  if (fromHash() !== PUBLIC) return;
  history.replaceState(history.state, '', `${location.pathname}${location.search}#/${current || DEFAULT_VIEW}`);
  route(false);
}
