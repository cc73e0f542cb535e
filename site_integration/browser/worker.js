// The calculators' Web Worker: boots Pyodide once per tab, off the main thread, and answers
// {id, name, inputs} with the JSON of PACKAGE.run(name, inputs). Every failure becomes a
// message; nothing is thrown to the page. The messages are listed in CONTRACT.md.
//
// The page sends {type: "init", runtime, package, cachePrefix} first (the names the
// generator wrote into the page), so this file names no package, folder or cache itself.
//
// Boot, fastest path first:
// 0. Can this engine run Pyodide at all? (WebAssembly, and the syntax pyodide.asm.mjs uses:
//    features.js.) Checked alongside step 1, so an old browser downloads nothing more.
// 1. runtime.json (tiny, revalidated) names the hashed stdlib, lock, bridge and runtime version.
// 2. If this browser saved a memory snapshot for exactly that version, and its digest matches,
//    restore it: Python comes back with the calculators already imported. The page is told
//    first ("restoring") and gives the restore a time limit; a rejected snapshot is deleted and
//    we fall through to a normal boot.
// 3. Otherwise boot normally from the precompiled stdlib, load the wheel, run the bridge, then
//    make a snapshot and save it in idle time for next visit. Zero extra network bytes.
// If a boot fails and runtime.json now names other files, a new deploy replaced the ones this
// boot asked for (another tab switched deploys meanwhile): boot once more from the new one.
const SNAPSHOT_DELAY_MS = 2000;
let RUNTIME_URL = "";
let SNAPSHOT_CACHE = "";

let bridge = null;
let exporter = null;

const marks = {}; // boot milestones (ms since this worker started), reported for benchmarks
const mark = (name) => {
  marks[name] ??= Math.round(performance.now()); // the first time each is reached
};

// A Content-Security-Policy violation in this worker never reaches the page's own listeners:
// forward it, so the page can log it (and its tests can count it).
self.addEventListener("securitypolicyviolation", (event) => {
  self.postMessage({ type: "violation", directive: event.effectiveDirective, blocked: event.blockedURI });
});

// The engine cannot run the runtime at all: the page says "needs a newer browser".
class Unsupported extends Error {}

async function checkSupport() {
  if (typeof WebAssembly !== "object" || typeof WebAssembly.instantiate !== "function") {
    throw new Unsupported("this browser has no WebAssembly");
  }
  try {
    await import("./features.js");
  } catch (err) {
    if (err instanceof SyntaxError) throw new Unsupported(`this browser cannot parse the runtime (${err.message})`);
    throw err;
  }
}

// Pyodide 314.0.7 catches a failed wasm instantiation (a 404, a truncated file, a network
// error), only logs a warning, and never settles loadPyodide(). Watch the two WebAssembly
// entry points it uses, in this worker only, so such a failure ends the attempt with a message.
//
// On a restore, pyodide.asm.wasm is compiled ahead (`precompiled`, started by bootFrom as soon
// as it knows a snapshot is stored), while the snapshot is read and checked: Pyodide itself
// fetches and compiles the wasm only once it holds the snapshot's bytes. Its own fetch of the
// file is then cancelled, and the module compiled ahead is instantiated with its imports.
let onWasmFailure = () => {};
let precompiled = null;
const nativeInstantiate = typeof WebAssembly === "object" ? WebAssembly.instantiate : null;
for (const name of typeof WebAssembly === "object" ? ["instantiateStreaming", "instantiate"] : []) {
  const original = WebAssembly[name];
  WebAssembly[name] = async function (...args) {
    try {
      let result;
      if (precompiled && name === "instantiateStreaming") {
        Promise.resolve(args[0])
          .then((response) => response.body?.cancel())
          .catch(() => {});
        const module = await precompiled;
        result = { module, instance: await nativeInstantiate.call(WebAssembly, module, args[1]) };
      } else {
        result = await original.apply(WebAssembly, args);
      }
      mark("wasm"); // compiled (or taken from the engine's code cache) and instantiated
      return result;
    } catch (err) {
      onWasmFailure(new Error(`pyodide.asm.wasm could not be loaded (${err.message})`));
      throw err;
    }
  };
}

