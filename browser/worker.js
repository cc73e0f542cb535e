// The calculators' Web Worker: boots Pyodide once per tab, off the main thread, and
// answers {id, name, inputs} with the JSON of calculators.run(name, inputs).
// Every failure is reported as a message; nothing is thrown to the page.
const INDEX_URL = new URL("../../pyodide/", import.meta.url).href;

let bridge = null;

// Pyodide 314.0.7 catches a failed wasm instantiation (a 404, a truncated file, a network
// error), only logs a warning, and never settles loadPyodide(). Watch the two WebAssembly
// entry points it uses, in this worker only, so such a failure ends the boot with a message.
let wasmFailed;
const wasmFailure = new Promise((_, reject) => {
  wasmFailed = reject;
});
wasmFailure.catch(() => {});
for (const name of ["instantiateStreaming", "instantiate"]) {
  const original = WebAssembly[name];
  WebAssembly[name] = async function (...args) {
    try {
      return await original.apply(WebAssembly, args);
    } catch (err) {
      wasmFailed(new Error(`pyodide.asm.wasm could not be loaded (${err.message})`));
      throw err;
    }
  };
}

async function boot() {
  const started = performance.now();
  const { loadPyodide } = await import(`${INDEX_URL}pyodide.mjs`);
  // The lock is tiny and names the wheel by its hash, so revalidating it is what
  // keeps a new deploy from loading an old wheel.
  const response = await fetch(`${INDEX_URL}pyodide-lock.json`, { cache: "no-cache" });
  if (!response.ok) throw new Error(`pyodide-lock.json could not be loaded (HTTP ${response.status})`);
  const lockFileContents = await response.text();
  const pyodide = await Promise.race([
    loadPyodide({
      indexURL: INDEX_URL,
      lockFileContents,
      packageBaseUrl: INDEX_URL,
      stdout: () => {},
      stderr: () => {},
    }),
    wasmFailure,
  ]);
  const problems = [];
  await pyodide.loadPackage("calculators", {
    messageCallback: () => {},
    errorCallback: (message) => problems.push(message),
  });
  try {
    bridge = pyodide.runPython(`
import json
import calculators

def _bridge(name, inputs):
    # The page calls exactly calculators.run(); JSON is only the transport.
    return json.dumps(calculators.run(name, inputs.to_py()))

_bridge
`);
  } catch (err) {
    const detail = problems.length ? problems.join("; ") : String(err.message || err).split("\n").pop();
    throw new Error(`the calculators package did not load (${detail})`);
  }
  return performance.now() - started;
}

const booting = boot().then(
  (ms) => self.postMessage({ type: "ready", ms }),
  (err) => self.postMessage({ type: "failed", message: String((err && err.message) || err) }),
);

self.addEventListener("message", async (event) => {
  const { id, name, inputs } = event.data || {};
  await booting;
  if (!bridge) {
    self.postMessage({ type: "error", id, message: "the calculator engine is not available" });
    return;
  }
  try {
    self.postMessage({ type: "result", id, json: bridge(name, inputs) });
  } catch (err) {
    self.postMessage({ type: "error", id, message: String((err && err.message) || err).split("\n").pop() });
  }
});
