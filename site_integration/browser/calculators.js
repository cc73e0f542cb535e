// Page glue for the calculators: finds [data-calculator] containers and sends every input
// change to calculators.run() in Python, through this tab's runtime (runtime.js). No
// arithmetic here: results are written with textContent exactly as Python returned them,
// formatted by format.js.
//
// Each calculator is a small state machine. `data-state` is set in one place (`#to`), and
// every transition has a name:
//
//   static --connect--> loading --goLive--> live --lose--> failed --connect--> loading ...
//                              \--fail--> failed --retry--> loading
//
// The rule it keeps: a figure that does not match the form is never shown as current. While a
// call is pending the results are marked stale (`calc--stale`, and "Updating…" if it takes a
// moment); every call has a deadline; a call or a runtime that fails says so in a plain
// sentence and leaves the results marked stale.
import { formatValue } from "./format.js";
import { names } from "./names.js";
import { keep, keepPersonal, recall, recallPersonal } from "./remember.js";
import { reveal } from "./reveal.js";
import { CallFailure, getRuntime, replaceRuntime } from "./runtime.js";
import { clearLink, copyText, formatLink, indexOf, readLink, sortValues, writeLink } from "./share.js";

// What a reader reads when live mode cannot start or stops. The technical reason (an engine's
// error or a Content-Security-Policy report) goes to the console, never onto the page.
const SENTENCES = {
  unsupported:
    "Live recalculation needs a newer browser (Safari 16.4 or later, or a current Chrome, Edge or Firefox); the results shown are for the page's values.",
  unavailable: "Live recalculation is unavailable. The results shown are for the page's original values.",
  stalled: "The live calculator stopped downloading. The results shown are for the page's original values.",
  // The worker died, was ended by the browser, or missed a call's deadline, after it was live.
  stopped:
    "The live calculator stopped responding, so the results shown are for earlier values, not the ones above. Change a value or press Try again.",
};
// One call that failed while the runtime itself still runs: live mode stays on.
const CALL_FAILED =
  "That calculation did not finish, so the results shown are for earlier values. Change a value to try again.";
const LIVE = "Live: results update as you type.";
const UPDATING = "Updating…";
const FIX_FIELD = "Fix the highlighted field to update the results.";
// A pending call this long shows "Updating…"; quicker ones only set the stale mark, which the
// stylesheet shows after the same delay, so a fast answer never flickers.
const UPDATING_AFTER_MS = 400;

const LOADING = "… the results shown are for the values above.";
const EDIT_PENDING =
  ". You changed a value: the results shown are still for the page's original values. They update as soon as the calculator is live.";
const LINK_PENDING =
  ". Opened from a link: the results shown are still the page's original ones, not the link's. They update as soon as the calculator is live.";
const REMEMBERED_PENDING =
  ". Filled in with what you chose before: the results shown are still the page's original ones. They update as soon as the calculator is live.";
const LETTER_NOT_READY = "The letter updates with the results: wait until they match the form.";

const megabytes = (bytes) => (bytes / 1_000_000).toFixed(1);

// Charts are loaded on demand, on their own: if charts.js cannot load (a 404, a damaged cached
// copy), each chart says so and its table (the chart's text alternative) stays; nothing else
// on the page depends on it.
let chartsModule = null;
function charts() {
  chartsModule ??= import("./charts.js").catch((err) => {
    console.warn(`Charts are unavailable: ${err.message}`);
    return null; // asked once per page: scan() lets the next page try again
  });
  return chartsModule.then((module) => {
    if (!module) for (const figure of document.querySelectorAll("figure[data-chart]")) figure.dataset.chartState = "failed";
    return module;
  });
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
  if (el && el.textContent !== text) el.textContent = text;
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
  const columns = [...table.querySelectorAll("thead th")].map((th) => [th.dataset.key, th.dataset.kind, th.textContent]);
  const body = document.createElement("tbody");
  for (const row of rows) {
    const tr = body.insertRow();
    for (const [key, kind, label] of columns) {
      const td = tr.insertCell();
      td.dataset.label = label; // a phone shows each cell under its column's name
      td.textContent = formatValue(kind, row[key]);
      if (NUMERIC.has(kind)) {
        td.className = "calc__num";
        td.dataset.value = String(row[key]); // the raw value, as the pre-rendered table has it
      }
    }
  }
  table.tBodies[0].replaceWith(body);
}

