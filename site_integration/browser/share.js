// Share links: a calculator's inputs in the page URL's fragment, never its query string, so no
// financial figure reaches a server log. The format is a contract (CONTRACT.md):
//
//   #c=NAME&FIELD=VALUE&FIELD=VALUE...      URL-encoded, every field of that calculator
//   &n=2                                    only for the second (third...) calculator of that
//                                           name on the same page
//
// Values are raw text, exactly as typed; the page passes them to Python's run() like typed ones,
// so a bad value is a field error. Nothing from the fragment is ever parsed as HTML.

/** Longest value kept from a link; run() refuses anything over 40 characters anyway. */
const MAX_VALUE = 200;

/** The fragment's calculator link, or null when the fragment is an ordinary anchor. */
export function readLink(hash = location.hash) {
  if (!hash.startsWith("#c=")) return null;
  let params;
  try {
    params = new URLSearchParams(hash.slice(1));
  } catch {
    return null;
  }
  const name = params.get("c") || "";
  const index = Number.parseInt(params.get("n") || "1", 10);
  const values = new Map();
  for (const [key, value] of params) {
    if (key === "c" || key === "n") continue;
    if (!values.has(key)) values.set(key, value.slice(0, MAX_VALUE));
  }
  return { name, index: Number.isFinite(index) && index > 0 ? index : 1, values };
}

/** Which of the page's calculators of this name a container is (1-based). */
export function indexOf(root) {
  const same = [...document.querySelectorAll("[data-calculator]")].filter(
    (el) => el.dataset.calculator === root.dataset.calculator,
  );
  return same.indexOf(root) + 1;
}

/** Split a link's values into the form's fields and a count of the rest. The rest are never
 * shown: a link's own words must not reach the page, so the reader is told only how many
 * values were ignored. */
export function sortValues(values, fieldNames) {
  const known = new Map();
  let unknown = 0;
  for (const [key, value] of values) {
    if (fieldNames.has(key)) known.set(key, value);
    else unknown += 1;
  }
  return { known, unknown };
}

/** The fragment for these inputs (every field, in form order). */
export function formatLink(name, index, inputs) {
  const params = new URLSearchParams();
  params.set("c", name);
  if (index > 1) params.set("n", String(index));
  for (const [key, value] of Object.entries(inputs)) params.set(key, value);
  return `#${params.toString()}`;
}

/** Put the link in the address bar without a history entry or a scroll. */
// WebKit lets a page call history.replaceState 100 times in 10 seconds and throws after that;
// holding a key down in a field gets there. So the address bar is written at once while under
// a budget of BUDGET writes per WINDOW_MS, and past it the latest fragment is written as soon
// as the budget allows (only if the reader is still on the same page).
const BUDGET = 60;
const WINDOW_MS = 10_000;
const writes = [];
let queued = null; // {fragment, path} waiting for the budget
let timer = 0;

function replaceUrl(href) {
  try {
    history.replaceState(history.state, "", href);
    writes.push(performance.now());
    return true;
  } catch {
    return false; // over an engine's limit after all: the next write carries the latest values
  }
}

function flush() {
  timer = 0;
  if (!queued || queued.path !== location.pathname) {
    queued = null;
    return;
  }
  const now = performance.now();
  while (writes.length && now - writes[0] > WINDOW_MS) writes.shift();
  if (writes.length >= BUDGET) {
    timer = setTimeout(flush, WINDOW_MS - (now - writes[0]) + 10);
    return;
  }
  const url = new URL(location.href);
  url.hash = queued.fragment;
  if (url.href === location.href || replaceUrl(url.href)) queued = null;
  else timer = setTimeout(flush, 1000);
}

export function writeLink(fragment) {
  queued = { fragment, path: location.pathname };
  if (!timer) flush();
}

/** Remove a calculator link from the address bar (after a reset). */
export function clearLink() {
  queued = null;
  clearTimeout(timer);
  timer = 0;
  if (!location.hash.startsWith("#c=")) return;
  const url = new URL(location.href);
  url.hash = "";
  replaceUrl(url.href.replace(/#$/, ""));
}

/** Copy text to the clipboard; resolves true when it worked. */
export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard API (plain http, older browsers): select a temporary field and copy.
    const field = document.createElement("textarea");
    field.value = text;
    field.setAttribute("readonly", "");
    field.style.position = "fixed";
    field.style.opacity = "0";
    document.body.append(field);
    field.select();
    let ok = false;
    try {
      ok = document.execCommand("copy");
    } catch {
      ok = false;
    }
    field.remove();
    return ok;
  }
}
