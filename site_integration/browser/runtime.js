// The runtime host: the one Python worker of this tab, shared by every calculator on the page
// and kept across Material's instant navigation. It knows three states, set in one place
// (`#to`): "starting" (the worker boots), "ready" (calls are answered) and "failed" (for good:
// a failed runtime is never revived; `replaceRuntime()` starts a new one).
//
// What it guards against, each with a time limit from the page config (names.timeouts):
// * a download that stops (no new bytes for `stall` seconds) or a worker silent for `silence`
//   seconds while it boots: failed, reason "stalled";
// * a memory-snapshot restore that never ends (`restore` seconds): the worker is ended, the
//   snapshot deleted, and a fresh worker boots in its place, still "starting";
// * a call unanswered after `call` seconds (a worker that died, was ended by the browser, or is
//   stuck): failed, reason "stopped", and every pending call rejected;
// * a boot that fails on a page the service worker controls: the runtime's precached files are
//   evicted (Workbox then fetches them from the network, checks their integrity and repairs the
//   precache) and the boot is tried once more before the runtime is declared failed.
//
// The worker itself is started by the theme's inline script (window.__calculatorsStart, in
// site_integration/theme/main.html), the one place a worker is ever created: on a calculator
// page it starts from <head>, before this module loads, and is adopted here.
import { names } from "./names.js";

/** Why a runtime failed: the page shows a plain sentence for each (calculators.js). */
export const REASONS = ["unsupported", "unavailable", "stalled", "stopped"];

class RuntimeFailure extends Error {
  constructor(reason, detail, { afterReady = false } = {}) {
    super(detail);
    this.reason = reason;
    this.afterReady = afterReady;
  }
}

/** The call itself failed (the worker answered with an error); the runtime runs on. */
class CallFailure extends Error {}

const seconds = (key, fallback) => 1000 * (names?.timeouts?.[key] ?? fallback);

// Every precached copy of the runtime's files (pyodide/...), in this site's caches: the ones a
// boot reads through the service worker. The snapshot cache is not a precache and is left alone.
async function evictPrecachedRuntime() {
  if (typeof caches === "undefined" || !names) return 0;
  let evicted = 0;
  for (const key of await caches.keys()) {
    if (!key.startsWith(`${names.cachePrefix}-`) || !key.includes("precache")) continue;
    const cache = await caches.open(key);
    for (const request of await cache.keys()) {
      if (request.url.startsWith(names.runtime.href) && (await cache.delete(request))) evicted += 1;
    }
  }
  return evicted;
}

function controlled() {
  try {
    return Boolean(navigator.serviceWorker?.controller);
  } catch {
    return false;
  }
}

class Runtime {
  #state = "starting";
  #settle;
  #worker = null;
  #pending = new Map();
  #nextId = 1;
  #listeners = new Set();
  #onFailure = new Set();
  #progress = null;
  #watchdog = 0;
  #lastNews = 0;
  #lastBytes = 0;
  #restoring = null; // {since, cache, key} while a snapshot is being restored
  #healed = false; // the precache was evicted and the boot tried again, once
  #restarts = 0;

  constructor() {
    this.ready = new Promise((resolve, reject) => {
      this.#settle = { resolve, reject };
    });
    this.ready.catch(() => {}); // every caller handles failure; never an unhandled rejection
    this.startedAt = performance.now();
    this.info = null;
    this.failure = null;
    this.#boot(window.__calculatorsWorker);
    window.__calculatorsWorker = null; // adopted once
  }

  get state() {
    return this.#state;
  }