// A first boot's download progress, for the page, in bytes on the wire: what the reader's
// connection carries, not the unpacked size (a brotli host sends about 5 MB of the 12.6 MB).
// Counted on a clone of each response, so the response Pyodide reads (and V8's code caching of
// the wasm) is untouched. A body arrives decoded, so each file's decoded bytes are scaled by
// its wire size over its decoded size: the wire size is runtime.json's `wire` (a brotli host)
// until the file's response arrives, then the host's own Content-Length, or the decoded size
// for a response sent uncompressed without one. A host that sends the lock file (JSON)
// uncompressed compresses nothing: then every file still to come counts at its full size. A boot that restores a snapshot downloads
// little and reports nothing.
const PROGRESS_MS = 250;
let expected = null; // absolute URL -> decoded bytes, once a first boot is under way
let estimate = null; // absolute URL -> bytes a brotli host sends (runtime.json's `wire`)
const wire = new Map(); // absolute URL -> bytes on the wire, from the file's own response
let plainHost = false; // the host sent the lock file uncompressed: expect the others to be too
const received = new Map(); // absolute URL -> decoded bytes received
let reportedAt = 0;

function report(now = false) {
  if (!expected) return;
  const at = performance.now();
  if (!now && at - reportedAt < PROGRESS_MS) return;
  reportedAt = at;
  let got = 0;
  let total = 0;
  for (const [url, size] of expected) {
    const sent = wire.get(url) ?? (plainHost ? size : estimate.get(url) ?? size);
    total += sent;
    got += size > 0 ? (Math.min(received.get(url) || 0, size) * sent) / size : 0;
  }
  self.postMessage({ type: "progress", received: Math.round(got), expected: total });
}

function arrived(url) {
  received.set(url, expected.get(url)); // only downloads it expects are counted
  report(true);
}

const nativeFetch = self.fetch.bind(self);
self.fetch = async function (input, init) {
  const response = await nativeFetch(input, init);
  const url = new URL(input instanceof Request ? input.url : String(input), self.location.href).href;
  // The lock file (JSON, about 600 bytes) comes before any big file: if the host sends it
  // uncompressed, it compresses nothing, and every file counts at its full size.
  const type = response.headers.get("Content-Type") || "";
  if (RUNTIME_URL && url.startsWith(RUNTIME_URL) && response.ok && /json|javascript/.test(type)) {
    const length = Number(response.headers.get("Content-Length"));
    if (!response.headers.get("Content-Encoding") && (!length || length >= 200)) plainHost = true;
  }
  if (expected?.has(url) && response.ok && response.body) {
    const length = Number(response.headers.get("Content-Length"));
    const encoding = response.headers.get("Content-Encoding") || "identity";
    if (encoding === "identity") wire.set(url, length > 0 ? length : expected.get(url));
    else if (length > 0) wire.set(url, length);
    const reader = response.clone().body.getReader();
    (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return arrived(url);
        received.set(url, (received.get(url) || 0) + value.byteLength);
        report();
      }
    })().catch(() => {}); // the boot itself reports a failed download
  }
  return response;
};

function expectDownloads(runtime, finished) {
  if (!runtime.sizes) return;
  expected = new Map(Object.entries(runtime.sizes).map(([path, size]) => [RUNTIME_URL + path, size]));
  estimate = new Map(Object.entries(runtime.wire ?? runtime.sizes).map(([path, size]) => [RUNTIME_URL + path, size]));
  for (const url of finished) received.set(url, expected.get(url) ?? 0);
  report(true);
}

// Like Promise.all, but settles only once every part has: a failed boot leaves nothing of
// its own still running when the next one starts.
async function all(parts) {
  const results = await Promise.allSettled(parts);
  const failed = results.find((r) => r.status === "rejected");
  if (failed) throw failed.reason;
  return results.map((r) => r.value);
}

function guarded(promise) {
  const failure = new Promise((_, reject) => {
    onWasmFailure = reject;
  });
  return Promise.race([promise, failure]);
}

async function fetchOk(url, init) {
  const response = await fetch(url, init);
  if (!response.ok) throw new Error(`${url.slice(RUNTIME_URL.length)} could not be loaded (HTTP ${response.status})`);
  return response;
}

