// Page glue for the calculators: finds [data-calculator] containers, starts the shared
// worker once per tab (only on pages that have a calculator), and sends every input
// change to calculators.run() in Python. No arithmetic here: results are written with
// textContent exactly as Python returned them, formatted by format.js.
import { formatValue } from "./format.js";
import { names } from "./names.js";

const WORKER_URL = new URL("./worker.js", import.meta.url);
let runtime = null;

// What a reader reads when live mode cannot start. The technical reason (an engine's error or
// a Content-Security-Policy report) goes to the console, never onto the page.
const UNSUPPORTED =
  "Live recalculation needs a newer browser (Safari 16.4 or later, or a current Chrome, Edge or Firefox); the results shown are for the page's values.";
const UNAVAILABLE = "Live recalculation is unavailable. The results shown are for the page's original values.";
const STOPPED = "Live recalculation stopped. The results shown are from the last values that worked.";

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
  const failAll = (reason, detail) => {
    if (!failed) console.warn(`Live recalculation is unavailable (${reason}): ${detail}`);
    failed = true;
    const error = Object.assign(new Error(detail), { reason });
    settle.reject(error);
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };
  let worker;
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
        return { ready, call: () => Promise.reject(new Error("no worker")), startedAt };
      }
      worker.postMessage({
        type: "init",
        runtime: names.runtime.href,
        package: names.package,
        cachePrefix: names.cachePrefix,
      });
    } catch (err) {
      failAll("unavailable", `the browser could not start a worker: ${err.message}`);
      return { ready, call: () => Promise.reject(new Error("no worker")), startedAt };
    }
  }
  const onMessage = (event) => {
    const msg = event.data || {};
    if (msg.type === "ready") {
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
  const call = (name, inputs) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, name, inputs });
    });
  return { ready, call, startedAt };
}

function getRuntime() {
  runtime ??= startRuntime();
  return runtime;
}

function readInputs(form) {
  const inputs = {};
  for (const control of form.elements) {
    if (control.name) inputs[control.name] = control.value;
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

function renderRows(table, rows) {
  const columns = [...table.querySelectorAll("thead th")].map((th) => [th.dataset.key, th.dataset.kind]);
  const body = document.createElement("tbody");
  for (const row of rows) {
    const tr = body.insertRow();
    for (const [key, kind] of columns) tr.insertCell().textContent = formatValue(kind, row[key]);
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
  setText(status, "Live: results update as you type.");
}

function bind(root) {
  if (root.dataset.bound) return;
  root.dataset.bound = "true";
  const name = root.dataset.calculator;
  const form = root.querySelector("form");
  const status = root.querySelector("[data-status]");
  if (!form || !status) return;
  const rt = getRuntime();
  let busy = false;
  let again = false;

  async function recompute() {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      do {
        again = false;
        const result = await rt.call(name, readInputs(form));
        if (root.isConnected) showResult(root, result);
      } while (again);
    } catch (err) {
      root.dataset.state = "failed";
      console.warn(`Live recalculation stopped: ${err.message}`);
      setText(status, STOPPED);
    } finally {
      busy = false;
    }
  }

  form.addEventListener("submit", (event) => event.preventDefault());
  const onEdit = () => {
    if (root.dataset.state === "live") recompute();
    else if (root.dataset.state === "failed") root.classList.add("calc--stale");
  };
  form.addEventListener("input", onEdit);
  form.addEventListener("change", onEdit);

  root.dataset.state = "loading";
  setText(status, "Loading live calculator… the results shown are for the values above.");
  rt.ready.then(
    (info) => {
      if (!root.isConnected) return;
      root.dataset.runtime = info.mode; // "fresh" or "snapshot": for tests and benchmarks
      root.dataset.state = "live";
      setText(status, "Live: results update as you type.");
      if (isChanged(form)) recompute();
    },
    (err) => {
      if (!root.isConnected) return;
      root.dataset.state = "failed";
      if (isChanged(form)) root.classList.add("calc--stale");
      setText(status, err.reason === "unsupported" ? UNSUPPORTED : UNAVAILABLE);
    },
  );
}

function scan() {
  for (const root of document.querySelectorAll("[data-calculator]")) bind(root);
}

// Material's instant navigation swaps pages without reloading scripts: document$ emits on
// every page (replaying the current one to late subscribers), and the runtime (module state
// above) survives across pages.
function start() {
  if (window.document$?.subscribe) window.document$.subscribe(scan);
  else scan();
}
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start, { once: true });
else start();