  /** The single place the state changes. */
  #to(state, detail) {
    if (this.#state === "failed") return; // final
    this.#state = state;
    if (state === "ready") {
      clearInterval(this.#watchdog);
      this.info = detail;
      window.__calculatorsBoot = { ...detail, workerStartedAt: this.startedAt }; // for benchmarks
      this.#settle.resolve(detail);
    } else if (state === "failed") {
      clearInterval(this.#watchdog);
      this.failure = detail;
      if (!detail.afterReady) console.warn(`Live recalculation is unavailable (${detail.reason}): ${detail.message}`);
      else console.warn(`Live recalculation stopped (${detail.reason}): ${detail.message}`);
      this.#worker?.terminate(); // a stalled, stuck or failed worker has nothing left to do
      this.#worker = null;
      this.#settle.reject(detail);
      for (const { reject, timer } of this.#pending.values()) {
        clearTimeout(timer);
        reject(detail);
      }
      this.#pending.clear();
      for (const listener of this.#onFailure) listener(detail);
    }
  }

  #fail(reason, detail, options) {
    this.#to("failed", new RuntimeFailure(reason, detail, options));
  }

  /** Start (or adopt) a worker and watch it boot. */
  #boot(early) {
    let started = early;
    if (!started) {
      try {
        if (!names) throw new Error("the page does not name the runtime");
        started = window.__calculatorsStart?.(names) ?? null;
        if (started === null) {
          this.#fail("unsupported", "this browser has no module workers or no WebAssembly");
          return;
        }
      } catch (err) {
        this.#fail("unavailable", `the browser could not start a worker: ${err.message}`);
        return;
      }
    }
    this.#worker = started.worker;
    if (!early) this.startedAt = started.startedAt;
    this.#progress = null;
    this.#restoring = null;
    this.#lastNews = this.#lastBytes = performance.now();
    const worker = started.worker;
    const onMessage = (event) => this.#onMessage(worker, event.data || {});
    const onError = (event) => {
      event.preventDefault?.(); // reported on the page instead of as an uncaught error
      if (worker === this.#worker) this.#bootFailed("unavailable", event.message || "the calculator engine's script could not be loaded");
    };
    // Every event of this worker, the ones it sent before this module was ready included, comes
    // through the listeners __calculatorsStart added as it created the worker (see there).
    started.adopt((event) => (event.type === "error" ? onError : onMessage)(event));
    clearInterval(this.#watchdog);
    this.#watchdog = setInterval(() => this.#watch(), 1000);
  }

  #watch() {
    if (this.#state !== "starting") return;
    const now = performance.now();
    const downloading = this.#progress && this.#progress.received < this.#progress.expected;
    if (this.#restoring && now - this.#restoring.since > seconds("restore", 20)) {
      this.#restoreTimedOut();
    } else if (downloading && now - this.#lastBytes > seconds("stall", 20)) {
      const { received, expected } = this.#progress;
      this.#fail("stalled", `no data for ${seconds("stall", 20) / 1000} s at ${received} of ${expected} bytes`);
    } else if (!this.#restoring && now - this.#lastNews > seconds("silence", 90)) {
      this.#fail("stalled", `the calculator engine said nothing for ${seconds("silence", 90) / 1000} s while starting`);
    }
  }

  // A restore that never finished: its thread is stuck in WebAssembly, so it is ended here, the
  // snapshot is deleted so that no later visit meets it again, and a fresh worker boots.
  async #restoreTimedOut() {
    const { cache, key } = this.#restoring;
    this.#restoring = null;
    console.warn(`The memory snapshot did not restore within ${seconds("restore", 20) / 1000} s; deleting it and starting Python afresh.`);
    this.#worker?.terminate();
    this.#worker = null;
    try {
      await (await caches.open(cache)).delete(key);
    } catch {
      // storage gone meanwhile: the fresh boot below replaces it anyway
    }
    this.#restart();
  }

  #restart() {
    if (this.#state !== "starting") return;
    this.#restarts += 1;
    if (this.#restarts > 3) {
      this.#fail("unavailable", "the calculator engine would not start after several attempts");
      return;
    }
    this.#boot(null);
  }

  // A boot failed. On a page the service worker controls, the runtime's files came from the
  // precache: a damaged copy there would fail every boot until the next deploy. Evict them and
  // boot once more, from the network; only a second failure is final.
  async #bootFailed(reason, message) {
    if (this.#state !== "starting") return;
    if (reason === "unavailable" && !this.#healed && controlled()) {
      this.#healed = true;
      this.#worker?.terminate();
      this.#worker = null;
      const evicted = await evictPrecachedRuntime().catch(() => 0);
      console.warn(`The calculator engine failed to start (${message}); evicted ${evicted} precached runtime files and trying again from the network.`);
      this.#restart();
      return;
    }
    this.#fail(reason, message);
  }

  #onMessage(worker, msg) {
    if (worker !== this.#worker || this.#state === "failed") return; // a replaced worker's last words
    this.#lastNews = performance.now();
    switch (msg.type) {
      case "progress":
        if (!this.#progress || msg.received > this.#progress.received) this.#lastBytes = this.#lastNews;
        this.#progress = { received: msg.received, expected: msg.expected };
        for (const listener of this.#listeners) listener(this.#progress);
        break;
      case "restoring":
        this.#restoring = { since: this.#lastNews, cache: msg.cache, key: msg.key };
        break;
      case "snapshot-dropped":
        this.#restoring = null;
        console.warn(`The memory snapshot was not used and has been deleted: ${msg.message}`);
        break;
      case "ready":
        this.#restoring = null;
        this.#to("ready", msg);
        break;
      case "snapshot-saved":
        document.documentElement.dataset.calculatorsSnapshot = "saved"; // next visit boots fast
        break;
      case "failed":
        this.#bootFailed(msg.reason || "unavailable", msg.message);
        break;
      case "violation":
        console.warn(`Content-Security-Policy violation in the calculators' worker: ${msg.directive} ${msg.blocked}`);
        break;
      case "result":
      case "error": {
        const waiter = this.#pending.get(msg.id);
        if (!waiter) return;
        this.#pending.delete(msg.id);
        clearTimeout(waiter.timer);
        if (msg.type === "result") waiter.resolve(JSON.parse(msg.json));
        else waiter.reject(new CallFailure(msg.message));
        break;
      }
      default:
    }
  }

  // Every call has a deadline. A worker that misses it is dead or stuck either way (a
  // terminated worker fires no event at all): the runtime fails, and the page replaces it.
  #send(message) {
    return this.ready.then(
      () =>
        new Promise((resolve, reject) => {
          if (this.#state !== "ready") {
            reject(this.failure);
            return;
          }
          const id = this.#nextId++;
          const timer = setTimeout(() => {
            this.#fail("stopped", `no answer to a call within ${seconds("call", 20) / 1000} s`, { afterReady: true });
          }, seconds("call", 20));
          this.#pending.set(id, { resolve, reject, timer });
          try {
            this.#worker.postMessage({ id, ...message });
          } catch (err) {
            this.#pending.delete(id);
            clearTimeout(timer);
            reject(new CallFailure(`the call could not be sent: ${err.message}`));
          }
        }),
    );
  }

  call(name, inputs) {
    return this.#send({ name, inputs });
  }

  exportCsv(name, inputs, output) {
    return this.#send({ op: "csv", name, inputs, output });
  }

  /** Called once if this runtime fails, whenever that is (before or after it was ready). */
  onFailure(listener) {
    if (this.failure) listener(this.failure);
    else this.#onFailure.add(listener);
  }

  onProgress(listener) {
    this.#listeners.add(listener);
    if (this.#progress) listener(this.#progress);
  }
}

let current = null;

/** This tab's runtime, started on first use. */
export function getRuntime() {
  current ??= new Runtime();
  return current;
}

/** A new runtime in place of a failed one (a worker that died, or "Try again"). */
export function replaceRuntime() {
  current = new Runtime();
  return current;
}

export { CallFailure, RuntimeFailure };
