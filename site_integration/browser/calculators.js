// Page glue for the calculators: finds [data-calculator] containers, starts the shared
// worker once per tab (only on pages that have a calculator), and sends every input
// change to calculators.run() in Python. No arithmetic here: results are written with
// textContent exactly as Python returned them, formatted by format.js.
import { attachCharts, redrawAll, updateCharts } from "./charts.js";
import { formatValue } from "./format.js";
import { names } from "./names.js";
import { clearLink, copyText, formatLink, indexOf, readLink, sortValues, writeLink } from "./share.js";

const WORKER_URL = new URL("./worker.js", import.meta.url);
let runtime = null;

// What a reader reads when live mode cannot start. The technical reason (an engine's error or
// a Content-Security-Policy report) goes to the console, never onto the page.
const UNSUPPORTED =
  "Live recalculation needs a newer browser (Safari 16.4 or later, or a current Chrome, Edge or Firefox); the results shown are for the page's values.";
const UNAVAILABLE = "Live recalculation is unavailable. The results shown are for the page's original values.";
const STOPPED = "Live recalculation stopped. The results shown are from the last values that worked.";
const STALLED =
  "The live calculator stopped downloading. The results shown are for the page's original values.";
// One call that failed while the runtime itself still runs: live mode stays on.
const CALL_FAILED = "That calculation did not finish. Change a value to try again.";

// A download with no new bytes for STALL_MS, or a worker silent for SILENCE_MS while it boots,
// has stalled: the attempt ends with a message and a "Try again" button. Bytes are counted only
// once the worker knows it must download the runtime; before that it fetches Pyodide's 1.2 MB
// engine module (about 0.3 MB with brotli), which takes 50 s at 6 KB/s ("slow-2g"): hence the
// longer silence allowed.
const STALL_MS = 20_000;
const SILENCE_MS = 90_000;

// A module worker, or null where the browser cannot run one: a browser without module
// workers ignores `type` (it never reads it) and would run worker.js as a classic script.
function startModuleWorker(url) {
  if (!window.Worker || typeof WebAssembly !== "object") return null;
  let module = false;
  const worker = new Worker(url, {
    name: "calculators",
    get type() {
      module = true;
      return "module";
    },
  });
  if (module) return worker;
  worker.terminate();
  return null;
}

