// Runs calculators.run() in the real Pyodide runtime under Node, with the pinned npm package,
// the stdlib, the wheel and the bridge the site ships, on both boot paths a reader meets:
//
//   fresh:    Python started, the wheel unpacked, the bridge run (a first visit);
//   restored: Python restored from a memory snapshot made right after that (every later visit),
//             exactly as the worker makes and restores it (site_integration/browser/worker.js).
//
// Reads {wheel, stdlib, bridge, package, cases: [{name, inputs}]} as JSON on stdin and prints
// {python, fresh: [...], restored: [...]}: the JSON text each path returned for each case.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const indexURL = path.join(root, "node_modules/pyodide") + "/";
const { loadPyodide } = await import(path.join(indexURL, "pyodide.mjs"));

const request = JSON.parse(readFileSync(0, "utf8"));
const quiet = { stdout: () => {}, stderr: () => {} };

// As the worker does: boot, unpack the wheel (Node's Buffer wrapped in a Uint8Array), run the
// bridge with PACKAGE defined, check every calculator at its defaults, then snapshot.
const fresh = await loadPyodide({ indexURL, stdLibURL: request.stdlib, _makeSnapshot: true, ...quiet });
fresh.unpackArchive(new Uint8Array(readFileSync(request.wheel)), "wheel");
fresh.runPython(`PACKAGE = ${JSON.stringify(request.package)}\n${readFileSync(request.bridge, "utf8")}`);
const selfcheck = (py) => JSON.parse(py.globals.get("selfcheck")());
if (selfcheck(fresh).length) throw new Error(`fresh boot: calculators failed their self-check: ${selfcheck(fresh)}`);
const snapshot = fresh.makeMemorySnapshot();

const restored = await loadPyodide({ indexURL, stdLibURL: request.stdlib, _loadSnapshot: snapshot, ...quiet });
if (selfcheck(restored).length) throw new Error(`restored: calculators failed their self-check: ${selfcheck(restored)}`);

const answers = (py) => {
  const run = py.globals.get("run_json");
  return request.cases.map(({ name, inputs }) => run(name, JSON.stringify(inputs)));
};
process.stdout.write(
  JSON.stringify({
    python: restored.runPython("import sys; sys.version"),
    fresh: answers(fresh),
    restored: answers(restored),
  }),
);
