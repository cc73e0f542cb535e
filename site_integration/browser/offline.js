// Offline support: registers the site's service worker (sw.js at the site root) in idle time,
// says discreetly when the site is ready offline, and lets a new deploy take over on the next
// navigation. Nothing here runs before the page and its calculators are ready.
import { names } from "./names.js";

const ROOT = names ? names.root : new URL("./", location.href);
const SW_URL = new URL("sw.js", ROOT);
const UPDATE_CHECK_MS = 60_000;

// The service-worker container, or null. `"serviceWorker" in navigator` is not enough: in
// older Firefox private windows the property exists and is undefined, and in Chromium reading
// it throws in a document with an opaque origin (a sandboxed frame).
function serviceWorkers() {
  try {
    return navigator.serviceWorker || null;
  } catch {
    return null;
  }
}
const container = serviceWorkers();

// Where the reader blocks site storage (reading localStorage throws), no service worker can be
// registered either, and Firefox logs an error for every attempt: offline support is skipped.
function storageAllowed() {
  try {
    return Boolean(window.localStorage);
  } catch {
    return false;
  }
}

let registration = null;
let lastUpdateCheck = 0;
let takingOver = false;

// Saving the site for offline use downloads all of it, the 14 MB runtime included. A reader
// who asked the browser to save data, or whose connection is slow, is asked first instead: the
// footer offers a button. (A page with a calculator still loads the runtime it needs to run.)
function meteredOrSlow() {
  const connection = navigator.connection;
  if (!connection) return false; // Firefox and Safari do not say
  return Boolean(connection.saveData) || ["slow-2g", "2g", "3g"].includes(connection.effectiveType);
}

function offerOffline(onAccept) {
  const footer = document.querySelector(".md-footer-meta__inner");
  if (!footer || footer.querySelector(".offline-offer")) return;
  const button = document.createElement("button");
  button.type = "button";
  button.className = "offline-offer";
  button.textContent = "Make the calculators work offline";
  button.title = "Downloads the whole site (about 15 MB) so every page and calculator works without a connection.";
  button.addEventListener("click", () => {
    button.disabled = true;
    button.textContent = "Saving for offline use…";
    onAccept().finally(() => button.remove());
  });
  footer.append(button);
}

function whenIdle(callback) {
  if ("requestIdleCallback" in window) requestIdleCallback(callback, { timeout: 5000 });
  else setTimeout(callback, 2000);
}

function showStatus() {
  const ready = Boolean(container.controller && registration?.active);
  const footer = document.querySelector(".md-footer-meta__inner");
  if (!footer) return;
  let badge = footer.querySelector(".offline-status");
  if (!ready) {
    badge?.remove();
    return;
  }
  if (!badge) {
    badge = document.createElement("p");
    badge.className = "offline-status";
    badge.setAttribute("role", "status");
    footer.append(badge);
  }
  badge.textContent = "\u2713 Saved for offline use";
  badge.title = "Every page and calculator on this site now works without a connection.";
}

// A new deploy is installed and waiting: the next click on an in-site link activates it and
// loads that page in full, so no page ever shows one deploy's HTML with another's scripts.
// The same holds in other open tabs: once another tab has let the new deploy take over
// (`replaced`), their next click also loads in full rather than through instant navigation.
let replaced = false;

function takeOverOnNextNavigation(event) {
  const waiting = registration?.waiting;
  if ((!waiting && !replaced) || takingOver || event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const link = event.target instanceof Element ? event.target.closest("a[href]") : null;
  if (!link || link.target || link.hasAttribute("download")) return;
  const url = new URL(link.href, location.href);
  if (url.origin !== location.origin || !url.pathname.startsWith(ROOT.pathname)) return;
  event.preventDefault();
  event.stopImmediatePropagation(); // before Material's instant navigation sees the click
  takingOver = true;
  if (!waiting) {
    location.assign(url.href);
    return;
  }
  container.addEventListener("controllerchange", () => location.assign(url.href), { once: true });
  waiting.postMessage({ type: "SKIP_WAITING" });
}

// Marks <html data-update="waiting"> once a new deploy is installed and waiting, so the page
// (and tests) can tell that the next in-site click will load the new version.
function watchForWaiting(reg) {
  const mark = () => {
    if (reg.waiting && container.controller) document.documentElement.dataset.update = "waiting";
  };
  // A worker may already be installing when this runs (the browser found the new deploy while
  // the page loaded, and `updatefound` has fired): follow it too, or its "installed" is missed.
  const follow = (worker) => worker?.addEventListener("statechange", mark);
  mark();
  follow(reg.installing);
  reg.addEventListener("updatefound", () => follow(reg.installing));
}

function checkForUpdate() {
  if (!registration || Date.now() - lastUpdateCheck < UPDATE_CHECK_MS) return;
  lastUpdateCheck = Date.now();
  registration.update().catch(() => {}); // offline: try again later
}

async function register() {
  try {
    registration = await container.register(SW_URL, { scope: ROOT.pathname });
  } catch {
    registration = null; // e.g. a plain-http host: the site still works online
  }
  if (!registration) return;
  lastUpdateCheck = Date.now();
  watchForWaiting(registration);
  container.addEventListener("controllerchange", showStatus);
  await container.ready;
  showStatus();
  // The browser looks for a new sw.js on each navigation, but may skip or lose that check (a
  // busy worker, a slow host): a controlled page asks once more in idle time.
  if (container.controller) registration.update().catch(() => {});
}

if (names && container && window.isSecureContext && storageAllowed()) {
  document.addEventListener("click", takeOverOnNextNavigation, true);
  // Controlled from the start and then handed to another worker: another tab activated a
  // new deploy. (A first visit's controllerchange, from no worker to one, does not count.)
  const controlledAtLoad = Boolean(container.controller);
  container.addEventListener("controllerchange", () => {
    if (controlledAtLoad && !takingOver) {
      replaced = true;
      document.documentElement.dataset.update = "replaced";
    }
  });
  // An existing registration is looked up at once (registering waits for idle time), so a
  // deploy that is already waiting takes over on the very next click.
  const lookup = container.getRegistration(ROOT.pathname).catch(() => undefined);
  lookup.then((existing) => {
    if (!existing) return;
    registration ??= existing;
    watchForWaiting(existing);
    showStatus();
  });
  // Precaching downloads the whole site: wait until this page's calculators are live (or
  // have failed), so it never competes with the runtime download a reader is waiting for.
  const calculatorsSettled = () =>
    new Promise((resolve) => {
      const busy = () => document.querySelector("[data-calculator]:is([data-state='loading'], [data-state='static'])");
      if (!busy()) return resolve();
      const observer = new MutationObserver(() => {
        if (!busy()) {
          observer.disconnect();
          resolve();
        }
      });
      observer.observe(document.body, { subtree: true, attributes: true, attributeFilter: ["data-state"] });
      setTimeout(() => {
        observer.disconnect();
        resolve();
      }, 60_000);
    });
  const start = () =>
    calculatorsSettled().then(() =>
      whenIdle(async () => {
        const existing = await lookup; // the one look-up, made at load
        // Already saved (or asked for) once: keep it current. Otherwise ask first on a metered
        // or slow connection.
        if (!existing && meteredOrSlow()) offerOffline(register);
        else register();
      }),
    );
  if (document.readyState === "complete") start();
  else window.addEventListener("load", start, { once: true });
  // Material's instant navigation: re-show the badge on each new page, and look for a deploy.
  if (window.document$?.subscribe) {
    window.document$.subscribe(() => {
      showStatus();
      checkForUpdate();
    });
  }
}