/** The form's values without the reader's own details (`data-personal`): what a URL may carry. */
function linkable(form, inputs) {
  const shared = { ...inputs };
  for (const control of form.querySelectorAll("[data-personal]")) delete shared[control.name];
  return shared;
}

// A letter prints on its own: a sheet holding only its text replaces the page for the print
// (calculators.css hides every other child of <body> while <html> has `calc-print-letter`).
function printLetter(text) {
  const sheet = document.createElement("pre");
  sheet.className = "calc-print-sheet";
  sheet.textContent = text;
  document.body.append(sheet);
  const html = document.documentElement;
  html.classList.add("calc-print-letter");
  const done = () => {
    sheet.remove();
    html.classList.remove("calc-print-letter");
    window.removeEventListener("afterprint", done);
    document.removeEventListener("pointerdown", done);
  };
  // afterprint ends it; an engine whose print() returns before printing (or never fires
  // afterprint) ends it on the reader's next touch.
  window.addEventListener("afterprint", done);
  document.addEventListener("pointerdown", done);
  window.print();
}

function download(filename, text, type = "text/csv;charset=utf-8") {
  const url = URL.createObjectURL(new Blob([text], { type }));
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

const bound = new Set(); // every calculator controller on the current page

class Calculator {
  #state = "static";
  #runtime = null; // the runtime this calculator is connected to
  #linked = new Map(); // a share link's raw values, until the reader edits that field
  #ignored = 0; // how many of a share link's keys this calculator does not have
  #busy = false;
  #again = false;
  #edited = false; // since the page loaded, while not live
  #progress = null;
  #updating = 0;
  #lost = false; // the runtime stopped after it was live: an edit reconnects to its replacement
  #remembered = false; // a remembered answer (the reader's state) was put in the form

  constructor(root) {
    this.root = root;
    this.name = root.dataset.calculator;
    this.form = root.querySelector("form");
    this.status = root.querySelector("[data-status]");
    this.retry = root.querySelector("[data-action='retry']");
    this.results = root.querySelector(".calc__results");
    this.index = indexOf(root);
    this.#edited = root.classList.contains("calc--stale"); // edited before this script ran
  }

  /** The single place `data-state` changes. */
  #to(state) {
    this.#state = state;
    this.root.dataset.state = state;
  }

  get state() {
    return this.#state;
  }

  #inputs() {
    return readInputs(this.form, this.#linked);
  }

  #writeLink() {
    writeLink(formatLink(this.name, this.index, linkable(this.form, this.#inputs())));
  }

  #pendingTail() {
    if (this.#edited) return EDIT_PENDING;
    if (this.root.dataset.linked) return LINK_PENDING;
    return this.#remembered ? REMEMBERED_PENDING : LOADING;
  }

  // "Loading live calculator: 3.2 of 14.1 MB" + what the results shown are. The byte count is
  // hidden from screen readers (the status is a live region: it would be read out every time it
  // moves); the bar under the line shows the same fraction.
  #showLoading() {
    const progress = this.#progress;
    const downloading = progress && progress.expected > 0 && progress.received < progress.expected;
    const bytes = downloading ? `: ${megabytes(progress.received)} of ${megabytes(progress.expected)} MB` : "";
    const tail = this.#pendingTail();
    if (this.status.textContent === `Loading live calculator${bytes}${tail}`) return;
    const count = document.createElement("span");
    count.setAttribute("aria-hidden", "true");
    count.textContent = bytes;
    this.status.replaceChildren("Loading live calculator", count, tail);
    const share = downloading ? Math.round((1000 * progress.received) / progress.expected) / 10 : 0;
    this.status.style.setProperty("--calc-progress", `${share}%`); // CSSOM: allowed by the page's CSP
  }

  #markStale(pending) {
    this.root.classList.add("calc--stale");
    if (pending) this.results?.setAttribute("aria-busy", "true");
  }

  #clearStale() {
    this.root.classList.remove("calc--stale");
    this.results?.removeAttribute("aria-busy");
  }

  // ---- transitions ----

  connect() {
    if (!this.root.isConnected) return;
    const rt = getRuntime();
    this.#runtime = rt;
    this.#lost = false;
    this.#to("loading");
    this.#progress = null;
    this.#showLoading();
    if (this.retry) this.retry.hidden = true;
    rt.onProgress((update) => {
      this.#progress = update;
      if (rt === this.#runtime && this.#state === "loading") this.#showLoading();
    });
    rt.ready.then(
      (info) => rt === this.#runtime && this.#goLive(info),
      (err) => rt === this.#runtime && this.#fail(err),
    );
    // A runtime that stops after it was live (another calculator's call missed its deadline, say)
    // stops this calculator too: it must not go on saying "Live".
    rt.onFailure((err) => rt === this.#runtime && err.afterReady && this.lose(err));
  }

  #goLive(info) {
    if (!this.root.isConnected) return;
    this.root.dataset.runtime = info.mode; // "fresh" or "snapshot": for tests and benchmarks
    this.#to("live");
    this.status.style.removeProperty("--calc-progress");
    setText(this.status, LIVE);
    // A runtime of another deploy than the page's pre-rendered results: recompute at once, so
    // every figure on the calculator comes from the one runtime.
    const otherDeploy = names?.version && info.version && info.version !== names.version;
    if (otherDeploy || isChanged(this.form) || this.#linked.size || this.#ignored) this.recompute();
  }

  #fail(err) {
    if (!this.root.isConnected) return;
    if (err?.afterReady) return this.lose(err);
    this.#to("failed");
    this.status.style.removeProperty("--calc-progress");
    if (isChanged(this.form) || this.#edited) this.#markStale(false);
    setText(this.status, SENTENCES[err?.reason] || SENTENCES.unavailable);
    // Nothing to try again in a browser that cannot run the runtime at all.
    if (this.retry) this.retry.hidden = err?.reason === "unsupported";
  }

  /** The runtime stopped after it was live: say so, and let the next edit use a replacement. */
  lose(err) {
    if (!this.root.isConnected || this.#lost) return;
    this.#lost = true;
    this.#to("failed");
    this.#markStale(false);
    clearTimeout(this.#updating);
    this.results?.removeAttribute("aria-busy");
    setText(this.status, SENTENCES[err?.reason] || SENTENCES.stopped);
    if (this.retry) this.retry.hidden = false;
    // Start the replacement now, so the next edit finds Python ready or nearly so.
    if (getRuntime() === this.#runtime) replaceRuntime();
  }

  onEdit(event) {
    if (event?.target?.name) this.#linked.delete(event.target.name);
    if (event?.target?.dataset?.remember) keep(event.target.dataset.remember, event.target.value);
    if (event?.target?.hasAttribute?.("data-personal")) keepPersonal(event.target.name, event.target.value);
    reveal(this.form);
    this.#writeLink();
    if (this.#state === "live") {
      this.recompute();
      return;
    }
    this.#markStale(false);
    this.#edited = true;
    if (this.#state === "loading") this.#showLoading();
    else if (this.#state === "failed" && this.#lost) this.connect(); // the replacement computes it
  }

  onRetry() {
    if (this.retry) this.retry.hidden = true;
    if (getRuntime().state === "failed") replaceRuntime();
    for (const calculator of bound) if (calculator.state === "failed") calculator.connect();
  }

  // ---- computing ----

  async recompute() {
    if (this.#busy) {
      this.#again = true;
      return;
    }
    this.#busy = true;
    this.#markStale(true);
    clearTimeout(this.#updating);
    this.#updating = setTimeout(() => setText(this.status, UPDATING), UPDATING_AFTER_MS);
    const rt = this.#runtime;
    try {
      let result;
      do {
        this.#again = false;
        result = await rt.call(this.name, this.#inputs());
      } while (this.#again); // only the answer for the form's latest values is shown
      clearTimeout(this.#updating);
      if (!this.root.isConnected || this.#state !== "live") return;
      if (this.#ignored) {
        setText(this.status, `This link had ${this.#ignored} value${this.#ignored === 1 ? "" : "s"} this calculator does not use; ${this.#ignored === 1 ? "it was" : "they were"} ignored.`);
      }
      this.#show(result);
      this.#ignored = 0;
    } catch (err) {
      clearTimeout(this.#updating);
      if (err instanceof CallFailure) {
        console.warn(`A calculation failed: ${err.message}`);
        this.#markStale(false);
        this.results?.removeAttribute("aria-busy");
        setText(this.status, CALL_FAILED);
      } else {
        this.lose(err); // the runtime itself failed (no answer within the deadline, or it died)
      }
    } finally {
      this.#busy = false;
    }
  }

  #show(result) {
    const { root, form } = this;
    const errors = result.ok ? {} : result.errors || {};
    const fields = new Set([...root.querySelectorAll("[data-error-for]")].map((el) => el.dataset.errorFor));
    for (const slot of root.querySelectorAll("[data-error-for]")) {
      const message = errors[slot.dataset.errorFor] || "";
      setText(slot, message);
      const control = form.elements.namedItem(slot.dataset.errorFor);
      if (control) {
        if (message) control.setAttribute("aria-invalid", "true");
        else control.removeAttribute("aria-invalid");
      }
    }
    reveal(form); // a field with a message is shown, asked or not
    if (!result.ok) {
      const general = Object.entries(errors).filter(([key]) => !fields.has(key));
      if (general.length) {
        // No field owns it: a bug in the calculator, not the reader's input. Its text is an
        // engine's words, so it goes to the console; the reader gets a plain sentence.
        console.warn(`${this.name}: ${general.map(([key, msg]) => `${key}: ${msg}`).join(" ")}`);
        this.#markStale(false);
        this.results?.removeAttribute("aria-busy");
        setText(this.status, CALL_FAILED);
        return;
      }
      root.classList.add("calc--error");
      this.#clearStale();
      setText(this.status, FIX_FIELD);
      return;
    }
    root.classList.remove("calc--error");
    for (const el of root.querySelectorAll("[data-output]")) {
      const name = el.dataset.output;
      if (!(name in result)) continue;
      if (el.dataset.kind === "rows") renderRows(el, result[name]);
      else if (el.dataset.kind === "steps") renderSteps(el, result[name]);
      else {
        setText(el, formatValue(el.dataset.kind, result[name]));
        if (el.hasAttribute("data-value")) el.dataset.value = String(result[name]);
      }
    }
    if (root.querySelector("figure[data-chart]")) charts().then((module) => module?.updateCharts(root, result));
    this.#clearStale();
    if (!this.#ignored) setText(this.status, LIVE);
  }

  async exportCsv(button) {
    const label = button.textContent;
    button.disabled = true;
    button.textContent = "Preparing…";
    try {
      const rt = this.#runtime ?? getRuntime();
      await rt.ready;
      const result = await rt.exportCsv(this.name, this.#inputs(), button.dataset.table);
      if (result.ok) download(result.filename, result.csv);
      else setText(this.status, "Fix the highlighted field to download the table.");
    } catch (err) {
      if (err instanceof CallFailure || this.#state !== "live") {
        setText(this.status, "The table can be downloaded once the calculator is live.");
      } else this.lose(err);
    } finally {
      button.disabled = false;
      button.textContent = label;
    }
  }

  /** Copy, print or download a letter, exactly as shown: only while it matches the form. */
  async letterAction(button) {
    const name = button.dataset.letter;
    const letter = [...this.root.querySelectorAll("pre[data-output]")].find((el) => el.dataset.output === name);
    const done = [...this.root.querySelectorAll("[data-letter-done]")].find((el) => el.dataset.letterDone === name);
    if (!letter) return;
    if (this.root.classList.contains("calc--stale") || this.root.classList.contains("calc--error")) {
      setText(done, LETTER_NOT_READY);
      return;
    }
    const text = letter.textContent;
    const action = button.dataset.letterAction;
    if (action === "copy") {
      const ok = await copyText(text);
      setText(done, ok ? "Letter copied." : "Select the letter's text to copy it.");
    } else if (action === "print") {
      setText(done, "");
      printLetter(text);
    } else if (action === "download") {
      download(`${name.replaceAll("_", "-")}.txt`, text, "text/plain;charset=utf-8");
      setText(done, "Letter downloaded.");
    }
  }

  // ---- set-up ----

  bind() {
    const { root, form } = this;
    const fieldNames = new Set([...form.elements].filter((c) => c.name).map((c) => c.name));
    if (root.querySelector("figure[data-chart]")) charts().then((module) => module?.attachCharts(root));

    // A share link (#c=NAME&...) for this calculator fills the form at once; Python computes it
    // as soon as it is live. Fields the link lacks keep the page's values; keys this
    // calculator does not have are counted, never echoed.
    const link = readLink();
    if (link && link.name === this.name && link.index === this.index) {
      const { known, unknown } = sortValues(link.values, fieldNames);
      this.#linked = known;
      this.#ignored = unknown;
      for (const [key, value] of known) {
        const control = form.elements.namedItem(key);
        if (control) control.value = value;
      }
      this.#markStale(false);
      root.dataset.linked = "true";
    }
    // The reader's remembered answers (their state) fill a question the page left empty; a link's
    // value or the page's own wins.
    for (const control of form.querySelectorAll("select[data-remember]")) {
      if (this.#linked.has(control.name) || control.value !== "") continue;
      const value = recall(control.dataset.remember);
      if (value && [...control.options].some((option) => option.value === value)) {
        control.value = value;
        this.#remembered = true;
        this.#markStale(false);
      }
    }
    // The reader's own details from earlier in this tab (a name, an account number, for letters).
    for (const control of form.querySelectorAll("input[data-personal]")) {
      if (this.#linked.has(control.name) || control.value !== "") continue;
      const value = recallPersonal(control.name);
      if (value) {
        control.value = value;
        this.#remembered = true;
        this.#markStale(false);
      }
    }
    reveal(form);

    form.addEventListener("submit", (event) => event.preventDefault());
    const onEdit = (event) => this.onEdit(event);
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
      for (const control of form.querySelectorAll("[data-personal]")) keepPersonal(control.name, "");
      reveal(form);
      this.#linked = new Map();
      this.#ignored = 0;
      clearLink();
      if (this.#state === "live") this.recompute();
      else if (this.#state !== "failed") this.#clearStale();
    });

    const copied = root.querySelector("[data-copied]");
    root.querySelector("[data-action='copy-link']")?.addEventListener("click", async () => {
      this.#writeLink();
      const url = new URL(location.href); // built here: the address bar may be a moment behind
      url.hash = formatLink(this.name, this.index, linkable(form, this.#inputs()));
      const ok = await copyText(url.href);
      setText(copied, ok ? "Link copied." : "Copy the address bar to share this scenario.");
    });

    for (const button of root.querySelectorAll("[data-export='csv']")) {
      button.addEventListener("click", () => this.exportCsv(button));
    }
    for (const button of root.querySelectorAll("[data-letter-action]")) {
      button.addEventListener("click", () => this.letterAction(button));
    }
    this.retry?.addEventListener("click", () => this.onRetry());
    this.connect();
  }
}

// The runtime version the page's #__calculators names (CONTRACT.md, "Page config"). Material's
// instant navigation swaps <head> children that differ, so after a navigation this is the
// version of the page just shown.
function pageVersion() {
  try {
    return JSON.parse(document.getElementById("__calculators")?.textContent || "{}").version || null;
  } catch {
    return null;
  }
}

function scan() {
  // One deploy per page: a page of another deploy (the host was updated since this tab loaded
  // its scripts; without a service worker nothing holds the old deploy's pages back) is loaded
  // in full, so its pre-rendered results and its runtime are the same deploy's.
  const version = pageVersion();
  if (names?.version && version && version !== names.version) {
    location.reload();
    return;
  }
  for (const calculator of [...bound]) if (!calculator.root.isConnected) bound.delete(calculator);
  chartsModule?.then((module) => {
    if (!module) chartsModule = null; // charts failed to load on an earlier page: try again here
  });
  for (const root of document.querySelectorAll("[data-calculator]")) {
    if (root.dataset.bound) continue;
    root.dataset.bound = "true";
    if (!root.querySelector("form") || !root.querySelector("[data-status]")) continue;
    const calculator = new Calculator(root);
    bound.add(calculator);
    calculator.bind();
  }
}

// Printing: open the collapsed steps and tables, write the scenario link and the date into
// each calculator's print-only block, and redraw charts in the light palette at paper width.
let opened = [];
const PRINT_ROWS = 24;
const redrawCharts = () => {
  if (document.querySelector("figure[data-chart]")) charts().then((module) => module?.redrawAll());
};
window.addEventListener("beforeprint", () => {
  const today = new Date().toLocaleDateString(undefined, { year: "numeric", month: "long", day: "numeric" });
  for (const root of document.querySelectorAll("[data-calculator]")) {
    for (const el of root.querySelectorAll("[data-share-link]")) {
      const url = new URL(location.href);
      url.hash = formatLink(root.dataset.calculator, indexOf(root), readInputs(root.querySelector("form")));
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
  redrawCharts();
});
window.addEventListener("afterprint", () => {
  for (const details of opened) details.open = false;
  opened = [];
  for (const details of document.querySelectorAll("[data-print-fold]")) delete details.dataset.printFold;
  delete document.documentElement.dataset.printing;
  redrawCharts();
});

// Charts follow the palette toggle.
new MutationObserver(redrawCharts).observe(document.body, {
  attributes: true,
  attributeFilter: ["data-md-color-scheme"],
});

// Material's instant navigation swaps pages without reloading scripts: document$ emits on
// every page (replaying the current one to late subscribers), and the runtime (module state
// in runtime.js) survives across pages.
function start() {
  if (window.document$?.subscribe) window.document$.subscribe(scan);
  else scan();
}
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start, { once: true });
else start();