async function sha256(bytes) {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
}

const hex = (digest) => Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");

// A memory snapshot is 31 MB, about 60% of it zero pages. It is stored sparse: a header, the
// SHA-256 of everything after the header, a one-byte-per-4-KiB-block map, then only the
// non-zero blocks (about 12 MB). Restoring is a few array copies into zeroed memory, far faster
// than decompressing gzip (~0.3 s here). The digest is checked before anything is restored, so
// a snapshot damaged on disk (or by anything else) is deleted instead of handed to Python.
const SPARSE_MAGIC = 0x3256_4e52; // "RNV2"
const BLOCK = 4096;
const HEADER = 16;
const DIGEST = 32;

async function packSparse(bytes) {
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  const words = new Uint32Array(aligned.buffer, aligned.byteOffset, aligned.length >> 2);
  const blocks = Math.ceil(aligned.length / BLOCK);
  const present = new Uint8Array(blocks);
  const parts = [];
  for (let b = 0; b < blocks; b++) {
    const start = b * BLOCK;
    const end = Math.min(start + BLOCK, aligned.length);
    let used = false;
    for (let i = start >> 2; i < end >> 2 && !used; i++) used = words[i] !== 0;
    for (let i = end & ~3; i < end && !used; i++) used = aligned[i] !== 0; // a ragged tail
    if (used) {
      present[b] = 1;
      parts.push(aligned.subarray(start, end));
    }
  }
  const body = new Uint8Array(await new Blob([present, ...parts]).arrayBuffer());
  const header = new Uint32Array([SPARSE_MAGIC, aligned.length, BLOCK, blocks]);
  return new Blob([header, await sha256(body), body]);
}

async function unpackSparse(buffer) {
  if (buffer.byteLength < HEADER + DIGEST) throw new Error("the snapshot is cut short");
  const [magic, length, block, blocks] = new Uint32Array(buffer, 0, 4);
  if (magic !== SPARSE_MAGIC || block !== BLOCK) throw new Error("not a snapshot of this format");
  const stored = new Uint8Array(buffer, HEADER, DIGEST);
  const body = new Uint8Array(buffer, HEADER + DIGEST);
  if (hex(await sha256(body)) !== hex(stored)) throw new Error("the snapshot failed its digest check");
  const present = new Uint8Array(buffer, HEADER + DIGEST, blocks);
  const out = new Uint8Array(length);
  let offset = HEADER + DIGEST + blocks;
  for (let b = 0; b < blocks; b++) {
    if (!present[b]) continue;
    const size = Math.min(BLOCK, length - b * BLOCK);
    out.set(new Uint8Array(buffer, offset, size), b * BLOCK);
    offset += size;
  }
  if (offset !== buffer.byteLength) throw new Error("the snapshot is incomplete");
  return out;
}

function precompile(url) {
  const compiling =
    typeof WebAssembly.compileStreaming === "function"
      ? WebAssembly.compileStreaming(fetchOk(url))
      : fetchOk(url)
          .then((r) => r.arrayBuffer())
          .then((bytes) => WebAssembly.compile(bytes));
  compiling.catch(() => {}); // a failure is reported where Pyodide instantiates it
  return compiling;
}

const snapshots = {
  // Keyed by the runtime's version, which changes with the bridge and every file the snapshot holds.
  key: (version) => `${RUNTIME_URL}__snapshot__/${version}`,
  available: () => typeof caches !== "undefined",
  /** The stored snapshot's response, or null: a quick look, before its 12 MB are read. */
  async find(version) {
    if (!this.available()) return null;
    try {
      return (await (await caches.open(SNAPSHOT_CACHE)).match(this.key(version))) ?? null;
    } catch {
      return null; // storage gone: boot normally
    }
  },
  async read(version, hit) {
    if (!hit) return null;
    try {
      const stored = await hit.arrayBuffer();
      mark("snapshot-read");
      const bytes = await unpackSparse(stored);
      mark("snapshot-unpacked"); // its digest checked, its zero pages put back
      return bytes;
    } catch (err) {
      self.postMessage({ type: "snapshot-dropped", message: String(err?.message || err) });
      await this.drop(version).catch(() => {}); // damaged or cut short: make a new one
      return null;
    }
  },
  async save(version, bytes) {
    const cache = await caches.open(SNAPSHOT_CACHE);
    // One put of a complete Blob, so a tab closed mid-way leaves no half-written entry.
    await cache.put(this.key(version), new Response(await packSparse(bytes)));
    for (const request of await cache.keys()) {
      if (request.url !== this.key(version)) await cache.delete(request); // older versions
    }
  },
  async drop(version) {
    if (this.available()) await (await caches.open(SNAPSHOT_CACHE)).delete(this.key(version));
  },
};