function startRuntime() {
  let startedAt = performance.now();
  const pending = new Map();
  let nextId = 1;
  let settle;
  const ready = new Promise((resolve, reject) => {
    settle = { resolve, reject };
  });
  ready.catch(() => {}); // every caller handles failure; never an unhandled rejection
  let failed = false;
  let worker;
  let watchdog = 0;
  const failAll = (reason, detail) => {
    if (!failed) console.warn(`Live recalculation is unavailable (${reason}): ${detail}`);
    failed = true;
    clearInterval(watchdog);
    worker?.terminate(); // a stalled download is abandoned; a failed worker has nothing left to do
    const error = Object.assign(new Error(detail), { reason });
    settle.reject(error);
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };
  // Download progress ({received, expected} bytes) from the worker, for the status line.
  const listeners = new Set();
  let progress = null;
  let lastNews = performance.now();
  let lastBytes = lastNews;
  let early = [];
  const started = window.__calculatorsWorker; // begun from <head> by the theme override
  if (started) {
    window.__calculatorsWorker = null;
    worker = started.worker;
    startedAt = started.startedAt;
    early = started.adopt();
  } else {
    try {
      if (!names) throw new Error("the page does not name the runtime");
      worker = startModuleWorker(WORKER_URL);
      if (!worker) {
        failAll("unsupported", "this browser has no module workers or no WebAssembly");
        const none = () => Promise.reject(new Error("no worker"));
        return { ready, call: none, exportCsv: none, startedAt, onProgress: () => {} };
      }
      worker.postMessage({
        type: "init",
        runtime: names.runtime.href,
        package: names.package,
        cachePrefix: names.cachePrefix,
      });
    } catch (err) {
      failAll("unavailable", `the browser could not start a worker: ${err.message}`);
      const none = () => Promise.reject(new Error("no worker"));
      return { ready, call: none, exportCsv: none, startedAt, onProgress: () => {} };
    }
  }
  watchdog = setInterval(() => {
    const now = performance.now();
    const downloading = progress && progress.received < progress.expected;
    if (downloading && now - lastBytes > STALL_MS) {
      failAll("stalled", `no data for ${STALL_MS / 1000} s at ${progress.received} of ${progress.expected} bytes`);
    } else if (now - lastNews > SILENCE_MS) {
      failAll("stalled", `the calculator engine said nothing for ${SILENCE_MS / 1000} s while starting`);
    }
  }, 1000);
  const onMessage = (event) => {
    const msg = event.data || {};
    if (failed) return; // e.g. a worker's last words after it was given up on
    lastNews = performance.now();
    if (msg.type === "progress") {
      if (!progress || msg.received > progress.received) lastBytes = lastNews;
      progress = { received: msg.received, expected: msg.expected };
      for (const listener of listeners) listener(progress);
    } else if (msg.type === "ready") {
      clearInterval(watchdog);
      window.__calculatorsBoot = { ...msg, workerStartedAt: startedAt }; // for benchmarks
      settle.resolve(msg);
    } else if (msg.type === "snapshot-saved") {
      document.documentElement.dataset.calculatorsSnapshot = "saved"; // next visit boots fast
    } else if (msg.type === "failed") {
      failAll(msg.reason || "unavailable", msg.message);
    } else if (msg.type === "violation") {
      console.warn(`Content-Security-Policy violation in the calculators' worker: ${msg.directive} ${msg.blocked}`);
    } else if (msg.type === "result" || msg.type === "error") {
      const waiter = pending.get(msg.id);
      pending.delete(msg.id);
      if (!waiter) return;
      if (msg.type === "result") waiter.resolve(JSON.parse(msg.json));
      else waiter.reject(new Error(msg.message));
    }
  };
  const onError = (event) => {
    event.preventDefault(); // reported on the page instead of as an uncaught error
    failAll("unavailable", event.message || "the calculator engine's script could not be loaded");
  };
  worker.addEventListener("message", onMessage);
  worker.addEventListener("error", onError);
  for (const event of early) (event.type === "error" ? onError : onMessage)(event);
  const send = (message) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, ...message });
    });
  const call = (name, inputs) => send({ name, inputs });
  const exportCsv = (name, inputs, output) => send({ op: "csv", name, inputs, output });
  const onProgress = (listener) => {
    listeners.add(listener);
    if (progress) listener(progress);
  };
  return { ready, call, exportCsv, startedAt, onProgress };
}

function getRuntime() {
  runtime ??= startRuntime();
  return runtime;
}

// Each bound calculator's way to (re)attach to the runtime: "Try again" starts a new worker
// and reconnects every calculator on the page to it.
const connections = new Set();

function restartRuntime() {
  runtime = startRuntime();
  for (const connect of connections) connect();
}

function readInputs(form, linked = new Map()) {
  const inputs = {};
  for (const control of form.elements) {
    if (!control.name) continue;
    // A link's value for a field the reader has not touched since, even one a <select> could
    // not show: Python must see it to explain what is wrong with it.
    inputs[control.name] = linked.has(control.name) ? linked.get(control.name) : control.value;
  }
  return inputs;
}

function isChanged(form) {
  for (const control of form.elements) {
    if (control instanceof HTMLInputElement && control.value !== control.defaultValue) return true;
    if (control instanceof HTMLSelectElement) {
      for (const option of control.options) if (option.selected !== option.defaultSelected) return true;
    }
  }
  return false;
}

function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

function renderSteps(list, steps) {
  const items = steps.map((step) => {
    const li = document.createElement("li");
    li.className = "calc__step";
    const label = document.createElement("span");
    label.className = "calc__step-label";
    label.textContent = step.label;
    const amount = document.createElement("span");
    amount.className = "calc__step-amount";
    amount.textContent = formatValue("money", step.amount);
    li.append(label, amount);
    return li;
  });
  list.replaceChildren(...items);
}

