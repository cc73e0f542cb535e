// Your state, remembered on this device: the picker on the home page and the "Your state" page opens
// the chosen state's page and remembers the choice, every calculator that asks for a state opens
// preset to it (the generator's remembered fields: assets/runtime/remember.js, same key), and the
// navigation's "Your state" entry names it and links straight to its page. Nothing is sent
// anywhere; with site storage blocked the picker still opens the page and nothing is remembered.
function key() {
  try {
    const config = JSON.parse(document.getElementById("__calculators")?.textContent || "{}");
    return `${config.cachePrefix || "calculators"}-remember-state`;
  } catch {
    return "calculators-remember-state";
  }
}

function recall() {
  try {
    return window.localStorage.getItem(key());
  } catch {
    return null;
  }
}

function keep(code) {
  try {
    window.localStorage.setItem(key(), code);
  } catch {
    // storage blocked: the choice is not remembered
  }
}

/** The page of a state, from the links every picker carries (MkDocs wrote their addresses). */
function pageOf(code) {
  return document.querySelector(`a[data-state-link="${CSS.escape(code)}"]`)?.href || null;
}

function setUpPickers() {
  for (const form of document.querySelectorAll("form[data-state-picker]")) {
    if (form.dataset.ready) continue;
    form.dataset.ready = "true";
    form.hidden = false;
    const select = form.querySelector("select");
    const remembered = recall();
    if (remembered && [...select.options].some((o) => o.value === remembered)) select.value = remembered;
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const code = select.value;
      const href = code && pageOf(code);
      if (!href) return;
      keep(code);
      location.assign(href);
    });
  }
}

// Every state's name and page, written by the build from the dataset (hooks/state_pages.py).
let states = null;
function loadStates() {
  states ??= fetch(new URL("./states.json", import.meta.url))
    .then((response) => (response.ok ? response.json() : null))
    .catch(() => null);
  return states;
}

/** "Your state" in the navigation becomes "Your state: Ohio", linking to Ohio's page. */
async function nameTheNavEntry() {
  const code = recall();
  if (!code) return;
  const state = (await loadStates())?.[code];
  if (!state) return;
  const root = new URL("../", import.meta.url); // javascripts/ sits at the site's root
  for (const link of document.querySelectorAll(".md-nav--primary a.md-nav__link")) {
    if (!new URL(link.href).pathname.endsWith(`${new URL("states/", root).pathname}`)) continue;
    if (link.dataset.yourState === code) continue;
    link.dataset.yourState = code;
    const label = link.querySelector(".md-ellipsis") || link;
    label.textContent = `Your state: ${state.name}`;
    link.href = new URL(state.path, root).href;
  }
}

// A state on a map is an SVG link (xlink:href: see hooks/us_map.mjs). Material's instant
// navigation reads a clicked link's `href` as a string, which an SVG link's is not: the click is
// handed to it as an ordinary link to the same page, so the runtime keeps running.
document.addEventListener(
  "click",
  (event) => {
    const link = event.target instanceof Element ? event.target.closest("svg a.map__link") : null;
    if (!link || event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return; // a new tab or window
    const target = link.getAttribute("xlink:href") || link.getAttribute("href");
    if (!target) return;
    event.preventDefault();
    event.stopPropagation();
    const plain = document.createElement("a");
    plain.href = new URL(target, location.href).href;
    plain.hidden = true;
    document.body.append(plain);
    plain.click();
    plain.remove();
  },
  true,
);

function start() {
  setUpPickers();
  nameTheNavEntry();
}

if (window.document$?.subscribe) window.document$.subscribe(start);
else start();