// The wheel is fetched and checked against the sha256 in our pyodide-lock here, instead of
// through pyodide.loadPackage(): loadPackage leaves JS references in Python's state that make
// a memory snapshot impossible ("Unexpected hiwire entry"), and it does not reject on a bad hash.
async function fetchVerifiedWheel(entry) {
  const bytes = await (await fetchOk(RUNTIME_URL + entry.file_name)).arrayBuffer();
  if (hex(await sha256(bytes)) !== entry.sha256) throw new Error("the calculators package failed its integrity check");
  return new Uint8Array(bytes);
}

// Every calculator must compute at its defaults (bridge.py's selfcheck), on both boot paths:
// a restore that lost anything a calculator needs fails here, not in a reader's first edit.
function connectBridge(pyodide) {
  const failed = JSON.parse(pyodide.globals.get("selfcheck")());
  if (failed.length) throw new Error(`the calculators did not answer: ${failed.join(", ")}`);
  exporter = pyodide.globals.get("export_json");
  return pyodide.globals.get("run_json");
}


const readRuntime = async () => (await fetchOk(`${RUNTIME_URL}runtime.json`, { cache: "no-cache" })).json();

async function boot(init) {
  RUNTIME_URL = init.runtime;
  SNAPSHOT_CACHE = `${init.cachePrefix}-snapshots`;
  const started = performance.now();
  // Both start at once, and an old browser's answer never waits on runtime.json: a slow or
  // stalled fetch of it must not turn "needs a newer browser" into "the download stopped"
  // (seen twice in six runs of the WPE WebKit 2.38 test, after the page's 90 s of silence).
  const reading = readRuntime();
  reading.catch(() => {}); // read below; an unsupported browser never asks for its answer
  await checkSupport();
  const runtime = await reading;
  mark("runtime");
  try {
    return await bootFrom(runtime, init, started);
  } catch (err) {
    // Another tab may have switched deploys while this one booted: the hashed files named by
    // the runtime.json read above are then gone. If runtime.json now names others, start
    // over from it, once; otherwise this is a real failure.
    const latest = await readRuntime().catch(() => runtime);
    if (JSON.stringify(latest) === JSON.stringify(runtime)) throw err;
    marks.redeployed = Math.round(performance.now());
    return bootFrom(latest, init, started);
  }
}