const NUMERIC = new Set(["money", "percent", "integer"]);

function renderRows(table, rows) {
  const columns = [...table.querySelectorAll("thead th")].map((th) => [th.dataset.key, th.dataset.kind]);
  const body = document.createElement("tbody");
  for (const row of rows) {
    const tr = body.insertRow();
    for (const [key, kind] of columns) {
      const td = tr.insertCell();
      td.textContent = formatValue(kind, row[key]);
      if (NUMERIC.has(kind)) {
        td.className = "calc__num";
        td.dataset.value = String(row[key]); // the raw value, as the pre-rendered table has it
      }
    }
  }
  table.tBodies[0].replaceWith(body);
}

function showResult(root, result) {
  const form = root.querySelector("form");
  const status = root.querySelector("[data-status]");
  const errors = result.ok ? {} : result.errors || {};
  for (const slot of root.querySelectorAll("[data-error-for]")) {
    const message = errors[slot.dataset.errorFor] || "";
    setText(slot, message);
    const control = form.elements.namedItem(slot.dataset.errorFor);
    if (control) {
      if (message) control.setAttribute("aria-invalid", "true");
      else control.removeAttribute("aria-invalid");
    }
  }
  if (!result.ok) {
    root.classList.add("calc--error");
    const fields = new Set([...root.querySelectorAll("[data-error-for]")].map((el) => el.dataset.errorFor));
    const general = Object.entries(errors).filter(([key]) => !fields.has(key)).map(([, msg]) => msg);
    setText(status, general.length ? general.join(" ") : "Fix the highlighted field to update the results.");
    return;
  }
  root.classList.remove("calc--error");
  for (const el of root.querySelectorAll("[data-output]")) {
    const name = el.dataset.output;
    if (!(name in result)) continue;
    if (el.dataset.kind === "rows") renderRows(el, result[name]);
    else if (el.dataset.kind === "steps") renderSteps(el, result[name]);
    else setText(el, formatValue(el.dataset.kind, result[name]));
  }
  updateCharts(root, result);
  setText(status, "Live: results update as you type.");
}

function download(filename, text) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  // Material's instant navigation handles same-origin link clicks on the document (a blob: URL
  // counts): keep this one to itself, so only the download happens.
  link.addEventListener("click", (event) => event.stopPropagation());
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const LOADING = "… the results shown are for the values above.";
const EDIT_PENDING =
  ". You changed a value: the results shown are still for the page's original values. They update as soon as the calculator is live.";
const LINK_PENDING =
  ". Opened from a link: the results shown are still the page's original ones, not the link's. They update as soon as the calculator is live.";

const megabytes = (bytes) => (bytes / 1_000_000).toFixed(1);

// "Loading live calculator: 3.2 of 14.1 MB" + what the results shown are. The byte count is
// hidden from screen readers (the status is a live region: it would be read out every time it
// moves); the bar under the line shows the same fraction.
function showLoading(status, tail, progress) {
  const downloading = progress && progress.expected > 0 && progress.received < progress.expected;
  const bytes = downloading ? `: ${megabytes(progress.received)} of ${megabytes(progress.expected)} MB` : "";
  if (status.textContent === `Loading live calculator${bytes}${tail}`) return;
  const count = document.createElement("span");
  count.setAttribute("aria-hidden", "true");
  count.textContent = bytes;
  status.replaceChildren("Loading live calculator", count, tail);
  const share = downloading ? Math.round((1000 * progress.received) / progress.expected) / 10 : 0;
  status.style.setProperty("--calc-progress", `${share}%`); // CSSOM: allowed by the page's CSP
}

function bind(root) {
  if (root.dataset.bound) return;
  root.dataset.bound = "true";
  const name = root.dataset.calculator;
  const form = root.querySelector("form");
  const status = root.querySelector("[data-status]");
  if (!form || !status) return;
  const index = indexOf(root);
  const retry = root.querySelector("[data-action='retry']");
  const fieldNames = new Set([...form.elements].filter((c) => c.name).map((c) => c.name));
  let linked = new Map(); // a share link's raw values, until the reader edits that field
  let unknown = new Map(); // a share link's keys this calculator does not have
  let busy = false;
  let again = false;
  let edited = false; // since the page loaded, while not live
  let progress = null;
  attachCharts(root);
  const pendingTail = () => (edited ? EDIT_PENDING : root.dataset.linked ? LINK_PENDING : LOADING);

  const inputs = () => ({ ...Object.fromEntries(unknown), ...readInputs(form, linked) });
  const remember = () => writeLink(formatLink(name, index, readInputs(form, linked)));

  async function recompute() {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      do {
        again = false;
        const result = await getRuntime().call(name, inputs());
        if (root.isConnected) {
          showResult(root, result);
          root.classList.remove("calc--stale");
        }
        unknown = new Map(); // reported once; the form has no place for them
      } while (again);
    } catch (err) {
      if (err.reason) {
        // The runtime itself is gone (its worker failed or stopped answering).
        root.dataset.state = "failed";
        console.warn(`Live recalculation stopped: ${err.message}`);
        setText(status, STOPPED);
        if (retry) retry.hidden = false;
      } else {
        // This one call failed; the next edit tries again.
        console.warn(`A calculation failed: ${err.message}`);
        root.classList.add("calc--stale");
        setText(status, CALL_FAILED);
      }
    } finally {
      busy = false;
    }
  }

  // A share link (#c=NAME&...) for this calculator fills the form at once; Python computes it
  // as soon as it is live. Fields the link lacks keep the page's values.
  const link = readLink();
  if (link && link.name === name && link.index === index) {
    ({ known: linked, unknown } = sortValues(link.values, fieldNames));
    for (const [key, value] of linked) {
      const control = form.elements.namedItem(key);
      if (control) control.value = value;
    }
    root.classList.add("calc--stale");
    root.dataset.linked = "true";
  }

  form.addEventListener("submit", (event) => event.preventDefault());
  const onEdit = (event) => {
    if (event?.target?.name) linked.delete(event.target.name);
    remember();
    if (root.dataset.state === "live") recompute();
    else {
      root.classList.add("calc--stale");
      edited = true;
      if (root.dataset.state === "loading") showLoading(status, pendingTail(), progress);
    }
  };
  form.addEventListener("input", onEdit);
  form.addEventListener("change", onEdit);

  // The sign toggle of fields that may be negative (iOS's decimal keypad has no minus key).
  for (const toggle of root.querySelectorAll("[data-sign-for]")) {
    const control = form.elements.namedItem(toggle.dataset.signFor);
    if (!control) continue;
    toggle.hidden = false;
    toggle.addEventListener("click", () => {
      const text = control.value.trim();
      control.value = text.startsWith("-") ? text.slice(1) : `-${text}`;
      control.dispatchEvent(new Event("input", { bubbles: true }));
    });
  }

  root.querySelector("[data-action='reset']")?.addEventListener("click", () => {
    form.reset(); // back to the values the page was built with
    linked = new Map();
    unknown = new Map();
    clearLink();
    if (root.dataset.state === "live") recompute();
    else root.classList.remove("calc--stale");
  });

  const copied = root.querySelector("[data-copied]");
  root.querySelector("[data-action='copy-link']")?.addEventListener("click", async () => {
    remember();
    const url = new URL(location.href); // built here: the address bar may be a moment behind
    url.hash = formatLink(name, index, readInputs(form, linked));
    const ok = await copyText(url.href);
    setText(copied, ok ? "Link copied." : "Copy the address bar to share this scenario.");
  });

  for (const button of root.querySelectorAll("[data-export='csv']")) {
    button.addEventListener("click", async () => {
      const label = button.textContent;
      button.disabled = true;
      button.textContent = "Preparing…";
      try {
        const rt = getRuntime();
        await rt.ready;
        const result = await rt.exportCsv(name, readInputs(form, linked), button.dataset.table);
        if (result.ok) download(result.filename, result.csv);
        else setText(status, "Fix the highlighted field to download the table.");
      } catch {
        setText(status, "The table can be downloaded once the calculator is live.");
      } finally {
        button.disabled = false;
        button.textContent = label;
      }
    });
  }

  retry?.addEventListener("click", () => {
    retry.hidden = true;
    restartRuntime();
  });

  function connect() {
    if (!root.isConnected) {
      connections.delete(connect); // a page left through instant navigation
      return;
    }
    const rt = getRuntime();
    root.dataset.state = "loading";
    progress = null;
    showLoading(status, pendingTail(), progress);
    rt.onProgress((update) => {
      progress = update;
      if (rt === runtime && root.dataset.state === "loading") showLoading(status, pendingTail(), progress);
    });
    rt.ready.then(
      (info) => {
        if (!root.isConnected || rt !== runtime) return;
        root.dataset.runtime = info.mode; // "fresh" or "snapshot": for tests and benchmarks
        root.dataset.state = "live";
        status.style.removeProperty("--calc-progress");
        setText(status, "Live: results update as you type.");
        if (isChanged(form) || linked.size || unknown.size) recompute();
      },
      (err) => {
        if (!root.isConnected || rt !== runtime) return;
        root.dataset.state = "failed";
        status.style.removeProperty("--calc-progress");
        if (isChanged(form)) root.classList.add("calc--stale");
        const messages = { unsupported: UNSUPPORTED, stalled: STALLED };
        setText(status, messages[err.reason] || UNAVAILABLE);
        // Nothing to try again in a browser that cannot run the runtime at all.
        if (retry) retry.hidden = err.reason === "unsupported";
      },
    );
  }
  connections.add(connect);
  connect();
}