async function bootFrom(runtime, init, started) {
  const indexURL = RUNTIME_URL + runtime.index;
  const stored = await snapshots.find(runtime.version);
  precompiled = stored ? precompile(`${indexURL}pyodide.asm.wasm`) : null;
  const [{ loadPyodide }, , lockFileContents, bridgeSource, snapshot] = await all([
    import(`${indexURL}pyodide.mjs`),
    // Pyodide imports this 1.2 MB module itself, later; starting it now overlaps its download
    // and parse with the rest (same URL, so the module is fetched and evaluated once).
    import(`${indexURL}pyodide.asm.mjs`),
    fetchOk(RUNTIME_URL + runtime.lock).then((r) => r.text()),
    fetchOk(RUNTIME_URL + runtime.bridge).then((r) => r.text()),
    snapshots.read(runtime.version, stored),
  ]);
  mark("prepared");
  if (!snapshot) {
    precompiled = null; // no restore after all (a damaged snapshot): Pyodide's own path
    const done = ["pyodide.mjs", "pyodide.asm.mjs"].map((name) => indexURL + name);
    expectDownloads(runtime, [...done, RUNTIME_URL + runtime.lock, RUNTIME_URL + runtime.bridge]);
  }
  const options = {
    indexURL,
    stdLibURL: RUNTIME_URL + runtime.stdlib,
    lockFileContents,
    packageBaseUrl: RUNTIME_URL,
    stdout: () => {},
    stderr: () => {},
  };

  if (snapshot) {
    // The page gives a restore a time limit: a restore that never ends (this thread is then
    // busy in WebAssembly and can do nothing about it) is ended from outside, the snapshot
    // deleted under this key, and a fresh worker started.
    self.postMessage({ type: "restoring", cache: SNAPSHOT_CACHE, key: snapshots.key(runtime.version) });
    try {
      const pyodide = await guarded(loadPyodide({ ...options, _loadSnapshot: snapshot }));
      mark("python"); // memory copied in and the interpreter's state rebuilt
      bridge = connectBridge(pyodide);
      mark("restored"); // and every calculator answered at its defaults
      return { mode: "snapshot", ms: performance.now() - started, marks, version: runtime.version };
    } catch (err) {
      self.postMessage({ type: "snapshot-dropped", message: String(err?.message || err) });
      precompiled = null;
      await snapshots.drop(runtime.version); // stale or rejected: never try it again
      const done = ["pyodide.mjs", "pyodide.asm.mjs"].map((name) => indexURL + name);
      expectDownloads(runtime, [...done, RUNTIME_URL + runtime.lock, RUNTIME_URL + runtime.bridge]);
    }
  }

  const makeSnapshot = snapshots.available();
  const [pyodide, wheel] = await all([
    guarded(loadPyodide({ ...options, _makeSnapshot: makeSnapshot })),
    fetchVerifiedWheel(wheelEntry(JSON.parse(lockFileContents), init.package)),
  ]);
  mark("loaded");
  try {
    pyodide.unpackArchive(wheel, "wheel");
    pyodide.runPython(`PACKAGE = ${JSON.stringify(init.package)}\n${bridgeSource}`);
  } catch (err) {
    throw new Error(`the calculators package did not load (${String(err.message || err).split("\n").pop()})`);
  }
  bridge = connectBridge(pyodide);
  if (makeSnapshot) {
    // In idle time after going live: the worker runs one task at a time, so no call is in
    // flight, and calls pass only JSON text, so Python holds no JavaScript objects.
    setTimeout(async () => {
      try {
        await snapshots.save(runtime.version, pyodide.makeMemorySnapshot());
        self.postMessage({ type: "snapshot-saved" });
      } catch {
        // No snapshot this time; the next visit simply boots normally again.
      }
    }, SNAPSHOT_DELAY_MS);
  }
  mark("ready");
  return { mode: "fresh", ms: performance.now() - started, marks, version: runtime.version };
}

// The lock lists only the site's own wheel: the entry that provides the package.
function wheelEntry(lock, pkg) {
  const entry = Object.values(lock.packages || {}).find((p) => (p.imports || []).includes(pkg));
  if (!entry) throw new Error("the calculators package is missing from the lock");
  return entry;
}

let started = null;
const initialised = new Promise((resolve) => {
  started = resolve;
});
const booting = initialised.then(boot).then(
  (info) => self.postMessage({ type: "ready", ...info }),
  (err) =>
    self.postMessage({
      type: "failed",
      reason: err instanceof Unsupported ? "unsupported" : "unavailable",
      message: String((err && err.message) || err), // for the console, never for the reader
    }),
);

self.addEventListener("message", async (event) => {
  if (event.data && event.data.type === "init") {
    started(event.data); // later init messages (a second adopter) change nothing
    return;
  }
  const { id, op, name, inputs, output } = event.data || {};
  await booting;
  if (!bridge) {
    self.postMessage({ type: "error", id, message: "the calculator engine is not available" });
    return;
  }
  try {
    const json =
      op === "csv" ? exporter(name, JSON.stringify(inputs ?? {}), String(output)) : bridge(name, JSON.stringify(inputs ?? {}));
    self.postMessage({ type: "result", id, json });
  } catch (err) {
    self.postMessage({ type: "error", id, message: String((err && err.message) || err).split("\n").pop() });
  }
});