function scan() {
  for (const root of document.querySelectorAll("[data-calculator]")) bind(root);
}

// Printing: open the collapsed steps and tables, write the scenario link and the date into
// each calculator's print-only block, and redraw charts in the light palette at paper width.
let opened = [];
const PRINT_ROWS = 24;
window.addEventListener("beforeprint", () => {
  const today = new Date().toLocaleDateString(undefined, { year: "numeric", month: "long", day: "numeric" });
  for (const root of document.querySelectorAll("[data-calculator]")) {
    for (const el of root.querySelectorAll("[data-share-link]")) {
      const index = indexOf(root);
      const form = root.querySelector("form");
      const url = new URL(location.href);
      url.hash = formatLink(root.dataset.calculator, index, readInputs(form));
      el.textContent = url.href;
    }
    for (const el of root.querySelectorAll("[data-print-date]")) el.textContent = today;
    // Steps and short tables open; a long schedule stays folded (its chart summarises it).
    for (const details of root.querySelectorAll("details")) {
      const rows = details.querySelector("table")?.tBodies[0]?.rows.length ?? 0;
      if (rows > PRINT_ROWS) details.dataset.printFold = "true";
      else if (!details.open) {
        details.open = true;
        opened.push(details);
      }
    }
  }
  document.documentElement.dataset.printing = "true";
  redrawAll();
});
window.addEventListener("afterprint", () => {
  for (const details of opened) details.open = false;
  opened = [];
  for (const details of document.querySelectorAll("[data-print-fold]")) delete details.dataset.printFold;
  delete document.documentElement.dataset.printing;
  redrawAll();
});

// Charts follow the palette toggle.
new MutationObserver(redrawAll).observe(document.body, {
  attributes: true,
  attributeFilter: ["data-md-color-scheme"],
});

// Material's instant navigation swaps pages without reloading scripts: document$ emits on
// every page (replaying the current one to late subscribers), and the runtime (module state
// above) survives across pages.
function start() {
  if (window.document$?.subscribe) window.document$.subscribe(scan);
  else scan();
}
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start, { once: true });
else start();
